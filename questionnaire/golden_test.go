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

// answerSets are the golden answer sets: a payload file each, plus answers to the questions
// the API does not carry (a payload cannot hold them), as a partner would give them in pstab.
var answerSets = []struct {
	name  string
	title string
	local map[string]Value
}{
	{"nothing", "Issue Key Macro", map[string]Value{
		"bug-bounty": no, "caiq-lite": no, "has-certifications": no,
		"privacy-policy": Text("https://example.com/privacy"),
	}},
	{"full", "Reports for Jira", map[string]Value{
		"eea-mechanism": Text("EU Standard Contractual Clauses (2021), module 3; EU-US Data Privacy Framework"),
		"bug-bounty":    yes, "caiq-lite": yes, "has-certifications": yes,
		"certifications":       List("SOC2_TYPE2", "ISO27001", "OTHER"),
		"other-certifications": List("Cyber Essentials Plus (2026)"),
		"privacy-policy":       Text("https://example.com/trust/privacy"),
	}},
	{"half", "Draft App", map[string]Value{
		"has-certifications": yes,
	}},
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
			// The payload golden is the file read back: it must equal the input as JSON.
			assertJSONEqual(t, payload, readTestdata(t, "answers", set.name+".json"))
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
	for _, s := range []string{"third-parties", "residency", "retention"} {
		if vis.SectionShown(c.Section(s)) {
			t.Errorf("nothing: section %s is shown", s)
		}
	}
	if p := c.Progress(nothing); !p.Complete() || HasBlocking(c.Validate(nothing)) {
		t.Errorf("nothing: complete %v, problems %v", p.Complete(), messages(c.Validate(nothing)))
	}
	if p := c.Progress(full); !p.Complete() || len(c.Validate(full)) != 0 {
		t.Errorf("full: complete %v, problems %v", p.Complete(), messages(c.Validate(full)))
	}
	for _, id := range []string{"sub-processors", "eea-mechanism", "residency-locations", "retention-period", "pets", "other-certifications"} {
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
