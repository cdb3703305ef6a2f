package ui

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// The review conversation in the TUI. Both people see it: the partner in the wizard of
// their draft (comments kept in the drafts file, through the store), the reviewer in
// pstab review FILE (comments written back to the bundle, through ReviewDoc.Save). The
// session holds it beside the answers, since the checklist and the wizard read the same
// conversation; every remark is checked by questionnaire.Catalogue.Say before it is sent,
// so that a refused one is explained at once and nothing is written.

// reviewState is the conversation of a session's draft.
type reviewState struct {
	r      questionnaire.Review
	author string // who signs what is typed here

	// A reviewer's copy writes the bundle through save; a partner's draft has none (the
	// store keeps the conversation).
	save     func(questionnaire.Review) error
	writesTo string // for the header: the file save writes
	writer   *reviewWriter

	// since are the answers the reviewer read last time (review --since OLD): the
	// questions whose answer changed are marked, and n/N step through them.
	since     *questionnaire.Answers
	sinceName string
	changes   map[string]questionnaire.Change

	saving  int // remarks sent and not yet stored
	savedAt time.Time
	err     error
}

// reviewWriter writes a reviewer's bundle one save at a time, newest last: two comments
// made in quick succession start two commands, and the file must end up holding both.
type reviewWriter struct {
	mu      sync.Mutex
	written int // the sequence number of the last review written
	seq     int // the sequence number given to the last save started (UI goroutine only)
	save    func(questionnaire.Review) error
}

func (w *reviewWriter) write(seq int, r questionnaire.Review) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq < w.written {
		return nil // a newer review, holding this one's comments too, is on disk already
	}
	if err := w.save(r); err != nil {
		return err
	}
	w.written = seq
	return nil
}

// reviewSavedMsg reports a remark or a decision stored: the conversation as it is now.
type reviewSavedMsg struct {
	s      *session
	r      questionnaire.Review
	ok     bool // r is the stored conversation (a partner's draft read back)
	notice string
	err    error
}

func (m reviewSavedMsg) owner() *session { return m.s }

// newReviewState builds the conversation of a reviewer's copy.
func newReviewState(cat *questionnaire.Catalogue, doc *ReviewDoc, answers questionnaire.Answers, author string) *reviewState {
	rs := &reviewState{r: doc.Review, author: author, save: doc.Save, writesTo: doc.WritesTo}
	if doc.Save != nil {
		rs.writer = &reviewWriter{save: doc.Save}
	}
	if doc.Since != nil {
		rs.since, rs.sinceName = doc.Since, filepath.Base(doc.SinceName)
		rs.changes = map[string]questionnaire.Change{}
		for _, ch := range cat.Diff(*doc.Since, answers) {
			rs.changes[ch.Question.ID] = ch
		}
		// The conversation the reviewer saw last is part of this one too.
		rs.r.Merge(doc.SinceReview)
	}
	return rs
}

// loadReviewCmd reads a partner's draft's conversation, once the draft is open.
func loadReviewCmd(s *session) tea.Cmd {
	if s.readOnly() || s.ui.drafts == nil {
		return nil
	}
	ctx, drafts, ref := s.ui.ctx, s.ui.drafts, s.ref
	return func() tea.Msg {
		r, err := drafts.Review(ctx, ref)
		return reviewSavedMsg{s: s, r: r, ok: err == nil, err: err}
	}
}

// signer is the name remarks typed here are signed with.
func (rs *reviewState) signer(ui *shared) string {
	if rs.author != "" {
		return rs.author
	}
	return ui.author
}

// conversation returns the session's review, making an empty one for a partner's draft.
func (s *session) conversation() *reviewState {
	if s.review == nil {
		s.review = &reviewState{}
	}
	return s.review
}

// canComment reports whether remarks typed here go anywhere: a partner's draft always; a
// reviewer's copy when it came from a bundle that can be written back.
func (s *session) canComment() bool {
	return !s.readOnly() || s.review != nil && s.review.writer != nil
}

// say checks a remark and sends it: to the store for a partner's draft, into the bundle
// for a reviewer's copy. A refused remark returns its error and sends nothing.
func (s *session) say(m questionnaire.Remark) (tea.Cmd, error) {
	rs := s.conversation()
	if !s.canComment() {
		return nil, fmt.Errorf("this file cannot take comments: it is a payload, not a bundle")
	}
	m.Author, m.At = rs.signer(s.ui), s.ui.now()
	r := rs.r.Clone()
	cm, err := s.cat.Say(&r, s.answers, m)
	if err != nil {
		return nil, err
	}
	_, existed := rs.r.Thread(m.Question)
	notice := remarkNotice(s.cat, cm, existed)
	rs.r, rs.err = r, nil
	rs.saving++
	if s.readOnly() {
		return s.writeBundleCmd(notice), nil
	}
	ctx, drafts, ref := s.ui.ctx, s.ui.drafts, s.ref
	send := func() tea.Msg {
		if _, err := drafts.Say(ctx, ref, m); err != nil {
			return reviewSavedMsg{s: s, err: err}
		}
		stored, err := drafts.Review(ctx, ref)
		return reviewSavedMsg{s: s, r: stored, ok: err == nil, notice: notice, err: err}
	}
	// The comment records the answer it was written against: save what is typed first.
	s.collect()
	return tea.Sequence(s.flush(), send), nil
}

