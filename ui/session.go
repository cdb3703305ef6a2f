package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
)

// typingPause is how long after the last keystroke a typed answer is saved. Choices are
// saved at once.
const typingPause = 600 * time.Millisecond

// session is the draft open in the TUI: which questionnaire it answers, its answers as
// the partner sees them (with what they show and how far they are), and the queue of
// answers waiting to be saved. The root model owns it, not a screen, because it outlives
// every screen that shows it: a save started in the wizard finishes while the preview or
// home is showing, the review checklist and the submit screen read the same answers, and
// Run saves what is still pending after the program has ended.
//
// How a screen uses it: read cat, answers, vis and progress; write only through set
// (then scheduleSave or flush), savePoint, discard and reload. Every message about the
// session's saves (savedMsg, saveTickMsg, savePointMsg, reloadedMsg) goes to its update,
// which the root calls whichever screen shows. The screen that edits the answers (the
// wizard) registers itself as the session's editor, to be asked where the partner is and
// told when the draft changed under it.
//
// A session without a saver is read-only (a reviewer's copy): nothing is ever written.
type session struct {
	ui    *shared
	cat   *questionnaire.Catalogue
	ref   store.DraftRef
	title string // the app's name, or the partner's assessment
	save  *saver // nil when read-only

	answers  questionnaire.Answers
	vis      questionnaire.Visibility
	progress questionnaire.Progress
	revision int // the latest save point
	// props are the Marketplace's properties of the form as pstab last saw them (the form
	// status, who saved it and when, the review tickets); zero when never read or sent.
	props marketplace.Properties

	editor draftEditor // nil until a screen edits the answers

	// scan is what pstab scan left with the draft: where answers came from, and the
	// manifest's facts for the checklist.
	scan scanInfo

	pending  map[string]questionnaire.Value // answers changed and not yet saved
	order    []string                       // pending question IDs, oldest first
	saving   bool
	saveSeq  int // counts scheduled saves, so that a stale typing pause does nothing
	savedAt  time.Time
	saveErr  error
	conflict *store.ConflictError
	// elsewhere is when another process changed the draft, as the watch saw it: the next
	// save would meet a conflict, so the wizard says so before the partner types on.
	elsewhere *time.Time
	quitting  bool // the partner asked to quit: quit once the save running now has finished
	replaced  bool // another draft was opened in its place: its watch stops

	// review is the conversation about the draft (review.go); blocking counts the
	// blocking problems of each section's answers, by section ID, for the section list.
	review   *reviewState
	blocking map[string]int
}

// draftEditor is the screen that edits a session's answers (today the wizard). The
// session asks it, at every save, where the partner is, so that a restart resumes there;
// before a save that cannot wait (quit, the last save on exit), to hand over an answer
// still being typed; and it tells it when the draft changed under it.
type draftEditor interface {
	resumeAt() (section, question string)
	commit()
	draftChanged(draftChange)
}

// draftChange is what a session message changed, for the editor to show.
type draftChange struct {
	notice   string // a quiet line to show: a save point made, the draft reloaded
	reloaded bool   // the answers were replaced: rebuild whatever shows them
}

// sessionMsg is a message about one session's saves. The root gives it to the session it
// belongs to, whichever screen shows, and even when another draft has been opened since.
type sessionMsg interface {
	// owner is the session the message belongs to; nil means the open session.
	owner() *session
}

// openDraftMsg carries a loaded draft to open.
type openDraftMsg struct {
	cat   *questionnaire.Catalogue
	ref   store.DraftRef
	title string
	draft store.Draft
	err   error
	// previewOnly opens the preview of the draft rather than the wizard.
	previewOnly bool
	scan        scanInfo
}

// savedMsg reports a batch of autosaves.
type savedMsg struct {
	s   *session
	res saveResult
}

// saveTickMsg fires when the partner has paused typing. It carries no session: only the
// open session waits for a pause, since a session being closed has flushed what it had.
type saveTickMsg struct{ seq int }

// savePointMsg reports a save point.
type savePointMsg struct {
	s   *session
	rev store.Revision
	err error
}

