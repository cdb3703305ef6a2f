package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// mountReadOnly bind-mounts a copy of dir read-only and returns the mount point; the test
// is skipped where mounting is not allowed (not root, no mount namespace).
func mountReadOnly(t *testing.T, dir string) string {
	t.Helper()
	mnt := t.TempDir()
	if err := syscall.Mount(dir, mnt, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount here (%v): the read-only medium is tested where it can be", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only (%v)", err)
	}
	return mnt
}

// mountReadOnlyOrNil takes a read-only copy of dir as it is now, mounted, or "" where
// mounting is not allowed.
func mountReadOnlyOrNil(t *testing.T, dir string) string {
	t.Helper()
	cp := t.TempDir()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(cp, e.Name()), b, 0o600)
	}
	mnt := t.TempDir()
	if syscall.Mount(cp, mnt, "", syscall.MS_BIND, "") != nil {
		return ""
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	if syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, "") != nil {
		return ""
	}
	return mnt
}
