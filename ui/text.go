package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// wrapText wraps plain text to width columns, breaking long words when it must.
func wrapText(s string, width int) string {
	if width < 10 {
		width = 10
	}
	// x/ansi wraps at spaces and hyphens and breaks only words longer than a line.
	// (reflow's wordwrap followed by wrap cuts words at the margin.)
	return strings.TrimRight(ansi.Wrap(s, width, ""), " ")
}

// truncate cuts plain text to width columns with an ellipsis.
func truncate(s string, width int) string {
	if width < 2 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// bar draws a completeness bar of width cells.
func bar(st *Styles, percent, width int) string {
	full := percent * width / 100
	if percent > 0 && full == 0 {
		full = 1
	}
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", width-full))
}

// placeCenter centres a block of text in a width × height area.
func placeCenter(width, height int, s string) string {
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, s)
}

// fitLines cuts or pads s to exactly height lines.
func fitLines(s string, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
