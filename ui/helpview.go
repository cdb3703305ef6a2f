package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// fullHelpView lays out every key of the screen for ?: one column per group, side by side
// while they fit in width, in further rows of columns when they do not, so that no key
// is cut at 80 columns. The frame measures its height.
func fullHelpView(st *Styles, groups [][]key.Binding, width int) string {
	hs := st.Help
	var cols []string
	quit := false
	for _, g := range groups {
		var keys, descs []string
		for _, b := range g {
			h := b.Help()
			if !b.Enabled() || h.Key == "" {
				continue
			}
			if h.Key == "ctrl+c" {
				if quit {
					continue
				}
				quit = true
			}
			keys, descs = append(keys, h.Key), append(descs, h.Desc)
		}
		if len(keys) == 0 {
			continue
		}
		kw := 0
		for _, k := range keys {
			kw = max(kw, lipgloss.Width(k))
		}
		lines := make([]string, len(keys))
		for i := range keys {
			pad := strings.Repeat(" ", kw-lipgloss.Width(keys[i]))
			lines[i] = truncate(hs.FullKey.Render(keys[i])+pad+" "+hs.FullDesc.Render(descs[i]), width)
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	const gap = "   "
	var rows []string
	var row []string
	rowWidth := 0
	for _, c := range cols {
		w := lipgloss.Width(c)
		if len(row) > 0 && rowWidth+len(gap)+w > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowWidth = nil, 0
		}
		if len(row) > 0 {
			row = append(row, gap)
			rowWidth += len(gap)
		}
		row = append(row, c)
		rowWidth += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n")
}
