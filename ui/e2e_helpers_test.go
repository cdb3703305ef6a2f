package ui

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Helpers of the end-to-end tests under tmux, beside tmuxTerm (e2e_test.go).

// openFirstApp starts pstab and opens the first app on home.
func (tt *tmuxTerm) openFirstApp() {
	tt.t.Helper()
	tt.start()
	tt.waitFor("Your apps")
	tt.keys("Enter")
}

// waitSaved waits until the header says every answer is saved. Wait first for what was
// typed to show: keys are on their way until then, and the header said saved before them.
func (tt *tmuxTerm) waitSaved() {
	tt.t.Helper()
	tt.waitUntil("the header to say saved", func(s string) bool {
		header := strings.SplitN(s, "\n", 2)[0]
		return strings.Contains(header, "saved ") && !strings.Contains(header, "saving")
	})
}

// sectionList opens a section through the section list, from the questions: esc, then
// ↑ to the first section and ↓ to the one wanted (every section of these drafts is
// shown), then enter. It does not read the list, so that it gets there at any width.
func (tt *tmuxTerm) sectionList(title string) {
	tt.t.Helper()
	s := catalogue12(tt.t).Section(sectionID(tt.t, title))
	tt.keys("Escape")
	// A key sent right after Escape would read as alt+key: wait for the list's footer.
	tt.waitFor("enter open")
	for range 12 {
		tt.keys("Up")
	}
	for range s.Index {
		tt.keys("Down")
	}
	tt.keys("Enter")
	tt.waitFor(strconv.Itoa(s.Index+1) + ". " + title)
}

func sectionID(t *testing.T, title string) string {
	for _, s := range catalogue12(t).Sections {
		if s.Title == title {
			return s.ID
		}
	}
	t.Fatalf("no section %q", title)
	return ""
}

// cliFails runs a pstab command expected to exit 1 and returns its standard output.
func (tt *tmuxTerm) cliFails(args ...string) string {
	tt.t.Helper()
	cmd := exec.Command(tt.bin, args...)
	cmd.Env = append(os.Environ(), tt.env...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		tt.t.Fatalf("pstab %s: %v, want exit 1\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// bundle returns com.acme.t's answers as an exported review bundle has them.
func (tt *tmuxTerm) bundle() map[string]any {
	tt.t.Helper()
	var b struct {
		Answers map[string]any `json:"answers"`
	}
	if err := json.Unmarshal(tt.cli("export", "com.acme.t", "--format", "bundle"), &b); err != nil {
		tt.t.Fatal(err)
	}
	return b.Answers
}

// saveInvalid saves an answer straight into the drafts file, as the wizard keeps a value
// that is not valid yet (pstab set refuses one).
func (tt *tmuxTerm) saveInvalid(key, id string, v questionnaire.Value) {
	tt.t.Helper()
	cats, err := embedded.Catalogues()
	if err != nil {
		tt.t.Fatal(err)
	}
	s, err := store.Open(context.Background(), filepath.Join(tt.dir, "pstab.db"), store.Options{Catalogues: cats})
	if err != nil {
		tt.t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.SaveAnswer(context.Background(), store.DraftRef{Subject: key, Questionnaire: cats.PrivacySecurity.ID}, id, v, store.AnyVersion); err != nil {
		tt.t.Fatal(err)
	}
}

// paste pastes text as a terminal does, in bracketed-paste markers.
func (tt *tmuxTerm) paste(text string) {
	tt.t.Helper()
	buf := "pstab-e2e"
	if out, err := exec.Command("tmux", "-L", tt.socket, "set-buffer", "-b", buf, text).CombinedOutput(); err != nil {
		tt.t.Fatalf("tmux set-buffer: %v\n%s", err, out)
	}
	if out, err := exec.Command("tmux", "-L", tt.socket, "paste-buffer", "-p", "-b", buf, "-t", tt.target()).CombinedOutput(); err != nil {
		tt.t.Fatalf("tmux paste-buffer: %v\n%s", err, out)
	}
}

func catalogue12(t *testing.T) *questionnaire.Catalogue {
	ps, _ := catalogues(t)
	return ps
}

// sameJSON compares decoded JSON values.
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
