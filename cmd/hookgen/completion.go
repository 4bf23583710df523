package main

// Shell completion that knows the domain: task names, Helm's events and
// delete policies inside comma lists, output formats, database kinds,
// migration frameworks, the chart's values keys and, for remove, the hooks
// hookgen wrote into the chart. Registered by flag name on the finished command tree, so the
// commands' own files only declare their flags. cobra's `__complete`
// command serves every shell (bash, zsh, fish, powershell).

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
)

// choice is one completion candidate and its description.
type choice struct{ value, help string }

// outputFormats are the -o values of each command.
var outputFormats = map[string][]choice{
	"add":    {{"text", "what was written, and the order of each affected event"}, {"json", "docs/json.md"}},
	"init":   {{"text", "what was written, and the plan"}, {"json", "docs/json.md"}},
	"remove": {{"text", "what was removed"}, {"json", "docs/json.md"}},
	"plan":   {{"text", "every call Helm makes, per operation"}, {"json", "docs/plan.md"}, {"mermaid", "a sequence diagram"}},
	"lint":   {{"text", "one finding a line"}, {"json", "docs/rules.md"}, {"sarif", "SARIF 2.1.0 for code scanning"}},
}

// registerCompletions attaches the completion functions to the commands
// and flags of root that exist.
func registerCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		name := c.Name()
		switch name {
		case "add":
			c.ValidArgsFunction = completeTasks
		case "remove":
			c.ValidArgsFunction = completeHookNames
		case "plan", "lint":
			c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return nil, cobra.ShellCompDirectiveFilterDirs
			}
		}
		flag := func(f string, fn cobra.CompletionFunc) {
			if c.Flags().Lookup(f) != nil {
				_ = c.RegisterFlagCompletionFunc(f, fn)
			}
		}
		flag("chart", dirs)
		flag("create", noFiles)
		flag("event", commaList(eventChoices))
		flag("delete-policy", commaList(policyChoices))
		flag("with", commaList(func() []choice { return taskChoices(false) }))
		flag("operation", commaList(operationChoices))
		flag("db", fixed(databaseChoices()))
		flag("framework", fixed(frameworkChoices()))
		flag("values-key", completeValuesKey)
		flag("workload", completeWorkloads)
		flag("severity", fixed([]choice{{"info", "every finding"}, {"warning", "warnings and errors (default)"}, {"error", "errors only"}}))
		flag("gitops", fixed([]choice{{"argocd", "as Argo CD runs the chart: PreSync/PostSync/PostDelete, waves"}}))
		flag("values", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		})
		if formats, ok := outputFormats[name]; ok {
			flag("output", fixed(formats))
		}
		for _, f := range []string{"name", "image", "command", "args", "weight", "db-host", "db-user", "db-name", "db-secret", "storage-claim", "set", "kube-version", "release", "namespace"} {
			flag(f, noFiles)
		}
	}
}

func noFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

func dirs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// fixed completes one value from a fixed set.
func fixed(cs []choice) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return matching(cs, "", toComplete, nil), cobra.ShellCompDirectiveNoFileComp
	}
}

// commaList completes the part after the last comma of a comma-separated
// list, keeping what comes before it and leaving out values already listed.
func commaList(all func() []choice) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			done, last = toComplete[:i+1], toComplete[i+1:]
		}
		var given []string
		for _, v := range strings.Split(done, ",") {
			given = append(given, strings.TrimSpace(v))
		}
		// NoSpace: the user may go on with another comma.
		return matching(all(), done, last, given), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// matching returns prefix+value for each choice whose value starts with
// toComplete and is not in skip, with its description.
func matching(cs []choice, prefix, toComplete string, skip []string) []string {
	var out []string
	for _, c := range cs {
		if !strings.HasPrefix(c.value, toComplete) || slices.Contains(skip, c.value) {
			continue
		}
		s := prefix + c.value
		if c.help != "" {
			s += "\t" + c.help
		}
		out = append(out, s)
	}
	return out
}

// eventChoices are Helm's hook events, from internal/helmhook.
func eventChoices() []choice {
	var out []choice
	for _, e := range helmhook.Events {
		out = append(out, choice{e.String(), helmhook.EventHelp[e]})
	}
	return out
}

// policyChoices are Helm's delete policies, from internal/helmhook.
func policyChoices() []choice {
	var out []choice
	for _, p := range helmhook.DeletePolicies {
		out = append(out, choice{p.String(), helmhook.DeletePolicyHelp[p]})
	}
	return out
}

