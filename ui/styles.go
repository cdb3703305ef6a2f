package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// palette is the one set of colours every style is built from. Each colour adapts to a
// light or dark background; with NO_COLOR lipgloss renders none of them.
type palette struct {
	accent, accentDim   lipgloss.AdaptiveColor
	text, muted, faint  lipgloss.AdaptiveColor
	ok, warn, bad, info lipgloss.AdaptiveColor
	selectedBg          lipgloss.AdaptiveColor
}

func newPalette() palette {
	return palette{
		accent:     lipgloss.AdaptiveColor{Light: "#5A3FD6", Dark: "#9D8CFF"},
		accentDim:  lipgloss.AdaptiveColor{Light: "#8E7FE0", Dark: "#6B5FB5"},
		text:       lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E8E8E8"},
		muted:      lipgloss.AdaptiveColor{Light: "#5C5C5C", Dark: "#A8A8A8"},
		faint:      lipgloss.AdaptiveColor{Light: "#9A9A9A", Dark: "#6A6A6A"},
		ok:         lipgloss.AdaptiveColor{Light: "#1C7C3A", Dark: "#5FD38A"},
		warn:       lipgloss.AdaptiveColor{Light: "#9A6200", Dark: "#F2B84B"},
		bad:        lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF6B6B"},
		info:       lipgloss.AdaptiveColor{Light: "#1F5FA8", Dark: "#6CB6FF"},
		selectedBg: lipgloss.AdaptiveColor{Light: "#ECE8FF", Dark: "#2E2A4A"},
	}
}

// Styles holds every style the TUI uses, built once.
type Styles struct {
	App       lipgloss.Style
	Title     lipgloss.Style
	Subtitle  lipgloss.Style
	Muted     lipgloss.Style
	Faint     lipgloss.Style
	Text      lipgloss.Style
	Bold      lipgloss.Style
	Accent    lipgloss.Style
	OK        lipgloss.Style
	Warn      lipgloss.Style
	Bad       lipgloss.Style
	Info      lipgloss.Style
	Banner    lipgloss.Style // a loud one-line message: failed save, conflict
	Selected  lipgloss.Style // the selected row of a list
	Border    lipgloss.Style // panels
	Sidebar   lipgloss.Style
	HelpPanel lipgloss.Style
	Footer    lipgloss.Style
	BarFull   lipgloss.Style
	BarEmpty  lipgloss.Style
	Dialog    lipgloss.Style

	Help help.Styles
	Huh  *huh.Theme
}

// NewStyles builds the styles from the palette. It is called once per program: building
// huh themes is expensive, and a field without an explicit theme rebuilds one on every
// render and, for a select, on every option.
func NewStyles() *Styles {
	p := newPalette()
	s := &Styles{}
	s.App = lipgloss.NewStyle().Padding(0, 1)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.accent)
	s.Subtitle = lipgloss.NewStyle().Foreground(p.muted)
	s.Muted = lipgloss.NewStyle().Foreground(p.muted)
	s.Faint = lipgloss.NewStyle().Foreground(p.faint)
	s.Text = lipgloss.NewStyle().Foreground(p.text)
	s.Bold = lipgloss.NewStyle().Bold(true).Foreground(p.text)
	s.Accent = lipgloss.NewStyle().Foreground(p.accent)
	s.OK = lipgloss.NewStyle().Foreground(p.ok)
	s.Warn = lipgloss.NewStyle().Foreground(p.warn)
	s.Bad = lipgloss.NewStyle().Foreground(p.bad).Bold(true)
	s.Info = lipgloss.NewStyle().Foreground(p.info)
	s.Banner = lipgloss.NewStyle().Bold(true).Foreground(p.bad).Border(lipgloss.NormalBorder(), false, false, false, true).
		BorderForeground(p.bad).PaddingLeft(1)
	s.Selected = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	s.Border = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.faint)
	s.Sidebar = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, true, false, false).
		BorderForeground(p.faint).PaddingRight(1)
	s.HelpPanel = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), true, false, false, false).
		BorderForeground(p.faint).Foreground(p.muted)
	s.Footer = lipgloss.NewStyle().Foreground(p.faint)
	s.BarFull = lipgloss.NewStyle().Foreground(p.accent)
	s.BarEmpty = lipgloss.NewStyle().Foreground(p.faint)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(1, 2)

	h := help.New().Styles
	h.ShortKey = lipgloss.NewStyle().Foreground(p.muted)
	h.ShortDesc = lipgloss.NewStyle().Foreground(p.faint)
	h.ShortSeparator = lipgloss.NewStyle().Foreground(p.faint)
	h.FullKey = h.ShortKey
	h.FullDesc = h.ShortDesc
	h.FullSeparator = h.ShortSeparator
	s.Help = h
	s.Huh = huhTheme(p, h)
	return s
}

