package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// listEditor edits a list of short strings (data types, locations, PETs) with the keyboard
// alone: a adds, enter or e edits, x removes, alt+↑/↓ moves an item. While adding, enter
// keeps the item and starts the next, so a list is typed in one go; a pasted block of lines
// becomes one item per line.
type listEditor struct {
	title    string
	q        *questionnaire.Question
	ui       *shared
	width    int
	items    []string
	cursor   int
	focused  bool
	editing  bool
	editAt   int // index being edited, or len(items) when adding
	input    textinput.Model
	examples []string
}

func newListEditor(title string, items []string, q *questionnaire.Question, ui *shared, width int) *listEditor {
	in := textinput.New()
	in.CharLimit = q.TextLimit()
	in.Prompt = "› "
	in.PromptStyle = ui.styles.Accent
	return &listEditor{title: title, q: q, ui: ui, width: width, items: append([]string(nil), items...),
		input: in, examples: q.Examples}
}

func (l *listEditor) Focus() tea.Cmd {
	l.focused = true
	if len(l.items) == 0 {
		return l.startEdit(0) // an empty list: start typing the first item at once
	}
	return nil
}

func (l *listEditor) Blur() tea.Cmd {
	l.commit()
	l.focused = false
	return nil
}

func (l *listEditor) Typing() bool    { return l.editing }
func (l *listEditor) Capturing() bool { return false }
func (l *listEditor) SetWidth(w int)  { l.width = w; l.input.Width = max(10, w-6) }

func (l *listEditor) Keys() []key.Binding {
	km := l.ui.keys
	if l.editing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep, add next")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter on an empty line", "done")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop adding")),
		}
	}
	return []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove,
		key.NewBinding(key.WithKeys("alt+up"), key.WithHelp("alt+↑↓", "move"))}
}

// finishing reports whether enter would end the list: an empty new line after at least
// one item. The wizard then moves on to the next question itself.
func (l *listEditor) finishing() bool {
	return l.editing && l.editAt >= len(l.items) && len(l.items) > 0 && strings.TrimSpace(l.input.Value()) == ""
}

func (l *listEditor) startEdit(at int) tea.Cmd {
	if at >= len(l.items) && len(l.items) >= l.q.ItemLimit() {
		return nil
	}
	l.editing, l.editAt = true, at
	l.input.SetValue("")
	if at < len(l.items) {
		l.input.SetValue(l.items[at])
	}
	l.input.CursorEnd()
	return l.input.Focus()
}

// commit keeps what is typed: an edited item is replaced (or removed when emptied), a new
// one appended.
func (l *listEditor) commit() {
	if !l.editing {
		return
	}
	text := strings.TrimSpace(questionnaire.CleanText(l.input.Value(), false))
	switch {
	case l.editAt < len(l.items) && text == "":
		l.items = append(l.items[:l.editAt], l.items[l.editAt+1:]...)
	case l.editAt < len(l.items):
		l.items[l.editAt] = text
	case text != "":
		l.items = append(l.items, text)
		l.cursor = len(l.items) - 1
	}
	l.editing = false
	l.input.Blur()
	l.cursor = min(l.cursor, max(0, len(l.items)-1))
}

