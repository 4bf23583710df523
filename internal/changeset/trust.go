package changeset

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// A journal is an instruction to rename and delete files, so it is only
// followed when hookgen wrote it: it carries an HMAC-SHA256 keyed with a
// secret that never leaves the user's configuration directory, and the
// SHA-256 of every temporary file and backup it names. A journal that comes
// with a chart (downloaded, vendored, checked out) fails the check and is
// reported by name; neither it nor any file is touched.

// keyDirs are where the user's journal key may live, in order: the user's
// configuration directory, then a private directory under the system's
// temporary directory (for a home that cannot be written). Tests replace it.
var keyDirs = func() []string {
	var dirs []string
	if d, err := os.UserConfigDir(); err == nil {
		dirs = append(dirs, filepath.Join(d, "hookgen"))
	}
	return append(dirs, filepath.Join(os.TempDir(), "hookgen-"+strconv.Itoa(os.Getuid())))
}

const keyName = "journal-key"

// journalKey reads the user's key, creating it (0600, in a 0700 directory)
// when create is set and there is none.
func journalKey(create bool) ([]byte, error) {
	dirs := keyDirs()
	for _, d := range dirs {
		if k, err := os.ReadFile(filepath.Join(d, keyName)); err == nil && len(k) >= 32 && private(d) {
			return k, nil
		}
	}
	if !create {
		return nil, fmt.Errorf("this user has no hookgen journal key (in %s)", dirs[0])
	}
	var errs []error
	for _, d := range dirs {
		k, err := createKey(d)
		if err == nil {
			return k, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("cannot create the journal key: %w", errors.Join(errs...))
}

func createKey(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if !private(dir) {
		return nil, fmt.Errorf("%s is not a directory only this user can use", dir)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, keyName)
	tmp := p + "." + randomID()
	if err := writeFile(tmp, []byte(hex.EncodeToString(k)), 0o600); err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	// Two first runs at once: the first link wins, both use its key.
	if err := os.Link(tmp, p); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	k, err := os.ReadFile(p)
	if err == nil && len(k) < 32 {
		err = fmt.Errorf("%s is too short", p)
	}
	return k, err
}

// seal sets j.MAC.
func seal(j *journal) error {
	key, err := journalKey(true)
	if err != nil {
		return err
	}
	j.MAC = ""
	j.MAC = hex.EncodeToString(mac(key, j))
	return nil
}

func mac(key []byte, j *journal) []byte {
	c := *j
	c.MAC = ""
	data, _ := json.Marshal(&c)
	h := hmac.New(sha256.New, key)
	h.Write(data)
	return h.Sum(nil)
}

// trusted reports whether hookgen, as this user, wrote j.
func trusted(j *journal) error {
	key, err := journalKey(false)
	if err != nil {
		return err
	}
	got, err := hex.DecodeString(j.MAC)
	if err != nil || !hmac.Equal(got, mac(key, j)) {
		return errors.New("its signature does not match this user's hookgen key")
	}
	return nil
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// sameSum reports whether the file p holds content with SHA-256 want.
// Only regular files are read (a FIFO never blocks recovery).
func sameSum(p, want string) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return bytes.Equal([]byte(hex.EncodeToString(h.Sum(nil))), []byte(want))
}
