package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	p, err := store.DefaultPath()
	if err != nil {
		return "", usageErr("cannot find a place for the drafts file (%v); give one with --db or PSTAB_DB", err)
	}
	return p, nil
}

// openStore opens the drafts file with both catalogues (s.Catalogues()).
func (a *App) openStore(ctx context.Context) (*store.Store, error) {
	cats, err := a.catalogues()
	if err != nil {
		return nil, err
	}
	path, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, path, store.Options{
		Catalogues: cats,
		Warn:       func(msg string) { fmt.Fprintln(a.Err, "pstab: note: "+msg) },
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return s, nil
}

// storeErr maps store errors to exit codes: a drafts file pstab cannot use is unreadable
// input (2); a write that failed (disk full, another pstab holding the file) and a conflict
// are failures of the command (1).
func storeErr(err error) error {
	var fe *store.FileError
	var ce *store.ConflictError
	switch {
	case err == nil:
		return nil
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

// draftDocument loads an app's draft as a document for preview and export.
func (a *App) draftDocument(_ *questionnaire.Catalogue, key string) (*document, error) {
	ctx := context.Background()
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, err
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
		s, err := a.openStore(ctx)
		if err != nil {
			return err
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
