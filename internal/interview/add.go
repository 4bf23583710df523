// Package interview is the question flow of `hookgen add` and `hookgen init`
// on a terminal: it asks, through a prompter.Prompter, only for what the flags
// left out, in a fixed order, each question with the default hookgen would
// use preselected and one line per choice saying what it does. Every answer
// equal to its default leaves the request exactly as --yes would, so pressing
// Enter throughout writes the same files as `hookgen add TASK --yes`.
package interview

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/listflag"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
)

// Given says which answers the flags already gave; those are not asked.
type Given struct {
	Task, Name, Events, Weight, DeletePolicies, Image, Command, DB bool
	DBVersion, Keep, Backup, Service, Port, Path                   bool
	// Framework: --framework; Workload: --workload or --no-app-context.
	Framework, Workload bool
}

// Planner plans the hook of a request against the chart: generators.Generate,
// with whatever the command adds (add's --force replaces a values block).
type Planner func(generators.Request) (*generators.Output, error)

// Renderer renders the chart with a planned hook's files and checks the
// hook: verify.Hook, which the action passes in.
type Renderer func(*generators.Output) (*render.Result, error)

// Add is the question flow of `hookgen add`.
type Add struct {
	P    prompter.Prompter
	Out  io.Writer // the planned order shown between questions
	Info *generators.ChartInfo
	Plan Planner
	// Render renders the chart with the planned hook for the order shown
	// between questions; nil shows none.
	Render Renderer
}

// placeholderImage stands in for an image not asked yet (custom, or a chart
// without an image of its own) while planning defaults; it never reaches a file.
const placeholderImage = "hookgen.invalid/placeholder:1"

