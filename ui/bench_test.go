package ui

import (
	"context"
	"os"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
)

// Benchmarks of what the partner feels: one keystroke in the largest section (Update, then
// View, as bubbletea does for every message; the aim is under 1 ms), and the time from
// nothing to the first frame. Run with: go test ./ui -run '^$' -bench . -benchmem
// (.ci/perf runs them with the other comparisons of the README's "Performance" section).

// largestSection returns the catalogue's section with the most questions.
func largestSection(tb testing.TB) *questionnaire.Section {
	ps, _ := catalogues(tb)
	var big *questionnaire.Section
	for _, s := range ps.Sections {
		if big == nil || len(s.Questions) > len(big.Questions) {
			big = s
		}
	}
	return big
}

// benchWizard opens, at 120×40, a draft that shows every question of the largest section
// (each follow-up revealed, lists filled), with the focus on the question focus.
func benchWizard(b testing.TB, focus string) *driver {
	b.Helper()
	s := openStore(b, "")
	createApp(b, s, appKey, "Benchmark Cloud")
	for id, v := range map[string]questionnaire.Value{
		"stores-eud":                       questionnaire.Bool(true),
		"stored-data-types":                questionnaire.List("Atlassian account IDs", "Issue keys and summaries", "Page content"),
		"processes-eud":                    questionnaire.Bool(true),
		"uses-pets":                        questionnaire.Bool(true),
		"pets":                             questionnaire.List("Pseudonymisation", "Encryption in use"),
		"gdpr-controller":                  questionnaire.Text("true"),
		"gdpr-controller-data-types":       questionnaire.List("Account IDs"),
		"gdpr-processor":                   questionnaire.Text("true"),
		"gdpr-processor-data-types":        questionnaire.List("Account IDs", "Email addresses"),
		"ccpa-business":                    questionnaire.Text("true"),
		"ccpa-business-data-types":         questionnaire.List("Account IDs"),
		"ccpa-service-provider":            questionnaire.Text("true"),
		"ccpa-service-provider-data-types": questionnaire.List("Account IDs"),
		"dpa":                              questionnaire.Text("true"),
		"dpa-link":                         questionnaire.Text("https://acme.example/dpa"),
		"eea-transfer":                     questionnaire.Bool(true),
		"eea-mechanism-in-place":           questionnaire.Bool(true),
		"eea-mechanism":                    questionnaire.Text("Standard Contractual Clauses"),
	} {
		setAnswer(b, s, appKey, id, v)
	}
	sec := largestSection(b)
	if err := s.SetResume(context.Background(), psRef(b, appKey), sec.ID, focus); err != nil {
		b.Fatal(err)
	}
	d := newDriver(b, s, 120, 40)
	d.openApp()
	w := d.m.wizard
	if got := w.cat.Sections[w.section]; got != sec {
		b.Fatalf("opened section %s, want the largest, %s", got.ID, sec.ID)
	}
	if len(w.blocks) != len(sec.Questions) {
		b.Fatalf("%d of the %d questions of %s are shown: %v", len(w.blocks), len(sec.Questions), sec.ID, shownIDs(w))
	}
	if d.focused() != focus {
		b.Fatalf("focus on %s, want %s", d.focused(), focus)
	}
	return d
}

// keystrokes measures Update plus View for keys sent in turn. The save a change starts is
// finished outside the timer, as its command would finish in the background.
func keystrokes(b *testing.B, d *driver, keys ...tea.KeyMsg) {
	b.Helper()
	w := d.m.wizard
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		d.m.Update(keys[i%len(keys)])
		_ = d.m.View()
		if w.saving {
			b.StopTimer()
			w.saving = false
			w.takePending()
			b.StartTimer()
		}
	}
}

// BenchmarkKeystroke runs each case twice: in colour (true colour, as most terminals
// report; every styled run then carries its escape sequences, which lipgloss measures and
// pads around) and plain (colour off, as the other UI tests run). Colour is the one that
// counts against the aim.
func BenchmarkKeystroke(b *testing.B) {
	for _, p := range []struct {
		name    string
		profile termenv.Profile
	}{{"colour", termenv.TrueColor}, {"plain", termenv.Ascii}} {
		b.Run(p.name, func(b *testing.B) {
			lipgloss.SetColorProfile(p.profile)
			defer lipgloss.SetColorProfile(termenv.Ascii)
			keystrokeCases(b)
		})
	}
}

func keystrokeCases(b *testing.B) {
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	// ↓ then ↑ in a select: each one changes the answer (saved at once).
	b.Run("select-down", func(b *testing.B) {
		keystrokes(b, benchWizard(b, "dpa"), down, up)
	})
	// The same in a select whose answer shows or hides a follow-up every time.
	b.Run("select-follow-up", func(b *testing.B) {
		keystrokes(b, benchWizard(b, "gdpr-processor"), down, up)
	})
	// n then y on a yes/no whose Yes shows a yes/no follow-up (and its own follow-up):
	// the answer's select is rebuilt and the follow-ups' blocks are built anew.
	b.Run("yes-no-follow-up", func(b *testing.B) {
		keystrokes(b, benchWizard(b, "eea-transfer"),
			tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'n'}}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'y'}})
	})
	// A letter then backspace in a text input (saved after the typing pause).
	b.Run("text-letter", func(b *testing.B) {
		keystrokes(b, benchWizard(b, "eea-mechanism"),
			tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'x'}}, tea.KeyMsg{Type: tea.KeyBackspace})
	})
}

// BenchmarkStartToFirstFrame measures New, Init (its command reads the app list from the
// drafts file), the first WindowSizeMsg and the first View: what stands between starting
// the program and the home screen, once the drafts file is open.
func BenchmarkStartToFirstFrame(b *testing.B) {
	s := openStore(b, "")
	createApp(b, s, appKey, "Benchmark Cloud")
	createApp(b, s, "com.example.other", "Other app")
	cfg := testConfig(b, s)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m := New(context.Background(), cfg)
		if cmd := m.Init(); cmd != nil {
			m.Update(cmd())
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if v := m.View(); len(v) == 0 {
			b.Fatal("empty first frame")
		}
	}
	b.StopTimer()
	d := newDriver(b, s, 120, 40)
	d.wantScreen("Benchmark Cloud", "Other app")
}

// BenchmarkOpenDraft measures enter on home until the wizard's first frame, in colour:
// loading the draft and building the section's widgets. With PSTAB_BENCH_FIXTURE set to
// the store benchmarks' file of 1,000 apps with 30 save points each (.ci/perf sets it),
// it also opens an app of that store (aim: under 10 ms).
func BenchmarkOpenDraft(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	b.Run("largest-section", func(b *testing.B) {
		openLoop(b, benchWizard(b, "dpa"))
	})
	b.Run("1000-apps", func(b *testing.B) {
		path := os.Getenv("PSTAB_BENCH_FIXTURE")
		if path == "" {
			b.Skip("set PSTAB_BENCH_FIXTURE to the 1,000-app store the store benchmarks build (.ci/perf does)")
		}
		d := newDriver(b, openStore(b, path), 120, 40)
		d.openApp()
		openLoop(b, d)
	})
}

// openLoop goes back home and presses enter on the same app, b.N times.
func openLoop(b *testing.B, d *driver) {
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d.m.screen = screenHome
		d.press("enter")
		_ = d.m.View()
	}
}
