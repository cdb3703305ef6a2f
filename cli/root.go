// Package cli is pstab's command tree: the non-interactive commands, thin over the
// questionnaire, the store and the Marketplace client, and the entry to the TUI.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/termsafe"
	"github.com/spf13/cobra"
)

// App is what the commands need from the world outside: streams, environment, version.
// main builds one from the process; tests build one from buffers.
type App struct {
	Version string
	In      io.Reader
	Out     io.Writer
	Err     io.Writer
	Getenv  func(string) string
	// OutIsTerminal reports whether Out is a terminal (for colour and glamour rendering).
	OutIsTerminal bool
	// InIsTerminal reports whether In is a terminal (for prompts).
	InIsTerminal bool

	flags   globalFlags
	rawOut  io.Writer // Out before the terminal filter, to ask the terminal about itself
	log     *slog.Logger
	logFile *os.File
}

type globalFlags struct {
	db           string
	catalogue    string
	ssaCatalogue string
	debug        bool
	accessible   bool
	from         string // --from, with --accessible
}

// Exit codes, as documented in the README.
const (
	ExitOK        = 0
	ExitProblems  = 1   // the command ran and found problems (blocking answers, a failed check)
	ExitUsage     = 2   // bad usage or unreadable input
	ExitCancelled = 130 // the user cancelled (ctrl+c)
)

// ExitError carries the exit code a failure should end the process with. Its message is
// the one sentence the user sees.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// usageErr, problemsErr and friends build exit errors with a formatted message.
func usageErr(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

func problemsErr(format string, args ...any) error {
	return &ExitError{Code: ExitProblems, Err: fmt.Errorf(format, args...)}
}

// errSilentProblems ends a command with exit 1 after it has already printed its findings.
var errSilentProblems = &ExitError{Code: ExitProblems, Err: errors.New("")}

// errSilent carries an exit code whose reason is already on screen.
var errSilent = errors.New("")

// errCancelled ends a command that the user cancelled.
var errCancelled = &ExitError{Code: ExitCancelled, Err: errors.New("cancelled")}

// Run builds the command tree, runs it with args and returns the exit code. Errors are
// printed as one line on stderr.
func (a *App) Run(ctx context.Context, args []string) int {
	// Everything pstab writes passes the terminal filter, whatever it carries: the one
	// sanitiser behind every message, export and error, keys and identifiers included.
	if _, ok := a.Out.(*termsafe.Writer); !ok && a.Out != nil {
		a.rawOut = a.Out
		a.Out = termsafe.NewWriter(a.Out)
	}
	if a.Err != nil {
		a.Err = termsafe.NewWriter(a.Err)
	}
	root := a.NewRoot()
	root.SetArgs(dashValues(root, args))
	err := root.ExecuteContext(ctx)
	if a.log != nil {
		a.log.Debug("command finished", "error", err != nil)
	}
	defer a.closeLog()
	if err == nil {
		return ExitOK
	}
	code := ExitUsage
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.Code
	case errors.Is(err, context.Canceled):
		code = ExitCancelled
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(a.Err, "pstab: "+questionnaire.Sentence(msg))
	}
	return code
}

// NewRoot builds the command tree.
func (a *App) NewRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "pstab",
		Short: "Fill in, keep, review and submit the Marketplace Privacy & Security tab",
		Long: `pstab walks Atlassian Marketplace partners through the Privacy & Security tab of their
cloud app listings, one section at a time. Every answer is saved to a local SQLite file the
moment it is given. Before submitting, pstab shows the tab as customers will see it, then
submits it through the Marketplace REST API or writes an answer sheet for the web form.

Run pstab with no command to open the interactive wizard.`,
		Version:       a.version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runTUI(cmd, args)
		},
	}
	a.accessibleArgs(root) // pstab --accessible [KEY] [--from QUESTION]
	root.SetIn(a.In)
	root.SetOut(a.Out)
	root.SetErr(a.Err)
	root.SetVersionTemplate("pstab {{.Version}}\n")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		// A command that waits on the Marketplace says so on standard error before each
		// retry. The wizard (root, review) draws on standard error, so it says it itself.
		if cmd != root && cmd.Name() != "review" {
			cmd.SetContext(marketplace.WithRetryNotice(cmd.Context(), func(r marketplace.Retry) {
				fmt.Fprintln(a.Err, "pstab: note: "+questionnaire.Sentence(r.String()))
			}))
		}
		return nil
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%v; see pstab --help", err)}
	})

	pf := root.PersistentFlags()
	pf.StringVar(&a.flags.db, "db", "", "drafts database file (default $XDG_DATA_HOME/pstab/pstab.db; env PSTAB_DB)")
	pf.StringVar(&a.flags.catalogue, "catalogue", "", "Privacy & Security catalogue file to use instead of the built-in one (env PSTAB_CATALOGUE)")
	pf.StringVar(&a.flags.ssaCatalogue, "ssa-catalogue", "", "Security Self-Assessment catalogue file to use instead of the built-in one (env PSTAB_SSA_CATALOGUE)")
	pf.BoolVar(&a.flags.debug, "debug", false, "write a debug log to the user cache directory (never contains tokens)")
	pf.BoolVar(&a.flags.accessible, "accessible", false, "use a plain line-by-line prompter instead of the full-screen wizard (env ACCESSIBLE=1)")

	root.AddGroup(
		&cobra.Group{ID: "files", Title: "Files (no database needed):"},
		&cobra.Group{ID: "drafts", Title: "Drafts:"},
		&cobra.Group{ID: "review", Title: "Review (a bundle FILE needs no database):"},
		&cobra.Group{ID: "marketplace", Title: "Marketplace:"},
	)
	for _, c := range a.fileCommands() {
		c.GroupID = "files"
		root.AddCommand(c)
	}
	for _, c := range a.draftCommands() {
		c.GroupID = "drafts"
		root.AddCommand(c)
	}
	for _, c := range a.reviewCommands() {
		c.GroupID = "review"
		root.AddCommand(c)
	}
	for _, c := range a.marketplaceCommands() {
		c.GroupID = "marketplace"
		root.AddCommand(c)
	}
	a.addCompletions(root)
	return root
}

