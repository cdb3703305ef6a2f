package ui

import (
	"fmt"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// A select answers as its cursor moves, so its cursor stops at either end and says so:
// ↓ on the last answer does not wrap round to Not answered (which would clear the
// answer), and ↑ on Not answered does not pick the last answer.
func TestASelectStopsAtItsEnds(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Data residency")
	d.focusQuestion("data-residency")
	q := d.m.wizard.cat.Question("data-residency")
	for range len(q.Options) + 3 {
		d.press("down")
	}
	d.flushTyping()
	last := q.Options[len(q.Options)-1].Value
	if v, _ := savedAnswer(t, s, appKey, "data-residency"); v.Text != last {
		t.Errorf("↓ past the last answer saved %q, want %q", v.Text, last)
	}
	d.wantScreen("That is the last answer: ↑ goes back")
	for range len(q.Options) + 3 {
		d.press("up")
	}
	d.flushTyping()
	if v, ok := savedAnswer(t, s, appKey, "data-residency"); ok && !v.IsEmpty() {
		t.Errorf("↑ past Not answered saved %q, want no answer", v.Text)
	}
	d.wantScreen("That is the first answer: ↓ picks one")

	// A yes/no question answered No keeps No on a ↓ too many.
	d.goToSection("Data access and storage")
	d.focusQuestion("stores-eud")
	d.press("n", "down", "down")
	d.flushTyping()
	if v, _ := savedAnswer(t, s, appKey, "stores-eud"); v.Bool == nil || *v.Bool {
		t.Errorf("↓ after No saved %+v, want No", v)
	}
}

// An entry with several problems shows the first in full and says how many more there
// are, and where each is said: an entry with a bare name and nothing else is not one
// problem away from done.
func TestAnEntrySaysHowManyProblemsItHas(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "shares-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Third parties")
	d.focusQuestion("sub-processors")
	d.press("a")
	d.typeText("Postmark")
	d.press("tab")
	d.typeText("http://postmarkapp.com")
	d.press("esc") // keeps the entry, without its purpose
	v, _ := d.m.wizard.answers.Get("sub-processors")
	ps := d.m.wizard.cat.Question("sub-processors").Check(v)
	if len(ps) < 2 {
		t.Fatalf("the entry has %d problems, want at least 2: %+v", len(ps), ps)
	}
	d.wantScreen("✗ "+ps[0].Message[:20], fmt.Sprintf("(%d more %s: e opens", len(ps)-1, questionnaire.PluralWord(len(ps)-1, "problem", "problems")))
}
