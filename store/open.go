package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/pstab/pstab/questionnaire"
)

// Options configures a Store.
type Options struct {
	// Catalogues are the questionnaires drafts may answer. The store needs them to keep
	// answers as JSON per question and each draft's progress up to date, and to say which
	// questionnaire a key answers (Subject).
	Catalogues questionnaire.Catalogues
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Warn receives one-sentence notices about things Open fixed on its own, such as a
	// drafts file readable by others; nil drops them.
	Warn func(msg string)

	// txLock is the _txlock of the DSN; tests set "deferred" to show that the concurrency
	// test catches the lock errors immediate transactions avoid.
	txLock string
	// migrations replace the embedded ones in tests of schema upgrades.
	migrations []migration
}

// Store is an open drafts file. Its methods may be called from several goroutines; they
// take turns on one connection.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time
	cats map[string]*questionnaire.Catalogue
	// catalogues are the questionnaires as given; appCat is the app-level one, whose
	// progress the app list reports.
	catalogues questionnaire.Catalogues
	appCat     *questionnaire.Catalogue
	// emptyTotal is its number of required questions shown for an empty draft.
	emptyTotal int

	// stmts are the prepared hot queries (prepare).
	stmts map[string]*sql.Stmt
	// cache spares autosaves reading every answer to recompute the progress.
	cache progressCache

	// beforeCommit, when set, runs inside each write transaction just before COMMIT; the
	// crash test uses it to acknowledge too early on purpose and prove it gets caught.
	beforeCommit func()
}

// busyTimeout is how long a write waits for another pstab's transaction, in ms. Saves
// take milliseconds; 16 processes saving at once measured 730 ms at worst.
const busyTimeout = 5000

// applicationID marks the file as pstab's in the SQLite header ("pstb").
const applicationID = 0x70737462

// dsn is the connection string of the drafts file. Pragmas go in the DSN so that every
// connection of the pool gets them; the path is ours, never SQL from the user.
func dsn(path, txLock string) string {
	return fileURI(path) +
		"?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)" +
		"&_txlock=" + txLock
}

// Open opens the drafts file at path, creating it (mode 0600) if it does not exist, and
// brings its schema up to date. Nothing is written to an existing file before it is known
// to be a healthy pstab database: a file that is not, or that is damaged, read-only, in a
// read-only folder or from a newer pstab, gives a *FileError and is left byte-identical.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	s := &Store{path: abs, now: opts.Now, cats: map[string]*questionnaire.Catalogue{},
		catalogues: opts.Catalogues, appCat: opts.Catalogues.PrivacySecurity}
	if s.now == nil {
		s.now = time.Now
	}
	for _, c := range opts.Catalogues.All() {
		s.cats[c.ID] = c
	}
	if s.appCat != nil {
		s.emptyTotal = s.appCat.Progress(questionnaire.NewAnswers()).Total
	}
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}

	ms := opts.migrations
	if ms == nil {
		ms = migrations()
	}
	fresh, err := prepareFile(abs, warn)
	if err != nil {
		return nil, err
	}
	if !fresh {
		if err := inspect(ctx, abs, len(ms)); err != nil {
			return nil, err
		}
	}
	txLock := opts.txLock
	if txLock == "" {
		txLock = "immediate"
	}
	db, err := sql.Open("sqlite", dsn(abs, txLock))
	if err != nil {
		return nil, s.check("open store", err)
	}
	// One connection: writes in this process take turns, so SQLITE_BUSY can only come
	// from another process, and the busy timeout handles that.
	db.SetMaxOpenConns(1)
	s.db = db
	if err := s.readyRetrying(ctx, ms); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// readyRetrying runs ready, trying again while another pstab holds the file, for as long
