package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/cli"
	"github.com/pstab/pstab/questionnaire"
)

// answers is where the questionnaire's golden answer sets live.
var answers = filepath.Join("..", "questionnaire", "testdata", "answers")

type result struct {
	code     int
	out, err string
}

// run runs pstab in-process with buffers and an empty environment, so that no PSTAB_*
// variable of the machine running the tests changes what is read.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{
		Version: "test",
		In:      strings.NewReader(stdin),
		Out:     &out,
		Err:     &errb,
		Getenv:  func(string) string { return "" },
	}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

// writeFile writes a file into a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertOneSentence checks that stderr is one line that names the file, reads as a
// sentence, and shows no panic or stack trace.
func assertOneSentence(t *testing.T, stderr string, mustSay ...string) {
	t.Helper()
	line := strings.TrimSuffix(stderr, "\n")
	switch {
	case line == "":
		t.Fatal("nothing on stderr")
	case strings.Contains(line, "\n"):
		t.Errorf("stderr has more than one line:\n%s", stderr)
	case !strings.HasPrefix(line, "pstab: ") || !strings.HasSuffix(line, "."):
		t.Errorf("stderr is not one sentence: %q", line)
	}
	for _, bad := range []string{"panic", "goroutine", ".go:", "\x1b"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr holds %q: %s", bad, stderr)
		}
	}
	for _, s := range mustSay {
		// The sentence starts with a capital letter, whatever the message began with.
		if !strings.Contains(strings.ToLower(line), strings.ToLower(s)) {
			t.Errorf("stderr %q does not say %q", line, s)
		}
	}
}

func catalogue(t *testing.T) *questionnaire.Catalogue {
	t.Helper()
	cats, err := embedded.Catalogues()
	c := cats.PrivacySecurity
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestValidateExitCodes(t *testing.T) {
	full := filepath.Join(answers, "full.json")
	half := filepath.Join(answers, "half.json")
	t.Run("a complete payload exits 0", func(t *testing.T) {
		r := run(t, "", "validate", full)
		if r.code != cli.ExitOK || r.err != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.err)
		}
		// The answers the API does not carry (bug bounty, certifications...) are not in a
		// payload, so it is incomplete, but nothing is wrong.
		last := r.out[strings.LastIndex(strings.TrimSuffix(r.out, "\n"), "\n")+1:]
		if !strings.HasPrefix(last, full+": ") || !strings.HasSuffix(last, "incomplete); nothing is blocking.\n") {
			t.Errorf("summary line %q", last)
		}
		if strings.Contains(r.out, "Blocking") || !strings.Contains(r.out, "· privacy-policy") {
			t.Errorf("report:\n%s", r.out)
		}
	})
	t.Run("a draft with a blocking problem exits 1", func(t *testing.T) {
		r := run(t, "", "validate", half)
		if r.code != cli.ExitProblems {
			t.Fatalf("exit %d, want 1\n%s%s", r.code, r.out, r.err)
		}
		for _, s := range []string{"Blocking problems (2)", "thirdPartyInformation.thirdPartyDetails[1].purpose",
			"Entry 2 has no purpose; fill it in or remove the entry.", "dataRetention.retentionDurationInDays",
			"The minimum number of days is missing", "Not answered", "incomplete", "; 2 blocking problems.\n"} {
			if !strings.Contains(r.out, s) {
				t.Errorf("report lacks %q:\n%s", s, r.out)
			}
		}
	})
	t.Run("an unknown enum value exits 1 and names its path", func(t *testing.T) {
		path := writeFile(t, "moon.json", []byte(`{"appTrustInformation":{"dataResidency":{"isDataResidencySupported":"STORED_ON_THE_MOON"}}}`))
		r := run(t, "", "validate", path)
		if r.code != cli.ExitProblems {
			t.Fatalf("exit %d, want 1\n%s%s", r.code, r.out, r.err)
		}
		if !strings.Contains(r.out, "dataResidency.isDataResidencySupported") || !strings.Contains(r.out, `"STORED_ON_THE_MOON" is not one of the options`) {
			t.Errorf("report:\n%s", r.out)
		}
	})
	t.Run("standard input", func(t *testing.T) {
		data, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, string(data), "validate", "-")
		if r.code != cli.ExitOK || !strings.Contains(r.out, "nothing is blocking") {
			t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
		}
	})
	t.Run("no file is a usage error", func(t *testing.T) {
		r := run(t, "", "validate")
		if r.code != cli.ExitUsage {
			t.Errorf("exit %d, want 2", r.code)
		}
		assertOneSentence(t, r.err, "validate command takes one FILE")
	})
}

