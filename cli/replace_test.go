package cli_test

// Tests of the commands that replace a draft's answers (import, copy, revert, pull): they
// ask first, refuse what would be lost, and name the save point that keeps the old answers.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

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
		r := e.refused(2, args, "nothing was changed", "replace the answers of com.example.app", "add --yes")
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