// Ask asks, in order, for the task, the hook name (custom only), the events,
// the weight, the delete policy, then the database, image and command, and
// returns req filled in. Questions whose flag was given are skipped. An
// answer equal to the default leaves its field unset, as --yes does.
func (a *Add) Ask(req generators.Request, given Given) (generators.Request, error) {
	p := a.P
	if !given.Task {
		var opts []prompter.Option
		for _, t := range generators.Tasks {
			opts = append(opts, prompter.Option{Value: t.Name, Description: t.Summary})
		}
		name, err := p.Select("Task:", taskHelp(), opts, "migration")
		if err != nil {
			return req, err
		}
		req.Task, _ = generators.LookupTask(name)
	}
	if req.Task.Custom && !given.Name {
		name, err := p.Input("Hook name (values key, file name and Job name suffix):",
			"a lower-case DNS label such as warm-cache, at most 52 characters", "", generators.ValidateName)
		if err != nil {
			return req, err
		}
		req.Name = name
	}

	appTask := req.Task.AppContext
	if appTask && !given.Workload {
		if list, clear := a.Info.Workloads(); len(list) > 1 && !clear {
			var opts []prompter.Option
			for _, w := range list {
				opts = append(opts, prompter.Option{Value: w.Ref(), Description: "templates/" + w.Template})
			}
			ref, err := p.Select("App workload (the hook runs with its image, env and config):",
				"several workloads of the chart could be the app this hook serves", opts, list[0].Ref())
			if err != nil {
				return req, err
			}
			req.Workload = ref
		}
	}
	if appTask && !given.Framework && !given.Command {
		opts := []prompter.Option{{Value: "none", Description: "give the command yourself"}}
		for _, f := range generators.Frameworks {
			if _, err := f.Command(req.Task); err != nil {
				continue
			}
			opts = append(opts, prompter.Option{Value: f.Name, Description: f.Summary})
		}
		fw, err := p.Select("Migration framework:", "gives the command (and the tool's own image where it has one)", opts, "none")
		if err != nil {
			return req, err
		}
		if fw != "none" {
			req.Framework = fw
		}
	}

	if !given.Events {
		if err := a.askEvents(&req); err != nil {
			return req, err
		}
	}

	if !given.Weight {
		if err := a.askWeight(&req); err != nil {
			return req, err
		}
	}

	if !given.DeletePolicies {
		var opts []prompter.Option
		for _, pol := range helmhook.DeletePolicies {
			opts = append(opts, prompter.Option{Value: pol.String(), Description: helmhook.DeletePolicyHelp[pol]})
		}
		defs := helmhook.Strings(generators.DefaultDeletePolicies)
		if err := askSet(p, &req.DeletePolicies, helmhook.ParseDeletePolicies, "Delete policy:",
			"the default keeps a failed Job and its logs for debugging, and lets the hook run again on the next upgrade",
			opts, defs); err != nil {
			return req, err
		}
	}

	switch req.Task.Asks {
	case generators.AsksDump:
		if !given.DB {
			out, err := a.probe(req)
			if err != nil {
				return req, err
			}
			db, err := askDatabase(p, a.Info, "Database:", out.Hook.DB)
			if err != nil {
				return req, err
			}
			if db != out.Hook.DB {
				req.DB = db
			}
		}
		if !given.DBVersion && !given.Image {
			out, err := a.probe(req)
			if err != nil {
				return req, err
			}
			def, help := out.Hook.Client.Version, "the server's version picks the client image of the same series (pg_dump refuses a newer server)"
			if out.Hook.Server != nil && out.Hook.Server.Version != "" {
				help += "; the chart's " + out.Hook.Server.Chart + " runs " + out.Hook.Server.Image
			}
			if err := askText(p, &req.DBVersion, "Database server version (--db-version):", help, def, func(s string) error {
				_, err := generators.ClientFor(out.Hook.DB, s)
				return err
			}); err != nil {
				return req, err
			}
		}
		if !given.Image {
			out, err := a.probe(req)
			if err != nil {
				return req, err
			}
			if err := askText(p, &req.Image, "Image (the database client):", "an image with "+out.Hook.Client.Dump+" in it", out.Hook.Image, notEmpty("an image")); err != nil {
				return req, err
			}
		}
		if !given.Keep {
			def := strconv.Itoa(generators.DefaultKeep)
			k, err := p.Input("Dumps to keep (--keep):", "after each successful dump the backup deletes its own older dumps beyond this many", def, func(s string) error {
				if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < 1 {
					return fmt.Errorf("give a whole number of 1 or more")
				}
				return nil
			})
			if err != nil {
				return req, err
			}
			if k = strings.TrimSpace(k); k != def {
				n, _ := strconv.Atoi(k)
				req.Keep = &n
			}
		}
	case generators.AsksBackupHook:
		if !given.Backup {
			if err := askText(p, &req.Backup, "Backup hook whose dumps to restore (--backup):", "the restore reads that hook's database, image and claim from its values", "backup", generators.ValidateName); err != nil {
				return req, err
			}
		}
	case generators.AsksHTTPCheck:
		out, err := a.probe(req)
		if err != nil {
			return req, err
		}
		if !given.Service {
			if err := askText(p, &req.Service, "Service to call (--service):", "Helm template text allowed; the default is the chart's own Service", out.Hook.Smoke.Service, notEmpty("a Service")); err != nil {
				return req, err
			}
		}
		if !given.Port {
			if err := askText(p, &req.Port, "Service port (--port):", "a number or Helm template text; the default is the chart's Service port", out.Hook.Smoke.Port, notEmpty("a port")); err != nil {
				return req, err
			}
		}
		if !given.Path {
			if err := askText(p, &req.Path, "HTTP path to GET (--path):", "the test passes on a 2xx or 3xx answer", "/", func(s string) error {
				if !strings.HasPrefix(strings.TrimSpace(s), "/") {
					return fmt.Errorf("a path starts with /")
				}
				return nil
			}); err != nil {
				return req, err
			}
		}
	default:
		if !given.Image && req.Framework == "" {
			def, help := "", "the image to run, e.g. busybox:1.37"
			if app := a.appImage(req); app != "" {
				def, help = app, "Enter keeps the app's own image, read from its workload at install time, so the hook follows the app's version"
			} else if !req.Task.Custom {
				def = ChartImage(a.Info)
				if def != "" {
					help = "Enter keeps the chart's own image from .Values.image, so the hook follows the app's version"
				} else {
					help = "the chart has no image.repository in values.yaml to reuse: give the image to run"
				}
			}
			if err := askText(p, &req.Image, "Image:", help, def, notEmpty("an image")); err != nil {
				return req, err
			}
		}
		if !given.Command && req.Framework == "" {
			label := "Command (comma-separated; empty runs the image's entrypoint):"
			required := appTask && req.Image == "" && len(req.Args) == 0
			if required {
				// The app's own image would run the application, not the task.
				label = "Command (comma-separated; required: the app's image would otherwise start the app):"
			}
			cmd, err := p.Input(label,
				`as --command: double-quote a part that holds a comma, e.g. sh,-c,"echo a,b"`, "",
				func(s string) error {
					if required && strings.TrimSpace(s) == "" {
						return fmt.Errorf("a command is required")
					}
					_, err := SplitList("command", []string{s})
					return err
				})
			if err != nil {
				return req, err
			}
			if strings.TrimSpace(cmd) != "" {
				req.Command, _ = SplitList("command", []string{cmd})
			}
		}
	}
	return req, nil
}