func operationChoices() []choice {
	var out []choice
	for _, op := range plan.Operations {
		out = append(out, choice{string(op), "helm " + string(op)})
	}
	return out
}

func frameworkChoices() []choice {
	var out []choice
	for _, f := range generators.Frameworks {
		out = append(out, choice{f.Name, f.Summary})
	}
	return out
}

func databaseChoices() []choice {
	var out []choice
	for _, db := range generators.BackupDatabases() {
		out = append(out, choice{db, "backup with the " + db + " client"})
	}
	return out
}

// taskChoices lists the tasks (custom only where a single hook is named).
func taskChoices(custom bool) []choice {
	var out []choice
	for _, t := range generators.Tasks {
		if t.Custom && !custom {
			continue
		}
		out = append(out, choice{t.Name, t.Summary})
	}
	return out
}

// completeTasks completes add's TASK.
func completeTasks(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return matching(taskChoices(true), "", toComplete, nil), cobra.ShellCompDirectiveNoFileComp
}

// chartFlag is the chart directory the command line names (--chart, else
// the working directory).
func chartFlag(c *cobra.Command) string {
	if f := c.Flags().Lookup("chart"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "."
}

// completeHookNames completes remove's NAME with the hooks hookgen wrote
// into the chart (those whose template holds hookgen's record).
func completeHookNames(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var cs []choice
	for _, name := range generators.HookgenHooks(chartFlag(c)) {
		cs = append(cs, choice{name, "templates/hooks/" + name + ".yaml"})
	}
	return matching(cs, "", toComplete, nil), cobra.ShellCompDirectiveNoFileComp
}

// completeValuesKey offers the default key, the keys the chart's hookgen
// hooks already use, and the chart's top-level values.yaml maps named for
// hooks or jobs (a hook block can go beneath them); not every map, since a
// hook's settings under image: or service: would only confuse.
func completeValuesKey(c *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	chart := chartFlag(c)
	cs := []choice{{generators.DefaultValuesKey, "the default"}}
	seen := map[string]bool{generators.DefaultValuesKey: true}
	add := func(k, help string) {
		if !seen[k] {
			seen[k] = true
			cs = append(cs, choice{k, help})
		}
	}
	for _, name := range generators.HookgenHooks(chart) {
		b, err := os.ReadFile(filepath.Join(chart, "templates", "hooks", name+".yaml"))
		if err != nil {
			continue
		}
		if r, err := generators.ReadRecord(b); err == nil && r.ValuesKey != "" {
			add(r.ValuesKey, "used by the hook "+name)
		}
	}
	if b, err := os.ReadFile(filepath.Join(chart, "values.yaml")); err == nil {
		var doc yaml.Node
		if yaml.Unmarshal(b, &doc) == nil && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
			m := doc.Content[0].Content
			for i := 0; i+1 < len(m); i += 2 {
				k := m[i].Value
				if l := strings.ToLower(k); m[i+1].Kind == yaml.MappingNode && (strings.Contains(l, "hook") || strings.Contains(l, "job")) {
					add(k, "a map in the chart's values.yaml")
				}
			}
		}
	}
	return matching(cs, "", toComplete, nil), cobra.ShellCompDirectiveNoFileComp
}

// completeWorkloads completes add's --workload with the app workloads found
// in the chart as rendered (with the command line's -f, --set and
// --kube-version), best candidate first; the first is described as the
// default when it is a clear choice.
func completeWorkloads(c *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	f := c.Flags()
	ropts := render.Options{KubeVersion: render.DefaultKubeVersion}
	ropts.ValuesFiles, _ = f.GetStringArray("values")
	ropts.Set, _ = f.GetStringArray("set")
	if v, err := f.GetString("kube-version"); err == nil && v != "" {
		ropts.KubeVersion = v
	}
	key := generators.DefaultValuesKey
	if v, err := f.GetString("values-key"); err == nil && v != "" {
		key = v
	}
	info, err := generators.InspectWith(chartFlag(c), key, ropts)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, clear := info.Workloads()
	var cs []choice
	for i, w := range list {
		help := "a workload of the chart"
		if i == 0 && clear {
			help = "the app workload (the default)"
		}
		cs = append(cs, choice{w.Ref(), help})
	}
	return matching(cs, "", toComplete, nil), cobra.ShellCompDirectiveNoFileComp
}
