package ui

import (
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pstab/pstab/questionnaire"
)

// widget is one focusable input on screen. A question is shown as a block of one or more
// widgets; the wizard moves focus between them and owns navigation (tab, shift+tab), so a
// widget never decides where focus goes next, except through huh's NextField message.
type widget interface {
	Focus() tea.Cmd
	Blur() tea.Cmd
	Update(tea.Msg) tea.Cmd
	View() string
	// Typing reports whether letter keys are text right now, so that shortcuts such as p
	// (preview) must not be taken from them.
	Typing() bool
	// Capturing reports whether the widget needs every key, esc and tab included (an open
	// sub-form or an item being edited).
	Capturing() bool
	Keys() []key.Binding
	SetWidth(int)
}

// huhWidget adapts a huh field to widget. huh is the input widget; pstab owns the rest.
type huhWidget struct {
	f      huh.Field
	typing bool
	// opts are a select's answer values in order, so that the wizard can keep its cursor
	// from wrapping round at either end (selectEdge); nil for other fields.
	opts []string

	// A select keeps its drawings (views) by what they are drawn from (selectKey): where
	// its cursor is, whether it is focused, its width and whether it holds an error. huh
	// lays out and styles every option on every View, a sixth of a keystroke, and the
	// focused select is drawn on every one. Its filter, the one other thing a drawing
	// shows, is turned off (New).
	focused bool
	width   int
	views   map[string]string
}

func (w *huhWidget) Focus() tea.Cmd { w.focused = true; return w.f.Focus() }
func (w *huhWidget) Blur() tea.Cmd  { w.focused = false; return w.f.Blur() }
func (w *huhWidget) Update(msg tea.Msg) tea.Cmd {
	m, cmd := w.f.Update(msg)
	w.f = m.(huh.Field)
	return cmd
}
func (w *huhWidget) View() string {
	sel, ok := w.f.(*huh.Select[string])
	if !ok {
		return w.f.View()
	}
	key := w.selectKey(sel)
	if v, ok := w.views[key]; ok {
		return v
	}
	if w.views == nil || len(w.views) > 64 {
		w.views = map[string]string{}
	}
	v := sel.View()
	w.views[key] = v
	return v
}

// selectKey is what a select's drawing is made from; its options and title are fixed
// when it is built.
func (w *huhWidget) selectKey(sel *huh.Select[string]) string {
	hovered, _ := sel.Hovered()
	return strconv.FormatBool(w.focused) + "\x00" + strconv.Itoa(w.width) + "\x00" +
		strconv.FormatBool(sel.Error() != nil) + "\x00" + hovered
}
func (w *huhWidget) Typing() bool        { return w.typing }
func (w *huhWidget) Capturing() bool     { return false }
func (w *huhWidget) Keys() []key.Binding { return w.f.KeyBinds() }
func (w *huhWidget) SetWidth(n int)      { w.width = n; w.f = w.f.WithWidth(n); w.fit() }

// fit sizes a select's list of options to its width. huh measures the options only in
// Update (a form sends its fields a message at start); until then a select sized before its
// width was known cuts options whose labels wrap, hiding the last ones.
func (w *huhWidget) fit() *huhWidget {
	switch w.f.(type) {
	case *huh.Select[string], *huh.MultiSelect[string]:
		w.Update(nil)
	}
	return w
}

// block is one question on screen: its widgets, the values they are bound to, and the
// problem found when the partner last left it.
type block struct {
	q     *questionnaire.Question
	ui    *shared
	width int

	// Values the widgets write into. Which ones are used depends on the question's kind.
	str  string
	strs []string
	mode string // day range: "", "days" or "indefinite"
	minS string
	maxS string

	choice   *huhWidget // select, multi-select, text input or text area
	minW     *huhWidget
	maxW     *huhWidget
	list     *listEditor
	entities *entityEditor

	// orig is the answer the block was built from, so that an unchanged answer keeps its
	// form (a rich-text document the Marketplace sent) and an unknown option survives
	// being shown.
	orig     questionnaire.Value
	touched  bool   // left at least once, or saved before: problems are shown from then on
	problem  string // the first blocking problem, in the engine's words
	readOnly bool

	// compactKey and compactOut keep compactView's last drawing and what it was drawn
	// from. Every unfocused choice is drawn on every keystroke, yet changes only with its
	// answer or width; styling them anew was a fifth of a keystroke in colour.
	compactKey, compactOut string
	// drawnKey and drawn do the same for view of any other block not focused (an input, a
	// list, a set of records). gen moves with every change such a block can see: the
	// wizard focusing it or giving its widgets a message (toWidget), and load, build,
	// setWidth and check; the values it shows are in the key as well. A focused drawing
	// drops the kept one. Drawing them anew was a fifth of a keystroke in colour in the
	// longest section.
	gen             int
	drawnKey, drawn string
}

