package action

import (
	"slices"
	"strings"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/interview"
)

// request validates the options into a generators.Request. When the user
// can be asked, the task may be missing; the checks that depend on it then
// wait for the answer (checkTaskFlags).
func (opts *AddOptions) request(ask bool) (generators.Request, error) {
	var req generators.Request
	var err error
	if opts.Task == "" && !ask {
		return req, cmdutil.Usage("no task given; pass one of: %s (e.g. hookgen add migration --yes --framework rails)", strings.Join(generators.TaskNames(), ", "))
	}
	if opts.Task != "" {
		t, ok := generators.LookupTask(opts.Task)
		if !ok {
			return req, cmdutil.Usage("unknown task %q; use one of: %s", opts.Task, strings.Join(generators.TaskNames(), ", "))
		}
		req.Task = t
	}
	req.Name = opts.Name
	if req.Name != "" {
		if err := generators.ValidateName(req.Name); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	if err := generators.ValidateValuesKey(opts.ValuesKey); err != nil {
		return req, cmdutil.Usage("%v", err)
	}
	req.ValuesKey = opts.ValuesKey
	if err := opts.hookFlags(&req); err != nil {
		return req, err
	}
	if err := checkRender(opts.Render); err != nil {
		return req, err
	}
	if opts.DB != "" && !slices.Contains(generators.Databases, opts.DB) {
		return req, cmdutil.Usage("unknown database %q for --db; use one of: %s", opts.DB, strings.Join(generators.Databases, ", "))
	}
	if opts.Task != "" {
		if err := opts.checkTaskFlags(req.Task); err != nil {
			return req, err
		}
	}
	req.Image = strings.TrimSpace(opts.Image)
	if opts.CommandSet {
		if req.Command, err = interview.SplitList("--command", opts.Command); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	if opts.ArgsSet {
		if req.Args, err = interview.SplitList("--args", opts.Args); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	req.DBSettings = opts.DBSettings
	req.DBVersion = strings.TrimSpace(opts.DBVersion)
	if opts.KeepSet {
		if opts.Keep < 1 {
			return req, cmdutil.Usage("--keep %d: a backup keeps at least the dump it just took; pass --keep 1 or more", opts.Keep)
		}
		k := opts.Keep
		req.Keep = &k
	}
	req.Backup, req.Service, req.Port, req.Path = opts.Backup, opts.Service, opts.Port, opts.Path
	req.Workload, req.NoAppContext = strings.TrimSpace(opts.Workload), opts.NoAppContext
	if opts.WaitForDBSet {
		w := opts.WaitForDB
		req.WaitForDB = &w
	}
	if opts.Framework != "" {
		fw, ok := generators.LookupFramework(opts.Framework)
		if !ok {
			return req, cmdutil.Usage("unknown framework %q for --framework; use one of: %s", opts.Framework, strings.Join(generators.FrameworkNames(), ", "))
		}
		req.Framework = fw.Name
	}
	return req, nil
}

// hookFlags parses the events, weight and delete policies into req.
func (opts *AddOptions) hookFlags(req *generators.Request) error {
	// A flag given only as '' is empty (the list flags take each value whole).
	opts.Events, opts.DeletePolicies = dropEmpty(opts.Events), dropEmpty(opts.DeletePolicies)
	if opts.Events != nil && len(opts.Events) == 0 {
		return cmdutil.Usage("--event is empty; pass events such as --event pre-install,pre-upgrade")
	}
	if len(opts.Events) > 0 {
		evs, err := helmhook.ParseEvents(opts.Events)
		if err != nil {
			return cmdutil.Usage("%v", err)
		}
		req.Events = evs
	}
	if opts.WeightSet {
		w, err := generators.ParseWeight(opts.Weight)
		if err != nil {
			return cmdutil.Usage("%v", err)
		}
		req.Weight = &w
	}
	if opts.PolicySet {
		ps, err := helmhook.ParseDeletePolicies(opts.DeletePolicies)
		if err != nil {
			return cmdutil.Usage("%v", err)
		}
		req.DeletePolicies = ps
	}
	return nil
}

// dropEmpty drops empty values; a non-nil list stays non-nil.
func dropEmpty(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := []string{}
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
func (opts *AddOptions) checkTaskFlags(t generators.Task) error {
	for _, flag := range []struct {
		set  bool
		name string
	}{{opts.DB != "", "--db"}, {opts.DBHost != "", "--db-host"}, {opts.DBUser != "", "--db-user"}, {opts.DBName != "", "--db-name"}, {opts.DBSecret != "", "--db-secret"}, {opts.StorageClaim != "", "--storage-claim"},
		{opts.DBVersion != "", "--db-version"}, {opts.KeepSet, "--keep"},
		{opts.Backup != "", "--backup"}, {opts.Service != "", "--service"}, {opts.Port != "", "--port"}, {opts.Path != "", "--path"}} {
		if flag.set && !slices.Contains(t.Flags, flag.name) {
			return cmdutil.Usage("%s only applies to %s hooks", flag.name, generators.FlagTask(flag.name))
		}
	}
	if opts.WaitForDBSet && !generators.WaitSupported(t) {
		return cmdutil.Usage("--wait-for-db only applies to migration, seed and custom hooks: %s runs when the database is already up", t.Name)
	}
	return nil
}
