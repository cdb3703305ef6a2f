package accessible

import (
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func TestCommands(t *testing.T) {
	t.Parallel()
	t.Run("skip keeps an answer and leaves an unanswered question", func(t *testing.T) {
		e := newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}}).resumeAt("data", "stores-eud")
		out, _, _ := e.run(lines("1", "skip", "skip", "quit"))
		if !strings.Contains(out, "Current answer: Yes. Press enter to keep it.\nAnswer: skip\nKept.") {
			t.Errorf("skip on an answered question:\n%s", out)
		}
		if !strings.Contains(out, "Item 1: skip\nLeft unanswered.") {
			t.Errorf("skip on an unanswered question:\n%s", out)
		}
		if got := answer(e.ps, e.load(), "stores-eud"); got != "Yes" {
			t.Errorf("stores-eud = %q after skip", got)
		}
	})
	t.Run("an empty line keeps the current answer", func(t *testing.T) {
		e := newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}}).resumeAt("data", "stores-eud")
		out, _, _ := e.run(lines("1", "", "quit"))
		if !strings.Contains(out, "Answer: \nKept.") || answer(e.ps, e.load(), "stores-eud") != "Yes" {
			t.Errorf("enter did not keep the answer:\n%s", out)
		}
	})
	t.Run("clear removes the answer and hides its follow-ups", func(t *testing.T) {
		e := newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}, "stored-data-types": {"Keys"}}).resumeAt("data", "stores-eud")
		out, _, _ := e.run(lines("1", "clear", "quit"))
		if !strings.Contains(out, "Answer removed. 1 question no longer applies") {
			t.Errorf("clear is not said:\n%s", out)
		}
		d := e.load()
		if _, ok := d.Answers.Get("stores-eud"); ok {
			t.Error("stores-eud is still answered after clear")
		}
		if got := asked(t, e.ps, out); !slices.Equal(got, []string{"stores-eud", "processes-eud"}) {
			t.Errorf("asked %v", got)
		}
	})
	t.Run("back at the first question", func(t *testing.T) {
		e := newEnv(t).withApp(nil)
		out, _, _ := e.run(lines("1", "back", "quit"))
		if !strings.Contains(out, "This is the first question.") {
			t.Errorf("back at the start:\n%s", out)
		}
		if got := asked(t, e.ps, out); !slices.Equal(got, []string{"stores-eud"}) {
			t.Errorf("asked %v", got)
		}
	})
	t.Run("help, where and ? answer and ask again", func(t *testing.T) {
		e := newEnv(t).withApp(nil)
		out, _, _ := e.run(lines("1", "help", "where", "?", "yes", "quit"))
		if strings.Count(out, commandLines[1]) != 2 {
			t.Errorf("help does not list the commands again:\n%s", out)
		}
		if !strings.Contains(out, "You are answering Privacy & Security for Example App (com.example.app): section 1 of 9, Data access and storage, question 1 of 2.") {
			t.Errorf("where:\n%s", out)
		}
		if strings.Count(out, promptOf(e.ps, "stores-eud")) != 2 {
			t.Errorf("? does not repeat the question:\n%s", out)
		}
		if answer(e.ps, e.load(), "stores-eud") != "Yes" {
			t.Error("the answer after the commands was not saved")
		}
	})
	t.Run("the end of the input stops and saves the list being typed", func(t *testing.T) {
		e := newEnv(t).withApp(nil)
		out, code, err := e.run("1\nyes\nIssue keys\nAccount IDs")
		if code != ExitOK || err != nil {
			t.Fatalf("exit %d, %v", code, err)
		}
		if !strings.Contains(out, "Stopped.") {
			t.Errorf("stopping is not said:\n%s", out)
		}
		if got := answer(e.ps, e.load(), "stored-data-types"); got != "Issue keys, Account IDs" {
			t.Errorf("stored-data-types = %q", got)
		}
	})
	t.Run("back in the middle of a list drops its lines", func(t *testing.T) {
		e := newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}}).resumeAt("data", "stored-data-types")
		out, _, _ := e.run(lines("1", "Keys", "back", "quit"))
		if !strings.Contains(out, "The lines you typed were not saved.") {
			t.Errorf("dropping is not said:\n%s", out)
		}
		if _, ok := e.load().Answers.Get("stored-data-types"); ok {
			t.Error("the dropped list was saved")
		}
	})
}

