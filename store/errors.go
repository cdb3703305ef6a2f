package store

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// Problem is what is wrong with a drafts file, for callers that act on the kind of trouble
// (the CLI maps every one of them to a non-zero exit).
type Problem int

// The problems a drafts file can have.
const (
	ProblemNotDatabase    Problem = iota + 1 // not an SQLite database at all (a JSON file, say)
	ProblemForeign                           // an SQLite database of some other program
	ProblemDamaged                           // truncated or corrupted; quick_check found damage
	ProblemNewer                             // written by a newer pstab
	ProblemReadOnlyDir                       // its folder is read-only, so WAL files cannot be made
	ProblemReadOnlyFile                      // the file itself is read-only
	ProblemUnreachable                       // cannot be created or read (missing folder, a directory...)
	ProblemBusy                              // another pstab held it longer than the busy timeout
	ProblemDiskFull                          // the disk (or the database's size limit) is full
	ProblemWrite                             // some other I/O error while writing
	ProblemMissing                           // opened for reading, and there is no such file (nothing was created)
	ProblemReadOnlyMedium                    // on a read-only mount: it can be read, not changed
	ProblemUnsafeFolder                      // its folder is writable by other users (Detail: the folder)
	ProblemUnsafe                            // a file SQLite would open beside it is a link or not a file (Detail)
	ProblemStale                             // left mid-write, and where pstab cannot finish that (read-only)
	ProblemOlder                             // written by an older pstab, and opened where it cannot be upgraded
)

// FileError is a problem with the drafts file itself, not with what was asked of it. Its
// message is one sentence that names the file and says what to do; pstab prints it as it
// is and exits non-zero. An Open that fails with a FileError has left the file untouched.
type FileError struct {
	Path    string
	Problem Problem
	// Detail says more for the damaged and newer cases (the first quick_check finding, the
	// schema versions); it is already part of the message.
	Detail string
	Err    error // the underlying error, if any
}

// Error is the one sentence a user sees: the file, what is wrong, and what to do.
func (e *FileError) Error() string {
	p := e.Path
	switch e.Problem {
	case ProblemNotDatabase:
		return fmt.Sprintf("%s is not a pstab drafts file (it is not an SQLite database); it was left untouched: give pstab another file with --db, or move this one away.", p)
	case ProblemForeign:
		return fmt.Sprintf("%s is an SQLite database of another program, not a pstab drafts file; it was left untouched: give pstab another file with --db.", p)
	case ProblemDamaged:
		return fmt.Sprintf("%s is damaged (%s) and was left untouched: move it aside and import your last export into a new drafts file.", p, e.Detail)
	case ProblemNewer:
		return fmt.Sprintf("%s was written by a newer pstab (%s); update pstab.", p, e.Detail)
	case ProblemReadOnlyDir:
		return fmt.Sprintf("%s is in a read-only folder, where pstab cannot create the journal files it needs beside it; make the folder writable or move the file to one.", p)
	case ProblemReadOnlyFile:
		return fmt.Sprintf("%s is read-only; make it writable (chmod u+w) or give pstab another file with --db.", p)
	case ProblemUnreachable:
		if e.Err == nil {
			return fmt.Sprintf("%s cannot be opened; check the path and its permissions.", p)
		}
		return fmt.Sprintf("%s cannot be opened (%v); check the path and its permissions.", p, e.Err)
	case ProblemBusy:
		return fmt.Sprintf("Another pstab is holding %s; nothing was changed, try again in a moment.", p)
	case ProblemMissing:
		return fmt.Sprintf("%s holds no drafts yet (pstab makes it when you create an app): create one with pstab new KEY --name NAME, or give pstab another file with --db.", p)
	case ProblemReadOnlyMedium:
		return fmt.Sprintf("%s is on a read-only medium, so pstab can read it but not change it: copy it to a writable folder to make changes there, or give pstab another file with --db.", p)
	case ProblemUnsafeFolder:
		return fmt.Sprintf("%s is in a folder other users can write to (%s), where they could put links in place of its journal files and have pstab write through them; it was left untouched: keep the drafts file in a folder only you can write to (chmod o-w %s), or give pstab another file with --db.", p, e.Detail, e.Detail)
	case ProblemUnsafe:
		return fmt.Sprintf("%s cannot be opened safely: %s, not one of SQLite's journal files, and pstab will not write through it; it was left untouched: remove it if you did not make it, then try again.", p, e.Detail)
	case ProblemStale:
		return fmt.Sprintf("%s was left mid-write by a program that stopped (its -wal or -journal file holds changes not yet in the file), and pstab cannot finish that here: copy the file with those beside it to a writable folder and open the copy with --db.", p)
	case ProblemOlder:
		return fmt.Sprintf("%s was written by an older pstab (%s) and is read-only here, so pstab cannot upgrade it to read it: copy it to a writable folder and open the copy with --db.", p, e.Detail)
	case ProblemDiskFull:
		return fmt.Sprintf("The disk holding %s is full: the last change was not saved, everything saved before it is kept; free some space and try again.", p)
	}
	return fmt.Sprintf("Could not write %s (%v): the last change was not saved; check the disk and try again.", p, e.Err)
}

// Unwrap returns the underlying error, if any.
func (e *FileError) Unwrap() error { return e.Err }

// SQLite primary result codes this package tells apart (sqlite3.h).
const (
	codeBusy     = 5
	codeLocked   = 6
	codeReadOnly = 8
	codeIOErr    = 10
	codeCorrupt  = 11
	codeFull     = 13
	codeCantOpen = 14
	codeProtocol = 15
	codeNotADB   = 26
)

// codeReadOnlyRollback (SQLITE_READONLY_ROLLBACK) is a read-only connection meeting a hot
// rollback journal it cannot roll back.
const codeReadOnlyRollback = codeReadOnly | 3<<8

// extendedCode returns the extended SQLite result code of err, or 0.
func extendedCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// fileProblem classifies an error from SQLite as a problem with the file, or returns 0 when
// it is not one (a constraint, a context cancelled, a bug of ours).
func fileProblem(err error) Problem {
	switch sqliteCode(err) {
	case codeBusy, codeLocked, codeProtocol:
		// SQLITE_PROTOCOL: a WAL reader lost the race with other connections too often.
		return ProblemBusy
	case codeFull:
		return ProblemDiskFull
	case codeCorrupt:
		return ProblemDamaged
	case codeNotADB:
		return ProblemNotDatabase
	case codeReadOnly:
		return ProblemReadOnlyFile
	case codeCantOpen:
		return ProblemUnreachable
	case codeIOErr:
		return ProblemWrite
	}
	return 0
}

// check turns an SQLite error that is about the file into a *FileError; other errors are
// wrapped with the operation's name.
func (s *Store) check(op string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FileError
	var ce *ConflictError
	if errors.As(err, &fe) || errors.As(err, &ce) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if p := fileProblem(err); p != 0 {
		e := &FileError{Path: s.path, Problem: p, Err: err}
		if p == ProblemDamaged {
			e.Detail = "SQLite reports: " + err.Error()
		}
		return e
	}
	return fmt.Errorf("%s: %w", op, err)
}
