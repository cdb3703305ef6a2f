package accessible

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

const (
	testAppKey  = "com.example.app"
	testAppName = "Example App"
)

var psRef = store.DraftRef{Subject: testAppKey, Questionnaire: "privacy-security"}

// catalogues returns the built-in questionnaires.
func catalogues(tb testing.TB) (*questionnaire.Catalogue, *questionnaire.Catalogue) {
	tb.Helper()
	cats, err := embedded.Catalogues()
	ps, ssa := cats.PrivacySecurity, cats.SelfAssessment
	if err != nil {
		tb.Fatal(err)
	}
	return ps, ssa
}

// env is one test's drafts file.
type env struct {
	t    *testing.T
	path string
	ps   *questionnaire.Catalogue
	ssa  *questionnaire.Catalogue
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ps, ssa := catalogues(t)
	return &env{t: t, path: filepath.Join(t.TempDir(), "pstab.db"), ps: ps, ssa: ssa}
}

// open opens the drafts file; the caller closes it.
func (e *env) open() *store.Store {
	e.t.Helper()
	s, err := store.Open(context.Background(), e.path, store.Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: e.ps, SelfAssessment: e.ssa}})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// withApp creates the test app and sets answers (question ID, pstab set words...).
func (e *env) withApp(answers map[string][]string) *env {
	e.t.Helper()
	s := e.open()
	defer s.Close()
	ctx := context.Background()
	if err := s.CreateApp(ctx, store.App{Key: testAppKey, Name: testAppName}); err != nil {
		e.t.Fatal(err)
	}
	for id, words := range answers {
		v, err := questionnaire.ParseValue(e.ps.Question(id), words)
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := s.SaveAnswer(ctx, psRef, id, v, store.AnyVersion); err != nil {
			e.t.Fatal(err)
		}
	}
	return e
}

// resumeAt records a resume position, as a session that stopped there would.
func (e *env) resumeAt(section, question string) *env {
	e.t.Helper()
	s := e.open()
	defer s.Close()
	if err := s.SetResume(context.Background(), psRef, section, question); err != nil {
		e.t.Fatal(err)
	}
	return e
}

// load reads the test app's draft from a fresh connection.
func (e *env) load() store.Draft {
	e.t.Helper()
	s := e.open()
	defer s.Close()
	d, err := s.Load(context.Background(), psRef)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// run runs a session on input with Echo on, as for piped input, and returns its output.
func (e *env) run(input string) (string, int, error) {
	e.t.Helper()
	return e.runWith(context.Background(), strings.NewReader(input), nil)
}

// runWith runs a session; wrap, when set, wraps the store.
func (e *env) runWith(ctx context.Context, in io.Reader, wrap func(Drafts) Drafts) (string, int, error) {
	e.t.Helper()
	s := e.open()
	defer s.Close()
	var drafts Drafts = s
	if wrap != nil {
		drafts = wrap(s)
	}
	var out bytes.Buffer
	code, err := Run(ctx, Config{In: in, Out: &out, Drafts: drafts, Catalogues: questionnaire.Catalogues{PrivacySecurity: e.ps, SelfAssessment: e.ssa}, Echo: true})
	return out.String(), code, err
}

// lines joins input lines, each ended by a newline.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// asked returns the IDs of the questions asked, in order, read from the output: each
// "Question N of M: PROMPT" line names one. A question said again (after ? or a refused
// answer) is not repeated unless another question came between.
func asked(t *testing.T, cat *questionnaire.Catalogue, out string) []string {
	t.Helper()
	byPrompt := map[string]string{}
	for _, q := range cat.Questions {
		byPrompt[questionnaire.OneLine(q.Prompt)] = q.ID
	}
	var ids []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "Question ") {
			continue
		}
		_, prompt, ok := strings.Cut(l, ": ")
		if !ok {
			continue
		}
		id, known := byPrompt[prompt]
		if !known {
			t.Fatalf("output names a question that is not in the catalogue: %q", l)
		}
		if len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
	}
	return ids
}

// answer returns the stored answer to id as the TUI would show it, or "" when unanswered.
func answer(cat *questionnaire.Catalogue, d store.Draft, id string) string {
	v, ok := d.Answers.Get(id)
	if !ok {
		return ""
	}
	return cat.Question(id).Display(v)
}

// after returns the output after the first occurrence of marker (or fails).
func after(t *testing.T, out, marker string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, marker)
	if !ok {
		t.Fatalf("output lacks %q:\n%s", marker, out)
	}
	return rest
}

// promptOf returns the question line the output uses for id.
func promptOf(cat *questionnaire.Catalogue, id string) string {
	return ": " + questionnaire.OneLine(cat.Question(id).Prompt)
}
