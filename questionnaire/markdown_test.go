package questionnaire

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/muesli/termenv"
)

// Markers the probe style writes for each kind of Markdown structure, so that a test can
// count, in what glamour renders, the headings, links, lists, HTML and so on a document
// really holds. (glamour is used only in tests: the package itself imports no terminal
// code.)
var probeMarkers = map[string]string{
	"heading": "«H»", "link": "«L»", "link text": "«LT»", "image": "«IMG»",
	"list item": "«I»", "numbered item": "«E»", "code": "«C»", "code block": "«CB»",
	"emphasis": "«EM»", "strong": "«ST»", "strikethrough": "«S»", "quote": "«Q»",
	"rule": "«HR»", "table column": "«|»", "HTML": "«HTML»", "HTML block": "«HB»",
	"definition": "«DD»",
}

func probeRenderer(t testing.TB) *glamour.TermRenderer {
	t.Helper()
	s := func(v string) *string { return &v }
	st := ansi.StyleConfig{}
	st.Heading.Prefix = probeMarkers["heading"]
	st.Link.Prefix = probeMarkers["link"]
	st.LinkText.Prefix = probeMarkers["link text"]
	st.Image.Prefix = probeMarkers["image"]
	st.ImageText.Prefix = probeMarkers["image"]
	st.Item.BlockPrefix = probeMarkers["list item"]
	st.Enumeration.BlockPrefix = probeMarkers["numbered item"]
	st.Code.Prefix = probeMarkers["code"]
	st.CodeBlock.Prefix = probeMarkers["code block"]
	st.Emph.Prefix = probeMarkers["emphasis"]
	st.Strong.Prefix = probeMarkers["strong"]
	st.Strikethrough.Prefix = probeMarkers["strikethrough"]
	st.BlockQuote.IndentToken = s(probeMarkers["quote"])
	st.HorizontalRule.Format = probeMarkers["rule"]
	st.Table.ColumnSeparator = s(probeMarkers["table column"])
	st.Table.RowSeparator = s("-")
	st.Table.CenterSeparator = s("+")
	st.HTMLSpan.Prefix = probeMarkers["HTML"]
	st.HTMLBlock.Prefix = probeMarkers["HTML block"]
	st.DefinitionDescription.Prefix = probeMarkers["definition"]
	r, err := glamour.NewTermRenderer(glamour.WithStyles(st), glamour.WithWordWrap(0),
		glamour.WithColorProfile(termenv.Ascii))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func structure(t *testing.T, r *glamour.TermRenderer, md string) (map[string]int, string) {
	t.Helper()
	out, err := r.Render(md)
	if err != nil {
		t.Fatalf("glamour: %v", err)
	}
	counts := map[string]int{}
	for name, m := range probeMarkers {
		if n := strings.Count(out, m); n > 0 {
			counts[name] = n
		}
	}
	return counts, out
}

// hostileTexts are answers written to break out of plain text.
var hostileTexts = []string{
	"&#27;[31mred&#27;[0m", "&#x1b;]0;title&#7;", "&#x9b;2J", "&#8238;gpj.exe", "&copy &amp;",
	"[x](javascript:alert(1))", "[x]: https://evil.example", "![img](https://evil.example/a.png)",
	"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- hidden -->", "<https://evil.example>",
	"# heading", "## heading", "Heading\n===", "- item", "* item", "+ item", "1. item", "1) item",
	"> quote", "`code`", "```\nfence\n```", "    indented code", "| a | b |", "a | b",
	"www.evil.com", "WWW.EVIL.COM", "http://evil", "https://evil.example/path", "ftp://evil",
	"a@b.com", "mailto:a@b.com", "~~strike~~", "*em* _em_ **strong** __strong__", "---", "***",
	"term\n: definition", "\\", "line\\\nbreak", "[^note]", "- [ ] task",
	"\x1b[31mred\x1b[0m", "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07", "\u009b2J", "\u202egpj.exe", "bell\x07\x08\x7f",
}

// withHostile returns answers that put s in every place where the partner's text reaches
// the Markdown: list items, one-line and long text, table cells, links that are not https,
// an email address, and the title and note.
func withHostile(s string) (Answers, MarkdownOptions) {
	link := s
	if URLProblem(s) == "" {
		link = "not a link" // a valid https link is meant to be a link; see the next test
	}
	return ans(map[string]Value{
		"stores-eud": yes, "stored-data-types": List(s, "plain "+s),
		"processes-eud": yes, "same-data-processed-stored": yes,
		"shares-eud": yes, "sub-processors": subProcessors(
			sp(s, link, s, s, "United States"),
			sp("Plain name", "http://not-https.example", "plain purpose")),
		"eea-transfer": yes, "eea-mechanism-in-place": yes, "eea-mechanism": Text(s),
		"permissions-justification": Text(s + "\nsecond line " + s),
		"security-policy":           Text(link),
		"security-contact":          Text(s),
		"privacy-policy":            Text("javascript:alert(1)"),
		"data-residency":            Text(s), // an unknown option shows as its value
		"has-certifications":        yes, "certifications": List("OTHER", s),
	}), MarkdownOptions{Views: ViewsAll, Title: s, Note: s}
}

var (
	numericEntity = regexp.MustCompile(`&#[xX]?[0-9a-fA-F]+;?`)
	namedEntity   = regexp.MustCompile(`&[A-Za-z][A-Za-z0-9]*;?`)
)

// TestMarkdownEscapesHostileText renders, with glamour, the listing tab holding hostile
// answers, and checks it has exactly the structure of the same tab holding plain words: no
// answer can add a heading, list, link, HTML, code, quote or table column, or smuggle in a
// control character.
func TestMarkdownEscapesHostileText(t *testing.T) {
	c := ps(t)
	r := probeRenderer(t)
	plainAnswers, plainOpts := withHostile("plain words")
	want, _ := structure(t, r, c.Markdown(plainAnswers, plainOpts))
	if want["link"] != 0 || want["heading"] == 0 || want["list item"] == 0 || want["table column"] == 0 || want["strong"] == 0 {
		t.Fatalf("the probe style does not see the document's structure: %v", want)
	}
	for _, s := range hostileTexts {
		t.Run(strings.ToValidUTF8(s, "?"), func(t *testing.T) {
			a, opts := withHostile(s)
			md := c.Markdown(a, opts)
			got, out := structure(t, r, md)
			for name := range probeMarkers {
				if got[name] != want[name] {
					t.Errorf("%s: %d in the rendered tab, %d with plain words", name, got[name], want[name])
				}
			}
			for _, m := range numericEntity.FindAllString(md, -1) {
				if !slicesContains([]string{"&#126;", "&#61;", "&#64;", "&#58;", "&#46;"}, m) {
					t.Errorf("the Markdown holds the entity %q", m)
				}
			}
			for _, m := range namedEntity.FindAllString(md, -1) {
				if m != "&amp;" {
					t.Errorf("the Markdown holds the entity %q", m)
				}
			}
			for _, text := range []string{md, out} {
				for _, ch := range text {
					if ch != '\n' && unsafeRune(ch, true) || ch == 0x1b {
						t.Errorf("output holds U+%04X", ch)
					}
				}
			}
			if t.Failed() {
				t.Logf("Markdown:\n%s\nrendered:\n%s", md, out)
			}
		})
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestMarkdownLinksOnlyForHTTPS checks a link is written for an https URL that passes
// URLProblem, and for nothing else.
func TestMarkdownLinksOnlyForHTTPS(t *testing.T) {
	c := ps(t)
	r := probeRenderer(t)
	for _, tc := range []struct {
		name  string
		url   string
		links int // per URL field: security policy, privacy policy and one sub-processor link
	}{
		{"https", "https://example.com/security", 1},
		{"https with a query", "https://example.com/s?a=1&b=2", 1},
		{"http", "http://example.com/security", 0},
		{"javascript", "javascript:alert(1)", 0},
		{"data", "data:text/html,<script>alert(1)</script>", 0},
		{"credentials", "https://user:pw@example.com/", 0},
		{"look-alike host", "https://xn--pple-43d.com/", 0},
		{"no scheme", "www.example.com", 0},
		{"entity in the URL", "https://example.com/?x=&#27;[31m", 0},
		{"Markdown link syntax", "[x](https://example.com)", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ans(map[string]Value{
				"security-policy": Text(tc.url), "privacy-policy": Text(tc.url),
				"stores-eud": yes, "shares-eud": yes,
				"sub-processors": subProcessors(sp("AWS", tc.url, "Hosting")),
			})
			md := c.Markdown(a, MarkdownOptions{Views: ViewsExpanded})
			got, out := structure(t, r, md)
			if got["link"] != 3*tc.links {
				t.Errorf("%d links, want %d:\n%s", got["link"], 3*tc.links, out)
			}
			if tc.links == 1 && !strings.Contains(out, tc.url) {
				t.Errorf("the rendered link does not show the URL %s:\n%s", tc.url, out)
			}
		})
	}
}

func TestEscapeMarkdownReadsAsTheText(t *testing.T) {
	r := probeRenderer(t)
	for _, s := range []string{
		"Issue keys & summaries", "AT&T; R&D", "50% of *all* data_sets", "C:\\path\\to", "a|b", "[draft]",
		"www.example.com", "security@example.com", "http://example.com", "~approx", "=total", "1. first",
	} {
		out, err := r.Render(EscapeMarkdown(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out); got != s {
			t.Errorf("EscapeMarkdown(%q) renders as %q", s, got)
		}
	}
}

// TestMarkdownOfTextThatIsOnlyControls checks an answer with nothing left once control
// characters are dropped reads as not provided, with no empty bullet, heading or emphasis.
func TestMarkdownOfTextThatIsOnlyControls(t *testing.T) {
	c := ps(t)
	a, opts := withHostile("\x07\x1b\u202e")
	md := c.Markdown(a, opts)
	for _, bad := range []string{"- \n", "\n**\n", ": \n", "|  |", "\n\n\n"} {
		if strings.Contains(md, bad) {
			t.Errorf("the Markdown holds %q:\n%s", bad, md)
		}
	}
	if !strings.HasPrefix(md, "# Privacy & Security\n\n## Default view") {
		t.Errorf("title and note are not left out:\n%s", md[:80])
	}
	// eea-mechanism, permissions-justification, data-residency, security-contact (once per
	// view it is shown in), each with nothing left, read as not provided.
	if n := strings.Count(md, NotProvided); n < 5 {
		t.Errorf("%d answers read %q, want at least 5:\n%s", n, NotProvided, md)
	}
}
