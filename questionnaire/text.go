package questionnaire

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text typed or imported by anyone is untrusted. These rules decide which characters an
// answer may hold, wherever it comes from: the keyboard, a paste, an imported file, a row
// read back from the database, or a Marketplace API response.

// isBidiControl reports the bidirectional formatting characters that reorder how text is
// shown without changing it ("Trojan Source"): embeddings, overrides, isolates and marks.
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// isInvisible reports characters that take no space on screen. They are refused in links,
// email addresses and host names, where they hide what a reader is really sent to.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r >= 0x206A && r <= 0x206F:
		return true
	case r == 0xFEFF, r == 0x00AD, r == 0x034F, r == 0x180E, r == 0x115F, r == 0x1160,
		r == 0x3164, r == 0xFFA0, r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return isBidiControl(r)
}

// unsafeRune reports a character no answer may hold: a C0 control other than newline and
// tab (neither in single-line text), DEL, a C1 control, a line or paragraph separator, or a
// bidi control.
func unsafeRune(r rune, multiline bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !multiline
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return isBidiControl(r)
}

// TextProblem says what is wrong with a piece of text, or returns "". Multi-line text may
// hold newlines (also written as CR LF) and tabs.
func TextProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "contains bytes that are not valid UTF-8; save the text as UTF-8 and try again"
	}
	for i, r := range s {
		if r == '\r' && multiline && strings.HasPrefix(s[i:], "\r\n") {
			continue
		}
		if unsafeRune(r, multiline) {
			return fmt.Sprintf("contains %s at character %d; remove it", describeRune(r, multiline), utf8.RuneCountInString(s[:i])+1)
		}
	}
	return ""
}

func describeRune(r rune, multiline bool) string {
	switch {
	case (r == '\n' || r == '\t') && !multiline:
		if r == '\n' {
			return "a line break, which this one-line answer cannot hold,"
		}
		return "a tab, which this one-line answer cannot hold,"
	case r == 0x1B:
		return "an escape character (U+001B), which can take over a terminal,"
	case isBidiControl(r):
		return fmt.Sprintf("an invisible bidirectional control (U+%04X), which can disguise text,", r)
	}
	return fmt.Sprintf("a control character (U+%04X)", r)
}

// CleanText removes what TextProblem would refuse, for text that arrives by keyboard or
// paste, or is read back from the database: invalid bytes, controls and bidi controls go;
// CR LF and lone CR become newlines in multi-line text; in one-line text newlines and tabs
// become spaces.
func CleanText(s string, multiline bool) string {
	if TextProblem(s, multiline) == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r':
			r = '\n'
			if !multiline {
				r = ' '
			}
		case (r == '\n' || r == '\t' || r == 0x2028 || r == 0x2029) && !multiline:
			r = ' '
		case r == 0x2028 || r == 0x2029:
			r = '\n'
		case unsafeRune(r, multiline):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CleanValue applies CleanText to every string of an answer to q, and gives an entry's
// link that is a bare domain its https:// (see Question.LinkDomains), as every front-end
// saves it.
func CleanValue(q *Question, v Value) Value {
	v = v.Clone()
	multi := q.Kind == KindLongText
	if cleaned := CleanText(v.Text, multi); cleaned != v.Text {
		// The document's words held characters no answer may hold: what is left is the
		// cleaned text, not the document.
		v.Text, v.Rich = cleaned, nil
	}
	for i := range v.List {
		v.List[i] = CleanText(v.List[i], false)
	}
	for _, e := range v.Entities {
		for k, f := range e.Fields {
			f.Text = CleanText(f.Text, false)
			for i := range f.List {
				f.List[i] = CleanText(f.List[i], false)
			}
			e.Fields[k] = f
		}
	}
	v, _ = q.LinkDomains(v)
	return v
}

// hasInvisible reports the first invisible character in s, if any.
func hasInvisible(s string) (rune, bool) {
	for _, r := range s {
		if isInvisible(r) || unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}
