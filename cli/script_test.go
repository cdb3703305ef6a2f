package cli_test

// Tests of the commands as a script uses them: input pstab would change or drop is
// refused with the field named, nothing already saved is lost, and each failure is one
// sentence with a non-zero exit that leaves the drafts file byte-identical.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pstab/pstab/cli"
	"github.com/pstab/pstab/marketplace/fakemarket"
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
		{[]string{"set", "com.example.app", "certifications", ""}, "certifications"},
		{[]string{"set", "com.example.app", "dpa", "maybe"}, "dpa"},
	} {
		r := e.run("", tc.args...)
		if r.code == 0 {
			t.Fatalf("pstab %s: exit 0", strings.Join(tc.args, " "))
		}
		line := strings.TrimPrefix(strings.TrimSpace(r.err), "pstab: ")
		if !regexp.MustCompile(`(^| )` + tc.ident + `[ :]`).MatchString(line) {
			t.Errorf("pstab %s: %q does not name %s as typed", strings.Join(tc.args, " "), line, tc.ident)
		}
		capital := string(unicode.ToUpper(rune(tc.ident[0]))) + tc.ident[1:]
		if strings.Contains(line, capital+" ") {
			t.Errorf("pstab %s: %q capitalises %s", strings.Join(tc.args, " "), line, tc.ident)
		}
		if strings.HasPrefix(line, "pstab ") {
			t.Errorf("pstab %s: %q says pstab twice", strings.Join(tc.args, " "), r.err)
		}
	}
}

// TestUnsetOfAnUnansweredQuestionSaysNothingChanged: a second unset (or one of a question
// never answered) must not claim it cleared anything, and writes nothing.
func TestUnsetOfAnUnansweredQuestionSaysNothingChanged(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "logs-eud", "yes")
	if r := e.must("unset", "com.example.app", "logs-eud"); !strings.Contains(r.err, "Cleared logs-eud") {
		t.Errorf("unset of an answer: %q", r.err)
	}
	before := e.files()
	r := e.must("unset", "com.example.app", "logDetails.logEndUserData")
	if r.err != "logs-eud has no answer; nothing changed.\n" {
		t.Errorf("unset of no answer: %q", r.err)
	}
	for name, b := range e.files() {
		if before[name] != b {
			t.Errorf("unset of no answer changed %s", name)
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
