package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// versionTable records which migrations a drafts file has had; its presence is also what
// tells a pstab database from another program's.
const versionTable = "pstab_schema"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema change: migrations/NNNN_name.sql, then, for a change that moves
// data SQL alone cannot (decoding JSON the way pstab wrote it), a Go step in the same
// transaction.
type migration struct {
	version int
	name    string
	sql     string
	step    func(ctx context.Context, tx *sql.Tx) error
}

// migrationSteps are the Go steps, by the name of the migration file they follow. They are
// keyed by name, not number, so that renumbering a migration (when two branches added one
// each) cannot attach a step to the wrong file.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"0005_save_point_changes.sql": migrateSavePoints,
}

// migrations returns the embedded migrations in order. Their numbers run 1, 2, 3... with
// no gap; a build that breaks that rule panics in every test.
func migrations() []migration {
	ms, err := readMigrations(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return ms
}

func readMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", name)
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body), step: migrationSteps[name]})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// schemaVersion returns the file's schema version: 0 for a new, empty database.
func schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", versionTable).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v int
	err = q.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&v)
	return v, err
}

// migrate applies the migrations the file has not had, all in one immediate transaction,
// so a crash leaves the old schema or the new one. Before changing a file that already has
// a schema, it keeps a copy of it beside the file (FILE.bak-schemaN).
func (s *Store) migrate(ctx context.Context, ms []migration) error {
	v, err := schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v > len(ms) {
		return &FileError{Path: s.path, Problem: ProblemNewer,
			Detail: fmt.Sprintf("schema %d; this one knows %d", v, len(ms))}
	}
	if v == len(ms) {
		return nil
	}
	if v > 0 {
		// Nothing is written to a file, not even its copy, before it is known to be whole.
		if err := s.fullCheck(ctx); err != nil {
			return err
		}
		bak, err := s.backup(ctx, v)
		if err != nil {
			return err
		}
		s.warn(fmt.Sprintf("%s is being upgraded to the format of this pstab (schema %d to %d); a copy of it as it was is kept at %s.", s.path, v, len(ms), bak))
	}
	moved := false
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		// Another pstab may have migrated while this one made its copy.
		v, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if v > len(ms) {
			return &FileError{Path: s.path, Problem: ProblemNewer,
				Detail: fmt.Sprintf("schema %d; this one knows %d", v, len(ms))}
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+versionTable+
			" (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"); err != nil {
			return err
		}
		for _, m := range ms[v:] {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if m.step != nil {
				if err := m.step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
				moved = v > 0
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+versionTable+" (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, s.now().UnixNano()); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID))
		return err
	})
	if err != nil || !moved {
		return err
	}
	// Moving the data left the old copies' pages free; give them back to the disk. VACUUM
	// is a transaction of its own: a crash in it leaves the upgraded file as it was.
	// The checkpoint then moves the compacted pages from the WAL into the file at once.
	for _, q := range []string{"VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			s.warn(fmt.Sprintf("%s was upgraded but could not be compacted (%v); it works as it is.", s.path, err))
			break
		}
	}
	return nil
}

// backup copies the database, as it is now, to FILE.bak-schemaN (or FILE.bak-schemaN.2 and
// so on when that exists already), private to the user like the file itself.
func (s *Store) backup(ctx context.Context, version int) (string, error) {
	base := fmt.Sprintf("%s.bak-schema%d", s.path, version)
	for i := 1; i < 100; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s.%d", base, i)
		}
		// VACUUM INTO accepts an empty file; creating it first makes it 0600.
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("keep a copy before upgrading the schema: %w", err)
		}
		f.Close()
		if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", name); err != nil {
			os.Remove(name)
			return "", fmt.Errorf("keep a copy before upgrading the schema: %w", err)
		}
		return name, nil
	}
	return "", fmt.Errorf("keep a copy before upgrading the schema: too many copies named %s.*", base)
}
