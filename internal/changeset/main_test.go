package changeset

import (
	"os"
	"testing"
)

// TestMain keeps the journal key of the tests (and of the child processes
// of the kill test) out of the user's configuration directory.
func TestMain(m *testing.M) {
	if os.Getenv("HOOKGEN_TEST_KEYS") == "" {
		d, err := os.MkdirTemp("", "hookgen-keys")
		if err != nil {
			panic(err)
		}
		os.Setenv("HOOKGEN_TEST_KEYS", d)
		os.Setenv("XDG_CONFIG_HOME", d)
		code := m.Run()
		os.RemoveAll(d)
		os.Exit(code)
	}
	os.Exit(m.Run())
}
