package termsafetest

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxReports caps how many findings one check returns, so that a megabyte of controls
// gives a readable failure rather than a megabyte of messages.
const maxReports = 20

// reports collects findings up to maxReports, then counts the rest.
type reports struct {
	list []string
	more int
}

func (r *reports) addf(format string, args ...any) {
	if len(r.list) < maxReports {
		r.list = append(r.list, fmt.Sprintf(format, args...))
		return
	}
	r.more++
}

func (r *reports) result() []string {
	if r.more > 0 {
		r.list = append(r.list, fmt.Sprintf("... and %d more", r.more))
	}
	return r.list
}

// Unsafe reports every unsafe thing in text bound for a terminal, each as a sentence with
// its byte offset, or nil when there is none. Unsafe is: a C0 control other than newline
// and tab, DEL, a C1 control (as a UTF-8 character or as a raw byte), an ESC that does not
// start a well-formed SGR sequence (ESC [ digits ; : m), a bidi control (U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F, U+061C), a line or paragraph separator (U+2028, U+2029),
// and any other byte that is not valid UTF-8.
func Unsafe(s string) []string {
	var r reports
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			if n := sgrLength(s[i:]); n > 0 {
				i += n
				continue
			}
			r.addf("byte %d: ESC that does not start an SGR colour sequence: %s", i, snippet(s[i:]))
			i++
			continue
		}
		ch, size := utf8.DecodeRuneInString(s[i:])
		if ch == utf8.RuneError && size <= 1 {
			if c >= 0x80 && c <= 0x9f {
				r.addf("byte %d: raw C1 control byte 0x%02X (not valid UTF-8)", i, c)
			} else {
				r.addf("byte %d: byte 0x%02X is not valid UTF-8", i, c)
			}
			i++
			continue
		}
		if what := unsafeRune(ch); what != "" {
			r.addf("byte %d: %s", i, what)
		}
		i += size
	}
	return r.result()
}

// sgrLength returns the length of the SGR sequence at the start of s, or 0.
func sgrLength(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for j := 2; j < len(s); j++ {
		switch c := s[j]; {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return j + 1
		default:
			return 0
		}
	}
	return 0
}

// unsafeRune names a character a terminal may act on, or returns "".
func unsafeRune(r rune) string {
	switch {
	case r == '\n' || r == '\t':
		return ""
	case r < 0x20:
		return fmt.Sprintf("C0 control %s", controlName(r))
	case r == 0x7f:
		return "DEL (U+007F)"
	case r >= 0x80 && r <= 0x9f:
		return fmt.Sprintf("C1 control U+%04X", r)
	case isBidi(r):
		return fmt.Sprintf("bidi control U+%04X", r)
	case r == 0x2028 || r == 0x2029:
		return fmt.Sprintf("line or paragraph separator U+%04X", r)
	}
	return ""
}

func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

var c0Names = map[rune]string{
	0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0b: "VT", 0x0c: "FF", 0x0d: "CR",
	0x18: "CAN", 0x1a: "SUB",
}