// reloadedMsg carries the draft read again (after a reload or a discard).
type reloadedMsg struct {
	s         *session
	draft     store.Draft
	err       error
	discarded bool
	scan      scanInfo
}

func (m savedMsg) owner() *session     { return m.s }
func (saveTickMsg) owner() *session    { return nil }
func (m savePointMsg) owner() *session { return m.s }
func (m reloadedMsg) owner() *session  { return m.s }

// loadDraftCmd loads a draft in a command.
func loadDraftCmd(ui *shared, key, title string, previewOnly bool) tea.Cmd {
	return func() tea.Msg {
		sub, err := ui.drafts.Subject(ui.ctx, key)
		if err != nil {
			return openDraftMsg{title: title, err: err, previewOnly: previewOnly}
		}
		d, err := ui.drafts.Load(ui.ctx, sub.Ref)
		return openDraftMsg{cat: sub.Catalogue, ref: sub.Ref, title: title, draft: d, err: err, previewOnly: previewOnly,
			scan: loadScanInfo(ui.ctx, ui.drafts, sub.Ref)}
	}
}

// newSession opens a loaded draft for editing.
func newSession(ui *shared, msg openDraftMsg) *session {
	s := &session{ui: ui, cat: msg.cat, ref: msg.ref, title: msg.title, pending: map[string]questionnaire.Value{}}
	s.save = &saver{drafts: ui.drafts, ref: msg.ref, now: ui.now, version: msg.draft.Version}
	s.scan = msg.scan
	s.setDraft(msg.draft)
	return s
}

// newReadOnlySession opens answers for a reviewer: nothing is saved anywhere.
func newReadOnlySession(ui *shared, cat *questionnaire.Catalogue, answers questionnaire.Answers, title string) *session {
	s := &session{ui: ui, cat: cat, title: title, answers: answers, pending: map[string]questionnaire.Value{}}
	s.refresh()
	return s
}

func (s *session) readOnly() bool { return s.save == nil }

func (s *session) setDraft(d store.Draft) {
	s.answers = d.Answers
	if s.answers.Values == nil {
		s.answers.Values = map[string]questionnaire.Value{}
	}
	s.revision = d.Revision
	s.props = submit.KnownProperties(d)
	s.refresh()
}

// refresh recomputes what the answers show and how far they are.
func (s *session) refresh() {
	s.vis = s.cat.Visible(s.answers)
	s.progress = s.cat.Progress(s.answers)
	s.blocking = blockingBySection(s.cat, s.answers)
}

// set records an answer the partner gave (an empty value clears it) and queues it to be
// saved; the caller schedules the save.
func (s *session) set(id string, v questionnaire.Value) {
	s.answers.Set(id, v)
	s.scan.edited(id)
	if _, ok := s.pending[id]; !ok {
		s.order = append(s.order, id)
	}
	s.pending[id] = v
	s.refresh()
}

// scheduleSave saves pending answers after delay (at once when zero).
func (s *session) scheduleSave(delay time.Duration) tea.Cmd {
	s.saveSeq++
	if delay == 0 {
		return s.flush()
	}
	seq := s.saveSeq
	return tea.Tick(delay, func(time.Time) tea.Msg { return saveTickMsg{seq: seq} })
}

// flush starts saving every pending answer, unless a save is already running (its result
// starts the next one).
func (s *session) flush() tea.Cmd {
	if s.readOnly() || s.saving || s.conflict != nil {
		return nil
	}
	batch := s.takePending()
	resume := s.resumePoint()
	s.saving = true
	ctx, sv := s.ui.ctx, s.save
	return func() tea.Msg { return savedMsg{s: s, res: sv.save(ctx, batch, resume)} }
}

func (s *session) takePending() []pendingAnswer {
	batch := make([]pendingAnswer, 0, len(s.order))
	for _, id := range s.order {
		batch = append(batch, pendingAnswer{id: id, value: s.pending[id]})
	}
	s.pending, s.order = map[string]questionnaire.Value{}, nil
	return batch
}

