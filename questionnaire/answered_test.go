package questionnaire

import (
	"strings"
	"testing"
)

// An answer with a blocking problem is kept in the answers but counts nowhere: not in the
// progress, not in what may be sent; its problem is said in Check's words.
func TestAnInvalidAnswerIsKeptButDoesNotCount(t *testing.T) {
	c := ps(t)
	valid := ans(map[string]Value{
		"stores-eud":      Bool(true),
		"shares-eud":      Bool(true),
		"security-policy": Text("https://acme.example/security"),
		"sub-processors":  subProcessors(sp("AWS", "https://aws.amazon.com", "Hosting")),
	})
	invalid := with(valid, map[string]Value{
		"security-policy": Text("http://acme.example/security"),
		"sub-processors":  subProcessors(sp("AWS", "http://aws.amazon.com", ""), sp("", "acme.example", "Mail")),
	})

	pv, pi := c.Progress(valid), c.Progress(invalid)
	if pv.Total != pi.Total {
		t.Fatalf("the totals differ: %d and %d", pv.Total, pi.Total)
	}
	// security-policy is optional in some catalogues: count only what is required.
	want := 0
	for _, id := range []string{"security-policy", "sub-processors"} {
		if c.Question(id).Required {
			want++
		}
	}
	if pv.Answered-pi.Answered != want || want == 0 {
		t.Errorf("answered: %d valid, %d with the two wrong answers; want %d fewer", pv.Answered, pi.Answered, want)
	}
	third := pi.Sections[c.Question("sub-processors").Section.Index]
	if third.State() == "done" || third.Withheld != 1 || pv.Sections[third.Section.Index].Withheld != 0 {
		t.Errorf("the sub-processors' section is %q with %d withheld answers, for an entry lacking its purpose", third.State(), third.Withheld)
	}

	held := c.Withheld(invalid)
	if len(held) != 2 || held[0].ID != "sub-processors" || held[1].ID != "security-policy" {
		t.Fatalf("withheld %v, want sub-processors and security-policy in catalogue order", ids(held))
	}
	if got := c.Withheld(valid); len(got) != 0 {
		t.Errorf("valid answers withheld: %v", ids(got))
	}

	out := c.Sendable(invalid)
	if _, ok := out.Get("security-policy"); ok {
		t.Error("the http:// security policy is sendable")
	}
	if _, ok := out.Get("sub-processors"); ok {
		t.Error("the sub-processors with a missing purpose are sendable")
	}
	if _, ok := out.Get("stores-eud"); !ok {
		t.Error("a valid answer was dropped")
	}
	if _, ok := invalid.Get("security-policy"); !ok {
		t.Error("Sendable changed the answers it was given")
	}

	q := c.Question("sub-processors")
	v, _ := invalid.Get("sub-processors")
	problems := q.Check(v)
	got := q.FirstProblem(v)
	if !strings.HasPrefix(got, problems[0].Message) || !strings.Contains(got, "more problem") {
		t.Errorf("FirstProblem = %q; want %q and how many more", got, problems[0].Message)
	}
	if q.Counts(v) || !c.Question("security-policy").Counts(Text("https://acme.example/security")) {
		t.Error("Counts disagrees with Check")
	}
	if q.FirstProblem(Value{}) != "" || q.Counts(Value{}) {
		t.Error("an empty answer has a problem or counts")
	}
}

// The answer sheet never tells a partner to type a value that is not valid yet: it says
// the problem instead.
func TestTheSheetLeavesOutAnInvalidAnswer(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"security-policy": Text("http://acme.example/security")})
	sheet := c.Sheet(a, "Acme")
	if strings.Contains(sheet, "http://acme.example/security\"") || strings.Contains(sheet, "Type: http://") {
		t.Errorf("the sheet gives the http:// link to type:\n%s", sheet)
	}
	msg := c.Question("security-policy").Check(Text("http://acme.example/security"))[0].Message
	if !strings.Contains(strings.Join(strings.Fields(sheet), " "), msg) {
		t.Errorf("the sheet does not say %q:\n%s", msg, sheet)
	}
}

func ids(qs []*Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}