func TestValidateJSON(t *testing.T) {
	r := run(t, "", "validate", "--json", filepath.Join(answers, "half.json"))
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1: %s", r.code, r.err)
	}
	var report struct {
		Source   string `json:"source"`
		Blocking int    `json:"blocking"`
		Complete bool   `json:"complete"`
		Answered int    `json:"answered"`
		Total    int    `json:"total"`
		Percent  int    `json:"percent"`
		Problems []struct {
			Path     string `json:"path"`
			Question string `json:"question"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		} `json:"problems"`
		Hidden []struct {
			Question string `json:"question"`
			Path     string `json:"path"`
		} `json:"hidden"`
		NotSent []string `json:"notSent"`
	}
	dec := json.NewDecoder(strings.NewReader(r.out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&report); err != nil {
		t.Fatalf("--json output does not have the documented shape: %v\n%s", err, r.out)
	}
	if report.Blocking != 2 || report.Complete || report.Total == 0 || report.Answered >= report.Total ||
		report.Percent != report.Answered*100/report.Total || !strings.HasSuffix(report.Source, "half.json") {
		t.Errorf("report: %+v", report)
	}
	first := report.Problems[0]
	if first.Severity != "blocking" || first.Question != "sub-processors" || first.Path != "thirdPartyInformation.thirdPartyDetails[1].purpose" {
		t.Errorf("blocking problems come first: %+v", first)
	}
	unanswered := 0
	blocked := map[string]bool{} // questions whose answer has a blocking problem
	for _, p := range report.Problems {
		if p.Severity == "unanswered" {
			unanswered++
		}
		if p.Severity == "blocking" {
			blocked[p.Question] = true
		}
		if p.Message == "" || p.Path == "" || p.Question == "" {
			t.Errorf("incomplete problem %+v", p)
		}
	}
	// An answer with a blocking problem does not count as answered (both of half.json's
	// are to required questions): every question not counted is reported once.
	if unanswered+len(blocked) != report.Total-report.Answered {
		t.Errorf("%d unanswered problems and %d blocked questions, %d unanswered questions", unanswered, len(blocked), report.Total-report.Answered)
	}
	// With nothing blocking, --json still exits 0.
	r = run(t, "", "validate", "--json", filepath.Join(answers, "full.json"))
	if r.code != cli.ExitOK || !strings.Contains(r.out, `"blocking": 0,`) {
		t.Errorf("exit %d:\n%s", r.code, r.out)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.json")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(huge, 50<<20); err != nil { // sparse: no 50 MB written to disk
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		path    string
		code    int
		mustSay []string
	}{
		{"not JSON", writeFile(t, "notjson.json", []byte("{\n  \"security\": {\"securityContact\": 'x'}\n}")),
			cli.ExitUsage, []string{"notjson.json", "not valid JSON: line 2, column 35"}},
		{"wrong type", writeFile(t, "types.json", []byte(`{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":[{"name":"a"},{"name":7}]}}}`)),
			cli.ExitProblems, []string{"types.json", "appTrustInformation.thirdPartyInformation.thirdPartyDetails[1].name", "expected a string, found the number 7"}},
		{"yes/no as text", writeFile(t, "yesno.json", []byte(`{"security":{"isDiskEncryptionSupported":"yes"}}`)),
			cli.ExitProblems, []string{"yesno.json", "security.isDiskEncryptionSupported", `expected true or false, found the string "yes"`}},
		{"invalid UTF-8", writeFile(t, "latin1.json", []byte("{\"security\":{\"securityContact\":\"caf\xe9\"}}")),
			cli.ExitUsage, []string{"latin1.json", "not valid UTF-8"}},
		{"a 50 MB file", huge, cli.ExitUsage, []string{"huge.json", "50.0 MB", "at most 4 MB"}},
		{"a directory", dir, cli.ExitUsage, []string{dir, "is a directory"}},
		{"a missing file", filepath.Join(dir, "missing.json"), cli.ExitUsage, []string{"missing.json", "does not exist"}},
		{"an empty file", writeFile(t, "empty.json", nil), cli.ExitUsage, []string{"empty.json", "is empty"}},
		{"not a payload", writeFile(t, "package.json", []byte(`{"name":"x","version":"1.0.0"}`)),
			cli.ExitUsage, []string{"package.json", "not a Privacy & Security payload"}},
		{"a list", writeFile(t, "list.json", []byte(`[1,2]`)), cli.ExitUsage, []string{"list.json", "expected a JSON object"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"validate", tc.path},
				{"preview", "--file", tc.path, "--plain"},
				{"export", "--file", tc.path, "--format", "payload"},
			} {
				r := run(t, "", args...)
				if r.code != tc.code {
					t.Errorf("%s: exit %d, want %d\nstderr: %s", args[0], r.code, tc.code, r.err)
				}
				if r.out != "" {
					t.Errorf("%s: stdout is not empty: %q", args[0], r.out)
				}
				assertOneSentence(t, r.err, tc.mustSay...)
			}
		})
	}
}

