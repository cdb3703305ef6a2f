// Package render turns the listing tab's Markdown into terminal text with glamour, for the
// preview in the wizard and for `pstab preview` on a terminal. Its output always passes
// through the terminal filter.
package render

import (
	"fmt"
	"strings"
	"sync"

	"github.com/charmbracelet/glamour"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/ui/termsafe"
)

// Style is the glamour style to render with, decided before any program starts: asking
// the terminal for its background inside a running program stalls it for termenv's 5 s
// timeout, and the terminal's reply arrives as stray key messages.
type Style string

// The styles pstab uses.
const (
	Dark  Style = "dark"
	Light Style = "light"
	Plain Style = "notty" // no colour: NO_COLOR, or output that is not a terminal
)

// ChooseStyle picks the style from what is known before the program starts.
func ChooseStyle(noColor, darkBackground bool) Style {
	switch {
	case noColor:
		return Plain
	case darkBackground:
		return Dark
	}
	return Light
}

// Renderer renders Markdown at one style, keeping one glamour renderer per width. glamour
// renderers are not safe for concurrent use, so each is guarded by its own lock.
type Renderer struct {
	style   Style
	profile termenv.Profile

	mu    sync.Mutex
	byWid map[int]*widthRenderer
}

type widthRenderer struct {
	mu sync.Mutex
	tr *glamour.TermRenderer
}

// New returns a renderer for the style and colour profile.
func New(style Style, profile termenv.Profile) *Renderer {
	if style == Plain {
		profile = termenv.Ascii
	}
	return &Renderer{style: style, profile: profile, byWid: map[int]*widthRenderer{}}
}

// Render renders md to fit width columns and filters the result for the terminal.
func (r *Renderer) Render(md string, width int) (string, error) {
	if width < 20 {
		width = 20
	}
	out, err := r.render(md, width)
	// lipgloss's table (v1.1) decides to widen rather than wrap a table whose cells fit
	// the width but whose cells and column borders do not, and then cuts the table's
	// right edge: "Ireland" became "Irela". That happens only within a few columns of the
	// table's natural width; a table rendered narrower by its number of columns and one
	// more is wrapped properly, so render again that much narrower.
	for try := 0; err == nil && try < 3; try++ {
		cols := cutTableColumns(out)
		if cols == 0 || width-cols-1 < 20 {
			break
		}
		width -= cols + 1
		out, err = r.render(md, width)
	}
	return out, err
}

func (r *Renderer) render(md string, width int) (string, error) {
	wr, err := r.forWidth(width)
	if err != nil {
		return "", err
	}
	wr.mu.Lock()
	out, err := wr.tr.Render(md)
	wr.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("render preview: %w", err)
	}
	return termsafe.Filter(trimBlankLines(out)), nil
}

// cutTableColumns reports the number of columns of a table whose right edge was cut, or
// 0. Every row of a table lipgloss drew whole ends with its last cell's margin, a space;
// a cut row ends in the cell's text.
func cutTableColumns(out string) int {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		sep := strings.TrimSpace(termsafe.Strip(l))
		if sep == "" || strings.Trim(sep, "─┼-|") != "" || !strings.ContainsAny(sep, "┼|") {
			continue
		}
		// A separator line under a header row: the rows follow it.
		cols := strings.Count(sep, "┼") + strings.Count(sep, "|") + 1
		for _, row := range lines[i+1:] {
			text := termsafe.Strip(row)
			if !strings.Contains(text, "│") && !strings.Contains(text, " | ") {
				break
			}
			if !strings.HasSuffix(text, " ") {
				return cols
			}
		}
	}
	return 0
}

func (r *Renderer) forWidth(width int) (*widthRenderer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if wr, ok := r.byWid[width]; ok {
		return wr, nil
	}
	tr, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(string(r.style)),
		glamour.WithColorProfile(r.profile),
		glamour.WithWordWrap(width),
	)
	if err != nil {
		return nil, fmt.Errorf("start preview renderer: %w", err)
	}
	wr := &widthRenderer{tr: tr}
	r.byWid[width] = wr
	return wr, nil
}

// trimBlankLines drops the blank lines glamour puts before and after the document, so the
// preview starts at its first line.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	first, last := 0, len(lines)-1
	for first < last && strings.TrimSpace(termsafe.Strip(lines[first])) == "" {
		first++
	}
	for last > first && strings.TrimSpace(termsafe.Strip(lines[last])) == "" {
		last--
	}
	return strings.Join(lines[first:last+1], "\n") + "\n"
}
