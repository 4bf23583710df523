package generators

import (
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
)

var migrationTask = Task{
	Name: "migration", Aliases: []string{"migrate"},
	Summary:    "run database schema migrations before the new version starts",
	BaseWeight: 0, AppContext: true,
	Defaults: "pre-install (post-install when it needs what the release creates after pre-install: its own database, or Secrets and ConfigMaps of the app's context) and pre-upgrade; the chart's own image",
	title:    "Database migration", rank: 3, kind: migrationKind{},
}

// migrationKind runs the app's migration command, before the new version
// starts where the objects it needs exist then.
type migrationKind struct{ baseKind }

// defaultEvents: before the new version starts. Where the hook cannot run
// at pre-install on first install, placeFirstInstall (firstinstall.go) moves
// it to post-install.
func (migrationKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return []release.HookEvent{release.HookPreInstall, release.HookPreUpgrade}, nil
}

func (migrationKind) resolve(info *ChartInfo, req Request, h *Hook, out *Output) error {
	return resolveAppCommand(info, req, h, out)
}

// releaseNeeds: the release's database, which the app's code works on.
func (migrationKind) releaseNeeds(info *ChartInfo, _ Request, h *Hook) []gap {
	return appContextNeeds(info, h)
}

func (migrationKind) frameworkCommand(f Framework) ([]string, error) { return f.Migrate, nil }

func (migrationKind) templateParts(d *templateData, _ Hook, _ Request, _ *ChartInfo) string {
	d.BackoffLimit = 0 // a half-applied migration must not be retried blindly
	return ""
}

// resolveAppCommand chooses the image and command of a task that runs the
// app's own code (migration, seed): --framework's command and image, else
// the user's; the app's image needs a command, or it would start the app.
func resolveAppCommand(info *ChartInfo, req Request, h *Hook, out *Output) error {
	if req.Framework != "" {
		fw, ok := LookupFramework(req.Framework)
		if !ok {
			return usageErr("unknown framework %q for --framework; use one of: %s", req.Framework, strings.Join(FrameworkNames(), ", "))
		}
		cmd, err := fw.Command(req.Task)
		if err != nil {
			return err
		}
		if h.Command == nil && len(h.Args) == 0 {
			h.Command = cmd
		}
		if fw.Image != "" && h.Image == "" {
			h.Image = fw.Image
			h.Framework = &fw
		}
		out.Notes = append(out.Notes, fw.note(req.Task.Name, info.Chart.ValuesKey+"."+h.Name, h.Command))
	}
	if h.Image == "" && info.Image == ImageNone && h.App == nil {
		return usageErr("the chart has no image.repository in values.yaml to reuse for the %s: pass --image", req.Task.Name)
	}
	if len(h.Command) == 0 && len(h.Args) == 0 && h.Image == "" {
		return usageErr("the %s runs the app's own image, which without a command starts the app itself and never finishes: pass --command (e.g. --command bundle,exec,rails,db:migrate) or --framework (%s); nothing written", req.Task.Name, strings.Join(FrameworkNames(), ", "))
	}
	return nil
}
