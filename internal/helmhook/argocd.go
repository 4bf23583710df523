package helmhook

import release "helm.sh/helm/v4/pkg/release/v1"

// ArgoPhase maps a Helm event to the Argo CD sync phase it runs in; events
// missing here have no phase, so a hook with only those is never applied by
// Argo CD (argo-cd gitops-engine pkg/sync/hook/helm, and
// https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#helm-hooks).
var ArgoPhase = map[Event]string{
	release.HookPreInstall: "PreSync", release.HookPreUpgrade: "PreSync",
	release.HookPostInstall: "PostSync", release.HookPostUpgrade: "PostSync",
	release.HookPreDelete: "PreDelete", release.HookPostDelete: "PostDelete",
}

// ArgoDeletePolicy maps a Helm delete policy to Argo CD's
// argocd.argoproj.io/hook-delete-policy value (argo-cd gitops-engine
// pkg/sync/hook/helm).
var ArgoDeletePolicy = map[DeletePolicy]string{
	release.HookBeforeHookCreation: "BeforeHookCreation",
	release.HookSucceeded:          "HookSucceeded",
	release.HookFailed:             "HookFailed",
}
