package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/pstab/pstab/questionnaire"
)

// SetSize gives the wizard its area (the root's body, between header and footer).
func (w *wizard) SetSize(width, height int) tea.Cmd {
	w.width, w.height = width, height
	fw := w.fieldWidth()
	for _, b := range w.blocks {
		b.setWidth(fw)
	}
	// The dialog sits in the question column: its label (20), the prompt and the cursor.
	w.pointInput.Width = max(10, min(60, fw-24))
	return nil
}

func (w *wizard) showSidebar() bool { return sidebarFits(w.width) }

// sidebarFits reports whether the section list fits beside the questions in a body of
// width columns.
func sidebarFits(width int) bool { return width >= 90 }

func (w *wizard) fieldWidth() int {
	fw := w.width - 2
	if w.showSidebar() {
		fw -= sidebarWidth + 3
	}
	return max(20, min(fw, 100))
}

// Status is the session's save status for the header; without the section list (a
// narrow terminal) it also carries the overall progress.
func (w *wizard) Status() string { return w.session.status(!w.showSidebar()) }

// Crumbs names the wizard in the header: the app, then the questionnaire.
func (w *wizard) Crumbs() []string { return []string{w.title, w.cat.Title} }

// View renders the wizard's body: the questions, beside the section list when it fits;
// where it does not, the section list opened with esc takes the questions' place.
func (w *wizard) View() string {
	if !w.showSidebar() {
		if w.sidebar {
			return w.sectionsOverlay()
		}
		return w.mainView()
	}
	main := w.mainView()
	if key := w.sidebarFrom(w.height); key != w.sideKey || w.sideText == "" {
		w.sideKey = key
		if text := fitLines(w.sidebarView(sidebarWidth), w.height); text != w.sideText {
			w.sideText, w.sideOut = text, boxRight(w.ui.styles.Sidebar, text, w.height)
		}
	}
	return sideBySide(w.sideOut, main)
}

// boxRight draws text as style.Height(height).Render(text) does for a style with only a
// right border and padding, as the section list's: every line padded to the widest, the
// padding, then the border. lipgloss measured and restyled each line of the list, which
// changes with every answer (a twelfth of a keystroke in colour).
func boxRight(style lipgloss.Style, text string, height int) string {
	bar := lipgloss.NewStyle().Foreground(style.GetBorderRightForeground()).
		Render(style.GetBorderStyle().Right)
	lines := strings.Split(strings.ReplaceAll(text, "\t", "    "), "\n")
	for len(lines) < height {
		lines = append(lines, "")
	}
	widths := make([]int, len(lines))
	widest := 0
	for i, l := range lines {
		widths[i] = lipgloss.Width(l)
		widest = max(widest, widths[i])
	}
	pad := style.GetPaddingRight()
	var b strings.Builder
	b.Grow(len(text) + len(lines)*(widest+len(bar)+pad+1))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		b.WriteString(strings.Repeat(" ", widest-widths[i]+pad))
		b.WriteString(bar)
	}
	return b.String()
}

// sideBySide sets the section list left of the questions, line by line. It does what
// lipgloss.JoinHorizontal(lipgloss.Top, side, " ", main) did, without padding the
// questions' lines to the widest: that measured every line on every keystroke and showed
// nothing, since bubbletea clears the rest of each line it draws. The list's lines all
// have its width (its style pads them).
func sideBySide(side, main string) string {
	sl, ml := strings.Split(side, "\n"), strings.Split(main, "\n")
	blank := strings.Repeat(" ", lipgloss.Width(sl[0]))
	var b strings.Builder
	b.Grow(len(side) + len(main) + 2*len(ml))
	for i := range max(len(sl), len(ml)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(sl) {
			b.WriteString(sl[i])
		} else {
			b.WriteString(blank)
		}
		b.WriteByte(' ')
		if i < len(ml) {
			b.WriteString(ml[i])
		}
	}
	return b.String()
}

