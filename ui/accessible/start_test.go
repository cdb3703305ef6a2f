package accessible

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// On an empty database the prompter says what pstab does and creates the first app, with
// the wizard's key and name rules.
func TestEmptyDatabaseCreatesTheFirstApp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, code, err := e.run(lines("bad key!", "com.example.app", "", "Example App", "quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !strings.HasPrefix(out, intro+"\n") {
		t.Errorf("the first line does not say what pstab does:\n%s", out)
	}
	keyErr, nameErr := store.ValidateAppKey("bad key!"), store.ValidateAppName("")
	for _, want := range []string{questionnaire.Sentence(keyErr.Error()), questionnaire.Sentence(nameErr.Error()), "Created Example App (com.example.app)."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	s := e.open()
	defer s.Close()
	if app, err := s.App(context.Background(), testAppKey); err != nil || app.Name != testAppName {
		t.Errorf("app %+v, %v", app, err)
	}
	if got := asked(t, e.ps, out); !slices.Equal(got, []string{"stores-eud"}) {
		t.Errorf("asked %v", got)
	}
}

func TestChoosingWhatToFillIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(map[string][]string{"stores-eud": {"no"}})
	s := e.open()
	if err := s.CreateApp(context.Background(), store.App{Key: "com.other.app", Name: "Other"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	out, _, _ := e.run(lines("quit"))
	for _, want := range []string{"Choose what to fill in:", "Example App (com.example.app)", "Other (com.other.app): not started.",
		"3. Security Self-Assessment (@partner): not started.", "Type a number, an app key, or new to create an app."} {
		if !strings.Contains(out, want) {
			t.Errorf("the list lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = e.run(lines("com.other.app", "quit"))
	if !strings.Contains(out, "Privacy & Security for Other (com.other.app):") {
		t.Errorf("an app key typed directly:\n%s", out)
	}
	out, _, _ = e.run(lines("3", "quit"))
	if !strings.Contains(out, "Security Self-Assessment for your company (@partner):") {
		t.Errorf("the self-assessment by number:\n%s", out)
	}
	if got := asked(t, e.ssa, out); len(got) != 1 || got[0] != e.ssa.Visible(questionnaire.NewAnswers()).Questions()[0].ID {
		t.Errorf("the self-assessment asked %v", got)
	}
	if !strings.Contains(out, "Run pstab check @partner to see how each answer meets its passing criterion") {
		t.Errorf("the self-assessment's next steps:\n%s", out)
	}
	out, _, _ = e.run(lines("com.new.app", "New App", "quit"))
	if !strings.Contains(out, "There is no app com.new.app yet.") || !strings.Contains(out, "Created New App (com.new.app).") {
		t.Errorf("a new key typed directly:\n%s", out)
	}
	out, code, err := e.run(lines("9", "", "what?"))
	if code != ExitUsage || err == nil {
		t.Errorf("three wrong choices: exit %d, %v; want 2 with a sentence\n%s", code, err, out)
	}
	if !strings.Contains(out, "There is no number 9 in the list.") {
		t.Errorf("a wrong number:\n%s", out)
	}
	if _, code, _ := e.run(""); code != ExitOK {
		t.Errorf("empty input at the start: exit %d, want 0", code)
	}
}

// Sub-processors: each field of each entry in turn, each checked at once with the
// engine's sentence, then "add another?".
func TestEntitiesFieldByField(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(map[string][]string{"stores-eud": {"yes"}}).resumeAt("third-parties", "shares-eud")
	q := e.ps.Question("sub-processors")
	badLink := fieldProblems(q, nil, questionnaire.Entity{Fields: map[string]questionnaire.Value{
		"name": questionnaire.Text("AWS"), "link": questionnaire.Text("not a link")}}, "link")
	first := questionnaire.Entity{Fields: map[string]questionnaire.Value{"name": questionnaire.Text("AWS")}}
	noName := fieldProblems(q, []questionnaire.Entity{first}, questionnaire.Entity{Fields: map[string]questionnaire.Value{}}, "name")
	if len(badLink) != 1 || len(noName) != 1 {
		t.Fatalf("the catalogue accepts what this test refuses: %v %v", badLink, noName)
	}
	out, code, err := e.run(lines("1",
		"yes", // shares-eud: reveals sub-processors
		"y",
		"AWS", "not a link", "https://aws.amazon.com", "Hosting", "US, EU",
		"y",
		"", "Postmark", "", "Email", "",
		"n",
		"quit"))
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	for _, want := range []string{
		"Link (optional): not a link\n" + badLink[0].Message + "\nLink (optional): https://aws.amazon.com",
		"Name: \n" + noName[0].Message + "\nName: Postmark",
		"Countries (optional; separate several with commas): US, EU",
		"Add another entry? Type y or n: n\nSaved.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	v, ok := e.load().Answers.Get("sub-processors")
	if !ok || len(v.Entities) != 2 {
		t.Fatalf("sub-processors = %+v", v)
	}
	aws, pm := v.Entities[0], v.Entities[1]
	countries := q.Field("countries").Key
	if aws.Field("link").Text != "https://aws.amazon.com" || !slices.Equal(aws.Field(countries).List, []string{"US", "EU"}) ||
		aws.Field("purpose").Text != "Hosting" || pm.Field("name").Text != "Postmark" || !pm.Field("link").IsEmpty() {
		t.Errorf("entries %+v", v.Entities)
	}

	// Adding to the saved entries keeps them.
	e.resumeAt("third-parties", "sub-processors")
	out, _, _ = e.run(lines("1", "add", "Sentry", "", "Errors", "", "n", "quit"))
	if !strings.Contains(out, "Current answer: 2 entries: AWS, Postmark. Press enter to keep them") {
		t.Errorf("the current entries:\n%s", out)
	}
	if v, _ := e.load().Answers.Get("sub-processors"); len(v.Entities) != 3 || v.Entities[2].Field("name").Text != "Sentry" {
		t.Errorf("after add: %+v", v.Entities)
	}
}

// Nothing written to the terminal holds an escape sequence or a control character, even
// when the app's name, a stored answer and the typed input carry hostile text.
func TestOutputHasNoEscapeSequences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.open()
	ctx := context.Background()
	hostile := "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\u202e\x9b6n"
	if err := s.CreateApp(ctx, store.App{Key: testAppKey, Name: "Evil"}); err != nil {
		t.Fatal(err)
	}
	// pstab refuses such a name now; a file an older pstab wrote may still hold one.
	raw, err := sql.Open("sqlite", e.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE apps SET name = ? WHERE key = ?", "Evil "+hostile, testAppKey); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	// A stored answer that went round CleanText, as an imported file or another tool could.
	for id, v := range map[string]questionnaire.Value{
		"stores-eud":        questionnaire.Bool(true),
		"stored-data-types": questionnaire.List("Keys " + hostile),
	} {
		if _, err := s.SaveAnswer(ctx, psRef, id, v, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	e.resumeAt("data", "stored-data-types")
	input := []string{"1", "maybe " + hostile}
	for _, p := range termsafetest.Corpus() {
		input = append(input, strings.ReplaceAll(p.Text, "\n", " "))
	}
	out, _, err := e.run(lines(input...))
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexByte(out, 0x1b); i >= 0 {
		t.Errorf("ESC at byte %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
	}
	for _, problem := range termsafetest.Unsafe(out) {
		t.Error(problem)
	}
	// The store keeps answers as JSON, so the invalid byte comes back as U+FFFD.
	if !strings.Contains(out, "Current answer: Keys ]0;pwned[2J[31mred\ufffd6n.") {
		t.Errorf("the stored answer is not shown, cleaned:\n%s", out[:min(len(out), 3000)])
	}
}