// askText asks for a text answer with Input and sets *field to it, trimmed,
// when it differs from def: an answer that keeps the default stays out of the
// request, so the generator's own default applies.
func askText(p prompter.Prompter, field *string, label, help, def string, validate func(string) error) error {
	v, err := p.Input(label, help, def, validate)
	if err != nil {
		return err
	}
	if v = strings.TrimSpace(v); v != def {
		*field = v
	}
	return nil
}

// askSet asks for a set with MultiSelect and, when the answer is not the
// default set defs, sets *field to it parsed: an answer that keeps the
// default stays out of the request, as askText's does.
func askSet[T any](p prompter.Prompter, field *[]T, parse func([]string) ([]T, error), label, help string, opts []prompter.Option, defs []string) error {
	chosen, err := p.MultiSelect(label, help, opts, defs)
	if err != nil || sameSet(chosen, defs) {
		return err
	}
	v, err := parse(chosen)
	if err != nil {
		return err
	}
	*field = v
	return nil
}

// askWeight offers the planned weight with the order it gives each event,
// and shows the order again when another weight is chosen.
func (a *Add) askWeight(req *generators.Request) error {
	out, err := a.probe(*req)
	if err != nil {
		// Planning the weight itself may be what failed: try with a fixed
		// one, and if that plans, ask without a default.
		fixed := *req
		zero := 0
		fixed.Weight = &zero
		out2, err2 := a.probe(fixed)
		if err2 != nil {
			return err
		}
		fmt.Fprintf(a.Out, "  no planned weight: %v\n", err)
		w, err := a.P.Input("Weight (lower runs first within an event):", "an integer, e.g. -5 or 10", "", validWeight)
		if err != nil {
			return err
		}
		n, _ := generators.ParseWeight(w)
		req.Weight = &n
		a.showOrder(out2, n)
		return nil
	}
	planned := out.Hook.Weight
	a.showOrder(out, planned)
	w, err := a.P.Input("Weight (lower runs first within an event):",
		"planned against the chart's hooks: backup before migration before seed, no ties; the order above is what Helm runs",
		strconv.Itoa(planned), validWeight)
	if err != nil {
		return err
	}
	n, _ := generators.ParseWeight(w)
	if n != planned {
		req.Weight = &n
		a.showOrder(out, n)
	}
	return nil
}

func validWeight(s string) error {
	_, err := generators.ParseWeight(s)
	return err
}

