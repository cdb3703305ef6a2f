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
// alone: a adds, enter or e edits, x removes (u brings it back), alt+↑/↓ moves an item.
// While adding, enter keeps the item and starts the next, so a list is typed in one go; a
// pasted block of lines becomes one item per line.
//
// The item being typed is part of the answer at once (value), so that it is saved after
// the typing pause like any text, and on every way out: nothing typed is lost.
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

	bad     map[int]bool // items with a problem, marked ✗
	removed *removedItem // the last item x removed, for u
	notice  string       // a sentence for the wizard's status line, taken once
}

// removedItem is an item x removed, kept so that u can put it back.
type removedItem struct {
	at   int
	text string
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

// takeNotice returns the sentence the editor has for the status line, once.
func (l *listEditor) takeNotice() string { n := l.notice; l.notice = ""; return n }

func (l *listEditor) Keys() []key.Binding {
	km := l.ui.keys
	if l.editing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter twice", "done")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop adding")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep, add next")),
		}
	}
	keys := []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove}
	if l.removed != nil {
		keys = append(keys, km.Undo)
	}
	return append(keys, km.ListMove)
}

// allKeys is every key of the list, typing an item or not, for the full help.
func (l *listEditor) allKeys() []key.Binding {
	km := l.ui.keys
	return []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove, km.Undo, km.ListMove,
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter twice", "done adding")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop adding"))}
}

// value is the list as the partner sees it, the item being typed included.
func (l *listEditor) value() []string {
	if !l.editing {
		return l.items
	}
	items, _ := l.merged()
	return items
}

// merged returns the items with what is typed put in its place (an emptied item removed),
// and where the typed item is.
func (l *listEditor) merged() ([]string, int) {
	text := strings.TrimSpace(questionnaire.CleanText(l.input.Value(), false))
	items := append([]string(nil), l.items...)
	switch {
	case l.editAt < len(items) && text == "":
		return append(items[:l.editAt], items[l.editAt+1:]...), -1
	case l.editAt < len(items):
		items[l.editAt] = text
		return items, l.editAt
	case text != "":
		return append(items, text), len(items)
	}
	return items, -1
}

// finishing reports whether enter would end the list: an empty new line after at least
// one item. The wizard then moves on to the next question itself.
func (l *listEditor) finishing() bool {
	return l.editing && l.editAt >= len(l.items) && len(l.items) > 0 && strings.TrimSpace(l.input.Value()) == ""
}

