package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// dbPath returns the drafts file: --db, else PSTAB_DB, else the default location.
func (a *App) dbPath() (string, error) {
	if a.flags.db != "" {
		return a.flags.db, nil
	}
	if p := a.env("PSTAB_DB"); p != "" {
		return p, nil
	}
	p, err := store.DefaultPathFor(a.env)
	if err != nil {
		return "", usageErr("cannot find a place for the drafts file (%v); give one with --db or PSTAB_DB", err)
	}
	return p, nil
}

// openStore opens the drafts file with both catalogues (s.Catalogues()), for a command
// that changes it: it creates the data folder and the file if they are missing.
func (a *App) openStore(ctx context.Context) (*store.Store, error) {
	s, err := a.openStoreMode(ctx, false)
	if err != nil {
		return nil, storeErr(err)
	}
	return s, nil
}

// openStoreRead opens the drafts file for a command that only reads it: it creates no
// folder and no file, works on a read-only medium, and a missing file is a *FileError with
// store.ProblemMissing, which the caller turns into its own sentence ("No apps yet", "there
// is no app KEY").
func (a *App) openStoreRead(ctx context.Context) (*store.Store, error) {
	return a.openStoreMode(ctx, true)
}

// openStoreList is openStoreRead for a command whose first read is the app list: the
// catalogues are still being parsed when it returns, and the list, whose query does not
// need them, waits for them (and returns their error) after it has read the file.
func (a *App) openStoreList(ctx context.Context) (*store.Store, error) {
	return a.openStoreWith(ctx, true, false)
}

// openStoreMode opens the drafts file once the catalogues are parsed: a broken catalogue
// is said here, before the command starts.
func (a *App) openStoreMode(ctx context.Context, readOnly bool) (*store.Store, error) {
	return a.openStoreWith(ctx, readOnly, true)
}

