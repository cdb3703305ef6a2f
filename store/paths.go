package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// DefaultPath returns where pstab keeps its drafts when no --db or PSTAB_DB says otherwise:
// $XDG_DATA_HOME/pstab/pstab.db, else the platform's user data folder (~/.local/share on
// Linux and the BSDs, ~/Library/Application Support on macOS, %LocalAppData% on Windows).
// It creates the pstab folder, readable by the user alone, if it is missing.
func DefaultPath() (string, error) {
	base, err := dataHome()
	if err != nil {
		return "", fmt.Errorf("find the user data folder: %w", err)
	}
	dir := filepath.Join(base, "pstab")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return filepath.Join(dir, "pstab.db"), nil
}

// dataHome is the user's data folder. The XDG variable is honoured on every platform, as
// long as it is an absolute path (the XDG spec says to ignore a relative one).
func dataHome() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		// Local, not roaming: a SQLite file and its WAL must not be synced between machines.
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "plan9":
		home, err := os.UserHomeDir()
		return filepath.Join(home, "lib"), err
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
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

// writable reports whether the process may write to the file or folder at path. A path
// whose mode has no write bit at all counts as read-only even for root, who could write it
// anyway: the user made it read-only on purpose.
func writable(path string, info fs.FileInfo) bool {
	if info.Mode().Perm()&0o222 == 0 {
		return false
	}
	return canWrite(path)
}

// tightenMode makes path readable by its owner alone if it is more open than 0600, and
// reports what it did, for a warning. It works on the path only: opening and closing a
// descriptor of a live SQLite file would drop SQLite's locks on it.
func tightenMode(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return "", nil
		}
		return "", err
	}
	mode := info.Mode().Perm()
	if mode&0o077 == 0 {
		return "", nil
	}
	if err := os.Chmod(path, mode&0o700); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s was readable by others (mode %04o); pstab set it to %04o, since it holds partner data", path, mode, mode&0o700), nil
}
