package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/store"
)

// ValidateAppKey says what is wrong with an app key, or returns nil (store.ValidateAppKey).
func ValidateAppKey(s string) error { return store.ValidateAppKey(s) }

// ValidateAppName says what is wrong with an app name, or returns nil (store.ValidateAppName).
func ValidateAppName(s string) error { return store.ValidateAppName(s) }

// newAppForm asks for a new app's key and name.
type newAppForm struct {
	ui    *shared
	form  *smallForm
	first bool
	width int
	busy  bool // the app is being created
}

// appCreatedMsg reports a new app.
type appCreatedMsg struct {
	app store.App
	err error
}

func newNewAppForm(ui *shared, first bool, width int) *newAppForm {
	f := &newAppForm{ui: ui, first: first, width: width}
	f.form = newSmallForm(ui.styles, width).
		add("App key", "The key in your app descriptor or Forge manifest, e.g. com.example.app.", "", 128, false, ValidateAppKey).
		add("App name", "As it appears on the Marketplace listing.", "", 100, false, ValidateAppName)
	return f
}

func (f *newAppForm) Init() tea.Cmd { return f.form.Init() }

// SetSize fits the form to the window (it may be built before the window's size is
// known); the form is as tall as its fields.
func (f *newAppForm) SetSize(width, _ int) tea.Cmd {
	f.width = width
	f.form.SetWidth(width)
	return nil
}

// Typing is always true: every key is text for the form's fields.
func (f *newAppForm) Typing() bool { return true }

// Crumbs is empty: the form's title says what it is.
func (f *newAppForm) Crumbs() []string { return nil }

// Update returns a command and, once the app is created, an intent to open it; esc
// abandons the form.
func (f *newAppForm) Update(msg tea.Msg) (tea.Cmd, intent) {
	if km, ok := msg.(tea.KeyMsg); ok && km.Type == tea.KeyEsc {
		return nil, backIntent{}
	}
	if m, ok := msg.(appCreatedMsg); ok {
		f.busy = false
		if m.err != nil {
			f.form.done = false
			err := m.err
			if errors.Is(err, store.ErrExists) {
				err = errors.New("an app with that key already exists; open it from the list, or use another key")
			}
			f.form.fields[0].err = err
			return f.form.move(0), nil
		}
		return nil, openIntent{key: m.app.Key, title: m.app.Name}
	}
	if f.busy {
		return nil, nil
	}
	cmd := f.form.Update(msg)
	if f.form.done {
		f.busy = true
		app := store.App{Key: strings.TrimSpace(f.form.value(0)), Name: strings.TrimSpace(f.form.value(1)), Hosting: "cloud"}
		ui := f.ui
		return func() tea.Msg { return appCreatedMsg{app: app, err: ui.drafts.CreateApp(ui.ctx, app)} }, nil
	}
	return cmd, nil
}

func (f *newAppForm) View() string {
	st := f.ui.styles
	var b strings.Builder
	if f.first {
		b.WriteString(st.Title.Render("Welcome to pstab") + "\n")
		b.WriteString(st.Muted.Render(wrapText("pstab helps you fill in, keep and submit the Privacy & Security tab of your Marketplace app listings. Start with your first app.", max(20, f.width-2))) + "\n\n")
	} else {
		b.WriteString(st.Title.Render("New app") + "\n\n")
	}
	b.WriteString(f.form.View())
	return b.String()
}

func (f *newAppForm) Help() helpKeys {
	short := f.form.Help()
	return helpKeys{short: short, full: [][]key.Binding{short}}
}