// Each kind's reply form: a list with suggested values (a label picks the Marketplace's
// spelling), and a day range.
func TestKindsOfAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(map[string][]string{"has-certifications": {"yes"}}).resumeAt("compliance", "certifications")
	out, code, err := e.run(lines("1", "SOC 2", "Cyber Essentials (2026)", "", "quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	d := e.load()
	if got := answer(e.ps, d, "certifications"); got != "SOC2, Cyber Essentials (2026)" {
		t.Errorf("certifications = %q\n%s", got, out)
	}
	if !strings.Contains(out, "use the Marketplace's spelling: SOC2, ISO27001, FedRAMP, PCI_DSS.") {
		t.Errorf("the suggestions are not said:\n%s", out)
	}

	e = newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}, "retains-after-uninstall": {"yes"}}).resumeAt("retention", "retention-period")
	out, _, _ = e.run(lines("1", "30..0", "0..30", "quit"))
	msg := e.ps.Question("retention-period").Check(questionnaire.Days(30, 0))[0].Message
	if !strings.Contains(out, msg) {
		t.Errorf("the day range's sentence %q is missing:\n%s", msg, out)
	}
	if got := answer(e.ps, e.load(), "retention-period"); got != "0 to 30 days" {
		t.Errorf("retention-period = %q", got)
	}

	e = newEnv(t).withApp(nil).resumeAt("security", "permissions-justification")
	_, _, _ = e.run(lines("1", "We read issues.", "", "quit"))
	if v, _ := e.load().Answers.Get("permissions-justification"); v.Text != "We read issues." {
		t.Errorf("permissions-justification = %q", v.Text)
	}
	// A long text keeps its empty lines (paragraphs) and ends at a full stop alone, as its
	// instructions say.
	e.resumeAt("security", "permissions-justification")
	out, _, _ = e.run(lines("1", "First line.", "", "Second paragraph.", ".", "quit"))
	if !strings.Contains(out, "end it with a line holding only a full stop (.).") ||
		!strings.Contains(out, "Current answer: We read issues. Press enter to keep it, or type new text to replace it.\nAnswer: First line.\nNext line: \nNext line: Second paragraph.\nNext line: .\nSaved.") {
		t.Errorf("a long text over several lines:\n%s", out)
	}
	if v, _ := e.load().Answers.Get("permissions-justification"); v.Text != "First line.\n\nSecond paragraph." {
		t.Errorf("permissions-justification = %q", v.Text)
	}
}

func TestParseLine(t *testing.T) {
	t.Parallel()
	ps, _ := catalogues(t)
	cases := []struct {
		id, line, want string // want is the Display of the value, or "!" for a refusal
	}{
		{"stores-eud", "1", "Yes"},
		{"stores-eud", "2", "No"},
		{"stores-eud", "y", "Yes"},
		{"stores-eud", "No", "No"},
		{"stores-eud", "3", "!"},
		{"stores-eud", "maybe", "!"},
		{"gdpr-controller", "na", "Not applicable"},
		{"gdpr-controller", "3", "Not applicable"},
		{"gdpr-controller", "not applicable", "Not applicable"},
		{"gdpr-controller", "TRUE", "Yes"},
		{"data-residency", "4", "No. App does not support data residency"},
		{"data-residency", "APP_DOES_NOT_SUPPORT_DR", "No. App does not support data residency"},
		{"data-residency", "5", "Not applicable. The app stores no End-User Data"},
		{"tools", "1, 3", "Slack, Microsoft Teams"},
		{"tools", "1 3", "Slack, Microsoft Teams"},
		{"tools", "Microsoft Teams", "Microsoft Teams"},
		{"tools", "slack, Other", "Slack, Other"},
		{"tools", "1, 99", "!"},
		{"retention-period", "0..30", "0 to 30 days"},
		{"retention-period", "0 .. 30", "0 to 30 days"},
		{"retention-period", "Indefinitely", "Indefinitely"},
		{"retention-period", "thirty", "!"},
		{"security-contact", "a@example.com", "a@example.com"},
	}
	// The built-in catalogue has no multiple choice left; one of a catalogue of its own.
	multi, err := questionnaire.Load("multi.yaml", []byte(`id: multi
title: Multi
level: app
sections:
  - id: one
    title: One
    questions:
      - id: tools
        prompt: Which tools?
        help: Tick each.
        kind: multichoice
        view: default
        options:
          - {value: SLACK, label: Slack}
          - {value: ZOOM, label: Zoom}
          - {value: TEAMS, label: Microsoft Teams, formerly: [Teams]}
          - {value: OTHER, label: Other}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		q := ps.Question(c.id)
		if q == nil {
			q = multi.Question(c.id)
		}
		v, msg := parseLine(q, c.line)
		got := q.Display(v)
		if msg != "" {
			got = "!"
		}
		if got != c.want {
			t.Errorf("%s %q: got %q (%s), want %q", c.id, c.line, got, msg, c.want)
		}
	}
}
