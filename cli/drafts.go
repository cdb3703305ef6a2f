package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// draftCommands are the commands over the drafts database.
func (a *App) draftCommands() []*cobra.Command {
	return []*cobra.Command{
		a.appsCmd(), a.newCmd(), a.setCmd(), a.unsetCmd(), a.questionsCmd(), a.importCmd(), a.checkCmd(),
		a.savepointCmd(), a.historyCmd(), a.diffCmd(), a.revertCmd(), a.discardCmd(), a.copyCmd(), a.rmCmd(),
		a.reviewCmd(), a.scanCmd(),
	}
}

// withSubject runs fn with the drafts file open and KEY resolved to its draft: an app's
// Privacy & Security draft, or @partner's Security Self-Assessment.
func (a *App) withSubject(cmd *cobra.Command, key string, fn func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, app store.App) error) error {
	return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
		sub, err := a.subject(ctx, s, key)
		if err != nil {
			return err
		}
		return fn(ctx, s, sub.Ref, sub.Catalogue, sub.App)
	})
}

// withStore runs fn with the drafts file open, closing it afterwards. The catalogues it
// was opened with are s.Catalogues().
func (a *App) withStore(cmd *cobra.Command, fn func(ctx context.Context, s *store.Store) error) error {
	ctx := cmd.Context()
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(ctx, s)
}

// withStoreRead is withStore for a command that only reads: the drafts file is opened
// for reading (see openStoreRead). A missing file is fn's to word: it gets a nil store
// and the *FileError.
func (a *App) withStoreRead(cmd *cobra.Command, fn func(ctx context.Context, s *store.Store, openErr error) error) error {
	return a.withRead(cmd, a.openStoreRead, fn)
}

// withRead is withStoreRead with the drafts file opened by open.
func (a *App) withRead(cmd *cobra.Command, open func(context.Context) (*store.Store, error),
	fn func(ctx context.Context, s *store.Store, openErr error) error) error {
	ctx := cmd.Context()
	s, err := open(ctx)
	if missing(err) {
		return fn(ctx, nil, err)
	}
	if err != nil {
		return storeErr(err)
	}
	defer s.Close()
	return fn(ctx, s, nil)
}

// withSubjectRead is withSubject for a command that only reads; with no drafts file, KEY
// names no app.
func (a *App) withSubjectRead(cmd *cobra.Command, key string, fn func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, app store.App) error) error {
	return a.withStoreRead(cmd, func(ctx context.Context, s *store.Store, openErr error) error {
		if openErr != nil {
			return a.noApp(key, openErr)
		}
		sub, err := a.subject(ctx, s, key)
		if err != nil {
			return err
		}
		return fn(ctx, s, sub.Ref, sub.Catalogue, sub.App)
	})
}

// confirm asks a yes/no question on the terminal; without a terminal it asks for --yes.
func (a *App) confirm(yes bool, question string) error {
	if yes {
		return nil
	}
	if !a.InIsTerminal {
		// A script has no one to answer, so the sentence says nothing happened and how to go ahead.
		return usageErr("nothing was changed: there is no terminal to ask “%s” on; add --yes to go ahead", strings.TrimSuffix(question, "?")+"?")
	}
	fmt.Fprintf(a.Err, "%s [y/N] ", termsafe.Filter(question))
	line, err := bufio.NewReader(a.In).ReadString('\n')
	if err != nil && line == "" {
		return errCancelled
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return &ExitError{Code: ExitProblems, Err: errors.New("nothing was changed")}
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
