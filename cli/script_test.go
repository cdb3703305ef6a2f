package cli_test

// Tests of the commands as a script uses them: input pstab would change or drop is
// refused with the field named, nothing already saved is lost, and each failure is one
// sentence with a non-zero exit that leaves the drafts file byte-identical.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/zalando/go-keyring"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/cli"
	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// scriptEnv runs pstab in-process on one drafts file, with an environment of its own.
type scriptEnv struct {
	*dbEnv
	env      map[string]string
	terminal bool // whether standard input is a terminal, for commands that ask
}

func newScript(t *testing.T) *scriptEnv {
	e := &scriptEnv{dbEnv: newDB(t), env: map[string]string{}}
	e.env["PSTAB_DB"] = e.db
	return e
}

func (e *scriptEnv) run(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{Version: "test", In: strings.NewReader(stdin), Out: &out, Err: &errb,
		Getenv: func(k string) string { return e.env[k] }, InIsTerminal: e.terminal}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func (e *scriptEnv) must(args ...string) result {
	e.t.Helper()
	r := e.run("", args...)
	if r.code != 0 {
		e.t.Fatalf("pstab %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r
}

// files reads every file in the drafts file's folder, so a test can say that a refused
// command left all of them byte-identical.
func (e *scriptEnv) files() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	dir := filepath.Dir(e.db)
	entries, err := os.ReadDir(dir)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, de := range entries {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			e.t.Fatal(err)
		}
		out[de.Name()] = string(b)
	}
	return out
}

// refused runs a command that must fail with code, in one sentence saying each of
// mustSay, and leave every file beside the drafts file as it was.
func (e *scriptEnv) refused(code int, args []string, mustSay ...string) result {
	e.t.Helper()
	before := e.files()
	r := e.run("", args...)
	if r.code != code {
		e.t.Fatalf("pstab %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, code, r.out, r.err)
	}
	assertOneSentence(e.t, lastLine(r.err), mustSay...)
	after := e.files()
	for name, b := range before {
		if after[name] != b {
			e.t.Errorf("pstab %s changed %s", strings.Join(args, " "), name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			e.t.Errorf("pstab %s created %s", strings.Join(args, " "), name)
		}
	}
	return r
}

// lastLine is the final line of stderr: the sentence that ends a command, after any notes.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1] + "\n"
}

func TestSetRefusesAnEntityKeyItWouldDrop(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "shares-eud", "yes")
	e.refused(2, []string{"set", "com.example.app", "sub-processors", `{"name":"AWS","purpose":"Hosting","country":"US"}`},
		"sub-processors[0].country is not a field", `"thirdPartyCountries"`)
	// The field's ID instead of its key gets the key to write.
	e.refused(2, []string{"set", "com.example.app", "sub-processors", `{"name":"AWS","purpose":"Hosting","countries":["US"]}`},
		"sub-processors[0].countries", `write "thirdPartyCountries"`)
}

func TestSetSaysWhereEntityJSONIsBroken(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	r := e.refused(2, []string{"set", "com.example.app", "sub-processors", `[{"name":"AWS",}]`}, "sub-processors", "not valid JSON", "character 16")
	if strings.Contains(r.err, "found a list") {
		t.Errorf("broken JSON is described as a list: %s", r.err)
	}
	e.refused(2, []string{"set", "com.example.app", "sub-processors", `{"name":"AWS"`}, "not valid JSON", "closing } or ] is missing")
}

func TestSetReadsValuesThatStartWithADash(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	r := e.refused(1, []string{"set", "com.example.app", "retention-period", "-1..30"}, "retention-period", "minimum is -1 days")
	if strings.Contains(r.err, "shorthand") {
		t.Fatalf("the value was taken for a flag: %s", r.err)
	}
	// Flags after the value still count; a flag's own value may start with a dash.
	other := filepath.Join(t.TempDir(), "other.db")
	r = e.run("", "set", "com.example.app", "retention-period", "-1..30", "--db", other)
	if r.code != 1 || !strings.Contains(r.err, "here is no app com.example.app in "+other) {
		t.Fatalf("--db after a dash value: exit %d %q", r.code, r.err)
	}
	e.must("set", "com.example.app", "retention-period", "1..30")
	e.must("savepoint", "com.example.app", "-m", "-1 day")
	if r := e.must("history", "com.example.app"); !strings.Contains(r.out, "-1 day") {
		t.Fatalf("a message starting with a dash was lost:\n%s", r.out)
	}
}

func TestSetAcceptsTheAPIPathThatCheckShows(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "security.securityContact", "security@example.com")
	e.must("set", "com.example.app", "appTrustInformation.security.publicSecurityPoliciesLink", "https://example.com/security")
	p := e.payload("com.example.app")
	if dig(p, "security", "securityContact") != "security@example.com" || dig(p, "security", "publicSecurityPoliciesLink") != "https://example.com/security" {
		t.Fatalf("answers set by API path did not land: %v", p["security"])
	}
	e.must("unset", "com.example.app", "security.securityContact")
	if dig(e.payload("com.example.app"), "security", "securityContact") != nil {
		t.Fatal("unset by API path left the answer")
	}
	e.refused(2, []string{"set", "com.example.app", "security.nope", "x"}, `"security.nope"`, "pstab questions")
}

