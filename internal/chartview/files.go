package chartview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ReadRegular reads a chart file, refusing anything but a regular file
// (symlinks followed): reading a FIFO would block forever, and Helm's loader
// refuses such files too ("cannot load irregular file ... as it has file
// mode type bits set", helm.sh/helm/v4 pkg/chart/v2/loader/directory.go).
func ReadRegular(p string) ([]byte, error) {
	if err := checkRegular(p); err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// irregularError says what a chart file is instead of a regular file.
type irregularError struct{ msg string }

func (e *irregularError) Error() string { return e.msg }

func isIrregular(err error) bool {
	var ie *irregularError
	return errors.As(err, &ie)
}

// checkRegular says what p is when it is not a regular file; an error from
// Stat (e.g. fs.ErrNotExist) is returned as it is.
func checkRegular(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.Mode().IsRegular() {
		return nil
	}
	what := "a special file"
	switch t := fi.Mode().Type(); {
	case fi.IsDir():
		return &irregularError{p + " is a directory; it must be a file"}
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	case t&fs.ModeDevice != 0:
		what = "a device"
	}
	return &irregularError{fmt.Sprintf("%s is %s, which Helm does not load either; replace it with a regular file", p, what)}
}
