package termsafetest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The checkers are the oracle of every hostile-text test, so they are tested on their own:
// each must pass what is safe and catch each kind of unsafe thing.

func TestUnsafeAcceptsSafeText(t *testing.T) {
	for _, s := range []string{
		"",
		"plain ASCII text, with punctuation: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
		"lines\nand\ttabs\n",
		"Ünïcödé, 日本語, emoji 🙂, U+FFFD \ufffd",
		"zero\u200bwidth is not a control",
		"\x1b[0m\x1b[38;5;252mcoloured\x1b[0m \x1b[1;4m\x1b[m",
		"\x1b[38:2::255:0:0mcolon form\x1b[0m",
	} {
		if got := Unsafe(s); got != nil {
			t.Errorf("Unsafe(%q) = %q, want nil", s, got)
		}
	}
}

func TestUnsafeCatchesEachKind(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"a\x07b", "BEL"},
		{"a\rb", "CR"},
		{"a\bb", "BS"},
		{"a\x00b", "NUL"},
		{"a\x7fb", "DEL"},
		{"a\u009bb", "C1 control U+009B"},
		{"a\x9bb", "raw C1 control byte 0x9B"},
		{"a\xffb", "not valid UTF-8"},
		{"a\u202eb", "bidi control U+202E"},
		{"a\u2066b", "bidi control U+2066"},
		{"a\u200fb", "bidi control U+200F"},
		{"a\u061cb", "bidi control U+061C"},
		{"a\u2028b", "separator U+2028"},
		{"\x1b]52;c;eA==\x07", "ESC that does not start an SGR"},
		{"\x1b[2J", "ESC that does not start an SGR"},
		{"\x1b[?25l", "ESC that does not start an SGR"},
		{"\x1b[31", "ESC that does not start an SGR"},
		{"\x1b", "ESC that does not start an SGR"},
		{"\x1bc", "ESC that does not start an SGR"},
		{"\x1bP1$r\x1b\\", "ESC that does not start an SGR"},
	} {
		got := Unsafe(tc.in)
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("Unsafe(%q) = %q, want a finding mentioning %q", tc.in, got, tc.want)
		}
	}
}

func TestUnsafeReportsOffsetAndCapsFindings(t *testing.T) {
	got := Unsafe("ok\x07")
	if len(got) != 1 || !strings.HasPrefix(got[0], "byte 2:") {
		t.Errorf("Unsafe(\"ok\\a\") = %q, want one finding at byte 2", got)
	}
	many := Unsafe(strings.Repeat("\x07", 1000))
	if len(many) != maxReports+1 || !strings.Contains(many[maxReports], "980 more") {
		t.Errorf("Unsafe(1000 BEL) gave %d findings ending %q, want %d and a count of the rest", len(many), many[len(many)-1], maxReports+1)
	}
}

func TestUnsafeInExportAcceptsSafeMarkdown(t *testing.T) {
	for _, s := range []string{
		"# Privacy &amp; Security\n\n**Prompt**\n\nplain answer\n",
		"<https://example.com/security>\n",
		"<https://www.cloudflare.com>\n",
		"| Name | Link |\n| --- | --- |\n| Cloudflare | <https://www.cloudflare.com> |\n",
		// What EscapeMarkdown writes for hostile text: every part is plain text.
		`\[click\](javascript:alert(1))`,
		`\<script\>alert(1)\</script\>`,
		`&amp;#27;\[31m`,
		`http&#58;//evil.example www&#46;evil.example attacker&#64;evil.example`,
		`\!\[x\](http&#58;//evil/x.png)`,
		"&#126;&#126;struck&#126;&#126; &#61;== &#46; &#64;",
		"https://example.com/plain-https-text",
		"a < b and c > d",
	} {
		if got := UnsafeInExport(s); got != nil {
			t.Errorf("UnsafeInExport(%q) = %q, want nil", s, got)
		}
	}
}

