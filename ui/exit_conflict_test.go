package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// typedButUnsaved opens the wizard on a fresh drafts file, goes to the security contact
// and types an address without letting the typing pause pass: the answer is pending when
// the partner leaves. It returns the driver, the other pstab's store and the file's path.
func typedButUnsaved(t *testing.T, otherChanges func(other *store.Store)) (*driver, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "pstab.db")
	s := openStore(t, path)
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	otherChanges(openStore(t, path))
	d.goToSection("Security")
	d.focusQuestion("security-contact")
	d.typeText("mine@example.com")
	if !d.m.session.unsaved() {
		t.Fatal("the typed answer was saved before the exit: the test would prove nothing")
	}
	return d, dir
}

// exitConfig is the configuration finish sees, keeping what cannot be saved in dir.
func exitConfig(t *testing.T, d *driver, dir string) Config {
	cfg := testConfig(t, d.s)
	cfg.KeepDir = dir
	cfg.Out = &strings.Builder{}
	return cfg
}

// ctrl+c right after typing, while another pstab changed a different question: the
// wizard's answer survives (merged on exit), and so does the other pstab's. On the old
// store the exit said "Your last answers could not be saved … answer again" and exit 1.
func TestExitMergesAChangeToAnotherQuestion(t *testing.T) {
	d, dir := typedButUnsaved(t, func(other *store.Store) {
		setAnswer(t, other, appKey, "logs-eud", questionnaire.Bool(true))
	})
	d.press("ctrl+c")
	code, err := finish(d.m, exitConfig(t, d, dir), 130, nil)
	if err != nil || code != 130 {
		t.Fatalf("finish: %d, %v; want 130 and no error", code, err)
	}
	if v, ok := savedAnswer(t, d.s, appKey, "security-contact"); !ok || v.Text != "mine@example.com" {
		t.Errorf("the wizard's answer did not survive ctrl+c: %+v %v", v, ok)
	}
	if v, ok := savedAnswer(t, d.s, appKey, "logs-eud"); !ok || v.Bool == nil || !*v.Bool {
		t.Errorf("the other pstab's answer was lost: %+v %v", v, ok)
	}
}

// ctrl+c (or q, SIGHUP, SIGTERM: they all end in finish) after typing an answer another
// pstab changed too: the other's answer stays in the draft, the wizard's is kept in a
// file, and the message says which answer and where; pstab review can read the file.
func TestExitKeepsAnAnswerThatCollides(t *testing.T) {
	d, dir := typedButUnsaved(t, func(other *store.Store) {
		setAnswer(t, other, appKey, "security-contact", questionnaire.Text("theirs@example.com"))
	})
	d.press("ctrl+c")
	code, err := finish(d.m, exitConfig(t, d, dir), 130, nil)
	if code != 1 || err == nil {
		t.Fatalf("finish: %d, %v; want 1 and a message", code, err)
	}
	if v, _ := savedAnswer(t, d.s, appKey, "security-contact"); v.Text != "theirs@example.com" {
		t.Errorf("the other pstab's answer was overwritten: %+v", v)
	}
	msg := err.Error()
	files, _ := filepath.Glob(filepath.Join(dir, "unsaved-"+appKey+"-*.json"))
	if len(files) != 1 {
		t.Fatalf("kept files %v, want one; message: %s", files, msg)
	}
	for _, want := range []string{"security-contact", "another pstab changed security-contact", files[0], "pstab review " + files[0]} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message does not say %q: %s", want, msg)
		}
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := catalogues(t)
	b, _, err := ps.DecodeBundle(data)
	if err != nil {
		t.Fatalf("the kept file is not a bundle pstab reads: %v", err)
	}
	if v, _ := b.Answers.Get("security-contact"); v.Text != "mine@example.com" || b.AppKey != appKey {
		t.Errorf("the kept file holds %+v for %s", b.Answers.Values, b.AppKey)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the kept file's mode: %v %v", st.Mode(), err)
	}
}

// The same on q: quitting with a colliding answer keeps it too.
func TestQuitKeepsAnAnswerThatCollides(t *testing.T) {
	d, dir := typedButUnsaved(t, func(other *store.Store) {
		setAnswer(t, other, appKey, "security-contact", questionnaire.Text("theirs@example.com"))
	})
	d.press("esc", "esc", "q")
	_, err := finish(d.m, exitConfig(t, d, dir), 0, nil)
	if err == nil || !strings.Contains(err.Error(), "kept in "+dir) {
		t.Fatalf("finish after q: %v", err)
	}
}

// A wait the store announces (the drafts file busy in another pstab) shows in the status
// line until the save that waited ends, at 80 columns in its short form.
func TestStoreWaitShowsInTheStatusLine(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	for _, tc := range []struct {
		width int
		want  string
		key   string // an answer that differs from the one saved, so that it saves
	}{{120, "waiting for another pstab to finish with pstab.db", "y"}, {80, "waiting for another pstab…", "n"}} {
		d := wizardOn(t, s, tc.width, 30)
		d.send(waitingMsg{text: "waiting for another pstab to finish with pstab.db"})
		d.wantScreen(tc.want)
		d.press(tc.key) // a save that ends: the wait is over
		d.dontWantScreen("waiting for another pstab")
		d.send(waitingMsg{text: "waiting for another pstab to finish with pstab.db"})
		d.send(waitingDoneMsg{seq: d.m.waitingSeq})
		d.dontWantScreen("waiting for another pstab")
	}
}
