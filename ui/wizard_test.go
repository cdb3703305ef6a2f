package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

const appKey = "com.example.app"

// wizardOn opens the app's draft in the wizard at width × height.
func wizardOn(t *testing.T, s *store.Store, width, height int) *driver {
	t.Helper()
	d := newDriver(t, s, width, height)
	d.openApp()
	return d
}

// goToSection opens a section through the section list (esc, ↑/↓, enter).
func (d *driver) goToSection(title string) {
	d.tb.Helper()
	w := d.m.wizard
	for i := 0; i < 3 && !w.sidebar; i++ {
		d.press("esc") // the first esc may stop adding a list item
	}
	if !w.sidebar {
		d.tb.Fatalf("esc did not open the section list:\n%s", d.screen())
	}
	for range len(w.cat.Sections) {
		if w.cat.Sections[w.sideCursor].Title == title {
			d.press("enter")
			if got := w.cat.Sections[w.section].Title; got != title {
				d.tb.Fatalf("opened section %q, want %q", got, title)
			}
			return
		}
		d.press("up")
	}
	for range len(w.cat.Sections) {
		if w.cat.Sections[w.sideCursor].Title == title {
			d.press("enter")
			return
		}
		d.press("down")
	}
	d.tb.Fatalf("section %q is not in the section list:\n%s", title, d.screen())
}

func prompt(t *testing.T, id string) string {
	t.Helper()
	ps, _ := catalogues(t)
	q := ps.Question(id)
	if q == nil {
		t.Fatalf("no question %s in the catalogue", id)
	}
	// The first words are sure to be on one line however the prompt wraps.
	words := strings.Fields(q.Prompt)
	return strings.Join(words[:min(5, len(words))], " ")
}

func shownIDs(w *wizard) []string {
	ids := make([]string, len(w.blocks))
	for i, b := range w.blocks {
		ids[i] = b.q.ID
	}
	return ids
}

func TestOpenLandsOnFirstUnansweredQuestion(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(false))
	setAnswer(t, s, appKey, "processes-eud", questionnaire.Bool(false))

	d := wizardOn(t, s, 100, 30)
	if got := d.focused(); got != "logs-eud" {
		t.Fatalf("focus on %q, want the first unanswered question logs-eud:\n%s", got, d.screen())
	}
	d.wantScreen("2. Logging", prompt(t, "logs-eud"))
}

func TestOpenResumesWhereThePartnerLeftOff(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	if err := s.SetResume(context.Background(), psRef(t, appKey), "security", "security-policy"); err != nil {
		t.Fatal(err)
	}
	d := wizardOn(t, s, 100, 30)
	if got := d.focused(); got != "security-policy" {
		t.Fatalf("focus on %q, want security-policy where the partner left off", got)
	}
	d.wantScreen(prompt(t, "security-policy"))
}

func TestFollowUpAppearsAndHidesInTheSameSection(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	if got := d.focused(); got != "stores-eud" {
		t.Fatalf("a fresh draft should open on stores-eud, not %q", got)
	}
	follow := prompt(t, "stored-data-types")
	d.dontWantScreen(follow)

	// ↓ in the select moves the answer from "Not answered" to Yes: the follow-up is shown
	// at once, in the same section, and focus stays on the question.
	d.press("down")
	if v, _ := d.m.wizard.answers.Get("stores-eud"); v.Bool == nil || !*v.Bool {
		t.Fatalf("↓ did not answer Yes: %+v", v)
	}
	d.wantScreen(follow)
	if got := shownIDs(d.m.wizard); !contains(got, "stored-data-types") {
		t.Fatalf("blocks %v lack the follow-up", got)
	}
	if d.focused() != "stores-eud" || d.m.wizard.section != 0 {
		t.Fatalf("revealing the follow-up moved focus to %s in section %d", d.focused(), d.m.wizard.section)
	}

	// Answer the follow-up, so that hiding it can be seen to keep the answer.
	d.focusQuestion("stored-data-types")
	d.typeText("Email addresses")
	d.press("enter", "esc")
	d.press("shift+tab")
	if d.focused() != "stores-eud" {
		t.Fatalf("shift+tab went to %s", d.focused())
	}

	// ↓ again: No. The follow-up goes; its answer stays in the draft and in the store.
	d.press("down")
	if v, _ := d.m.wizard.answers.Get("stores-eud"); v.Bool == nil || *v.Bool {
		t.Fatalf("↓ did not answer No: %+v", v)
	}
	d.dontWantScreen(follow)
	if got := shownIDs(d.m.wizard); contains(got, "stored-data-types") {
		t.Fatalf("blocks %v still show the hidden follow-up", got)
	}
	if v, ok := savedAnswer(t, s, appKey, "stored-data-types"); !ok || strings.Join(v.List, "|") != "Email addresses" {
		t.Fatalf("the hidden follow-up's answer was not kept in the store: %+v %v", v, ok)
	}
	if v, ok := savedAnswer(t, s, appKey, "stores-eud"); !ok || v.Bool == nil || *v.Bool {
		t.Fatalf("the No was not saved: %+v %v", v, ok)
	}

	// y brings it back with its answer in place.
	d.press("y")
	d.wantScreen(follow, "Email addresses")
}

