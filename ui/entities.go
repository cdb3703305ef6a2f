package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// entityEditor edits a list of records (sub-processors) with the keyboard alone: a adds a
// record through a small form, enter or e edits the selected one, x removes it after a
// y/N question (u puts it back). Lines pasted outside the form become records, one per
// line, with fields separated by tabs (as copied from a spreadsheet) or by |. Keys the
// catalogue does not know are kept on every record.
//
// The record in the form is part of the answer while it is typed (value), so that it is
// saved after the typing pause and on every way out; esc closes the form keeping what
// was typed. Each field is checked when it is left, in the engine's words.
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
	formErr   map[string]string // field key -> its problem, once the field was left

	removing bool
	removed  *removedEntity   // the last record x removed, for u
	bad      map[int][]string // record index -> its problems, in Check's order
	notice   string           // a sentence for the wizard's status line, taken once
}

type removedEntity struct {
	at  int
	ent questionnaire.Entity
}

func newEntityEditor(title string, items []questionnaire.Entity, q *questionnaire.Question, ui *shared, width int) *entityEditor {
	e := &entityEditor{title: title, q: q, ui: ui, width: width}
	for _, it := range items {
		e.items = append(e.items, it.Clone())
	}
	return e
}

func (e *entityEditor) Focus() tea.Cmd { e.focused = true; return nil }

// Blur closes the form keeping what was typed, and drops a pending remove question.
func (e *entityEditor) Blur() tea.Cmd {
	if e.formOpen {
		e.keepForm()
	}
	e.focused, e.removing = false, false
	return nil
}

func (e *entityEditor) Typing() bool    { return e.formOpen }
func (e *entityEditor) Capturing() bool { return e.formOpen || e.removing }
func (e *entityEditor) SetWidth(w int) {
	e.width = w
	for i := range e.form {
		e.form[i].Width = max(10, w-20)
	}
}

// takeNotice returns the sentence the editor has for the status line, once.
func (e *entityEditor) takeNotice() string { n := e.notice; e.notice = ""; return n }

func (e *entityEditor) Keys() []key.Binding {
	switch {
	case e.formOpen:
		return []key.Binding{
			key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter on last", "keep")),
		}
	case e.removing:
		return []key.Binding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "remove")), key.NewBinding(key.WithKeys("n"), key.WithHelp("n/any key", "keep"))}
	}
	km := e.ui.keys
	keys := []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove}
	if e.removed != nil {
		keys = append(keys, km.Undo)
	}
	return keys
}

