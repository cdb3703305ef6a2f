package ui

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/render"
)

func init() {
	// Colour off, so that screens are the same on every machine (teatest goldens are
	// compared as text; a colour profile would differ between terminals), and times
	// shown as 15:04:05 are the same in every time zone.
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC
}

// testNow is the moment every test clock starts at.
var testNow = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// catalogues returns the built-in questionnaires.
func catalogues(tb testing.TB) (ps, sa *questionnaire.Catalogue) {
	tb.Helper()
	cats, err := embedded.Catalogues()
	ps, sa = cats.PrivacySecurity, cats.SelfAssessment
	if err != nil {
		tb.Fatal(err)
	}
	return ps, sa
}

// openStore opens a drafts file in a temporary folder, with a clock that stands still at
// testNow so that "changed" columns do not move.
func openStore(tb testing.TB, path string) *store.Store {
	tb.Helper()
	ps, sa := catalogues(tb)
	if path == "" {
		path = filepath.Join(tb.TempDir(), "pstab.db")
	}
	s, err := store.Open(context.Background(), path, store.Options{
		Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa},
		Now:        func() time.Time { return testNow },
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// createApp adds an app to the store, as `pstab new` would.
func createApp(tb testing.TB, s *store.Store, key, name string) {
	tb.Helper()
	if err := s.CreateApp(context.Background(), store.App{Key: key, Name: name, Hosting: "cloud"}); err != nil {
		tb.Fatal(err)
	}
}

// psRef is the Privacy & Security draft of an app.
func psRef(tb testing.TB, key string) store.DraftRef {
	ps, _ := catalogues(tb)
	return store.DraftRef{Subject: key, Questionnaire: ps.ID}
}

// setAnswer saves one answer straight into the store.
func setAnswer(tb testing.TB, s *store.Store, key, id string, v questionnaire.Value) {
	tb.Helper()
	if _, err := s.SaveAnswer(context.Background(), psRef(tb, key), id, v, store.AnyVersion); err != nil {
		tb.Fatal(err)
	}
}

// savedAnswer reads one answer back from the store.
func savedAnswer(tb testing.TB, s *store.Store, key, id string) (questionnaire.Value, bool) {
	tb.Helper()
	d, err := s.Load(context.Background(), psRef(tb, key))
	if err != nil {
		tb.Fatal(err)
	}
	return d.Answers.Get(id)
}

// testConfig is the TUI's configuration in tests: colour off, plain preview, frozen time.
func testConfig(tb testing.TB, s *store.Store) Config {
	ps, sa := catalogues(tb)
	return Config{
		Drafts: s, Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa},
		Style: render.Plain, Profile: termenv.Ascii,
		Now: func() time.Time { return testNow },
	}
}

// driver runs the root model without a terminal: it calls Update and View directly, runs
// the commands Update returns and feeds their messages back, the way tea.Program would but
// on the test's goroutine and in a fixed order, as huh's own tests drive its forms.
type driver struct {
	tb    testing.TB
	m     *Model
	s     *store.Store // the drafts file the model works on
	quit  bool         // a command returned tea.QuitMsg
	steps int
}

// newDriver builds the model on s, runs Init and gives it a window of width × height.
func newDriver(tb testing.TB, s *store.Store, width, height int) *driver {
	tb.Helper()
	d := &driver{tb: tb, s: s, m: New(context.Background(), testConfig(tb, s))}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	return d
}

// send gives the model one message and runs everything that follows from it.
func (d *driver) send(msg tea.Msg) {
	d.tb.Helper()
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// run executes a command and feeds its messages back to the model, recursively. Batches
// run one command after another; a sequence runs in order. Timers (tea.Tick, cursor
// blinks) are dropped without waiting: tests send the tick messages they need themselves.
func (d *driver) run(cmd tea.Cmd) {
	d.tb.Helper()
	if cmd == nil {
		return
	}
	if d.steps++; d.steps > 10000 {
		d.tb.Fatal("the model keeps returning commands: more than 10000 steps")
	}
	msg, ok := call(d.tb, cmd)
	if !ok {
		return
	}
	switch msg := msg.(type) {
	case nil:
		return
	case tea.QuitMsg:
		d.quit = true
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	}
	if cmds, ok := sequence(msg); ok {
		for _, c := range cmds {
			d.run(c)
		}
		return
	}
	d.send(msg)
}

// timerFuncs name the commands that only wait: they never return quickly, and a test
// gains nothing from waiting for them.
var timerFuncs = []string{
	"bubbletea.Tick.", "bubbletea.Every.", "cursor.(*Model).BlinkCmd.",
}

// callTimeout bounds any other command: SQLite writes and glamour renders take
// milliseconds, even under the race detector on a small CI machine.
const callTimeout = 5 * time.Second

// call runs one command, unless it is a timer; a command that does not return within
// callTimeout is dropped and logged.
func call(tb testing.TB, cmd tea.Cmd) (tea.Msg, bool) {
	tb.Helper()
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, t := range timerFuncs {
		if strings.Contains(name, t) {
			return nil, false
		}
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		return msg, true
	case <-time.After(callTimeout):
		tb.Logf("dropped a command that did not return within %v: %s", callTimeout, name)
		return nil, false
	}
}

// sequence unwraps tea.Sequence's unexported message, a slice of commands.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Name() != "sequenceMsg" || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// press sends keys by name: "enter", "tab", "shift+tab", "esc", "up", "down", "pgdown",
// "ctrl+c", "ctrl+s", "ctrl+r", "alt+p"; any other string is typed as runes.
func (d *driver) press(keys ...string) {
	d.tb.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types s as one burst of runes, as a terminal delivers a typed or pasted word.
func (d *driver) typeText(s string) {
	d.tb.Helper()
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEsc,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "backspace": tea.KeyBackspace,
	"ctrl+c": tea.KeyCtrlC, "ctrl+s": tea.KeyCtrlS, "ctrl+r": tea.KeyCtrlR, "ctrl+z": tea.KeyCtrlZ,
}

func keyMsg(k string) tea.KeyMsg {
	if t, ok := namedKeys[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	if rest, ok := strings.CutPrefix(k, "alt+"); ok {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(rest), Alt: true}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// screen is the frame as the partner reads it: the view without colour codes.
func (d *driver) screen() string { return ansi.Strip(d.m.View()) }

// wantScreen fails unless the screen contains every one of the texts.
func (d *driver) wantScreen(texts ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, t := range texts {
		if !strings.Contains(s, t) {
			d.tb.Fatalf("the screen does not show %q:\n%s", t, s)
		}
	}
}

// dontWantScreen fails if the screen contains any of the texts.
func (d *driver) dontWantScreen(texts ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, t := range texts {
		if strings.Contains(s, t) {
			d.tb.Fatalf("the screen shows %q and should not:\n%s", t, s)
		}
	}
}

// focused returns the ID of the question that has the focus in the wizard.
func (d *driver) focused() string {
	d.tb.Helper()
	if d.m.screen != screenWizard {
		d.tb.Fatalf("not in the wizard (screen %d):\n%s", d.m.screen, d.screen())
	}
	b := d.m.wizard.current()
	if b == nil {
		return ""
	}
	return b.q.ID
}

// focusQuestion tabs through the wizard until the question with the given ID has the
// focus; it fails after a full pass.
func (d *driver) focusQuestion(id string) {
	d.tb.Helper()
	for range 200 {
		if d.focused() == id {
			return
		}
		d.press("tab")
	}
	d.tb.Fatalf("never reached question %s:\n%s", id, d.screen())
}

// openApp opens the app at the cursor on home and checks the wizard opened.
func (d *driver) openApp() {
	d.tb.Helper()
	d.press("enter")
	if d.m.screen != screenWizard {
		d.tb.Fatalf("enter on home did not open the wizard:\n%s", d.screen())
	}
}

// flushTyping fires the typing pause the wizard scheduled, as tea.Tick would.
func (d *driver) flushTyping() {
	d.tb.Helper()
	d.send(saveTickMsg{seq: d.m.wizard.saveSeq})
}
