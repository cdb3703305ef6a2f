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

// dbEnv runs pstab in-process on one drafts file.
type dbEnv struct {
	t  *testing.T
	db string
}

func newDB(t *testing.T) *dbEnv {
	return &dbEnv{t: t, db: filepath.Join(t.TempDir(), "pstab.db")}
}

func (e *dbEnv) run(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{Version: "test", In: strings.NewReader(stdin), Out: &out, Err: &errb,
		Getenv: func(k string) string {
			if k == "PSTAB_DB" {
				return e.db
			}
			return ""
		}}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func (e *dbEnv) must(args ...string) result {
	e.t.Helper()
	r := e.run("", args...)
	if r.code != 0 {
		e.t.Fatalf("pstab %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r
}

// payload exports the app's payload and returns its TrustInfo object.
func (e *dbEnv) payload(key string) map[string]any {
	e.t.Helper()
	r := e.must("export", key, "--format", "payload")
	var doc map[string]map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		e.t.Fatalf("export is not JSON: %v\n%s", err, r.out)
	}
	return doc["appTrustInformation"]
}

func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func TestSetParsesEachKindAndSaysWhatItRevealed(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	r := e.must("set", "com.example.app", "stores-eud", "yes")
	if !strings.Contains(r.err, "Now shown: stored-data-types") {
		t.Fatalf("set did not say which follow-up appeared: %q", r.err)
	}
	e.must("set", "com.example.app", "stored-data-types", "Issue keys", "Account IDs")
	e.must("set", "com.example.app", "retains-after-uninstall", "y")
	e.must("set", "com.example.app", "retention-period", "0..30")
	e.must("set", "com.example.app", "gdpr-processor", "na")
	e.must("set", "com.example.app", "data-residency", "APP_DOES_NOT_SUPPORT_DR")
	e.must("set", "com.example.app", "shares-eud", "yes")
	e.must("set", "com.example.app", "sub-processors", `{"name":"AWS","purpose":"Hosting","link":"https://aws.amazon.com"}`, `{"name":"Postmark","purpose":"Email"}`)
	e.must("set", "com.example.app", "security-contact", "security@example.com")

	info := e.payload("com.example.app")
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"dataAccessAndStorage", "appStoresEUDOutsideAtlassian"}, true},
		{[]string{"dataRetention", "retentionDurationInDays", "max"}, 30.0},
		{[]string{"dataRetention", "isRetentionDurationIndefinite"}, false},
		{[]string{"privacy", "gdpr", "dataProcessor", "isAppDataProcessor"}, "NOT_APPLICABLE"},
		{[]string{"dataResidency", "isDataResidencySupported"}, "APP_DOES_NOT_SUPPORT_DR"},
		{[]string{"security", "securityContact"}, "security@example.com"},
	}
	for _, c := range checks {
		if got := dig(info, c.path...); got != c.want {
			t.Errorf("%s = %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}
	subs, _ := dig(info, "thirdPartyInformation", "thirdPartyDetails").([]any)
	if len(subs) != 2 {
		t.Fatalf("sub-processors = %v", subs)
	}
	if types, _ := dig(info, "dataAccessAndStorage", "typesOfDataStored").([]any); len(types) != 2 || types[1] != "Account IDs" {
		t.Fatalf("typesOfDataStored = %v", types)
	}

	// Hiding the follow-up keeps its answer but leaves it out of the payload.
	r = e.must("set", "com.example.app", "stores-eud", "no")
	if !strings.Contains(r.err, "Now hidden: stored-data-types") {
		t.Fatalf("set did not say which follow-up was hidden: %q", r.err)
	}
	if got := dig(e.payload("com.example.app"), "dataAccessAndStorage", "typesOfDataStored"); got != nil {
		t.Fatalf("a hidden answer was sent: %v", got)
	}
	e.must("set", "com.example.app", "stores-eud", "yes")
	if got := dig(e.payload("com.example.app"), "dataAccessAndStorage", "typesOfDataStored"); got == nil {
		t.Fatal("the kept answer did not come back when its question was shown again")
	}
}

func TestSetRefusesWrongValuesAndSavesNothing(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "security-policy", "https://example.com/security")
	cases := []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"security-policy", "http://example.com/security"}, 1, "https://"},
		{[]string{"security-policy", "javascript:alert(1)"}, 1, "https://"},
		{[]string{"security-contact", "Security <a@b.co>"}, 1, "plain email"},
		{[]string{"retention-period", "30..0"}, 1, "swap"},
		{[]string{"retention-period", "soon"}, 2, "MIN..MAX"},
		{[]string{"stores-eud", "maybe"}, 2, "yes or no"},
		{[]string{"gdpr-processor", "sometimes"}, 2, "yes, no or na"},
		{[]string{"no-such-question", "x"}, 2, "pstab questions"},
		{[]string{"sub-processors", `{"name":"X"}`}, 1, "no purpose"},
		{[]string{"stored-data-types", "a", "A"}, 1, "repeats"},
		{[]string{"permissions-justification", "bad\x1b[2Jtext"}, 1, "escape character"},
	}
	for _, c := range cases {
		r := e.run("", append([]string{"set", "com.example.app"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.err, c.say) {
			t.Errorf("set %v: exit %d %q, want exit %d saying %q", c.args, r.code, r.err, c.code, c.say)
		}
		if strings.Count(strings.TrimSpace(r.err), "\n") > 0 {
			t.Errorf("set %v: more than one line: %q", c.args, r.err)
		}
	}
	if got := dig(e.payload("com.example.app"), "security", "publicSecurityPoliciesLink"); got != "https://example.com/security" {
		t.Fatalf("a refused set changed the saved answer: %v", got)
	}
	r := e.run("", "history", "com.example.app", "--json")
	if !strings.Contains(r.out, `"savePoints": []`) {
		t.Fatalf("refused sets left traces in the history: %s", r.out)
	}
	r = e.run("", "set", "com.example.nope", "stores-eud", "yes")
	if r.code != 1 || !strings.Contains(r.err, "pstab new com.example.nope") {
		t.Fatalf("set on a missing app: exit %d %q", r.code, r.err)
	}
}

func TestImportCheckExportAndHistory(t *testing.T) {
	e := newDB(t)
	full := filepath.Join(answers, "full.json")
	r := e.run("", "import", "com.example.full", full)
	if r.code != 1 || !strings.Contains(r.err, "--create") {
		t.Fatalf("import without the app: exit %d %q", r.code, r.err)
	}
	e.must("import", "com.example.full", full, "--create", "--name", "Full App")
	r = e.must("apps", "--json")
	var apps []map[string]any
	if err := json.Unmarshal([]byte(r.out), &apps); err != nil || len(apps) != 1 || apps[0]["name"] != "Full App" {
		t.Fatalf("apps --json: %v %s", err, r.out)
	}
	// The round trip through the database keeps what the payload means, unknown fields
	// inside the answer groups included, written in the documented form (the golden
	// payload of the same answers); read-only keys are not part of a payload.
	want, _ := os.ReadFile(filepath.Join(answers, "..", "golden", "full.payload.json"))
	r = e.must("export", "com.example.full", "--format", "payload")
	var a, b any
	_ = json.Unmarshal(want, &a)
	_ = json.Unmarshal([]byte(r.out), &b)
	if !jsonEqualLoose(a, b) {
		t.Fatalf("import then export changed the payload:\nin:  %s\nout: %s", want, r.out)
	}

	// A file with a wrong value is refused whole, naming the field; nothing changes.
	bad := writeFile(t, "bad.json", []byte(`{"security":{"publicSecurityPoliciesLink":"http://x.example","securityContact":"a@b.co"}}`))
	r = e.run("", "import", "com.example.full", bad)
	if r.code != 1 || !strings.Contains(r.err, "security.publicSecurityPoliciesLink") {
		t.Fatalf("bad import: exit %d %q", r.code, r.err)
	}
	r = e.must("history", "com.example.full", "--json")
	var hist struct {
		SavePoints []struct{ Number int } `json:"savePoints"`
	}
	if err := json.Unmarshal([]byte(r.out), &hist); err != nil || len(hist.SavePoints) != 1 {
		t.Fatalf("a refused import made a save point: %v %s", err, r.out)
	}

	// check: exit 0 when nothing is blocking, --strict exit 1 when anything is left.
	r = e.run("", "check", "com.example.full", "--json")
	var rep struct {
		Blocking int `json:"blocking"`
		Percent  int `json:"percent"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("check --json: %v %s", err, r.out)
	}
	if (rep.Blocking > 0) != (r.code == 1) {
		t.Fatalf("check exit %d with %d blocking", r.code, rep.Blocking)
	}
	if r := e.run("", "set", "com.example.full", "security-contact", "not-an-email"); r.code != 1 {
		t.Fatalf("a wrong email was not refused: exit %d", r.code)
	}
	if r := e.run("", "check", "com.example.full"); (r.code == 1) != (rep.Blocking > 0) {
		t.Fatalf("a refused set changed what check finds: exit %d", r.code)
	}

	for _, f := range []string{"payload", "markdown", "sheet", "bundle"} {
		out := filepath.Join(t.TempDir(), "out."+f)
		e.must("export", "com.example.full", "--format", f, "-o", out)
		st, err := os.Stat(out)
		if err != nil || st.Mode().Perm() != 0o600 || st.Size() == 0 {
			t.Fatalf("export %s: %v, mode %v", f, err, st)
		}
	}
	r = e.must("history", "com.example.full")
	if !strings.Contains(r.out, "export") {
		t.Fatalf("exports not in history:\n%s", r.out)
	}
}

// jsonEqualLoose compares decoded JSON values.
func jsonEqualLoose(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestSavePointsDiffRevertDiscardCopyAndRm(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "logs-eud", "no")
	e.must("savepoint", "com.example.app", "-m", "first")
	e.must("set", "com.example.app", "logs-eud", "yes")
	e.must("set", "com.example.app", "logs-shared", "no")

	r := e.must("diff", "com.example.app")
	for _, want := range []string{"From save point 1 to working draft", "logs-eud", `Changed from "No" to "Yes"`, "logs-shared", `Answered "No"`} {
		if !strings.Contains(r.out, want) {
			t.Fatalf("diff lacks %q:\n%s", want, r.out)
		}
	}
	e.must("savepoint", "com.example.app", "-m", "second")
	r = e.must("diff", "com.example.app", "1", "2")
	if !strings.Contains(r.out, "logs-eud") {
		t.Fatalf("diff 1 2:\n%s", r.out)
	}
	if r := e.run("", "diff", "com.example.app", "9"); r.code != 1 || !strings.Contains(r.err, "no such save point") {
		t.Fatalf("diff to a missing save point: exit %d %q", r.code, r.err)
	}

	e.must("revert", "com.example.app", "1", "--yes")
	if got := dig(e.payload("com.example.app"), "logDetails", "logEndUserData"); got != false {
		t.Fatalf("revert to 1: logEndUserData = %v", got)
	}
	r = e.must("history", "com.example.app")
	if !strings.Contains(r.out, "revert") || !strings.Contains(r.out, "second") {
		t.Fatalf("revert destroyed history:\n%s", r.out)
	}

	e.must("set", "com.example.app", "logs-eud", "yes")
	if r := e.run("", "discard", "com.example.app"); r.code != 2 || !strings.Contains(r.err, "--yes") {
		t.Fatalf("discard without --yes and without a terminal: exit %d %q", r.code, r.err)
	}
	e.must("discard", "com.example.app", "--yes")
	if got := dig(e.payload("com.example.app"), "logDetails", "logEndUserData"); got != false {
		t.Fatalf("discard: logEndUserData = %v", got)
	}

	e.must("copy", "com.example.app", "com.example.lite", "--create", "--name", "Lite")
	if got := dig(e.payload("com.example.lite"), "logDetails", "logEndUserData"); got != false {
		t.Fatalf("copy: logEndUserData = %v", got)
	}

	if r := e.run("", "rm", "com.example.lite"); r.code != 2 {
		t.Fatalf("rm without --yes: exit %d %q", r.code, r.err)
	}
	e.must("rm", "com.example.lite", "--yes")
	r = e.must("apps", "--json")
	if strings.Contains(r.out, "com.example.lite") {
		t.Fatalf("rm left the app:\n%s", r.out)
	}
}

func TestDamagedDatabaseGetsOneSentenceAndIsLeftAlone(t *testing.T) {
	e := newDB(t)
	junk := []byte(`{"this is": "not a database"}`)
	if err := os.WriteFile(e.db, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run("", "apps")
	if r.code != 2 {
		t.Fatalf("exit %d, want 2: %q", r.code, r.err)
	}
	assertOneSentence(t, r.err, e.db, "not a pstab drafts file")
	after, _ := os.ReadFile(e.db)
	if !bytes.Equal(after, junk) {
		t.Fatal("the file was changed")
	}
}

// The self-assessment is retired: check judges the record as the program did, but an old
// approval is not "expired" and a failed criterion blocks nothing.
func TestSelfAssessmentCheckJudgesTheRecord(t *testing.T) {
	e := newDB(t)
	e.must("set", "@partner", "ssa-3", "no")
	e.must("set", "@partner", "ssa-approved-on", "2020-01-01")
	r := e.run("", "check", "@partner", "--json")
	if r.code != 0 {
		t.Fatalf("a retired program's record: exit %d, want 0 (nothing is blocking)", r.code)
	}
	var rep struct {
		Verdict string `json:"verdict"`
		Retired string `json:"retired"`
		Renewal struct {
			State string `json:"state"`
		} `json:"renewal"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != "fail" || rep.Renewal.State != "" || rep.Retired != "2023-08-13" {
		t.Fatalf("verdict %q, renewal %q, retired %q", rep.Verdict, rep.Renewal.State, rep.Retired)
	}
	r = e.run("", "check", "@partner")
	if !strings.Contains(r.out, "retired") || strings.Contains(r.out, "expired") || strings.Contains(r.out, "renew") {
		t.Fatalf("check @partner:\n%s", r.out)
	}
}
