package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// sizes are the terminals the layout must fit: the smallest it supports, the classic
// 80×24, the golden size, and two larger ones.
var sizes = [][2]int{{60, 16}, {80, 24}, {100, 30}, {120, 40}, {200, 60}}

// checkFits fails if any line of the view is wider than the terminal or the view has more
// lines than the terminal.
func checkFits(t *testing.T, what string, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		t.Errorf("%s at %d×%d: %d lines, more than the terminal's %d:\n%s", what, width, height, len(lines), height, ansi.Strip(view))
		return
	}
	// The frame pads every line to the widest, so name the line whose text is widest.
	widest, at := 0, 0
	for i, l := range lines {
		if w := ansi.StringWidth(strings.TrimRight(ansi.Strip(l), " ")); w > widest {
			widest, at = w, i
		}
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s at %d×%d: lines are %d columns wide; the widest text is line %d:\n%s\n\n%s",
				what, width, height, w, at+1, ansi.Strip(lines[at]), ansi.Strip(view))
			return
		}
	}
}

// screenTour visits every screen and dialog of the TUI and calls visit on each, with a
// name for messages. The draft has answers of every kind, follow-ups shown and a long
// list, so that wrapping and scrolling are exercised.
func screenTour(t *testing.T, d *driver, visit func(name string)) {
	t.Helper()
	visit("home")
	d.press("?")
	visit("home full help")
	d.press("?")
	d.press("n")
	visit("new app form")
	d.press("enter")
	visit("new app form refusing an empty key")
	d.press("esc")

	d.openApp()
	visit("wizard, first section")
	d.press("?")
	visit("wizard full help")
	d.press("?")
	d.press("esc")
	visit("section list")
	d.press("enter")
	for _, title := range []string{"Data access and storage", "Third parties", "Data retention", "Privacy", "Security", "Compliance"} {
		d.goToSection(title)
		visit("section " + title)
		for i := 0; i < len(d.m.wizard.blocks); i++ {
			d.press("tab")
			visit(fmt.Sprintf("section %s, question %d", title, i+2))
		}
	}
	d.goToSection("Third parties")
	d.focusQuestion("sub-processors")
	d.press("a")
	visit("sub-processor form")
	d.press("esc")
	d.press("x")
	visit("sub-processor removal question")
	d.press("n")
	d.press("ctrl+s")
	visit("save point dialog")
	d.press("esc")
	d.press("ctrl+z")
	visit("discard question")
	d.press("n")
	d.press("p")
	visit("preview")
	d.press("v")
	visit("preview, expanded view")
	d.press("esc")
	d.press("r")
	visit("review checklist")
	d.press("?")
	visit("review checklist full help")
	d.press("?")
	d.press("esc")
}

// fullDraft is an app whose draft shows most questions, with long answers.
func fullDraft(t *testing.T) *store.Store {
	t.Helper()
	s := openStore(t, "")
	createApp(t, s, appKey, "An app with a rather long name for its listing, to test truncation")
	long := strings.Repeat("A very long list item that will not fit on one line at all ", 3)
	for id, v := range map[string]questionnaire.Value{
		"stores-eud":              questionnaire.Bool(true),
		"stored-data-types":       questionnaire.List("Email addresses", long, "Page content"),
		"processes-eud":           questionnaire.Bool(true),
		"shares-eud":              questionnaire.Bool(true),
		"retains-after-uninstall": questionnaire.Bool(true),
		"retention-period":        questionnaire.Days(30, 90),
		"uses-pets":               questionnaire.Bool(true),
		"eea-transfer":            questionnaire.Bool(true),
		"has-certifications":      questionnaire.Bool(true),
		"certifications":          questionnaire.List("SOC2_TYPE2", "OTHER"),
		"security-policy":         questionnaire.Text("http://example.com/" + strings.Repeat("long-path/", 20)),
		"sub-processors": {Entities: []questionnaire.Entity{{Fields: map[string]questionnaire.Value{
			"name": questionnaire.Text("Amazon Web Services"), "link": questionnaire.Text("https://aws.amazon.com/privacy/"),
			"purpose": questionnaire.Text(long), "countries": questionnaire.List("United States", "Ireland"),
		}}}},
	} {
		setAnswer(t, s, appKey, id, v)
	}
	return s
}

func TestEveryScreenFitsTheTerminal(t *testing.T) {
	for _, size := range sizes {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			d := newDriver(t, fullDraft(t), w, h)
			screenTour(t, d, func(name string) {
				checkFits(t, name, d.m.View(), w, h)
			})
		})
	}
}

func TestResizeWhileOpenKeepsTheLayout(t *testing.T) {
	d := newDriver(t, fullDraft(t), 100, 30)
	d.openApp()
	d.goToSection("Privacy")
	d.focusQuestion("pets")
	for _, size := range append(sizes, [2]int{100, 30}, [2]int{60, 16}) {
		w, h := size[0], size[1]
		d.send(tea.WindowSizeMsg{Width: w, Height: h})
		checkFits(t, "privacy section after a resize", d.m.View(), w, h)
		d.wantScreen(prompt(t, "pets"))
	}
}

func TestTooSmallTerminalShowsAMessage(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	for _, size := range [][2]int{{59, 16}, {60, 15}, {30, 10}, {10, 4}} {
		w, h := size[0], size[1]
		d := newDriver(t, s, w, h)
		checkFits(t, "too-small message", d.m.View(), w, h)
		if w >= 30 {
			flat := strings.Join(strings.Fields(d.screen()), " ")
			if want := fmt.Sprintf("pstab needs a terminal of at least %d×%d; this one is %d×%d.", minWidth, minHeight, w, h); !strings.Contains(flat, want) {
				t.Errorf("at %d×%d the screen does not say %q:\n%s", w, h, want, d.screen())
			}
		}
		d.dontWantScreen("Your apps")
		// Growing the terminal brings the screen back.
		d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		d.wantScreen("Your apps")
	}
}

func TestViewHasNoEscapeSequenceButColour(t *testing.T) {
	// With colour on, so that SGR sequences are there to be told apart from the rest.
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)

	s := fullDraft(t)
	// Hostile text from a draft: it must reach the screen as text, never as a control.
	var items []string
	for _, p := range termsafetest.Corpus() {
		if len(p.Text) < 200 {
			items = append(items, p.Text)
		}
	}
	setAnswer(t, s, appKey, "stored-data-types", questionnaire.List(items...))
	setAnswer(t, s, appKey, "security-contact", questionnaire.Text("sec\x1b]52;c;ZXZpbA==\x07@example.com"))

	d := newDriver(t, s, 120, 40)
	colour := false
	screenTour(t, d, func(name string) {
		v := d.m.View()
		if bad := termsafetest.Unsafe(v); len(bad) > 0 {
			t.Errorf("%s: the view has %d unsafe things, first: %s", name, len(bad), bad[0])
		}
		colour = colour || strings.Contains(v, "\x1b[")
	})
	if !colour {
		t.Fatal("no view had a colour sequence: the check proved nothing")
	}
	d.goToSection("Data access and storage")
	d.focusQuestion("stored-data-types")
	if v := d.m.View(); len(termsafetest.Unsafe(v)) > 0 || !strings.Contains(ansi.Strip(v), "Partner answer") {
		t.Fatalf("the hostile list is not shown as text:\n%s", ansi.Strip(v))
	}
}
