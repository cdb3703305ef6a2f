package cli

import (
	"github.com/spf13/cobra"

	"github.com/pstab/pstab/ui/accessible"
)

// runAccessible runs the plain line-by-line prompter (--accessible or ACCESSIBLE=1): the
// wizard's questions, follow-up rules, validation and autosave, for screen readers and
// piped input. It talks on standard output, since it draws nothing that would need
// standard output kept clean, and works without a terminal.
func (a *App) runAccessible(cmd *cobra.Command) error {
	ctx := cmd.Context()
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	code, err := accessible.Run(ctx, accessible.Config{
		In:         cmd.InOrStdin(),
		Out:        cmd.OutOrStdout(),
		Drafts:     s,
		Catalogues: s.Catalogues(),
		Echo:       !a.InIsTerminal,
	})
	switch {
	case err != nil:
		return &ExitError{Code: code, Err: err}
	case code != 0:
		return &ExitError{Code: code, Err: errSilent}
	}
	return nil
}
