//go:build !unix

package changeset

import (
	"errors"
	"os"
)

var errNoLocks = errors.New("locks not supported")

func tryLock(*os.File, bool) (bool, error) { return false, errNoLocks }
func unlock(*os.File)                      {}
func holder(*os.File) int                  { return 0 }

func private(dir string) bool {
	fi, err := os.Lstat(dir)
	return err == nil && fi.IsDir()
}
