package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadOnlyMediumReadsAndRefusesWrites: a drafts file on a read-only mount (a backup)
// can be listed, previewed, exported and compared; a writing command says the medium is
// read-only, not to chmod it.
func TestReadOnlyMediumReadsAndRefusesWrites(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "stores-eud", "yes")
	e.must("savepoint", "com.example.app")
	mnt := t.TempDir()
	if err := syscall.Mount(filepath.Dir(e.db), mnt, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount here (%v)", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only (%v)", err)
	}
	ro := &dbEnv{t: t, db: filepath.Join(mnt, "pstab.db")}
	before := tree(t, mnt)
	out := filepath.Join(t.TempDir(), "listing.md")
	for _, args := range [][]string{
		{"apps"}, {"preview", "com.example.app", "--plain"}, {"diff", "com.example.app"}, {"history", "com.example.app"},
		{"export", "com.example.app", "--format", "markdown", "-o", out},
	} {
		r := ro.run("", args...)
		if r.code != 0 {
			t.Errorf("pstab %s on a read-only medium: exit %d %q", strings.Join(args, " "), r.code, r.err)
		}
		if args[0] == "export" && !strings.Contains(r.err, "the export is not in com.example.app's history") {
			t.Errorf("export did not say it could not record itself: %q", r.err)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the export was not written: %v", err)
	}
	r := ro.run("", "set", "com.example.app", "stores-eud", "no")
	if r.code == 0 || !strings.Contains(r.err, "read-only medium") || strings.Contains(r.err, "chmod") {
		t.Errorf("set on a read-only medium: exit %d %q", r.code, r.err)
	}
	if after := tree(t, mnt); after != before {
		t.Error("the read-only medium's files changed")
	}
}