func (l *listEditor) startEdit(at int) tea.Cmd {
	if at >= len(l.items) && len(l.items) >= l.q.ItemLimit() {
		l.notice = fmt.Sprintf("This list takes at most %d items; remove one with x to add another.", l.q.ItemLimit())
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
	items, at := l.merged()
	l.items = items
	if at >= 0 {
		l.cursor = at
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
	if km.Paste && strings.ContainsAny(string(km.Runes), "\n\r") {
		return l.paste(string(km.Runes))
	}
	if l.editing {
		switch km.Type {
		case tea.KeyEnter:
			adding := l.editAt >= len(l.items)
			empty := strings.TrimSpace(l.input.Value()) == ""
			l.commit()
			if adding && !empty {
				return l.startEdit(len(l.items))
			}
			return nil
		case tea.KeyEsc:
			l.commit()
			return nil
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		return cmd
	}
	keys := l.ui.keys
	switch {
	case key.Matches(km, keys.ListAdd):
		return l.startEdit(len(l.items))
	case key.Matches(km, keys.ListEdit):
		if len(l.items) == 0 {
			return l.startEdit(0)
		}
		return l.startEdit(l.cursor)
	case key.Matches(km, keys.ListRemove):
		if len(l.items) > 0 {
			l.removed = &removedItem{at: l.cursor, text: l.items[l.cursor]}
			l.items = append(l.items[:l.cursor], l.items[l.cursor+1:]...)
			l.cursor = min(l.cursor, max(0, len(l.items)-1))
			l.notice = fmt.Sprintf("Removed item %d, “%s”. Press u to put it back.", l.removed.at+1, oneLine(l.removed.text, 40))
		}
	case key.Matches(km, keys.Undo):
		if r := l.removed; r != nil {
			at := min(r.at, len(l.items))
			l.items = append(l.items[:at], append([]string{r.text}, l.items[at:]...)...)
			l.cursor, l.removed = at, nil
			l.notice = fmt.Sprintf("Put item %d back.", at+1)
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
	case key.Matches(km, keys.ListUp):
		l.cursor = max(0, l.cursor-1)
	case key.Matches(km, keys.ListDown):
		l.cursor = min(max(0, len(l.items)-1), l.cursor+1)
	}
	return nil
}

// handles reports whether a key means something to the list when no item is typed, so
// that the wizard can say when a key does nothing.
func (l *listEditor) handles(km tea.KeyMsg) bool {
	keys := l.ui.keys
	return l.editing || key.Matches(km, keys.ListAdd, keys.ListEdit, keys.ListRemove, keys.Undo, keys.ListUp, keys.ListDown, keys.ListMove)
}

// paste adds a pasted block of lines, one item per line. Pasted over an item being edited,
// the first line replaces it and the rest follow it.
func (l *listEditor) paste(text string) tea.Cmd {
	var lines []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if t := strings.TrimSpace(questionnaire.CleanText(line, false)); t != "" {
			lines = append(lines, t)
		}
	}
	if l.editing && l.editAt >= len(l.items) {
		l.commit() // keep what was typed on the new line before the paste
	}
	at := len(l.items)
	if l.editing && l.editAt < len(l.items) && len(lines) > 0 {
		l.items[l.editAt] = lines[0]
		lines, at = lines[1:], l.editAt+1
	}
	room := max(0, l.q.ItemLimit()-len(l.items))
	if len(lines) > room {
		l.notice = fmt.Sprintf("This list takes at most %d items: %d pasted lines were left out.", l.q.ItemLimit(), len(lines)-room)
		lines = lines[:room]
	}
	l.items = append(l.items[:at], append(lines, l.items[at:]...)...)
	l.cursor = max(0, at+len(lines)-1)
	l.editing = false
	return l.startEdit(len(l.items))
}

func (l *listEditor) View() string {
	st := l.ui.styles
	var b strings.Builder
	b.WriteString(fieldTitle(st, l.title, l.focused, l.width-2))
	b.WriteString("\n")
	for i, item := range l.items {
		cursor := l.focused && !l.editing && i == l.cursor
		text := truncate(fmt.Sprintf("%d. %s", i+1, item), rowWidth(l.width, l.bad[i]))
		switch {
		case l.editing && l.editAt == i:
			b.WriteString("  " + l.input.View())
		case cursor:
			b.WriteString(rowPrefix(st, true, l.bad[i]) + st.Selected.Render(text))
		default:
			b.WriteString(rowPrefix(st, false, l.bad[i]) + st.Text.Render(text))
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

// rowPrefix starts a row of a list: › at the cursor, then ✗ on an item with a problem.
func rowPrefix(st *Styles, cursor, bad bool) string {
	p := "  "
	if cursor {
		p = st.Selected.Render("› ")
	}
	if bad {
		p += st.Bad.Render("✗ ")
	}
	return p
}

// rowWidth is how much of a list row's text fits after its prefix.
func rowWidth(width int, bad bool) int {
	if bad {
		return width - 6
	}
	return width - 4
}

// frame draws a widget pstab renders itself inside the same left bar huh draws around its
// fields, so every question lines up.
func frame(st *Styles, focused bool, s string) string {
	if focused {
		return st.Huh.Focused.Base.Render(s)
	}
	return st.Huh.Blurred.Base.Render(s)
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

// oneLine shortens text typed by the partner for a sentence: one line, at most n columns.
func oneLine(s string, n int) string { return truncate(questionnaire.OneLine(s), n) }