func (l *listEditor) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if l.editing {
			var cmd tea.Cmd
			l.input, cmd = l.input.Update(msg)
			return cmd
		}
		return nil
	}
	if l.editing {
		switch {
		case km.Paste && strings.ContainsAny(string(km.Runes), "\n\r"):
			// A pasted block of lines: one item per line. Pasted over an item being edited,
			// the first line replaces it and the rest follow it.
			var lines []string
			for _, line := range strings.FieldsFunc(string(km.Runes), func(r rune) bool { return r == '\n' || r == '\r' }) {
				if t := strings.TrimSpace(questionnaire.CleanText(line, false)); t != "" {
					lines = append(lines, t)
				}
			}
			at := len(l.items)
			if l.editAt < len(l.items) && len(lines) > 0 {
				l.items[l.editAt] = lines[0]
				lines, at = lines[1:], l.editAt+1
			}
			room := max(0, l.q.ItemLimit()-len(l.items))
			lines = lines[:min(len(lines), room)]
			l.items = append(l.items[:at], append(lines, l.items[at:]...)...)
			l.cursor = max(0, at+len(lines)-1)
			return l.startEdit(len(l.items))
		case km.Type == tea.KeyEnter:
			adding := l.editAt >= len(l.items)
			empty := strings.TrimSpace(l.input.Value()) == ""
			l.commit()
			if adding && !empty {
				return l.startEdit(len(l.items))
			}
			return nil
		case km.Type == tea.KeyEsc:
			l.commit()
			return nil
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(km, l.ui.keys.ListAdd):
		return l.startEdit(len(l.items))
	case key.Matches(km, l.ui.keys.ListEdit):
		if len(l.items) == 0 {
			return l.startEdit(0)
		}
		return l.startEdit(l.cursor)
	case key.Matches(km, l.ui.keys.ListRemove):
		if len(l.items) > 0 {
			l.items = append(l.items[:l.cursor], l.items[l.cursor+1:]...)
			l.cursor = min(l.cursor, max(0, len(l.items)-1))
		}
	case km.String() == "alt+up":
		if l.cursor > 0 {
			l.items[l.cursor], l.items[l.cursor-1] = l.items[l.cursor-1], l.items[l.cursor]
			l.cursor--
		}
	case km.String() == "alt+down":
		if l.cursor < len(l.items)-1 {
			l.items[l.cursor], l.items[l.cursor+1] = l.items[l.cursor+1], l.items[l.cursor]
			l.cursor++
		}
	case key.Matches(km, l.ui.keys.ListUp):
		l.cursor = max(0, l.cursor-1)
	case key.Matches(km, l.ui.keys.ListDown):
		l.cursor = min(max(0, len(l.items)-1), l.cursor+1)
	}
	return nil
}

func (l *listEditor) View() string {
	st := l.ui.styles
	var b strings.Builder
	b.WriteString(fieldTitle(st, l.title, l.focused, l.width-2))
	b.WriteString("\n")
	for i, item := range l.items {
		switch {
		case l.editing && l.editAt == i:
			b.WriteString("  " + l.input.View())
		case l.focused && !l.editing && i == l.cursor:
			b.WriteString(st.Selected.Render("› " + fmt.Sprintf("%d. ", i+1) + truncate(item, l.width-8)))
		default:
			b.WriteString(st.Text.Render("  " + fmt.Sprintf("%d. ", i+1) + truncate(item, l.width-8)))
		}
		b.WriteString("\n")
	}
	if l.editing && l.editAt >= len(l.items) {
		b.WriteString("  " + l.input.View() + "\n")
	}
	if len(l.items) == 0 && !l.editing {
		hint := "No items yet."
		if l.focused {
			hint += " Press a to add one."
		}
		b.WriteString(st.Faint.Render("  "+hint) + "\n")
	}
	if l.focused && len(l.examples) > 0 && len(l.items) == 0 {
		b.WriteString(st.Faint.Render(indent(wrapText("e.g. "+strings.Join(l.examples, ", "), l.width-6), "  ")) + "\n")
	}
	return frame(st, l.focused, strings.TrimRight(b.String(), "\n"))
}

// frame draws a widget pstab renders itself inside the same left bar huh draws around its
// fields, so every question lines up.
func frame(st *Styles, focused bool, s string) string {
	if focused {
		return st.Huh.Focused.Base.Render(s)
	}
	return st.Huh.Blurred.Base.Render(s)
}

// entityEditor edits a list of records (sub-processors) with the keyboard alone: a adds a
// record through a small form, enter or e edits the selected one, x removes it after a
// y/n question. Keys the catalogue does not know are kept on every record.
type entityEditor struct {
	title   string
	q       *questionnaire.Question
	ui      *shared
	width   int
	items   []questionnaire.Entity
	cursor  int
	focused bool

	form      []textinput.Model // one input per field while the form is open
	formAt    int               // record being edited, or len(items) when adding
	formFocus int
	formOpen  bool
	formError string
	removing  bool
}

func newEntityEditor(title string, items []questionnaire.Entity, q *questionnaire.Question, ui *shared, width int) *entityEditor {
	e := &entityEditor{title: title, q: q, ui: ui, width: width}
	for _, it := range items {
		e.items = append(e.items, it.Clone())
	}
	return e
}

