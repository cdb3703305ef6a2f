package ui

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The real binary under tmux, with another pstab changing the same drafts file: a change
// to a different question merges and the wizard's answer survives ctrl+c; a change to the
// same question keeps the wizard's answer in a file that the exit message names.
func TestConflictsUnderTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test needs it (.ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	const key = "com.example.e2e"
	tt := newTmuxTerm(t)
	tt.cli("new", key, "--name", "E2E Cloud")
	prompt := "┃ Does your app store End-User Data"

	// Another pstab answers another question while the wizard is open.
	tt.start()
	tt.waitFor("Your apps", "E2E Cloud")
	tt.keys("Enter")
	tt.waitFor(prompt)
	tt.cli("set", key, "logs-eud", "yes")
	tt.keys("y")
	tt.waitFor("Another pstab changed logs-eud", "merged")
	tt.keys("C-c")
	if code := tt.exitCode(); code != 130 {
		t.Fatalf("exit %d after ctrl+c, want 130:\n%s", code, tt.screen())
	}
	payload := string(tt.cli("export", key, "--format", "payload"))
	for _, want := range []string{`"appStoresEUDOutsideAtlassian": true`, `"logEndUserData": true`} {
		if !strings.Contains(payload, want) {
			t.Errorf("after the merge and ctrl+c the draft lacks %s:\n%s", want, payload)
		}
	}

	// Another pstab answers the very question the wizard is on.
	tt.cli("unset", key, "stores-eud")
	tt.start()
	tt.waitFor("Your apps", "E2E Cloud")
	tt.keys("Enter")
	tt.waitFor(prompt)
	tt.cli("set", key, "stores-eud", "no")
	tt.keys("y")
	tt.waitFor("changed elsewhere")
	tt.keys("C-c")
	if code := tt.exitCode(); code != 1 {
		t.Fatalf("exit %d after ctrl+c with a collision, want 1:\n%s", code, tt.screen())
	}
	tt.waitFor("kept in")
	t.Logf("the exit message:\n%s", strings.TrimSpace(tt.last))
	files, _ := filepath.Glob(filepath.Join(tt.dir, "unsaved-"+key+"-*.json"))
	if len(files) != 1 {
		t.Fatalf("kept files %v, want one; the screen:\n%s", files, tt.last)
	}
	if !strings.Contains(strings.ReplaceAll(tt.last, "\n", ""), filepath.Base(files[0])) {
		t.Errorf("the exit message does not name %s:\n%s", files[0], tt.last)
	}
	if out := string(tt.cli("export", "--file", files[0], "--format", "payload")); !strings.Contains(out, `"appStoresEUDOutsideAtlassian": true`) {
		t.Errorf("the kept file does not hold the wizard's Yes:\n%s", out)
	}
	if payload := string(tt.cli("export", key, "--format", "payload")); !strings.Contains(payload, `"appStoresEUDOutsideAtlassian": false`) {
		t.Errorf("the other pstab's No was overwritten:\n%s", payload)
	}
}
