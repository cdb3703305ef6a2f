//go:build unix

package store

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// oNoFollow makes an open fail on a symbolic link instead of following it.
const oNoFollow = syscall.O_NOFOLLOW

// access says whether this process may write to the file or folder at path. The kernel
// answers (a read-only mount, an immutable file, permissions); a path whose mode has no
// write bit at all counts as read-only even for root, who could write it anyway: the user
// made it read-only on purpose.
func access(path string, info fs.FileInfo) writeAccess {
	err := syscall.Access(path, 0x2 /* W_OK */)
	switch {
	case errors.Is(err, syscall.EROFS):
		return onReadOnlyMedium
	case err != nil || info.Mode().Perm()&0o222 == 0:
		return cannotWrite
	}
	return canWrite
}

// othersMayWrite reports whether users other than the owner and group may write to the
// folder.
func othersMayWrite(info fs.FileInfo) bool {
	return info.Mode().Perm()&0o002 != 0
}

// chmodPrivate keeps only the bits of keep in the mode of path, a regular file (or, with
// dir, a folder) owned by this user, and returns the mode before and after. It opens the
// path without following a link and changes what it opened, so that a link swapped in
// cannot redirect the change; a missing path, or one that is not the user's, is left as it
// is (from == to).
func chmodPrivate(path string, keep fs.FileMode, dir bool) (from, to fs.FileMode, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	if errors.Is(err, syscall.ELOOP) {
		return 0, 0, errors.New("it is a symbolic link")
	}
	if err != nil {
		return 0, 0, unwrapPath(err)
	}
	defer f.Close()
	from, to, err = NarrowMode(f, keep, dir)
	return from, to, unwrapPath(err)
}

// NarrowMode keeps only the bits of keep in the mode of the open file f, if it is a
// regular file (or, with dir, a folder) owned by this user, and returns the mode before and
// after (equal when nothing changed). Changing what is open, not a path, is what makes it
// safe against a link swapped in; pstab's debug log uses it too.
func NarrowMode(f *os.File, keep fs.FileMode, dir bool) (from, to fs.FileMode, err error) {
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	from = info.Mode().Perm()
	if info.IsDir() != dir || !info.Mode().IsDir() && !info.Mode().IsRegular() {
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