func (e *entityEditor) Focus() tea.Cmd  { e.focused = true; return nil }
func (e *entityEditor) Blur() tea.Cmd   { e.focused = false; e.removing = false; return nil }
func (e *entityEditor) Typing() bool    { return e.formOpen }
func (e *entityEditor) Capturing() bool { return e.formOpen || e.removing }
func (e *entityEditor) SetWidth(w int) {
	e.width = w
	for i := range e.form {
		e.form[i].Width = max(10, w-20)
	}
}

func (e *entityEditor) Keys() []key.Binding {
	switch {
	case e.formOpen:
		return []key.Binding{
			key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/enter", "next field")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter on last", "keep")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	case e.removing:
		return []key.Binding{e.ui.keys.Yes, e.ui.keys.No}
	}
	km := e.ui.keys
	return []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove}
}

func (e *entityEditor) openForm(at int) tea.Cmd {
	if at >= len(e.items) && len(e.items) >= e.q.ItemLimit() {
		return nil
	}
	e.form = make([]textinput.Model, len(e.q.Fields))
	var cur questionnaire.Entity
	if at < len(e.items) {
		cur = e.items[at]
	}
	for i, f := range e.q.Fields {
		in := textinput.New()
		in.Prompt = ""
		in.Width = max(10, e.width-20)
		in.CharLimit = questionnaire.DefaultTextLimit
		if f.Kind == questionnaire.KindURL {
			in.Placeholder = "https://"
			in.CharLimit = 2048
		}
		if f.Kind == questionnaire.KindList {
			in.Placeholder = "comma-separated, e.g. United States, Ireland"
			in.SetValue(strings.Join(cur.Fields[f.Key].List, ", "))
		} else {
			in.SetValue(cur.Fields[f.Key].Text)
		}
		e.form[i] = in
	}
	e.formOpen, e.formAt, e.formFocus, e.formError = true, at, 0, ""
	return e.form[0].Focus()
}

// keepForm stores the form as a record, keeping the record's unknown keys.
func (e *entityEditor) keepForm() {
	var ent questionnaire.Entity
	if e.formAt < len(e.items) {
		ent = e.items[e.formAt].Clone()
	}
	ent.Fields = map[string]questionnaire.Value{}
	empty := true
	for i, f := range e.q.Fields {
		text := strings.TrimSpace(questionnaire.CleanText(e.form[i].Value(), false))
		if text == "" {
			continue
		}
		empty = false
		if f.Kind == questionnaire.KindList {
			var list []string
			for _, part := range strings.Split(text, ",") {
				if p := strings.TrimSpace(part); p != "" {
					list = append(list, p)
				}
			}
			ent.Fields[f.Key] = questionnaire.List(list...)
			continue
		}
		ent.Fields[f.Key] = questionnaire.Text(text)
	}
	e.formOpen = false
	if empty {
		return
	}
	if e.formAt < len(e.items) {
		e.items[e.formAt] = ent
	} else {
		e.items = append(e.items, ent)
		e.cursor = len(e.items) - 1
	}
}

func (e *entityEditor) Update(msg tea.Msg) tea.Cmd {
	km, isKey := msg.(tea.KeyMsg)
	if e.formOpen {
		if !isKey {
			var cmd tea.Cmd
			e.form[e.formFocus], cmd = e.form[e.formFocus].Update(msg)
			return cmd
		}
		switch km.String() {
		case "esc":
			e.formOpen = false
			return nil
		case "tab", "down":
			return e.moveForm(1)
		case "shift+tab", "up":
			return e.moveForm(-1)
		case "enter":
			if e.formFocus == len(e.form)-1 {
				e.keepForm()
				return nil
			}
			return e.moveForm(1)
		}
		var cmd tea.Cmd
		e.form[e.formFocus], cmd = e.form[e.formFocus].Update(msg)
		return cmd
	}
	if !isKey {
		return nil
	}
	if e.removing {
		switch {
		case key.Matches(km, e.ui.keys.Yes):
			if len(e.items) > 0 {
				e.items = append(e.items[:e.cursor], e.items[e.cursor+1:]...)
				e.cursor = min(e.cursor, max(0, len(e.items)-1))
			}
			e.removing = false
		case key.Matches(km, e.ui.keys.No):
			e.removing = false
		}
		return nil
	}
	switch {
	case key.Matches(km, e.ui.keys.ListAdd):
		return e.openForm(len(e.items))
	case key.Matches(km, e.ui.keys.ListEdit):
		return e.openForm(min(e.cursor, len(e.items)))
	case key.Matches(km, e.ui.keys.ListRemove):
		e.removing = len(e.items) > 0
	case key.Matches(km, e.ui.keys.ListUp):
		e.cursor = max(0, e.cursor-1)
	case key.Matches(km, e.ui.keys.ListDown):
		e.cursor = min(max(0, len(e.items)-1), e.cursor+1)
	}
	return nil
}

