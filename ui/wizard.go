package ui

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// typingPause is how long after the last keystroke a typed answer is saved. Choices are
// saved at once.
const typingPause = 600 * time.Millisecond

// wizard walks the partner through one draft, a section at a time. It owns the section
// state, navigation, visibility of follow-up questions, inline checks, resume and
// persistence; huh fields are only the inputs of the questions on screen.
type wizard struct {
	ui    *shared
	cat   *questionnaire.Catalogue
	ref   store.DraftRef
	title string // the app's name, or the partner's assessment
	save  *saver // nil in review mode: nothing is ever written

	answers  questionnaire.Answers
	vis      questionnaire.Visibility
	progress questionnaire.Progress
	revision int

	section int      // index into cat.Sections
	blocks  []*block // the shown questions of the section
	focus   int      // index into blocks
	sub     int      // widget index within the focused block

	sidebar    bool // focus is on the section list
	sideCursor int

	// Persistence.
	pending  map[string]questionnaire.Value // answers changed and not yet saved
	order    []string                       // pending question IDs, oldest first
	saving   bool
	saveSeq  int
	savedAt  time.Time
	saveErr  error
	conflict *store.ConflictError
	quitting bool
	notice   string // a quiet one-line message (save point made, reloaded...)
	pasteCut bool   // the input guard cut the paste that is arriving

	// Dialogs.
	askSavePoint bool
	pointInput   textinput.Model
	askDiscard   bool

	width, height int
	scroll        int

	// sideText and sideOut keep the section list's last text and its bordered drawing: it
	// changes only with progress or the cursor, not on every keystroke.
	sideText, sideOut string
}

// openDraftMsg carries a loaded draft to open in the wizard.
type openDraftMsg struct {
	cat   *questionnaire.Catalogue
	ref   store.DraftRef
	title string
	draft store.Draft
	err   error
	// previewOnly opens the preview of the draft rather than the wizard.
	previewOnly bool
}

// savedMsg reports a batch of autosaves.
type savedMsg struct{ res saveResult }

// saveTickMsg fires when the partner has paused typing.
type saveTickMsg struct{ seq int }

// savePointMsg reports a save point.
type savePointMsg struct {
	rev store.Revision
	err error
}

// reloadedMsg carries the draft read again (after a reload or a discard).
type reloadedMsg struct {
	draft     store.Draft
	err       error
	discarded bool
}

// loadDraftCmd loads a draft in a command.
func loadDraftCmd(ui *shared, key, title string) tea.Cmd {
	return func() tea.Msg {
		sub, err := ui.drafts.Subject(ui.ctx, key)
		if err != nil {
			return openDraftMsg{title: title, err: err}
		}
		d, err := ui.drafts.Load(ui.ctx, sub.Ref)
		return openDraftMsg{cat: sub.Catalogue, ref: sub.Ref, title: title, draft: d, err: err}
	}
}

// newWizard opens a loaded draft at the place the partner left off.
func newWizard(ui *shared, msg openDraftMsg, width, height int) *wizard {
	w := &wizard{ui: ui, cat: msg.cat, ref: msg.ref, title: msg.title, pending: map[string]questionnaire.Value{}}
	w.save = &saver{drafts: ui.drafts, ref: msg.ref, now: ui.now, version: msg.draft.Version}
	w.pointInput = textinput.New()
	w.pointInput.Placeholder = "what changed (optional)"
	w.pointInput.CharLimit = 200
	w.setDraft(msg.draft)
	w.SetSize(width, height)
	w.resume(msg.draft.ResumeSection, msg.draft.ResumeQuestion)
	return w
}

// newReviewWizard opens answers read-only, for a reviewer: nothing is saved anywhere.
func newReviewWizard(ui *shared, cat *questionnaire.Catalogue, answers questionnaire.Answers, title string, width, height int) *wizard {
	w := &wizard{ui: ui, cat: cat, title: title, answers: answers, pending: map[string]questionnaire.Value{}}
	w.refresh()
	w.SetSize(width, height)
	w.openSection(w.firstShownSection(0), 0)
	return w
}

func (w *wizard) readOnly() bool { return w.save == nil }

// currentFocusCmd returns the focused widget's start-up command (a blinking cursor).
func (w *wizard) currentFocusCmd() tea.Cmd {
	if wd := w.currentWidget(); wd != nil {
		return wd.Focus()
	}
	return nil
}

func (w *wizard) setDraft(d store.Draft) {
	w.answers = d.Answers
	if w.answers.Values == nil {
		w.answers.Values = map[string]questionnaire.Value{}
	}
	w.revision = d.Revision
	w.refresh()
}

// refresh recomputes what the answers show and how far they are.
func (w *wizard) refresh() {
	w.vis = w.cat.Visible(w.answers)
	w.progress = w.cat.Progress(w.answers)
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
	return w.scheduleSave(typingPause)
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
	w.notice = "That was the last section. Press r to review what is left, or p to preview."
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
	return w.scheduleSave(0)
}

