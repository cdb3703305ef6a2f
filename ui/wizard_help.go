package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/pstab/pstab/questionnaire"
)

const sidebarWidth = 32

// helpText is the focused question's help (always shown, as far as there is room), or
// the section list's, wrapped to width.
func (w *wizard) helpText(width int) []string {
	var text string
	switch b := w.current(); {
	case w.sidebar:
		text = "Choose a section with ↑/↓ and press enter to open it. Sections marked – are skipped by your answers so far; ✗ marks an answer with a problem."
	case b != nil:
		text = b.q.Help
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
	}
	if text == "" {
		return nil
	}
	return strings.Split(wrapText(text, width), "\n")
}

// helpLines fits the help in room lines, with "…" where it had to be cut, and pads it to
// room lines.
func (w *wizard) helpLines(lines []string, room int) string {
	lines = append([]string(nil), lines...)
	if len(lines) > room {
		lines = lines[:room]
		last := strings.TrimRight(lines[room-1], " ")
		lines[room-1] = strings.TrimRight(ansi.Truncate(last, max(1, lipgloss.Width(last)-1), ""), " ") + "…"
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// key returns the binding that works where the focus is: the letter, or its alt+ form
// while keys are text.
func (w *wizard) keyHere(letter, alt key.Binding) key.Binding {
	if w.Typing() {
		return alt
	}
	return letter
}

// statusView is the line under the help: a dialog, a loud error, or a quiet notice; ""
// when there is none.
func (w *wizard) statusView(width int) string {
	st := w.ui.styles
	switch {
	case w.talk.open:
		return w.talkView(width)
	case w.askSavePoint:
		status := st.Accent.Render("Save point message: ") + w.pointInput.View()
		hint := st.Faint.Render("enter save · esc cancel")
		if lipgloss.Width(status)+2+lipgloss.Width(hint) <= width {
			return status + "  " + hint
		}
		return status + "\n" + hint
	case w.askDiscard:
		msg := fmt.Sprintf("Discard every change since save point %d? Press y to discard, any other key keeps them. y/N", w.revision)
		if w.revision == 0 {
			msg = "There is no save point yet: discarding empties the draft. Press y to discard, any other key keeps it. y/N"
		}
		return st.Warn.Render(wrapText(msg, width))
	case w.conflict != nil:
		return st.Banner.Render(wrapText(fmt.Sprintf("Another pstab changed this draft at %s. Press ctrl+r to reload it; your unsaved answers stay on screen and are saved on top.",
			w.conflict.ChangedAt.Local().Format("15:04:05")), width-3))
	case w.elsewhere != nil:
		return st.Banner.Render(wrapText(fmt.Sprintf("Another pstab changed this draft at %s. Press ctrl+r to load its changes; your unsaved answers stay on screen and are saved on top.",
			w.elsewhere.Local().Format("15:04:05")), width-3))
	case w.saveErr != nil:
		return st.Banner.Render(wrapText("Not saved: "+questionnaire.Sentence(w.saveErr.Error())+" Your answers stay on screen.", width-3))
	case w.reviewBanner(width) != "":
		return w.reviewBanner(width)
	case w.lastSection:
		km := w.ui.keys
		return st.Info.Render(wrapText(fmt.Sprintf("That was the last section. Press %s to review what is left, or %s to preview.",
			w.keyHere(km.Review, km.ReviewAlt).Help().Key, w.keyHere(km.Preview, km.PreviewAlt).Help().Key), width))
	case w.notice != "":
		notice := w.notice
		if w.ticketHint {
			km := w.ui.keys
			notice += fmt.Sprintf(" Press %s for the review ticket and what to do.", w.keyHere(km.Review, km.ReviewAlt).Help().Key)
		}
		return st.Info.Render(wrapText(notice, width))
	}
	return ""
}

// Help returns the keys for the footer: on the short line the keys that work where the
// focus is (the alt+ forms while keys are text), in the full list every key.
func (w *wizard) Help() helpKeys {
	km := w.ui.keys
	if w.talk.open {
		return w.talkHelp()
	}
	if w.askSavePoint || w.askDiscard {
		return helpKeys{}
	}
	preview, review := w.keyHere(km.Preview, km.PreviewAlt), w.keyHere(km.Review, km.ReviewAlt)
	leave := []key.Binding{preview, review, km.SavePoint, km.Discard, km.Reload, km.QuitSave}
	if w.readOnly() {
		leave = []key.Binding{preview, review, km.QuitSave}
	}
	home := km.Home
	if w.readOnly() {
		home = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))
	}
	if w.sidebar {
		short := []key.Binding{km.SideChoose, km.SideOpen, km.SideBack, home, preview, review}
		return helpKeys{short: short, full: [][]key.Binding{{km.SideChoose, km.SideOpen, km.SideBack, home}, leave}, rank: []int{3, 2, 1, 1, 0, 0}}
	}
	nav := []key.Binding{km.NextField, km.PrevField, km.NextSection, km.PrevSection, km.Sections}
	if w.readOnly() && !w.session.canComment() {
		short := []key.Binding{km.Down, km.Up, km.NextSection, km.Sections, preview, review, home}
		return helpKeys{short: short, full: [][]key.Binding{nav, leave, {home}}, rank: []int{3, 4, 5, 2, 0, 0, 1}}
	}
	if w.readOnly() {
		// A reviewer's copy of a bundle: the review's keys first.
		checklist := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "checklist"))
		talk := []key.Binding{km.Comment, km.General, km.Approve, km.RequestChanges}
		short := append([]key.Binding{}, talk...)
		if rs := w.session.review; rs != nil && rs.since != nil {
			short = append(short, km.NextChanged)
			talk = append(talk, km.NextChanged)
		}
		short = append(short, checklist, preview)
		talk = append(talk, km.NextOpen)
		return helpKeys{short: short, full: [][]key.Binding{nav, talk, {km.Down, km.Up, preview, checklist, home, km.Quit}}}
	}
	wd := w.currentWidget()
	var fieldKeys []key.Binding
	letters := false
	if b := w.current(); b != nil && wd != nil && !wd.Typing() {
		if choices := letterChoices(b.q); choices != nil {
			hint := letterHint(choices)
			fieldKeys = append(fieldKeys, key.NewBinding(key.WithKeys("y", "n", "a"), key.WithHelp(hint, "answer")))
			letters = true
		}
	}
	if wd != nil {
		for _, k := range wd.Keys() {
			switch h := k.Help(); {
			case !k.Enabled() || h.Key == "" || h.Key == "shift+tab":
			case h.Key == "enter" && isHuh(wd):
				// huh's enter moves on, as tab does: the wizard's tab says it.
			case h.Key == "↓" && len(fieldKeys) > 0 && fieldKeys[len(fieldKeys)-1].Help().Key == "↑":
				// huh names ↑ and ↓ apart: one binding says both, in half the room.
				verb := "pick"
				if b := w.current(); b != nil && b.q.Kind == questionnaire.KindMultiChoice {
					verb = "move"
				}
				fieldKeys[len(fieldKeys)-1] = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", verb))
			default:
				fieldKeys = append(fieldKeys, k)
			}
		}
	}
	// The full help lists every key of a list, whatever it is doing now.
	fullField := fieldKeys
	switch wd := wd.(type) {
	case *listEditor:
		fullField = append(wd.allKeys(), km.PasteItems)
	case *entityEditor:
		fullField = append(wd.allKeys(), km.PasteEntries)
	}
	// Where the footer has no room, keys give way in this order: a widget's further keys
	// (its arrows first, where y/n/a answer), esc, tab; never preview and review.
	var short []key.Binding
	var rank []int
	longText := false
	if b := w.current(); b != nil && b.q.Kind == questionnaire.KindLongText {
		longText = true
	}
	for i, k := range fieldKeys {
		r := 1
		switch {
		case i > 0 && letters:
			r = 20 + i
		case i > 0:
			r = 8 + i
		case longText:
			// The help panel says how to start a new line, so the footer's own hint is
			// the one that gives way before esc.
			r = 8
		}
		short, rank = append(short, k), append(rank, r)
	}
	if wd != nil && wd.Capturing() {
		short, rank = append(short, preview, review), append(rank, 0, 0)
		return helpKeys{short: short, full: [][]key.Binding{fullField, leave}, rank: rank}
	}
	short, rank = append(short, km.NextField), append(rank, 5)
	if addingItem(wd) {
		// esc stops adding there, as the list's own keys say: it opens no section list.
		nav = nav[:len(nav)-1]
	} else {
		short, rank = append(short, km.Sections), append(rank, 7)
	}
	short, rank = append(short, preview, review), append(rank, 0, 0)
	// A question the review commented on: the key that replies, where it works.
	comment, general := w.keyHere(km.Comment, km.CommentAlt), w.keyHere(km.General, km.GeneralAlt)
	if b := w.current(); b != nil {
		if _, ok := w.session.thread(b.q.ID); ok {
			short, rank = append(short, comment), append(rank, 4)
		}
	}
	// The review's keys go under the question's own: c comments on this question. As a
	// group of their own they took a row more, and the full help no longer fit 60x16.
	full := [][]key.Binding{nav, append(append([]key.Binding{}, fullField...), comment, general, km.NextOpen), leave}
	return helpKeys{short: short, full: full, rank: rank}
}