func (a *App) openStoreWith(ctx context.Context, readOnly, wait bool) (*store.Store, error) {
	path, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	// The catalogues are parsed while the store opens the file, on the other core: the two
	// are most of a short command's time.
	type parsed struct {
		cats questionnaire.Catalogues
		err  error
	}
	done := make(chan parsed, 1)
	go func() {
		cats, err := a.catalogues()
		done <- parsed{cats, err}
	}()
	load := sync.OnceValues(func() (questionnaire.Catalogues, error) {
		p := <-done
		return p.cats, p.err
	})
	s, err := store.Open(ctx, path, store.Options{
		LoadCatalogues: load,
		ReadOnly:       readOnly,
		Warn:           func(msg string) { fmt.Fprintln(a.Err, "pstab: note: "+msg) },
		// Said on standard error, where a script's log shows it; the wizard replaces it
		// once it owns the terminal (runTUI).
		Waiting: func(msg string) { fmt.Fprintln(a.Err, "pstab: "+msg) },
	})
	if err != nil {
		// A refused file is said before a broken catalogue; either way the parsing ends
		// before the command does.
		if _, cerr := load(); cerr != nil && !isFileError(err) {
			return nil, cerr
		}
		return nil, err
	}
	if wait {
		if _, err := s.Questionnaires(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func isFileError(err error) bool {
	var fe *store.FileError
	return errors.As(err, &fe)
}

// missing reports whether err says there is no drafts file yet (a reading command found
// none, and made none).
func missing(err error) bool {
	var fe *store.FileError
	return errors.As(err, &fe) && fe.Problem == store.ProblemMissing
}

// readOnlyFile reports whether err says the drafts file cannot be written here (a
// read-only medium, file or folder), for steps that only record what a reading command
// did.
func readOnlyFile(err error) bool {
	var fe *store.FileError
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Problem {
	case store.ProblemReadOnlyMedium, store.ProblemReadOnlyFile, store.ProblemReadOnlyDir:
		return true
	}
	return false
}

// storeErr maps store errors to exit codes: a drafts file pstab cannot use is unreadable
// input (2); a write that failed (disk full, another pstab holding the file) and a conflict
// are failures of the command (1).
func storeErr(err error) error {
	var fe *store.FileError
	var ce *store.ConflictError
	var spe *store.SavePointError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &spe):
		return &ExitError{Code: ExitProblems, Err: spe}
	case errors.As(err, &fe):
		code := ExitUsage
		switch fe.Problem {
		case store.ProblemBusy, store.ProblemDiskFull, store.ProblemWrite:
			code = ExitProblems
		}
		return &ExitError{Code: code, Err: errors.New(strings.TrimSuffix(fe.Error(), "."))}
	case errors.As(err, &ce):
		return &ExitError{Code: ExitProblems, Err: ce}
	case errors.Is(err, context.Canceled):
		return errCancelled
	}
	return err
}

// noApp is the sentence for a KEY when there is no drafts file at all.
func (a *App) noApp(key string, err error) error {
	var fe *store.FileError
	errors.As(err, &fe)
	return problemsErr("there is no app %s: %s holds no drafts yet; create it with pstab new %s --name NAME", key, fe.Path, key)
}

// subject resolves a KEY argument: an existing app, or @partner for the partner's Security
// Self-Assessment. It returns the draft reference and the catalogue it answers.
func (a *App) subject(ctx context.Context, s *store.Store, key string) (store.Subject, error) {
	sub, err := s.Subject(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return store.Subject{}, problemsErr("there is no app %s in %s; create it with pstab new %s --name NAME, or list apps with pstab apps", key, s.Path(), key)
	}
	if err != nil {
		return store.Subject{}, storeErr(err)
	}
	return sub, nil
}

// draftDocument loads an app's draft as a document for preview and export. It only reads
// the drafts file; an export then records itself in the history where the file can be
// written (afterExport).
func (a *App) draftDocument(_ *questionnaire.Catalogue, key string) (*document, error) {
	ctx := context.Background()
	s, err := a.openStoreRead(ctx)
	if missing(err) {
		return nil, a.noApp(key, err)
	}
	if err != nil {
		return nil, storeErr(err)
	}
	defer s.Close()
	sub, err := a.subject(ctx, s, key)
	if err != nil {
		return nil, err
	}
	ref, cat, app := sub.Ref, sub.Catalogue, sub.App
	d, err := s.Load(ctx, ref)
	if err != nil {
		return nil, storeErr(err)
	}
	doc := &document{answers: d.Answers, title: app.Name, catalogue: cat}
	if d.Revision > 0 {
		doc.note = fmt.Sprintf("Draft after save point %d", d.Revision)
		if d.Dirty {
			doc.note += ", with changes since"
		}
	}
	review, err := s.Review(ctx, ref)
	if err != nil {
		return nil, storeErr(err)
	}
	doc.bundle = &questionnaire.Bundle{AppKey: app.Key, AppName: app.Name, Revision: d.Revision,
		SavedAt: d.UpdatedAt, Answers: d.Answers, Review: review}
	doc.afterExport = func(format, path string) error {
		s, err := a.openStoreMode(ctx, false)
		if readOnlyFile(err) {
			// A drafts file on a read-only medium (a backup, a snapshot) still exports.
			fmt.Fprintf(a.Err, "pstab: note: the export is not in %s's history: %s\n", key, questionnaire.LowerFirst(err.Error()))
			return nil
		}
		if err != nil {
			return storeErr(err)
		}
		defer s.Close()
		if err := s.Record(ctx, ref, store.EventExport, fmt.Sprintf("%s to %s", format, path)); err != nil {
			return storeErr(err)
		}
		if (format == "payload" || format == "sheet") && (d.Status == "" || d.Status == store.StatusDraft) {
			return storeErr(s.SetStatus(ctx, ref, store.StatusExported, ""))
		}
		return nil
	}
	return doc, nil
}