// goTo opens the section of a question and focuses it (from the review checklist).
func (w *wizard) goTo(q *questionnaire.Question) tea.Cmd {
	if q == nil || !w.vis.Shows(q) {
		return nil
	}
	if q.Section.Index != w.section {
		w.openSection(q.Section.Index, 0)
	}
	for i, b := range w.blocks {
		if b.q == q {
			return tea.Batch(w.focusBlock(i, 0), w.afterMove())
		}
	}
	return nil
}

// noteChange compares a block's answer with the draft's and, when it changed, records it,
// updates which follow-ups are shown, and schedules the save.
func (w *wizard) noteChange(b *block) tea.Cmd {
	if w.readOnly() {
		return nil
	}
	v := b.value()
	old, _ := w.answers.Get(b.q.ID)
	if b.q.Same(old, v) {
		return nil
	}
	w.answers.Set(b.q.ID, v)
	if _, ok := w.pending[b.q.ID]; !ok {
		w.order = append(w.order, b.q.ID)
	}
	w.pending[b.q.ID] = v
	if b.touched {
		b.check()
	}
	before := len(w.blocks)
	w.refresh()
	w.syncBlocks()
	if len(w.blocks) != before || w.focus < 0 {
		if w.focus < 0 && len(w.blocks) > 0 {
			w.focus = 0
		}
	}
	delay := time.Duration(0)
	if wd := w.currentWidget(); wd != nil && wd.Typing() {
		delay = typingPause
	}
	return w.scheduleSave(delay)
}

// scheduleSave saves pending answers after delay (at once when zero).
func (w *wizard) scheduleSave(delay time.Duration) tea.Cmd {
	w.saveSeq++
	if delay == 0 {
		return w.flush()
	}
	seq := w.saveSeq
	return tea.Tick(delay, func(time.Time) tea.Msg { return saveTickMsg{seq: seq} })
}

// flush starts saving every pending answer, unless a save is already running (its result
// starts the next one).
func (w *wizard) flush() tea.Cmd {
	if w.readOnly() || w.saving || w.conflict != nil {
		return nil
	}
	batch := w.takePending()
	resume := w.resumePoint()
	w.saving = true
	ctx, s := w.ui.ctx, w.save
	return func() tea.Msg { return savedMsg{res: s.save(ctx, batch, resume)} }
}

func (w *wizard) takePending() []pendingAnswer {
	batch := make([]pendingAnswer, 0, len(w.order))
	for _, id := range w.order {
		batch = append(batch, pendingAnswer{id: id, value: w.pending[id]})
	}
	w.pending, w.order = map[string]questionnaire.Value{}, nil
	return batch
}

// putBack returns unsaved answers to the pending set; newer pending answers win.
func (w *wizard) putBack(unsaved []pendingAnswer) {
	var order []string
	for _, p := range unsaved {
		if _, newer := w.pending[p.id]; newer {
			continue
		}
		w.pending[p.id] = p.value
		order = append(order, p.id)
	}
	w.order = append(order, w.order...)
}

func (w *wizard) resumePoint() [2]string {
	if b := w.current(); b != nil {
		return [2]string{w.cat.Sections[w.section].ID, b.q.ID}
	}
	return [2]string{w.cat.Sections[w.section].ID, ""}
}

// saveNow writes whatever is pending on the caller's goroutine: the last save when the
// program ends, which must not lose an answer however the program was stopped.
func (w *wizard) saveNow(ctx context.Context) error {
	if w == nil || w.readOnly() {
		return nil
	}
	if b := w.current(); b != nil {
		w.noteChange(b)
	}
	batch := w.takePending()
	res := w.save.save(ctx, batch, w.resumePoint())
	w.putBack(res.unsaved)
	return res.err
}

// unsaved reports whether answers are waiting to be saved.
func (w *wizard) unsaved() bool { return w != nil && (len(w.pending) > 0 || w.saving) }

// Update handles a message for the wizard. Keys the root handles (ctrl+c, ?) never reach it.
func (w *wizard) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case savedMsg:
		return w.onSaved(msg.res)
	case saveTickMsg:
		if msg.seq == w.saveSeq {
			return w.flush()
		}
		return nil
	case savePointMsg:
		if msg.err != nil {
			w.saveErr = msg.err
			if ce, ok := isConflict(msg.err); ok {
				w.conflict = ce
			}
			return nil
		}
		w.revision = msg.rev.Number
		w.notice = fmt.Sprintf("Save point %d made at %s.", msg.rev.Number, msg.rev.At.Local().Format("15:04:05"))
		return nil
	case reloadedMsg:
		return w.onReloaded(msg)
	case tea.KeyMsg:
		return w.handleKey(msg)
	}
	if msg == huh.NextField() {
		return w.next()
	}
	if msg == huh.PrevField() {
		return w.prev()
	}
	// Anything else (cursor blinks, spinner ticks) goes to the focused widget.
	if wd := w.currentWidget(); wd != nil {
		return wd.Update(msg)
	}
	return nil
}

