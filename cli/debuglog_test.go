package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// logRun is what opening the debug log said.
type logRun struct{ err string }

// openLog opens and closes the debug log as a command run with --debug does.
func openLog(env map[string]string) logRun {
	var errb bytes.Buffer
	a := &App{Err: &errb, Getenv: func(k string) string { return env[k] }}
	a.logger().Info("test")
	a.closeLog()
	return logRun{errb.String()}
}

// TestDebugLogIsPrivate: the debug log and pstab's cache folder are narrowed to the user
// when they are more open, and a link at the log's name is not followed.
func TestDebugLogIsPrivate(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, "pstab")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	log := filepath.Join(dir, "debug.log")
	if err := os.WriteFile(log, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(log, 0o644)
	env := map[string]string{"XDG_CACHE_HOME": cache, "PSTAB_DEBUG": "1", "HOME": cache}
	r := openLog(env)
	for p, want := range map[string]os.FileMode{dir: 0o700, log: 0o600} {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %04o", p, info.Mode().Perm(), err, want)
		}
	}
	if !strings.Contains(r.err, "pstab set it to 0600") || !strings.Contains(r.err, "pstab set it to 0700") {
		t.Errorf("the narrowing was not said: %q", r.err)
	}

	// A link in place of the log: not followed, its target untouched.
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(victim, 0o644)
	os.Remove(log)
	if err := os.Symlink(victim, log); err != nil {
		t.Fatal(err)
	}
	r = openLog(env)
	if !strings.Contains(r.err, "is a symbolic link") {
		t.Errorf("%q; want a note that the log is a link", r.err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	if info, _ := os.Stat(victim); info.Mode().Perm() != 0o644 {
		t.Errorf("the link's target's mode changed: %v", info.Mode())
	}
}