// showOrder prints each event's hooks in Helm's order with the new hook at
// weight w. Nothing is shown when the chart does not render with the hook:
// the command reports that itself.
func (a *Add) showOrder(out *generators.Output, w int) {
	if a.Render == nil {
		return
	}
	res, err := a.Render(out)
	if err != nil {
		return
	}
	mine := a.Info.Chart.Name + "/" + out.Hook.TemplatePath
	cp := *res
	cp.Hooks = make([]*release.Hook, len(res.Hooks))
	for i, h := range res.Hooks {
		if h.Path == mine {
			c := *h
			c.Weight = w
			h = &c
		}
		cp.Hooks[i] = h
	}
	for _, o := range plan.EventOrders(&cp, out.Hook.Events) {
		fmt.Fprintln(a.Out, wrapOrder("  "+o.String(), 80))
	}
}

// wrapOrder breaks an order line before " -> " where it would pass width,
// continuing under the first hook.
func wrapOrder(line string, width int) string {
	parts := strings.Split(line, " -> ")
	indent := strings.Repeat(" ", strings.Index(line, ": ")+2)
	var b strings.Builder
	n := 0
	for i, p := range parts {
		switch {
		case i == 0:
		case n+len(" -> ")+len(p) >= width:
			b.WriteString("\n" + indent + "-> ")
			n = len(indent) + len("-> ")
		default:
			b.WriteString(" -> ")
			n += len(" -> ")
		}
		b.WriteString(p)
		n += len(p)
	}
	return b.String()
}

// probe plans req as far as it is known, with a placeholder image where
// none is chosen yet, to learn the defaults hookgen would use.
func (a *Add) probe(req generators.Request) (*generators.Output, error) {
	if req.Image == "" && (req.Task.Custom || (a.Info.Image == generators.ImageNone && a.appImage(req) == "")) {
		req.Image = placeholderImage
	}
	req = placeholder(req)
	if req.Task.Custom && len(req.Events) == 0 {
		req.Events = []release.HookEvent{release.HookPostInstall}
	}
	return a.Plan(req)
}

// askEvents asks for the events, hookgen's preselected. pre-install where
// the chart cannot honour it on first install (generators' first-install
// rule) says so in its description; chosen anyway, the refusal is shown and
// the question asked again, rather than ending the interview with it.
func (a *Add) askEvents(req *generators.Request) error {
	// The task's default events, from the generator itself.
	var defs []string
	var notes []string
	if !req.Task.Custom {
		out, err := a.probe(*req)
		if err != nil {
			return err
		}
		defs = helmhook.Strings(out.Hook.Events)
		notes = out.Notes
	}
	opts := eventOptions(preInstallNote(a.probe, *req))
	help := req.Task.Defaults
	if len(notes) > 0 {
		help += "\n" + strings.Join(notes, "\n")
	}
	return askAgainOnPreInstall(a.Out, a.probe, req, func() error {
		return askSet(a.P, &req.Events, helmhook.ParseEvents, "Events:", help, opts, defs)
	})
}

// askAgainOnPreInstall runs ask, which sets req.Events, until plan does not
// refuse the events chosen by the first-install rule
// (generators.FirstInstallError): the refusal is shown, worded for the
// interview, and the question asked again. Any other refusal comes with
// the request's plan.
func askAgainOnPreInstall(out io.Writer, plan func(generators.Request) (*generators.Output, error), req *generators.Request, ask func() error) error {
	for {
		if err := ask(); err != nil {
			return err
		}
		if !helmhook.BeforeInstall(req.Events) {
			return nil
		}
		_, err := plan(*req)
		var fe *generators.FirstInstallError
		if !errors.As(err, &fe) {
			return nil
		}
		if out != nil {
			fmt.Fprintf(out, "  %s\n", fe.Interview())
		}
		req.Events = nil
	}
}

