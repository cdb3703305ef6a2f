package questionnaire_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/glamour"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/termsafe"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// Run a fuzz target with, for example:
//
//	go test ./questionnaire -run '^$' -fuzz '^FuzzCleanText$' -fuzztime 60s -fuzzminimizetime 200x
//
// -fuzzminimizetime bounds how long the fuzzer shrinks each new interesting input. Left at
// its default of 60 s, shrinking takes most of a short run: on a busy 2-core machine,
// FuzzCleanText ran 3,000 inputs in 30 s with the default and 278,000 with 200x.

// FuzzCleanText checks the T1 cleaner on any input: what it returns passes TextProblem
// with the same flag and holds nothing a terminal acts on; cleaning twice changes
// nothing; text that already passes TextProblem is returned unchanged.
func FuzzCleanText(f *testing.F) {
	for _, p := range fuzzSeeds() {
		f.Add(p.Text, false)
		f.Add(p.Text, true)
	}
	f.Add("line one\r\nline two\rline three\u2028four", true)
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		if len(s) > maxFuzzInput {
			t.Skip("long inputs add nothing but minimising time")
		}
		out := questionnaire.CleanText(s, multiline)
		if p := questionnaire.TextProblem(out, multiline); p != "" {
			t.Fatalf("CleanText(%q, %v) = %q, which TextProblem refuses: %s", s, multiline, out, p)
		}
		if again := questionnaire.CleanText(out, multiline); again != out {
			t.Fatalf("CleanText is not idempotent on %q: once %q, twice %q", s, out, again)
		}
		if questionnaire.TextProblem(s, multiline) == "" && out != s {
			t.Fatalf("CleanText changed acceptable text %q into %q", s, out)
		}
		// Multi-line text may keep CR LF line ends; apart from that, nothing is unsafe.
		if bad := termsafetest.Unsafe(strings.ReplaceAll(out, "\r\n", "\n")); bad != nil {
			t.Fatalf("CleanText(%q, %v) = %q, which holds %q", s, multiline, out, bad)
		}
		if !multiline && strings.ContainsAny(out, "\r\n\t") {
			t.Fatalf("CleanText(%q, false) = %q keeps a line break or tab", s, out)
		}
	})
}

// FuzzEscapeMarkdown checks the T2 escaper on any input. The escaped text is one line
// that, embedded in a paragraph, a list item and a table cell, never becomes a link,
// image, heading, list, quote, code, HTML, emphasis or any other structure; as a
// paragraph it renders to exactly the cleaned text; no character reference in it decodes
// to a control; and rendered by glamour with the notty style it is safe for a terminal
// before and after the filter. MarkdownLink is checked on the same input: an autolink
// only to a URL that passes URLProblem, otherwise plain text.
func FuzzEscapeMarkdown(f *testing.F) {
	for _, p := range fuzzSeeds() {
		f.Add(p.Text)
	}
	for _, s := range []string{"https://example.com/security", "1. x", "10) x", "=== x", "a  b  ", ":x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxFuzzInput/4 {
			// glamour's wrapping is quadratic in a word's length (4 KB: up to 0.4 s).
			t.Skip("long inputs add nothing but time; the hostile tests cover a very long line")
		}
		esc := questionnaire.EscapeMarkdown(s)
		if strings.ContainsAny(esc, "\r\n") {
			t.Fatalf("EscapeMarkdown(%q) = %q spans lines", s, esc)
		}
		if bad := termsafetest.UnsafeInExport(esc); bad != nil {
			t.Fatalf("EscapeMarkdown(%q) = %q holds %q", s, esc, bad)
		}

		// In a paragraph, a list item and a table cell, it adds no structure.
		doc := "**Prompt**\n\n" + esc + "\n\n- " + esc + "\n\n| Head |\n| --- |\n| " + esc + " |\n"
		want := map[string]int{"Emphasis": 1, "List": 1, "ListItem": 1, "Table": 1, "TableHeader": 1, "TableRow": 1, "TableCell": 2}
		if d := diffKinds(markdownKinds(doc), want); d != "" {
			t.Fatalf("EscapeMarkdown(%q) = %q adds structure: %s\n%s", s, esc, d, doc)
		}

		// As a paragraph it reads as exactly the text, once cleaned.
		plain := strings.Trim(questionnaire.CleanText(s, false), " \t")
		var html bytes.Buffer
		if err := goldmarkAsGlamour.Convert([]byte(esc), &html); err != nil {
			t.Fatal(err)
		}
		wantHTML := ""
		if plain != "" {
			wantHTML = "<p>" + escapeHTML(plain) + "</p>\n"
		}
		if html.String() != wantHTML {
			t.Fatalf("EscapeMarkdown(%q) = %q renders as %q, want %q", s, esc, html.String(), wantHTML)
		}

		// glamour renders it without anything a terminal acts on, even before the filter.
		r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(80))
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Render(doc)
		if err != nil {
			t.Fatalf("glamour: %v", err)
		}
		if bad := termsafetest.Unsafe(out); bad != nil {
			t.Fatalf("EscapeMarkdown(%q) = %q: glamour writes %q", s, esc, bad)
		}
		if bad := termsafetest.Unsafe(termsafe.Filter(out)); bad != nil {
			t.Fatalf("EscapeMarkdown(%q): filtered output holds %q", s, bad)
		}

		// MarkdownLink: an https autolink for a URL that passes URLProblem, else plain text.
		link := questionnaire.MarkdownLink(s)
		if bad := termsafetest.UnsafeInExport(link); bad != nil {
			t.Fatalf("MarkdownLink(%q) = %q holds %q", s, link, bad)
		}
		if bad := markdownLinkProblems(link); bad != nil {
			t.Fatalf("MarkdownLink(%q) = %q: %q", s, link, bad)
		}
		autolinks := markdownKinds(link)["AutoLink"]
		if ok := questionnaire.URLProblem(s) == ""; autolinks > 1 || (autolinks == 1) != (ok && link != esc) {
			t.Fatalf("MarkdownLink(%q) = %q has %d autolinks (URLProblem %q)", s, link, autolinks, questionnaire.URLProblem(s))
		}
	})
}

// maxFuzzInput bounds what the fuzz targets look at. The properties do not depend on
// length, and the fuzzer spends minutes minimising each long input it finds interesting
// instead of exploring; the hostile tests cover the very long line.
const maxFuzzInput = 4096

// fuzzSeeds is the hostile corpus without its very long line.
func fuzzSeeds() []termsafetest.Payload {
	var out []termsafetest.Payload
	for _, p := range termsafetest.Corpus() {
		if len(p.Text) <= maxFuzzInput {
			out = append(out, p)
		}
	}
	return out
}

// escapeHTML escapes text as goldmark's HTML renderer does.
func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
