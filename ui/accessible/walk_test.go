package accessible

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Answering the first section reveals a follow-up, asked right after the answer; changing
// the answer hides it again, and it is not asked; its answer is kept.
func TestFollowUpAppearsRightAfterAndDisappears(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	out, code, err := e.run(lines("1",
		"yes",            // stores-eud: reveals stored-data-types
		"Issue keys", "", // stored-data-types
		"back", // at processes-eud: back to stored-data-types
		"back", // back to stores-eud
		"no",   // hides stored-data-types
		"quit", // at processes-eud
	))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	want := []string{"stores-eud", "stored-data-types", "processes-eud", "stored-data-types", "stores-eud", "processes-eud"}
	if got := asked(t, e.ps, out); !slices.Equal(got, want) {
		t.Errorf("asked %v, want %v\n%s", got, want, out)
	}
	if !strings.Contains(out, "Saved. 1 more question now applies.") {
		t.Errorf("the reveal is not announced:\n%s", out)
	}
	if !strings.Contains(out, "Saved. 1 question no longer applies; answers already given to them are kept.") {
		t.Errorf("the hide is not announced:\n%s", out)
	}
	d := e.load()
	if got := answer(e.ps, d, "stores-eud"); got != "No" {
		t.Errorf("stores-eud = %q, want No", got)
	}
	if got := answer(e.ps, d, "stored-data-types"); got != "Issue keys" {
		t.Errorf("the hidden follow-up's answer = %q, want it kept as Issue keys", got)
	}
	if e.ps.Visible(d.Answers).ShowsID("stored-data-types") {
		t.Error("stored-data-types is still shown")
	}
}

// Walking to the end asks exactly the questions shown for the final answers, in order,
// and says which sections are skipped.
func TestHiddenQuestionsAreNeverAsked(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	input := lines("1", "no", "no") + strings.Repeat("\n", len(e.ps.Questions))
	out, code, err := e.run(input)
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !strings.Contains(out, "That was the last question.") {
		t.Fatalf("the walk did not reach the end:\n%s", out)
	}
	var want []string
	for _, q := range e.ps.Visible(e.load().Answers).Questions() {
		want = append(want, q.ID)
	}
	got := asked(t, e.ps, out)
	if !slices.Equal(got, want) {
		t.Errorf("asked %v\nwant   %v", got, want)
	}
	for _, hidden := range []string{"stored-data-types", "processed-data-types", "sub-processors", "retention-period"} {
		if slices.Contains(got, hidden) {
			t.Errorf("hidden question %s was asked", hidden)
		}
	}
	// Store and process No hide only the data types: third parties are still asked.
	if !slices.Contains(got, "shares-eud") || strings.Contains(out, "Third parties, does not apply") {
		t.Errorf("third parties were skipped for an app that stores and processes nothing outside:\n%s", out)
	}
	if d := e.load(); d.ResumeQuestion != "" {
		t.Errorf("after the last question the resume position is %q, want cleared", d.ResumeQuestion)
	}
}

