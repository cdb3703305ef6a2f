package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// reviewerCopy is a reviewer's bundle opened in the TUI, with what it wrote back.
type reviewerCopy struct {
	mu      sync.Mutex
	written []questionnaire.Review
}

func (rc *reviewerCopy) last(t *testing.T) questionnaire.Review {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.written) == 0 {
		t.Fatal("nothing was written back to the bundle")
	}
	return rc.written[len(rc.written)-1]
}

// newReviewDriver opens answers as a reviewer would with pstab review FILE.
func newReviewDriver(t *testing.T, answers questionnaire.Answers, r questionnaire.Review, writable bool, width, height int) (*driver, *reviewerCopy) {
	t.Helper()
	ps, sa := catalogues(t)
	rc := &reviewerCopy{}
	doc := &ReviewDoc{Catalogue: ps, Answers: answers, Title: "Reports", Review: r, WritesTo: "/tmp/x/for-review.json"}
	if writable {
		doc.Save = func(r questionnaire.Review) error {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			rc.written = append(rc.written, r.Clone())
			return nil
		}
	}
	cfg := Config{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, Review: doc,
		Author: "Ana Reviewer", Now: func() time.Time { return testNow }}
	d := &driver{tb: t, m: New(context.Background(), cfg)}
	d.run(d.m.Init())
	d.send(windowMsg(width, height))
	return d, rc
}

func reviewAnswers() questionnaire.Answers {
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(true))
	a.Set("stored-data-types", questionnaire.List("Issue keys"))
	a.Set("logs-eud", questionnaire.Bool(false))
	a.Set("security-policy", questionnaire.Text("http://example.com/security"))
	return a
}

func TestReviewerCommentsAndDecides(t *testing.T) {
	d, rc := newReviewDriver(t, reviewAnswers(), questionnaire.Review{}, true, 80, 24)
	d.wantScreen("comments go to for-review.json", "c comment", "A approve", "R ask changes")

	// An editing key says why it does nothing.
	d.press("x")
	d.wantScreen("This is the reviewer's copy: answers cannot be changed here.")
	d.press("ctrl+s")
	d.wantScreen("only comments are written")

	// A comment on the focused question, written back at once.
	d.press("c")
	d.wantScreen("Comment on stores-eud:")
	d.typeText("Which data exactly?")
	d.press("enter")
	got := d.m.session.review.r
	if th, ok := rc.last(t).Thread("stores-eud"); !ok || th.Comments[0].Text != "Which data exactly?" || th.Comments[0].Author != "Ana Reviewer" {
		t.Fatalf("written back: %+v (screen review %+v)", rc.last(t), got)
	}
	d.wantScreen("» 1 comment, open · Ana Reviewer: Which data exactly?", "Commented on stores-eud.", "wrote for-review.json 09:30:00")

	// esc cancels a dialog: nothing is written.
	before := len(rc.written)
	d.press("o")
	d.typeText("never mind")
	d.press("esc")
	if len(rc.written) != before {
		t.Error("a cancelled comment was written")
	}

	// Asking for changes needs a message: the dialog stays open and says so.
	d.press("R")
	d.press("enter")
	d.wantScreen("The message is empty; say what should change.")
	d.dontWantScreen("-m") // a flag means nothing in the dialog
	d.typeText("Fix the security policy link.")
	d.press("enter")
	if dec := rc.last(t).Decision; dec == nil || dec.Kind != questionnaire.ChangesRequested || dec.Message != "Fix the security policy link." {
		t.Fatalf("decision written: %+v", dec)
	}

	// A general comment with control characters typed in: none reaches the file.
	d.press("o")
	d.send(keyMsg("Overall \x1b[2J fine"))
	d.press("enter")
	th, ok := rc.last(t).Thread("")
	if !ok || strings.ContainsRune(th.Last().Text, 0x1b) {
		t.Fatalf("general thread: %+v", th)
	}

	// The checklist is the reviewer's, with the open comments and the decision.
	d.press("r")
	d.wantScreen("What stands between this draft and submission", "» Data access and storage", "Ana Reviewer asked for changes",
		"“Fix the security policy link.”", "2 open comments")
	d.dontWantScreen("Review before submitting")
	d.press("esc")

	// Approving records the fingerprint of these answers.
	d.press("A")
	d.wantScreen("Approve these answers as Ana Reviewer (2 threads stay open)")
	d.press("enter")
	dec := rc.last(t).Decision
	ps, _ := catalogues(t)
	if dec == nil || dec.Kind != questionnaire.Approved || dec.Stale(ps, reviewAnswers()) {
		t.Fatalf("approval written: %+v", dec)
	}
}

