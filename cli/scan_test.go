package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/cli"
)

// -update rewrites the golden files of pstab scan: go test ./cli -run Scan -update
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// manifests is where the scan package keeps its fixture apps.
var manifests = filepath.Join("..", "scan", "testdata")

var fixtures = []string{"forge-storage-only", "forge-remote", "forge-remote-split", "forge-ai-errors", "forge-legacy", "forge-no-egress",
	"connect", "connect-template", "connect-on-forge"}

func assertScanGolden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", "scan", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cli -run Scan -update creates it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./cli -run Scan -update accepts it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestScanGolden prints the proposals for each fixture app, as text and as JSON.
func TestScanGolden(t *testing.T) {
	abs, err := filepath.Abs(manifests)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(manifests, name)
			r := run(t, "", "scan", dir)
			if r.code != 0 || r.err != "" {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			assertScanGolden(t, name+".txt", r.out)
			r = run(t, "", "scan", dir, "--json")
			if r.code != 0 {
				t.Fatalf("--json: exit %d: %s", r.code, r.err)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
				t.Fatalf("--json is not JSON: %v", err)
			}
			// The absolute paths depend on where the repository is.
			assertScanGolden(t, name+".json", strings.ReplaceAll(r.out, abs, "TESTDATA"))
		})
	}
}

// runTerm runs pstab as if standard input were a terminal, so that scan --into asks.
func (e *dbEnv) runTerm(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{Version: "test", In: strings.NewReader(stdin), Out: &out, Err: &errb, InIsTerminal: true,
		Getenv: func(k string) string {
			if k == "PSTAB_DB" {
				return e.db
			}
			return ""
		}}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

// savePoints returns the number of save points a draft has.
func (e *dbEnv) savePoints(key string) int {
	e.t.Helper()
	r := e.must("history", key, "--json")
	var h struct {
		SavePoints []json.RawMessage `json:"savePoints"`
	}
	if err := json.Unmarshal([]byte(r.out), &h); err != nil {
		e.t.Fatalf("history --json: %v\n%s", err, r.out)
	}
	return len(h.SavePoints)
}

// TestScanIntoFillsOnlyUnanswered: one save point, the questions already answered kept,
// and --overwrite replacing them.
func TestScanIntoFillsOnlyUnanswered(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.summary", "--name", "Summary")
	e.must("set", "com.example.summary", "shares-eud", "no")
	e.must("set", "com.example.summary", "permissions-justification", "We read issues to summarise them.")
	before := e.savePoints("com.example.summary")
	dir := filepath.Join(manifests, "forge-ai-errors")

	r := e.must("scan", dir, "--into", "com.example.summary", "--yes")
	if n := e.savePoints("com.example.summary"); n != before+1 {
		t.Errorf("%d save points after the scan, want %d (one)", n, before+1)
	}
	for _, want := range []string{"Applied 1 answer to com.example.summary as save point 1", "✓ processes-eud: Yes",
		"· shares-eud: already answered (No); --overwrite replaces it", "· permissions-justification: already answered",
		"· logs-shared: a follow-up of logs-eud", "The manifest cannot tell these", "Contradictions with the manifest"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("report lacks %q:\n%s", want, r.err)
		}
	}
	p := e.payload("com.example.summary")
	if dig(p, "thirdPartyInformation", "isEndUserDataShared") != false ||
		dig(p, "security", "permissionsJustification") != "We read issues to summarise them." ||
		dig(p, "dataAccessAndStorage", "appProcessEUDOutsideAtlassian") != true {
		t.Errorf("answers after the scan: %v", p)
	}

	// The contradiction stays in check until the answer changes.
	r = e.run("", "check", "com.example.summary")
	if !strings.Contains(r.out, "shares no End-User Data with third parties, but the manifest lets it send data to api.openai.com") ||
		!strings.Contains(r.out, "Compared with the scan of manifest.yml in ") {
		t.Errorf("check does not report the contradiction:\n%s", r.out)
	}

	// --overwrite replaces the answers given, as one more save point.
	r = e.must("scan", dir, "--into", "com.example.summary", "--yes", "--overwrite")
	if n := e.savePoints("com.example.summary"); n != before+2 {
		t.Errorf("%d save points after --overwrite, want %d", n, before+2)
	}
	// The sub-processors the scan added have no name or purpose yet (blocking), so the
	// payload is read with --allow-problems.
	p = payloadAnyway(e, "com.example.summary")
	if dig(p, "thirdPartyInformation", "isEndUserDataShared") != true ||
		!strings.HasPrefix(dig(p, "security", "permissionsJustification").(string), "- read:jira-work: lets the app read") {
		t.Errorf("--overwrite did not replace the answers: %v", p)
	}
	details, _ := dig(p, "thirdPartyInformation", "thirdPartyDetails").([]any)
	if len(details) != 2 {
		t.Errorf("sub-processors after the scan: %v", details)
	}
	r = e.run("", "check", "com.example.summary")
	if strings.Contains(r.out, "shares no End-User Data") || !strings.Contains(r.out, "Entry 1 has no name") {
		t.Errorf("check after --overwrite:\n%s", r.out)
	}
	// A scan that applies nothing makes no save point.
	e.must("scan", dir, "--into", "com.example.summary", "--yes")
	if n := e.savePoints("com.example.summary"); n != before+2 {
		t.Errorf("a scan with nothing to apply made a save point (%d)", n)
	}
}

