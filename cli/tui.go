package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui"
)

// runTUI opens the wizard on the drafts file: what `pstab` with no command does.
func (a *App) runTUI(cmd *cobra.Command, args []string) error {
	if a.accessible() {
		return a.runAccessible(cmd, args)
	}
	if !a.InIsTerminal {
		return usageErr("the wizard needs a terminal; pipe answers with pstab --accessible, or use pstab set (see pstab --help)")
	}
	ctx := cmd.Context()
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	vendor := a.env("PSTAB_VENDOR_ID")
	if vendor == "" {
		vendor, _ = s.Setting(ctx, store.SettingVendorID)
	}
	author, _ := a.author("")
	// Once the wizard owns the terminal nothing may print beside it: a wait on another
	// pstab goes to the debug log and to the wizard's status line.
	log := a.logger()
	s.SetWaiting(func(msg string) { log.Info(msg) })
	setWaiting := func(show func(string)) {
		s.SetWaiting(func(msg string) {
			log.Info(msg)
			if show != nil {
				show(msg)
			}
		})
	}
	return a.startTUI(ctx, ui.Config{Drafts: s, Catalogues: s.Catalogues(), Marketplace: a.tuiMarketplace(vendor),
		Author: author, KeepDir: filepath.Dir(s.Path()), SetWaiting: setWaiting})
}

// tuiMarketplace lets the wizard submit: credentials from the environment or the keyring
// (the wizard prompts for them otherwise), API URLs from the environment, and the vendor
// id that finds an app's v3 product id to publish it.
func (a *App) tuiMarketplace(vendorID string) *ui.Marketplace {
	return &ui.Marketplace{
		LoadCredentials: func() (marketplace.Credentials, error) { return marketplace.LoadCredentials(a.env) },
		NewClient: func(creds marketplace.Credentials) (*marketplace.Client, error) {
			cfg := a.clientConfig(apiFlags{})
			cfg.Credentials = creds
			return marketplace.New(cfg)
		},
		DefaultEmail: a.env(marketplace.EnvEmail),
		VendorID:     vendorID,
	}
}

// accessible reports whether the plain line-by-line prompter was asked for.
func (a *App) accessible() bool {
	v := a.env("ACCESSIBLE")
	return a.flags.accessible || (v != "" && v != "0" && v != "false")
}

// startTUI decides colours and the preview's style before the program starts (asking the
// terminal from inside a running program stalls it), then runs it on standard error so
// that standard output stays clean.
func (a *App) startTUI(ctx context.Context, cfg ui.Config) error {
	out := os.Stderr
	if !term.IsTerminal(int(out.Fd())) {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			out = tty
		}
	}
	renderer := lipgloss.NewRenderer(out)
	noColor := a.env("NO_COLOR") != ""
	if noColor {
		// Without colours the preview's style is the plain one either way: no need to ask.
		renderer.SetColorProfile(termenv.Ascii)
		renderer.SetHasDarkBackground(true)
	} else {
		// The one question pstab asks the terminal, on the stream the wizard draws on,
		// with a short timeout; nothing asked it while pstab started (cli/quietterm).
		// /dev/tty opened for writing cannot read the answer, so then the question goes
		// to standard output when that is the terminal, or is not asked.
		ask := io.Writer(nil)
		switch {
		case out == os.Stderr:
			ask = out
		case a.OutIsTerminal:
			ask = os.Stdout
		}
		renderer.SetHasDarkBackground(darkBackground(ask, a.env))
	}
	lipgloss.SetDefaultRenderer(renderer)
	cfg.Style = a.previewStyleFor(noColor, renderer)
	cfg.Profile = renderer.ColorProfile()
	cfg.Out = out
	code, err := ui.Run(ctx, cfg)
	if err != nil {
		return &ExitError{Code: ExitProblems, Err: err}
	}
	if code != 0 {
		return &ExitError{Code: code, Err: errSilent}
	}
	return nil
}