func (w *wizard) onSaved(res saveResult) tea.Cmd {
	w.saving = false
	if res.err != nil {
		w.putBack(res.unsaved)
		w.saveErr = res.err
		if ce, ok := isConflict(res.err); ok {
			w.conflict = ce
		}
		if w.quitting {
			w.quitting = false // stay: the answers are on screen, and the error says why
		}
		return nil
	}
	w.saveErr = nil
	w.savedAt = res.at
	if len(w.pending) > 0 {
		return w.flush()
	}
	if w.quitting {
		return tea.Quit
	}
	return nil
}

func (w *wizard) onReloaded(msg reloadedMsg) tea.Cmd {
	if msg.err != nil {
		w.saveErr = msg.err
		return nil
	}
	// Keep the partner's unsaved answers on top of what was reloaded.
	unsaved := w.takePending()
	if msg.discarded {
		unsaved = nil
	}
	focusID := ""
	if b := w.current(); b != nil {
		focusID = b.q.ID
	}
	w.setDraft(msg.draft)
	for _, p := range unsaved {
		w.answers.Set(p.id, p.value)
	}
	w.refresh()
	w.conflict, w.saveErr = nil, nil
	w.blocks = nil
	w.openSection(w.section, 0)
	for i, b := range w.blocks {
		if b.q.ID == focusID {
			w.focusBlock(i, 0)
		}
	}
	if msg.discarded {
		w.notice = "Changes since the last save point were discarded."
		return nil
	}
	w.notice = "Reloaded the draft as it is saved now."
	if len(unsaved) > 0 {
		w.putBack(unsaved)
		w.notice += " Your unsaved answers were kept and are being saved."
		return w.flush()
	}
	return nil
}

// requestQuit saves what is pending, then quits; a failed save keeps pstab open.
func (w *wizard) requestQuit() tea.Cmd {
	w.quitting = true
	if b := w.current(); b != nil && !w.readOnly() {
		w.noteChange(b)
	}
	if w.saving {
		return nil
	}
	if len(w.pending) == 0 || w.conflict != nil {
		return tea.Quit
	}
	return w.flush()
}

func (w *wizard) handleKey(msg tea.KeyMsg) tea.Cmd {
	km := w.ui.keys
	if w.askSavePoint {
		switch msg.Type {
		case tea.KeyEnter:
			w.askSavePoint = false
			message := w.pointInput.Value()
			return w.savePointCmd(message)
		case tea.KeyEsc:
			w.askSavePoint = false
			return nil
		}
		var cmd tea.Cmd
		w.pointInput, cmd = w.pointInput.Update(msg)
		return cmd
	}
	if w.askDiscard {
		w.askDiscard = false
		if key.Matches(msg, km.Yes) {
			return w.discardCmd()
		}
		return nil
	}
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
		return w.reloadCmd()
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
		return nil
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

func (w *wizard) savePointCmd(message string) tea.Cmd {
	if b := w.current(); b != nil {
		w.noteChange(b)
	}
	batch := w.takePending()
	ctx, s, resume := w.ui.ctx, w.save, w.resumePoint()
	w.saving = true
	return tea.Sequence(
		func() tea.Msg { return savedMsg{res: s.save(ctx, batch, resume)} },
		func() tea.Msg {
			rev, err := s.savePoint(ctx, message)
			return savePointMsg{rev: rev, err: err}
		},
	)
}

func (w *wizard) discardCmd() tea.Cmd {
	w.takePending() // the partner asked to throw these away
	ctx, s := w.ui.ctx, w.save
	return func() tea.Msg {
		d, err := s.discard(ctx)
		return reloadedMsg{draft: d, err: err, discarded: true}
	}
}

func (w *wizard) reloadCmd() tea.Cmd {
	ctx, s := w.ui.ctx, w.save
	return func() tea.Msg {
		d, err := s.reload(ctx)
		return reloadedMsg{draft: d, err: err}
	}
}

// addingItem reports whether wd is a list editor with an item being typed: there esc
// keeps the item and stops adding, as its help says, rather than opening the section list.
func addingItem(wd widget) bool {
	l, ok := wd.(*listEditor)
	return ok && l.editing
}

// typing reports whether keys are text right now (so letter shortcuts stay letters).
func (w *wizard) typing() bool {
	if w.askSavePoint {
		return true
	}
	if w.sidebar || w.readOnly() {
		return false
	}
	wd := w.currentWidget()
	return wd != nil && (wd.Typing() || wd.Capturing())
}