// allKeys is every key of the records, in the form or not, for the full help.
func (e *entityEditor) allKeys() []key.Binding {
	km := e.ui.keys
	return []key.Binding{km.ListAdd, km.ListEdit, km.ListRemove, km.Undo,
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close the form"))}
}

// value is the records as the partner sees them, the one in the form included.
func (e *entityEditor) value() []questionnaire.Entity {
	if !e.formOpen {
		return e.items
	}
	ent, empty := e.formEntity()
	items := append([]questionnaire.Entity(nil), e.items...)
	switch {
	case e.formAt < len(items):
		items[e.formAt] = ent
	case !empty:
		items = append(items, ent)
	}
	return items
}

func (e *entityEditor) openForm(at int, field string) tea.Cmd {
	if at >= len(e.items) && len(e.items) >= e.q.ItemLimit() {
		e.notice = fmt.Sprintf("This list takes at most %d entries; remove one with x to add another.", e.q.ItemLimit())
		return nil
	}
	e.form = make([]textinput.Model, len(e.q.Fields))
	var cur questionnaire.Entity
	if at < len(e.items) {
		cur = e.items[at]
	}
	focus := 0
	for i, f := range e.q.Fields {
		in := textinput.New()
		in.Prompt = ""
		in.Width = max(10, e.width-20)
		in.CharLimit = questionnaire.DefaultTextLimit
		if f.Kind == questionnaire.KindURL {
			in.Placeholder = "e.g. https://example.com/privacy"
			in.CharLimit = 2048
		}
		if f.Kind == questionnaire.KindList {
			in.Placeholder = "e.g. United States, Ireland (commas between)"
			in.SetValue(strings.Join(cur.Fields[f.Key].List, ", "))
		} else {
			in.SetValue(cur.Fields[f.Key].Text)
		}
		if f.Key == field || f.ID == field {
			focus = i
		}
		e.form[i] = in
	}
	e.formOpen, e.formAt, e.formFocus, e.formErr = true, at, focus, map[string]string{}
	if at < len(e.items) {
		// Editing a record with problems: say each at once, as its fields were left before.
		for i := range e.form {
			e.checkField(i)
		}
	}
	return e.form[focus].Focus()
}

// formEntity is the record the form holds, keeping the record's unknown keys, and whether
// every field is empty.
func (e *entityEditor) formEntity() (questionnaire.Entity, bool) {
	var ent questionnaire.Entity
	if e.formAt < len(e.items) {
		ent = e.items[e.formAt].Clone()
	}
	ent.Fields = map[string]questionnaire.Value{}
	empty := true
	for i, f := range e.q.Fields {
		if v := fieldValue(f, e.form[i].Value()); !v.IsEmpty() {
			ent.Fields[f.Key] = v
			empty = false
		}
	}
	return ent, empty
}

// fieldValue reads one field as typed: a list field's items are separated by commas.
func fieldValue(f questionnaire.Field, typed string) questionnaire.Value {
	text := strings.TrimSpace(questionnaire.CleanText(typed, false))
	if text == "" {
		return questionnaire.Value{}
	}
	if f.Kind != questionnaire.KindList {
		return questionnaire.Text(text)
	}
	var list []string
	for _, part := range strings.Split(text, ",") {
		if p := strings.TrimSpace(part); p != "" {
			list = append(list, p)
		}
	}
	return questionnaire.List(list...)
}

// keepForm closes the form and keeps its record, unless every field is empty.
func (e *entityEditor) keepForm() {
	ent, empty := e.formEntity()
	e.formOpen = false
	switch {
	case e.formAt < len(e.items):
		e.items[e.formAt] = ent
	case !empty:
		e.items = append(e.items, ent)
		e.cursor = len(e.items) - 1
	}
}

// checkField checks field i of the record in the form, with the records before it, and
// keeps its first problem in the engine's words.
func (e *entityEditor) checkField(i int) {
	f := e.q.Fields[i]
	delete(e.formErr, f.Key)
	for _, p := range e.q.Check(questionnaire.Value{Entities: e.value()}) {
		if p.Item == e.formAt && p.Field == f.Key {
			e.formErr[f.Key] = p.Message
			return
		}
	}
}

func (e *entityEditor) Update(msg tea.Msg) tea.Cmd {
	km, isKey := msg.(tea.KeyMsg)
	if isKey && km.Paste && strings.ContainsAny(string(km.Runes), "\n\r") {
		return e.paste(string(km.Runes))
	}
	if e.formOpen {
		return e.formKey(msg)
	}
	if !isKey {
		return nil
	}
	keys := e.ui.keys
	if e.removing {
		e.removing = false
		if key.Matches(km, keys.Yes) && e.cursor < len(e.items) {
			e.removed = &removedEntity{at: e.cursor, ent: e.items[e.cursor]}
			e.items = append(e.items[:e.cursor], e.items[e.cursor+1:]...)
			e.cursor = min(e.cursor, max(0, len(e.items)-1))
			e.notice = fmt.Sprintf("Removed entry %d, %s. Press u to put it back.", e.removed.at+1, e.name(e.removed.ent))
			return nil
		}
		e.notice = fmt.Sprintf("Kept entry %d; nothing was removed.", e.cursor+1)
		return nil
	}
	switch {
	case key.Matches(km, keys.ListAdd):
		return e.openForm(len(e.items), "")
	case key.Matches(km, keys.ListEdit):
		return e.openForm(min(e.cursor, len(e.items)), "")
	case key.Matches(km, keys.ListRemove):
		e.removing = len(e.items) > 0
	case key.Matches(km, keys.Undo):
		if r := e.removed; r != nil {
			at := min(r.at, len(e.items))
			e.items = append(e.items[:at], append([]questionnaire.Entity{r.ent}, e.items[at:]...)...)
			e.cursor, e.removed = at, nil
			e.notice = fmt.Sprintf("Put entry %d back.", at+1)
		}
	case key.Matches(km, keys.ListUp):
		e.cursor = max(0, e.cursor-1)
	case key.Matches(km, keys.ListDown):
		e.cursor = min(max(0, len(e.items)-1), e.cursor+1)
	}
	return nil
}

// formKey handles a message while the form is open: tab, enter and shift+tab move between
// fields (checking the one left), enter on the last keeps the record, esc closes the form
// keeping what was typed.
func (e *entityEditor) formKey(msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyMsg); ok {
		switch km.String() {
		case "esc":
			e.checkField(e.formFocus)
			e.keepForm()
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
	}
	var cmd tea.Cmd
	e.form[e.formFocus], cmd = e.form[e.formFocus].Update(msg)
	if _, shown := e.formErr[e.q.Fields[e.formFocus].Key]; shown {
		e.checkField(e.formFocus) // once shown, a problem follows the typing
	}
	return cmd
}

func (e *entityEditor) moveForm(d int) tea.Cmd {
	e.checkField(e.formFocus)
	e.form[e.formFocus].Blur()
	e.formFocus = (e.formFocus + d + len(e.form)) % len(e.form)
	return e.form[e.formFocus].Focus()
}

// handles reports whether a key means something to the records when the form is closed,
// so that the wizard can say when a key does nothing.
func (e *entityEditor) handles(km tea.KeyMsg) bool {
	keys := e.ui.keys
	return e.Capturing() || key.Matches(km, keys.ListAdd, keys.ListEdit, keys.ListRemove, keys.Undo, keys.ListUp, keys.ListDown)
}

// focusItem puts the cursor on record i and, for a field's problem, opens the record's
// form on that field (a jump from the review checklist).
func (e *entityEditor) focusItem(i int, field string) tea.Cmd {
	if i < 0 || i >= len(e.items) {
		return nil
	}
	e.cursor = i
	if field == "" {
		return nil
	}
	return e.openForm(i, field)
}

// paste adds one record per pasted line. A line's fields, in the form's order, are
// separated by tabs or by |; a line with neither is a name.
func (e *entityEditor) paste(text string) tea.Cmd {
	if e.formOpen {
		e.keepForm()
	}
	added := 0
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.TrimSpace(questionnaire.CleanText(line, false)) == "" {
			continue
		}
		if len(e.items) >= e.q.ItemLimit() {
			e.notice = fmt.Sprintf("This list takes at most %d entries: the rest of the paste was left out.", e.q.ItemLimit())
			break
		}
		sep := "|"
		if strings.Contains(line, "\t") {
			sep = "\t"
		}
		ent := questionnaire.Entity{Fields: map[string]questionnaire.Value{}}
		for i, part := range strings.SplitN(line, sep, len(e.q.Fields)) {
			if v := fieldValue(e.q.Fields[i], part); !v.IsEmpty() {
				ent.Fields[e.q.Fields[i].Key] = v
			}
		}
		e.items = append(e.items, ent)
		added++
	}
	if added > 0 {
		e.cursor = len(e.items) - 1
		if e.notice == "" {
			e.notice = fmt.Sprintf("Added %s from the paste; e edits one, x removes one.", questionnaire.Plural(added, "entry"))
		}
	}
	return nil
}

