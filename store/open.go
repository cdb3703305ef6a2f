package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
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
	// Warn receives one-sentence notices about things Open fixed or did on its own, such
	// as a drafts file readable by others, or an upgrade of its schema; nil drops them.
	Warn func(msg string)
	// Waiting is told, once per wait, when the store has waited a second for another pstab
	// (holding the file, or recovering it after a crash); nil drops it. Every such wait
	// ends within the busy timeout (5 s), with ProblemBusy if the other pstab has not let go.
	// It is called from another goroutine, and must not wait on the Store's caller: the
	// wait ends only once it has returned. SetWaiting changes it on an open Store.
	Waiting func(msg string)
	// LoadCatalogues, when set, gives the catalogues instead of Catalogues, so that a
	// caller can parse them (the larger part of a short command's start) while the file is
	// read. Open does not wait for it: Questionnaires does, and so does the first method
	// that needs a questionnaire, which then returns its error. pstab apps reads the list
	// while they are parsed.
	LoadCatalogues func() (questionnaire.Catalogues, error)
	// ReadOnly opens the file for reading only, for commands that do not change it: nothing
	// is created (no folder, no file, none of SQLite's files left behind), a missing file
	// is a *FileError with ProblemMissing, and no statement can write to the file. It also
	// reads a file on a read-only medium, or one the user cannot write. Writing methods
	// then fail with ErrReadOnly.
	ReadOnly bool

	// txLock is the _txlock of the DSN; tests set "deferred" to show that the concurrency
	// test catches the lock errors immediate transactions avoid.
	txLock string
	// migrations replace the embedded ones in tests of schema upgrades.
	migrations []migration
}

// ErrReadOnly is returned by writing methods of a Store opened with Options.ReadOnly.
var ErrReadOnly = errors.New("the drafts file was opened for reading only")

// Store is an open drafts file. Its methods may be called from several goroutines; they
// take turns on one connection.
type Store struct {
	db       *sql.DB
	path     string
	now      func() time.Time
	warn     func(string)
	readOnly bool

	// load gives the catalogues (Options.LoadCatalogues); loadOnce runs it and records
	// loadErr. Every read of cats, catalogues, appCat and emptyTotal comes after
	// questionnaires, which waits for it.
	load     func() (questionnaire.Catalogues, error)
	loadOnce sync.Once
	loadErr  error
	cats     map[string]*questionnaire.Catalogue
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

	// waitMu guards waiting, which SetWaiting may change while a timer calls it.
	waitMu  sync.Mutex
	waiting func(string)

	// checked is set once fullCheck has run, and damage holds its verdict: nil, or the
	// *FileError every write then returns.
	checkMu sync.Mutex
	checked bool
	damage  error

	// release forgets this Store's connection in openStores (Close).
	release func()

	// beforeCommit, when set, runs inside each write transaction just before COMMIT; the
	// crash test uses it to acknowledge too early on purpose and prove it gets caught.
	beforeCommit func()
}

// busyTimeout is how long a statement waits for another pstab's transaction, in ms. Saves
// take milliseconds; 16 processes saving at once measured 730 ms at worst.
const busyTimeout = 5000

// applicationID marks the file as pstab's in the SQLite header ("pstb").
const applicationID = 0x70737462

// dsn is the connection string of the drafts file with every setting pstab runs, for
// connections that need no inspection first (tests, the upgrade of a file already
// accepted). Pragmas go in the DSN so that every connection of the pool gets them; the
// path is ours, never SQL from the user.
func dsn(path, txLock string) string {
	return fileURI(path) +
		"?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)" +
		"&_txlock=" + txLock
}

// storeDSN is the connection string of a Store opened for writing: dsn without the
// journal mode, which ready sets once the file is known to be a pstab database (WAL mode
// is kept in the file, so a connection made later finds it too).
func storeDSN(path, txLock string) string {
	return fileURI(path) +
		"?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout) + ")" +
		"&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)" +
		"&_txlock=" + txLock
}

// readOnlyDSN is the connection string of a Store opened for reading. Where the file and
// its folder are writable it is an ordinary connection that refuses every write
// (query_only), so that SQLite removes the -wal and -shm files it made when the last
// connection closes. Elsewhere it is a read-only one (inspectDSN).
func readOnlyDSN(pl place) (string, error) {
	if !pl.writable {
		return inspectDSN(pl)
	}
	return fileURI(pl.path) + "?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout) + ")&_pragma=query_only(1)", nil
}

