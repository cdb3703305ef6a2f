package cli

import (
	"github.com/spf13/cobra"

	"github.com/pstab/pstab/ui/accessible"
)

// accessibleArgs lets pstab take the accessible prompter's arguments: pstab --accessible
// [KEY] [--from QUESTION]. KEY names the app (or @partner) to answer, so that a script's
// first prompt never depends on what else the drafts file holds; without --accessible
// an argument is an unknown command, as before.
func (a *App) accessibleArgs(root *cobra.Command) {
	root.Flags().StringVar(&a.flags.from, "from", "", "with --accessible: the ID of the question to start at (pstab questions lists them)")
	// cobra sets its default distance only on the path it suggests from itself.
	root.SuggestionsMinimumDistance = 2
	root.Args = func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) > 0 && !a.accessible():
			// A misspelt command: say so, with cobra's suggestion (pstab hsitory KEY).
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				return usageErr("unknown command %q; perhaps pstab %s (see pstab --help)", args[0], s[0])
			}
			if len(args) > 1 {
				return usageErr("unknown command %q; see pstab --help", args[0])
			}
			return usageErr("unknown command %q; see pstab --help (to answer an app's questions line by line: pstab --accessible %s)", args[0], args[0])
		case len(args) > 1:
			return usageErr("pstab --accessible takes one app KEY, not %d arguments", len(args))
		case a.flags.from != "" && !a.accessible():
			return usageErr("--from goes with --accessible: pstab --accessible KEY --from QUESTION")
		}
		return nil
	}
}

// runAccessible runs the plain line-by-line prompter (--accessible or ACCESSIBLE=1): the
// wizard's questions, follow-up rules, validation and autosave, for screen readers and
// piped input. It talks on standard output, since it draws nothing that would need
// standard output kept clean, and works without a terminal. Input that is not a
// terminal is a script: it must name its app, and a refused line ends the run with exit 1.
func (a *App) runAccessible(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var key string
	if len(args) == 1 {
		key = args[0]
	}
	code, err := accessible.Run(ctx, accessible.Config{
		In:         cmd.InOrStdin(),
		Out:        cmd.OutOrStdout(),
		Drafts:     s,
		Catalogues: s.Catalogues(),
		Echo:       !a.InIsTerminal,
		Key:        key,
		From:       a.flags.from,
		Script:     !a.InIsTerminal,
	})
	switch {
	case err != nil:
		return &ExitError{Code: code, Err: err}
	case code != 0:
		return &ExitError{Code: code, Err: errSilent}
	}
	return nil
}
