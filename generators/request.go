package generators

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Request is what the user asked for, from flags or answers. Zero values mean
// "use the task's default"; Resolve fills them in against a chart. Its JSON
// form, resolved, is the record in the hook template's header (Record).
type Request struct {
	Task   Task                `json:"-"`
	Name   string              `json:"name"`   // hook name: values key, file name and Job name suffix
	Events []release.HookEvent `json:"events"` // nil: the task's default
	Weight *int                `json:"weight"` // nil: planned against the chart's hooks
	// CopyWeight is the weight of the hook copies of the app's release
	// Secrets and ConfigMaps at pre-install (contextcopy.go); nil: planned
	// below Weight. Set from the record, so remove writes the same copies.
	CopyWeight     *int                       `json:"copyWeight,omitempty"`
	DeletePolicies []release.HookDeletePolicy `json:"deletePolicies"`  // nil: DefaultDeletePolicies
	Image          string                     `json:"image,omitempty"` // "" : the task's default (the chart's own image for migration and seed)
	Command        []string                   `json:"command"`         // nil: the task's default
	Args           []string                   `json:"args"`
	DBSettings
	Keep      *int   `json:"keep,omitempty"`    // backup: dumps kept (nil: DefaultKeep)
	Backup    string `json:"backup,omitempty"`  // restore: the backup hook whose dumps it restores ("": backup)
	Service   string `json:"service,omitempty"` // smoke-test: Service name, a tpl string ("": the chart's)
	Port      string `json:"port,omitempty"`    // smoke-test: Service port, a tpl string ("": the chart's)
	Path      string `json:"path,omitempty"`    // smoke-test: HTTP path ("": /)
	ValuesKey string `json:"valuesKey"`         // top-level values key holding hook settings; default "hooks"
	// Workload names the app workload (Kind/name) a migration or seed runs
	// in the context of; "" finds it. NoAppContext opts out of that context.
	Workload     string `json:"workload,omitempty"`
	NoAppContext bool   `json:"noAppContext,omitempty"`
	// Framework is a migration tool of Frameworks: its command, and its
	// own image where it has one.
	Framework string `json:"framework,omitempty"`
	// WaitForDB: an init container waits for the release's database
	// (nil: on for a migration or seed at post-install when the release
	// deploys its own database; see resolveWait).
	WaitForDB *bool `json:"waitForDB,omitempty"`
	// Recorded: the request was read from a hook's record (remove), so its
	// events are what was written, not a choice to judge again.
	Recorded bool `json:"-"`
}

// DBSettings are how a backup reaches its database and where it writes:
// declared once, for add's options, the request and the record.
type DBSettings struct {
	DB           string `json:"db,omitempty"`           // postgresql, mysql or mariadb
	DBHost       string `json:"dbHost,omitempty"`       // database host, a tpl string
	DBUser       string `json:"dbUser,omitempty"`       // database user
	DBName       string `json:"dbName,omitempty"`       // database name
	DBSecret     string `json:"dbSecret,omitempty"`     // existing Secret with the database password, a tpl string
	StorageClaim string `json:"storageClaim,omitempty"` // existing PersistentVolumeClaim to write to, a tpl string
	DBVersion    string `json:"dbVersion,omitempty"`    // the server's version ("": from the database dependency)
}

// DefaultValuesKey is the top-level values key hookgen writes under.
const DefaultValuesKey = "hooks"

// DefaultDeletePolicies is what every generated hook gets unless asked
// otherwise: re-runnable (before-hook-creation) and tidy after success, while
// a failed Job stays for its logs.
var DefaultDeletePolicies = []release.HookDeletePolicy{release.HookBeforeHookCreation, release.HookSucceeded}

// MaxNameLen keeps room for at least ten characters of the chart's fullname in
// the 63-character Job name ("<fullname, truncated>-<name>").
const MaxNameLen = 52

// ValidateName checks a hook name: a DNS label short enough to leave room
// for the chart's fullname in a 63-character Job name.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("hook name is empty; pass --name with a lower-case DNS label such as warm-cache")
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("hook name %q is %d characters; with the chart's fullname the Job name must fit in 63, so use at most %d", name, len(name), MaxNameLen)
	}
	if !isDNSLabel(name) {
		return fmt.Errorf("hook name %q is not a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit); pass a name such as warm-cache", name)
	}
	if helmBool(name) {
		return fmt.Errorf("hook name %q is a boolean to Helm's YAML parser (YAML 1.1), so its values key would not be found; pass another name", name)
	}
	return nil
}

// ParseWeight parses --weight: an integer, as Helm's strconv.Atoi would accept.
func ParseWeight(s string) (int, error) {
	w, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("weight %q is not an integer; pass a whole number such as -5 or 10", s)
	}
	return w, nil
}

// isDNSLabel reports whether s is an RFC 1123 label, as Kubernetes checks
// object names and label values.
func isDNSLabel(s string) bool { return len(validation.IsDNS1123Label(s)) == 0 }

// ValidateValuesKey checks --values-key: a plain top-level YAML key that
// templates can reach with .Values.<key>.
func ValidateValuesKey(k string) error {
	if !regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString(k) {
		return fmt.Errorf("values key %q must be letters, digits and '_' (reachable as .Values.%s); pass another --values-key", k, k)
	}
	if helmBool(k) {
		return fmt.Errorf("values key %q is a boolean to Helm's YAML parser (YAML 1.1: %q reads as true or false), so .Values.%s would find nothing; pass another --values-key", k, k+":", k)
	}
	return nil
}
