package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/cli"
)

// reviewRun runs pstab in-process as a named person, with a drafts file that may not exist.
type reviewRun struct {
	t      *testing.T
	dir    string
	db     string
	author string
}

func newReviewRun(t *testing.T) *reviewRun {
	dir := t.TempDir()
	return &reviewRun{t: t, dir: dir, db: filepath.Join(dir, "data", "pstab.db"), author: "Ana"}
}

func (e *reviewRun) as(author string) *reviewRun { c := *e; c.author = author; return &c }

func (e *reviewRun) run(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"PSTAB_DB": e.db, "PSTAB_AUTHOR": e.author}
	app := &cli.App{Version: "test", In: strings.NewReader(stdin), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env[k] }}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func (e *reviewRun) must(args ...string) result {
	e.t.Helper()
	r := e.run("", args...)
	if r.code != 0 {
		e.t.Fatalf("pstab %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r
}

func (e *reviewRun) path(name string) string { return filepath.Join(e.dir, name) }

// bundleWithAnswers makes a draft, exports it as a bundle and returns the bundle's path.
func (e *reviewRun) bundleWithAnswers(key string) string {
	e.t.Helper()
	e.must("new", key, "--name", "Reports")
	e.must("set", key, "stores-eud", "yes")
	e.must("set", key, "stored-data-types", "Issue keys")
	e.must("set", key, "logs-eud", "no")
	out := e.path("for-review.json")
	e.must("export", key, "--format", "bundle", "-o", out)
	return out
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReviewCommandsOnAFileUseNoDatabase(t *testing.T) {
	partner := newReviewRun(t)
	file := partner.bundleWithAnswers("com.example.rep")
	// The reviewer's drafts file is somewhere that does not exist, and must stay so.
	ana := newReviewRun(t)
	data := readBytes(t, file)
	f := ana.path("r.json")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	other := ana.path("other.json")
	if err := os.WriteFile(other, data, 0o600); err != nil {
		t.Fatal(err)
	}

	ana.must("comment", f, "logs-eud", "Really?")
	ana.must("comment", f, "--general", "Fine otherwise.")
	ana.must("comment", f, "logs-eud", "Check access logs.")
	ana.must("request-changes", f, "-m", "See logs-eud.")
	ana.must("comments", f)
	ana.must("comments", f, "--json")
	ana.must("diff", other, f)
	// -o leaves FILE byte-identical.
	before := readBytes(t, f)
	ana.must("approve", f, "-o", ana.path("approved.json"))
	if !bytes.Equal(before, readBytes(t, f)) {
		t.Error("approve -o changed FILE")
	}
	r := ana.must("comments", ana.path("approved.json"), "--json")
	var got struct {
		Decision    struct{ Decision string }
		Approved    bool
		OpenThreads int
		Threads     []struct {
			Question string
			General  bool
			Comments []struct{ Author, Text string }
		}
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Decision.Decision != "approved" || !got.Approved || got.OpenThreads != 2 || len(got.Threads) != 2 ||
		!got.Threads[0].General || got.Threads[1].Question != "logs-eud" || len(got.Threads[1].Comments) != 2 {
		t.Errorf("comments --json: %+v", got)
	}
	if _, err := os.Stat(filepath.Dir(ana.db)); err == nil {
		t.Error("a command on files made the drafts folder")
	}
	// A KEY beside a FILE, with no drafts file at all: one sentence, and still nothing made.
	r = ana.run("", "diff", f, "com.example.rep")
	if r.code != 1 {
		t.Errorf("diff FILE KEY without a database: exit %d", r.code)
	}
	assertOneSentence(t, r.err, "no drafts database")
	if _, err := os.Stat(filepath.Dir(ana.db)); err == nil {
		t.Error("diff FILE KEY made the drafts folder")
	}
}

func TestReviewCommandsRefuseWhatIsWrong(t *testing.T) {
	e := newReviewRun(t)
	file := e.bundleWithAnswers("com.example.rep")
	payload := e.path("payload.json")
	e.must("export", "com.example.rep", "--format", "payload", "-o", payload)
	before := readBytes(t, file)
	cases := []struct {
		name string
		code int
		args []string
		says string
	}{
		{"payload", 2, []string{"comment", payload, "logs-eud", "x"}, "is a payload"},
		{"unknown question", 2, []string{"comment", file, "no-such-question", "x"}, "not a question"},
		{"empty comment", 2, []string{"comment", file, "logs-eud", " "}, "empty"},
		{"bidi", 2, []string{"comment", file, "logs-eud", "a\u202eb"}, "bidirectional"},
		{"reply to nothing", 1, []string{"reply", file, "logs-eud", "x"}, "nothing to reply to"},
		{"resolve nothing", 1, []string{"comment", file, "logs-eud", "--resolve"}, "no comments on logs-eud to resolve"},
		{"request changes without a message", 2, []string{"request-changes", file}, "say what should change with -m TEXT"},
		{"approve a key", 2, []string{"approve", "com.example.rep"}, "pstab export com.example.rep --format bundle"},
		{"too few args", 2, []string{"comment", file}, "comment takes"},
		{"both actions", 2, []string{"comment", file, "logs-eud", "--resolve", "--reopen"}, "not both"},
		{"-o with a key", 2, []string{"comment", "com.example.rep", "logs-eud", "x", "-o", e.path("x.json")}, "-o is for a bundle"},
		{"review into the screen", 2, []string{"review", file, "-o", "-"}, "would write the bundle into the screen"},
		{"hostile author", 2, []string{"comment", file, "logs-eud", "x", "--author", "Ana\x1b[2J"}, "escape character"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run("", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.err)
			}
			if tc.says != "" {
				assertOneSentence(t, r.err, tc.says)
			}
			if !bytes.Equal(before, readBytes(t, file)) {
				t.Error("a refused command changed the file")
			}
		})
	}
	if _, err := os.Stat(e.path("x.json")); err == nil {
		t.Error("a refused command wrote -o")
	}
}

func TestImportOfAReviewedBundle(t *testing.T) {
	e := newReviewRun(t).as("Pat")
	file := e.bundleWithAnswers("com.example.rep")
	ana := e.as("Ana")
	ana.must("comment", file, "stored-data-types", "Account IDs too?")
	ana.must("request-changes", file, "-m", "One point.")

	// The partner changed an answer meanwhile: import keeps it and says the bundle differs.
	e.must("set", "com.example.rep", "logs-eud", "yes")
	r := e.must("import", "com.example.rep", file)
	if !strings.Contains(r.err, "1 new comment and a decision") || !strings.Contains(r.err, "differ in 1 question (logs-eud)") {
		t.Errorf("import: %s", r.err)
	}
	r = e.must("check", "com.example.rep", "--json")
	if !strings.Contains(r.out, "logs-outside-atlassian") {
		t.Error("import replaced the partner's newer answer")
	}
	// Importing again brings nothing new.
	if r := e.must("import", "com.example.rep", file); !strings.Contains(r.err, "nothing new") {
		t.Errorf("second import: %s", r.err)
	}
	// --replace-answers takes the bundle's answers as a save point (asking first, as any
	// import over answers does), and keeps the comments.
	if r := e.run("", "import", "com.example.rep", file, "--replace-answers"); r.code != 2 || !strings.Contains(r.err, "--yes") {
		t.Errorf("--replace-answers with no terminal to ask on: exit %d, %s", r.code, r.err)
	}
	e.must("import", "com.example.rep", file, "--replace-answers", "--yes")
	r = e.must("comments", "com.example.rep", "--json")
	if !strings.Contains(r.out, "Account IDs too?") {
		t.Error("comments lost by --replace-answers")
	}
	r = e.must("diff", "com.example.rep", file)
	if !strings.Contains(r.out, "No differences in the answers") {
		t.Errorf("after --replace-answers: %s", r.out)
	}
	// A revert does not delete a conversation.
	e.must("revert", "com.example.rep", "1", "--yes")
	if r := e.must("comments", "com.example.rep"); !strings.Contains(r.out, "Account IDs too?") {
		t.Error("revert lost the comments")
	}
	// Another app's bundle is refused; with --as-other-app its answers go in, not its review.
	e.must("new", "com.example.other", "--name", "Other")
	e.must("set", "com.example.other", "stores-eud", "no")
	r = e.run("", "import", "com.example.other", file)
	if r.code != 1 {
		t.Errorf("import of another app's reviewed bundle: exit %d", r.code)
	}
	assertOneSentence(t, r.err, "holds the answers of com.example.rep, not com.example.other")
	r = e.must("import", "com.example.other", file, "--as-other-app", "--yes")
	if !strings.Contains(r.err, "The review in "+file+" was left out") {
		t.Errorf("import --as-other-app of a reviewed bundle: %s", r.err)
	}
	if r := e.must("comments", "com.example.other"); strings.Contains(r.out, "Account IDs too?") {
		t.Error("another app's review came in with --as-other-app")
	}
	// copy --with-comments brings the comments, not the decision.
	e.must("new", "com.example.lite", "--name", "Lite")
	e.must("copy", "com.example.rep", "com.example.lite", "--with-comments")
	r = e.must("comments", "com.example.lite")
	if !strings.Contains(r.out, "Account IDs too?") || !strings.Contains(r.out, "No reviewer has approved") {
		t.Errorf("copied review: %s", r.out)
	}
	// The exported bundle carries the thread onward.
	r = e.must("export", "com.example.rep", "--format", "bundle")
	if !strings.Contains(r.out, `"Account IDs too?"`) || !strings.Contains(r.out, `"changes-requested"`) {
		t.Errorf("export does not carry the review:\n%s", r.out)
	}
}

func TestCommentsOnADraftAndFromStandardInput(t *testing.T) {
	e := newReviewRun(t).as("Pat")
	file := e.bundleWithAnswers("com.example.rep")
	r := e.run("Multi-line\ncomment from a file\n", "comment", "com.example.rep", "logs-eud", "-")
	if r.code != 0 || !strings.Contains(r.err, "Commented on logs-eud in the draft of com.example.rep; 1 thread is open.") {
		t.Fatalf("comment -: exit %d %s", r.code, r.err)
	}
	r = e.must("comments", "com.example.rep")
	if !strings.Contains(r.out, "Multi-line\n      comment from a file") {
		t.Errorf("multi-line comment:\n%s", r.out)
	}
	// A bundle on standard input goes to standard output, commented.
	r = e.run(string(readBytes(t, file)), "comment", "-", "logs-eud", "From a pipe.")
	if r.code != 0 || !strings.Contains(r.out, `"From a pipe."`) || !strings.Contains(r.err, "standard output") {
		t.Fatalf("comment on stdin: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	// An unknown app key gives one sentence.
	r = e.run("", "comment", "com.example.nope", "logs-eud", "x")
	if r.code != 1 {
		t.Errorf("unknown app: exit %d", r.code)
	}
	assertOneSentence(t, r.err, "no app com.example.nope")
}

func TestDiffWithFilesSaysWhatItTakes(t *testing.T) {
	e := newReviewRun(t)
	file := e.bundleWithAnswers("com.example.rep")
	for _, args := range [][]string{{"diff", file}, {"diff", file, file, file}, {"diff", file, "com.example.rep", "--remote"}} {
		r := e.run("", args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d", args, r.code)
		}
		assertOneSentence(t, r.err)
	}
	// KEY FILE and FILE KEY both work, and a save point number is not a file.
	e.must("savepoint", "com.example.rep")
	e.must("set", "com.example.rep", "logs-eud", "yes")
	if r := e.must("diff", "com.example.rep", file); !strings.Contains(r.out, "From the draft of com.example.rep to "+file) {
		t.Errorf("diff KEY FILE:\n%s", r.out)
	}
	if r := e.must("diff", file, "com.example.rep"); !strings.Contains(r.out, "Changed from \"No\" to \"Yes\"") {
		t.Errorf("diff FILE KEY:\n%s", r.out)
	}
	t.Chdir(e.dir)
	if err := os.WriteFile("1", []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.must("diff", "com.example.rep", "1"); !strings.Contains(r.out, "From save point 1 to working draft") {
		t.Errorf("diff KEY 1 with a file named 1 beside:\n%s", r.out)
	}
}

// Two exports of one save point can hold different answers: the files are named by their
// save point only where the two differ.
func TestFileDiffNamesRevisionsOnlyWhenTheyDiffer(t *testing.T) {
	e := newReviewRun(t)
	e.bundleWithAnswers("com.example.rep")
	e.must("savepoint", "com.example.rep", "-m", "first")
	e.must("export", "com.example.rep", "--format", "bundle", "-o", e.path("a.json"))
	e.must("set", "com.example.rep", "logs-eud", "yes")
	e.must("export", "com.example.rep", "--format", "bundle", "-o", e.path("b.json"))
	r := e.must("diff", e.path("a.json"), e.path("b.json"))
	if want := "From " + e.path("a.json") + " to " + e.path("b.json") + ": 1 answer changed."; !strings.Contains(r.out, want) {
		t.Errorf("diff of one save point's exports lacks %q:\n%s", want, r.out)
	}
	e.must("savepoint", "com.example.rep", "-m", "second")
	e.must("export", "com.example.rep", "--format", "bundle", "-o", e.path("c.json"))
	r = e.must("diff", e.path("a.json"), e.path("c.json"))
	if want := "From " + e.path("a.json") + " (revision 1) to " + e.path("c.json") + " (revision 2)"; !strings.Contains(r.out, want) {
		t.Errorf("diff of two save points' exports lacks %q:\n%s", want, r.out)
	}
}
