package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
)

// sameButTrailingSpaces fails unless got and want show the same: the same lines, each
// equal but for spaces at its end (bubbletea clears the rest of every line it draws).
func sameButTrailingSpaces(t *testing.T, what, got, want string) {
	t.Helper()
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%s: %d lines, lipgloss draws %d", what, len(gl), len(wl))
	}
	for i := range gl {
		if g, w := strings.TrimRight(gl[i], " "), strings.TrimRight(wl[i], " "); g != w {
			t.Fatalf("%s, line %d:\n got %q\nwant %q", what, i+1, g, w)
		}
	}
}

// The wizard's screen is put together without lipgloss's padding to the widest line
// (padScreen, sideBySide), which cost a third of a keystroke in colour; in colour, with
// the section list shown, it must show exactly what lipgloss drew.
func TestScreenShowsWhatLipglossDrew(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	s := openStore(t, "")
	createApp(t, s, appKey, "Example Cloud")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := newDriver(t, s, 120, 40)
	d.openApp()
	w := d.m.wizard
	if !w.showSidebar() {
		t.Fatal("no section list at 120 columns")
	}
	d.m.View()
	main := w.mainView()
	sameButTrailingSpaces(t, "section list beside the questions", sideBySide(w.sideOut, main),
		lipgloss.JoinHorizontal(lipgloss.Top, w.sideOut, " ", main))
	// A body taller than the list, and one shorter.
	tall := main + strings.Repeat("\nmore", 5)
	sameButTrailingSpaces(t, "questions taller than the list", sideBySide(w.sideOut, tall),
		lipgloss.JoinHorizontal(lipgloss.Top, w.sideOut, " ", tall))
	sameButTrailingSpaces(t, "questions shorter than the list", sideBySide(w.sideOut, "one\ntwo"),
		lipgloss.JoinHorizontal(lipgloss.Top, w.sideOut, " ", "one\ntwo"))

	st := d.m.ui.styles
	body := w.View() + "\n\ta tab\n"
	sameButTrailingSpaces(t, "the screen's padding", padScreen(st.App, body), st.App.Render(body))

	// The section list's border, byte for byte: as drawn, with lines of every width, a tab,
	// and fewer lines than the height.
	for _, text := range []string{w.sideText, st.Bold.Render("Title") + "\nab\n\tx\n" + st.OK.Render("✓ done") + " 3/3", ""} {
		for _, height := range []int{1, 5, 40} {
			if got, want := boxRight(st.Sidebar, text, height), st.Sidebar.Height(height).Render(text); got != want {
				t.Errorf("section list of %q at height %d:\n%q\nlipgloss:\n%q", text, height, got, want)
			}
		}
	}
}
