package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Opening checks a file in two steps, so that start-up costs the same whatever the
// history a file holds, and neither step can be fooled by another pstab writing at the
// same time:
//
//   - inspect, at Open, reads what every command reads (the header, the schema and the
//     small tables of apps and drafts) in one read transaction: one consistent snapshot,
//     taken under SQLite's own locks, whatever other processes do meanwhile.
//   - fullCheck, before the first write of a Store, runs quick_check over the whole file,
//     again in one read transaction. A damaged file is refused before anything is written
//     to it, with the sentence Open used to give, and left byte-identical.
//
// Pages a reading command meets beyond the small tables are checked by SQLite as it
// reads them: structural damage there is SQLITE_CORRUPT, which check maps to the same
// sentence.

// smallTables are the tables every command reads and inspect checks; they grow with the
// number of apps, never with history.
var smallTables = []string{versionTable, "apps", "drafts"}

// inspect looks at an existing file through a read-only connection that sets no journal
// mode, so that a file that is not a healthy pstab database is never written to. -wal and
// -shm files the reading made, where none were before, are removed again when the file is
// refused.
func inspect(ctx context.Context, pl place, readDSN string, known int) error {
	walBefore, shmBefore := exists(pl.path+"-wal"), exists(pl.path+"-shm")
	db, err := sql.Open("sqlite", readDSN)
	if err != nil {
		return &FileError{Path: pl.path, Problem: ProblemUnreachable, Err: err}
	}
	db.SetMaxOpenConns(1)
	err = inspectDB(ctx, db, pl.path, known)
	db.Close()
	var fe *FileError
	if errors.As(err, &fe) && fe.Problem != ProblemBusy {
		// What SQLite made for the reading holds nothing of value; leave the folder as it was.
		removeIfNew(pl.path+"-wal", walBefore, true)
		removeIfNew(pl.path+"-shm", shmBefore, false)
	}
	return err
}

// inspectDB checks, in one read transaction, that the file is a pstab database this pstab
// knows and that its small tables are intact. It returns the schema version.
func inspectDB(ctx context.Context, db *sql.DB, path string, known int) error {
	fail := func(err error) error {
		p := fileProblem(err)
		switch p {
		case 0, ProblemReadOnlyFile, ProblemWrite:
			p = ProblemUnreachable
		}
		e := &FileError{Path: path, Problem: p, Err: err}
		if p == ProblemDamaged {
			e.Detail = "SQLite reports: " + err.Error()
		}
		return e
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var appID int64
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fail(err)
	}
	tables, err := tableNames(ctx, tx)
	if err != nil {
		return fail(err)
	}
	if appID != 0 && appID != applicationID || len(tables) > 0 && !tables[versionTable] {
		return &FileError{Path: path, Problem: ProblemForeign}
	}
	if len(tables) == 0 {
		return nil
	}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&v); err != nil {
		return fail(err)
	}
	if v > known {
		return &FileError{Path: path, Problem: ProblemNewer, Detail: fmt.Sprintf("schema %d; this one knows %d", v, known)}
	}
	for _, t := range smallTables {
		if !tables[t] {
			continue
		}
		if err := quickCheck(ctx, tx, path, "PRAGMA quick_check("+t+")"); err != nil {
			return err
		}
	}
	return nil
}

func tableNames(ctx context.Context, q queryer) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		tables[name] = true
	}
	return tables, rows.Err()
}

// quickCheck runs a quick_check pragma and turns anything but a single "ok" into
// ProblemDamaged. Ping and ordinary queries pass on a file scribbled in the middle;
// quick_check does not.
func quickCheck(ctx context.Context, q queryer, path, pragma string) error {
	rows, err := q.QueryContext(ctx, pragma)
	if err != nil {
		return checkFailed(path, err)
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return checkFailed(path, err)
		}
		findings = append(findings, line)
	}
	// quick_check may give up with an error after reporting what it found: the findings
	// say more than the error.
	if err := rows.Err(); err != nil && len(findings) == 0 {
		return checkFailed(path, err)
	}
	if len(findings) == 1 && findings[0] == "ok" {
		return nil
	}
	detail := "quick_check found damage"
	if len(findings) > 0 {
		detail = "quick_check: " + firstLine(findings[0])
		if strings.HasPrefix(findings[0], "*** in database") && len(findings) > 1 {
			detail = "quick_check: " + firstLine(findings[1])
		}
	}
	return &FileError{Path: path, Problem: ProblemDamaged, Detail: detail}
}

