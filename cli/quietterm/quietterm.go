// Package quietterm keeps the terminal libraries from asking the terminal anything while
// the program starts.
//
// bubbletea's package initialisation asks lipgloss whether the background is dark, and
// termenv answers by writing a background-colour query and a cursor report request to
// standard output and waiting up to five seconds for a reply. A terminal that never
// replies (script(1), some IDE terminals, serial consoles) then holds every command,
// `pstab --version` included, for those five seconds before main runs. termenv does not
// ask when the CI environment variable is set, and reads it at the moment it would ask.
//
// This package sets CI while packages initialise and Restore puts back exactly what was
// there. It imports only the standard library, so it initialises before termenv, which
// waits for text/template, whose import path sorts after this one (Go initialises, among
// the packages whose imports are ready, the one whose path sorts first). Screens that need
// the background ask for it themselves, with a short timeout, once they know they draw on
// a terminal.
package quietterm

import "os"

// marker is the value set while packages initialise: any non-empty value stops the query.
const marker = "pstab-starting"

var (
	previous string
	wasSet   bool
	active   bool
)

func init() {
	previous, wasSet = os.LookupEnv("CI")
	if previous != "" {
		return // termenv already stays quiet, and nothing needs restoring
	}
	if os.Setenv("CI", marker) == nil {
		active = true
	}
}

// Restore gives CI back the value it had when the process started, or unsets it if it was
// not set, so that nothing pstab runs or reports sees the marker. It is safe to call more
// than once.
func Restore() {
	if !active {
		return
	}
	active = false
	if wasSet {
		os.Setenv("CI", previous)
		return
	}
	os.Unsetenv("CI")
}

// Held reports whether the marker is still set (for tests).
func Held() bool { return active }