// preInstallNote is the note on pre-install when plan refuses it for req
// (generators.FirstInstallError), else "".
func preInstallNote(plan func(generators.Request) (*generators.Output, error), req generators.Request) string {
	req.Events = []release.HookEvent{release.HookPreInstall}
	_, err := plan(req)
	var fe *generators.FirstInstallError
	if !errors.As(err, &fe) {
		return ""
	}
	return fmt.Sprintf("; not for this chart: on first install the %s hook would need what Helm creates only after pre-install hooks (%s)", req.Task.Name, strings.Join(fe.Needs, ", "))
}

// eventOptions lists the nine events with when Helm runs each, and note on
// pre-install (preInstallNote).
func eventOptions(note string) []prompter.Option {
	var opts []prompter.Option
	for _, e := range helmhook.Events {
		d := helmhook.EventHelp[e]
		if e == release.HookPreInstall {
			d += note
		}
		opts = append(opts, prompter.Option{Value: e.String(), Description: d})
	}
	return opts
}

func taskHelp() string {
	var lines []string
	for _, t := range generators.Tasks {
		lines = append(lines, t.Name+": "+t.Defaults)
	}
	return strings.Join(lines, "\n")
}

var dbHelp = map[string]string{
	"postgresql": "pg_dump of the server's major (postgres:N-alpine), custom format",
	"mysql":      "mysqldump of the server's series (mysql:X.Y), single transaction",
	"mariadb":    "mariadb-dump of the server's series (mariadb:X.Y), single transaction",
}

// ChartImage is the chart's own image as values.yaml spells it
// ([registry/]repository:tag, the tag defaulting to the appVersion), or ""
// when the chart has none.
func ChartImage(info *generators.ChartInfo) string {
	if info.Image == generators.ImageNone || info.Chart == nil || info.Chart.Helm == nil {
		return ""
	}
	img, _ := info.Chart.Helm.Values["image"].(map[string]any)
	repo, _ := img["repository"].(string)
	tag := fmt.Sprint(img["tag"])
	if img["tag"] == nil || tag == "" {
		tag = info.Chart.Helm.Metadata.AppVersion
	}
	ref := repo
	if reg, _ := img["registry"].(string); info.Image == generators.ImageRegistryRepository && reg != "" {
		ref = reg + "/" + repo
	}
	if tag != "" {
		ref += ":" + tag
	}
	return ref
}

func notEmpty(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give %s", what)
		}
		return nil
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// SplitList splits each occurrence of a list flag (or answer): commas
// separate parts, a double-quoted part may hold commas, and every other
// byte (line breaks, CR, NEL, quotes) is kept (see listflag.Split).
func SplitList(flag string, values []string) ([]string, error) {
	out, err := listflag.SplitAll(flag, values)
	if err != nil {
		return nil, fmt.Errorf("%v; separate parts with commas and double-quote a part that holds one", err)
	}
	return out, nil
}

// askDatabase asks which database a backup dumps, def preselected.
func askDatabase(p prompter.Prompter, info *generators.ChartInfo, message, def string) (string, error) {
	var opts []prompter.Option
	for _, db := range generators.Databases {
		opts = append(opts, prompter.Option{Value: db, Description: dbHelp[db]})
	}
	help := "the dump client and command follow the database kind"
	if info.Database != "" {
		help += "; the chart deploys " + info.Database
	}
	return p.Select(message, help, opts, def)
}

// appImage is the image of the app workload a migration or seed would run
// in the context of, as rendered now, or "".
func (a *Add) appImage(req generators.Request) string {
	if !req.Task.AppContext || req.NoAppContext {
		return ""
	}
	var w *generators.Workload
	if req.Workload != "" {
		w, _ = a.Info.FindWorkload(req.Workload)
	} else if list, clear := a.Info.Workloads(); clear {
		w = list[0]
	}
	if w == nil || w.MainContainer() == nil {
		return ""
	}
	return w.MainContainer().Image
}