// yes/no answers as select values.
const (
	selYes = "yes"
	selNo  = "no"
)

// newBlock builds the widgets for q, filled with v. A saved answer's problem is shown at
// once: a value kept as typed must not look right when the draft is opened again.
func newBlock(q *questionnaire.Question, v questionnaire.Value, ui *shared, width int) *block {
	b := &block{q: q, ui: ui, width: width}
	b.load(v)
	if !v.IsEmpty() {
		b.touched = true
		b.check()
	}
	return b
}

// load sets the block's values from v and rebuilds its widgets.
func (b *block) load(v questionnaire.Value) {
	q := b.q
	b.orig = v.Clone()
	b.str, b.strs, b.mode, b.minS, b.maxS = "", nil, "", "", ""
	switch q.Kind {
	case questionnaire.KindYesNo:
		if v.Bool != nil {
			b.str = selNo
			if *v.Bool {
				b.str = selYes
			}
		}
	case questionnaire.KindTriState, questionnaire.KindChoice:
		b.str = v.Text
		if v.Bool != nil {
			b.str = strings.ToUpper(strconv.FormatBool(*v.Bool))
		}
		if o := q.Option(b.str); o != nil {
			b.str = o.Value
		}
	case questionnaire.KindMultiChoice:
		b.strs = append([]string(nil), v.List...)
	case questionnaire.KindDayRange:
		if d := v.Days; d != nil {
			switch {
			case d.IsIndefinite():
				b.mode = "indefinite"
			case d.Min != nil || d.Max != nil:
				b.mode = "days"
			}
			if d.Min != nil {
				b.minS = strconv.Itoa(*d.Min)
			}
			if d.Max != nil {
				b.maxS = strconv.Itoa(*d.Max)
			}
		}
	case questionnaire.KindList:
	case questionnaire.KindEntities:
	default:
		b.str = v.Text
	}
	b.build()
}

// build creates the widgets from the current values.
func (b *block) build() {
	b.gen++
	q, th, km := b.q, b.ui.styles.Huh, b.ui.huhKeys
	title := q.Prompt
	if !q.Required {
		title += " (optional)"
	}
	b.choice, b.minW, b.maxW, b.list, b.entities = nil, nil, nil, nil, nil
	sel := func(opts []huh.Option[string], bound *string) *huhWidget {
		// The theme goes first: Options measures the options, and without a theme huh builds
		// its default one for each option (about 0.3 ms and 300 KB per select, on every y/n).
		s := huh.NewSelect[string]()
		s.WithTheme(th)
		s.Title(title).Options(opts...).Value(bound)
		vals := make([]string, len(opts))
		for i, o := range opts {
			vals[i] = o.Value
		}
		return (&huhWidget{f: s.WithKeyMap(km).WithWidth(b.width), opts: vals, width: b.width}).fit()
	}
	unanswered := huh.NewOption("Not answered", "")
	switch q.Kind {
	case questionnaire.KindYesNo:
		b.choice = sel([]huh.Option[string]{unanswered, huh.NewOption("Yes", selYes), huh.NewOption("No", selNo)}, &b.str)
	case questionnaire.KindTriState, questionnaire.KindChoice:
		opts := []huh.Option[string]{unanswered}
		for _, o := range q.Options {
			opts = append(opts, huh.NewOption(o.Label, o.Value))
		}
		if b.str != "" && q.Option(b.str) == nil {
			// A value the server knows and this catalogue does not: show it rather than let
			// the select replace it.
			opts = append(opts, huh.NewOption(b.str+" (not in this catalogue)", b.str))
		}
		b.choice = sel(opts, &b.str)
	case questionnaire.KindMultiChoice:
		opts := make([]huh.Option[string], 0, len(q.Options))
		for _, o := range q.Options {
			opts = append(opts, huh.NewOption(o.Label, o.Value))
		}
		for _, v := range b.strs {
			if q.Option(v) == nil {
				opts = append(opts, huh.NewOption(v+" (not in this catalogue)", v))
			}
		}
		ms := huh.NewMultiSelect[string]()
		ms.WithTheme(th) // before Options, as for a select
		ms.Title(title).Options(opts...).Value(&b.strs).Filterable(false)
		b.choice = (&huhWidget{f: ms.WithKeyMap(km).WithWidth(b.width)}).fit()
	case questionnaire.KindLongText:
		t := huh.NewText().Title(title).Value(&b.str).CharLimit(q.TextLimit()).Lines(5).
			ExternalEditor(os.Getenv("EDITOR") != "")
		b.choice = &huhWidget{f: t.WithTheme(th).WithKeyMap(km).WithWidth(b.width), typing: true}
	case questionnaire.KindDayRange:
		b.choice = sel([]huh.Option[string]{unanswered,
			huh.NewOption("For a number of days", "days"), huh.NewOption("Indefinitely", "indefinite")}, &b.mode)
		// 8 characters: room for the example's "e.g. 30", which a shorter limit cuts.
		b.minW = b.input("Minimum days", &b.minS, "e.g. 0", 8)
		b.maxW = b.input("Maximum days", &b.maxS, "e.g. 30", 8)
	case questionnaire.KindList:
		b.list = newListEditor(title, b.orig.List, q, b.ui, b.width)
	case questionnaire.KindEntities:
		b.entities = newEntityEditor(title, b.orig.Entities, q, b.ui, b.width)
	default:
		// A placeholder says "e.g.", so that it never reads as an answer, with colour or
		// without (NO_COLOR shows it in the same letters as typed text).
		placeholder := ""
		switch q.Kind {
		case questionnaire.KindURL:
			placeholder = "e.g. https://www.example.com/…"
		case questionnaire.KindEmail:
			placeholder = "e.g. security@example.com"
		case questionnaire.KindDate:
			placeholder = "as YYYY-MM-DD, e.g. 2026-03-31"
		}
		b.choice = b.input(title, &b.str, placeholder, q.TextLimit())
	}
}

