package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// checkSafe fails when a run wrote anything unsafe for a terminal on stdout or stderr.
func checkSafe(t *testing.T, what string, r result) {
	t.Helper()
	for stream, text := range map[string]string{"stdout": r.out, "stderr": r.err} {
		if bad := termsafetest.Unsafe(text); bad != nil {
			t.Errorf("%s: %s is unsafe on a terminal: %v", what, stream, bad)
		}
	}
}

// The hostile corpus, as names: JSON keys in every place a file can hold one (an unknown
// group, the top level, a known field's object, a sub-processor's record, twice in one
// object, a bundle's answer IDs) and as a bundle's app name, through every command that
// reads a file, then through the commands that show what was imported. On the old main a
// key holding OSC 52 reached stderr through "none of its keys (...)", and a bundle's app
// name was stored with ESC in it.
func TestHostileNamesNeverReachTheTerminal(t *testing.T) {
	for _, p := range termsafetest.Names() {
		t.Run(p.Name, func(t *testing.T) {
			k := termsafetest.JSONString(p.Text)
			docs := map[string]string{
				"unknown-group":  `{"appTrustInformation":{` + k + `:1}}`,
				"top-level":      `{` + k + `:1}`,
				"known-field":    `{"security":{"securityContact":{` + k + `:1}}}`,
				"record-key":     `{"thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[{"name":"a","purpose":"b",` + k + `:1}]}}`,
				"duplicate-key":  `{"security":{` + k + `:1,` + k + `:2}}`,
				"bundle-answer":  `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{` + k + `:true,"security-contact":"a@example.com"}}`,
				"bundle-name":    `{"pstabBundle":1,"questionnaire":"privacy-security","app":{"key":"com.example.x","name":` + k + `},"answers":{"security-contact":"a@example.com"}}`,
				"bundle-extra":   `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{},"extra":{` + k + `:1}}`,
				"bundle-version": `{"pstabBundle":1,"questionnaire":` + k + `,"answers":{}}`,
				"review-thread": `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{},"review":{"threads":[{"question":` + k +
					`,"comments":[{"author":` + k + `,"at":"2026-03-01T12:00:00Z","text":` + k + `}]}],"general":{"comments":[{"author":"Ana","at":"2026-03-01T12:00:00Z","text":` + k + `,"action":` + k + `}]}}}`,
			}
			db := filepath.Join(t.TempDir(), "p.db")
			for name, doc := range docs {
				path := writeFile(t, name+".json", []byte(doc))
				for _, args := range [][]string{
					{"validate", path},
					{"preview", "--file", path, "--plain"},
					{"export", "--file", path, "--format", "payload"},
					{"export", "--file", path, "--format", "markdown"},
					{"export", "--file", path, "--format", "sheet"},
					{"export", "--file", path, "--format", "bundle"},
					{"--db", db, "import", "com.example." + strings.ReplaceAll(name, "-", ""), path, "--create"},
					{"comments", path},
					{"comments", path, "--json"},
				} {
					checkSafe(t, name+": "+strings.Join(args[:min(len(args), 3)], " "), run(t, "", args...))
				}
			}
			for _, args := range [][]string{
				{"--db", db, "apps"},
				{"--db", db, "apps", "--json"},
				{"--db", db, "history", "com.example.unknowngroup"},
				{"--db", db, "export", "com.example.unknowngroup", "--format", "markdown"},
				{"--db", db, "export", "com.example.bundlename", "--format", "sheet"},
				{"--db", db, "check", "com.example.unknowngroup"},
			} {
				checkSafe(t, strings.Join(args[2:], " "), run(t, "", args...))
			}
			// No app name is stored with a control in it: apps --json escapes what it
			// holds, so a stored ESC would show as \u001b.
			if r := run(t, "", "--db", db, "apps", "--json"); strings.Contains(r.out, `\u001b`) || strings.Contains(r.out, `\u009b`) {
				t.Errorf("an app name was stored with a control in it:\n%s", r.out)
			}
		})
	}
}

// A question ID in a --catalogue file is a name too: the loader names the question it
// refuses, so the ID is rendered safely.
func TestHostileQuestionIDInACatalogue(t *testing.T) {
	builtin, err := os.ReadFile(filepath.Join("..", "assets", "privacy-security.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const id = "id: stores-eud\n"
	if !strings.Contains(string(builtin), id) {
		t.Fatalf("the built-in catalogue has no %q to replace", id)
	}
	for _, p := range termsafetest.Names() {
		yaml := strings.Replace(string(builtin), id, "id: "+termsafetest.JSONString(p.Text)+"\n", 1)
		path := writeFile(t, "catalogue.yaml", []byte(yaml))
		for _, args := range [][]string{{"--catalogue", path, "questions"}, {"--catalogue", path, "validate", filepath.Join(answers, "full.json")}} {
			r := run(t, "", args...)
			if r.code == 0 {
				t.Errorf("%s: a catalogue with the question ID %q was accepted", p.Name, p.Text)
			}
			checkSafe(t, p.Name+": "+args[2], r)
		}
	}
}
