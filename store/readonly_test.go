package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// TestReadOnlyCreatesNothing: opened for reading, a missing file (or folder) is
// ProblemMissing, and nothing at all is made.
func TestReadOnlyCreatesNothing(t *testing.T) {
	root := t.TempDir()
	for _, path := range []string{filepath.Join(root, "pstab.db"), filepath.Join(root, "typo", "sub", "x.db")} {
		_, err := openOpts(t, path, true)
		wantProblem(t, err, ProblemMissing, path, "holds no drafts yet", "pstab new KEY --name NAME")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("reading made %v", entries)
	}
	// An empty file reads as no drafts too, and stays as it is.
	empty := filepath.Join(root, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	before := folder(t, root)
	_, err := openOpts(t, empty, true)
	wantProblem(t, err, ProblemMissing)
	sameFolder(t, before, folder(t, root))
}

// readEverything reads what the reading commands read: the app list, a draft, its save
// points and history.
func readEverything(t *testing.T, s *Store) {
	t.Helper()
	ctx := ctxb()
	apps, err := s.Apps(ctx)
	if err != nil || len(apps) == 0 {
		t.Fatalf("apps: %d, %v", len(apps), err)
	}
	ref := psRef(apps[0].Key)
	d, err := s.Load(ctx, ref)
	if err != nil || len(d.Answers.Values) == 0 {
		t.Fatalf("load: %d answers, %v", len(d.Answers.Values), err)
	}
	revs, err := s.Revisions(ctx, ref)
	if err != nil || len(revs) == 0 {
		t.Fatalf("save points: %d, %v", len(revs), err)
	}
	if _, err := s.RevisionAnswers(ctx, ref, revs[0].Number); err != nil {
		t.Fatal(err)
	}
	if _, err := s.History(ctx, ref); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyLeavesNoTrace: reading a healthy file leaves its folder byte-identical (no
// -wal or -shm left behind), and no write gets through.
func TestReadOnlyLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pstab.db")
	makeDB(t, path)
	before := folder(t, dir)
	s, err := openOpts(t, path, true)
	if err != nil {
		t.Fatal(err)
	}
	readEverything(t, s)
	if err := s.CreateApp(ctxb(), App{Key: "x", Name: "X"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a write on a read-only store: %v, want ErrReadOnly", err)
	}
	if _, err := s.SaveAnswer(ctxb(), psRef("com.example.app00"), "stores-eud", questionnaire.Bool(true), AnyVersion); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a save on a read-only store: %v, want ErrReadOnly", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	sameFolder(t, before, folder(t, dir))

	// Beside a pstab that has the file open, reading works and leaves its files alone.
	w := openAt(t, path)
	if err := w.CreateApp(ctxb(), App{Key: "com.example.late", Name: "Late"}); err != nil {
		t.Fatal(err)
	}
	r, err := openOpts(t, path, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.App(ctxb(), "com.example.late"); err != nil {
		t.Errorf("the reader does not see the writer's committed app: %v", err)
	}
}

// copyLive copies a database and its -wal and -shm as they are while a pstab has it open
// with changes not yet folded into the file, as a backup or snapshot taken then would.
func copyLive(t *testing.T, from, to string) {
	t.Helper()
	for _, side := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(from + side)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+side, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadOnlyMedium: on a read-only mount pstab reads a drafts file as it lies (clean, or
// with committed changes still in its -wal, or with what a kill leaves: a -wal with no
// frames and a -shm mid-update), promptly, and refuses writing with a sentence about the
// medium.
func TestReadOnlyMedium(t *testing.T) {
	src := t.TempDir()
	clean := filepath.Join(src, "clean.db")
	makeDB(t, clean)

	// Changes still in the -wal: copy the files while a pstab holds them.
	live := filepath.Join(t.TempDir(), "live.db")
	makeDB(t, live)
	w := openAt(t, live)
	if err := w.CreateApp(ctxb(), App{Key: "com.example.inwal", Name: "In the WAL"}); err != nil {
		t.Fatal(err)
	}
	copyLive(t, live, filepath.Join(src, "walframes.db"))
	// The same, with a -shm whose header was being rewritten: SQLite cannot rebuild it on
	// a read-only medium, and would retry for seconds.
	copyLive(t, live, filepath.Join(src, "stale.db"))
	if err := os.WriteFile(filepath.Join(src, "stale.db-shm"), make([]byte, 32768), 0o600); err != nil {
		t.Fatal(err)
	}

	// What a kill leaves: a -wal of 32 bytes and a -shm whose header no longer matches it.
	killed := filepath.Join(src, "killed.db")
	makeDB(t, killed)
	wal := make([]byte, 32)
	copy(wal, []byte{0x37, 0x7f, 0x06, 0x82, 0x00, 0x2d, 0xe2, 0x18, 0, 0, 0x10, 0})
	copy(wal[16:], "saltsalt")
	if err := os.WriteFile(killed+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(killed+"-shm", make([]byte, 32768), 0o600); err != nil {
		t.Fatal(err)
	}

	mnt := mountReadOnly(t, src)
	before := folder(t, mnt)
	for _, name := range []string{"clean.db", "walframes.db", "killed.db"} {
		path := filepath.Join(mnt, name)
		start := time.Now()
		s, err := openOpts(t, path, true)
		if err != nil {
			t.Fatalf("%s on a read-only medium: %v", name, err)
		}
		readEverything(t, s)
		if name == "walframes.db" {
			if _, err := s.App(ctxb(), "com.example.inwal"); err != nil {
				t.Errorf("the change still in the -wal is not read: %v", err)
			}
		}
		s.Close()
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: reading took %v", name, took)
		}
		_, err = openOpts(t, path, false)
		wantProblem(t, err, ProblemReadOnlyMedium, path, "read-only medium", "can read it but not change it")
		if strings.Contains(err.Error(), "chmod") {
			t.Errorf("the advice for a read-only medium is chmod: %q", err)
		}
	}
	start := time.Now()
	stale := filepath.Join(mnt, "stale.db")
	_, err := openOpts(t, stale, true)
	wantProblem(t, err, ProblemStale, stale, "left mid-write", "copy the file")
	if took := time.Since(start); took > time.Second {
		t.Errorf("refusing the stale journal took %v", took)
	}
	sameFolder(t, before, folder(t, mnt))
}

// TestReadOnlyOpenUpgradesWhereItCan: a file from an older pstab is upgraded by a reading
// command where the file can be written (this pstab cannot read the older form), keeping
// a copy; on a read-only medium it is refused with a sentence saying so.
func TestReadOnlyOpenUpgradesWhereItCan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pstab.db")
	db := v1DB(t, path)
	if _, err := db.Exec("INSERT INTO apps (key, name, created_at, updated_at) VALUES ('com.example.old', 'Old', 1, 1)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro := mountReadOnlyOrNil(t, dir)

	s, err := openOpts(t, path, true)
	if err != nil {
		t.Fatal(err)
	}
	if apps, err := s.Apps(ctxb()); err != nil || len(apps) != 1 {
		t.Errorf("apps after the upgrade: %d, %v", len(apps), err)
	}
	if _, err := os.Stat(path + ".bak-schema1"); err != nil {
		t.Errorf("no copy of the older file: %v", err)
	}
	if ro != "" {
		_, err := openOpts(t, filepath.Join(ro, "pstab.db"), true)
		wantProblem(t, err, ProblemOlder, "older pstab", "copy it to a writable folder")
	}
}