// putBack returns unsaved answers to the pending set; newer pending answers win.
func (s *session) putBack(unsaved []pendingAnswer) {
	var order []string
	for _, p := range unsaved {
		if _, newer := s.pending[p.id]; newer {
			continue
		}
		s.pending[p.id] = p.value
		order = append(order, p.id)
	}
	s.order = append(order, s.order...)
}

// resumePoint is where the editor is, saved with the answers.
func (s *session) resumePoint() [2]string {
	if s.editor == nil {
		return [2]string{}
	}
	section, question := s.editor.resumeAt()
	return [2]string{section, question}
}

// collect asks the editor for an answer still being typed, before a save that takes
// everything pending.
func (s *session) collect() {
	if s.editor != nil {
		s.editor.commit()
	}
}

// saveNow writes whatever is pending on the caller's goroutine: the last save when the
// program ends, which must not lose an answer however the program was stopped.
func (s *session) saveNow(ctx context.Context) error {
	if s == nil || s.readOnly() {
		return nil
	}
	s.collect()
	batch := s.takePending()
	res := s.save.save(ctx, batch, s.resumePoint())
	s.putBack(res.unsaved)
	return res.err
}

// unsaved reports whether answers are waiting to be saved.
func (s *session) unsaved() bool { return s != nil && (len(s.pending) > 0 || s.saving) }

// update handles a message about the session's saves.
func (s *session) update(msg sessionMsg) tea.Cmd {
	switch msg := msg.(type) {
	case savedMsg:
		return s.onSaved(msg.res)
	case saveTickMsg:
		if msg.seq == s.saveSeq {
			return s.flush()
		}
	case savePointMsg:
		if msg.err != nil {
			s.saveErr = msg.err
			if ce, ok := isConflict(msg.err); ok {
				s.conflict = ce
			}
			return nil
		}
		s.revision = msg.rev.Number
		s.changed(draftChange{notice: fmt.Sprintf("Save point %d made at %s.", msg.rev.Number, msg.rev.At.Local().Format("15:04:05"))})
	case reloadedMsg:
		return s.onReloaded(msg)
	case reviewSavedMsg:
		s.onReviewSaved(msg)
	case watchTickMsg, watchedMsg:
		return s.onWatch(msg)
	}
	return nil
}

func (s *session) changed(c draftChange) {
	if s.editor != nil {
		s.editor.draftChanged(c)
	}
}

func (s *session) onSaved(res saveResult) tea.Cmd {
	s.saving = false
	if res.err != nil {
		s.putBack(res.unsaved)
		s.saveErr = res.err
		if ce, ok := isConflict(res.err); ok {
			s.conflict = ce
		}
		if s.quitting {
			s.quitting = false // stay: the answers are on screen, and the error says why
		}
		return nil
	}
	s.saveErr = nil
	s.savedAt = res.at
	if len(res.merged) > 0 {
		s.merge(res)
	}
	if len(s.pending) > 0 {
		return s.flush()
	}
	if s.quitting {
		return quitCmd
	}
	return nil
}

// merge shows what another pstab changed in other questions while this one saved: the
// draft as it is now, with the partner's answers not yet saved on top, and a notice that
// names the questions. The answer being typed is handed over first, so that it is kept.
// An unsaved answer to a question the other pstab changed too is a conflict: it stays on
// screen, and its save collides (the banner says so) rather than overwriting the change.
func (s *session) merge(res saveResult) {
	s.collect()
	var both []string
	for _, id := range res.merged {
		if _, ok := s.pending[id]; ok {
			both = append(both, id)
		}
	}
	if len(both) > 0 {
		s.save.unseen(both, res.base)
	}
	names := strings.Join(res.merged, ", ")
	if res.merge == nil {
		s.changed(draftChange{notice: "Another pstab changed " + names + "; your answers were saved beside its changes. Press ctrl+r to show its answers."})
		return
	}
	mine := make(map[string]questionnaire.Value, len(s.pending))
	for id, v := range s.pending {
		mine[id] = v
	}
	s.setDraft(*res.merge)
	for id, v := range mine {
		s.answers.Set(id, v)
	}
	s.refresh()
	s.changed(draftChange{reloaded: true, notice: "Another pstab changed " + names + "; merged: your answers were saved beside its changes, and its answers are shown."})
}