// A wrong value is refused with the engine's sentence and asked again; the right one is saved.
func TestWrongValueIsRefusedWithTheEngineSentence(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil).resumeAt("security", "security-contact")
	q := e.ps.Question("security-contact")
	problems := q.Check(questionnaire.Text("not-an-email"))
	if len(problems) == 0 {
		t.Fatal("the catalogue accepts not-an-email; pick another wrong value")
	}
	out, code, err := e.run(lines("1", "not-an-email", "security@example.com", "quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	rest := after(t, out, "Answer: not-an-email\n")
	if !strings.HasPrefix(rest, problems[0].Message+"\nPlease answer again.\nAnswer: security@example.com\nSaved.") {
		t.Errorf("want the engine's sentence, then the question asked again; got:\n%s", rest)
	}
	if got := answer(e.ps, e.load(), "security-contact"); got != "security@example.com" {
		t.Errorf("security-contact = %q", got)
	}
	if got := asked(t, e.ps, out); !slices.Equal(got, []string{"security-contact", "security-policy"}) {
		t.Errorf("asked %v", got)
	}
}

// Piped input that keeps giving wrong values never loops: after a few tries the question
// is left as it was, and the walk goes on.
func TestRepeatedWrongValuesMoveOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(map[string][]string{"security-contact": {"old@example.com"}}).resumeAt("security", "security-contact")
	out, code, err := e.run(lines("1", "x", "y", "z", "quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !strings.Contains(out, "This question is left as it was after 3 refused answers; type back at the next question to return to it.") {
		t.Errorf("moving on is not said:\n%s", out)
	}
	if got := asked(t, e.ps, out); !slices.Equal(got, []string{"security-contact", "security-policy"}) {
		t.Errorf("asked %v", got)
	}
	if got := answer(e.ps, e.load(), "security-contact"); got != "old@example.com" {
		t.Errorf("security-contact = %q, want the old answer kept", got)
	}
}

// checkedReader gives one line per Read, and before giving line i runs checks[i]: the
// prompter asks for a line only after it has dealt with the one before, so a check sees
// the store exactly as the previous line left it.
type checkedReader struct {
	lines  []string
	checks map[int]func()
	i      int
}

func (r *checkedReader) Read(p []byte) (int, error) {
	if r.i >= len(r.lines) {
		return 0, io.EOF
	}
	if check := r.checks[r.i]; check != nil {
		check()
	}
	n := copy(p, r.lines[r.i]+"\n")
	r.i++
	return n, nil
}

// Every accepted answer is in the store before the next line is read.
func TestEachAnswerIsSavedBeforeTheNextLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	expect := func(id, want string) func() {
		return func() {
			// The prompter is waiting for this line; read the file on a new connection.
			if got := answer(e.ps, e.load(), id); got != want {
				t.Errorf("before the next line, %s = %q, want %q", id, got, want)
			}
		}
	}
	in := &checkedReader{
		lines: []string{"1", "yes", "Issue keys", "Account IDs", "", "no", "quit"},
		checks: map[int]func(){
			2: expect("stores-eud", "Yes"),
			5: expect("stored-data-types", "Issue keys, Account IDs"),
			6: expect("processes-eud", "No"),
		},
	}
	out, code, err := e.runWith(context.Background(), in, nil)
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if in.i != len(in.lines) {
		t.Fatalf("read %d of %d lines", in.i, len(in.lines))
	}
}

func TestStartsWhereThePartnerLeftOff(t *testing.T) {
	t.Parallel()
	answered := map[string][]string{"stores-eud": {"yes"}, "stored-data-types": {"Keys"}}
	cases := []struct {
		name            string
		section, q      string
		answers         map[string][]string
		first, sentence string
	}{
		{"resume question", "logging", "logs-eud", answered, "logs-eud", "Starting where you left off."},
		{"resume question hidden: its section's first", "data", "stored-data-types", map[string][]string{"stores-eud": {"no"}},
			"stores-eud", "Starting where you left off."},
		{"no resume: first unanswered", "", "", answered, "processes-eud", "Starting at the first question not answered yet."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).withApp(c.answers)
			if c.section != "" {
				e.resumeAt(c.section, c.q)
			}
			out, _, err := e.run(lines("1", "quit"))
			if err != nil {
				t.Fatal(err)
			}
			if got := asked(t, e.ps, out); len(got) == 0 || got[0] != c.first {
				t.Errorf("first question %v, want %s\n%s", got, c.first, out)
			}
			if !strings.Contains(out, c.sentence) {
				t.Errorf("output lacks %q", c.sentence)
			}
		})
	}
}

// Quitting records the question; the next session starts there.
func TestQuitRecordsWhereToResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	out, code, err := e.run(lines("1", "yes", "", "quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !strings.Contains(out, "Stopped. Every answer you gave is saved") {
		t.Errorf("quitting is not said:\n%s", out)
	}
	if d := e.load(); d.ResumeSection != "data" || d.ResumeQuestion != "processes-eud" {
		t.Errorf("resume at %s/%s, want data/processes-eud", d.ResumeSection, d.ResumeQuestion)
	}
	out, _, _ = e.run(lines("1", "quit"))
	if got := asked(t, e.ps, out); len(got) != 1 || got[0] != "processes-eud" {
		t.Errorf("the next session asked %v first, want processes-eud", got)
	}
}