// sidebarView draws the section list, width columns wide: each section's state and how
// many of its questions are answered; ✗ marks a section holding an answer with a problem.
// sidebarFrom is everything the section list is drawn from at a height: the progress of
// each section, its review marks, the open section and the list's cursor. View draws the
// list again only when it changes.
func (w *wizard) sidebarFrom(height int) string {
	var b strings.Builder
	b.WriteString(w.cat.Title)
	for _, n := range []int{height, w.progress.Percent(), w.section, w.sideCursor} {
		b.WriteString("\x00" + strconv.Itoa(n))
	}
	b.WriteString("\x00" + strconv.FormatBool(w.sidebar))
	for _, sp := range w.progress.Sections {
		icon, _, prefix := w.sidebarMarks(sp.Section)
		b.WriteString("\x00" + sp.Section.ID + "\x01" + strconv.FormatBool(sp.Shown) + "\x01" + strconv.Itoa(sp.Answered) +
			"\x01" + strconv.Itoa(sp.Total) + "\x01" + strconv.Itoa(sp.Withheld) + "\x01" + icon + "\x01" + prefix)
	}
	return b.String()
}

func (w *wizard) sidebarView(width int) string {
	st := w.ui.styles
	var b strings.Builder
	pct := w.progress.Percent()
	b.WriteString(w.sideLine("bold", st.Bold, truncate(w.cat.Title, width)) + "\n")
	b.WriteString(w.sideLine("bar", st.Bold, strconv.Itoa(pct)+"/"+strconv.Itoa(width-6)) + fmt.Sprintf(" %3d%%", pct) + "\n\n")
	for i, sp := range w.progress.Sections {
		s := sp.Section
		icon, style, styleName := "○", st.Muted, "muted"
		switch sp.State() {
		case "done":
			icon, style, styleName = "✓", st.OK, "ok"
		case "in progress":
			icon, style, styleName = "◐", st.Warn, "warn"
		case "skipped":
			icon, style, styleName = "–", st.Faint, "faint"
		}
		if sp.Withheld > 0 {
			icon, style, styleName = "✗", st.Bad, "bad"
		}
		count := fmt.Sprintf("%d/%d", sp.Answered, sp.Total)
		if !sp.Shown {
			count = "skipped"
		}
		// The review's marks: ✗ for a blocking problem, open comments before the count.
		if mark, markStyle, prefix := w.sidebarMarks(s); sp.Shown {
			if mark != "" {
				icon, style, styleName = mark, markStyle, "mark"
			}
			count = prefix + count
		}
		countW := lipgloss.Width(count)
		name := truncate(s.Title, width-4-countW-1)
		line := fmt.Sprintf("%s %-*s %s", icon, width-4-countW, name, count)
		switch {
		case w.sidebar && i == w.sideCursor:
			b.WriteString(w.sideLine("selected", st.Selected, "›"+line) + "\n")
		case i == w.section:
			b.WriteString(w.sideLine("bold", st.Bold, " "+line) + "\n")
		default:
			b.WriteString(w.sideLine(styleName, style, " "+line) + "\n")
		}
	}
	return b.String()
}

