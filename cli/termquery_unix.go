//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// queryTerminal writes query, then a cursor position request that every terminal answers,
// and reads until that answer arrives or timeout passes. The cursor answer tells a terminal
// that ignores query apart from one that is slow, so a terminal without OSC 11 costs one
// round trip, not the timeout. ok is false when the terminal could not be asked: f is not a
// terminal, pstab runs in the background (asking would stop it), or nothing came back.
func queryTerminal(f *os.File, query string, timeout time.Duration) (string, bool) {
	fd := int(f.Fd())
	if !term.IsTerminal(fd) {
		return "", false
	}
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pgrp != unix.Getpgrp() {
		return "", false
	}
	state, err := term.MakeRaw(fd)
	if err != nil {
		return "", false
	}
	defer term.Restore(fd, state)
	if _, err := f.WriteString(query + "\x1b[6n"); err != nil {
		return "", false
	}
	deadline := time.Now().Add(timeout)
	var got strings.Builder
	buf := make([]byte, 256)
	for got.Len() < 4096 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		var fds unix.FdSet
		fds.Set(fd)
		tv := unix.NsecToTimeval(left.Nanoseconds())
		n, err := unix.Select(fd+1, &fds, nil, nil, &tv)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		n, err = f.Read(buf)
		if n > 0 {
			got.Write(buf[:n])
			if cursorReportEnds(got.String()) {
				return got.String(), true
			}
		}
		if err != nil {
			break
		}
	}
	return got.String(), got.Len() > 0
}

// cursorReportEnds reports whether s ends with a cursor position report (ESC [ row ; col R).
func cursorReportEnds(s string) bool {
	if !strings.HasSuffix(s, "R") {
		return false
	}
	i := strings.LastIndex(s, "\x1b[")
	if i < 0 {
		return false
	}
	for _, c := range s[i+2 : len(s)-1] {
		if (c < '0' || c > '9') && c != ';' {
			return false
		}
	}
	return true
}
