package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// logger returns the debug logger: a file under the user's cache directory when --debug
// is given (or PSTAB_DEBUG=1), else a logger that drops everything. Nothing secret is
// ever logged: the Marketplace client logs method, path, status and timing only, and
// credentials log as their email and source.
func (a *App) logger() *slog.Logger {
	if a.log != nil {
		return a.log
	}
	a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if !a.flags.debug && a.env("PSTAB_DEBUG") != "1" {
		return a.log
	}
	path, err := a.debugLogPath()
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o700)
	}
	var f *os.File
	if err == nil {
		f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	if err != nil {
		fmt.Fprintf(a.Err, "pstab: note: cannot write the debug log (%v); going on without it.\n", unwrapPathError(err))
		return a.log
	}
	a.logFile = f
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fmt.Fprintf(a.Err, "pstab: writing a debug log to %s\n", path)
	return a.log
}

// debugLogPath is $PSTAB_DEBUG_LOG, else pstab/debug.log in the user's cache directory.
func (a *App) debugLogPath() (string, error) {
	if p := a.env("PSTAB_DEBUG_LOG"); p != "" {
		return p, nil
	}
	dir := a.env("XDG_CACHE_HOME")
	if dir == "" {
		var err error
		if dir, err = os.UserCacheDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "pstab", "debug.log"), nil
}

// closeLog closes the debug log, if one was opened.
func (a *App) closeLog() {
	if a.logFile != nil {
		a.logFile.Close()
		a.logFile = nil
	}
}
