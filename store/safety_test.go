package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func openOpts(t *testing.T, path string, readOnly bool) (*Store, error) {
	t.Helper()
	ps, sa := catalogues(t)
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, ReadOnly: readOnly})
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func wantProblem(t *testing.T, err error, want Problem, words ...string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) || fe.Problem != want {
		t.Fatalf("got %v, want a *FileError with problem %d", err, want)
	}
	msg := err.Error()
	if !strings.HasSuffix(msg, ".") || strings.Contains(msg, "\n") {
		t.Errorf("message is not one sentence: %q", msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q", msg, w)
		}
	}
}

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// TestSymlinkedJournalIsRefused: a -wal or -shm that is a link to someone else's file (in
// a shared folder) is refused before anything is opened: the file it points to keeps its
// mode and bytes, in write and read mode alike.
func TestSymlinkedJournalIsRefused(t *testing.T) {
	for _, side := range []string{"-wal", "-shm"} {
		t.Run(side, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pstab.db")
			makeDB(t, path)
			victim := filepath.Join(t.TempDir(), "victim.txt")
			if err := os.WriteFile(victim, []byte("someone else's file\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(victim, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(victim, path+side); err != nil {
				t.Fatal(err)
			}
			before := folder(t, dir)
			for _, ro := range []bool{false, true} {
				_, err := openOpts(t, path, ro)
				wantProblem(t, err, ProblemUnsafe, path+side+" is a symbolic link", "will not write through it", "left untouched")
			}
			if m := modeOf(t, victim); m != 0o644 {
				t.Errorf("the linked file's mode changed to %04o", m)
			}
			if b, _ := os.ReadFile(victim); string(b) != "someone else's file\n" {
				t.Errorf("the linked file changed: %q", b)
			}
			sameFolder(t, before, folder(t, dir))
		})
	}
}

// TestRefusedFileKeepsItsMode: a file pstab refuses (another program's database, readable
// by others) is left with the mode it had.
func TestRefusedFileKeepsItsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.sqlite")
	db := v1DB(t, path)
	if _, err := db.Exec("PRAGMA application_id = 42"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	refuse(t, path, ProblemForeign, "another program")
	if m := modeOf(t, path); m != 0o644 {
		t.Errorf("a refused file's mode was changed to %04o", m)
	}
}

// TestFolderWritableByOthersIsRefused: in a folder anyone may write to, others could put
// links in place of the journal files: refused, and nothing is made there.
func TestFolderWritableByOthersIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "pstab.db")
	for _, ro := range []bool{false, true} {
		_, err := openOpts(t, path, ro)
		wantProblem(t, err, ProblemUnsafeFolder, dir, "chmod o-w "+dir)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were made in the refused folder: %v", entries)
	}
	// An existing file there is refused too, and keeps its mode.
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	makeDB(t, path)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o1777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	before := folder(t, dir)
	_, err := openOpts(t, path, false)
	wantProblem(t, err, ProblemUnsafeFolder)
	sameFolder(t, before, folder(t, dir))
	if m := modeOf(t, path); m != 0o644 {
		t.Errorf("mode changed to %04o", m)
	}
}

// TestTightenDoesNotFollowLinks: the mode change works on the file it opened, never on a
// link's target.
func TestTightenDoesNotFollowLinks(t *testing.T) {
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(victim, 0o644)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if _, err := tightenMode(link); err == nil {
		t.Error("tightening a link gave no error")
	}
	if m := modeOf(t, victim); m != 0o644 {
		t.Errorf("the link's target changed to %04o", m)
	}
}
