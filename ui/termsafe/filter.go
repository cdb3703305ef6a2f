// Package termsafe is the last line of defence between untrusted text and the terminal:
// an allow-list filter for everything pstab writes that carries content.
//
// Text from partners, imported files, the database and the Marketplace API is cleaned where
// it enters and escaped before it is embedded in Markdown; this filter holds even if those
// layers are bypassed, because the terminal only ever receives what it lets through.
package termsafe

import (
	"io"
	"strings"
	"unicode/utf8"
)

const esc = 0x1b

// Filter keeps printable text, newlines, tabs and SGR colour sequences (ESC [ digits ; : m)
// and drops everything else: other CSI sequences (cursor moves, clearing, queries), OSC
// (titles, hyperlinks, clipboard writes), DCS, SOS, PM and APC strings, other escape
// sequences, C0 controls (CR, backspace, BEL...), DEL, C1 controls, bidi controls, and
// invalid UTF-8. Filtering twice gives the same result as filtering once.
func Filter(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == esc {
			i = escape(s, i, &b)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++
			continue
		}
		if keep(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports text that needs no filtering, which is most of it, to skip the copy.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}

// keep reports whether a character may reach the terminal.
func keep(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r <= 0x9f: // C1 controls; 0x9b is a one-byte CSI on some terminals
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return false // bidi controls reorder what is shown ("Trojan Source")
	case r == 0x2028 || r == 0x2029:
		return false
	}
	return true
}

// escape handles the escape sequence starting at s[i]: an SGR sequence is copied to b,
// anything else is dropped. It returns the index after the sequence.
func escape(s string, i int, b *strings.Builder) int {
	if i+1 >= len(s) {
		return i + 1 // a lone ESC at the end
	}
	switch s[i+1] {
	case '[':
		return csi(s, i, b)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+2)
	}
	// Any other sequence is ESC, intermediate bytes (0x20-0x2F), then one final byte
	// (0x30-0x7E): ESC c (reset), ESC 7 (save cursor), ESC ( B (character set), ESC # 8
	// (fill the screen). Drop it whole; a byte that cannot continue it ends it and is
	// judged on its own.
	j := i + 1
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
		return j + 1
	}
	return j
}

// csi copies an SGR sequence and drops any other control sequence.
func csi(s string, i int, b *strings.Builder) int {
	j := i + 2
	sgr := true
	for j < len(s) {
		c := s[j]
		switch {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c >= 0x20 && c <= 0x3f: // other parameter or intermediate bytes (?, <, =, >, space...)
			sgr = false
		case c >= 0x40 && c <= 0x7e: // final byte
			if sgr && c == 'm' {
				b.WriteString(s[i : j+1])
			}
			return j + 1
		default:
			// Not a valid CSI byte: the sequence is broken. Drop what was read and let the
			// byte be judged on its own.
			return j
		}
		j++
	}
	return j // unterminated: drop it
}

// skipString skips an OSC, DCS, SOS, PM or APC string, up to and including its terminator
// (BEL, ESC \, or the one-character ST U+009C), or to the end of the text.
func skipString(s string, j int) int {
	for j < len(s) {
		switch s[j] {
		case 0x07:
			return j + 1
		case esc:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j // an ESC that is not ST ends the string and starts something new
		case 0xc2: // U+009C (ST) in UTF-8
			if j+1 < len(s) && s[j+1] == 0x9c {
				return j + 2
			}
		}
		j++
	}
	return j
}

// Strip removes every escape sequence, SGR included, leaving plain text.
func Strip(s string) string {
	f := Filter(s)
	if !strings.ContainsRune(f, esc) {
		return f
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		if f[i] == esc {
			j := i + 2
			for j < len(f) && f[j] != 'm' {
				j++
			}
			i = j + 1
			continue
		}
		b.WriteByte(f[i])
		i++
	}
	return b.String()
}

// Writer passes everything written to it through Filter: put in front of a stream that
// reaches a terminal, it holds for every message, including the ones whose text nobody
// thought could be hostile (a key named in an error, a server's reason). Each Write is
// filtered on its own; an escape sequence split across two writes loses its ESC in the
// first and is plain text in the second, so nothing unsafe can be put together from parts.
type Writer struct {
	w io.Writer
}

// NewWriter returns w behind the filter (w itself when it is already a Writer).
func NewWriter(w io.Writer) *Writer {
	if fw, ok := w.(*Writer); ok {
		return fw
	}
	return &Writer{w: w}
}

// Write filters p and writes what is left. It reports len(p) on success, since the
// caller's bytes were all dealt with, dropped or written.
func (w *Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, Filter(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString is Write for a string, without a copy when the text is plain.
func (w *Writer) WriteString(s string) (int, error) {
	if _, err := io.WriteString(w.w, Filter(s)); err != nil {
		return 0, err
	}
	return len(s), nil
}

// Unwrap returns the stream behind the filter.
func (w *Writer) Unwrap() io.Writer { return w.w }