func TestTypedAnswerIsSavedAfterThePause(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	d.goToSection("Security")
	d.focusQuestion("security-contact")
	d.typeText("security@example.com")

	if _, ok := savedAnswer(t, s, appKey, "security-contact"); ok {
		t.Fatal("the answer was saved while the partner was still typing")
	}
	if got := d.m.wizard.Status(); !strings.Contains(got, "saving") {
		t.Fatalf("status %q while an answer waits, want saving…", got)
	}
	// A tick from an older keystroke does nothing.
	d.send(saveTickMsg{seq: d.m.wizard.saveSeq - 1})
	if _, ok := savedAnswer(t, s, appKey, "security-contact"); ok {
		t.Fatal("a stale typing tick saved the answer")
	}
	d.flushTyping()
	if v, ok := savedAnswer(t, s, appKey, "security-contact"); !ok || v.Text != "security@example.com" {
		t.Fatalf("after the pause the store has %+v %v", v, ok)
	}
	d.wantScreen("saved " + testNow.Format("15:04:05"))
}

func TestLeavingAFieldWithAWrongValueShowsTheEnginesMessage(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	d.goToSection("Security")
	d.focusQuestion("security-policy")
	const bad = "http://example.com/security"
	d.typeText(bad)
	ps, _ := catalogues(t)
	problems := ps.Question("security-policy").Check(questionnaire.Text(bad))
	if len(problems) == 0 {
		t.Fatal("the engine accepts an http:// link; the test needs a refused value")
	}
	want := "✗ " + problems[0].Message[:min(40, len(problems[0].Message))]
	d.dontWantScreen(want) // not while typing
	d.press("tab")
	d.wantScreen(want)

	// Fixing it and leaving again clears the message.
	d.press("shift+tab")
	for range len(bad) {
		d.press("backspace")
	}
	d.typeText("https://example.com/security")
	d.press("tab")
	d.dontWantScreen("✗ ")
}

func TestSavePoint(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	d.press("n") // stores-eud: No
	d.press("ctrl+s")
	d.wantScreen("Save point message")
	d.typeText("first pass")
	d.press("enter")

	revs, err := s.Revisions(context.Background(), psRef(t, appKey))
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 || revs[0].Message != "first pass" {
		t.Fatalf("revisions %+v, want one save point 'first pass'", revs)
	}
	ans, err := s.RevisionAnswers(context.Background(), psRef(t, appKey), revs[0].Number)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := ans.Get("stores-eud"); !ok || v.Bool == nil || *v.Bool {
		t.Fatalf("the save point lacks the answer given just before: %+v %v", v, ok)
	}
	d.wantScreen("Save point 1 made at")

	// esc cancels the dialog without a save point.
	d.press("ctrl+s", "esc")
	if revs, _ := s.Revisions(context.Background(), psRef(t, appKey)); len(revs) != 1 {
		t.Fatalf("esc made a save point: %+v", revs)
	}
}

func TestCtrlCSavesAPendingAnswerBeforeQuitting(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)
	d.goToSection("Security")
	d.focusQuestion("security-contact")
	d.typeText("sec@example.com")
	if d.m.wizard.unsaved() == false {
		t.Fatal("the typed answer should still be pending")
	}
	d.press("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if d.m.exitCode != 130 {
		t.Fatalf("exit code %d, want 130", d.m.exitCode)
	}
	if v, ok := savedAnswer(t, s, appKey, "security-contact"); !ok || v.Text != "sec@example.com" {
		t.Fatalf("ctrl+c lost the pending answer: %+v %v", v, ok)
	}
}