func TestSetKeepsABareDomainLinkAsHTTPS(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "shares-eud", "yes")
	r := e.must("set", "com.example.app", "sub-processors", `{"name":"Twilio SendGrid","purpose":"Email","link":"sendgrid.com"}`)
	if !strings.Contains(r.err, "sendgrid.com, is kept as https://sendgrid.com") {
		t.Errorf("set did not say it added https://: %q", r.err)
	}
	list, _ := dig(e.payload("com.example.app"), "thirdPartyInformation", "thirdPartyDetails").([]any)
	if len(list) != 1 || dig(list[0].(map[string]any), "link") != "https://sendgrid.com" {
		t.Fatalf("the payload's link: %v", list)
	}
	if r := e.run("", "check", "com.example.app"); strings.Contains(r.out, "https:// at the start") {
		t.Fatalf("the stored link is still blocking:\n%s", r.out)
	}
	// Anything that is not a bare domain is still refused.
	e.refused(1, []string{"set", "com.example.app", "sub-processors", `{"name":"A","purpose":"B","link":"http://sendgrid.com"}`}, "http://")
}

// TestMessagesNeverCapitaliseAnIdentifier runs commands whose message names a command or
// a question made only of letters, which sentence case used to capitalise (Rm takes…).
func TestMessagesNeverCapitaliseAnIdentifier(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	for _, tc := range []struct {
		args  []string
		ident string
	}{
		{[]string{"rm"}, "rm"},
		{[]string{"check"}, "check"},
		{[]string{"unset", "com.example.app"}, "unset"},
		{[]string{"set", "com.example.app"}, "set"},
		{[]string{"diff"}, "diff"},
		{[]string{"set", "com.example.app", "certifications", "foo"}, "certifications"},
		{[]string{"set", "com.example.app", "dpa", "maybe"}, "dpa"},
	} {
		r := e.run("", tc.args...)
		if r.code == 0 {
			t.Fatalf("pstab %s: exit 0", strings.Join(tc.args, " "))
		}
		line := strings.TrimPrefix(strings.TrimSpace(r.err), "pstab: ")
		if !strings.Contains(line, " "+tc.ident+" ") && !strings.HasPrefix(line, tc.ident+" ") {
			t.Errorf("pstab %s: %q does not name %s as typed", strings.Join(tc.args, " "), line, tc.ident)
		}
		capital := string(unicode.ToUpper(rune(tc.ident[0]))) + tc.ident[1:]
		if strings.Contains(line, capital+" ") {
			t.Errorf("pstab %s: %q capitalises %s", strings.Join(tc.args, " "), line, tc.ident)
		}
	}
}

func TestStatusOnARefusedPortFailsWithinSeconds(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.env["PSTAB_API_URL"] = "http://127.0.0.1:1"
	start := time.Now()
	e.refused(1, []string{"status", "com.example.app"}, "could not reach 127.0.0.1:1", "refused")
	elapsed := time.Since(start)
	t.Logf("status against a refused port: %v", elapsed.Round(time.Millisecond))
	if elapsed > 5*time.Second {
		t.Errorf("status took %v, want under 5 s", elapsed)
	}
}

