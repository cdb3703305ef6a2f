package ui

import (
	"fmt"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pstab/pstab/questionnaire"
)

// Update handles a message for the wizard (the screen contract). Keys the root handles
// (ctrl+c, ?) never reach it; the session's save messages go to the session.
func (w *wizard) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case pasteCutMsg:
		// The paste itself arrives right after this message: the wizard says so then.
		w.pasteCut = true
		return nil, nil
	case tea.KeyMsg:
		return w.handleKey(msg)
	}
	if msg == huh.NextField() {
		return w.next(), nil
	}
	if msg == huh.PrevField() {
		return w.prev(), nil
	}
	// Anything else (cursor blinks, spinner ticks) goes to the focused widget.
	if wd := w.currentWidget(); wd != nil {
		return w.toWidget(wd, msg), nil
	}
	return nil, nil
}

// handleKey handles a key: first an open dialog's, then the keys that leave the wizard,
// then the section list's, then section and question navigation, then the focused
// widget's.
func (w *wizard) handleKey(msg tea.KeyMsg) (tea.Cmd, intent) {
	km := w.ui.keys
	if w.askSavePoint {
		switch msg.Type {
		case tea.KeyEnter:
			w.askSavePoint = false
			return w.session.savePoint(w.pointInput.Value()), nil
		case tea.KeyEsc:
			w.askSavePoint = false
			w.notice = "No save point was made."
			return nil, nil
		}
		var cmd tea.Cmd
		w.pointInput, cmd = w.pointInput.Update(msg)
		return cmd, nil
	}
	if w.askDiscard {
		w.askDiscard = false
		if key.Matches(msg, km.Yes) {
			return w.session.discard(), nil
		}
		w.notice = "Nothing was discarded."
		return nil, nil
	}
	if cmd, ok := w.reviewKey(msg); ok {
		return cmd, nil
	}
	// Letter shortcuts only while no text is typed; the alt+ forms always.
	typingNow := w.Typing()
	switch {
	case key.Matches(msg, km.PreviewAlt), key.Matches(msg, km.Preview) && !typingNow:
		return w.leave(), previewIntent{}
	case key.Matches(msg, km.ReviewAlt), key.Matches(msg, km.Review) && !typingNow:
		return w.leave(), checklistIntent{}
	case w.readOnly() && key.Matches(msg, km.Home):
		return nil, quitIntent{} // a reviewer's wizard is the top, and nothing is typed there
	case w.sidebar && key.Matches(msg, km.Home):
		return w.leave(), backIntent{}
	}
	return w.editKey(msg), nil
}

// leave hands the session what is being typed and starts saving it: the partner is
// leaving the wizard, and the save goes on whichever screen shows.
func (w *wizard) leave() tea.Cmd {
	if w.readOnly() {
		return nil
	}
	w.commit()
	if len(w.pending) == 0 {
		return nil
	}
	return w.session.flush()
}

