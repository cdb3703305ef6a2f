package questionnaire

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// baseCatalogue is a small valid catalogue; the cases below break one line of it. Line
// numbers matter: every case asserts the exact line the loader names.
const baseCatalogue = `id: test
title: Test
level: app
sections:
  - id: one
    title: One
    questions:
      - id: first
        prompt: First?
        help: Help.
        kind: yesno
        view: default
        api: a.first
      - id: second
        prompt: Second?
        help: Help.
        kind: choice
        view: default
        options:
          - {value: A, label: Option A}
          - {value: B, label: Option B}
        show_if: {question: first, equals: true}
        api: a.second
      - id: third
        prompt: Third?
        help: Help.
        kind: list
        view: expanded
        show_if: {question: second, equals: A}
        api: b.third
  - id: two
    title: Two
    show_if: {question: first, equals: true}
    questions:
      - id: fourth
        prompt: Fourth?
        help: Help.
        kind: tristate
        view: default
        options:
          - {value: "TRUE", label: "Yes"}
          - {value: "FALSE", label: "No"}
        api: c.fourth
`

// editLines replaces whole lines of text (1-based); a replacement may hold several lines
// (an insertion) or be "" with delete set to remove the line.
func editLines(t *testing.T, text string, edits map[int]string) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	var out []string
	for i, line := range lines {
		if repl, ok := edits[i+1]; ok {
			if repl != "<delete>" {
				out = append(out, strings.Split(repl, "\n")...)
			}
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func TestLoadBaseCatalogue(t *testing.T) {
	c, err := Load("base.yaml", []byte(baseCatalogue))
	if err != nil {
		t.Fatalf("the base catalogue of these tests is refused: %v", err)
	}
	if len(c.Questions) != 4 || c.Question("second").Line != 14 || c.Question("third").SectionRank != 2 {
		t.Errorf("base catalogue read wrong: %d questions, second on line %d", len(c.Questions), c.Question("second").Line)
	}
}

func TestLoadRefusesBrokenCatalogues(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edits    map[int]string
		line     int
		question string
		msg      string // a part of the message
	}{
		{"duplicate question ID", map[int]string{24: "      - id: first"},
			24, "first", "duplicate question ID (first defined on line 8)"},
		{"unknown kind", map[int]string{11: "        kind: yesnoo"},
			8, "first", `unknown kind "yesnoo"`},
		{"missing kind", map[int]string{11: "<delete>"},
			8, "first", "missing kind"},
		{"condition on an unknown question", map[int]string{22: "        show_if: {question: nosuch, equals: true}"},
			22, "second", `unknown question "nosuch"`},
		{"condition on a later question", map[int]string{22: "        show_if: {question: third, answered: true}"},
			22, "second", "third, which does not come earlier"},
		{"condition on itself", map[int]string{22: "        show_if: {question: second, equals: A}"},
			22, "second", "second, which does not come earlier"},
		{"condition on a later question inside all", map[int]string{22: "        show_if:\n          all:\n            - {question: first, equals: true}\n            - {question: fourth, answered: true}"},
			25, "second", "fourth, which does not come earlier"},
		{"section condition on a question of its own section", map[int]string{33: "    show_if: {question: fourth, answered: true}"},
			33, "", "section two: condition refers to fourth"},
		{"missing options", map[int]string{19: "<delete>", 20: "<delete>", 21: "<delete>"},
			14, "second", "missing options"},
		{"only one option", map[int]string{21: "<delete>"},
			20, "second", "at least two options"}, // the options list starts on line 20
		{"duplicate option", map[int]string{21: "          - {value: A, label: Again}"},
			21, "second", `duplicate option value "A"`},
		{"options on a yes/no question", map[int]string{12: "        view: default\n        options: [{value: A, label: A}]"},
			13, "first", "options are only for"},
		{"API path with an empty key", map[int]string{13: "        api: a..first"},
			13, "first", `bad API path "a..first"`},
		{"API path with a space", map[int]string{13: "        api: a.first field"},
			13, "first", `bad API path "a.first field"`},
		{"API path given as a list", map[int]string{13: "        api: [a.first]"},
			13, "first", "bad API path"},
		{"duplicate API path", map[int]string{23: "        api: a.first"},
			14, "second", `bad API path "a.first": question first (line 8) already uses it`},
		{"API path inside another answer", map[int]string{30: "        api: a.first.detail"},
			24, "third", `bad API path "a.first.detail": it lies inside a.first, the answer of first (line 8)`},
		{"unknown key (typo)", map[int]string{22: "        shwo_if: {question: first, equals: true}"},
			22, "second", `unknown key "shwo_if" in question`},
		{"unknown key in a condition", map[int]string{22: "        show_if: {question: first, equal: true}"},
			22, "second", `unknown key "equal" in condition`},
		{"key given twice", map[int]string{12: "        view: default\n        view: expanded"},
			13, "first", `key "view" is given twice`},
		{"string compared with a yes/no question", map[int]string{22: `        show_if: {question: first, equals: "yes"}`},
			22, "second", `first is a yes/no question; compare it with true or false, not "yes"`},
		{"boolean compared with a choice question", map[int]string{29: "        show_if: {question: second, equals: true}"},
			29, "third", "second is a choice question; compare it with a string, not true"},
		{"option value not among the options", map[int]string{29: "        show_if: {question: second, equals: C}"},
			29, "third", `second has no option "C" (its options are "A", "B")`},
		{"option value not among the options in a list", map[int]string{29: "        show_if: {question: second, in: [A, D]}"},
			29, "third", `second has no option "D"`},
		{"two tests in one condition", map[int]string{22: "        show_if: {question: first, equals: true, answered: true}"},
			22, "second", "exactly one of equals, in or answered"},
		{"judge rule without because", map[int]string{13: "        api: a.first\n        judge:\n          - if: {question: first, equals: true}\n            verdict: fail\n          - verdict: pass"},
			15, "first", "a fail verdict needs a because"},
		{"judge rule with an unknown verdict", map[int]string{13: "        api: a.first\n        judge:\n          - verdict: great"},
			15, "first", `verdict must be pass, needs-details or fail, not "great"`},
		{"judge rules without a final catch-all", map[int]string{13: "        api: a.first\n        judge:\n          - if: {question: first, equals: true}\n            verdict: pass"},
			15, "first", "the last judge rule must have no if"}, // the rule list starts on line 15
		{"missing view", map[int]string{12: "<delete>"},
			8, "first", "missing view"},
		{"unknown view", map[int]string{12: "        view: hidden"},
			8, "first", `view must be default or expanded, not "hidden"`},
		{"missing help", map[int]string{10: "<delete>"},
			8, "first", "missing help text"},
		{"bad question ID", map[int]string{8: "      - id: First_Question"},
			8, "First_Question", "a question needs an id of lowercase letters"},
		{"required that is not a boolean", map[int]string{12: "        view: default\n        required: sometimes"},
			13, "first", "expected true or false"},
		{"tri-state option that is not true, false or NOT_APPLICABLE", map[int]string{41: `          - {value: "MAYBE", label: "No"}`},
			41, "fourth", `a tristate option's value is true, false or NOT_APPLICABLE, not "MAYBE"`},
		{"option value and a former value of another option", map[int]string{21: "          - {value: B, label: Option B, formerly: [A]}"},
			21, "second", `duplicate option value "A"`},
		{"unknown listing fact", map[int]string{13: "        listing: nowhere"},
			8, "first", `listing must be bug-bounty or privacy-link, not "nowhere"`},
		{"listing fact with an API path", map[int]string{12: "        view: default\n        listing: bug-bounty"},
			8, "first", "a listing fact is not sent in the Privacy & Security form: remove its api path"},
		{"listing fact of the wrong kind", map[int]string{30: "        listing: bug-bounty"},
			24, "third", "the listing fact bug-bounty is a yesno question, not list"},
		{"formerly on a question that is not a list", map[int]string{13: "        api: a.first\n        formerly: {questions: [old]}"},
			14, "first", "formerly is only for list questions"},
		{"formerly naming a question that still exists", map[int]string{30: "        api: b.third\n        formerly: {questions: [first]}"},
			24, "third", "formerly names first, which is still a question"},
		{"retired without a note", map[int]string{3: "level: app\nretired: {on: \"2023-08-13\"}"},
			4, "", "retired needs a note"},
		{"retired without a date", map[int]string{3: "level: app\nretired: {on: last year, note: Gone.}"},
			4, "", "retired needs on: the date the program was retired"},
		// For these syntax errors yaml.v3 names the line before the broken one (the end of
		// the construct it was reading); the loader passes on the line yaml.v3 gives.
		{"invalid YAML (tab indentation)", map[int]string{12: "\tview: default"},
			11, "", "not valid YAML: found a tab character that violates indentation"},
		{"invalid YAML (unclosed flow mapping)", map[int]string{20: "          - {value: A, label: Option A"},
			19, "", "not valid YAML: did not find expected ',' or '}'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := editLines(t, baseCatalogue, tc.edits)
			_, err := Load("broken.yaml", []byte(text))
			if err == nil {
				t.Fatalf("the broken catalogue was accepted:\n%s", text)
			}
			var ce *CatalogueError
			if !errors.As(err, &ce) {
				t.Fatalf("error is %T, want *CatalogueError: %v", err, err)
			}
			if ce.File != "broken.yaml" || ce.Line != tc.line || ce.Question != tc.question {
				t.Errorf("error at %s:%d question %q, want broken.yaml:%d question %q\n%v",
					ce.File, ce.Line, ce.Question, tc.line, tc.question, err)
			}
			if !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("message %q does not say %q", ce.Msg, tc.msg)
			}
			// The one line a maintainer reads names file, line and question.
			msg := err.Error()
			if !strings.HasPrefix(msg, "broken.yaml:"+strconv.Itoa(tc.line)+": ") {
				t.Errorf("message %q does not start with the file and line", msg)
			}
			if tc.question != "" && !strings.Contains(msg, "question "+tc.question+": ") {
				t.Errorf("message %q does not name question %s", msg, tc.question)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message has more than one line: %q", msg)
			}
		})
	}
}