func TestRetriesSayWhatTheyWaitForAndHowManyTriesAreLeft(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddApp(fakemarket.App{Key: "com.example.app", Live: liveListing()})
	fake.Inject(fakemarket.Unavailable(503, 1))
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.env["PSTAB_API_URL"] = fake.URL()
	r := e.must("status", "com.example.app")
	want := "pstab: note: GET /rest/2/addons/com.example.app/privacy-and-security: the Marketplace answered 503 Service Unavailable; trying again in 1s (4 tries left)."
	if !strings.Contains(r.err, want) {
		t.Fatalf("stderr does not say what is retried:\n%s\nwant %s", r.err, want)
	}
}

func TestCheckNamesEveryProblemByItsQuestionID(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "security-contact", "security@example.com")
	r := e.must("check", "com.example.app")
	c := catalogue(t)
	named := 0
	for _, line := range strings.Split(r.out, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "! ")
		if !ok {
			rest, ok = strings.CutPrefix(strings.TrimSpace(line), "✗ ")
		}
		if !ok {
			continue
		}
		id, _, _ := strings.Cut(rest, " ")
		q := c.Question(id)
		if q == nil {
			t.Errorf("a problem is not named by its question ID: %q", line)
			continue
		}
		named++
		if !q.Local() && !strings.Contains(rest, "("+q.Path()+")") {
			t.Errorf("a problem of %s does not show its API path: %q", id, line)
		}
	}
	if named == 0 {
		t.Fatalf("no advice or blocking problem to look at:\n%s", r.out)
	}
	if !strings.Contains(r.out, "security-policy (security.publicSecurityPoliciesLink)") {
		t.Errorf("the advice about the policy link is not named security-policy:\n%s", r.out)
	}
}

func TestCheckStrictSaysWhyItFailed(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	for _, args := range [][]string{{"check", "com.example.app", "--strict"}, {"check", "com.example.app", "--strict", "--json"}} {
		r := e.run("", args...)
		if r.code != 1 {
			t.Fatalf("pstab %s: exit %d", strings.Join(args, " "), r.code)
		}
		assertOneSentence(t, r.err, "--strict", "unanswered questions are left", "drop --strict")
	}
	if r := e.must("check", "com.example.app"); r.err != "" {
		t.Errorf("check without --strict printed on stderr: %q", r.err)
	}
}

// answered makes an app with two answers and a save point of them.
func (e *scriptEnv) answered(key string) {
	e.t.Helper()
	e.must("new", key, "--name", "Example")
	e.must("set", key, "stores-eud", "yes")
	e.must("set", key, "logs-eud", "no")
	e.must("savepoint", key, "-m", "first")
}

func (e *scriptEnv) bundle(key string) string {
	e.t.Helper()
	path := filepath.Join(e.t.TempDir(), "bundle.json")
	e.must("export", key, "--format", "bundle", "-o", path)
	return path
}

func TestImportRefusesAnEmptyDocument(t *testing.T) {
	e := newScript(t)
	e.answered("com.example.app")
	for _, doc := range []string{`{}`, `{"appTrustInformation":{}}`, `{"commonCloud":{"properties":{"formStatus":"DRAFT"}}}`,
		`{"pstabBundle":1,"questionnaire":"privacy-security","app":{"key":"com.example.app"},"answers":{}}`} {
		f := writeFile(t, "empty.json", []byte(doc))
		e.refused(1, []string{"import", "com.example.app", f, "--yes"}, f, "holds no answers", "--allow-empty")
	}
	// --allow-empty clears the draft, as asked, and the answers stay in a save point.
	f := writeFile(t, "empty.json", []byte(`{}`))
	r := e.must("import", "com.example.app", f, "--yes", "--allow-empty")
	if !strings.Contains(r.err, "save point 1 (pstab revert com.example.app 1") {
		t.Errorf("the import does not say where the old answers are: %q", r.err)
	}
	if p := e.payload("com.example.app"); dig(p, "logDetails", "logEndUserData") != nil {
		t.Errorf("--allow-empty kept an answer: %v", p)
	}
}