func TestUnsafeInExportCatchesEachKind(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"text \x1b]0;t\x07", "ESC"},
		{"[click](javascript:alert(1))", "link to"},
		{"[click](http://example.com)", "link to"},
		{"[click]( <data:text/html,x> )", "link to"},
		{"![x](https://example.com/x.png)", "image"},
		{"<javascript:alert(1)>", "autolink to a javascript: target"},
		{"<http://evil.example>", "autolink to a http: target"},
		{"<https://example.com/&#27;[31m>", "decodes to C0 control U+001B"},
		{"<attacker@evil.example>", "email autolink"},
		{"[1]: javascript:alert(1)", "link reference definition"},
		{"   [1]:\n  http://evil.example", "link reference definition"},
		{"see http://evil.example", "bare link"},
		{"www.evil.example", "bare link"},
		{"(ftp://evil.example)", "bare link"},
		{"mail attacker@evil.example", "bare email"},
		{"<script>alert(1)</script>", "raw HTML"},
		{"<img src=x>", "raw HTML"},
		{"<!-- hidden -->", "raw HTML"},
		{"</b>", "raw HTML"},
		{"&#27;[31m", "decodes to C0 control U+001B"},
		{"&#x1B;]52", "decodes to C0 control U+001B"},
		{"&#27[31m", "decodes to C0 control U+001B"},
		{"&#155;2J", "decodes to C1 control U+009B"},
		{"&#x202e;", "decodes to bidi control U+202E"},
		{"&#0007;", "decodes to C0 control BEL"},
		{`\\<script>`, "raw HTML"}, // an escaped backslash does not escape the <
	} {
		got := UnsafeInExport(tc.in)
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("UnsafeInExport(%q) = %q, want a finding mentioning %q", tc.in, got, tc.want)
		}
	}
}

func TestCorpus(t *testing.T) {
	c := Corpus()
	if len(c) < 40 {
		t.Fatalf("the corpus has %d strings; the issue asks for at least 40", len(c))
	}
	names := map[string]bool{}
	for _, p := range c {
		switch {
		case p.Name == "" || strings.ContainsAny(p.Name, " /"):
			t.Errorf("corpus name %q: give a name without spaces or slashes", p.Name)
		case names[p.Name]:
			t.Errorf("corpus name %q is used twice", p.Name)
		case p.Text == "":
			t.Errorf("%s: empty text", p.Name)
		}
		names[p.Name] = true
	}
	// The corpus must hold what the issue lists; each of these is a family of names.
	for _, family := range []string{
		"osc52", "osc8", "osc0", "osc2", "21t", "cursor", "clear-screen", "full-reset",
		"erase-line", "cr-overwrite", "backspace", "bel", "dcs", "apc", "pm", "sos",
		"unterminated", "c1-csi-rune", "c1-osc-rune", "raw-byte", "trojan", "isolates",
		"zero-width", "entity-decimal", "entity-hex", "entity-double", "html-script",
		"md-link-javascript", "md-image", "md-autolink", "md-heading-atx", "setext",
		"md-lists", "md-table", "md-code-fence", "lookalike", "very-long-line", "invalid-utf8",
	} {
		found := false
		for name := range names {
			found = found || strings.Contains(name, family)
		}
		if !found {
			t.Errorf("the corpus has no %s string", family)
		}
	}
	// Most of the corpus must be unsafe as it stands, or the tests that use it prove little.
	unsafe := 0
	for _, p := range c {
		if Unsafe(p.Text) != nil || UnsafeInExport(p.Text) != nil {
			unsafe++
		}
	}
	if unsafe < 40 {
		t.Errorf("only %d corpus strings are unsafe as they stand; want at least 40", unsafe)
	}
	for _, p := range c {
		if p.Name == "very-long-line" && utf8.RuneCountInString(p.Text) < longLineLength {
			t.Errorf("the very long line is %d characters; want at least %d", utf8.RuneCountInString(p.Text), longLineLength)
		}
	}
}