func controlName(r rune) string {
	if n, ok := c0Names[r]; ok {
		return fmt.Sprintf("%s (U+%04X)", n, r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// snippet quotes the start of s for a message.
func snippet(s string) string {
	const n = 24
	if len(s) > n {
		s = s[:n]
	}
	return strconv.Quote(s)
}

// UnsafeInExport reports every unsafe thing in an exported file: what Unsafe reports,
// and, for a file a Markdown renderer or a browser may read, any link or autolink whose
// target is not https (inline links, images, reference definitions, <scheme:...>
// autolinks, email autolinks, and the bare http://, ftp://, www. and user@host text that
// GitHub-flavoured Markdown turns into links), any raw HTML tag or comment, and any
// character reference that decodes to a control (&#27;, &#x9b; and the like, with or
// without the semicolon browsers do not insist on). Images are reported whatever their
// target, since they load without a click. Backslash escapes are honoured: \[ and \< are
// plain text. The scan is deliberately stricter than any one renderer.
func UnsafeInExport(s string) []string {
	r := reports{list: Unsafe(s)}
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		atLineStart := lineStart
		lineStart = c == '\n' || (lineStart && c == ' ')
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			i++ // an escaped character is plain text
		case c == '&':
			if what := badEntity(s[i:]); what != "" {
				r.addf("byte %d: %s", i, what)
			}
		case c == '<':
			if m := autolinkPattern.FindStringSubmatch(s[i:]); m != nil {
				if !strings.EqualFold(m[1], "https") {
					r.addf("byte %d: autolink to a %s: target: %s", i, m[1], snippet(m[0]))
				}
				for j := 1; j < len(m[0]); j++ { // entities inside still count
					if s[i+j] == '&' {
						if what := badEntity(s[i+j:]); what != "" {
							r.addf("byte %d: %s", i+j, what)
						}
					}
				}
				i += len(m[0]) - 1
				continue
			}
			if m := emailAutolinkPattern.FindString(s[i:]); m != "" {
				r.addf("byte %d: email autolink (a mailto: link): %s", i, snippet(m))
				i += len(m) - 1
				continue
			}
			if i+1 < len(s) && (isASCIILetter(s[i+1]) || strings.IndexByte("/!?", s[i+1]) >= 0) {
				r.addf("byte %d: raw HTML: %s", i, snippet(s[i:]))
			}
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			r.addf("byte %d: image: %s", i, snippet(s[i:]))
		case c == ']' && i+1 < len(s) && s[i+1] == '(':
			if target := linkTarget(s[i+2:]); !isHTTPS(target) {
				r.addf("byte %d: link to %s, which is not https", i, snippet(target))
			}
		case c == '[' && atLineStart:
			if m := refDefinitionPattern.FindStringSubmatch(s[i:]); m != nil && !isHTTPS(m[1]) {
				r.addf("byte %d: link reference definition to %s, which is not https", i, snippet(m[1]))
			}
		case c == '@':
			if bareEmailBefore(s[:i]) && bareEmailDomainPattern.MatchString(s[i+1:]) {
				r.addf("byte %d: bare email address, which becomes a mailto: link: %s", i, snippet(s[max(0, i-10):]))
			}
		}
		if i > 0 && !bareLinkBoundary(s[i-1]) {
			continue
		}
		for _, prefix := range []string{"http://", "ftp://", "www."} {
			if len(s)-i >= len(prefix) && strings.EqualFold(s[i:i+len(prefix)], prefix) {
				r.addf("byte %d: bare link that is not https: %s", i, snippet(s[i:]))
			}
		}
	}
	return r.result()
}

var (
	// CommonMark's autolink: a scheme of 2 to 32 characters, then no space, < or >.
	autolinkPattern      = regexp.MustCompile(`^<([A-Za-z][A-Za-z0-9.+-]{1,31}):[^<>\x00-\x20]*>`)
	emailAutolinkPattern = regexp.MustCompile(`^<[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>`)
	refDefinitionPattern = regexp.MustCompile(`^\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?([^\s>]*)`)
	// What GFM needs after the @ of a bare email address to make it a link.
	bareEmailDomainPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.[A-Za-z0-9_-]`)
	numericRefPattern      = regexp.MustCompile(`^&#(?:([0-9]{1,8})|[xX]([0-9A-Fa-f]{1,8}));?`)
	namedRefPattern        = regexp.MustCompile(`^&[A-Za-z][A-Za-z0-9]{1,31};`)
)

// badEntity names a character reference at the start of s that decodes to a character
// a terminal may act on, or returns "". Numeric references are decoded as CommonMark does
// (no HTML5 remapping of 0x80-0x9F, which would hide C1 controls from some renderers).
func badEntity(s string) string {
	if m := numericRefPattern.FindStringSubmatch(s); m != nil {
		var n uint64
		var err error
		if m[1] != "" {
			n, err = strconv.ParseUint(m[1], 10, 32)
		} else {
			n, err = strconv.ParseUint(m[2], 16, 32)
		}
		if err != nil || n > utf8.MaxRune {
			return ""
		}
		if what := unsafeRune(rune(n)); what != "" {
			return fmt.Sprintf("character reference %s decodes to %s", strconv.Quote(m[0]), what)
		}
		return ""
	}
	if m := namedRefPattern.FindString(s); m != "" {
		for _, r := range html.UnescapeString(m) {
			if what := unsafeRune(r); what != "" {
				return fmt.Sprintf("character reference %s decodes to %s", strconv.Quote(m), what)
			}
		}
	}
	return ""
}

// linkTarget returns the destination of an inline link, given the text after "](".
func linkTarget(s string) string {
	s = strings.TrimLeft(s, " \t\n")
	if strings.HasPrefix(s, "<") {
		if end := strings.IndexByte(s, '>'); end > 0 {
			return s[1:end]
		}
		return s
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		case ' ', '\t', '\n':
			return s[:i]
		}
	}
	return s
}

// isHTTPS reports a link target that is an absolute https URL written plainly (no entity
// or escape that a renderer would turn into something else).
func isHTTPS(target string) bool {
	return len(target) > len("https://") && strings.EqualFold(target[:len("https://")], "https://") &&
		!strings.ContainsAny(target, `&\`)
}

// bareLinkBoundary reports a character after which GFM looks for a bare link.
func bareLinkBoundary(c byte) bool { return strings.IndexByte(" \t\n*_~(", c) >= 0 }

// bareEmailBefore reports whether s ends with the local part of an email address.
func bareEmailBefore(s string) bool {
	if s == "" {
		return false
	}
	c := s[len(s)-1]
	return isASCIILetter(c) || c >= '0' && c <= '9' || strings.IndexByte(".+-_", c) >= 0
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
