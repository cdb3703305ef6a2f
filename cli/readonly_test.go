package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pstab/pstab/cli"

	_ "modernc.org/sqlite"
)

// envRun runs pstab in-process with exactly the environment given.
func envRun(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{Version: "test", In: strings.NewReader(""), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env[k] }}
	code := app.Run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

// tree is every file and folder under root, with the bytes and mode of each file.
func tree(t *testing.T, root string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		line := rel + " " + info.Mode().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += " " + string(b)
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// readingCommands are the commands that only read the drafts file, on one app KEY.
func readingCommands(key string) [][]string {
	return [][]string{
		{"apps"}, {"apps", "--json"}, {"preview", key, "--plain"}, {"export", key, "--format", "markdown"},
		{"history", key}, {"check", key}, {"diff", key}, {"questions"}, {"__complete", "history", ""},
	}
}

// TestReadingCommandsCreateNothing: with no drafts file, the reading commands make no
// folder and no file, wherever the file would be; apps says there are none, the others
// that there is no such app.
func TestReadingCommandsCreateNothing(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]map[string]string{
		"default place": {"XDG_DATA_HOME": data, "HOME": root},
		"mistyped path": {"PSTAB_DB": filepath.Join(root, "typo", "sub", "x.db"), "HOME": root},
	} {
		before := tree(t, root)
		for _, args := range readingCommands("com.example.app") {
			r := envRun(t, env, args...)
			switch args[0] {
			case "apps":
				if r.code != 0 || (len(args) == 1 && !strings.Contains(r.err, "No apps in")) || (len(args) == 2 && strings.TrimSpace(r.out) != "[]") {
					t.Errorf("%s: pstab %s: exit %d, out %q, err %q", name, strings.Join(args, " "), r.code, r.out, r.err)
				}
			case "questions", "__complete":
				if r.code != 0 {
					t.Errorf("%s: pstab %s: exit %d, %q", name, strings.Join(args, " "), r.code, r.err)
				}
			default:
				if r.code != 1 || !strings.Contains(strings.ToLower(r.err), "there is no app com.example.app") {
					t.Errorf("%s: pstab %s: exit %d, err %q; want exit 1 saying there is no such app", name, strings.Join(args, " "), r.code, r.err)
				}
			}
			if after := tree(t, root); after != before {
				t.Fatalf("%s: pstab %s changed the filesystem:\nbefore:\n%s\nafter:\n%s", name, strings.Join(args, " "), before, after)
			}
		}
	}
	// A writing command makes the folder, private to the user.
	env := map[string]string{"XDG_DATA_HOME": data, "HOME": root}
	if r := envRun(t, env, "new", "com.example.app", "--name", "Example"); r.code != 0 {
		t.Fatalf("new: exit %d %q", r.code, r.err)
	}
	if info, err := os.Stat(filepath.Join(data, "pstab")); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data folder after new: %v %v", err, info)
	}
}

// TestReadingCommandsLeaveTheFileAsItWas: on an existing drafts file, the reading commands
// leave the folder byte-identical: no -wal or -shm left behind, nothing written.
func TestReadingCommandsLeaveTheFileAsItWas(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "stores-eud", "yes")
	e.must("savepoint", "com.example.app", "-m", "first")
	e.must("set", "com.example.app", "stores-eud", "no")
	dir := filepath.Dir(e.db)
	before := tree(t, dir)
	for _, args := range readingCommands("com.example.app") {
		if args[0] == "export" {
			continue // an export records itself in the history
		}
		if r := e.run("", args...); r.code != 0 && !(args[0] == "check" && r.code == 1) {
			t.Errorf("pstab %s: exit %d %q", strings.Join(args, " "), r.code, r.err)
		}
		if after := tree(t, dir); after != before {
			t.Fatalf("pstab %s changed the folder", strings.Join(args, " "))
		}
	}
}

// TestDamagedSavePointIsNamed: a save point whose stored answer is scribbled leaves the
// app usable: history marks that save point, diff names it, and the draft, its other save
// points and new save points work.
func TestDamagedSavePointIsNamed(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "stores-eud", "yes")
	e.must("savepoint", "com.example.app", "-m", "first")
	e.must("set", "com.example.app", "security-contact", "security@example.com")
	e.must("savepoint", "com.example.app", "-m", "second")
	db, err := sql.Open("sqlite", e.db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec(`UPDATE revision_answers SET value = '{"scribbled' WHERE number = 2 AND question = 'security-contact'`)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("scribbling save point 2: %v, %d rows", err, n)
	}
	db.Close()

	if r := e.must("history", "com.example.app"); !strings.Contains(r.out, "second  (damaged: it cannot be read; the others can)") {
		t.Errorf("history does not mark save point 2:\n%s", r.out)
	}
	r := e.run("", "diff", "com.example.app", "2")
	if r.code != 1 || !strings.Contains(r.err, "Save point 2 of com.example.app privacy-security is damaged") || strings.Count(strings.TrimSpace(r.err), "\n") != 0 {
		t.Errorf("diff with the damaged save point: exit %d %q", r.code, r.err)
	}
	e.must("diff", "com.example.app", "1")
	e.must("preview", "com.example.app", "--plain")
	e.must("set", "com.example.app", "stores-eud", "no")
	e.must("savepoint", "com.example.app", "-m", "third")
	e.must("diff", "com.example.app", "1", "3")
}