// version returns pstab's version from the build information: the module version for an
// installed release, plus the VCS revision when the build recorded one.
func (a *App) version() string {
	if a.Version != "" {
		return a.Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (" + rev + modified + ")"
	}
	return v + " " + info.GoVersion
}

// env reads an environment variable through the App.
func (a *App) env(key string) string {
	if a.Getenv == nil {
		return os.Getenv(key)
	}
	return a.Getenv(key)
}

// addCompletions completes app keys and question IDs where commands take them.
func (a *App) addCompletions(root *cobra.Command) {
	oneKey := map[string]bool{"check": true, "savepoint": true, "history": true, "diff": true, "revert": true,
		"discard": true, "rm": true, "pull": true, "push": true, "status": true, "preview": true, "export": true}
	for _, c := range root.Commands() {
		switch {
		case c.Name() == "set" || c.Name() == "unset":
			c.ValidArgsFunction = a.completeKeyThenQuestion()
		case c.Name() == "copy":
			c.ValidArgsFunction = a.completeKeys(2)
		case c.Name() == "import":
			keys := a.completeKeys(1)
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, tc string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) == 1 {
					return nil, cobra.ShellCompDirectiveDefault // FILE
				}
				return keys(cmd, args, tc)
			}
		case oneKey[c.Name()]:
			c.ValidArgsFunction = a.completeKeys(1)
		}
	}
}

// dashValues lets a value that starts with a dash and a digit (retention-period -1..30,
// a count of -5) reach the command that reads it, instead of being taken for a cluster of
// one-letter flags ("Unknown shorthand flag: '1'"). No pstab flag is a digit, so such a
// word is always a value: when one stands where an argument does, the flags are moved
// before the command's arguments and a "--" ends them. Anything else, a flag's own value
// included (-m -1), is left as it was.
func dashValues(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		return args
	}
	// takesValue reports whether a flag, by name or by its one letter, reads the next word.
	takesValue := func(name string, short bool) bool {
		if short {
			f := cmd.Flags().ShorthandLookup(name)
			if f == nil {
				f = cmd.InheritedFlags().ShorthandLookup(name)
			}
			return f != nil && f.NoOptDefVal == ""
		}
		f := cmd.Flags().Lookup(name)
		if f == nil {
			f = cmd.InheritedFlags().Lookup(name)
		}
		return f != nil && f.NoOptDefVal == ""
	}
	var flags, positional []string
	found := false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return args // the user already ended the flags
		case len(arg) > 1 && arg[0] == '-' && (arg[1] >= '0' && arg[1] <= '9' || arg[1] == '.'):
			positional = append(positional, arg)
			found = true
		case strings.HasPrefix(arg, "--"):
			flags = append(flags, arg)
			if name := arg[2:]; !strings.Contains(name, "=") && takesValue(name, false) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case len(arg) > 1 && arg[0] == '-':
			flags = append(flags, arg)
			// In a cluster such as -vo FILE, the first letter that takes a value takes the
			// rest of the word, or the next word when the rest is empty.
			for j := 1; j < len(arg); j++ {
				if takesValue(arg[j:j+1], true) {
					if j == len(arg)-1 && i+1 < len(args) {
						i++
						flags = append(flags, args[i])
					}
					break
				}
			}
		default:
			positional = append(positional, arg)
		}
	}
	if !found {
		return args
	}
	// The command's own name and its parents' come first among the words, and must stay
	// before the "--" for cobra to find the command.
	depth := len(strings.Fields(cmd.CommandPath())) - 1
	if depth > len(positional) {
		return args
	}
	out := append(append([]string{}, flags...), positional[:depth]...)
	return append(append(out, "--"), positional[depth:]...)
}
