package ui

import (
	"context"
	"testing"
)

// replacedWhileSaving opens the first app on home, types an answer, lets its save start
// and holds that save running; types more while it runs; then goes home and opens the
// other app. It returns the held save and the first app's key.
func replacedWhileSaving(t *testing.T, d *driver) (running func() any, first string) {
	t.Helper()
	d.openApp()
	first = d.m.wizard.ref.Subject
	d.goToSection("Security")
	d.focusQuestion("security-contact")
	d.typeText("sec@example.com")
	// The typing pause ends: the save starts, and does not finish until the test says so.
	_, cmd := d.m.Update(saveTickMsg{seq: d.m.wizard.saveSeq})
	if cmd == nil {
		t.Fatal("the end of the typing pause started no save")
	}
	d.typeText(".au") // typed while the first save runs
	d.press("esc")    // the section list
	d.press("q")      // home (esc there goes back to the question)
	if d.m.screen != screenHome {
		t.Fatalf("esc, q did not go home:\n%s", d.screen())
	}
	d.press("down", "enter")
	if d.m.screen != screenWizard || d.m.wizard.ref.Subject == first {
		t.Fatalf("did not open the other app:\n%s", d.screen())
	}
	return func() any { d.run(cmd); return nil }, first
}

// A draft replaced by another while its save was running keeps saving: the save's result
// goes to its own session, which then saves what was typed meanwhile, not to the draft
// opened since (which had nothing pending, so the answer typed last was dropped).
func TestReplacedDraftFinishesItsSaves(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.alpha", "Alpha")
	createApp(t, s, "com.example.beta", "Beta")
	d := newDriver(t, s, 100, 30)
	finish, first := replacedWhileSaving(t, d)

	finish()
	if v, ok := savedAnswer(t, s, first, "security-contact"); !ok || v.Text != "sec@example.com.au" {
		t.Fatalf("the replaced draft saved %+v (%v), want the whole answer sec@example.com.au", v, ok)
	}
	if len(d.m.closed) != 0 {
		t.Fatalf("%d replaced sessions are kept after saving everything", len(d.m.closed))
	}
	if d.m.session.saving {
		t.Fatal("the replaced draft's save result changed the open draft's save state")
	}
}

// The last save when the program ends (Run) also saves a replaced draft's answers.
func TestLastSaveIncludesAReplacedDraft(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.alpha", "Alpha")
	createApp(t, s, "com.example.beta", "Beta")
	d := newDriver(t, s, 100, 30)
	_, first := replacedWhileSaving(t, d) // the program ends before the save reports

	if err := d.m.saveAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v, ok := savedAnswer(t, s, first, "security-contact"); !ok || v.Text != "sec@example.com.au" {
		t.Fatalf("the last save left %+v (%v) for the replaced draft, want sec@example.com.au", v, ok)
	}
}