func TestReplacingCommandsAskFirstAndNeedYesWithoutATerminal(t *testing.T) {
	e := newScript(t)
	e.answered("com.example.app")
	e.must("set", "com.example.app", "logs-eud", "yes")
	e.must("savepoint", "com.example.app", "-m", "second")
	b := e.bundle("com.example.app")
	e.must("set", "com.example.app", "logs-eud", "no") // unsaved: the bundle says yes

	for _, args := range [][]string{
		{"import", "com.example.app", b},
		{"revert", "com.example.app", "2"},
	} {
		r := e.refused(2, args, "replace the answers of com.example.app", "--yes")
		if !strings.Contains(r.err, "logs-eud") {
			t.Errorf("pstab %s does not show what would change:\n%s", strings.Join(args, " "), r.err)
		}
	}
	// On a terminal it asks; "n" changes nothing.
	e.terminal = true
	before := e.files()
	r := e.run("n\n", "import", "com.example.app", b)
	if r.code != 1 || !strings.Contains(r.err, "[y/N]") || !strings.Contains(r.err, "Nothing was changed") {
		t.Fatalf("answering n: exit %d %q", r.code, r.err)
	}
	for name, data := range e.files() {
		if before[name] != data {
			t.Errorf("answering n changed %s", name)
		}
	}
	r = e.run("y\n", "import", "com.example.app", b)
	if r.code != 0 || !strings.Contains(r.err, "The answers it replaced are save point 3") {
		t.Fatalf("answering y: exit %d %q", r.code, r.err)
	}
	e.terminal = false
	// The unsaved answer is in save point 3, and revert brings it back.
	e.must("revert", "com.example.app", "3", "--yes")
	if got := dig(e.payload("com.example.app"), "logDetails", "logEndUserData"); got != false {
		t.Fatalf("the replaced answer was lost: logEndUserData = %v", got)
	}
	// A draft with no answers is replaced without asking.
	e.must("new", "com.example.empty", "--name", "Empty")
	e.must("import", "com.example.empty", b, "--as-other-app")
}

func TestCopyIntoAnAppWithAnswersAsksFirst(t *testing.T) {
	e := newScript(t)
	e.answered("com.example.app")
	e.answered("com.example.lite")
	e.must("set", "com.example.lite", "logs-eud", "yes")
	r := e.refused(2, []string{"copy", "com.example.app", "com.example.lite"}, "replace the answers of com.example.lite", "--yes")
	if !strings.Contains(r.err, `logs-eud: Changed from "Yes" to "No"`) {
		t.Errorf("copy does not show what would change:\n%s", r.err)
	}
	r = e.must("copy", "com.example.app", "com.example.lite", "--yes")
	if !strings.Contains(r.err, "The answers it replaced are save point 2 (pstab revert com.example.lite 2") {
		t.Errorf("copy does not say where the replaced answers are: %q", r.err)
	}
}

// TestTheREADMECopyExampleWorks runs the copy line of the README as it is shown there.
func TestTheREADMECopyExampleWorks(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "pstab copy ") {
			line, _, _ = strings.Cut(l, "#")
			break
		}
	}
	args := strings.Fields(line)[1:]
	if len(args) < 3 {
		t.Fatalf("no copy example in the README")
	}
	e := newScript(t)
	e.answered(args[1])
	r := e.must(args...)
	if !strings.Contains(r.err, "Created "+args[2]) {
		t.Errorf("copy did not say it created %s: %q", args[2], r.err)
	}
	if got := dig(e.payload(args[2]), "logDetails", "logEndUserData"); got != false {
		t.Fatalf("the copy lacks the answer: %v", got)
	}
}

func TestPullIntoADraftWithAnswersAsksFirst(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddApp(fakemarket.App{Key: "com.example.app", Live: liveListing()})
	e := newScript(t)
	e.env["PSTAB_API_URL"] = fake.URL()
	e.answered("com.example.app")
	r := e.refused(2, []string{"pull", "com.example.app"}, "replace the answers of com.example.app", "--yes")
	if !strings.Contains(r.err, "Pulling the live version replaces the answers of com.example.app") || !strings.Contains(r.err, "stores-eud") {
		t.Errorf("pull does not show what would change:\n%s", r.err)
	}
	r = e.must("pull", "com.example.app", "--yes")
	if !strings.Contains(r.err, "The answers it replaced are save point 1") {
		t.Errorf("pull does not say where the replaced answers are: %q", r.err)
	}
}