// Another pstab's change to the same question collides: the save is refused, the banner
// says so, and a reload keeps the partner's answer on top and saves it. (Until issue 14
// any change to the draft collided; a change to another question now merges, see
// TestChangeToAnotherQuestionMerges.)
func TestConflictShowsBannerAndReloadKeepsTheUnsavedAnswer(t *testing.T) {
	path := t.TempDir() + "/pstab.db"
	s := openStore(t, path)
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)

	// Another pstab on the same file answers the question the wizard shows, No.
	other := openStore(t, path)
	setAnswer(t, other, appKey, "stores-eud", questionnaire.Bool(false))

	// Our answer to it now meets a newer one: the save is refused and the banner says so.
	d.press("y") // stores-eud: Yes
	d.wantScreen("Another pstab changed this draft", "changed elsewhere")
	if v, _ := savedAnswer(t, s, appKey, "stores-eud"); v.Bool == nil || *v.Bool {
		t.Fatal("the conflicting save went through")
	}
	if v, _ := d.m.wizard.answers.Get("stores-eud"); v.Bool == nil || !*v.Bool {
		t.Fatal("the refused answer is no longer on screen")
	}

	d.press("ctrl+r")
	d.dontWantScreen("Another pstab changed this draft", "changed elsewhere")
	d.wantScreen("Reloaded the draft", "Your unsaved answers")
	w := d.m.wizard
	if v, _ := w.answers.Get("stores-eud"); v.Bool == nil || !*v.Bool {
		t.Fatalf("the unsaved answer was lost by the reload: %+v", v)
	}
	if v, ok := savedAnswer(t, s, appKey, "stores-eud"); !ok || v.Bool == nil || !*v.Bool {
		t.Fatalf("the kept answer was not saved after the reload: %+v %v", v, ok)
	}
}

// Another pstab's change to a different question merges: the wizard's answer is saved
// beside it, the other answer is shown as that pstab left it, and a notice says so. On the
// old store (a draft-wide version) the save was refused.
func TestChangeToAnotherQuestionMerges(t *testing.T) {
	path := t.TempDir() + "/pstab.db"
	s := openStore(t, path)
	createApp(t, s, appKey, "Example")
	d := wizardOn(t, s, 100, 30)

	other := openStore(t, path)
	setAnswer(t, other, appKey, "logs-eud", questionnaire.Bool(true))

	d.press("y") // stores-eud: Yes
	d.dontWantScreen("Another pstab changed this draft", "changed elsewhere")
	d.wantScreen("Another pstab changed logs-eud", "merged")
	for _, id := range []string{"stores-eud", "logs-eud"} {
		if v, ok := savedAnswer(t, s, appKey, id); !ok || v.Bool == nil || !*v.Bool {
			t.Errorf("%s saved as %+v %v, want Yes", id, v, ok)
		}
		if v, _ := d.m.session.answers.Get(id); v.Bool == nil || !*v.Bool {
			t.Errorf("%s shown as %+v, want Yes", id, v)
		}
	}

	// The merged answer is the other pstab's: changing it again here is a change on top
	// of it, not a collision.
	setAnswer(t, other, appKey, "logs-eud", questionnaire.Bool(false))
	d.press("n") // stores-eud: No, which merges the second change too
	d.wantScreen("Another pstab changed logs-eud")
	if v, _ := d.m.session.answers.Get("logs-eud"); v.Bool == nil || *v.Bool {
		t.Errorf("logs-eud shown as %+v after the second merge, want No", v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestChoiceShowsEveryOptionBeforeAnyKey(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	if err := s.SetResume(context.Background(), psRef(t, appKey), "residency", "data-residency"); err != nil {
		t.Fatal(err)
	}
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	ps, _ := catalogues(t)
	q := ps.Question("data-residency")
	// At 100 columns the options' labels wrap: the select must still show all of them.
	for _, size := range [][2]int{{100, 30}, {80, 24}, {200, 60}} {
		d := wizardOn(t, s, size[0], size[1])
		if d.focused() != q.ID {
			t.Fatalf("opened on %s, want %s", d.focused(), q.ID)
		}
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, o := range q.Options {
			words := strings.Fields(o.Label)
			d.wantScreen(strings.Join(words[:min(4, len(words))], " "))
		}
	}
}