func checkFailed(path string, err error) error {
	p := fileProblem(err)
	if p == 0 || p == ProblemReadOnlyFile || p == ProblemWrite {
		p = ProblemUnreachable
	}
	e := &FileError{Path: path, Problem: p, Err: err}
	if p == ProblemDamaged {
		e.Detail = "SQLite reports: " + err.Error()
	}
	return e
}

// fullCheck runs quick_check over the whole file in one read transaction, once per Store,
// before its first write. Its verdict sticks: a damaged file stays refused for writing.
func (s *Store) fullCheck(ctx context.Context) error {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	if s.checked {
		return s.damage
	}
	// Not announced as a wait: a read transaction waits on no other pstab, and the check
	// of a large file may simply take a while.
	err := s.read(ctx, func(tx *sql.Tx) error {
		return quickCheck(ctx, tx, s.path, "PRAGMA quick_check")
	})
	var fe *FileError
	switch {
	case errors.As(err, &fe) && fe.Problem == ProblemDamaged:
		s.checked, s.damage = true, err
	case err == nil:
		s.checked = true
	default:
		return s.check("check the drafts file", err)
	}
	return s.damage
}

func firstLine(s string) string {
	s = strings.TrimPrefix(s, "*** in database main ***\n")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// removeIfNew removes a file that did not exist before.
func removeIfNew(path string, existed, mustBeEmpty bool) {
	if existed {
		return
	}
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() || mustBeEmpty && info.Size() != 0 {
		return
	}
	os.Remove(path)
}

// walState looks at the -wal and -shm files beside a database, as a read-only path must
// before SQLite does: a connection that cannot write -shm cannot rebuild it, and SQLite
// then retries for ten seconds before giving up (SQLITE_PROTOCOL), which is what froze
// pstab after a crash. frames reports whether -wal holds frames at all (a crash often
// leaves only its 32-byte header); shmUsable whether SQLite can use -shm for them: it can
// write it (shmWritable: the folder is), or -shm indexes exactly this -wal.
func walState(path string, shmWritable bool) (frames, shmUsable bool) {
	wal, err := readHead(path+"-wal", 32+24)
	if err != nil || len(wal) < 32+24 {
		return false, true
	}
	magic := binary.BigEndian.Uint32(wal[0:4])
	if magic&^1 != 0x377f0682 || !bytes.Equal(wal[16:24], wal[32+8:32+16]) {
		// A frame from an older WAL generation (its salt differs) is not part of this one.
		return false, true
	}
	if shmWritable && (!exists(path+"-shm") || pathAccess(path+"-shm") == canWrite) {
		return true, true
	}
	shm, err := readHead(path+"-shm", 96)
	if err != nil || len(shm) < 96 {
		return true, false
	}
	return true, shmHeaderValid(shm, wal[16:24])
}

// shmHeaderValid checks the wal-index header at the start of -shm: two equal copies,
// initialised, with a good checksum and the salt of the -wal it indexes (a header left by
// a writer that crashed fails one of these).
func shmHeaderValid(shm, walSalt []byte) bool {
	h1, h2 := shm[0:48], shm[48:96]
	if !bytes.Equal(h1, h2) || h1[12] != 1 || binary.NativeEndian.Uint32(h1[0:4]) != 3007000 {
		return false
	}
	var s1, s2 uint32
	for i := 0; i < 40; i += 8 {
		s1 += binary.NativeEndian.Uint32(h1[i:]) + s2
		s2 += binary.NativeEndian.Uint32(h1[i+4:]) + s1
	}
	return s1 == binary.NativeEndian.Uint32(h1[40:]) && s2 == binary.NativeEndian.Uint32(h1[44:]) && bytes.Equal(h1[32:40], walSalt)
}

// readHead reads up to n bytes from the start of a file. It opens and closes a descriptor
// of a file SQLite keeps beside the database; that drops no lock, since it runs before
// this process has opened the database.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, err := f.Read(b)
	if m == 0 && err != nil {
		return nil, err
	}
	return b[:m], nil
}

// pathAccess is access for a path not looked at yet; one that cannot be looked at is not
// writable.
func pathAccess(path string) writeAccess {
	info, err := os.Stat(path)
	if err != nil {
		return cannotWrite
	}
	return access(path, info)
}

// waitNotice is how long a wait on another pstab goes unannounced.
const waitNotice = time.Second
