package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// DefaultPath returns where pstab keeps its drafts when no --db or PSTAB_DB says otherwise:
// $XDG_DATA_HOME/pstab/pstab.db, else the platform's user data folder (~/.local/share on
// Linux and the BSDs, ~/Library/Application Support on macOS, %LocalAppData% on Windows).
// It creates nothing: Open makes the folder (readable by the user alone) when it is opened
// for writing, so that reading commands leave no trace.
func DefaultPath() (string, error) {
	return DefaultPathFor(os.Getenv)
}

// DefaultPathFor is DefaultPath with the environment read through getenv, for callers
// that keep their own (the CLI's tests run with a made-up one).
func DefaultPathFor(getenv func(string) string) (string, error) {
	base, err := dataHome(getenv)
	if err != nil {
		return "", fmt.Errorf("find the user data folder: %w", err)
	}
	return filepath.Join(base, "pstab", "pstab.db"), nil
}

// dataHome is the user's data folder. The XDG variable is honoured on every platform, as
// long as it is an absolute path (the XDG spec says to ignore a relative one).
func dataHome(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		// Local, not roaming: a SQLite file and its WAL must not be synced between machines.
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "plan9":
		home := getenv("home")
		if home == "" {
			return "", errors.New("$home is not defined")
		}
		return filepath.Join(home, "lib"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("$HOME is not defined")
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	return filepath.Join(home, ".local", "share"), nil
}

// fileURI turns a path into an SQLite URI filename (https://www.sqlite.org/uri.html): the
// characters that end or escape the path part are percent-encoded.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if vol := filepath.VolumeName(path); vol != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/dir/x.db
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%', '?', '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
