package cli

import (
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// backgroundQueryTimeout bounds how long pstab waits for a terminal to say what colour its
// background is. A terminal that answers does so in milliseconds, even over ssh; one that
// never answers (script(1), some IDE terminals, serial consoles) would otherwise hold the
// screen for termenv's five seconds, which pstab cannot shorten (it is a constant there).
const backgroundQueryTimeout = 400 * time.Millisecond

// darkBackground asks the terminal behind w whether its background is dark, once, when a
// screen is about to be drawn on it with colours. Nothing asks earlier: the query is
// suppressed while pstab starts (see cli/quietterm), so that commands that draw nothing in
// colour, --version and --help among them, never wait on the terminal. When w is not a
// terminal, the terminal cannot be asked (screen, tmux, a background job), or it does not
// answer in time, the answer is dark, as termenv's is.
func darkBackground(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	// screen and tmux may be attached to several terminals at once and do not pass the
	// question on; a dumb terminal cannot answer. termenv skips them for the same reasons.
	term := getenv("TERM")
	for _, p := range []string{"screen", "tmux", "dumb"} {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	reply, ok := queryTerminal(f, "\x1b]11;?\x1b\\", backgroundQueryTimeout)
	if !ok {
		return true
	}
	dark, ok := parseBackground(reply)
	return dark || !ok
}

// parseBackground reads the answer to OSC 11 ("ESC ] 11 ; rgb:RRRR/GGGG/BBBB" ended by BEL
// or ST, each component one to four hex digits) and reports whether that colour is dark:
// its HSL lightness below one half, the rule termenv uses.
func parseBackground(reply string) (dark, ok bool) {
	_, after, found := strings.Cut(reply, "\x1b]11;rgb:")
	if !found {
		return false, false
	}
	end := strings.IndexAny(after, "\x07\x1b")
	if end < 0 {
		return false, false
	}
	parts := strings.Split(after[:end], "/")
	if len(parts) != 3 {
		return false, false
	}
	var lo, hi float64 = 1, 0
	for _, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		n, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		v := float64(n) / float64(uint64(1)<<(4*len(p))-1)
		lo, hi = min(lo, v), max(hi, v)
	}
	return (lo+hi)/2 < 0.5, true
}