// inspectDSN is how a file is read before it is known to be a healthy pstab database:
// read-only, and with no journal mode set. Where SQLite can write -shm it reads under its
// ordinary locks, recovering the WAL index after a crash if needed. Where it cannot (a
// read-only medium, file or folder) nobody else can be writing: a -wal without frames is
// then ignored (immutable), and one with frames is read through a -shm only if that
// indexes it as it is, since SQLite cannot rebuild one it cannot write.
func inspectDSN(pl place) (string, error) {
	base := fileURI(pl.path) + "?mode=ro&_pragma=busy_timeout(" + fmt.Sprint(busyTimeout) + ")"
	switch {
	case pl.writable:
		return base, nil
	case !pl.walFrames:
		return base + "&immutable=1", nil
	case pl.shmUsable:
		return base, nil
	}
	return "", &FileError{Path: pl.path, Problem: ProblemStale}
}

// Open opens the drafts file at path, creating it (mode 0600) if it does not exist, and
// brings its schema up to date; with Options.ReadOnly it creates and changes nothing.
// Nothing is written to an existing file before it is known to be a healthy pstab
// database: a file that is not, or that is damaged, read-only, in a read-only or unsafe
// folder or from a newer pstab, gives a *FileError and is left byte-identical.
//
// Open checks what every command reads; the rest of the file is checked once, before the
// first write (see fullCheck), so that opening costs the same however long the history.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	s := &Store{path: abs, now: opts.Now, warn: opts.Warn, waiting: opts.Waiting, readOnly: opts.ReadOnly,
		load: opts.LoadCatalogues, cats: map[string]*questionnaire.Catalogue{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.warn == nil {
		s.warn = func(string) {}
	}
	s.setCatalogues(opts.Catalogues)
	ms := opts.migrations
	if ms == nil {
		ms = migrations()
	}

	pl, err := locate(abs, opts.ReadOnly)
	if err != nil {
		return nil, err
	}
	s.path = pl.path
	// For reading, where SQLite has nothing to recover (no frames in a -wal, no rollback
	// journal), the Store's own connection does the inspection: it writes nothing, and
	// closing it on a refusal leaves no file behind. Otherwise, and for writing (the modes
	// are tightened between the two, while no connection of this process holds a lock to
	// lose), a read-only connection looks first.
	single := opts.ReadOnly && !pl.fresh && pl.writable && !pl.walFrames && !exists(pl.path+"-journal")
	if !pl.fresh && !single {
		readDSN, err := inspectDSN(pl)
		if err != nil {
			return nil, err
		}
		stop := s.announce()
		err = inspect(ctx, pl, readDSN, len(ms))
		if extendedCode(err) == codeReadOnlyRollback && pl.writable && pl.mayRecover {
			// A read-only connection cannot roll back a hot journal; the first that can
			// write does, then the file is looked at again.
			if err = rollBack(ctx, pl.path); err == nil {
				err = inspect(ctx, pl, readDSN, len(ms))
			}
		}
		stop()
		if extendedCode(err) == codeReadOnlyRollback {
			err = &FileError{Path: pl.path, Problem: ProblemStale}
		}
		if err != nil {
			return nil, err
		}
	}
	if !opts.ReadOnly && !pl.openHere {
		tightenModes(pl.path, s.warn)
	}
	var conn string
	if opts.ReadOnly {
		if conn, err = readOnlyDSN(pl); err != nil {
			return nil, err
		}
	} else {
		txLock := opts.txLock
		if txLock == "" {
			txLock = "immediate"
		}
		conn = storeDSN(pl.path, txLock)
	}
	db, err := sql.Open("sqlite", conn)
	if err != nil {
		return nil, s.check("open store", err)
	}
	// One connection: writes in this process take turns, so SQLITE_BUSY can only come
	// from another process, and the busy timeout handles that.
	db.SetMaxOpenConns(1)
	s.db = db
	s.release = holdOpen(pl.path)
	if single {
		stop := s.announce()
		err := inspectDB(ctx, db, pl.path, len(ms))
		stop()
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	// A file pstab has just made holds nothing to check.
	s.checked = pl.fresh
	if opts.ReadOnly {
		err = s.readyToRead(ctx, pl, ms)
	} else {
		err = s.readyRetrying(ctx, ms)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Questionnaires waits for the catalogues Options.LoadCatalogues gives, once, and returns
// them, or the error it gave.
func (s *Store) Questionnaires() (questionnaire.Catalogues, error) {
	if err := s.questionnaires(); err != nil {
		return questionnaire.Catalogues{}, err
	}
	return s.catalogues, nil
}

// questionnaires waits for Options.LoadCatalogues, once; every later call returns its
// error at once.
func (s *Store) questionnaires() error {
	s.loadOnce.Do(func() {
		if s.load == nil {
			return
		}
		cats, err := s.load()
		if err != nil {
			s.loadErr = err
			return
		}
		s.setCatalogues(cats)
	})
	return s.loadErr
}

// setCatalogues records the questionnaires drafts may answer.
func (s *Store) setCatalogues(cats questionnaire.Catalogues) {
	s.catalogues, s.appCat = cats, cats.PrivacySecurity
	for _, c := range cats.All() {
		s.cats[c.ID] = c
	}
	if s.appCat != nil {
		s.emptyTotal = s.appCat.Progress(questionnaire.NewAnswers()).Total
	}
}

// rollBack lets SQLite roll back the hot journal beside a file: a connection that may
// write does so as it first reads, and query_only keeps the reading from writing anything
// else.
func rollBack(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout("+fmt.Sprint(busyTimeout)+")&_pragma=query_only(1)")
	if err != nil {
		return &FileError{Path: path, Problem: ProblemUnreachable, Err: err}
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return checkFailed(path, err)
	}
	return nil
}

// SetWaiting changes the function told about waits on another pstab (Options.Waiting),
// say once a full-screen program owns the terminal; nil drops them. The function must not
// wait on the Store's caller: the wait it is told of ends only once it has returned.
func (s *Store) SetWaiting(fn func(msg string)) {
	s.waitMu.Lock()
	defer s.waitMu.Unlock()
	s.waiting = fn
}

// announce arranges for Waiting to hear of a wait that lasts waitNotice, and returns the
// function that ends the wait. That function returns only once a message already on its
// way has been given, so that nothing is written beside what the caller writes next (the
// error that ended the wait, say, on the same stream).
func (s *Store) announce() (stop func()) {
	given := make(chan struct{})
	t := time.AfterFunc(waitNotice, func() {
		defer close(given)
		s.waitMu.Lock()
		fn := s.waiting
		s.waitMu.Unlock()
		if fn != nil {
			fn(fmt.Sprintf("waiting for another pstab to finish with %s…", s.path))
		}
	})
	return func() {
		if !t.Stop() {
			<-given
		}
	}
}

// readyRetrying runs ready, trying again while another pstab holds the file, for as long
// as the busy timeout. SQLite itself waits that long almost everywhere, but not when
// several processes switch a new file to WAL at the same moment: the connection's first
// statement can then fail at once with SQLITE_BUSY.
func (s *Store) readyRetrying(ctx context.Context, ms []migration) error {
	stop := s.announce()
	defer stop()
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

// readyToRead checks the schema of a Store opened for reading. A file from an older pstab
// is upgraded where it can be (the upgrade keeps a copy, as every upgrade does, and says
// so), since this pstab cannot read the older form; elsewhere it is refused.
func (s *Store) readyToRead(ctx context.Context, pl place, ms []migration) error {
	v, err := schemaVersion(ctx, s.db)
	if err != nil {
		return s.openErr(err)
	}
	if v == 0 {
		// An empty file, or one whose first pstab stopped before making the schema.
		return &FileError{Path: s.path, Problem: ProblemMissing}
	}
	if v == len(ms) {
		return nil
	}
	if !pl.writable {
		return &FileError{Path: s.path, Problem: ProblemOlder, Detail: fmt.Sprintf("schema %d; this one reads %d", v, len(ms))}
	}
	up, err := sql.Open("sqlite", dsn(s.path, "immediate"))
	if err != nil {
		return s.openErr(err)
	}
	defer up.Close()
	up.SetMaxOpenConns(1)
	w := &Store{db: up, path: s.path, now: s.now, warn: s.warn, waiting: s.waiting}
	return w.readyRetrying(ctx, ms)
}

// ready checks what the real connection runs and migrates the schema.
func (s *Store) ready(ctx context.Context, ms []migration) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
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
	// Options.LoadCatalogues has ended when Close returns, so that nothing the caller gave
	// Open still runs after it (the parsing of pstab apps, say, when its query failed).
	s.questionnaires()
	err := s.db.Close()
	if s.release != nil {
		s.release()
	}
	return err
}

// Path returns the absolute path of the drafts file.
func (s *Store) Path() string { return s.path }
