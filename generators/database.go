package generators

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
)

// Databases hookgen can back up and restore.
var Databases = []string{"postgresql", "mysql", "mariadb"}

// DefaultKeep is how many dumps a backup hook keeps by default.
const DefaultKeep = 5

// DBClient is the client hookgen runs against one database server: the
// dump and restore tools, in an official image of the server's own version.
type DBClient struct {
	DB      string // postgresql, mysql or mariadb
	Version string // the server version the image was chosen for: "17", "8.4", "12.0"
	Image   string // e.g. postgres:17-alpine
	Dump    string // the dump tool: pg_dump, mysqldump, mariadb-dump
	Restore string // the tool that loads a dump: pg_restore, mysql, mariadb
	Port    int
	Ext     string // dump file extension: dump (pg custom format) or sql
}

// Official images with a tag per server series. The tag names the series
// only (postgres:17-alpine, mysql:8.4, mariadb:11.8): each gets the series'
// patch releases and base-image fixes, never another major. The tables list
// the series whose tags exist on Docker Hub; a server outside them is asked
// about (--image) rather than guessed.
var (
	// PostgreSQL: pg_dump refuses a server of a newer major, and a dump is
	// only guaranteed to load into a server of pg_restore's major or newer,
	// so the client is the server's own major.
	postgresMajors = []string{"9.6", "10", "11", "12", "13", "14", "15", "16", "17", "18"}
	// MySQL: 5.7 and 8.0 (end of life), 8.4 LTS and the 9.x innovation series.
	mysqlSeries = []string{"5.7", "8.0", "8.1", "8.2", "8.3", "8.4", "9.0", "9.1", "9.2", "9.3", "9.4", "9.5"}
	// MariaDB: series from 10.5, the first with mariadb-dump (from 11.0 the
	// image has no mysqldump any more).
	mariadbSeries = []string{"10.5", "10.6", "10.11", "11.0", "11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.8", "12.0", "12.1", "12.2", "12.3"}
)

// defaultDBVersion is the series used when nothing tells the server's: the
// newest of each table, whose dump tool reads every older server too.
var defaultDBVersion = map[string]string{"postgresql": "18", "mysql": "8.4", "mariadb": "11.8"}

