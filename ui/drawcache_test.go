package ui

import (
	"math/rand/v2"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
)

// uncachedView draws the model's screen with every kept drawing dropped first: the
// unfocused blocks', the section list's and the footer's.
func uncachedView(m *Model) string {
	if w := m.wizard; w != nil {
		for _, b := range w.blocks {
			b.drawnKey, b.compactKey = "", ""
			for _, wd := range []*huhWidget{b.choice, b.minW, b.maxW} {
				if wd != nil {
					wd.views = nil
				}
			}
		}
		w.sideKey, w.sideText, w.helpKey, w.sideLines = "", "", "", nil
	}
	m.footKey = ""
	return m.View()
}

// TestKeptDrawingsAreTheScreen: the wizard keeps the drawings of what did not change
// (blocks not focused, the section list, the footer), to stay under a millisecond a
// keystroke. After every key of a long walk through every section (answering, typing,
// adding items, moving on and back), the screen drawn from those kept drawings must be
// the screen drawn from none, in colour, with the section list and without.
func TestKeptDrawingsAreTheScreen(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	keys := []string{"tab", "tab", "tab", "shift+tab", "down", "up", "y", "n", "a", "x", "ab", "enter",
		"backspace", " ", "esc", "1", "https://example.com", "right", "left"}
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		s := openStore(t, "")
		createApp(t, s, appKey, "Example Cloud")
		setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
		setAnswer(t, s, appKey, "stored-data-types", questionnaire.List("Account IDs"))
		d := newDriver(t, s, size[0], size[1])
		d.openApp()
		r := rand.New(rand.NewPCG(1, uint64(size[0])))
		sections := map[int]bool{}
		for step := range 1500 {
			k := keys[r.IntN(len(keys))]
			switch {
			case step%200 == 199:
				// Another pstab changes answers, and ctrl+r brings them in.
				// Long ones, which the width of the window decides how to show.
				setAnswer(t, s, appKey, "stored-data-types", questionnaire.List("Account IDs", strings.Repeat("Issue keys and summaries ", step%7+4)))
				setAnswer(t, s, appKey, "dpa-link", questionnaire.Text("https://acme.example/dpa/"+strings.Repeat("version-", step%5+12)))
				k = "ctrl+r"
			case step%300 == 149:
				// The window changes size and back.
				d.send(tea.WindowSizeMsg{Width: size[0] + 7, Height: size[1] + 3})
				d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			}
			d.press(k)
			if d.m.screen != screenWizard {
				d.press("esc")
				if d.m.screen != screenWizard {
					t.Fatalf("step %d: %q left the wizard:\n%s", step, k, d.screen())
				}
				continue
			}
			sections[d.m.wizard.section] = true
			kept := d.m.View()
			if fresh := uncachedView(d.m); kept != fresh {
				t.Fatalf("%dx%d, step %d, after %q, focus on %s: the kept drawings are not the screen\nkept:\n%s\nfresh:\n%s",
					size[0], size[1], step, k, d.focused(), stripped(kept), stripped(fresh))
			}
		}
		if len(sections) < 3 {
			t.Errorf("%dx%d: the walk saw %d sections; it should cross several", size[0], size[1], len(sections))
		}
	}
}

func stripped(s string) string { return strings.TrimSpace(ansi.Strip(s)) }

// TestKeptDrawingsFollowTheWidth: blocks not focused that show long answers (a link, a
// list) are drawn anew when the window's width changes, and when a problem is found.
func TestKeptDrawingsFollowTheWidth(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	d := benchWizard(t, "dpa")
	setAnswer(t, d.s, appKey, "dpa-link", questionnaire.Text("https://acme.example/"+strings.Repeat("a-long-path/", 12)))
	setAnswer(t, d.s, appKey, "pets", questionnaire.List("Pseudonymisation", strings.Repeat("Encryption in use ", 8)))
	d.press("ctrl+r")
	if d.focused() != "dpa" {
		t.Fatalf("focus on %s after the reload", d.focused())
	}
	for _, width := range []int{120, 100, 140, 91, 120} {
		d.send(tea.WindowSizeMsg{Width: width, Height: 40})
		kept := d.m.View()
		if fresh := uncachedView(d.m); kept != fresh {
			t.Fatalf("at %d columns the kept drawings are not the screen\nkept:\n%s\nfresh:\n%s", width, stripped(kept), stripped(fresh))
		}
	}
	// A problem found as the partner leaves a list is drawn under it.
	for range 30 {
		if d.focused() == "pets" {
			break
		}
		d.press("shift+tab")
	}
	if d.focused() != "pets" {
		t.Fatalf("shift+tab never reached pets:\n%s", d.screen())
	}
	d.press("a")
	d.typeText(strings.Repeat("x", 300))
	d.press("enter", "tab")
	kept := d.m.View()
	if fresh := uncachedView(d.m); kept != fresh {
		t.Fatalf("after leaving a list with a problem, the kept drawings are not the screen\nkept:\n%s\nfresh:\n%s", stripped(kept), stripped(fresh))
	}
}