func TestPreviewPlain(t *testing.T) {
	c := catalogue(t)
	path := filepath.Join(answers, "full.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := c.DecodePayload(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		views questionnaire.Views
	}{
		{[]string{"--plain"}, questionnaire.ViewsAll},
		{[]string{"--plain", "--view", "default"}, questionnaire.ViewsDefault},
		{[]string{"--view", "expanded"}, questionnaire.ViewsExpanded}, // stdout is not a terminal
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, "", append([]string{"preview", "--file", path}, tc.args...)...)
			if r.code != cli.ExitOK || r.err != "" {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			want := c.Markdown(a, questionnaire.MarkdownOptions{Views: tc.views, Title: "full.json"})
			if r.out != want {
				t.Errorf("preview is not the plain Markdown of the file:\n%s", r.out)
			}
			if strings.Contains(r.out, "\x1b") {
				t.Error("plain preview holds escape sequences")
			}
		})
	}
	r := run(t, "", "preview", "--file", path, "--view", "sideways")
	if r.code != cli.ExitUsage {
		t.Errorf("--view sideways: exit %d, want 2", r.code)
	}
	assertOneSentence(t, r.err, `unknown view "sideways"`)
}

func TestExport(t *testing.T) {
	path := filepath.Join(answers, "full.json")
	for _, format := range []string{"payload", "markdown", "sheet", "bundle"} {
		t.Run(format, func(t *testing.T) {
			std := run(t, "", "export", "--file", path, "--format", format)
			if std.code != cli.ExitOK || std.err != "" || std.out == "" {
				t.Fatalf("to stdout: exit %d, stderr %q", std.code, std.err)
			}
			out := filepath.Join(t.TempDir(), "out."+format)
			file := run(t, "", "export", "--file", path, "--format", format, "-o", out)
			if file.code != cli.ExitOK || file.out != "" {
				t.Fatalf("to a file: exit %d, stdout %q, stderr %q", file.code, file.out, file.err)
			}
			if file.err != "Wrote "+out+" ("+format+").\n" {
				t.Errorf("stderr %q", file.err)
			}
			st, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("file mode %v, want 0600", st.Mode().Perm())
			}
			written, _ := os.ReadFile(out)
			got, want := string(written), std.out
			if format == "bundle" { // the export time differs between the two runs
				got, want = dropExportedAt(t, written), dropExportedAt(t, []byte(std.out))
			}
			if got != want {
				t.Errorf("the file differs from the stdout form\nfile:\n%s\nstdout:\n%s", got, want)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*tmp*"))
			if len(leftovers) != 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
		})
	}
	// The input spells tri-states as files and servers do and carries read-only keys; the
	// payload is the same answers in the documented form: the questionnaire's golden.
	documented, err := os.ReadFile(filepath.Join(answers, "..", "golden", "full.payload.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the payload is the input, in the documented form", func(t *testing.T) {
		r := run(t, "", "export", "--file", path, "--format", "payload")
		var got, want any
		if json.Unmarshal([]byte(r.out), &got) != nil || json.Unmarshal(documented, &want) != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("exported payload differs from the documented form of the input:\n%s", r.out)
		}
		if again := run(t, "", "export", "--file", writeFile(t, "again.json", []byte(r.out)), "--format", "payload"); again.out != r.out {
			t.Errorf("exporting the export changes it:\n%s", again.out)
		}
	})
	t.Run("the bundle reads back", func(t *testing.T) {
		r := run(t, "", "export", "--file", path, "--format", "bundle")
		bundle := writeFile(t, "bundle.json", []byte(r.out))
		v := run(t, "", "export", "--file", bundle, "--format", "payload")
		var got, want any
		if v.code != cli.ExitOK || json.Unmarshal([]byte(v.out), &got) != nil || json.Unmarshal(documented, &want) != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("exit %d %s; payload from the bundle:\n%s", v.code, v.err, v.out)
		}
	})
	for _, tc := range []struct {
		name    string
		args    []string
		mustSay string
	}{
		{"unknown format", []string{"--format", "pdf"}, `unknown --format "pdf"`},
		{"no format", nil, "say which --format"},
		{"output in a missing directory", []string{"--format", "sheet", "-o", filepath.Join(t.TempDir(), "no", "such", "dir", "x.txt")}, "cannot write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, "", append([]string{"export", "--file", path}, tc.args...)...)
			if r.code != cli.ExitUsage {
				t.Errorf("exit %d, want 2", r.code)
			}
			assertOneSentence(t, r.err, tc.mustSay)
		})
	}
}

func dropExportedAt(t *testing.T, data []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if _, ok := m["exportedAt"]; !ok {
		t.Error("bundle has no exportedAt")
	}
	delete(m, "exportedAt")
	b, _ := json.Marshal(m)
	return string(b)
}
