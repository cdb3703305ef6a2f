package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/pstab/pstab/questionnaire"
)

// formField is one line of a small form.
type formField struct {
	title    string
	desc     string
	input    textinput.Model
	validate func(string) error
	err      error
}

// smallForm is a few one-line inputs (a new app's key and name, credentials). Unlike a
// huh.Form it moves focus in Update itself, so keys typed right after enter land in the
// next field, not the last one. enter moves on only from a valid field; tab and
// shift+tab always move, so no one is trapped; every field is checked on submit.
type smallForm struct {
	st     *Styles
	fields []*formField
	focus  int
	width  int
	done   bool
}

func newSmallForm(st *Styles, width int) *smallForm { return &smallForm{st: st, width: width} }

// add appends a field; validate may be nil.
func (f *smallForm) add(title, desc, value string, limit int, password bool, validate func(string) error) *smallForm {
	in := textinput.New()
	in.Prompt = "> "
	in.PromptStyle = f.st.Accent
	in.CharLimit = limit
	in.Width = max(10, min(f.width, 72)-7)
	in.SetValue(value)
	if password {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	f.fields = append(f.fields, &formField{title: title, desc: desc, input: in, validate: validate})
	return f
}

func (f *smallForm) value(i int) string { return f.fields[i].input.Value() }

// SetWidth fits the form to width columns.
func (f *smallForm) SetWidth(width int) {
	f.width = width
	for _, fl := range f.fields {
		fl.input.Width = max(10, min(width, 72)-7)
	}
}

// Init focuses the first field.
func (f *smallForm) Init() tea.Cmd {
	f.focus = 0
	return f.fields[0].input.Focus()
}

func (f *smallForm) check(i int) bool {
	fl := f.fields[i]
	fl.err = nil
	if fl.validate != nil {
		fl.err = fl.validate(strings.TrimSpace(fl.input.Value()))
	}
	return fl.err == nil
}

func (f *smallForm) move(to int) tea.Cmd {
	f.check(f.focus)
	f.fields[f.focus].input.Blur()
	f.focus = (to + len(f.fields)) % len(f.fields)
	return f.fields[f.focus].input.Focus()
}

// Update handles a message; done is set once every field is valid and the partner
// pressed enter on the last one.
func (f *smallForm) Update(msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyMsg); ok {
		switch km.Type {
		case tea.KeyTab, tea.KeyDown:
			return f.move(f.focus + 1)
		case tea.KeyShiftTab, tea.KeyUp:
			return f.move(f.focus - 1)
		case tea.KeyEnter:
			// enter moves on only from a valid field (tab always moves: no one is trapped).
			if !f.check(f.focus) {
				return nil
			}
			if f.focus < len(f.fields)-1 {
				return f.move(f.focus + 1)
			}
			for i := range f.fields {
				if !f.check(i) {
					return f.move(i)
				}
			}
			f.done = true
			return nil
		}
	}
	var cmd tea.Cmd
	f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	if f.fields[f.focus].err != nil {
		f.check(f.focus) // once shown, a problem follows the typing
	}
	return cmd
}

func (f *smallForm) View() string {
	st := f.st
	var b strings.Builder
	width := max(20, min(f.width, 80))
	for i, fl := range f.fields {
		focused := i == f.focus
		var block strings.Builder
		title := st.Huh.Blurred.Title
		if focused {
			title = st.Huh.Focused.Title
		}
		block.WriteString(title.Render(fl.title) + "\n")
		if fl.desc != "" {
			block.WriteString(st.Muted.Render(wrapText(fl.desc, width-2)) + "\n")
		}
		block.WriteString(fl.input.View())
		if fl.err != nil {
			block.WriteString("\n" + st.Bad.Render(wrapText("✗ "+questionnaire.Sentence(fl.err.Error()), width-2)))
		}
		b.WriteString(frame(st, focused, block.String()))
		if i < len(f.fields)-1 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

func (f *smallForm) Help() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