func TestLoadRefusesBrokenCatalogueDocuments(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		line int
		msg  string
	}{
		{"empty file", "", 0, "the file is empty"},
		{"not a mapping", "- a\n- b\n", 1, "expected a catalogue"},
		{"no sections", "id: x\ntitle: X\nlevel: app\n", 1, "needs a list of sections"},
		{"bad level", "id: x\ntitle: X\nlevel: team\nsections: []\n", 1, `level must be app or partner, not "team"`},
		{"unknown top-level key", "id: x\ntitle: X\nlevel: app\nsectons: []\n", 4, `unknown key "sectons" in catalogue`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("doc.yaml", []byte(tc.text))
			var ce *CatalogueError
			if !errors.As(err, &ce) {
				t.Fatalf("error is %T (%v), want *CatalogueError", err, err)
			}
			if ce.Line != tc.line || !strings.Contains(ce.Msg, tc.msg) || ce.File != "doc.yaml" {
				t.Errorf("got %v, want line %d and %q", err, tc.line, tc.msg)
			}
		})
	}
}

func TestBuiltinCataloguesLoad(t *testing.T) {
	for _, tc := range []struct {
		c         *Catalogue
		id, level string
		minQ      int
	}{
		{ps(t), "privacy-security", "app", 40},
		{ssa(t), "self-assessment", "partner", 13},
	} {
		t.Run(tc.id, func(t *testing.T) {
			if tc.c.ID != tc.id || tc.c.Level != tc.level {
				t.Errorf("catalogue %s level %s, want %s level %s", tc.c.ID, tc.c.Level, tc.id, tc.level)
			}
			if len(tc.c.Questions) < tc.minQ {
				t.Errorf("%d questions, want at least %d", len(tc.c.Questions), tc.minQ)
			}
			for i, q := range tc.c.Questions {
				if q.Index != i || tc.c.Question(q.ID) != q || q.Line == 0 || q.Help == "" {
					t.Errorf("question %s: index %d (want %d), line %d, help %q", q.ID, q.Index, i, q.Line, q.Help)
				}
				if q.Kind.HasOptions() && len(q.Options) == 0 {
					t.Errorf("question %s has no options", q.ID)
				}
			}
		})
	}
	// Every numbered self-assessment question is judged.
	judged := 0
	for _, q := range ssa(t).Questions {
		if q.Number != "" {
			judged++
			if len(q.Judge) == 0 {
				t.Errorf("self-assessment question %s has no passing criterion", q.Label())
			}
		}
	}
	if judged != 14 { // 1a, 1b, 2 ... 13
		t.Errorf("%d numbered self-assessment questions, want 14 (1a, 1b, 2-13)", judged)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadFile(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
}
