package accessible_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// scriptDB is a drafts file with one app, and a second one so that a chooser would have
// something to offer.
func scriptDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "pstab.db")
	for _, args := range [][]string{{"new", "com.example.app", "--name", "Example"}, {"new", "com.example.other", "--name", "Other"}} {
		a, _, errOut := app(t, db, nil, nil)
		if code := a.Run(context.Background(), args); code != 0 {
			t.Fatalf("pstab %v: exit %d\n%s", args, code, errOut)
		}
	}
	return db
}

// answers returns the app's answers as pstab export --format bundle writes them.
func answers(t *testing.T, db string) map[string]any {
	t.Helper()
	a, out, errOut := app(t, db, nil, nil)
	if code := a.Run(context.Background(), []string{"export", "com.example.app", "--format", "bundle"}); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	var b struct {
		Answers map[string]any `json:"answers"`
	}
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	return b.Answers
}

// With piped input, a line that is not an answer ends the run with exit 1, naming the
// question and the line: the lines after it, meant for later questions, are never taken
// as new tries (they used to be, and "United States" became a purpose).
func TestAScriptStopsAtARefusedLine(t *testing.T) {
	t.Parallel()
	db := scriptDB(t)
	script := strings.Join([]string{
		"yes",             // 1 stores-eud
		"Email addresses", // 2 stored-data-types
		".",               // 3 ends the list
		"maybe",           // 4 processes-eud: refused
		"no",              // 5 never read
	}, "\n") + "\n"
	a, out, errOut := app(t, db, strings.NewReader(script), nil)
	code := a.Run(context.Background(), []string{"--accessible", "com.example.app", "--from", "stores-eud"})
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"ine 4", `"maybe"`, "processes-eud"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("the error does not name %s: %s", want, errOut)
		}
	}
	if strings.Contains(out.String(), "Please answer again") {
		t.Errorf("the refused line was asked again:\n%s", out)
	}
	got := answers(t, db)
	if got["stores-eud"] != true || got["processes-eud"] != nil {
		t.Errorf("saved %v; want stores-eud and nothing for processes-eud", got)
	}
	if items, _ := got["stored-data-types"].([]any); len(items) != 1 || items[0] != "Email addresses" {
		t.Errorf("stored-data-types = %v", got["stored-data-types"])
	}
}

// An entry's field that is refused ends the run too, before the following lines are read
// as the entry's other fields.
func TestAScriptStopsAtARefusedEntryField(t *testing.T) {
	t.Parallel()
	db := scriptDB(t)
	a, out, errOut := app(t, db, strings.NewReader("yes\ny\nAcme\nhttp://acme.example\nUnited States\nn\n"), nil)
	code := a.Run(context.Background(), []string{"--accessible", "com.example.app", "--from", "shares-eud"})
	if code != 1 || !strings.Contains(errOut.String(), "sub-processors") {
		t.Fatalf("exit %d, want 1 naming sub-processors\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut.String(), "ine ") || !strings.Contains(errOut.String(), "http://acme.example") {
		t.Errorf("the error does not name the line: %s", errOut)
	}
	if got := answers(t, db); got["sub-processors"] != nil {
		t.Errorf("a refused entry was saved: %v", got["sub-processors"])
	}
}

// Piped input must name its app: the first prompt never depends on what else the drafts
// file holds, so a "y" meant for a question never becomes a new app's key.
func TestAScriptNamesItsApp(t *testing.T) {
	t.Parallel()
	for _, db := range []string{filepath.Join(t.TempDir(), "empty.db"), scriptDB(t)} {
		a, out, errOut := app(t, db, strings.NewReader("y\nExample\nyes\n"), nil)
		if code := a.Run(context.Background(), []string{"--accessible"}); code != 2 || !strings.Contains(errOut.String(), "pstab --accessible KEY") {
			t.Errorf("piped input without a key: exit %d\n%s\n%s", code, out, errOut)
		}
		a, out, _ = app(t, db, nil, nil)
		a.Run(context.Background(), []string{"apps"})
		if strings.Contains(out.String(), "\ny ") || strings.Contains(out.String(), "\ny\n") {
			t.Errorf("an app y was created:\n%s", out)
		}
	}
	db := scriptDB(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--accessible", "com.example.missing"}, "pstab new com.example.missing"},
		{[]string{"--accessible", "com.example.app", "--from", "no-such-question"}, "pstab questions"},
		{[]string{"--accessible", "com.example.app", "--from", "sub-processors"}, "not asked for this draft's answers"},
		{[]string{"--from", "stores-eud"}, "--from goes with --accessible"},
	} {
		a, out, errOut := app(t, db, strings.NewReader("yes\n"), nil)
		if code := a.Run(context.Background(), tc.args); code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("pstab %v: exit %d, want 2 and %q\n%s\n%s", tc.args, code, tc.want, out, errOut)
		}
	}
	if got := answers(t, db); len(got) != 0 {
		t.Errorf("a refused start saved %v", got)
	}
}

// A run that took every line exits 0; one whose input ends inside a list (before the
// full stop that ends it) exits 1 and does not save the unfinished list.
func TestAScriptExitsZeroOnlyWhenEverythingWasSaved(t *testing.T) {
	t.Parallel()
	db := scriptDB(t)
	a, out, errOut := app(t, db, strings.NewReader("yes\nEmail addresses\nAccount IDs\n.\nno\n"), nil)
	if code := a.Run(context.Background(), []string{"--accessible", "com.example.app", "--from", "stores-eud"}); code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "Starting at question stores-eud, as asked.") {
		t.Errorf("--from is not said:\n%s", out)
	}
	if got := answers(t, db); got["processes-eud"] != false {
		t.Errorf("saved %v", got)
	}

	db = scriptDB(t)
	a, out, errOut = app(t, db, strings.NewReader("yes\nEmail addresses\nAccount IDs\n"), nil)
	code := a.Run(context.Background(), []string{"--accessible", "com.example.app", "--from", "stores-eud"})
	if code != 1 || !strings.Contains(errOut.String(), "stored-data-types") || !strings.Contains(errOut.String(), "ine 2") {
		t.Fatalf("exit %d, want 1 naming stored-data-types and line 2\n%s\n%s", code, out, errOut)
	}
	if got := answers(t, db); got["stored-data-types"] != nil || got["stores-eud"] != true {
		t.Errorf("saved %v; want stores-eud only", got)
	}
}