// TestScanIntoNeedsYesWithoutATerminal, and applies nothing without it.
func TestScanIntoNeedsYesWithoutATerminal(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.notes", "--name", "Notes")
	r := e.run("", "scan", filepath.Join(manifests, "forge-storage-only"), "--into", "com.example.notes")
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\n%s", r.code, r.err)
	}
	assertOneSentence(t, r.err, "--yes", "nothing was applied")
	if n := e.savePoints("com.example.notes"); n != 0 {
		t.Errorf("%d save points; nothing should be applied", n)
	}
	if r := e.run("", "check", "com.example.notes"); strings.Contains(r.out, "Compared with the scan") {
		t.Errorf("facts were kept without --yes:\n%s", r.out)
	}
	for _, args := range [][]string{
		{"scan", ".", "--yes"},
		{"scan", "a", "b"},
		{"scan", filepath.Join(manifests, "forge-storage-only"), "--into", "@partner", "--yes"},
	} {
		if r := e.run("", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.err)
		}
	}
	if r := e.run("", "scan", filepath.Join(manifests, "forge-storage-only"), "--into", "com.example.none", "--yes"); r.code != 1 ||
		!strings.Contains(r.err, "no app com.example.none") {
		t.Errorf("an unknown app: exit %d, %s", r.code, r.err)
	}
}

// TestScanIntoAsksOnATerminal: y, n, a and q, each proposal shown first.
func TestScanIntoAsksOnATerminal(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.notes", "--name", "Notes")
	dir := filepath.Join(manifests, "forge-storage-only")
	// Proposals in catalogue order: stores, processes, shares, residency, migration,
	// disk encryption, justification.
	r := e.runTerm("y\nn\nmaybe\ny\nq\n", "scan", dir, "--into", "com.example.notes")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	for _, want := range []string{"7 proposals to apply", "Apply stores-eud? [y/n/a/q]", "Answer y, n, a or q.",
		"· processes-eud: you said no", "✓ stores-eud: No", "✓ shares-eud: No", "· data-residency: you said no"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("the dialogue lacks %q:\n%s", want, r.err)
		}
	}
	if strings.Contains(r.err, "Apply residency-migration?") {
		t.Errorf("asked again after q:\n%s", r.err)
	}
	if n := e.savePoints("com.example.notes"); n != 1 {
		t.Errorf("%d save points, want 1", n)
	}
	// "a" applies this one and every one after it.
	e2 := newDB(t)
	e2.must("new", "com.example.notes", "--name", "Notes")
	r = e2.runTerm("n\na\n", "scan", dir, "--into", "com.example.notes")
	if !strings.Contains(r.err, "Applied 6 answers") || !strings.Contains(r.err, "· stores-eud: you said no") {
		t.Errorf("a: %s", r.err)
	}
	// The end of input cancels: nothing applied, exit 130.
	e3 := newDB(t)
	e3.must("new", "com.example.notes", "--name", "Notes")
	r = e3.runTerm("y\n", "scan", dir, "--into", "com.example.notes")
	if r.code != 130 || e3.savePoints("com.example.notes") != 0 {
		t.Errorf("cancel: exit %d, %d save points\n%s", r.code, e3.savePoints("com.example.notes"), r.err)
	}
}