// as the busy timeout. SQLite itself waits that long almost everywhere, but not when
// several processes switch a new file to WAL at the same moment: the connection's first
// statement can then fail at once with SQLITE_BUSY.
func (s *Store) readyRetrying(ctx context.Context, ms []migration) error {
	deadline := time.Now().Add(busyTimeout * time.Millisecond)
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		err := s.ready(ctx, ms)
		var fe *FileError
		if !errors.As(err, &fe) || fe.Problem != ProblemBusy || time.Now().Add(pause).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

// prepareFile checks the file and its folder before SQLite sees them, creates a missing
// file at mode 0600 and tightens a wider one. It reports whether the file is new (missing
// or empty), which SQLite treats as an empty database.
func prepareFile(path string, warn func(string)) (fresh bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	dirInfo, err := os.Stat(dir)
	if err != nil {
		return false, &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if !writable(dir, dirInfo) {
			return false, &FileError{Path: path, Problem: ProblemReadOnlyDir}
		}
		created, cerr := createPrivate(path)
		if cerr != nil {
			return false, &FileError{Path: path, Problem: ProblemUnreachable, Err: cerr}
		}
		if created {
			return true, nil
		}
		info, err = os.Stat(path) // another pstab created it just now
	}
	if err != nil {
		return false, &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	if !info.Mode().IsRegular() {
		return false, &FileError{Path: path, Problem: ProblemUnreachable, Err: errors.New("it is not a regular file")}
	}
	if !writable(path, info) {
		return false, &FileError{Path: path, Problem: ProblemReadOnlyFile}
	}
	// WAL keeps path-wal and path-shm beside the file, creating them when needed.
	if !writable(dir, dirInfo) {
		return false, &FileError{Path: path, Problem: ProblemReadOnlyDir}
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		msg, err := tightenMode(p)
		if err != nil {
			warn(fmt.Sprintf("%s is readable by others and pstab could not change that (%v); chmod 600 it.", p, err))
		} else if msg != "" {
			warn(msg + ".")
		}
	}
	return info.Size() == 0, nil
}

// createPrivate creates the file at mode 0600 and reports whether it did; a file that
// exists already (another pstab just made it) is not an error. Creating it here, not
// letting SQLite do it, makes the -wal and -shm files private too: SQLite gives them the
// database's mode. The descriptor is closed before SQLite opens the file: closing one
// later would drop SQLite's locks.
func createPrivate(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// inspect looks at an existing file through a read-only connection that sets no journal
// mode, so that a file that is not a healthy pstab database is never written to.
//
// How it reads depends on what lies beside the file. With neither -wal nor -shm, nobody
// has the file open (a connection in WAL mode makes -shm) and it holds everything: read
// it as it lies (immutable), with no locks and no -wal or -shm made. With -shm, read the
// WAL index without writing to it: a plain read-only connection would rebuild it after a
// crash, changing -shm before the file is known to be healthy. With a -wal alone, SQLite
// must build the index in a new -shm, removed again if the file is refused.
//
// Other pstabs may open and close the file meanwhile, making and deleting -wal and -shm
// between the look and the read; an attempt that fails for a reason other than the
// file's content is tried again, the last time with a plain read-only connection.
func inspect(ctx context.Context, path string, known int) error {
	const attempts = 4
	var err error
	for try := 1; try <= attempts; try++ {
		walBefore, shmBefore := exists(path+"-wal"), exists(path+"-shm")
		mode := "&readonly_shm=1"
		switch {
		case try == attempts || !shmBefore && walBefore:
			mode = ""
		case !shmBefore:
			mode = "&immutable=1"
		}
		err = inspectWith(ctx, path, mode, known)
		var fe *FileError
		if !errors.As(err, &fe) {
			return err
		}
		if mode == "" && fe.Problem != ProblemBusy {
			// The -shm made for the reading holds nothing of value; leave the folder as it was.
			removeIfNew(path+"-shm", shmBefore, false)
		}
		switch fe.Problem {
		case ProblemNotDatabase, ProblemForeign, ProblemNewer:
			return err // verdicts on the file's content
		case ProblemDamaged:
			// An immutable read may have met another pstab's checkpoint half done.
			if mode != "&immutable=1" || !exists(path+"-wal") && !exists(path+"-shm") {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(time.Duration(try*try) * 10 * time.Millisecond)
	}
	return err
}

func inspectWith(ctx context.Context, path, mode string, known int) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro"+mode+"&_pragma=busy_timeout("+fmt.Sprint(busyTimeout)+")")
	if err != nil {
		return &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	defer db.Close()
	return inspectDB(ctx, db, path, known)
}

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
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fail(err)
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
	if err != nil {
		return fail(err)
	}
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fail(err)
		}
		tables[name] = true
	}
	if err := rows.Close(); err != nil {
		return fail(err)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if appID != 0 && appID != applicationID || len(tables) > 0 && !tables[versionTable] {
		return &FileError{Path: path, Problem: ProblemForeign}
	}
	if len(tables) > 0 {
		var v int
		if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&v); err != nil {
			return fail(err)
		}
		if v > known {
			return &FileError{Path: path, Problem: ProblemNewer,
				Detail: fmt.Sprintf("schema %d; this one knows %d", v, known)}
		}
	}
	// Ping and ordinary queries pass on a file scribbled in the middle; quick_check does not.
	qrows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fail(err)
	}
	defer qrows.Close()
	var findings []string
	for qrows.Next() {
		var line string
		if err := qrows.Scan(&line); err != nil {
			return fail(err)
		}
		findings = append(findings, line)
	}
	// quick_check may give up with an error after reporting what it found: the findings
	// say more than the error.
	if err := qrows.Err(); err != nil && len(findings) == 0 {
		return fail(err)
	}
	if len(findings) != 1 || findings[0] != "ok" {
		detail := "quick_check found damage"
		if len(findings) > 0 {
			detail = "quick_check: " + firstLine(findings[0])
			if strings.HasPrefix(findings[0], "*** in database") && len(findings) > 1 {
				detail = "quick_check: " + firstLine(findings[1])
			}
		}
		return &FileError{Path: path, Problem: ProblemDamaged, Detail: detail}
	}
	return nil
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
	if info, err := os.Lstat(path); err != nil || mustBeEmpty && info.Size() != 0 {
		return
	}
	os.Remove(path)
}

// ready checks what the real connection runs and migrates the schema.
func (s *Store) ready(ctx context.Context, ms []migration) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return s.openErr(err)
	}
	if mode != "wal" {
		return &FileError{Path: s.path, Problem: ProblemUnreachable,
			Err: fmt.Errorf("SQLite could not switch it to WAL mode (it runs %q); it may be on a network drive", mode)}
	}
	if err := s.migrate(ctx, ms); err != nil {
		return s.openErr(err)
	}
	if err := s.prepare(ctx); err != nil {
		return s.openErr(err)
	}
	return nil
}

// openErr maps an error of the real open to a *FileError, whatever it is.
func (s *Store) openErr(err error) error {
	err = s.check("open store", err)
	var fe *FileError
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, syscall.EROFS) {
		return &FileError{Path: s.path, Problem: ProblemReadOnlyDir, Err: err}
	}
	return &FileError{Path: s.path, Problem: ProblemUnreachable, Err: err}
}

// Close closes the drafts file. SQLite folds the WAL back into the file on the way out.
func (s *Store) Close() error {
	return s.db.Close()
}

// Path returns the absolute path of the drafts file.
func (s *Store) Path() string { return s.path }
