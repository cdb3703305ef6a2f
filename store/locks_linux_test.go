package store

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// locksHeld counts the POSIX locks this process holds on path's inode, from /proc/locks.
func locksHeld(t *testing.T, path string) int {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ino := info.Sys().(*syscall.Stat_t).Ino
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Skipf("no /proc/locks: %v", err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 6 && f[1] == "POSIX" && f[4] == fmt.Sprint(os.Getpid()) && strings.HasSuffix(f[5], fmt.Sprintf(":%d", ino)) {
			n++
		}
	}
	return n
}

// TestSecondStoreKeepsTheFirstsLocks: opening (and closing) a second Store on a file that a
// Store of the same process has open must not open and close descriptors of the file or
// its -shm: the kernel would drop every POSIX lock the process holds there, and another
// process could then checkpoint or delete the -wal under the first Store.
func TestSecondStoreKeepsTheFirstsLocks(t *testing.T) {
	s1, path := openTest(t)
	if err := s1.CreateApp(ctxb(), App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Apps(ctxb()); err != nil {
		t.Fatal(err)
	}
	db, shm := locksHeld(t, path), locksHeld(t, path+"-shm")
	if shm == 0 {
		t.Fatal("the open Store holds no lock on -shm: the oracle sees nothing")
	}
	for _, ro := range []bool{false, true} {
		s2, err := openOpts(t, path, ro)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s2.Apps(ctxb()); err != nil {
			t.Fatal(err)
		}
		s2.Close()
		if d, s := locksHeld(t, path), locksHeld(t, path+"-shm"); d < db || s < shm {
			t.Errorf("after a second Store (read-only %v) came and went, the first holds %d locks on the file (had %d) and %d on -shm (had %d)", ro, d, db, s, shm)
		}
	}
}