// mainView renders the section's title and intro, its questions, the focused question's
// help and the status line. The focused question comes first: when the window is too
// small for everything, the help gives way first (down to none), then the intro.
func (w *wizard) mainView() string {
	st := w.ui.styles
	s := w.cat.Sections[w.section]
	width := w.fieldWidth()

	sp := w.progress.Sections[w.section]
	title := st.Title.Render(fmt.Sprintf("%d. %s", s.Index+1, s.Title))
	title += st.Faint.Render(truncate(fmt.Sprintf("  %d of %d answered", sp.Answered, sp.Total)+w.sectionReview(s),
		max(10, width-lipgloss.Width(title))))
	var intro []string
	if s.Intro != "" {
		intro = strings.Split(st.Muted.Render(wrapText(s.Intro, width)), "\n")
	}
	lines, start, end, cursor := w.fieldLines(width)
	// The review's thread on the focused question stays under the help, with the status.
	status := w.statusView(width)
	if thread := strings.TrimPrefix(w.threadPanel(width), "\n"); thread != "" && status != "" {
		status = thread + "\n" + status
	} else if thread != "" {
		status = thread
	}
	statusLines := 0
	if status != "" {
		statusLines = lipgloss.Height(status)
	}
	help := w.helpText(width)

	// The questions need the focused one whole, plus a line for "↑ more above" and one for
	// "↓ more below"; a question taller than the whole room keeps its cursor in view.
	room := w.height - 1 - statusLines // 1: the section's title
	need := min(end-start+2, room)
	if len(w.blocks) == 0 {
		need = 1
	}
	// The help panel keeps at least three lines, so that the questions above do not jump
	// as the help changes length, and takes up to a third of the screen.
	helpRoom := min(max(len(help), 3), max(3, w.height/3))
	introRoom := len(intro)
	if fields := room - introRoom - panelLines(helpRoom); fields < need {
		helpRoom = max(0, helpRoom-(need-fields))
	}
	if fields := room - introRoom - panelLines(helpRoom); fields < need {
		introRoom = max(0, introRoom-(need-fields))
	}

	var b strings.Builder
	b.WriteString(title + "\n")
	for _, l := range intro[:introRoom] {
		b.WriteString(l + "\n")
	}
	fieldsHeight := max(1, room-introRoom-panelLines(helpRoom))
	b.WriteString(w.window(lines, start, end, cursor, fieldsHeight))
	if helpRoom > 0 {
		if text := strconv.Itoa(width) + "\x00" + w.helpLines(help, helpRoom); text != w.helpKey {
			w.helpKey, w.helpOut = text, st.HelpPanel.Width(width).Render(w.helpLines(help, helpRoom))
		}
		b.WriteString("\n" + w.helpOut)
	}
	if status != "" {
		b.WriteString("\n" + status)
	}
	return b.String()
}

// panelLines is the height of the help panel showing n lines of help: its top border and
// the lines, or nothing at all.
func panelLines(n int) int {
	if n == 0 {
		return 0
	}
	return n + 1
}

// fieldLines renders the section's questions as lines, and says where the focused one
// starts and ends and which line its cursor is on.
func (w *wizard) fieldLines(width int) (lines []string, start, end, cursor int) {
	for i, b := range w.blocks {
		focused := i == w.focus
		var v string
		if w.readOnly() {
			v = w.readOnlyBlock(b, focused, width)
		} else {
			v = b.view(focused && !w.sidebar)
			if from := w.scan.sourceLine(b.q.ID); from != "" {
				v += "\n" + w.ui.styles.Faint.Render(indent(wrapText(from, width-4), "  "))
			}
		}
		v += w.blockMarks(b, width) // the review's marks: a reviewer's ✗, changes, comments
		blockLines := strings.Split(v, "\n")
		if focused {
			start = len(lines)
			cursor = start + cursorLine(blockLines)
		}
		lines = append(lines, blockLines...)
		if focused {
			end = len(lines)
		}
		if i < len(w.blocks)-1 {
			lines = append(lines, "")
		}
	}
	if len(w.blocks) == 0 {
		lines = []string{w.ui.styles.Faint.Render("No questions are shown in this section for your answers so far.")}
	}
	return lines, start, end, min(cursor, max(start, end-1))
}