func TestImportRefusesAnotherAppsBundle(t *testing.T) {
	e := newScript(t)
	e.answered("com.example.app")
	e.answered("com.example.other")
	b := e.bundle("com.example.other")
	e.refused(1, []string{"import", "com.example.app", b, "--yes"}, "holds the answers of com.example.other, not com.example.app", "--as-other-app")
	e.must("import", "com.example.app", b, "--yes", "--as-other-app")
	// Without KEY the bundle goes back to its own app; --create takes the bundle's name.
	e.must("rm", "com.example.other", "--yes")
	r := e.must("import", b, "--create")
	if !strings.Contains(r.err, "Created com.example.other (Example)") {
		t.Errorf("import --create did not take the bundle's app: %q", r.err)
	}
	r = e.must("apps", "--json")
	if !strings.Contains(r.out, `"key": "com.example.other"`) || !strings.Contains(r.out, `"name": "Example"`) {
		t.Errorf("apps after import --create:\n%s", r.out)
	}
}

func TestImportKeepsABundlesAnswersToUnknownQuestions(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	f := writeFile(t, "newer.json", []byte(`{"pstabBundle":1,"questionnaire":"privacy-security","catalogueVersion":"2099-01",
		"app":{"key":"com.example.app","name":"Example"},"answers":{"logs-eud":false,"ai-training":{"uses":["none"]}}}`))
	r := e.must("import", "com.example.app", f)
	if !strings.Contains(r.err, "answers.ai-training") || !strings.Contains(r.err, "kept") {
		t.Errorf("import does not say it keeps the unknown answer: %q", r.err)
	}
	out := filepath.Join(t.TempDir(), "back.json")
	e.must("export", "com.example.app", "--format", "bundle", "-o", out)
	back, _ := os.ReadFile(out)
	if !strings.Contains(string(back), `"ai-training": {`) || !strings.Contains(string(back), `"none"`) {
		t.Fatalf("the answer to the unknown question was dropped:\n%s", back)
	}
	if p := e.payload("com.example.app"); dig(p, "ai-training") != nil {
		t.Errorf("the unknown answer reached the payload: %v", p)
	}
}

func TestExportOfABlockedDraftWritesNothing(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "security-contact", "security@example.com")
	blockDraft(t, e.db, "com.example.app", "security-policy", "http://example.com/security")
	dir := t.TempDir()
	for _, format := range []string{"sheet", "payload"} {
		out := filepath.Join(dir, "out."+format)
		r := e.refused(1, []string{"export", "com.example.app", "--format", format, "-o", out},
			"no "+format+" was written", "security-policy (security.publicSecurityPoliciesLink)", "http://", "--allow-problems")
		if _, err := os.Stat(out); err == nil {
			t.Errorf("export --format %s wrote %s", format, out)
		}
		if r.out != "" {
			t.Errorf("export --format %s wrote to stdout: %q", format, r.out)
		}
		e.refused(1, []string{"export", "com.example.app", "--format", format}, "no "+format+" was written")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the refused exports left %d files", len(entries))
	}
	// --allow-problems writes them, and the sheet marks the answer that needs a fix.
	out := filepath.Join(dir, "sheet.txt")
	r := e.must("export", "com.example.app", "--format", "sheet", "--allow-problems", "-o", out)
	if !strings.Contains(r.err, "1 blocking problem") {
		t.Errorf("--allow-problems does not say what it wrote: %q", r.err)
	}
	sheet, _ := os.ReadFile(out)
	i := strings.Index(string(sheet), "Type: http://example.com/security")
	if i < 0 || !strings.Contains(string(sheet)[i:], "NEEDS A FIX: The link uses http://") {
		t.Errorf("the sheet does not mark the answer:\n%s", sheet)
	}
	// Bundles and Markdown are for review, and are written.
	e.must("export", "com.example.app", "--format", "bundle", "-o", filepath.Join(dir, "b.json"))
	e.must("export", "com.example.app", "--format", "markdown", "-o", filepath.Join(dir, "tab.md"))
	// A file is judged the same way, and the fix names validate.
	bad := writeFile(t, "bad.json", []byte(`{"security":{"publicSecurityPoliciesLink":"http://x.example"}}`))
	e.refused(1, []string{"export", "--file", bad, "--format", "sheet"}, "no sheet was written", "pstab validate "+bad)
}

func TestRmOfAnUnknownAppSuggestsTheList(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	r := e.refused(1, []string{"rm", "com.example.nope", "--yes"}, "no app com.example.nope", "nothing was deleted", "pstab apps")
	if strings.Contains(r.err, "pstab new") {
		t.Errorf("rm of an unknown app suggests creating it: %q", r.err)
	}
}

