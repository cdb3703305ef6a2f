package cli_test

// Tests of what leaves pstab and what it says: exports of a blocked draft, suggestions
// that name the command that helps, and counts in words.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

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