var versionRe = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?`)

// clientTools returns the tools of db's client, without an image.
func clientTools(db string) (DBClient, error) {
	c := DBClient{DB: db}
	switch db {
	case "postgresql":
		c.Dump, c.Restore, c.Port, c.Ext = "pg_dump", "pg_restore", 5432, "dump"
	case "mysql":
		c.Dump, c.Restore, c.Port, c.Ext = "mysqldump", "mysql", 3306, "sql"
	case "mariadb":
		c.Dump, c.Restore, c.Port, c.Ext = "mariadb-dump", "mariadb", 3306, "sql"
	default:
		return c, fmt.Errorf("unknown database %q; use one of: %s", db, strings.Join(Databases, ", "))
	}
	return c, nil
}

// ClientFor returns the client for a server of db at version ("" when
// unknown: the default series, said in a note by the caller). version may be
// a full image tag such as 17.6.0-debian-12-r4 or a series such as 8.4.
func ClientFor(db, version string) (DBClient, error) {
	c, err := clientTools(db)
	if err != nil {
		return c, err
	}
	series := defaultDBVersion[db]
	if version != "" {
		m := versionRe.FindStringSubmatch(strings.TrimSpace(version))
		if m == nil {
			return c, fmt.Errorf("database version %q does not start with a version number; pass --db-version such as %s", version, defaultDBVersion[db])
		}
		major, _ := strconv.Atoi(m[1])
		switch {
		case db == "postgresql" && major >= 10:
			series = m[1]
		case m[2] == "":
			return c, fmt.Errorf("database version %q needs a minor version for %s; pass --db-version such as %s", version, db, defaultDBVersion[db])
		default:
			series = m[1] + "." + m[2]
		}
	}
	known := map[string][]string{"postgresql": postgresMajors, "mysql": mysqlSeries, "mariadb": mariadbSeries}[db]
	if !slices.Contains(known, series) {
		return c, fmt.Errorf("no known client image for %s %s (known: %s); pass --image with a client image of that version", dbTitle[db], series, strings.Join(known, ", "))
	}
	switch db {
	case "postgresql":
		c.Image = "postgres:" + series + "-alpine"
	case "mysql":
		c.Image = "mysql:" + series
	case "mariadb":
		c.Image = "mariadb:" + series
	}
	c.Version = series
	return c, nil
}

var dbTitle = map[string]string{"postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB"}

// DBServer is what the rendered chart says about the database a dependency
// of the release deploys: its kind and version, and how to reach it. Names
// are Helm template strings (the release name as {{ .Release.Name }}), for
// values that go through tpl.
type DBServer struct {
	DB            string // postgresql, mysql or mariadb
	Chart         string // the dependency's name (or alias)
	Image         string // the server's image as rendered
	Version       string // the image tag, "" when the image has none (a digest)
	Host          string
	User          string
	Name          string // the application's database
	Secret        string
	PasswordKey   string
	VersionSource string // where the version was read, for notes
}

// dbKinds maps database dependencies to the client family that dumps them.
var dbKinds = map[string]string{
	"postgresql": "postgresql", "postgresql-ha": "postgresql",
	"mysql": "mysql", "mariadb": "mariadb", "mariadb-galera": "mariadb",
}

// detectDBServer reads the database a dependency deploys from the rendered
// chart: the dependency's StatefulSet or Deployment (image, user and
// database from its environment), its Secret (the password keys) and its
// client Service. It returns nil when the release deploys no database
// hookgen can dump.
func detectDBServer(info *ChartInfo) *DBServer {
	if info.Chart.Helm == nil || info.Chart.Rendered == nil {
		return nil
	}
	// Candidates in Chart.yaml order (the loader's own list of subcharts is
	// not in a stable order); a dependency whose condition is off renders no
	// server and drops out.
	var found []*DBServer
	deps := info.Chart.Dependencies
	if deps == nil {
		for _, d := range info.Chart.Helm.Metadata.Dependencies {
			deps = append(deps, *d)
		}
	}
	for _, dep := range deps {
		k, ok := dbKinds[dep.Name]
		if !ok {
			continue
		}
		dir := dep.Name
		if dep.Alias != "" {
			dir = dep.Alias
		}
		if s := detectDependencyDB(info, k, dir); s != nil {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		return nil
	}
	// Several servers (bitnami redmine ships postgresql and mariadb, both
	// enabled, and picks one with databaseType): the one the chart's own
	// objects name, by Service, then the first.
	best, bestRefs := found[0], -1
	for _, s := range found {
		if n := countRefs(info, s.Host); n > bestRefs {
			best, bestRefs = s, n
		}
	}
	best.Host = releaseTemplate(best.Host)
	best.Secret = releaseTemplate(best.Secret)
	return best
}

// countRefs counts the chart's own rendered objects (not its subcharts')
// that name obj as a whole word.
func countRefs(info *ChartInfo, obj string) int {
	if obj == "" {
		return 0
	}
	n := 0
	own := info.Chart.Helm.Name() + "/templates/"
	for _, m := range info.Chart.Rendered.Manifests {
		if !strings.HasPrefix(m.Name, own) {
			continue
		}
		for rest := m.Content; ; {
			i := strings.Index(rest, obj)
			if i < 0 {
				break
			}
			end := i + len(obj)
			if (i == 0 || !isNameByte(rest[i-1])) && (end == len(rest) || !isNameByte(rest[end])) {
				n++
			}
			rest = rest[end:]
		}
	}
	return n
}

func isNameByte(b byte) bool {
	return b == '-' || b == '.' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// detectDependencyDB reads the server of one database dependency (kind db,
// rendered under charts/dir/), or nil when it renders none.
func detectDependencyDB(info *ChartInfo, db, dir string) *DBServer {
	s := &DBServer{DB: db, Chart: dir}
	prefix := info.Chart.Helm.Name() + "/charts/" + s.Chart + "/templates/"
	type container struct {
		Name  string `json:"name"`
		Image string `json:"image"`
		Env   []struct {
			Name      string `json:"name"`
			Value     string `json:"value"`
			ValueFrom *struct {
				SecretKeyRef *struct {
					Name string `json:"name"`
					Key  string `json:"key"`
				} `json:"secretKeyRef"`
			} `json:"valueFrom"`
		} `json:"env"`
		Ports []struct {
			ContainerPort int `json:"containerPort"`
		} `json:"ports"`
	}
	var doc struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Data map[string]string `json:"data"`
		Spec struct {
			ClusterIP string `json:"clusterIP"`
			Ports     []struct {
				Port int `json:"port"`
			} `json:"ports"`
			Template struct {
				Spec struct {
					Containers []container `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	env := map[string]string{}
	secretKeys := map[string][]string{}
	var secretRefs []string
	port := map[string]int{"postgresql": 5432, "mysql": 3306, "mariadb": 3306}[s.DB]
	for _, m := range info.Chart.Rendered.Manifests {
		if !strings.HasPrefix(m.Name, prefix) || m.Head == nil {
			continue
		}
		doc.Data, doc.Spec.Ports, doc.Spec.Template.Spec.Containers, doc.Spec.ClusterIP = nil, nil, nil, ""
		if yaml.Unmarshal([]byte(m.Content), &doc) != nil {
			continue
		}
		name := doc.Metadata.Name
		switch doc.Kind {
		case "StatefulSet", "Deployment":
			// The primary (first in Helm's sorted output: primary/ before
			// read/ and secondary/) serves writes and consistent dumps.
			if s.Image != "" || len(doc.Spec.Template.Spec.Containers) == 0 {
				continue
			}
			c := doc.Spec.Template.Spec.Containers[0]
			s.Image = c.Image
			for _, e := range c.Env {
				env[e.Name] = e.Value
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					secretRefs = append(secretRefs, e.Name+"="+e.ValueFrom.SecretKeyRef.Name+"/"+e.ValueFrom.SecretKeyRef.Key)
				}
			}
		case "Secret":
			for k := range doc.Data {
				secretKeys[name] = append(secretKeys[name], k)
			}
		case "Service":
			if doc.Spec.ClusterIP == "None" || strings.HasSuffix(name, "-headless") || strings.HasSuffix(name, "-hl") || strings.Contains(name, "metrics") || strings.Contains(name, "read") || strings.Contains(name, "secondary") {
				continue
			}
			if s.Host == "" && slices.ContainsFunc(doc.Spec.Ports, func(p struct {
				Port int `json:"port"`
			}) bool {
				return p.Port == port
			}) {
				s.Host = name
			}
		}
	}
	if s.Image == "" {
		return nil
	}
	_, s.Version = splitImage(s.Image)
	s.VersionSource = fmt.Sprintf("the image of the %s dependency, %s", s.Chart, s.Image)
	// The superuser dumps every object of the database and restores them
	// with their owners; the application's own user where the chart has no
	// superuser password.
	adminKeys := map[string][]string{"postgresql": {"postgres-password"}, "mysql": {"mysql-root-password"}, "mariadb": {"mariadb-root-password"}}[s.DB]
	adminUser := map[string]string{"postgresql": "postgres", "mysql": "root", "mariadb": "root"}[s.DB]
	var secretNames []string
	for n := range secretKeys {
		secretNames = append(secretNames, n)
	}
	slices.Sort(secretNames)
	for _, n := range secretNames {
		for _, k := range adminKeys {
			if slices.Contains(secretKeys[n], k) {
				s.Secret, s.PasswordKey, s.User = n, k, adminUser
			}
		}
		if s.Secret != "" {
			break
		}
	}
	if s.Secret == "" {
		// The password the server itself reads, as its env references it.
		for _, want := range []string{"POSTGRES_PASSWORD", "POSTGRESQL_PASSWORD", "MYSQL_PASSWORD", "MARIADB_PASSWORD"} {
			for _, r := range secretRefs {
				if n, ref, ok := strings.Cut(r, "="); ok && n == want {
					s.Secret, s.PasswordKey, _ = strings.Cut(ref, "/")
				}
			}
		}
		for _, k := range []string{"POSTGRES_USER", "POSTGRESQL_USERNAME", "MYSQL_USER", "MARIADB_USER"} {
			if env[k] != "" {
				s.User = env[k]
			}
		}
		if s.Secret == "" {
			s.User = ""
		}
	}
	for _, k := range []string{"POSTGRES_DATABASE", "POSTGRES_DB", "POSTGRESQL_DATABASE", "MYSQL_DATABASE", "MARIADB_DATABASE"} {
		if env[k] != "" {
			s.Name = env[k]
		}
	}
	return s
}

// DependencyName is the chart name of the dependency that deploys the
// server (s.Chart is its directory in rendered paths: the alias, if any).
func (s *DBServer) DependencyName(deps []chart.Dependency) string {
	for _, d := range deps {
		if d.Alias == s.Chart {
			return d.Name
		}
	}
	return s.Chart
}

// releaseTemplate spells a rendered object name with the release name as
// {{ .Release.Name }}, so that tpl gives the name for any release.
func releaseTemplate(name string) string {
	if rest, ok := strings.CutPrefix(name, render.DefaultReleaseName); ok {
		return "{{ .Release.Name }}" + rest
	}
	return name
}