// TestScanAgainRechecks: the facts kept are the latest scan's, so fixing the manifest and
// scanning again clears a finding, and a manifest changed since the scan is named.
func TestScanAgainRechecks(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.risk", "--name", "Risk")
	e.must("set", "com.example.risk", "stores-eud", "no")
	app := t.TempDir()
	data, err := os.ReadFile(filepath.Join(manifests, "forge-remote", "manifest.yml"))
	if err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(app, "manifest.yml")
	if err := os.WriteFile(manifest, data, 0o600); err != nil {
		t.Fatal(err)
	}
	e.must("scan", app, "--into", "com.example.risk", "--yes")
	r := e.run("", "check", "com.example.risk", "--json")
	if !strings.Contains(r.out, "declares remote risk-backend, which stores data (manifest.yml line 32)") {
		t.Errorf("check --json lacks the remote-storage finding:\n%s", r.out)
	}
	// The remote no longer stores: the partner fixes the manifest.
	fixed := strings.Replace(string(data), "      - storage\n      - compute\n", "      - compute\n", 1)
	if err := os.WriteFile(manifest, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	r = e.run("", "check", "com.example.risk")
	if !strings.Contains(r.out, "manifest.yml changed since, so run pstab scan again") {
		t.Errorf("check does not say the manifest changed:\n%s", r.out)
	}
	e.must("scan", app, "--into", "com.example.risk", "--yes")
	r = e.run("", "check", "com.example.risk")
	if strings.Contains(r.out, "which stores data") || strings.Contains(r.out, "changed since") {
		t.Errorf("the finding survived the new scan:\n%s", r.out)
	}
}

// TestScanBadManifest: one sentence naming the file and line, exit 2, nothing applied.
func TestScanBadManifest(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.bad", "--name", "Bad")
	for _, tc := range []struct {
		file, data string
		says       []string
	}{
		{"manifest.yml", "app:\n  id: x\n   oops: [\n", []string{"manifest.yml line 3", "not valid YAML"}},
		{"manifest.yml", "permissions:\n  scopes:\n    - \"read:jira-work\x1b[31m\"\n", []string{"manifest.yml line 3", "escape character (U+001B), which can take over a terminal; a manifest"}},
		{"manifest.yml", "kind: Deployment\nspec: {}\n", []string{"manifest.yml line 1", "not a Forge manifest"}},
		{"atlassian-connect.json", "{\"key\": \"a\",\n \"baseUrl\": }", []string{"atlassian-connect.json line 2", "not valid JSON"}},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.data), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"scan", dir}, {"scan", dir, "--into", "com.example.bad", "--yes"}} {
			r := e.run("", args...)
			if r.code != 2 || r.out != "" {
				t.Errorf("%s: exit %d, stdout %q", tc.file, r.code, r.out)
			}
			assertOneSentence(t, r.err, append(tc.says, dir)...)
		}
	}
	r := e.run("", "scan", t.TempDir())
	assertOneSentence(t, r.err, "There is no manifest.yml or atlassian-connect.json in ")
	// A folder named by a plain word stays as typed: the sentence does not start with it.
	r = e.run("", "scan", "app")
	assertOneSentence(t, r.err, "There is no folder app;")
	if r.code != 2 {
		t.Errorf("scan of a missing folder: exit %d, want 2", r.code)
	}
	if n := e.savePoints("com.example.bad"); n != 0 {
		t.Errorf("%d save points after bad manifests", n)
	}
}

// TestScanIntoJSON reports what was applied and left, each answer with its lines, once.
func TestScanIntoJSON(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.sheets", "--name", "Sheets")
	e.must("set", "com.example.sheets", "shares-eud", "yes")
	r := e.must("scan", filepath.Join(manifests, "connect"), "--into", "com.example.sheets", "--yes", "--json")
	var out struct {
		SavePoint int `json:"savePoint"`
		Applied   []struct {
			Question, Source string
		} `json:"applied"`
		Left []struct {
			Question, Why string
		} `json:"left"`
		CannotTell []string `json:"cannotTell"`
	}
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	sources := map[string]string{}
	for _, a := range out.Applied {
		sources[a.Question] = a.Source
	}
	// The three scopes share line 18 of the descriptor: the line is named once.
	if out.SavePoint != 1 || sources["permissions-justification"] != "atlassian-connect.json line 18" || sources["processes-eud"] == "" {
		t.Errorf("applied %+v, save point %d", out.Applied, out.SavePoint)
	}
	// The answer given before the scan is left, and said to be.
	if len(out.CannotTell) == 0 || len(out.Left) != 1 || out.Left[0].Question != "shares-eud" || out.Left[0].Why == "" {
		t.Errorf("left %+v, cannot tell %v; want shares-eud left as already answered", out.Left, out.CannotTell)
	}
	if _, ok := sources["shares-eud"]; ok {
		t.Errorf("the answered shares-eud was applied: %+v", out.Applied)
	}
}

// payloadAnyway exports an app's payload even when it has blocking problems.
func payloadAnyway(e *dbEnv, key string) map[string]any {
	e.t.Helper()
	r := e.must("export", key, "--format", "payload", "--allow-problems")
	var doc map[string]map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		e.t.Fatalf("export is not JSON: %v\n%s", err, r.out)
	}
	return doc["appTrustInformation"]
}
