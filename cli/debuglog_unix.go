//go:build unix

package cli

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// oNoFollow makes an open fail on a symbolic link instead of following it.
const oNoFollow = syscall.O_NOFOLLOW

func isLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }

// narrowOpen keeps only the bits of keep in the mode of the open file f, if it is a
// regular file (or, with dir, a folder) of this user's; it returns the mode before and
// after (equal when nothing changed).
func narrowOpen(f *os.File, keep fs.FileMode, dir bool) (from, to fs.FileMode, err error) {
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	from = info.Mode().Perm()
	if info.IsDir() != dir || !info.IsDir() && !info.Mode().IsRegular() {
		return from, from, nil
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return from, from, nil
	}
	if to = from & keep; to == from {
		return from, to, nil
	}
	if err := f.Chmod(to); err != nil {
		return from, from, err
	}
	return from, to, nil
}
