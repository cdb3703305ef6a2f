package termsafe_test

import (
	"strings"
	"testing"

	"github.com/pstab/pstab/ui/termsafe"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

func TestFilterRemovesEachSequenceKind(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"osc52 clipboard, BEL", "a\x1b]52;c;ZWNobyBwd25lZA==\x07b", "ab"},
		{"osc52 clipboard, ST", "a\x1b]52;c;ZWNobyBwd25lZA==\x1b\\b", "ab"},
		{"osc8 hyperlink keeps its text", "\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\", "docs"},
		{"osc0 title", "a\x1b]0;pwned\x07b", "ab"},
		{"osc2 title", "a\x1b]2;pwned\x1b\\b", "ab"},
		{"title report", "a\x1b[21tb", "ab"},
		{"cursor up", "a\x1b[1Ab", "ab"},
		{"cursor position", "a\x1b[10;20Hb", "ab"},
		{"clear screen", "a\x1b[2Jb", "ab"},
		{"erase line", "a\x1b[2Kb", "ab"},
		{"private mode", "a\x1b[?1049hb", "ab"},
		{"device status report", "a\x1b[6nb", "ab"},
		{"bracketed paste end", "a\x1b[201~b", "ab"},
		{"full reset", "a\x1bcb", "ab"},
		{"save cursor", "a\x1b7b", "ab"},
		{"charset designation", "a\x1b(Bb", "ab"},
		{"fill screen", "a\x1b#8b", "ab"},
		{"ESC space F", "a\x1b Fb", "ab"},
		{"osc ended by C1 ST", "a\x1b]0;t\u009cb", "ab"},
		{"dcs", "a\x1bPq#0;2\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100\x1b\\b", "ab"},
		{"pm", "a\x1b^note\x1b\\b", "ab"},
		{"sos", "a\x1bXstring\x1b\\b", "ab"},
		{"CR", "approved\rREJECTED", "approvedREJECTED"},
		{"backspace", "ab\b\bc", "abc"},
		{"BEL", "a\x07b", "ab"},
		{"NUL VT FF CAN SUB", "a\x00\x0b\x0c\x18\x1ab", "ab"},
		{"DEL", "a\x7fb", "ab"},
		{"C1 CSI rune", "a\u009b2Jb", "a2Jb"},
		{"C1 OSC rune", "a\u009d0;t\u009cb", "a0;tb"},
		{"raw C1 byte", "a\x9b2Jb", "a2Jb"},
		{"invalid UTF-8", "a\xff\xfe\xc3(b", "a(b"},
		{"bidi override", "a\u202eb\u202c", "ab"},
		{"bidi isolate", "\u2066a\u2069b", "ab"},
		{"bidi marks", "a\u200e\u200f\u061cb", "ab"},
		{"line separator", "a\u2028b\u2029c", "abc"},
	} {
		if got := termsafe.Filter(tc.in); got != tc.want {
			t.Errorf("%s: Filter(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestFilterKeepsSGRAndText(t *testing.T) {
	for _, s := range []string{
		"",
		"plain text",
		"lines\nand\ttabs\n",
		"Ünïcödé 日本語 🙂 zero\u200bwidth",
		"\x1b[0m",
		"\x1b[m",
		"\x1b[38;5;252mgrey\x1b[0m \x1b[1;4mbold underline\x1b[0m",
		"\x1b[38:2::255:0:0mcolon form\x1b[0m",
	} {
		if got := termsafe.Filter(s); got != s {
			t.Errorf("Filter(%q) = %q, want it unchanged", s, got)
		}
	}
	// Text around a dropped sequence stays, in order.
	in := "before\x1b[31mred\x1b[0m\x1b]0;t\x07 middle\x1b[2J after"
	want := "before\x1b[31mred\x1b[0m middle after"
	if got := termsafe.Filter(in); got != want {
		t.Errorf("Filter(%q) = %q, want %q", in, got, want)
	}
}

func TestFilterLoneAndUnterminatedEscapes(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"lone ESC at the end", "text\x1b", "text"},
		{"lone ESC before a newline", "a\x1b\nb", "a\nb"},
		{"ESC ESC then CSI", "\x1b\x1b[2Jb", "b"},
		{"ESC ESC then SGR", "\x1b\x1b[1mb", "\x1b[1mb"},
		{"unterminated CSI", "a\x1b[31", "a"},
		{"unterminated OSC swallows the rest", "a\x1b]0;never ends", "a"},
		{"unterminated DCS", "a\x1bP1$r", "a"},
		{"OSC ended by another escape", "a\x1b]0;t\x1b[1mb", "a\x1b[1mb"},
		{"CSI broken by a control", "a\x1b[3\x07 1mb", "a 1mb"},
		{"CSI broken by a multibyte character", "a\x1b[3é", "aé"},
		{"CSI with an intermediate byte", "a\x1b[1 qb", "ab"},
		{"ESC before a multibyte character", "a\x1bé", "aé"},
		{"ESC before a C1 rune", "a\x1b\u009b2J", "a2J"},
	} {
		if got := termsafe.Filter(tc.in); got != tc.want {
			t.Errorf("%s: Filter(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestFilterCorpus(t *testing.T) {
	for _, p := range termsafetest.Corpus() {
		got := termsafe.Filter(p.Text)
		if bad := termsafetest.Unsafe(got); bad != nil {
			t.Errorf("%s: Filter left %q", p.Name, bad)
		}
		if again := termsafe.Filter(got); again != got {
			t.Errorf("%s: filtering twice changed the text", p.Name)
		}
		if strings.Contains(p.Text, "after") && !strings.Contains(got, "after") {
			t.Errorf("%s: the text after the sequence was lost: %q", p.Name, got)
		}
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[1mbold\x1b[0m and \x1b[38;5;1mred\x1b[m", "bold and red"},
		{"a\x1b]0;t\x07b\x1b[2Jc", "abc"},
		{"plain", "plain"},
	} {
		if got := termsafe.Strip(tc.in); got != tc.want {
			t.Errorf("Strip(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzFilter checks the filter's promises on any input (run it with go test ./ui/termsafe
// -run '^$' -fuzz '^FuzzFilter$' -fuzztime 60s -fuzzminimizetime 200x): nothing unsafe comes out,
// filtering twice changes nothing, and text that is already safe passes unchanged (so
// the filter drops exactly what termsafetest.Unsafe reports, and nothing else).
func FuzzFilter(f *testing.F) {
	for _, p := range termsafetest.Corpus() {
		if len(p.Text) <= 4096 { // the fuzzer would spend its time minimising the long line
			f.Add(p.Text)
		}
	}
	for _, s := range []string{"", "plain", "\x1b[1mx\x1b[0m", "\x1b", "\x1b[", "\x1b]", "\x1b\x1b", "\x1b[1;2:3m", "\xe2\x80\xae"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			t.Skip("long inputs add nothing but minimising time")
		}
		out := termsafe.Filter(s)
		if bad := termsafetest.Unsafe(out); bad != nil {
			t.Fatalf("Filter(%q) = %q, which holds %q", s, out, bad)
		}
		if again := termsafe.Filter(out); again != out {
			t.Fatalf("Filter is not idempotent on %q: once %q, twice %q", s, out, again)
		}
		safe := termsafetest.Unsafe(s) == nil
		if safe && out != s {
			t.Fatalf("Filter changed safe text %q into %q", s, out)
		}
		if !safe && out == s {
			t.Fatalf("Filter left unsafe text %q unchanged (%q)", s, termsafetest.Unsafe(s))
		}
		if printableASCII(s) && out != s {
			t.Fatalf("Filter changed printable ASCII %q into %q", s, out)
		}
		if stripped := termsafe.Strip(s); strings.ContainsRune(stripped, 0x1b) || termsafetest.Unsafe(stripped) != nil {
			t.Fatalf("Strip(%q) = %q still holds an escape", s, stripped)
		}
	})
}

// printableASCII reports text of printable ASCII, newlines and tabs, without ESC.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 || c > 0x7e) && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}
