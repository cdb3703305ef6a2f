package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/submit"
)

// wizard walks the partner through one draft, a section at a time. It owns the section
// state, navigation, visibility of follow-up questions on screen, inline checks and
// where to resume; huh fields are only the inputs of the questions on screen.
//
// The wizard embeds the session it edits, so the draft's catalogue, answers, visibility
// and progress read as its own (w.answers, w.vis); every write goes through the session's
// methods (set, scheduleSave, flush, savePoint, discard, reload), and the session's saves
// go on when the wizard is no longer on screen.
type wizard struct {
	*session
	ui *shared

	section int      // index into cat.Sections
	blocks  []*block // the shown questions of the section
	focus   int      // index into blocks
	sub     int      // widget index within the focused block

	sidebar    bool // focus is on the section list
	sideCursor int

	notice      string // a quiet one-line message (save point made, reloaded...)
	lastSection bool   // tab went past the last question: say what is left to do
	// ticketHint adds to the notice the key that opens a rejected form's review ticket,
	// worded when drawn: r, or alt+r while keys are text.
	ticketHint bool
	pasteCut   bool // the input guard cut the paste that is arriving

	// Dialogs.
	askSavePoint bool
	pointInput   textinput.Model
	askDiscard   bool
	talk         talkState // the review's comment dialog (review_keys.go)

	width, height int
	scroll        int

	// sideKey, sideText and sideOut keep what the section list was drawn from
	// (sidebarFrom), its text and its bordered drawing: it changes only with progress or
	// the cursor, not on every keystroke.
	sideKey, sideText, sideOut string
	// sideLines keeps the section list's lines as drawn, by style and text (sideLine).
	sideLines map[string]string
	// helpKey and helpOut keep the help panel's text and drawing: it changes with the
	// focused question, not with every keystroke.
	helpKey, helpOut string
}

// newWizard opens a session's draft at the place the partner left off (a section and a
// question, as the draft recorded them), and becomes the session's editor.
func newWizard(ui *shared, s *session, resumeSection, resumeQuestion string, width, height int) *wizard {
	w := &wizard{session: s, ui: ui}
	s.editor = w
	w.pointInput = textinput.New()
	w.pointInput.Placeholder = "what changed (optional)"
	w.pointInput.CharLimit = 200
	w.SetSize(width, height)
	w.resume(resumeSection, resumeQuestion)
	if p := s.props; p.FormStatus != "" {
		w.notice = "On the Marketplace: formStatus " + p.FormStatus + submit.FormStatusMeaning(p.FormStatus) + "."
		if p.FormStatus == marketplace.FormRejected {
			w.ticketHint = true
		}
	}
	return w
}

// newReviewWizard shows a read-only session, for a reviewer: nothing is saved anywhere.
func newReviewWizard(ui *shared, s *session, width, height int) *wizard {
	w := &wizard{session: s, ui: ui}
	s.editor = w
	w.SetSize(width, height)
	w.openSection(w.firstShownSection(0), 0)
	return w
}

// currentFocusCmd returns the focused widget's start-up command (a blinking cursor).
func (w *wizard) currentFocusCmd() tea.Cmd {
	if wd := w.currentWidget(); wd != nil {
		return wd.Focus()
	}
	return nil
}

// resume opens the section and question where the partner left off, or the first
// unanswered question of a fresh draft.
func (w *wizard) resume(sectionID, questionID string) {
	if s := w.cat.Section(sectionID); s != nil && w.vis.SectionShown(s) {
		w.openSection(s.Index, 0)
		for i, b := range w.blocks {
			if b.q.ID == questionID {
				w.focusBlock(i, 0)
				break
			}
		}
		return
	}
	for _, q := range w.vis.Questions() {
		if _, ok := w.answers.Get(q.ID); !ok {
			w.openSection(q.Section.Index, 0)
			for i, b := range w.blocks {
				if b.q == q {
					w.focusBlock(i, 0)
				}
			}
			return
		}
	}
	w.openSection(w.firstShownSection(0), 0)
}

func (w *wizard) firstShownSection(from int) int {
	for i := from; i < len(w.cat.Sections); i++ {
		if w.vis.SectionShown(w.cat.Sections[i]) {
			return i
		}
	}
	return from
}

// openSection shows a section and focuses its question at index focus.
func (w *wizard) openSection(i, focus int) {
	if len(w.blocks) > 0 {
		w.blurCurrent()
	}
	w.section = i
	w.blocks = nil
	w.scroll = 0
	w.syncBlocks()
	w.sidebar = false
	w.sideCursor = i
	w.focus, w.sub = -1, 0
	if len(w.blocks) > 0 {
		w.focusBlock(min(focus, len(w.blocks)-1), 0)
	}
}

