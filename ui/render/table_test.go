package render_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/render"
)

// The sub-processors table wraps its cells at every width the preview uses: no word of
// a cell is cut, and no line is wider than asked for. lipgloss cut a table within a few
// columns of its natural width ("Ireland" became "Irela" at 100 columns, the preview's
// width in a 100x30 terminal); the renderer works around it.
func TestTablesWrapAtEveryWidth(t *testing.T) {
	c := catalogue(t)
	ent := func(name, link, purpose string, countries ...string) questionnaire.Entity {
		return questionnaire.Entity{Fields: map[string]questionnaire.Value{
			"name": questionnaire.Text(name), "link": questionnaire.Text(link), "purpose": questionnaire.Text(purpose),
			"thirdPartyCountries": questionnaire.List(countries...)}}
	}
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(true))
	a.Set("shares-eud", questionnaire.Bool(true))
	a.Set("sub-processors", questionnaire.Value{Entities: []questionnaire.Entity{
		ent("Amazon Web Services, Inc.", "https://aws.amazon.com", "Hosting", "United States", "Ireland"),
		ent("Postmark", "https://postmarkapp.com", "Transactional email", "United States"),
		ent("Sentry", "https://sentry.io", "Error tracking", "United States", "Germany"),
	}})
	md := c.Markdown(a, questionnaire.MarkdownOptions{Views: questionnaire.ViewsExpanded})
	for _, st := range []render.Style{render.Dark, render.Plain} {
		r := render.New(st, termenv.TrueColor)
		for width := 56; width <= 116; width++ {
			out, err := r.Render(md, width)
			if err != nil {
				t.Fatal(err)
			}
			plain := ansi.Strip(out)
			for _, word := range []string{"Ireland", "Germany", "Sentry"} {
				if !strings.Contains(plain, word) {
					t.Errorf("%s at %d columns: %q is cut:\n%s", st, width, word, tableOf(plain))
				}
			}
			for _, l := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("%s at %d columns: a line is %d wide", st, width, w)
					break
				}
			}
		}
	}
}

func tableOf(s string) string {
	i := strings.Index(s, "Countries")
	if i < 0 {
		return s
	}
	return s[max(0, i-200):min(len(s), i+600)]
}
