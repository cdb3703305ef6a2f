package questionnaire

import (
	"strings"
	"testing"
)

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		name      string
		text      string
		multiline bool
		want      string // a part of the problem, or "" when accepted
	}{
		{"plain text", "Issue keys and summaries", false, ""},
		{"non-ASCII letters and symbols", "Zürich, Genève ✓ 東京", false, ""},
		{"emoji with a joiner", "👩\u200d💻 engineers", false, ""},
		{"newline in long text", "line one\nline two", true, ""},
		{"CRLF in long text", "line one\r\nline two\r\n", true, ""},
		{"tab in long text", "a\tb", true, ""},

		{"escape character", "red \x1b[31m text", false, "contains an escape character (U+001B), which can take over a terminal, at character 5; remove it"},
		{"escape character in long text", "a\n\x1b]0;title\x07", true, "an escape character (U+001B)"},
		{"bell", "ding\x07", false, "a control character (U+0007) at character 5"},
		{"C1 control (CSI)", "a\u009b31m", false, "a control character (U+009B)"},
		{"DEL", "a\x7f", false, "a control character (U+007F)"},
		{"bidi override", "invoice\u202efdp.exe", false, "an invisible bidirectional control (U+202E), which can disguise text,"},
		{"bidi isolate", "a\u2066b", true, "an invisible bidirectional control (U+2066)"},
		{"right-to-left mark", "a\u200fb", false, "an invisible bidirectional control (U+200F)"},
		{"newline in one-line text", "one\ntwo", false, "a line break, which this one-line answer cannot hold, at character 4"},
		{"tab in one-line text", "one\ttwo", false, "a tab, which this one-line answer cannot hold,"},
		{"lone CR in long text", "one\rtwo", true, "a control character (U+000D) at character 4"},
		{"lone CR in one-line text", "one\r", false, "a control character (U+000D)"},
		{"CR at the end of long text", "one\r", true, "a control character (U+000D)"},
		{"CRLF in one-line text", "one\r\ntwo", false, "a control character (U+000D)"},
		{"line separator", "a\u2028b", true, "a control character (U+2028)"},
		{"NUL", "a\x00b", true, "a control character (U+0000)"},
		{"invalid UTF-8", "caf\xe9", false, "contains bytes that are not valid UTF-8; save the text as UTF-8 and try again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TextProblem(tc.text, tc.multiline)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("TextProblem(%q) = %q, want it accepted", tc.text, got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("TextProblem(%q) = %q, want it to say %q", tc.text, got, tc.want)
			}
			if got != "" {
				assertSentence(t, "The answer "+got+".")
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		multiline bool
		want      string
	}{
		{"clean text is unchanged", "Zürich ✓", false, "Zürich ✓"},
		{"escape sequences lose the escape", "a\x1b[31mb", false, "a[31mb"},
		{"C1 and DEL go", "a\u009bb\x7fc", false, "abc"},
		{"bidi controls go", "invoice\u202efdp.exe", false, "invoicefdp.exe"},
		{"newlines become spaces in one-line text", "a\nb\tc\r\nd", false, "a b c d"},
		{"CRLF and lone CR become newlines in long text", "a\r\nb\rc", true, "a\nb\nc"},
		{"line separators become newlines in long text", "a\u2028b", true, "a\nb"},
		{"invalid bytes go", "caf\xe9!", false, "caf!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CleanText(tc.in, tc.multiline)
			if got != tc.want {
				t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if p := TextProblem(got, tc.multiline); p != "" {
				t.Errorf("cleaned text %q is still refused: %s", got, p)
			}
		})
	}
}