// sideLine is one line of the section list in a style, named by name; "bar" draws the
// progress bar for text's "percent/width". Lines are kept once drawn: an answer changes one
// section's line, and the bar, and styling all of them again was a tenth of a keystroke.
func (w *wizard) sideLine(name string, style lipgloss.Style, text string) string {
	key := name + "\x00" + text
	if out, ok := w.sideLines[key]; ok {
		return out
	}
	if w.sideLines == nil || len(w.sideLines) > 200 {
		w.sideLines = map[string]string{}
	}
	out := style.Render(text)
	if pct, width, ok := strings.Cut(text, "/"); ok && name == "bar" {
		p, _ := strconv.Atoi(pct)
		n, _ := strconv.Atoi(width)
		out = bar(w.ui.styles, p, n)
	}
	w.sideLines[key] = out
	return out
}

// sectionsOverlay is the section list in place of the questions, for a window too narrow
// to show it beside them: esc opens it at every size. Its help gives way first.
func (w *wizard) sectionsOverlay() string {
	width := max(20, min(w.width-2, 60))
	out := strings.TrimRight(w.sidebarView(width), "\n")
	status := w.statusView(w.fieldWidth())
	room := w.height - lipgloss.Height(out) - 1 // 1: the blank line under the list
	if status != "" {
		room -= lipgloss.Height(status)
	}
	if help := w.helpText(w.fieldWidth()); room > 0 && len(help) > 0 {
		out += "\n\n" + w.ui.styles.Muted.Render(w.helpLines(help, min(len(help), room)))
	}
	if status != "" {
		out += "\n" + status
	}
	return out
}

func isHuh(wd widget) bool {
	_, ok := wd.(*huhWidget)
	return ok
}