// syncBlocks makes the blocks match the section's shown questions, keeping the blocks
// (and so the cursor and typing state) of questions that stay shown.
func (w *wizard) syncBlocks() {
	s := w.cat.Sections[w.section]
	byID := make(map[string]*block, len(w.blocks))
	for _, b := range w.blocks {
		byID[b.q.ID] = b
	}
	var focused *block
	if w.focus >= 0 && w.focus < len(w.blocks) {
		focused = w.blocks[w.focus]
	}
	next := make([]*block, 0, len(s.Questions))
	for _, q := range w.vis.SectionQuestions(s) {
		b, ok := byID[q.ID]
		if !ok {
			v, _ := w.answers.Get(q.ID)
			b = newBlock(q, v, w.ui, w.fieldWidth())
			b.readOnly = w.readOnly()
			// An answer that arrived wrong (imported, or a reviewer's copy) is marked at
			// once, as one typed wrong is once left.
			if !v.IsEmpty() {
				b.check()
				b.touched = b.problem != ""
			}
		}
		next = append(next, b)
	}
	w.blocks = next
	w.focus = -1
	for i, b := range w.blocks {
		if b == focused {
			w.focus = i
		}
	}
}

func (w *wizard) current() *block {
	if w.focus < 0 || w.focus >= len(w.blocks) {
		return nil
	}
	return w.blocks[w.focus]
}

// toWidget gives the focused widget a message. The kept drawing of its block is dropped:
// the block may change with it.
func (w *wizard) toWidget(wd widget, msg tea.Msg) tea.Cmd {
	if b := w.current(); b != nil {
		b.gen++
	}
	return wd.Update(msg)
}

func (w *wizard) currentWidget() widget {
	b := w.current()
	if b == nil || w.readOnly() {
		return nil
	}
	ws := b.widgets()
	if w.sub >= len(ws) {
		w.sub = len(ws) - 1
	}
	return ws[w.sub]
}

// focusBlock moves focus to a widget of a block.
func (w *wizard) focusBlock(i, sub int) tea.Cmd {
	if i == w.focus && len(w.blocks) > 0 {
		return w.focusWidget(sub)
	}
	cmd := w.blurCurrent()
	w.focus, w.sub = i, 0
	if sub < 0 {
		w.sub = len(w.blocks[i].widgets()) - 1
	} else {
		w.sub = sub
	}
	if wd := w.currentWidget(); wd != nil {
		w.blocks[i].gen++
		cmd = tea.Batch(cmd, wd.Focus())
	}
	return cmd
}

func (w *wizard) focusWidget(sub int) tea.Cmd {
	var cmds []tea.Cmd
	if wd := w.currentWidget(); wd != nil {
		cmds = append(cmds, wd.Blur())
	}
	w.sub = sub
	if wd := w.currentWidget(); wd != nil {
		w.current().gen++
		cmds = append(cmds, wd.Focus())
	}
	return tea.Batch(cmds...)
}

// blurCurrent leaves the focused question: its answer is checked, in the engine's words.
func (w *wizard) blurCurrent() tea.Cmd {
	b := w.current()
	if b == nil {
		return nil
	}
	var cmd tea.Cmd
	if wd := w.currentWidget(); wd != nil {
		cmd = tea.Batch(wd.Blur(), w.noteChange(b))
	}
	b.touched = true
	b.check()
	return cmd
}

// next moves to the next question, and past the last one to the next shown section.
func (w *wizard) next() tea.Cmd {
	b := w.current()
	if b != nil && !w.readOnly() && w.sub < len(b.widgets())-1 {
		return w.focusWidget(w.sub + 1)
	}
	if w.focus < len(w.blocks)-1 {
		return tea.Batch(w.focusBlock(w.focus+1, 0), w.noteMove())
	}
	return w.nextSection()
}

// noteMove records, after a pause, the question the partner moved to, so that a restart
// resumes there even when nothing was answered on the way.
func (w *wizard) noteMove() tea.Cmd {
	if w.readOnly() {
		return nil
	}
	return w.session.scheduleSave(typingPause)
}

func (w *wizard) prev() tea.Cmd {
	if w.sub > 0 {
		return w.focusWidget(w.sub - 1)
	}
	if w.focus > 0 {
		return tea.Batch(w.focusBlock(w.focus-1, -1), w.noteMove())
	}
	for i := w.section - 1; i >= 0; i-- {
		if w.vis.SectionShown(w.cat.Sections[i]) {
			w.openSection(i, 1<<30)
			return w.afterMove()
		}
	}
	return nil
}

