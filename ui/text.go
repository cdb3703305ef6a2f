package ui

import (
	"fmt"
	"strings"
	"time"

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

// ago says how long ago t was, in a few words.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return t.Local().Format("2 Jan 2006")
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