// huhTheme builds the huh theme from the same palette.
func huhTheme(p palette, h help.Styles) *huh.Theme {
	t := huh.ThemeBase()
	t.FieldSeparator = lipgloss.NewStyle().SetString("\n\n")
	f := &t.Focused
	f.Base = f.Base.BorderForeground(p.accent)
	f.Card = f.Base
	f.Title = lipgloss.NewStyle().Foreground(p.text).Bold(true)
	f.Description = lipgloss.NewStyle().Foreground(p.muted)
	f.ErrorIndicator = lipgloss.NewStyle().Foreground(p.bad).SetString(" *")
	f.ErrorMessage = lipgloss.NewStyle().Foreground(p.bad)
	f.SelectSelector = lipgloss.NewStyle().Foreground(p.accent).SetString("› ")
	f.NextIndicator = lipgloss.NewStyle().Foreground(p.accent).MarginLeft(1).SetString("→")
	f.PrevIndicator = lipgloss.NewStyle().Foreground(p.accent).MarginRight(1).SetString("←")
	f.Option = lipgloss.NewStyle().Foreground(p.text)
	f.MultiSelectSelector = lipgloss.NewStyle().Foreground(p.accent).SetString("› ")
	f.SelectedOption = lipgloss.NewStyle().Foreground(p.ok)
	f.SelectedPrefix = lipgloss.NewStyle().Foreground(p.ok).SetString("[x] ")
	f.UnselectedOption = lipgloss.NewStyle().Foreground(p.text)
	f.UnselectedPrefix = lipgloss.NewStyle().Foreground(p.faint).SetString("[ ] ")
	f.TextInput.Cursor = lipgloss.NewStyle().Foreground(p.accent)
	f.TextInput.Placeholder = lipgloss.NewStyle().Foreground(p.faint)
	f.TextInput.Prompt = lipgloss.NewStyle().Foreground(p.accent)
	f.TextInput.Text = lipgloss.NewStyle().Foreground(p.text)
	f.FocusedButton = f.FocusedButton.Foreground(lipgloss.Color("0")).Background(p.accent)
	f.BlurredButton = f.BlurredButton.Foreground(p.text).Background(p.selectedBg)

	t.Blurred = *f
	b := &t.Blurred
	b.Base = b.Base.BorderStyle(lipgloss.HiddenBorder())
	b.Card = b.Base
	b.Title = lipgloss.NewStyle().Foreground(p.muted)
	// A select drawn whole while another widget of its question has the focus (a day
	// range's days) marks the answer chosen, in letters, so that it shows without colour.
	b.SelectSelector = lipgloss.NewStyle().SetString("→ ")
	b.MultiSelectSelector = lipgloss.NewStyle().SetString("  ")
	b.NextIndicator = lipgloss.NewStyle()
	b.PrevIndicator = lipgloss.NewStyle()
	b.Option = lipgloss.NewStyle().Foreground(p.muted)
	b.UnselectedOption = b.Option
	b.TextInput.Text = lipgloss.NewStyle().Foreground(p.muted)
	b.TextInput.Prompt = lipgloss.NewStyle().Foreground(p.faint)
	t.Help = h
	return t
}
