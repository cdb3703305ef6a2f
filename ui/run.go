package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Run runs the TUI until the partner quits, then saves whatever is still pending,
// however the program ended. It returns the exit code: 0, or 130 after ctrl+c.
func Run(ctx context.Context, cfg Config) (int, error) {
	if cfg.Out == nil {
		cfg.Out = os.Stderr
	}
	if cfg.In == nil {
		cfg.In = os.Stdin
	}
	m := New(ctx, cfg)
	var p *tea.Program
	in := guardInput(cfg.In, func() { p.Send(pasteCutMsg{}) })
	p = tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(cfg.Out), tea.WithInput(in))

	// A closed terminal (SIGHUP) ends the program like a quit, so the last answers are saved.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		if _, ok := <-hup; ok {
			p.Quit()
		}
	}()

	final, err := p.Run()
	fm, _ := final.(*Model)
	if fm == nil {
		fm = m
	}
	code := fm.exitCode
	if errors.Is(err, tea.ErrInterrupted) {
		code, err = 130, nil
	}
	// The program may have ended before its last autosave ran: save now, on this goroutine,
	// with a context of our own (the caller's may be cancelled by the same ctrl+c).
	saveCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := fm.saveAll(saveCtx); serr != nil {
		return 1, fmt.Errorf("your last answers could not be saved: %w", serr)
	}
	if err != nil {
		return 1, err
	}
	return code, nil
}

// saveAll saves what every session still holds: the open one, and any replaced by
// another draft before its saves had finished.
func (m *Model) saveAll(ctx context.Context) error {
	var errs []error
	for _, s := range append(m.closed, m.session) {
		if err := s.saveNow(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