func (b *block) input(title string, v *string, placeholder string, limit int) *huhWidget {
	in := huh.NewInput().Title(title).Value(v).Placeholder(placeholder).CharLimit(limit)
	return &huhWidget{f: in.WithTheme(b.ui.styles.Huh).WithKeyMap(b.ui.huhKeys).WithWidth(b.width), typing: true}
}

// widgets returns the block's focusable widgets as they stand (a day range shows its day
// inputs only when a number of days is chosen).
func (b *block) widgets() []widget {
	switch {
	case b.list != nil:
		return []widget{b.list}
	case b.entities != nil:
		return []widget{b.entities}
	case b.q.Kind == questionnaire.KindDayRange && b.mode == "days":
		return []widget{b.choice, b.minW, b.maxW}
	}
	return []widget{b.choice}
}

// value reads the answer from the widgets.
func (b *block) value() questionnaire.Value {
	q := b.q
	var v questionnaire.Value
	switch q.Kind {
	case questionnaire.KindYesNo:
		switch b.str {
		case selYes:
			v = questionnaire.Bool(true)
		case selNo:
			v = questionnaire.Bool(false)
		}
	case questionnaire.KindMultiChoice:
		// Keep the catalogue's order, whatever order the boxes were ticked in.
		var list []string
		for _, o := range q.Options {
			for _, s := range b.strs {
				if s == o.Value {
					list = append(list, s)
				}
			}
		}
		for _, s := range b.strs {
			if q.Option(s) == nil {
				list = append(list, s)
			}
		}
		v = questionnaire.List(list...)
	case questionnaire.KindDayRange:
		switch b.mode {
		case "indefinite":
			v = questionnaire.Indefinitely()
		case "days":
			f := false
			d := &questionnaire.DayRange{Indefinite: &f}
			if n, err := strconv.Atoi(strings.TrimSpace(b.minS)); err == nil {
				d.Min = &n
			}
			if n, err := strconv.Atoi(strings.TrimSpace(b.maxS)); err == nil {
				d.Max = &n
			}
			v = questionnaire.Value{Days: d}
		}
	case questionnaire.KindList:
		v = questionnaire.List(b.list.value()...)
	case questionnaire.KindEntities:
		v = questionnaire.Value{Entities: b.entities.value()}
	default:
		v = questionnaire.Text(b.str)
		if q.Kind != questionnaire.KindLongText && q.Kind != questionnaire.KindTriState && q.Kind != questionnaire.KindChoice {
			v.Text = strings.TrimSpace(b.str)
		}
	}
	v = questionnaire.CleanValue(q, v)
	// An unchanged answer keeps its original form (a tri-state's spelling, unknown keys).
	if q.Same(b.orig, v) {
		return b.orig
	}
	return v
}

// check runs the engine's checks on the block's answer and keeps the first problem, in the
// engine's words; a day range also says when a day count is not a number.
func (b *block) check() {
	b.gen++
	b.problem = ""
	if b.q.Kind == questionnaire.KindDayRange && b.mode == "days" {
		for _, s := range []struct{ label, v string }{{"minimum", b.minS}, {"maximum", b.maxS}} {
			if t := strings.TrimSpace(s.v); t != "" {
				if _, err := strconv.Atoi(t); err != nil {
					b.problem = "The " + s.label + " must be a whole number of days."
					return
				}
			}
		}
	}
	v := b.value()
	b.problem = b.q.FirstProblem(v)
	// A list or a set of records marks each item with a problem.
	switch {
	case b.list != nil:
		b.list.bad = map[int]bool{}
		for _, p := range b.q.Check(v) {
			if p.Item >= 0 {
				b.list.bad[p.Item] = true
			}
		}
	case b.entities != nil:
		b.entities.bad = map[int][]string{}
		for _, p := range b.q.Check(v) {
			if p.Item >= 0 {
				b.entities.bad[p.Item] = append(b.entities.bad[p.Item], p.Message)
			}
		}
	}
}