func (e *entityEditor) name(ent questionnaire.Entity) string {
	if n := ent.Fields[e.q.Fields[0].Key].Text; n != "" {
		return "“" + oneLine(n, 40) + "”"
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
		name := ent.Fields[e.q.Fields[0].Key].Text
		if name == "" {
			name = e.name(ent)
		}
		line := fmt.Sprintf("%d. %s", i+1, name)
		if len(parts) > 0 {
			line += " — " + strings.Join(parts, " — ")
		}
		_, bad := e.bad[i]
		line = truncate(line, rowWidth(e.width, bad))
		if e.focused && i == e.cursor && !e.formOpen {
			b.WriteString(rowPrefix(st, true, bad) + st.Selected.Render(line) + "\n")
		} else {
			b.WriteString(rowPrefix(st, false, bad) + st.Text.Render(line) + "\n")
		}
	}
	if len(e.items) == 0 && !e.formOpen {
		hint := "None listed yet."
		if e.focused {
			hint += " Press a to add one."
		}
		b.WriteString(st.Faint.Render("  "+hint) + "\n")
	}
	switch {
	case e.removing && e.cursor < len(e.items):
		b.WriteString(st.Warn.Render(wrapText(fmt.Sprintf("  Remove entry %d, %s? y/N", e.cursor+1, e.name(e.items[e.cursor])), e.width-2)) + "\n")
	case e.formOpen:
		b.WriteString(e.formView())
	case e.focused && e.cursor < len(e.items) && len(e.bad[e.cursor]) > 0:
		// The first problem in full; the entry's form says each field's own.
		msg := e.bad[e.cursor][0]
		if more := len(e.bad[e.cursor]) - 1; more > 0 {
			msg += fmt.Sprintf(" (%d more %s: e opens the entry, where each field says its own.)", more, questionnaire.PluralWord(more, "problem", "problems"))
		}
		b.WriteString(st.Bad.Render(indent(wrapText("✗ "+msg, e.width-6), "    ")) + "\n")
	}
	return frame(st, e.focused, strings.TrimRight(b.String(), "\n"))
}

// formView draws the open form: a line per field, then the focused field's help and its
// problem, or the first problem of a field already left.
func (e *entityEditor) formView() string {
	st := e.ui.styles
	var b strings.Builder
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
		mark, style := "  ", st.Muted
		if i == e.formFocus {
			mark, style = "› ", st.Accent
		}
		bad := "  "
		if _, ok := e.formErr[f.Key]; ok {
			bad = st.Bad.Render("✗ ")
		}
		b.WriteString("  " + style.Render(mark+fmt.Sprintf("%-*s", labelW, f.Label)) + bad + e.form[i].View() + "\n")
	}
	bad := func(msg string) { b.WriteString(st.Bad.Render(indent(wrapText("✗ "+msg, e.width-6), "    ")) + "\n") }
	f := e.q.Fields[e.formFocus]
	if msg := e.formErr[f.Key]; msg != "" {
		bad(msg)
	} else {
		help := f.Help
		if f.Required {
			help += " Required."
		}
		b.WriteString(st.Faint.Render(indent(wrapText(help, e.width-6), "    ")) + "\n")
	}
	// The problems of the fields already left stay said, under the focused field's.
	for i, other := range e.q.Fields {
		if msg := e.formErr[other.Key]; i != e.formFocus && msg != "" {
			bad(msg)
		}
	}
	return b.String()
}