func TestReviewerSeesProblemsOnFieldsAndSections(t *testing.T) {
	d, _ := newReviewDriver(t, reviewAnswers(), questionnaire.Review{}, true, 120, 40)
	// The section list marks the section holding a blocking answer, from the start.
	d.wantScreen("✗ Security")
	d.dontWantScreen("✓ Security")
	for range 10 {
		if strings.Contains(d.screen(), "7. Security") {
			break
		}
		d.press("pgdown")
	}
	d.focusQuestionIn("security-policy")
	d.wantScreen("7. Security", "✗ 1 blocking problem", "✗ The link uses http://")
}

// A problem too long for one line wraps under its own text, not at the screen's edge.
func TestReviewerProblemWrapsUnderItsMark(t *testing.T) {
	a := reviewAnswers()
	a.Set("security-contact", questionnaire.Text("jo at example"))
	d, _ := newReviewDriver(t, a, questionnaire.Review{}, true, 80, 24)
	for range 10 {
		if strings.Contains(d.screen(), "7. Security") {
			break
		}
		d.press("pgdown")
	}
	d.focusQuestionIn("security-contact")
	lines := strings.Split(d.screen(), "\n")
	for i, l := range lines {
		if !strings.Contains(l, "✗ The address is not a plain email address") {
			continue
		}
		mark := strings.Index(l, "✗")
		next := lines[i+1]
		if len(next) <= mark+2 || strings.TrimSpace(next[:mark+2]) != "" {
			t.Fatalf("the problem's second line does not hang under its text:\n%s\n%s", l, next)
		}
		return
	}
	t.Fatalf("no problem marked on security-contact:\n%s", d.screen())
}

// focusQuestionIn moves down the open section until the question is focused, if it is there.
func (d *driver) focusQuestionIn(id string) {
	for range len(d.m.wizard.blocks) {
		if d.focused() == id {
			return
		}
		d.press("down")
	}
}

func TestPayloadOpensReadOnlyAndSaysSo(t *testing.T) {
	d, _ := newReviewDriver(t, reviewAnswers(), questionnaire.Review{}, false, 80, 24)
	d.wantScreen("read-only: nothing is written")
	d.press("c")
	d.wantScreen("it has no room for comments")
	d.press("A")
	if d.m.wizard.talk.open {
		t.Error("a payload opened a decision dialog")
	}
}

func TestSinceMarksAndStepsThroughChanges(t *testing.T) {
	ps, sa := catalogues(t)
	old := reviewAnswers()
	old.Set("logs-eud", questionnaire.Bool(true))
	old.Set("security-policy", questionnaire.Value{})
	doc := &ReviewDoc{Catalogue: ps, Answers: reviewAnswers(), Title: "Reports", WritesTo: "b.json",
		Save: func(questionnaire.Review) error { return nil }, Since: &old, SinceName: "last.json"}
	cfg := Config{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, Review: doc, Author: "Ana", Now: func() time.Time { return testNow }}
	d := &driver{tb: t, m: New(context.Background(), cfg)}
	d.run(d.m.Init())
	d.send(windowMsg(100, 30))
	d.wantScreen("n/N next change")
	d.press("n")
	if d.focused() != "logs-eud" {
		t.Fatalf("n went to %s", d.focused())
	}
	d.wantScreen("~ changed since last.json: was “Yes”")
	d.press("n")
	if d.focused() != "security-policy" {
		t.Fatalf("the second n went to %s", d.focused())
	}
	d.wantScreen("~ changed since last.json: was not answered")
	d.press("N")
	if d.focused() != "logs-eud" {
		t.Fatalf("N went to %s", d.focused())
	}
}

