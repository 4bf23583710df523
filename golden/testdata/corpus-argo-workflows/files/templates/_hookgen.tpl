{{- /*
Helpers shared by the hook Jobs in templates/hooks/, written by hookgen from this
chart's own conventions (its "argo-workflows.fullname" helper).
hookgen rewrites this file when it adds a hook; remove deletes it with the last hook.
*/}}

{{- /* hookgen.name: "<fullname>-<hook>", the hook name kept whole within 63 characters. Call with (list $ "migration"). */}}
{{- define "hookgen.name" -}}
{{- $root := index . 0 -}}
{{- $hook := index . 1 -}}
{{- printf "%s-%s" ((include "argo-workflows.fullname" $root) | trunc (int (sub 62 (len $hook))) | trimSuffix "-") $hook }}
{{- end }}

{{- /* hookgen.labels: the labels of every hook object. Call with $. The chart's
labels less the keys each hook object sets itself (component and hookgen.io/*):
a label key appears once, and the hook's own component wins. */}}
{{- define "hookgen.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/name: {{ .Chart.Name | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
{{- end }}

{{- /* hookgen.app: the context of the app workload a hook serves, taken from
the workload as this chart renders it now, not copied: the workload's own template
file is rendered with the release's values and the document of the given kind and
position is read, so a later change of the app's image, env or config in
values.yaml reaches the hook without running hookgen again. Returns YAML: the main
container's image, imagePullPolicy, env, envFrom, securityContext and its mounts
of ConfigMap, Secret and projected volumes; the pod's volumes of those kinds,
imagePullSecrets, securityContext, nodeSelector, tolerations, affinity (without
podAntiAffinity, which spreads the app's replicas and would only block a one-off
pod) and serviceAccountName. {} when the workload does not render.
Call with (list $ "deployment.yaml" "Deployment" 0 "container-name"). */}}
{{- define "hookgen.app" -}}
{{- $root := index . 0 -}}
{{- $kind := index . 2 -}}
{{- $want := index . 3 | int -}}
{{- $cname := index . 4 -}}
{{- $n := 0 -}}
{{- $out := dict -}}
{{- range $doc := regexSplit "(?m)^---[ \\t]*$" (include (printf "%s/%s" $root.Template.BasePath (index . 1)) $root) -1 -}}
{{- $o := fromYaml $doc -}}
{{- if eq (toString (get $o "kind")) $kind -}}
{{- if eq $n $want -}}
{{- $pod := dig "spec" "template" "spec" dict $o -}}
{{- $c := dict -}}
{{- range ($pod.containers | default list) }}{{ if eq (toString .name) $cname }}{{ $c = . }}{{ end }}{{ end -}}
{{- if and (not $c) $pod.containers }}{{ $c = first $pod.containers }}{{ end -}}
{{- $mounted := list -}}
{{- range ($c.volumeMounts | default list) }}{{ $mounted = append $mounted .name }}{{ end -}}
{{- $vols := list -}}
{{- $names := list -}}
{{- range ($pod.volumes | default list) -}}
{{- if and (or .configMap .secret .projected) (has .name $mounted) }}{{ $vols = append $vols . }}{{ $names = append $names .name }}{{ end -}}
{{- end -}}
{{- $mounts := list -}}
{{- range ($c.volumeMounts | default list) }}{{ if has .name $names }}{{ $mounts = append $mounts . }}{{ end }}{{ end -}}
{{- $_ := set $out "found" true -}}
{{- range $k := list "image" "imagePullPolicy" "env" "envFrom" "securityContext" }}{{ with get $c $k }}{{ $_ := set $out $k . }}{{ end }}{{ end -}}
{{- $_ := set $out "volumeMounts" $mounts -}}
{{- $p := dict "volumes" $vols -}}
{{- range $k := list "imagePullSecrets" "securityContext" "nodeSelector" "tolerations" "serviceAccountName" }}{{ with get $pod $k }}{{ $_ := set $p $k . }}{{ end }}{{ end -}}
{{- with omit ($pod.affinity | default dict) "podAntiAffinity" }}{{ $_ := set $p "affinity" . }}{{ end -}}
{{- $_ := set $out "pod" $p -}}
{{- end -}}
{{- $n = add1 $n -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}

{{- /* hookgen.copy: a hook copy of a Secret or ConfigMap of the release, for a hook
that runs at pre-install, before Helm creates the release's own objects. Rendered
from the chart's own template of the object now, like hookgen.app, so it holds what
the original holds for these values; renamed "<original>-hookgen-<hook>" (within 253
characters), made a hook of the given events and weight, deleted before the next run
and once the event's hooks succeeded; hookgen.io/copy-of names the original. Helm's
annotations of the original (resource-policy, hook) are left out. {} when the
template no longer renders it. Call with
(list $ "secret.yaml" "Secret" 0 "migration" "pre-install,pre-upgrade" "-1" "before-hook-creation,hook-succeeded"). */}}
{{- define "hookgen.copy" -}}
{{- $root := index . 0 -}}
{{- $kind := index . 2 -}}
{{- $want := index . 3 | int -}}
{{- $n := 0 -}}
{{- $out := dict -}}
{{- range $doc := regexSplit "(?m)^---[ \\t]*$" (include (printf "%s/%s" $root.Template.BasePath (index . 1)) $root) -1 -}}
{{- $o := fromYaml $doc -}}
{{- if eq (toString (get $o "kind")) $kind -}}
{{- if eq $n $want -}}
{{- $m := $o.metadata | default dict -}}
{{- $orig := toString $m.name -}}
{{- $suffix := printf "-hookgen-%s" (index $ 4) -}}
{{- $meta := dict "name" (printf "%s%s" (regexReplaceAll "[-.]+$" (trunc (int (sub 253 (len $suffix))) $orig) "") $suffix) -}}
{{- with $m.namespace }}{{ $_ := set $meta "namespace" . }}{{ end -}}
{{- $_ := set $meta "labels" (merge (dict "hookgen.io/hook" (index $ 4)) ($m.labels | default dict)) -}}
{{- $ann := dict -}}
{{- range $k, $v := ($m.annotations | default dict) }}{{ if not (hasPrefix "helm.sh/" $k) }}{{ $_ := set $ann $k $v }}{{ end }}{{ end -}}
{{- $_ := set $ann "helm.sh/hook" (index $ 5) -}}
{{- $_ := set $ann "helm.sh/hook-weight" (index $ 6) -}}
{{- $_ := set $ann "helm.sh/hook-delete-policy" (index $ 7) -}}
{{- $_ := set $ann "hookgen.io/copy-of" $orig -}}
{{- $_ := set $meta "annotations" $ann -}}
{{- $out = set (omit $o "status") "metadata" $meta -}}
{{- end -}}
{{- $n = add1 $n -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}

{{- /* hookgen.renamed: the app's context (from hookgen.app) with every reference to
an object that has a hook copy pointing at the copy: env valueFrom, envFrom, the
Secret, ConfigMap and projected volumes, and imagePullSecrets. Call with
(list $app (dict "Secret/<original>" "<copy>" ...)). */}}
{{- define "hookgen.renamed" -}}
{{- $app := index . 0 -}}
{{- $n := index . 1 -}}
{{- range ($app.env | default list) }}{{ with .valueFrom }}{{ include "hookgen.renameRef" (list .secretKeyRef "name" "Secret" $n) }}{{ include "hookgen.renameRef" (list .configMapKeyRef "name" "ConfigMap" $n) }}{{ end }}{{ end -}}
{{- range ($app.envFrom | default list) }}{{ include "hookgen.renameRef" (list .secretRef "name" "Secret" $n) }}{{ include "hookgen.renameRef" (list .configMapRef "name" "ConfigMap" $n) }}{{ end -}}
{{- $pod := $app.pod | default dict -}}
{{- range ($pod.volumes | default list) -}}
{{- include "hookgen.renameRef" (list .secret "secretName" "Secret" $n) }}{{ include "hookgen.renameRef" (list .configMap "name" "ConfigMap" $n) -}}
{{- with .projected }}{{ range (.sources | default list) }}{{ include "hookgen.renameRef" (list .secret "name" "Secret" $n) }}{{ include "hookgen.renameRef" (list .configMap "name" "ConfigMap" $n) }}{{ end }}{{ end -}}
{{- end -}}
{{- range ($pod.imagePullSecrets | default list) }}{{ include "hookgen.renameRef" (list . "name" "Secret" $n) }}{{ end -}}
{{- toYaml $app -}}
{{- end }}

{{- /* hookgen.renameRef: sets field of the reference ref (a map) to the copy's name
when names has one for kind/<its value>. Call with (list ref "name" "Secret" names). */}}
{{- define "hookgen.renameRef" -}}
{{- $r := index . 0 -}}
{{- if kindIs "map" $r -}}
{{- with get (index . 3) (printf "%s/%s" (index . 2) (toString (get $r (index . 1)))) }}{{ $_ := set $r (index $ 1) . }}{{ end -}}
{{- end -}}
{{- end }}

{{- /* hookgen.image: the hook's image. An empty image.repository means the app's
own image: the app workload's, when the hook runs in its context (a third element),
else the chart's image values (a hook image.tag replaces the app's tag), so the hook
runs the version being installed. Call with (list $ $hookValues [$app]). */}}
{{- define "hookgen.image" -}}
{{- $root := index . 0 -}}
{{- $img := (index . 1).image | default dict -}}
{{- $app := dict -}}
{{- if gt (len .) 2 }}{{ $app = index . 2 | default dict }}{{ end -}}
{{- if $img.repository -}}
{{- $img.repository | toString }}{{ with $img.tag }}:{{ . | toString }}{{ end -}}
{{- else if $app.image -}}
{{- if $img.tag -}}
{{- printf "%s:%s" (regexReplaceAll "(:[^:/@]+)?(@[^@]+)?$" (toString $app.image) "") ($img.tag | toString) -}}
{{- else -}}
{{- toString $app.image -}}
{{- end -}}
{{- else -}}
{{- required "image.repository is required in this hook's values (the app workload did not render)" "" -}}
{{- end -}}
{{- end }}

{{- /* hookgen.pod: the pod-level settings of a hook Job, from its values; where the
hook sets none, the app workload's (with "app", from hookgen.app).
Call with (dict "root" $ "hook" $hookValues "serviceAccount" "<default or empty>" ["app" $app]). */}}
{{- define "hookgen.pod" -}}
{{- $root := .root -}}
{{- $h := .hook -}}
{{- $app := .app | default dict -}}
{{- $ap := $app.pod | default dict -}}
restartPolicy: Never
{{- with ($h.serviceAccountName | default .serviceAccount) }}
serviceAccountName: {{ . | quote }}
{{- end }}
automountServiceAccountToken: {{ ternary $h.automountServiceAccountToken false (hasKey $h "automountServiceAccountToken") }}
{{- if $h.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml $h.imagePullSecrets | nindent 2 }}
{{- else if $app.found }}
{{- with $ap.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- $psc := $h.podSecurityContext }}
{{- if and (not $psc) $app.found }}{{ $psc = $ap.securityContext }}{{ end }}
{{- with $psc }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $v := $h.nodeSelector }}
{{- if not $v }}{{ if $app.found }}{{ $v = $ap.nodeSelector }}{{ end }}{{ end }}
{{- with $v }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $v := $h.tolerations }}
{{- if not $v }}{{ if $app.found }}{{ $v = $ap.tolerations }}{{ end }}{{ end }}
{{- with $v }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $v := $h.affinity }}
{{- if not $v }}{{ if $app.found }}{{ $v = $ap.affinity }}{{ end }}{{ end }}
{{- with $v }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- /* hookgen.container: the container fields every hook shares. Call with
(list $ $hookValues "name" ["values.path.command" [$app]]); with a fourth element
that is not empty, a hook on the app's own image with no command or args does not
render, and the error names that value. With $app (from hookgen.app), the app's image, pull policy,
envFrom and securityContext apply where the hook sets none. Add env and
volumeMounts after it. */}}
{{- define "hookgen.container" -}}
{{- $root := index . 0 -}}
{{- $h := index . 1 -}}
{{- $img := $h.image | default dict -}}
{{- $app := dict -}}
{{- if gt (len .) 4 }}{{ $app = index . 4 | default dict }}{{ end -}}
name: {{ index . 2 | quote }}
image: {{ include "hookgen.image" (list $root $h $app) | quote }}
imagePullPolicy: {{ $img.pullPolicy | default $app.imagePullPolicy | default "IfNotPresent" | quote }}
{{- if $h.command }}
command:
  {{- toYaml $h.command | nindent 2 }}
{{- else if and (not $h.args) (not $img.repository) (gt (len .) 3) (index . 3) }}
{{- /* The app's image with no command would start the application itself,
which never finishes: refuse to render, naming the value to set. */}}
{{- fail (printf "%s is empty: set it to the command this hook runs, or set enabled: false" (index . 3)) }}
{{- end }}
{{- with $h.args }}
args:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with concat ($app.envFrom | default list) ($h.envFrom | default list) }}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $h.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($h.securityContext | default $app.securityContext) }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