func (w *wizard) nextSection() tea.Cmd {
	for i := w.section + 1; i < len(w.cat.Sections); i++ {
		if w.vis.SectionShown(w.cat.Sections[i]) {
			w.openSection(i, 0)
			return w.afterMove()
		}
	}
	// Said when drawn, with the keys that work where the focus is (r, or alt+r in a field).
	w.lastSection = true
	return nil
}

func (w *wizard) prevSection() tea.Cmd {
	for i := w.section - 1; i >= 0; i-- {
		if w.vis.SectionShown(w.cat.Sections[i]) {
			w.openSection(i, 0)
			return w.afterMove()
		}
	}
	return nil
}

// afterMove records where the partner is, so a restart resumes there.
func (w *wizard) afterMove() tea.Cmd {
	if w.readOnly() {
		return nil
	}
	return w.session.scheduleSave(0)
}

// goTo opens the section of a question and focuses it (from the review checklist); for a
// problem in one entry of a list, the focus goes to that entry, and to its field.
func (w *wizard) goTo(p questionnaire.Problem) tea.Cmd {
	q := p.Question
	if q == nil || !w.vis.Shows(q) {
		return nil
	}
	w.sidebar, w.notice, w.lastSection, w.ticketHint = false, "", false, false
	if q.Section.Index != w.section {
		w.openSection(q.Section.Index, 0)
	}
	for i, b := range w.blocks {
		if b.q != q {
			continue
		}
		cmd := tea.Batch(w.focusBlock(i, 0), w.afterMove())
		switch {
		case b.entities != nil && p.Item >= 0:
			cmd = tea.Batch(cmd, b.entities.focusItem(p.Item, p.Field))
		case b.list != nil && p.Item >= 0 && p.Item < len(b.list.items):
			b.list.commit()
			b.list.cursor = p.Item
		}
		return cmd
	}
	return nil
}

// noteChange compares a block's answer with the draft's and, when it changed, records it,
// updates which follow-ups are shown, and schedules the save.
func (w *wizard) noteChange(b *block) tea.Cmd {
	typing := false
	if wd := w.currentWidget(); wd != nil && wd.Typing() {
		typing = true
	}
	if !w.record(b) {
		if !typing && len(w.pending) > 0 && !w.readOnly() {
			// Typing ended without a change since the last key (an entry's form closed, a
			// list item kept): what was typed waits for no pause.
			return w.session.scheduleSave(0)
		}
		return nil
	}
	delay := time.Duration(0)
	if typing {
		delay = typingPause
	}
	return w.session.scheduleSave(delay)
}

// record hands a block's answer to the session when it differs from the draft's, and
// shows or hides the follow-ups it governs. It reports whether the answer changed.
func (w *wizard) record(b *block) bool {
	if w.readOnly() {
		return false
	}
	v := b.value()
	old, _ := w.answers.Get(b.q.ID)
	if b.q.Same(old, v) {
		return false
	}
	w.session.set(b.q.ID, v)
	if b.touched || b.list != nil || b.entities != nil {
		// A list marks its items as they are kept; a field is checked once left.
		b.check()
	}
	w.syncBlocks()
	if w.focus < 0 && len(w.blocks) > 0 {
		w.focus = 0
	}
	return true
}

// commit hands the session the focused question's answer, typed and not yet recorded (a
// draftEditor method: the session saves it next).
func (w *wizard) commit() {
	if b := w.current(); b != nil {
		w.record(b)
	}
}

// resumeAt is where the partner is: the section shown and the focused question (a
// draftEditor method).
func (w *wizard) resumeAt() (section, question string) {
	section = w.cat.Sections[w.section].ID
	if b := w.current(); b != nil {
		question = b.q.ID
	}
	return section, question
}

// draftChanged shows what changed the draft under the wizard (a draftEditor method): a
// reload rebuilds the section's questions from the answers, keeping the focus.
func (w *wizard) draftChanged(c draftChange) {
	if c.reloaded {
		focusID := ""
		if b := w.current(); b != nil {
			focusID = b.q.ID
		}
		w.blocks = nil
		w.openSection(w.section, 0)
		for i, b := range w.blocks {
			if b.q.ID == focusID {
				w.focusBlock(i, 0)
			}
		}
	}
	if c.notice != "" {
		w.notice = c.notice
	}
}
