package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/pstab/pstab/questionnaire"
)

const sidebarWidth = 32

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

// helpLines fits the focused question's help in the panel: as many lines as it needs, up
// to a third of the screen (at least 3), with "…" where it had to be cut.
func (w *wizard) helpLines(help string) string {
	lines := strings.Split(help, "\n")
	room := max(3, w.height/3)
	if len(lines) > room {
		lines = lines[:room]
		last := strings.TrimRight(lines[room-1], " ")
		lines[room-1] = truncate(last, max(2, lipgloss.Width(last)-1)) + "…"
	}
	// Keep the panel at least three lines tall, so the questions above do not jump as the
	// help changes length.
	for len(lines) < 3 {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Status is the session's save status for the header; without the section list (a
// narrow terminal) it also carries the overall progress.
func (w *wizard) Status() string { return w.session.status(!w.showSidebar()) }

// Crumbs names the wizard in the header: the app, then the questionnaire.
func (w *wizard) Crumbs() []string { return []string{w.title, w.cat.Title} }

// View renders the wizard's body.
func (w *wizard) View() string {
	main := w.mainView()
	if !w.showSidebar() {
		return main
	}
	if text := fitLines(w.sidebarView(), w.height); text != w.sideText {
		w.sideText, w.sideOut = text, w.ui.styles.Sidebar.Height(w.height).Render(text)
	}
	return sideBySide(w.sideOut, main)
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

func (w *wizard) sidebarView() string {
	st := w.ui.styles
	var b strings.Builder
	pct := w.progress.Percent()
	b.WriteString(st.Bold.Render(truncate(w.cat.Title, sidebarWidth)) + "\n")
	b.WriteString(bar(st, pct, sidebarWidth-6) + fmt.Sprintf(" %3d%%", pct) + "\n\n")
	for i, sp := range w.progress.Sections {
		s := sp.Section
		icon, style := "○", st.Muted
		switch sp.State() {
		case "done":
			icon, style = "✓", st.OK
		case "in progress":
			icon, style = "◐", st.Warn
		case "skipped":
			icon, style = "–", st.Faint
		}
		count := fmt.Sprintf("%d/%d", sp.Answered, sp.Total)
		if !sp.Shown {
			count = "skipped"
		}
		if mark, markStyle, prefix := w.sidebarMarks(s); sp.Shown {
			if mark != "" {
				icon, style = mark, markStyle
			}
			count = prefix + count
		}
		name := truncate(s.Title, sidebarWidth-4-len(count)-1)
		line := fmt.Sprintf("%s %-*s %s", icon, sidebarWidth-4-len(count), name, count)
		switch {
		case w.sidebar && i == w.sideCursor:
			b.WriteString(st.Selected.Render("›"+line) + "\n")
		case i == w.section:
			b.WriteString(st.Bold.Render(" "+line) + "\n")
		default:
			b.WriteString(style.Render(" "+line) + "\n")
		}
	}
	return b.String()
}

func (w *wizard) mainView() string {
	st := w.ui.styles
	s := w.cat.Sections[w.section]
	width := w.fieldWidth()

	var head strings.Builder
	head.WriteString(st.Title.Render(fmt.Sprintf("%d. %s", s.Index+1, s.Title)))
	sp := w.progress.Sections[w.section]
	head.WriteString(st.Faint.Render(truncate(fmt.Sprintf("  %d of %d answered", sp.Answered, sp.Total)+w.sectionReview(s),
		max(10, width-lipgloss.Width(head.String())))))
	head.WriteString("\n")
	if s.Intro != "" {
		head.WriteString(st.Muted.Render(wrapText(s.Intro, width)) + "\n")
	}
	header := head.String()

	bottom := w.bottomView(width)
	// header ends with a newline, which lipgloss.Height would count as one more line.
	bodyHeight := max(3, w.height-strings.Count(header, "\n")-lipgloss.Height(bottom))
	return header + w.fieldsView(width, bodyHeight) + "\n" + bottom
}

// fieldsView renders the section's questions, scrolled so the focused one is in view.
func (w *wizard) fieldsView(width, height int) string {
	var lines []string
	start, end := 0, 0
	for i, b := range w.blocks {
		var v string
		if w.readOnly() {
			v = w.readOnlyBlock(b, i == w.focus, width)
		} else {
			v = b.view(i == w.focus && !w.sidebar)
			if from := w.scan.sourceLine(b.q.ID); from != "" {
				v += "\n" + w.ui.styles.Faint.Render(indent(wrapText(from, width-4), "  "))
			}
		}
		v += w.blockMarks(b, width)
		if i == w.focus {
			start = len(lines)
		}
		lines = append(lines, strings.Split(v, "\n")...)
		if i == w.focus {
			end = len(lines)
		}
		if i < len(w.blocks)-1 {
			lines = append(lines, "")
		}
	}
	if len(w.blocks) == 0 {
		lines = []string{w.ui.styles.Faint.Render("No questions are shown in this section for your answers so far.")}
	}
	// Keep the focused question in view, its top first.
	if start < w.scroll {
		w.scroll = start
	}
	if end > w.scroll+height {
		w.scroll = min(start, end-height)
	}
	w.scroll = max(0, min(w.scroll, max(0, len(lines)-height)))
	if w.scroll > 0 && w.scroll == start {
		// "↑ more above" takes the first line: show the line before, not the question's title.
		w.scroll--
	}
	visible := lines[w.scroll:min(len(lines), w.scroll+height)]
	out := fitLines(strings.Join(visible, "\n"), height)
	if w.scroll > 0 {
		out = w.ui.styles.Faint.Render("  ↑ more above") + out[strings.IndexByte(out, '\n'):]
	}
	if w.scroll+height < len(lines) {
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

// bottomView is the help of the focused question (always shown), then one status line:
// a dialog, a loud error, or a quiet notice.
func (w *wizard) bottomView(width int) string {
	st := w.ui.styles
	var help string
	if b := w.current(); b != nil && !w.sidebar {
		text := b.q.Help
		if b.orig.IsRich() && !w.readOnly() {
			// Said first, so that a long help text cannot push it out of the panel.
			text = "This answer came from the Marketplace as formatted text, shown as its words, and is sent back unchanged while you leave it; " +
				"if you edit it, pstab sends your plain text in its place, without the formatting. " + text
		}
		if b.q.Local() && !b.q.FromListing() && w.cat.Level == "app" {
			text += " (Not sent by the API: enter it in the web form too; pstab's answer sheet lists it.)"
		}
		if b.q.Kind == questionnaire.KindLongText && !w.readOnly() {
			text += " Press alt+enter or ctrl+j for a new line."
		}
		help = wrapText(text, width)
	} else if w.sidebar {
		help = wrapText("Choose a section with ↑/↓ and press enter to open it. Sections marked – are skipped by your answers so far.", width)
	}
	panel := st.HelpPanel.Width(width).Render(w.helpLines(help)) + w.threadPanel(width)

	var status string
	switch {
	case w.talk.open:
		status = w.talkView(width)
	case w.askSavePoint:
		status = st.Accent.Render("Save point message: ") + w.pointInput.View()
		hint := st.Faint.Render("enter save · esc cancel")
		if lipgloss.Width(status)+2+lipgloss.Width(hint) <= width {
			status += "  " + hint
		} else {
			status += "\n" + hint
		}
	case w.askDiscard:
		status = st.Warn.Render(wrapText(fmt.Sprintf("Discard every change since save point %d? y/N", w.revision), width))
		if w.revision == 0 {
			status = st.Warn.Render(wrapText("There is no save point yet: discarding empties the draft. Discard? y/N", width))
		}
	case w.conflict != nil:
		status = st.Banner.Render(wrapText(fmt.Sprintf("Another pstab changed this draft at %s. Press ctrl+r to reload it; your unsaved answers stay on screen and are saved on top.",
			w.conflict.ChangedAt.Local().Format("15:04:05")), width-3))
	case w.saveErr != nil:
		status = st.Banner.Render(wrapText("Not saved: "+questionnaire.Sentence(w.saveErr.Error())+" Your answers stay on screen.", width-3))
	case w.reviewBanner(width) != "":
		status = w.reviewBanner(width)
	case w.notice != "":
		status = st.Info.Render(wrapText(w.notice, width))
	}
	return panel + "\n" + status
}

// Help returns the keys for the footer.
func (w *wizard) Help() helpKeys {
	km := w.ui.keys
	if w.talk.open {
		return w.talkHelp()
	}
	if w.askSavePoint || w.askDiscard {
		return helpKeys{}
	}
	if w.sidebar {
		short := []key.Binding{km.Up, km.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open section")), km.Preview, km.Review, km.Back}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	preview, review := km.Preview, km.Review
	if w.Typing() {
		preview, review = km.PreviewAlt, km.ReviewAlt
	}
	nav := []key.Binding{km.NextField, km.PrevField, km.NextSection, km.PrevSection, km.Sections}
	if w.readOnly() {
		if !w.session.canComment() {
			short := []key.Binding{km.Down, km.Up, km.NextSection, km.Sections, preview, review}
			return helpKeys{short: short, full: [][]key.Binding{nav, {preview, review, km.Quit}}}
		}
		checklist := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "checklist"))
		talk := []key.Binding{km.Comment, km.General, km.Approve, km.RequestChanges}
		short := append([]key.Binding{}, talk...)
		if rs := w.session.review; rs != nil && rs.since != nil {
			short = append(short, km.NextChanged)
			talk = append(talk, km.NextChanged)
		}
		short = append(short, checklist, preview)
		talk = append(talk, km.NextOpen)
		return helpKeys{short: short, full: [][]key.Binding{nav, talk, {km.Down, km.Up, preview, checklist, km.Quit}}}
	}
	if wd := w.currentWidget(); wd != nil && wd.Capturing() {
		keys := append(wd.Keys(), km.Quit)
		return helpKeys{short: keys, full: [][]key.Binding{keys}}
	}
	var fieldKeys []key.Binding
	if wd := w.currentWidget(); wd != nil {
		for _, k := range wd.Keys() {
			if k.Enabled() && k.Help().Key != "shift+tab" && k.Help().Key != "enter" {
				fieldKeys = append(fieldKeys, k)
			}
		}
	}
	comment, general := km.Comment, km.General
	if w.Typing() {
		comment, general = km.CommentAlt, km.GeneralAlt
	}
	short := append([]key.Binding{km.NextField}, fieldKeys...)
	short = append(short, km.NextSection, km.Sections, preview, review, km.SavePoint)
	if b := w.current(); b != nil {
		if _, ok := w.session.thread(b.q.ID); ok {
			short = append(short, comment)
		}
	}
	full := [][]key.Binding{nav, fieldKeys, {preview, review, km.SavePoint, km.Discard, km.Reload, km.Quit},
		{comment, general, km.NextOpen}}
	return helpKeys{short: short, full: full}
}