// window shows height lines of the questions, scrolled so that the focused one is in
// view whole; when it is taller than the window, its top stays in view as long as the
// line with its cursor (the line being typed, the option picked) does, and the cursor line
// always does. "↑ more above" and "↓ more below" take the first and last lines when there
// is more; the window never puts them over the focused question.
func (w *wizard) window(lines []string, start, end, cursor, height int) string {
	n := len(lines)
	clamp := func(sc int) int { return max(0, min(sc, max(0, n-height))) }
	top := func(sc int) int {
		if sc > 0 {
			return sc + 1
		}
		return sc
	}
	bottom := func(sc int) int {
		if sc+height < n {
			return sc + height - 2
		}
		return sc + height - 1
	}
	first, last := start, max(start, end-1)
	if end-start > height-2 {
		// Taller than the window with both markers: the cursor decides.
		first, last = max(start, cursor-(height-3)), cursor
	}
	sc := clamp(w.scroll)
	for range 4 {
		switch {
		case first < top(sc):
			// The marker then covers the line before the question (the blank between two).
			sc = clamp(max(0, first-1))
		case last > bottom(sc):
			sc = clamp(sc + last - bottom(sc))
		}
	}
	w.scroll = sc
	visible := lines[sc:min(n, sc+height)]
	out := fitLines(strings.Join(visible, "\n"), height)
	if sc > 0 {
		if i := strings.IndexByte(out, '\n'); i >= 0 {
			out = w.ui.styles.Faint.Render("  ↑ more above") + out[i:]
		} else {
			out = w.ui.styles.Faint.Render("  ↑ more above")
		}
	}
	if sc+height < n {
		if i := strings.LastIndexByte(out, '\n'); i >= 0 {
			out = out[:i+1] + w.ui.styles.Faint.Render("  ↓ more below")
		}
	}
	return out
}

func (w *wizard) readOnlyBlock(b *block, focused bool, width int) string {
	st := w.ui.styles
	title := st.Huh.Blurred.Title
	mark := "  "
	if focused {
		title, mark = st.Huh.Focused.Title, st.Accent.Render("› ")
	}
	lines := strings.Split(wrapText(b.q.Prompt, width-2), "\n")
	for i, l := range lines {
		prefix := "  "
		if i == 0 {
			prefix = mark
		}
		lines[i] = prefix + title.Render(l)
	}
	out := strings.Join(lines, "\n")
	v, ok := w.answers.Get(b.q.ID)
	answer := st.Faint.Render(questionnaire.NotProvided)
	if ok {
		// Its problem, if any, is the review's mark under it (blockMarks).
		answer = st.Text.Render(wrapText(displayAnswer(b.q, v), width-4))
	}
	return out + "\n" + indent(answer, "    ")
}

// displayAnswer shows an answer in words for the read-only view.
func displayAnswer(q *questionnaire.Question, v questionnaire.Value) string {
	switch q.Kind {
	case questionnaire.KindList, questionnaire.KindMultiChoice:
		items := v.List
		if q.Kind == questionnaire.KindMultiChoice {
			items = make([]string, len(v.List))
			for i, s := range v.List {
				items[i] = q.OptionLabel(s)
			}
		}
		return "• " + strings.Join(items, "\n• ")
	case questionnaire.KindEntities:
		var lines []string
		for i, e := range v.Entities {
			var parts []string
			for _, f := range q.Fields {
				fv := e.Fields[f.Key]
				if t := strings.Join(append([]string{fv.Text}, fv.List...), ", "); strings.Trim(t, ", ") != "" {
					parts = append(parts, strings.Trim(t, ", "))
				}
			}
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, strings.Join(parts, " — ")))
		}
		return strings.Join(lines, "\n")
	}
	return questionnaire.CleanText(q.Display(v), true)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
