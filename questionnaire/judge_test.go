package questionnaire

import (
	"strings"
	"testing"
)

func TestJudge(t *testing.T) {
	c := ssa(t)
	for _, tc := range []struct {
		name     string
		answers  map[string]Value
		question string
		verdict  Verdict
		because  string
	}{
		{"1a No passes", map[string]Value{"ssa-1a": no}, "ssa-1a", VerdictPass, ""},
		{"1a Yes with controls passes", map[string]Value{"ssa-1a": yes, "ssa-1a-controls": Text("AES-256 at rest.")}, "ssa-1a", VerdictPass, ""},
		{"1a Yes without controls needs details", map[string]Value{"ssa-1a": yes}, "ssa-1a", VerdictNeedsDetails, "Describe the controls that protect the customer data you store."},
		{"1a No ignores hidden controls", map[string]Value{"ssa-1a": no, "ssa-1a-controls": Text("x")}, "ssa-1a", VerdictPass, ""},
		{"1b is reference only", map[string]Value{"ssa-1a": yes, "ssa-1b": List("EU")}, "ssa-1b", VerdictPass, ""},
		{"3 No fails", map[string]Value{"ssa-3": no}, "ssa-3", VerdictFail, "An Information Security Policy is required to pass."},
		{"3 Yes with details passes", map[string]Value{"ssa-3": yes, "ssa-3-details": Text("ISO 27001 based.")}, "ssa-3", VerdictPass, ""},
		{"4 No with a described process passes", map[string]Value{"ssa-4": no, "ssa-4-details": Text("Pull requests with review.")}, "ssa-4", VerdictPass, ""},
		{"4 Yes without documents needs details", map[string]Value{"ssa-4": yes}, "ssa-4", VerdictNeedsDetails, "Describe the change and release process (or provide its documents)."},
		{"6 No still passes", map[string]Value{"ssa-6": no}, "ssa-6", VerdictPass, ""},
		{"10 Yes passes", map[string]Value{"ssa-10": yes}, "ssa-10", VerdictPass, ""},
		{"10 No passes when nobody reaches sensitive data", map[string]Value{"ssa-10": no, "ssa-9": no, "ssa-2": no}, "ssa-10", VerdictPass, ""},
		{"10 No fails when staff reach customer data", map[string]Value{"ssa-10": no, "ssa-9": yes, "ssa-2": no}, "ssa-10", VerdictFail, "Staff with access to customer or sensitive data must sign an NDA."},
		{"10 No fails while 9 is unanswered", map[string]Value{"ssa-10": no, "ssa-2": no}, "ssa-10", VerdictFail, "Staff with access to customer or sensitive data must sign an NDA."},
		{"11 Yes with a URL passes", map[string]Value{"ssa-11": yes, "ssa-11-url": Text("https://example.com/vuln")}, "ssa-11", VerdictPass, ""},
		{"11 Yes without a URL needs it", map[string]Value{"ssa-11": yes}, "ssa-11", VerdictNeedsDetails, "Give the URL of the published process."},
		{"11 No with the process passes", map[string]Value{"ssa-11": no, "ssa-11-process": Text("Triaged in a day.")}, "ssa-11", VerdictPass, ""},
		{"11 No with a leftover URL still needs the process", map[string]Value{"ssa-11": no, "ssa-11-url": Text("https://example.com/v")}, "ssa-11", VerdictNeedsDetails, "Describe how vulnerabilities in your code are handled."},
		{"13 daily backups pass", map[string]Value{"ssa-13": yes, "ssa-13-backups": Text("DAILY")}, "ssa-13", VerdictPass, ""},
		{"13 rarer backups fail", map[string]Value{"ssa-13": yes, "ssa-13-backups": Text("LESS_OFTEN")}, "ssa-13", VerdictFail, "Backups must be taken at least every 24 hours."},
		{"13 without a backup frequency needs it", map[string]Value{"ssa-13": yes}, "ssa-13", VerdictNeedsDetails, "Say how often backups are taken."},
		{"13 No fails", map[string]Value{"ssa-13": no, "ssa-13-backups": Text("DAILY")}, "ssa-13", VerdictFail, "Recovering one customer's data is required to pass."},
		{"unanswered", map[string]Value{}, "ssa-12", VerdictUnanswered, "Not answered yet."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var found *Judgement
			js := c.Judge(ans(tc.answers))
			for i := range js {
				if js[i].Question.ID == tc.question {
					found = &js[i]
				}
			}
			if found == nil {
				t.Fatalf("no judgement for %s", tc.question)
			}
			if found.Verdict != tc.verdict || found.Because != tc.because {
				t.Errorf("%s: %s %q, want %s %q", tc.question, found.Verdict, found.Because, tc.verdict, tc.because)
			}
			// A fail states the requirement rather than an instruction, so only the
			// sentence's form is checked here.
			if b := found.Because; b != "" && (b[0] < 'A' || b[0] > 'Z' || !strings.HasSuffix(b, ".") || strings.Contains(b, "\n")) {
				t.Errorf("because %q is not one sentence", b)
			}
		})
	}
}

func TestJudgeCoversShownJudgedQuestionsInOrder(t *testing.T) {
	c := ssa(t)
	js := c.Judge(ans(map[string]Value{"ssa-1a": no}))
	var ids []string
	for _, j := range js {
		ids = append(ids, j.Question.ID)
	}
	// 1b is hidden by 1a = No, so it is not judged; every other numbered question is.
	want := "ssa-1a ssa-2 ssa-3 ssa-4 ssa-5 ssa-6 ssa-7 ssa-8 ssa-9 ssa-10 ssa-11 ssa-12 ssa-13"
	if got := joinIDs(ids); got != want {
		t.Errorf("judged %s\nwant   %s", got, want)
	}
	if js := ps(t).Judge(NewAnswers()); len(js) != 0 {
		t.Errorf("the Privacy & Security catalogue has no criteria, yet Judge gives %d verdicts", len(js))
	}
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out
}