func (s *session) onReloaded(msg reloadedMsg) tea.Cmd {
	if msg.err != nil {
		s.saveErr = msg.err
		return nil
	}
	// Keep the partner's unsaved answers on top of what was reloaded.
	unsaved := s.takePending()
	if msg.discarded {
		unsaved = nil
	}
	s.setDraft(msg.draft)
	s.scan = msg.scan
	for _, p := range unsaved {
		s.answers.Set(p.id, p.value)
		s.scan.edited(p.id)
	}
	s.refresh()
	s.conflict, s.saveErr, s.elsewhere = nil, nil, nil
	if msg.discarded {
		s.changed(draftChange{reloaded: true, notice: "Changes since the last save point were discarded."})
		return nil
	}
	notice := "Reloaded the draft as it is saved now."
	if len(unsaved) == 0 {
		s.changed(draftChange{reloaded: true, notice: notice})
		return nil
	}
	// The editor rebuilds first, so that the save records where the partner is now.
	s.changed(draftChange{reloaded: true, notice: notice + " Your unsaved answers were kept and are being saved."})
	s.putBack(unsaved)
	return s.flush()
}

// quit saves what is pending, then quits; a failed save keeps pstab open. Asked again
// while saving keeps failing, it quits: the error on screen said what is lost.
func (s *session) quit() tea.Cmd {
	if s.quitting || s.saveErr != nil && !s.saving {
		return quitCmd
	}
	s.quitting = true
	s.collect()
	if s.saving {
		return nil // the running save's result quits
	}
	if len(s.pending) == 0 || s.conflict != nil {
		return quitCmd
	}
	return s.flush()
}

// savePoint saves what is pending, then makes a save point of the draft with a message.
func (s *session) savePoint(message string) tea.Cmd {
	s.collect()
	batch := s.takePending()
	ctx, sv, resume := s.ui.ctx, s.save, s.resumePoint()
	s.saving = true
	return tea.Sequence(
		func() tea.Msg { return savedMsg{s: s, res: sv.save(ctx, batch, resume)} },
		func() tea.Msg {
			rev, err := sv.savePoint(ctx, message)
			return savePointMsg{s: s, rev: rev, err: err}
		},
	)
}

// discard throws away every change since the latest save point, pending ones included.
func (s *session) discard() tea.Cmd {
	s.takePending() // the partner asked to throw these away
	ctx, sv, drafts := s.ui.ctx, s.save, s.ui.drafts
	return func() tea.Msg {
		d, err := sv.discard(ctx)
		return reloadedMsg{s: s, draft: d, err: err, discarded: true, scan: loadScanInfo(ctx, drafts, sv.ref)}
	}
}

// reload reads the draft again, as another process left it.
func (s *session) reload() tea.Cmd {
	ctx, sv, drafts := s.ui.ctx, s.save, s.ui.drafts
	return func() tea.Msg {
		d, err := sv.reload(ctx)
		return reloadedMsg{s: s, draft: d, err: err, scan: loadScanInfo(ctx, drafts, sv.ref)}
	}
}

// status is the quiet save status for the header, or a loud one when saving failed; with
// withProgress (no section list beside the questions) it also carries the overall
// progress of a draft being edited.
func (s *session) status(withProgress bool) string {
	st := s.ui.styles
	var save string
	switch {
	case s.readOnly():
		return s.reviewStatus()
	case s.conflict != nil, s.elsewhere != nil:
		save = st.Bad.Render("✗ changed elsewhere: ctrl+r reloads")
	case s.saveErr != nil:
		save = st.Bad.Render("✗ not saved")
	case s.saving || len(s.pending) > 0:
		save = st.Muted.Render("saving…")
	case !s.savedAt.IsZero():
		save = st.Faint.Render("saved " + s.savedAt.Local().Format("15:04:05"))
	}
	if !withProgress {
		return save
	}
	pct := st.Muted.Render(fmt.Sprintf("%d%% done", s.progress.Percent()))
	if save == "" {
		return pct
	}
	return pct + st.Faint.Render(" · ") + save
}
