package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// Run runs the TUI until the partner quits, then saves whatever is still pending,
// however the program ended. It returns the exit code: 0 after q, 130 after ctrl+c (or
// SIGINT), 129 when the terminal closed (SIGHUP), 143 after SIGTERM; every answer is
// saved first in each case.
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
	// pstab handles the signals itself, rather than bubbletea: each ends the program the
	// way a quit does (the answer being typed saved, an empty last frame), with its own
	// exit code.
	p = tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(cfg.Out), tea.WithInput(in), tea.WithoutSignalHandler())
	if cfg.SetWaiting != nil {
		cfg.SetWaiting(func(msg string) { p.Send(waitingMsg{text: msg}) })
		// Once Run returns, the store reports to no one here (finish prints meanwhile).
		defer cfg.SetWaiting(nil)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case sig := <-sigs:
				p.Send(signalMsg{sig: sig.(syscall.Signal)})
			case <-stop:
				return
			}
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
	return finish(fm, cfg, code, err)
}

// finish is the end of every way out of the wizard (q, ctrl+c, SIGHUP, SIGTERM): the
// program may have ended before its last autosave ran, so it saves now, on this goroutine,
// with a context of its own (the caller's may be cancelled by the same ctrl+c). What
// cannot be saved is kept in a file (keepUnsaved) and the error says where.
func finish(fm *Model, cfg Config, code int, err error) (int, error) {
	saveCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cfg.SetWaiting != nil {
		cfg.SetWaiting(func(msg string) { fmt.Fprintln(cfg.Out, "pstab: "+questionnaire.Sentence(msg)) })
	}
	if serr := fm.saveAll(saveCtx); serr != nil {
		now := time.Now()
		if cfg.Now != nil {
			now = cfg.Now()
		}
		kept := fm.keepUnsaved(cfg.KeepDir, now, serr)
		if len(kept) == 0 {
			return 1, fmt.Errorf("your last answers could not be saved: %w", serr)
		}
		return 1, errors.New(strings.Join(kept, ". "))
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

// signalMsg carries a signal the process received.
type signalMsg struct{ sig syscall.Signal }

// onSignal ends the program on a signal: SIGINT as ctrl+c does (save, then quit), SIGHUP
// and SIGTERM at once, the answer being typed handed to the session, which Run saves
// after the program has ended. The exit code is 128 and the signal's number.
func (m *Model) onSignal(msg signalMsg) tea.Cmd {
	m.exitCode = 128 + int(msg.sig)
	s := m.session
	if s == nil || s.readOnly() {
		return quitCmd
	}
	if msg.sig == syscall.SIGINT {
		return s.quit()
	}
	s.collect()
	return quitCmd
}
