// Command pstab fills in, keeps, reviews and submits the Privacy & Security tab of
// Atlassian Marketplace cloud app listings.
package main

import (
	"context"
	"os"
	"os/signal"

	"golang.org/x/term"

	"github.com/pstab/pstab/cli"
	"github.com/pstab/pstab/cli/quietterm"
)

func main() {
	restoreEnvironment()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	app := &cli.App{
		In:            os.Stdin,
		Out:           os.Stdout,
		Err:           os.Stderr,
		Getenv:        os.Getenv,
		OutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		InIsTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
	}
	code := app.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// restoreEnvironment comes first, before anything reads the environment: quietterm set CI
// while the packages initialised, so that no terminal query held up the start.
func restoreEnvironment() { quietterm.Restore() }
