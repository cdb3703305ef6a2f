package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pstab/pstab/questionnaire"
)

func openWith(t *testing.T, path string, ms []migration) (*Store, error) {
	t.Helper()
	ps, _ := catalogues(t)
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps}, migrations: ms})
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func TestMigrationUpgradeKeepsACopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	now := len(migrations())
	v2 := append(migrations(), migration{version: now + 1, name: fmt.Sprintf("%04d_note.sql", now+1),
		sql: "ALTER TABLE apps ADD COLUMN note TEXT NOT NULL DEFAULT '';\nCREATE TABLE notes_test (x TEXT);"})
	s, err := openWith(t, path, v2)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := schemaVersion(ctxb(), s.db); err != nil || v != len(v2) {
		t.Errorf("schema version %d, %v; want %d", v, err, len(v2))
	}
	if apps, err := s.Apps(ctxb()); err != nil || len(apps) != 20 {
		t.Errorf("after upgrade: %d apps, %v", len(apps), err)
	}
	s.Close()

	bak := fmt.Sprintf("%s.bak-schema%d", path, now)
	info, err := os.Stat(bak)
	if err != nil {
		t.Fatalf("no copy kept before the upgrade: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("copy has mode %04o, want 0600", info.Mode().Perm())
	}
	db, err := sql.Open("sqlite", fileURI(bak)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM apps").Scan(&n); err != nil || n != 20 {
		t.Errorf("copy holds %d apps, %v", n, err)
	}
	if v, err := schemaVersion(ctxb(), db); v != now {
		t.Errorf("copy is at schema %d, %v; want %d", v, err, now)
	}

	// The older pstab now refuses the file, saying why.
	_, err = openWith(t, path, migrations())
	var fe *FileError
	if !errors.As(err, &fe) || fe.Problem != ProblemNewer || !strings.Contains(err.Error(), fmt.Sprintf("(schema %d; this one knows %d); update pstab", now+1, now)) {
		t.Errorf("older pstab on an upgraded file: %v", err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeDB(t, path)
	now := len(migrations())
	broken := append(migrations(), migration{version: now + 1, name: fmt.Sprintf("%04d_broken.sql", now+1),
		sql: "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);"})
	if _, err := openWith(t, path, broken); err == nil {
		t.Fatal("a broken migration succeeded")
	}
	s, err := openWith(t, path, migrations())
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n); err != nil || n != 0 {
		t.Errorf("half of a failed migration was applied (%d, %v)", n, err)
	}
	if v, _ := schemaVersion(ctxb(), s.db); v != now {
		t.Errorf("schema version %d after a failed migration, want %d", v, now)
	}
}

func TestReadMigrations(t *testing.T) {
	ms := migrations()
	if len(ms) == 0 || ms[0].version != 1 || !strings.Contains(ms[0].sql, "CREATE TABLE drafts") {
		t.Fatalf("embedded migrations: %+v", ms)
	}
	for name, files := range map[string]fstest.MapFS{
		"gap":      {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"bad name": {"m/first.sql": {}},
		"zero":     {"m/0000_a.sql": {}},
	} {
		if _, err := readMigrations(files, "m"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
