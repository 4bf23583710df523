package generators

import (
	"fmt"
	"strings"
)

// Framework is a migration tool hookgen knows: the command a migration (and
// a seed, where the tool has one) runs, on the app's own image, or on the
// tool's own image with the migration files copied in from the app's image.
// The database connection always comes from the app's context (its env,
// envFrom and config volumes), named in Connection.
type Framework struct {
	Name    string
	Summary string
	Migrate []string
	// Seed is nil where the tool has no seed command.
	Seed []string
	// Image is the tool's own image at a pinned tag; "" runs on the app's
	// image. With an image, FilesDir is where the tool reads the migration
	// files and AppDir the default directory that holds them in the app's
	// image (an init container on the app's image copies them over).
	Image    string
	FilesDir string
	AppDir   string
	// Connection says which of the app's variables the tool reads.
	Connection string
}

// Frameworks is the table --framework chooses from, in the order help and
// prompts list it.
var Frameworks = []Framework{
	{Name: "rails", Summary: "Ruby on Rails (Active Record)",
		Migrate: []string{"bundle", "exec", "rails", "db:migrate"}, Seed: []string{"bundle", "exec", "rails", "db:seed"},
		Connection: "DATABASE_URL or config/database.yml"},
	{Name: "django", Summary: "Django",
		Migrate:    []string{"python", "manage.py", "migrate", "--noinput"},
		Connection: "the settings module's DATABASES (DJANGO_SETTINGS_MODULE)"},
	{Name: "alembic", Summary: "Alembic (SQLAlchemy)",
		Migrate:    []string{"alembic", "upgrade", "head"},
		Connection: "alembic.ini / env.py (usually DATABASE_URL)"},
	{Name: "flask-migrate", Summary: "Flask-Migrate",
		Migrate:    []string{"flask", "db", "upgrade"},
		Connection: "SQLALCHEMY_DATABASE_URI via the app's config (FLASK_APP)"},
	{Name: "laravel", Summary: "Laravel (Artisan)",
		Migrate: []string{"php", "artisan", "migrate", "--force"}, Seed: []string{"php", "artisan", "db:seed", "--force"},
		Connection: "DB_CONNECTION, DB_HOST, DB_DATABASE, DB_USERNAME, DB_PASSWORD"},
	{Name: "prisma", Summary: "Prisma Migrate",
		Migrate: []string{"npx", "prisma", "migrate", "deploy"}, Seed: []string{"npx", "prisma", "db", "seed"},
		Connection: "DATABASE_URL (schema.prisma)"},
	{Name: "knex", Summary: "Knex.js",
		Migrate: []string{"npx", "knex", "migrate:latest"}, Seed: []string{"npx", "knex", "seed:run"},
		Connection: "knexfile (usually DATABASE_URL)"},
	{Name: "sequelize", Summary: "Sequelize CLI",
		Migrate: []string{"npx", "sequelize-cli", "db:migrate"}, Seed: []string{"npx", "sequelize-cli", "db:seed:all"},
		Connection: "config/config.json or DATABASE_URL (use_env_variable)"},
	{Name: "typeorm", Summary: "TypeORM (compiled data source at dist/data-source.js)",
		Migrate:    []string{"npx", "typeorm", "migration:run", "-d", "dist/data-source.js"},
		Connection: "the data source (usually DATABASE_URL or DB_* variables)"},
	{Name: "ecto", Summary: "Elixir Ecto in a Phoenix release (bin/migrate from mix phx.gen.release)",
		Migrate:    []string{"/app/bin/migrate"},
		Connection: "DATABASE_URL (config/runtime.exs)"},
	{Name: "goose", Summary: "goose, in the app's image",
		Migrate:    []string{"goose", "up"},
		Connection: "GOOSE_DRIVER, GOOSE_DBSTRING and GOOSE_MIGRATION_DIR"},
	{Name: "golang-migrate", Summary: "golang-migrate, its own image",
		Migrate: []string{"migrate", "-path", "/migrations", "-database", "$(DATABASE_URL)", "up"},
		Image:   "migrate/migrate:v4.18.3", FilesDir: "/migrations", AppDir: "/app/migrations",
		Connection: "DATABASE_URL (Kubernetes expands $(DATABASE_URL) from the container's env)"},
	{Name: "atlas", Summary: "Atlas versioned migrations, its own image",
		Migrate: []string{"/atlas", "migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"},
		Image:   "arigaio/atlas:0.36.0", FilesDir: "/migrations", AppDir: "/app/migrations",
		Connection: "DATABASE_URL (Kubernetes expands $(DATABASE_URL) from the container's env)"},
	{Name: "flyway", Summary: "Flyway, its own image",
		Migrate: []string{"flyway", "-locations=filesystem:/flyway/sql", "migrate"},
		Image:   "flyway/flyway:11.10.0", FilesDir: "/flyway/sql", AppDir: "/app/db/migration",
		Connection: "FLYWAY_URL, FLYWAY_USER, FLYWAY_PASSWORD"},
	{Name: "liquibase", Summary: "Liquibase, its own image",
		Migrate: []string{"liquibase", "--search-path=/liquibase/changelog", "--changelog-file=changelog.xml", "update"},
		Image:   "liquibase/liquibase:4.33.0", FilesDir: "/liquibase/changelog", AppDir: "/app/db/changelog",
		Connection: "LIQUIBASE_COMMAND_URL, LIQUIBASE_COMMAND_USERNAME, LIQUIBASE_COMMAND_PASSWORD"},
	{Name: "dbmate", Summary: "dbmate, its own image",
		Migrate: []string{"dbmate", "--migrations-dir", "/db/migrations", "--no-dump-schema", "up"},
		Image:   "ghcr.io/amacneil/dbmate:2.28.0", FilesDir: "/db/migrations", AppDir: "/app/db/migrations",
		Connection: "DATABASE_URL"},
	{Name: "sqitch", Summary: "Sqitch, its own image",
		Migrate: []string{"sqitch", "--chdir", "/repo", "deploy"},
		Image:   "sqitch/sqitch:1.5.2", FilesDir: "/repo", AppDir: "/app/sqitch",
		Connection: "SQITCH_TARGET (a database URI), SQITCH_PASSWORD"},
}

// LookupFramework finds a framework by name.
func LookupFramework(name string) (Framework, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, f := range Frameworks {
		if f.Name == n {
			return f, true
		}
	}
	return Framework{}, false
}

// FrameworkNames lists the framework names, for messages and completion.
func FrameworkNames() []string {
	var out []string
	for _, f := range Frameworks {
		out = append(out, f.Name)
	}
	return out
}

// Command is the framework's command for a task, or an error saying what to
// pass instead.
func (f Framework) Command(t Task) ([]string, error) {
	return t.does().frameworkCommand(f)
}

// note explains what a framework's hook runs and what it needs.
func (f Framework) note(task, valuesPath string, cmd []string) string {
	if f.Image == "" {
		return fmt.Sprintf("--framework %s: the %s runs %q on the app's image, with the app's env and config (%s)", f.Name, task, strings.Join(cmd, " "), f.Connection)
	}
	return fmt.Sprintf("--framework %s: the %s runs %q on %s; an init container on the app's image copies the migration files from %s (%s.migrations.appDir) into %s; the connection comes from the app's env: %s", f.Name, task, strings.Join(cmd, " "), f.Image, f.AppDir, valuesPath, f.FilesDir, f.Connection)
}