func TestPartnerSeesAndAnswersComments(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.app", "Reports")
	setAnswer(t, s, "com.example.app", "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, "com.example.app", "logs-eud", questionnaire.Bool(false))
	ref := psRef(t, "com.example.app")
	ctx := context.Background()
	if _, err := s.Say(ctx, ref, questionnaire.Remark{Question: "logs-eud", Author: "Ana", Text: "Really no logs?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Say(ctx, ref, questionnaire.Remark{Author: "Ana", Text: "Overall fine."}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, s, 120, 40)
	d.wantScreen("»2 draft")
	d.openApp()
	d.wantScreen("»1 1/1") // the Logging section's count

	// ] goes to the open comment, in the next section; its thread shows beside the help.
	d.press("esc", "shift+tab") // off the list being typed in, to a yes/no question
	if d.focused() != "stores-eud" {
		t.Fatalf("focus on %s", d.focused())
	}
	d.press("]")
	if d.focused() != "logs-eud" {
		t.Fatalf("] went to %s", d.focused())
	}
	d.wantScreen("Comments on this question (open):", "Ana: Really no logs?", "» 1 open comment")

	// A reply that resolves, stored with the draft and in its history.
	d.m.wizard.ui.author = "Pat"
	d.press("c")
	d.typeText("None with EUD.")
	d.press("tab")
	d.wantScreen("Reply on logs-eud, and resolve it:")
	d.press("enter")
	r, err := s.Review(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := r.Thread("logs-eud"); !th.Resolved || th.ResolvedBy != "Pat" || th.Last().Text != "None with EUD." {
		t.Fatalf("stored thread: %+v (error %v)\n%s", th, d.m.session.review.err, d.screen())
	}
	d.wantScreen("resolved by Pat", "Resolved the comments on logs-eud.")
	events, _ := s.History(ctx, ref)
	if last := events[len(events)-1]; last.Kind != store.EventResolve {
		t.Errorf("last event %+v", last)
	}

	// The checklist lists what is still open, and that nobody approved.
	d.press("r")
	d.wantScreen("Review before submitting", "» The whole draft", "Ana: Overall fine.", "No reviewer has approved these answers yet.")

	// An approval of other answers reads as stale.
	cat, _ := catalogues(t)
	var rv questionnaire.Review
	old := questionnaire.NewAnswers()
	old.Set("stores-eud", questionnaire.Bool(false))
	if _, err := cat.Decide(&rv, old, questionnaire.Approved, "Ana", "", testNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MergeReview(ctx, ref, rv, ""); err != nil {
		t.Fatal(err)
	}
	d.press("esc", "esc", "q") // the checklist, the questions, the section list, home
	d.openApp()
	d.press("r")
	d.wantScreen("Approved by Ana", "the approval is stale")
}

func TestHostileCommentReachesNoTerminal(t *testing.T) {
	// Text written into the file by another program, past every cleaning on the way in.
	hostile := "see \x1b]8;;https://evil.example/\x07here\x1b]8;;\x07 \x1b[2J\x9b31m\u202e"
	r := questionnaire.Review{Comments: []questionnaire.Comment{
		{Question: "stores-eud", Author: "Eve\x1b[31m", At: testNow, Text: hostile},
		{Author: "Eve", At: testNow, Text: hostile},
	}}
	d, _ := newReviewDriver(t, reviewAnswers(), r, true, 100, 30)
	for _, keys := range [][]string{nil, {"r"}, {"esc", "c"}} {
		d.press(keys...)
		out := d.m.View()
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\u009b", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Fatalf("after %v the screen holds %q:\n%q", keys, bad, out)
			}
		}
	}
}

func TestReviewWriterKeepsTheNewest(t *testing.T) {
	var got []int
	w := &reviewWriter{save: func(r questionnaire.Review) error {
		got = append(got, len(r.Comments))
		return nil
	}}
	two := questionnaire.Review{Comments: make([]questionnaire.Comment, 2)}
	one := questionnaire.Review{Comments: make([]questionnaire.Comment, 1)}
	// The second save's command finishes first; the first's must not overwrite it.
	if err := w.write(2, two); err != nil {
		t.Fatal(err)
	}
	if err := w.write(1, one); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != 2 {
		t.Errorf("writes %v, want only the newer review", got)
	}
}

func windowMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// The submit screen warns of a review that is not settled, as pstab push does, and says
// nothing of a review for a draft nobody reviewed.
func TestSubmitWarnsOfAnUnsettledReview(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	d := submitDriver(t, fake)
	toSubmit := func() {
		d.tb.Helper()
		d.openApp()
		d.press("r", "s")
		d.wantScreen("Send these answers")
	}
	toSubmit()
	d.dontWantScreen("review thread", "asked for changes", "approved other answers")

	ctx := context.Background()
	ref := psRef(t, appKey)
	cat, _ := catalogues(t)
	var rv questionnaire.Review
	if _, err := cat.Say(&rv, questionnaire.NewAnswers(), questionnaire.Remark{Question: "security-contact", Author: "Ana", Text: "A team alias?", At: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Decide(&rv, questionnaire.NewAnswers(), questionnaire.ChangesRequested, "Ana", "See the comment.", testNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.s.MergeReview(ctx, ref, rv, ""); err != nil {
		t.Fatal(err)
	}
	d.press("esc", "esc", "esc", "q") // submit, checklist, questions, section list, home
	toSubmit()
	d.wantScreen("1 review thread is still open", "Ana asked for changes and has not approved since.", "Send these answers")

	// An approval of other answers, with the thread resolved: the approval is stale.
	if _, err := d.s.Say(ctx, ref, questionnaire.Remark{Question: "security-contact", Author: "Pat", Text: "Done.", Action: questionnaire.ActionResolve}); err != nil {
		t.Fatal(err)
	}
	rv = questionnaire.Review{}
	if _, err := cat.Decide(&rv, questionnaire.NewAnswers(), questionnaire.Approved, "Ana", "", testNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.s.MergeReview(ctx, ref, rv, ""); err != nil {
		t.Fatal(err)
	}
	d.press("esc", "esc", "esc", "q")
	toSubmit()
	d.wantScreen("Ana approved other answers: some changed since the approval.")
	d.dontWantScreen("review thread", "asked for changes")
}

// A write that fails says so, with what to do; the comment stays on screen, and ctrl+s
// writes the whole conversation again.
func TestReviewerWriteFailureSaysSoAndRetries(t *testing.T) {
	ps, sa := catalogues(t)
	var mu sync.Mutex
	fail := true
	var written []questionnaire.Review
	doc := &ReviewDoc{Catalogue: ps, Answers: reviewAnswers(), Title: "Reports", WritesTo: "/tmp/x/for-review.json",
		Save: func(r questionnaire.Review) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return errors.New("cannot write /tmp/x/for-review.json: no space left on device")
			}
			written = append(written, r.Clone())
			return nil
		}}
	cfg := Config{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, Review: doc,
		Author: "Ana Reviewer", Now: func() time.Time { return testNow }}
	d := &driver{tb: t, m: New(context.Background(), cfg)}
	d.run(d.m.Init())
	d.send(windowMsg(80, 24))

	d.press("o")
	d.typeText("Looks fine.")
	d.press("enter")
	d.wantScreen("✗ not written to for-review.json", "Not written: Cannot write /tmp/x/for-review.json: no space left",
		"Your comments stay here", "ctrl+s")
	d.press("r")
	d.wantScreen("Ana Reviewer: Looks fine.") // still in the conversation on screen
	d.press("esc")

	mu.Lock()
	fail = false
	mu.Unlock()
	d.press("ctrl+s")
	d.wantScreen("wrote for-review.json", "Wrote for-review.json.")
	d.dontWantScreen("Not written")
	mu.Lock()
	defer mu.Unlock()
	if len(written) != 1 || len(written[0].Comments) != 1 || written[0].Comments[0].Text != "Looks fine." {
		t.Fatalf("written after ctrl+s: %+v", written)
	}
}