// editKey handles a key that stays in the wizard.
func (w *wizard) editKey(msg tea.KeyMsg) tea.Cmd {
	km := w.ui.keys
	w.notice, w.lastSection, w.ticketHint = "", false, false
	if w.pasteCut && msg.Paste {
		w.pasteCut = false
		w.notice = fmt.Sprintf("A very long paste was cut at %d KB; no answer takes more than %d characters.",
			maxPasteBytes>>10, questionnaire.DefaultLongTextLimit)
	}
	wd := w.currentWidget()
	capturing := wd != nil && wd.Capturing()
	typing := wd != nil && wd.Typing()

	switch {
	case key.Matches(msg, km.SavePoint) && !w.readOnly():
		w.askSavePoint = true
		w.pointInput.SetValue("")
		return w.pointInput.Focus()
	case key.Matches(msg, km.Discard) && !w.readOnly():
		w.askDiscard = true
		return nil
	case key.Matches(msg, km.Reload) && !w.readOnly():
		return w.session.reload()
	}
	if capturing {
		cmd := w.toWidget(wd, msg)
		return tea.Batch(cmd, w.noteChange(w.current()), w.takeNotice(wd))
	}
	if w.sidebar {
		return w.sidebarKey(msg)
	}
	switch {
	case key.Matches(msg, km.Sections) && !addingItem(wd):
		w.sidebar, w.sideCursor = true, w.section
		return nil
	case key.Matches(msg, km.NextField):
		return w.next()
	case key.Matches(msg, km.PrevField):
		return w.prev()
	case key.Matches(msg, km.NextSection):
		return w.nextSection()
	case key.Matches(msg, km.PrevSection):
		return w.prevSection()
	}
	if w.readOnly() {
		switch {
		case key.Matches(msg, km.Down), msg.Type == tea.KeyEnter:
			return w.next()
		case key.Matches(msg, km.Up):
			return w.prev()
		}
		return w.readOnlyKey(msg)
	}
	if wd == nil {
		return nil
	}
	b := w.current()
	if !typing {
		if cmd, ok := w.answerLetter(b, msg); ok {
			return cmd
		}
	}
	if l, isList := wd.(*listEditor); isList && msg.Type == tea.KeyEnter && l.finishing() {
		// enter on an empty new line ends the list: on to the next question, at once.
		l.commit()
		return tea.Batch(w.noteChange(w.current()), w.next())
	}
	if _, isHuh := wd.(*huhWidget); isHuh && msg.Type == tea.KeyEnter {
		// huh would move on through a NextField command, after keys already typed: the
		// next answer's first letters would land in this field. Move on here and now.
		return tea.Batch(w.noteChange(w.current()), w.next())
	}
	if wd == widget(b.minW) || wd == widget(b.maxW) {
		var ok bool
		if msg, ok = w.onlyDigits(msg); !ok {
			return nil
		}
	}
	if w.doesNothing(b, wd, msg) || w.selectEdge(wd, msg) {
		return nil
	}
	before := utf8.RuneCountInString(b.str)
	cmd := w.toWidget(wd, msg)
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && wd.Typing() && b.choice == wd {
		if limit := b.q.TextLimit(); before+len(msg.Runes) > limit && utf8.RuneCountInString(b.str) >= limit {
			w.notice = fmt.Sprintf("The pasted text was cut: this answer takes at most %d characters.", limit)
		}
	}
	return tea.Batch(cmd, w.noteChange(b), w.takeNotice(wd))
}

// noticer is a widget with a sentence for the status line (an item removed, a limit hit).
type noticer interface{ takeNotice() string }

// takeNotice shows a widget's sentence in the status line, if it has one.
func (w *wizard) takeNotice(wd widget) tea.Cmd {
	if n, ok := wd.(noticer); ok {
		if s := n.takeNotice(); s != "" {
			w.notice = s
		}
	}
	return nil
}

// sidebarKey handles a key in the section list: ↑/↓ choose, enter opens, esc goes back
// to the question (q, handled above, goes home).
func (w *wizard) sidebarKey(msg tea.KeyMsg) tea.Cmd {
	km := w.ui.keys
	switch {
	case key.Matches(msg, km.Up):
		for i := w.sideCursor - 1; i >= 0; i-- {
			if w.vis.SectionShown(w.cat.Sections[i]) {
				w.sideCursor = i
				break
			}
		}
	case key.Matches(msg, km.Down):
		for i := w.sideCursor + 1; i < len(w.cat.Sections); i++ {
			if w.vis.SectionShown(w.cat.Sections[i]) {
				w.sideCursor = i
				break
			}
		}
	case msg.Type == tea.KeyEnter, msg.Type == tea.KeyRight, msg.Type == tea.KeyTab:
		w.openSection(w.sideCursor, 0)
		return w.afterMove()
	case msg.Type == tea.KeyEsc:
		w.sidebar = false
		return w.currentFocusCmd()
	case msg.Type == tea.KeyRunes && !msg.Paste:
		leave := "q goes back to your apps"
		if w.readOnly() {
			leave = "q quits"
		}
		w.notice = fmt.Sprintf("%s does nothing in the section list: ↑/↓ choose, enter opens, esc goes back to the question, %s.", string(msg.Runes), leave)
	}
	return nil
}

// addingItem reports whether wd is a list editor with an item being typed: there esc
// keeps the item and stops adding, as its help says, rather than opening the section list.
func addingItem(wd widget) bool {
	l, ok := wd.(*listEditor)
	return ok && l.editing
}

// Typing reports whether keys are text right now (so letter shortcuts stay letters).
func (w *wizard) Typing() bool {
	if w.askSavePoint || w.talk.open {
		return true
	}
	if w.sidebar || w.readOnly() {
		return false
	}
	wd := w.currentWidget()
	return wd != nil && (wd.Typing() || wd.Capturing())
}
