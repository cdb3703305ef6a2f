package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"

	"github.com/pstab/pstab/store"
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
	var f *os.File
	if err == nil {
		f, err = a.openDebugLog(path)
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

// openDebugLog opens the log for appending, private to the user. The log says what pstab
// did with whose apps, so its folder is made 0700 and the file 0600, and an existing
// folder or file more open than that (made by an older pstab, or by a umask) is narrowed,
// saying so. It never follows a link at the file's name, and writes only to a regular
// file.
func (a *App) openDebugLog(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if a.env("PSTAB_DEBUG_LOG") == "" {
		// The cache folder is pstab's own; a folder given with PSTAB_DEBUG_LOG is the user's.
		if from, to, err := narrowMode(dir, 0o700, true); err == nil && from != to {
			fmt.Fprintf(a.Err, "pstab: note: %s was open to others (mode %04o); pstab set it to %04o.\n", dir, from, to)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|oNoFollow|syscall.O_NONBLOCK, 0o600)
	if isLoop(err) {
		return nil, errors.New(path + " is a symbolic link")
	}
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errors.New(path + " is not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	if from, to, err := store.NarrowMode(f, 0o600, false); err == nil && from != to {
		fmt.Fprintf(a.Err, "pstab: note: %s was readable by others (mode %04o); pstab set it to %04o.\n", path, from, to)
	}
	return f, nil
}

// narrowMode keeps only the bits of keep in the mode of path (a folder when dir is set),
// through a descriptor opened without following a link; see store.NarrowMode.
func narrowMode(path string, keep fs.FileMode, dir bool) (from, to fs.FileMode, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	return store.NarrowMode(f, keep, dir)
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