// conflicting changes the draft through another handle just before the prompter's first
// save, as another pstab process would.
type conflicting struct {
	Drafts
	other func()
	done  bool
}

func (c *conflicting) SaveAnswer(ctx context.Context, ref store.DraftRef, id string, v questionnaire.Value, expect int64) (int64, error) {
	if !c.done {
		c.done = true
		c.other()
	}
	return c.Drafts.SaveAnswer(ctx, ref, id, v, expect)
}

func TestConflictReloadsAndSavesAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	other := func() {
		s := e.open()
		defer s.Close()
		if _, err := s.SaveAnswer(context.Background(), psRef, "logs-eud", questionnaire.Bool(true), store.AnyVersion); err != nil {
			t.Error(err)
		}
	}
	out, code, err := e.runWith(context.Background(), strings.NewReader(lines("1", "no", "quit")),
		func(d Drafts) Drafts { return &conflicting{Drafts: d, other: other} })
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !strings.Contains(out, "Another pstab changed this draft while you were answering, so pstab loaded its changes and then saved your answer.") {
		t.Errorf("the conflict is not said:\n%s", out)
	}
	d := e.load()
	if answer(e.ps, d, "stores-eud") != "No" || answer(e.ps, d, "logs-eud") != "Yes" {
		t.Errorf("want both answers, got stores-eud=%q logs-eud=%q", answer(e.ps, d, "stores-eud"), answer(e.ps, d, "logs-eud"))
	}
}

// failing is a store whose saves fail.
type failing struct{ Drafts }

func (failing) SaveAnswer(context.Context, store.DraftRef, string, questionnaire.Value, int64) (int64, error) {
	return 0, errors.New("disk I/O error: the disk is full.")
}

func TestFailedSaveStopsWithExit1(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	out, code, err := e.runWith(context.Background(), strings.NewReader(lines("1", "yes", "no")),
		func(d Drafts) Drafts { return failing{d} })
	if code != ExitFailed || err == nil {
		t.Fatalf("exit %d, %v; want 1 with an error", code, err)
	}
	if want := "the answer to stores-eud was not saved, so pstab stopped: disk I/O error: the disk is full"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if got := asked(t, e.ps, out); !slices.Equal(got, []string{"stores-eud"}) {
		t.Errorf("asked %v after the failure", got)
	}
}

// blockingReader gives its lines, then cancels the context on the next read, as ctrl+c
// would, and blocks until the test ends.
type blockingReader struct {
	lines  []string
	cancel func()
	done   chan struct{}
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if len(r.lines) > 0 {
		n := copy(p, r.lines[0]+"\n")
		r.lines = r.lines[1:]
		return n, nil
	}
	r.cancel()
	<-r.done
	return 0, io.EOF
}

func TestCancelExits130AfterSaving(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := &blockingReader{lines: []string{"1", "yes"}, cancel: cancel, done: make(chan struct{})}
	t.Cleanup(func() { close(in.done) })
	out, code, err := e.runWith(ctx, in, nil)
	if code != ExitCancelled || err != nil {
		t.Fatalf("exit %d, %v; want 130\n%s", code, err, out)
	}
	if !strings.HasSuffix(out, "Item 1: \nInterrupted. Every answer you gave is saved.\n") {
		t.Errorf("the end of the output:\n%s", out)
	}
	d := e.load()
	if answer(e.ps, d, "stores-eud") != "Yes" || d.ResumeQuestion != "stored-data-types" {
		t.Errorf("after ctrl+c: stores-eud=%q, resume at %q", answer(e.ps, d, "stores-eud"), d.ResumeQuestion)
	}
}
