package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/glamour"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/render"
	"github.com/pstab/pstab/ui/termsafe"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// styles are the glamour styles pstab renders with, plus glamour's plain "ascii" style.
var styles = []render.Style{render.Dark, render.Light, render.Plain, "ascii"}

func catalogue(t testing.TB) *questionnaire.Catalogue {
	t.Helper()
	cats, err := embedded.Catalogues()
	c := cats.PrivacySecurity
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hostileDraft answers every question of the catalogue that makes the most of them shown,
// with h in every text-like answer and as an extra option value.
func hostileDraft(c *questionnaire.Catalogue, h string) questionnaire.Answers {
	a := questionnaire.NewAnswers()
	yes := questionnaire.Bool(true)
	for _, q := range c.Questions {
		switch q.Kind {
		case questionnaire.KindYesNo:
			a.Set(q.ID, yes)
		case questionnaire.KindTriState, questionnaire.KindChoice:
			a.Set(q.ID, questionnaire.Text(q.Options[0].Value))
		case questionnaire.KindMultiChoice:
			a.Set(q.ID, questionnaire.List(q.Options[0].Value, q.Options[len(q.Options)-1].Value, h))
		case questionnaire.KindDayRange:
			a.Set(q.ID, questionnaire.Days(0, 30))
		case questionnaire.KindList:
			a.Set(q.ID, questionnaire.List(h, "second "+h))
		case questionnaire.KindEntities:
			e := questionnaire.Entity{Fields: map[string]questionnaire.Value{}}
			for _, f := range q.Fields {
				if f.Kind == questionnaire.KindList {
					e.Fields[f.Key] = questionnaire.List(h)
				} else {
					e.Fields[f.Key] = questionnaire.Text(h)
				}
			}
			raw, _ := json.Marshal(h)
			e.Extra = map[string]json.RawMessage{"note": raw}
			a.Set(q.ID, questionnaire.Value{Entities: []questionnaire.Entity{e, e}})
		default:
			a.Set(q.ID, questionnaire.Text(h))
		}
	}
	a.Set("same-data-processed-stored", questionnaire.Bool(false)) // show the processed data types too
	return a
}

// TestRenderHostileDrafts renders the listing tab of a draft carrying each corpus string
// in every text-like answer, as the preview does (escape, glamour, filter), and checks
// that nothing a terminal acts on comes out, in each style, and that the text after the
// hostile string is still there. Each string is rendered in one style, in turn, to keep
// the run short; all styles are covered.
func TestRenderHostileDrafts(t *testing.T) {
	c := catalogue(t)
	for i, p := range termsafetest.Corpus() {
		style := styles[i%len(styles)]
		t.Run(p.Name+"/"+string(style), func(t *testing.T) {
			t.Parallel()
			r := render.New(style, termenv.TrueColor)
			h := p.Text + " ENDMARK"
			md := c.Markdown(hostileDraft(c, h), questionnaire.MarkdownOptions{Title: h, Note: "revision 3"})
			out, err := r.Render(md, 100)
			if err != nil {
				t.Fatal(err)
			}
			if bad := termsafetest.Unsafe(out); bad != nil {
				t.Errorf("%d unsafe things, first %q", len(bad), bad[0])
			}
			want := "ENDMARK"
			if len(h) > questionnaire.DefaultLongTextLimit {
				want = "shortened here" // over every limit: the Markdown says it cut the text
			}
			if !strings.Contains(termsafe.Strip(out), want) {
				t.Errorf("%q is not in the rendered tab", want)
			}
		})
	}
}

// contexts are the Markdown places partner text could land if it were not escaped.
var contexts = []struct {
	name string
	wrap func(string) string
}{
	{"paragraph", func(s string) string { return "Partner answer: " + s + " after\n" }},
	{"heading", func(s string) string { return "## " + s + "\n" }},
	{"code span", func(s string) string { return "`" + s + "`\n" }},
	{"fenced block", func(s string) string { return "```\n" + s + "\n```\n" }},
	{"go fenced block", func(s string) string { return "```go\n" + s + "\n```\n" }},
	{"link text", func(s string) string { return "[" + s + "](https://example.com)\n" }},
	{"table cell", func(s string) string { return "| a | b |\n| --- | --- |\n| " + s + " | c |\n" }},
	{"blockquote", func(s string) string { return "> " + s + "\n" }},
	{"list item", func(s string) string { return "- " + s + "\n- next\n" }},
}

// TestRenderRawCorpusInContexts renders each corpus string without cleaning or escaping
// (as if both earlier layers had been bypassed) in nine Markdown contexts: the filter alone
// must leave nothing a terminal acts on. Strings longer than 4 KB are left out: glamour's
// wrapping takes time that grows with the square of a word's length, which is why the
// listing's Markdown shortens over-long answers (questionnaire.Markdown).
func TestRenderRawCorpusInContexts(t *testing.T) {
	renderers := make([]*render.Renderer, len(styles))
	for i, s := range styles {
		renderers[i] = render.New(s, termenv.ANSI256)
	}
	n := 0
	for _, p := range termsafetest.Corpus() {
		if len(p.Text) > 4096 {
			continue
		}
		for _, ctx := range contexts {
			r := renderers[n%len(styles)]
			n++
			out, err := r.Render(ctx.wrap(p.Text), 80)
			if err != nil {
				t.Fatalf("%s in %s: %v", p.Name, ctx.name, err)
			}
			if bad := termsafetest.Unsafe(out); bad != nil {
				t.Errorf("%s in %s: %d unsafe things, first %q", p.Name, ctx.name, len(bad), bad[0])
			}
		}
	}
	if n < 20*len(contexts) {
		t.Errorf("only %d renders", n)
	}
}

// TestRenderNeedsTheFilter shows that the test above can fail: glamour itself passes the
// corpus through, so without the filter the same check finds unsafe bytes.
func TestRenderNeedsTheFilter(t *testing.T) {
	md := "Partner answer: \x1b]52;c;ZWNobyBwd25lZA==\x07 then \x1b[2J and &#27;]0;title&#7;\n"
	out, err := render.New(render.Plain, termenv.Ascii).Render(md, 80)
	if err != nil {
		t.Fatal(err)
	}
	if bad := termsafetest.Unsafe(out); bad != nil {
		t.Fatalf("the filtered render holds %q", bad)
	}
	if bad := termsafetest.Unsafe(glamourOnly(t, md)); bad == nil {
		t.Fatal("glamour alone wrote nothing unsafe; this test no longer shows what the filter is for")
	}
}

// glamourOnly renders with glamour's notty style and no filter.
func glamourOnly(t *testing.T, md string) string {
	t.Helper()
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(80))
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(md)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
