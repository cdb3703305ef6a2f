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
		return wd.Update(msg), nil
	}
	return nil, nil
}

// handleKey handles a key: first an open dialog's, then the keys that leave the wizard,
// then section and question navigation, then the focused widget's.
func (w *wizard) handleKey(msg tea.KeyMsg) (tea.Cmd, intent) {
	km := w.ui.keys
	if w.askSavePoint {
		switch msg.Type {
		case tea.KeyEnter:
			w.askSavePoint = false
			return w.session.savePoint(w.pointInput.Value()), nil
		case tea.KeyEsc:
			w.askSavePoint = false
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
		return nil, nil
	}
	if cmd, ok := w.reviewKey(msg); ok {
		return cmd, nil
	}
	// Letter shortcuts only while no text is typed; the alt+ forms always.
	typingNow := w.Typing()
	switch {
	case key.Matches(msg, km.PreviewAlt), key.Matches(msg, km.Preview) && !typingNow:
		return nil, previewIntent{}
	case key.Matches(msg, km.ReviewAlt), key.Matches(msg, km.Review) && !typingNow:
		return nil, checklistIntent{}
	case w.sidebar && key.Matches(msg, km.Back):
		// Leaving saves what is pending; the session finishes the save on any screen.
		var cmd tea.Cmd
		if b := w.current(); b != nil {
			cmd = w.noteChange(b)
		}
		return tea.Batch(cmd, w.session.flush()), backIntent{}
	}
	return w.editKey(msg), nil
}

// editKey handles a key that stays in the wizard.
func (w *wizard) editKey(msg tea.KeyMsg) tea.Cmd {
	km := w.ui.keys
	w.notice = ""
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
		cmd := wd.Update(msg)
		return tea.Batch(cmd, w.noteChange(w.current()))
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
	if b := w.current(); !typing && b.q.Kind == questionnaire.KindYesNo {
		// y and n answer a yes/no question at once.
		switch msg.String() {
		case "y", "Y":
			b.load(questionnaire.Bool(true))
			b.choice.Focus()
			return w.noteChange(b)
		case "n", "N":
			b.load(questionnaire.Bool(false))
			b.choice.Focus()
			return w.noteChange(b)
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
	b := w.current()
	before := utf8.RuneCountInString(b.str)
	cmd := wd.Update(msg)
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && wd.Typing() && b.choice == wd {
		if limit := b.q.TextLimit(); before+len(msg.Runes) > limit && utf8.RuneCountInString(b.str) >= limit {
			w.notice = fmt.Sprintf("The pasted text was cut: this answer takes at most %d characters.", limit)
		}
	}
	return tea.Batch(cmd, w.noteChange(b))
}

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