// decide records a reviewer's decision in the bundle.
func (s *session) decide(kind questionnaire.DecisionKind, message string) (tea.Cmd, error) {
	rs := s.conversation()
	if !s.readOnly() || rs.writer == nil {
		return nil, fmt.Errorf("only a reviewer approves, in pstab review FILE")
	}
	d, err := s.cat.Decide(&rs.r, s.answers, kind, rs.signer(s.ui), message, s.ui.now())
	if err != nil {
		return nil, err
	}
	rs.err = nil
	rs.saving++
	notice := "Approved these answers as " + d.Reviewer + "."
	if kind == questionnaire.ChangesRequested {
		notice = "Asked the partner for changes, as " + d.Reviewer + "."
	}
	return s.writeBundleCmd(notice), nil
}

func (s *session) writeBundleCmd(notice string) tea.Cmd {
	rs := s.review
	rs.writer.seq++
	seq, r, w := rs.writer.seq, rs.r.Clone(), rs.writer
	return func() tea.Msg {
		if err := w.write(seq, r); err != nil {
			return reviewSavedMsg{s: s, err: err}
		}
		return reviewSavedMsg{s: s, notice: notice}
	}
}

// onReviewSaved takes a stored conversation in, or keeps the error to show. A failed
// remark stays on screen (and in the next write of a reviewer's file); the error says
// it was not stored.
func (s *session) onReviewSaved(msg reviewSavedMsg) {
	rs := s.conversation()
	if rs.saving > 0 && (msg.notice != "" || msg.err != nil) {
		rs.saving--
	}
	if msg.err != nil {
		rs.err = msg.err
		return
	}
	if msg.ok {
		rs.r = msg.r
	}
	if msg.notice != "" {
		rs.savedAt = s.ui.now()
		s.changed(draftChange{notice: msg.notice})
	}
}

func remarkNotice(c *questionnaire.Catalogue, cm questionnaire.Comment, existed bool) string {
	where := questionnaire.ThreadName(c, cm.Question)
	switch {
	case cm.Action == questionnaire.ActionResolve:
		return "Resolved the comments on " + where + "."
	case cm.Action == questionnaire.ActionReopen:
		return "Reopened the comments on " + where + "."
	case existed:
		return "Replied on " + where + "."
	}
	return "Commented on " + where + "."
}

// reviewStatus is the header's status for a reviewer's copy: what is written where.
func (s *session) reviewStatus() string {
	st := s.ui.styles
	rs := s.review
	switch {
	case rs == nil || rs.writer == nil:
		return st.Info.Render("read-only: nothing is written")
	case rs.err != nil:
		return st.Bad.Render("✗ not written to " + filepath.Base(rs.writesTo))
	case rs.saving > 0:
		return st.Muted.Render("writing " + filepath.Base(rs.writesTo) + "…")
	case !rs.savedAt.IsZero():
		return st.Faint.Render("wrote " + filepath.Base(rs.writesTo) + " " + rs.savedAt.Local().Format("15:04:05"))
	}
	return st.Info.Render("comments go to " + filepath.Base(rs.writesTo))
}

// openThreadsIn counts the open threads on a section's questions.
func (s *session) openThreadsIn(sec *questionnaire.Section) int {
	if s.review == nil {
		return 0
	}
	return s.cat.OpenBySection(s.review.r)[sec.ID]
}

// thread returns the conversation on a question, if there is one.
func (s *session) thread(question string) (questionnaire.Thread, bool) {
	if s.review == nil {
		return questionnaire.Thread{}, false
	}
	return s.review.r.Thread(question)
}

// blockingBySection counts the blocking problems of the answers in each section, by
// section ID, so that a section holding a wrong answer is never shown as done.
func blockingBySection(c *questionnaire.Catalogue, a questionnaire.Answers) map[string]int {
	out := map[string]int{}
	for _, p := range c.Validate(a) {
		if p.Severity == questionnaire.Blocking && p.Question != nil {
			out[p.Question.Section.ID]++
		}
	}
	return out
}
