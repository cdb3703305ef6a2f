package questionnaire

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -update rewrites the golden files instead of comparing with them:
//
//	go test ./questionnaire -update
//
// It is registered only if no other test file of the package has registered it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/golden")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// assertGolden compares got with testdata/golden/name byte for byte, printing a line diff
// when they differ, or rewrites the file with -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./questionnaire -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (- golden, + now; go test ./questionnaire -update accepts it):\n%s",
			path, lineDiff(string(want), string(got)))
	}
}

// lineDiff is a small longest-common-subsequence diff of two texts, line by line, with
// two lines of context around each change.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, line{' ', x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] > lcs[i+1][j]):
			lines = append(lines, line{'+', y[j]})
			j++
		default:
			lines = append(lines, line{'-', x[i]})
			i++
		}
	}
	var out strings.Builder
	for k, l := range lines {
		near := false
		for d := -2; d <= 2; d++ {
			if k+d >= 0 && k+d < len(lines) && lines[k+d].op != ' ' {
				near = true
			}
		}
		if near {
			fmt.Fprintf(&out, "%c %q\n", l.op, l.text)
		}
	}
	return out.String()
}

// answerSets are the golden answer sets: a payload file each, plus the rows Atlassian takes
// from the listing (a payload cannot hold them), as a partner would record them in pstab.
// The files spell tri-states every way files and servers do ("TRUE", "True", true,
// "not_applicable"), use the residency value earlier catalogues invented, and carry the
// server's read-only keys: the goldens show them read by meaning and written in the
// documented form.
var answerSets = []struct {
	name  string
	title string
	local map[string]Value
}{
	{"nothing", "Issue Key Macro", map[string]Value{
		"bug-bounty": no, "privacy-policy": Text("https://example.com/privacy"),
	}},
	{"full", "Reports for Jira", map[string]Value{
		"bug-bounty": yes, "privacy-policy": Text("https://example.com/trust/privacy"),
	}},
	{"half", "Draft App", map[string]Value{}},
}

func TestGoldenAnswerSets(t *testing.T) {
	c := ps(t)
	for _, set := range answerSets {
		t.Run(set.name, func(t *testing.T) {
			a, shape := decode(t, readTestdata(t, "answers", set.name+".json"))
			if shape != ShapeV2Put {
				t.Fatalf("answer set %s is a %v, want the v2 PUT body", set.name, shape)
			}
			for id, v := range set.local {
				if !c.Question(id).Local() {
					t.Fatalf("%s is carried by the API; put it in %s.json", id, set.name)
				}
				a.Set(id, v)
			}
			payload, err := c.EncodePayload(a, ShapeV2Put)
			if err != nil {
				t.Fatal(err)
			}
			// The payload golden is the file written in the documented form: read back, it
			// means what the file meant, and holds nothing but the seven answer groups.
			back, _ := decode(t, payload)
			for id, v := range set.local {
				back.Set(id, v)
			}
			if d := c.Diff(a, back); len(d) != 0 {
				t.Errorf("the payload means something else than the file: %v", d)
			}
			if d := c.DiffExtra(a.Extra, back.Extra); len(d) != 0 {
				t.Errorf("the payload lost or changed fields pstab does not know: %v", d)
			}
			for _, key := range append([]string{V2PutKey}, ReadOnlyKeys...) {
				if key != V2PutKey && strings.Contains(string(payload), `"`+key+`"`) {
					t.Errorf("the payload holds the read-only key %s", key)
				}
			}
			assertGolden(t, set.name+".payload.json", payload)
			assertGolden(t, set.name+".default.md", []byte(c.Markdown(a, MarkdownOptions{Views: ViewsDefault, Title: set.title})))
			assertGolden(t, set.name+".expanded.md", []byte(c.Markdown(a, MarkdownOptions{Views: ViewsExpanded, Title: set.title})))
			assertGolden(t, set.name+".sheet.txt", []byte(c.Sheet(a, set.title)))
		})
	}
}

// TestGoldenAnswerSetsMeanWhatTheySay keeps the answer sets honest: each is the kind of
// draft its name says, so the goldens show what they are meant to show.
func TestGoldenAnswerSetsMeanWhatTheySay(t *testing.T) {
	c := ps(t)
	load := func(name string) Answers {
		a, _ := decode(t, readTestdata(t, "answers", name+".json"))
		for _, set := range answerSets {
			if set.name == name {
				for id, v := range set.local {
					a.Set(id, v)
				}
			}
		}
		return a
	}
	nothing, full, half := load("nothing"), load("full"), load("half")
	vis := c.Visible(nothing)
	// An app that neither stores nor processes End-User Data outside Atlassian is still
	// asked about third parties, residency and retention; only the data types go.
	for _, s := range []string{"third-parties", "residency", "retention"} {
		if !vis.SectionShown(c.Section(s)) {
			t.Errorf("nothing: section %s is hidden", s)
		}
	}
	for _, id := range []string{"stored-data-types", "processed-data-types", "same-data-processed-stored"} {
		if vis.ShowsID(id) {
			t.Errorf("nothing: %s is shown", id)
		}
	}
	if p := c.Progress(nothing); !p.Complete() || HasBlocking(c.Validate(nothing)) {
		t.Errorf("nothing: complete %v, problems %v", p.Complete(), messages(c.Validate(nothing)))
	}
	if p := c.Progress(full); !p.Complete() || len(c.Validate(full)) != 0 {
		t.Errorf("full: complete %v, problems %v", p.Complete(), messages(c.Validate(full)))
	}
	for _, q := range c.Questions {
		if _, ok := full.Get(q.ID); !ok {
			t.Errorf("full: %s is not answered; the full set answers every question", q.ID)
		}
	}
	// A file holding every documented field previews without a false "not provided".
	if md := c.Markdown(full, MarkdownOptions{Views: ViewsAll}); strings.Contains(md, NotProvided) || strings.Contains(md, FromListingUnknown) {
		t.Errorf("full: the preview says a response is missing:\n%s", md)
	}
	for _, id := range []string{"sub-processors", "eea-mechanism", "residency-locations", "retention-period", "pets", "certifications", "dpa-link", "caiq-lite-link", "gdpr-controller-data-types", "ccpa-business-data-types", "sub-processor-list"} {
		if !c.Visible(full).ShowsID(id) {
			t.Errorf("full: %s is not shown", id)
		}
	}
	if v, _ := full.Get("sub-processors"); len(v.Entities) < 2 {
		t.Errorf("full: %d sub-processors, want two or more", len(v.Entities))
	}
	p := c.Progress(half)
	if p.Complete() || p.Answered == 0 || !HasBlocking(c.Validate(half)) {
		t.Errorf("half: %d/%d answered, problems %v; want a half-finished draft with a blocking problem", p.Answered, p.Total, messages(c.Validate(half)))
	}
}

func TestGoldenSelfAssessment(t *testing.T) {
	c := ssa(t)
	b, notes, err := c.DecodeBundle(readTestdata(t, "answers", "self-assessment.json"))
	if err != nil || len(notes) != 0 {
		t.Fatalf("DecodeBundle: %v %v", err, notes)
	}
	assertGolden(t, "self-assessment.md", []byte(c.Markdown(b.Answers, MarkdownOptions{Views: ViewsDefault, Title: b.AppName})))
	var out strings.Builder
	for _, j := range c.Judge(b.Answers) {
		fmt.Fprintln(&out, strings.TrimRight(fmt.Sprintf("%-5s %-13s %s", j.Question.Number, j.Verdict, j.Because), " "))
	}
	assertGolden(t, "self-assessment.judgement.txt", []byte(out.String()))
}