func (e *entityEditor) moveForm(d int) tea.Cmd {
	e.form[e.formFocus].Blur()
	e.formFocus = (e.formFocus + d + len(e.form)) % len(e.form)
	return e.form[e.formFocus].Focus()
}

func (e *entityEditor) name(ent questionnaire.Entity) string {
	if n := ent.Fields[e.q.Fields[0].Key].Text; n != "" {
		return n
	}
	return "(no " + strings.ToLower(e.q.Fields[0].Label) + ")"
}

func (e *entityEditor) View() string {
	st := e.ui.styles
	var b strings.Builder
	b.WriteString(fieldTitle(st, e.title, e.focused, e.width-2) + "\n")
	for i, ent := range e.items {
		var parts []string
		for _, f := range e.q.Fields[1:] {
			fv := ent.Fields[f.Key]
			if s := strings.Join(append([]string{fv.Text}, fv.List...), ", "); strings.Trim(s, ", ") != "" {
				parts = append(parts, strings.Trim(s, ", "))
			}
		}
		line := fmt.Sprintf("%d. %s", i+1, e.name(ent))
		if len(parts) > 0 {
			line += " — " + strings.Join(parts, " — ")
		}
		line = truncate(line, e.width-4)
		if e.focused && i == e.cursor && !e.formOpen {
			b.WriteString(st.Selected.Render("› "+line) + "\n")
		} else {
			b.WriteString(st.Text.Render("  "+line) + "\n")
		}
	}
	if len(e.items) == 0 && !e.formOpen {
		hint := "None listed yet."
		if e.focused {
			hint += " Press a to add one."
		}
		b.WriteString(st.Faint.Render("  "+hint) + "\n")
	}
	if e.removing && e.cursor < len(e.items) {
		b.WriteString(st.Warn.Render(fmt.Sprintf("  Remove %s? y/n", e.name(e.items[e.cursor]))) + "\n")
	}
	if e.formOpen {
		verb := "New entry"
		if e.formAt < len(e.items) {
			verb = fmt.Sprintf("Entry %d", e.formAt+1)
		}
		b.WriteString(st.Accent.Render("  "+verb) + "\n")
		labelW := 0
		for _, f := range e.q.Fields {
			labelW = max(labelW, len(f.Label))
		}
		for i, f := range e.q.Fields {
			label := fmt.Sprintf("%-*s", labelW, f.Label)
			if !f.Required {
				label = fmt.Sprintf("%-*s", labelW, f.Label)
			}
			mark := "  "
			style := st.Muted
			if i == e.formFocus {
				mark, style = "› ", st.Accent
			}
			b.WriteString("  " + style.Render(mark+label) + "  " + e.form[i].View() + "\n")
		}
		f := e.q.Fields[e.formFocus]
		help := f.Help
		if f.Required {
			help += " Required."
		}
		b.WriteString(st.Faint.Render(wrapText("    "+help, e.width-2)) + "\n")
	}
	return frame(st, e.focused, strings.TrimRight(b.String(), "\n"))
}

// fieldTitle renders a question's title the way huh renders a field's, for the widgets
// pstab draws itself.
func fieldTitle(st *Styles, title string, focused bool, width int) string {
	t := st.Huh.Blurred.Title
	if focused {
		t = st.Huh.Focused.Title
	}
	return t.Render(wrapText(title, width))
}
