package render_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/charmbracelet/glamour"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/render"
)

// The preview as the partner sees it at 120 columns on a dark colour terminal: glamour's
// dark style in true colour (the costliest pstab uses), wrapped at the preview's width.
const (
	benchWidth   = 100 // the preview wraps at min(window-4, 100)
	benchStyle   = render.Dark
	benchProfile = termenv.TrueColor
)

// fullDraft is the golden full answer set: the longest listing tab in the test data.
func fullDraft(b *testing.B, c *questionnaire.Catalogue) questionnaire.Answers {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "questionnaire", "testdata", "answers", "full.json"))
	if err != nil {
		b.Fatal(err)
	}
	a, _, err := c.DecodePayload(data)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

func previewMarkdown(c *questionnaire.Catalogue, a questionnaire.Answers) string {
	return c.Markdown(a, questionnaire.MarkdownOptions{Views: questionnaire.ViewsDefault, Title: "Benchmark Cloud"})
}

// glamourAlone is the floor the preview is measured against: a glamour renderer with the
// same style, colour profile and width, reused like pstab's, on the same Markdown.
func glamourAlone(b *testing.B) *glamour.TermRenderer {
	tr, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(string(benchStyle)),
		glamour.WithColorProfile(benchProfile),
		glamour.WithWordWrap(benchWidth),
	)
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkPreview measures the full preview (Markdown generation from the answers, glamour,
// the terminal filter) against glamour alone on the same Markdown (aim: ratio at most 1.2).
// "ratio" is the interleaved comparison, so machine noise hits both alike.
func BenchmarkPreview(b *testing.B) {
	c := catalogue(b)
	a := fullDraft(b, c)
	md := previewMarkdown(c, a)
	b.Run("Full", func(b *testing.B) {
		r := render.New(benchStyle, benchProfile)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Render(previewMarkdown(c, a), benchWidth); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GlamourOnly", func(b *testing.B) {
		tr := glamourAlone(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tr.Render(md); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Interleaved", func(b *testing.B) {
		r, tr := render.New(benchStyle, benchProfile), glamourAlone(b)
		var fullT, glamT time.Duration
		n := 0
		for b.Loop() {
			t0 := time.Now()
			if _, err := r.Render(previewMarkdown(c, a), benchWidth); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := tr.Render(md); err != nil {
				b.Fatal(err)
			}
			glamT += time.Since(t1)
			fullT += t1.Sub(t0)
			n++
		}
		b.ReportMetric(float64(fullT.Microseconds())/float64(n), "µs/preview")
		b.ReportMetric(float64(glamT.Microseconds())/float64(n), "µs/glamour")
		b.ReportMetric(float64(fullT)/float64(glamT), "ratio")
	})
}