// cursorLine finds the line of a focused block's drawing the partner is on: the first
// line with the cursor mark, ›, which every focused widget draws where the partner is
// (huh's selects and multi-selects by the theme's selectors, pstab's lists at the item
// typed or chosen, an entry's form at its field); a text input, which has no mark, is
// its last line. Reading the drawing costs nothing more: it is drawn anyway.
func cursorLine(lines []string) int {
	for i, l := range lines {
		if strings.Contains(l, "›") {
			return i
		}
	}
	return len(lines) - 1
}

func (b *block) setWidth(w int) {
	b.gen++
	b.width = w
	if b.choice != nil {
		b.choice.SetWidth(w)
	}
	if b.minW != nil {
		b.minW.SetWidth(w)
		b.maxW.SetWidth(w)
	}
	if b.list != nil {
		b.list.SetWidth(w)
	}
	if b.entities != nil {
		b.entities.SetWidth(w)
	}
}

// view renders the block: its widgets when focused; a choice question not focused shows
// its title and the answer picked (huh's blurred select would list every option without
// saying which one is chosen). Once left, the block also shows its problem.
func (b *block) view(focused bool) string {
	compact := b.compactView(focused)
	key := ""
	switch {
	case focused:
		b.drawnKey, b.drawn = "", ""
	case compact == "":
		key = b.drawKey()
		if key == b.drawnKey {
			return b.drawn
		}
	}
	out := compact
	if compact == "" {
		ws := b.widgets()
		parts := make([]string, 0, len(ws)+1)
		for _, w := range ws {
			parts = append(parts, w.View())
		}
		out = strings.Join(parts, "\n")
	}
	// A focused set of records says the problem of the record under its cursor itself.
	if b.problem != "" && !(focused && b.entities != nil) {
		out += "\n" + b.ui.styles.Bad.Render(indent(wrapText("✗ "+b.problem, b.width-2), "  "))
	}
	if key != "" {
		b.drawnKey, b.drawn = key, out
	}
	return out
}

// drawKey is what an unfocused block's drawing is made from.
func (b *block) drawKey() string {
	return strconv.Itoa(b.gen) + "\x00" + strconv.Itoa(b.width) + "\x00" + b.problem + "\x00" + b.str + "\x00" +
		b.mode + "\x00" + b.minS + "\x00" + b.maxS + "\x00" + strings.Join(b.strs, "\x00")
}

// compactView renders an unfocused choice question as its title and answer, or returns ""
// for kinds whose own view already shows the answer.
func (b *block) compactView(focused bool) string {
	switch b.q.Kind {
	case questionnaire.KindYesNo, questionnaire.KindTriState, questionnaire.KindChoice,
		questionnaire.KindMultiChoice, questionnaire.KindDayRange:
	default:
		return ""
	}
	if focused {
		return ""
	}
	st := b.ui.styles
	title := b.q.Prompt
	if !b.q.Required {
		title += " (optional)"
	}
	v := b.value()
	shown := ""
	if !v.IsEmpty() {
		shown = b.q.Display(v)
	}
	halfRange := b.q.Kind == questionnaire.KindDayRange && b.mode == "days" && (b.minS == "" || b.maxS == "")
	key := strconv.Itoa(b.width) + "|" + strconv.FormatBool(v.IsEmpty()) + "|" + strconv.FormatBool(halfRange) + "|" + shown
	if key == b.compactKey {
		return b.compactOut
	}
	answer := st.Faint.Render("Not answered")
	if !v.IsEmpty() {
		answer = st.Text.Render(wrapText(shown, b.width-6))
		if halfRange {
			answer = st.Text.Render("For a number of days: " + shown)
		}
	}
	lines := strings.Split(answer, "\n")
	for i := range lines {
		prefix := "    "
		if i == 0 {
			prefix = st.Faint.Render("  → ")
		}
		lines[i] = prefix + lines[i]
	}
	body := st.Huh.Blurred.Title.Render(wrapText(title, b.width-2)) + "\n" + strings.Join(lines, "\n")
	b.compactKey, b.compactOut = key, st.Huh.Blurred.Base.Render(body)
	return b.compactOut
}
