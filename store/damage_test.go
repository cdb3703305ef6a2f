package store

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// makeDB writes a healthy pstab database of a few hundred KiB (several b-tree levels, so
// that damage in the middle hits real pages) and closes it.
func makeDB(t *testing.T, path string) {
	t.Helper()
	s := openAt(t, path)
	ps, _ := catalogues(t)
	ctx := ctxb()
	for i := range 20 {
		key := fmt.Sprintf("com.example.app%02d", i)
		if err := s.CreateApp(ctx, App{Key: key, Name: key}); err != nil {
			t.Fatal(err)
		}
		for r := range 3 {
			if _, _, err := s.Replace(ctx, psRef(key), sampleAnswers(ps, i+r), EventImport, "", AnyVersion); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// folder returns every file in dir with its bytes, to check that nothing changed.
func folder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFolder(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	names := func(m map[string][]byte) string {
		var n []string
		for k := range m {
			n = append(n, k)
		}
		sort.Strings(n)
		return strings.Join(n, " ")
	}
	if names(before) != names(after) {
		t.Errorf("files before: %s; after: %s", names(before), names(after))
	}
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("%s changed", name)
		}
	}
}

// refuse opens path and writes to it, expects a *FileError with the given problem whose
// message is one sentence naming the file, and checks that the folder is byte-for-byte as
// it was. Open checks what every command reads; damage elsewhere is found before the
// first write, which is then refused with the same error.
func refuse(t *testing.T, path string, want Problem, words ...string) *FileError {
	t.Helper()
	dir := filepath.Dir(path)
	before := folder(t, dir)
	ps, sa := catalogues(t)
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}})
	if err == nil {
		err = s.CreateApp(ctxb(), App{Key: "com.example.written", Name: "Written"})
		s.Close()
		if err == nil {
			t.Fatalf("Open(%s) and a write succeeded", path)
		}
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("Open: %v (%T), want a *FileError", err, err)
	}
	if fe.Problem != want {
		t.Errorf("problem %d, want %d: %v", fe.Problem, want, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || !strings.HasSuffix(msg, ".") || strings.Contains(msg, "\n") || strings.Contains(msg, ". ") {
		t.Errorf("message is not one sentence naming %s: %q", path, msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q", msg, w)
		}
	}
	sameFolder(t, before, folder(t, dir))
	return fe
}

func TestDamageNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, []byte(`{"appTrustInformation": {"dataAccessAndStorage": {}}}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, path, ProblemNotDatabase, "not a pstab drafts file")

	// The same with stray -wal and -shm files beside it: they stay as they are too.
	if err := os.WriteFile(path+"-wal", []byte("not a wal"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-shm", bytes.Repeat([]byte{7}, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, path, ProblemNotDatabase)
}

func TestDamageForeignDatabase(t *testing.T) {
	for _, mode := range []string{"delete", "wal"} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.sqlite")
			db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=journal_mode("+mode+")")
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('hello')"} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			refuse(t, path, ProblemForeign, "another program")
		})
	}
}

func TestDamageTruncated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, path, ProblemDamaged, "damaged", "import your last export")
}

func TestDamageScribbled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mid := len(b) / 2
	for i := mid; i < mid+1024; i++ {
		b[i] = 0x5a
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// Ordinary reads do not notice this damage (a copy is read, to leave the file alone).
	cp := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileURI(cp))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM apps").Scan(&n); err != nil || n != 20 {
		t.Errorf("reading the scribbled copy: %d apps, %v; the scribble should be one only quick_check sees", n, err)
	}
	db.Close()
	refuse(t, path, ProblemDamaged, "quick_check")
}

func TestDamageNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	db, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO " + versionTable + " (version, name, applied_at) VALUES (99, '0099_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	refuse(t, path, ProblemNewer, fmt.Sprintf("%s was written by a newer pstab (schema 99; this one knows %d); update pstab.", path, len(migrations())))
}

func TestDamageReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pstab.db")
	makeDB(t, path)
	readOnly(t, dir, 0o555)
	refuse(t, path, ProblemReadOnlyDir, "read-only folder")

	// A new file cannot be made there either.
	refuse(t, filepath.Join(dir, "new.db"), ProblemReadOnlyDir)
}

func TestDamageReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	readOnly(t, path, 0o444)
	refuse(t, path, ProblemReadOnlyFile, "read-only")
}

// readOnly chmods path and restores it when the test ends. It works as root too: Open
// treats a path with no write bit as read-only whoever runs it.
func readOnly(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(path, info.Mode().Perm()) })
}

func TestDamageNotAFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pstab.db")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	refuse(t, dir, ProblemUnreachable)
}

func TestZeroLengthFileIsANewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path)
	if err := s.CreateApp(ctxb(), App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
}

func TestDiskFull(t *testing.T) {
	s, path := openTest(t)
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	v, err := s.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(true), 0)
	if err != nil {
		t.Fatal(err)
	}
	// Cap the database at its current size: the next save that needs a page fails as a full
	// disk would (SQLITE_FULL).
	var pages int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	q := firstOfKind(t, questionnaire.KindLongText)
	big := questionnaire.Text(strings.Repeat("A long answer. ", 20000))
	_, err = s.SaveAnswer(ctx, ref, q.ID, big, v)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Problem != ProblemDiskFull {
		t.Fatalf("save on a full disk: %v, want a disk-full *FileError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "full") || !strings.Contains(msg, "not saved") {
		t.Errorf("message %q", msg)
	}
	d := load(t, s, ref)
	if _, ok := d.Answers.Get(q.ID); ok || d.Version != v {
		t.Error("the answer that hit the full disk was saved anyway")
	}
	if got, ok := d.Answers.Get("stores-eud"); !ok || !*got.Bool {
		t.Error("the answer saved before the disk filled up is gone")
	}
	// Once there is room again, saving works.
	if _, err := s.db.Exec("PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer(ctx, ref, q.ID, big, v); err != nil {
		t.Errorf("save after freeing space: %v", err)
	}
}