func TestLoginWithoutATerminalSaysHowToPipeTheToken(t *testing.T) {
	e := newScript(t)
	r := e.run("", "login")
	if r.code != 2 {
		t.Fatalf("login </dev/null: exit %d", r.code)
	}
	assertOneSentence(t, r.err, "no terminal", "--with-token < token-file")
	r = e.run("", "login", "--with-token")
	assertOneSentence(t, r.err, "--email EMAIL --with-token", "ATLASSIAN_EMAIL")
}

func TestPluralsAreRight(t *testing.T) {
	e := newScript(t)
	e.answered("com.example.app")
	e.must("set", "com.example.app", "logs-eud", "yes")
	r := e.must("discard", "com.example.app", "--yes")
	if !strings.Contains(r.err, "Discarded 1 change;") {
		t.Errorf("discard: %q", r.err)
	}
	r = e.must("history", "com.example.app")
	if !strings.Contains(r.out, "1 changed answer discarded") {
		t.Errorf("the history says:\n%s", r.out)
	}
	e.must("copy", "com.example.app", "com.example.lite")
	r = e.must("history", "com.example.app")
	if !strings.Contains(r.out, "2 answers copied to com.example.lite") {
		t.Errorf("the history says:\n%s", r.out)
	}
	e.must("new", "com.example.one", "--name", "One")
	e.must("set", "com.example.one", "logs-eud", "no")
	e.must("copy", "com.example.one", "com.example.two")
	if r := e.must("history", "com.example.one"); !strings.Contains(r.out, "1 answer copied to com.example.two") {
		t.Errorf("the history says:\n%s", r.out)
	}
}

// blockDraft saves a wrong answer straight into the drafts file, as the wizard keeps one
// that is still being fixed; every command would refuse to save it.
func blockDraft(t *testing.T, db, key, id, text string) {
	t.Helper()
	cats, err := embedded.Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db, store.Options{Catalogues: cats})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ref := store.DraftRef{Subject: key, Questionnaire: cats.PrivacySecurity.ID}
	if _, err := s.SaveAnswer(context.Background(), ref, id, questionnaire.Text(text), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

func TestLogoutWithNoKeyringSaysThereIsNothingToRemove(t *testing.T) {
	keyring.MockInitWithError(errors.New("no Secret Service on D-Bus"))
	t.Cleanup(keyring.MockInit)
	e := newScript(t)
	r := e.run("", "logout")
	if r.code != 0 {
		t.Fatalf("logout with no keyring: exit %d %q", r.code, r.err)
	}
	if !strings.Contains(r.err, "no saved credentials to remove") || strings.Contains(r.err, "set ATLASSIAN_EMAIL") {
		t.Errorf("logout with no keyring says %q", r.err)
	}
	e.env["ATLASSIAN_API_TOKEN"] = "x"
	if r := e.run("", "logout"); !strings.Contains(r.err, "unset ATLASSIAN_API_TOKEN") {
		t.Errorf("logout with the token in the environment says %q", r.err)
	}
}

func TestImportAndValidateTakeABareDomainLink(t *testing.T) {
	doc := []byte(`{"thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[{"name":"Twilio SendGrid","purpose":"Email","link":"sendgrid.com"}]}}`)
	f := writeFile(t, "payload.json", doc)
	if r := run(t, "", "validate", f); r.code != 0 || strings.Contains(r.out, "https:// at the start") {
		t.Fatalf("validate of a bare domain link: exit %d\n%s", r.code, r.out)
	}
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	r := e.must("import", "com.example.app", f)
	if !strings.Contains(r.err, "sendgrid.com, is kept as https://sendgrid.com") {
		t.Errorf("import does not say it added https://: %q", r.err)
	}
	list, _ := dig(e.payload("com.example.app"), "thirdPartyInformation", "thirdPartyDetails").([]any)
	if len(list) != 1 || dig(list[0].(map[string]any), "link") != "https://sendgrid.com" {
		t.Fatalf("the imported link: %v", list)
	}
}

func TestExportIntoADirectorySaysSo(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	dir := t.TempDir()
	r := e.refused(2, []string{"export", "com.example.app", "--format", "markdown", "-o", dir}, dir, "is a directory", "give a file name")
	if strings.Contains(r.err, ".tmp-") {
		t.Errorf("the message names a temporary file: %q", r.err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the refused export left %d files in %s", len(entries), dir)
	}
}
