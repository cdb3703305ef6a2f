package ui

import (
	"errors"
	"path/filepath"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// talkState is the wizard's part of the review: the dialog in which a comment, a reply or
// a decision is typed. The conversation itself is the session's.
type talkState struct {
	open     bool
	question string // the thread written to; "" is the whole draft
	input    textinput.Model
	// resolve, toggled with tab, resolves the thread with the remark (or reopens a
	// resolved one).
	resolve bool
	// decision, when set, makes the dialog a reviewer's decision: the text is its message.
	decision questionnaire.DecisionKind
	err      string
}

// readOnlyNotice is what an editing key says in a reviewer's copy.
const readOnlyNotice = "This is the reviewer's copy: answers cannot be changed here. Press c to comment on this question, o on the whole draft."

// reviewKey handles the review's keys: the open dialog's first, then the shortcuts that
// open one or move to the next comment or change. It reports whether it took the key.
func (w *wizard) reviewKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	km := w.ui.keys
	if w.talk.open {
		return w.dialogKey(msg), true
	}
	typing := w.Typing()
	switch {
	case w.sidebar:
		return nil, false
	case key.Matches(msg, km.CommentAlt), key.Matches(msg, km.Comment) && !typing:
		if b := w.current(); b != nil {
			return w.openTalk(b.q.ID, ""), true
		}
		return nil, true
	case key.Matches(msg, km.GeneralAlt), key.Matches(msg, km.General) && !typing:
		return w.openTalk("", ""), true
	case typing:
		return nil, false
	case key.Matches(msg, km.NextOpen):
		return w.stepTo(+1, w.hasOpenThread, "No open comment is left on questions shown."), true
	case key.Matches(msg, km.PrevOpen):
		return w.stepTo(-1, w.hasOpenThread, "No open comment is left on questions shown."), true
	}
	if !w.readOnly() {
		return nil, false
	}
	rs := w.session.review
	switch {
	case key.Matches(msg, km.Approve):
		return w.openTalk("", questionnaire.Approved), true
	case key.Matches(msg, km.RequestChanges):
		return w.openTalk("", questionnaire.ChangesRequested), true
	case key.Matches(msg, km.NextChanged), key.Matches(msg, km.PrevChanged):
		if rs == nil || rs.since == nil {
			w.notice = "Open the file with --since OLD (the bundle you read last time) to step through the answers changed since."
			return nil, true
		}
		dir := +1
		if key.Matches(msg, km.PrevChanged) {
			dir = -1
		}
		return w.stepTo(dir, w.hasChanged, "No other answer shown has changed since "+rs.sinceName+"."), true
	case key.Matches(msg, km.SavePoint) && rs != nil && rs.writer != nil && rs.err != nil:
		// After a failed write, ctrl+s writes the conversation again.
		w.notice = ""
		rs.err = nil
		rs.saving++
		return w.session.writeBundleCmd("Wrote " + filepath.Base(rs.writesTo) + "."), true
	case key.Matches(msg, km.SavePoint), key.Matches(msg, km.Discard), key.Matches(msg, km.Reload):
		w.notice = "Save points, discarding and reloading belong to the partner's draft; this is the reviewer's copy, and only comments are written."
		return nil, true
	}
	return nil, false
}

// readOnlyKey answers a key that would edit an answer in a reviewer's copy, so that a
// key never does nothing without a word.
func (w *wizard) readOnlyKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace, tea.KeyBackspace, tea.KeyDelete:
		w.notice = readOnlyNotice
		if !w.session.canComment() {
			w.notice = "This is a payload, opened read-only: nothing can be changed or commented here. Make a bundle of it (pstab export --file FILE --format bundle) to comment."
		}
	}
	return nil
}

// openTalk opens the dialog on a thread, or for a decision.
func (w *wizard) openTalk(question string, decision questionnaire.DecisionKind) tea.Cmd {
	if !w.session.canComment() {
		w.notice = "This is a payload, opened read-only: it has no room for comments. Make a bundle of it (pstab export --file FILE --format bundle) to comment."
		return nil
	}
	in := textinput.New()
	in.CharLimit = questionnaire.MaxCommentLength
	in.Width = max(10, w.fieldWidth()-4)
	in.Prompt = "› "
	switch decision {
	case questionnaire.Approved:
		in.Placeholder = "a word for the partner (optional)"
	case questionnaire.ChangesRequested:
		in.Placeholder = "what should change"
	default:
		in.Placeholder = "your comment"
		if t, ok := w.session.thread(question); ok && !t.Resolved {
			in.Placeholder = "your reply"
		}
	}
	w.talk = talkState{open: true, question: question, input: in, decision: decision}
	w.notice = ""
	return w.talk.input.Focus()
}

// dialogKey handles a key in the dialog: enter sends, tab toggles resolving, esc closes.
func (w *wizard) dialogKey(msg tea.KeyMsg) tea.Cmd {
	km := w.ui.keys
	switch {
	case msg.Type == tea.KeyEsc:
		w.talk = talkState{}
		return nil
	case msg.Type == tea.KeyEnter:
		return w.sendTalk()
	case key.Matches(msg, km.ToggleResolve) && w.talk.decision == "":
		if _, ok := w.session.thread(w.talk.question); ok {
			w.talk.resolve = !w.talk.resolve
		}
		return nil
	}
	var cmd tea.Cmd
	w.talk.input, cmd = w.talk.input.Update(msg)
	w.talk.err = ""
	return cmd
}

// sendTalk sends what the dialog holds; a refusal keeps the dialog open, saying why.
func (w *wizard) sendTalk() tea.Cmd {
	t := w.talk
	text := questionnaire.CleanText(t.input.Value(), true)
	var cmd tea.Cmd
	var err error
	if t.decision != "" {
		cmd, err = w.session.decide(t.decision, text)
	} else {
		m := questionnaire.Remark{Question: t.question, Text: text}
		if th, ok := w.session.thread(t.question); ok && t.resolve {
			m.Action = questionnaire.ActionResolve
			if th.Resolved {
				m.Action = questionnaire.ActionReopen
			}
		}
		cmd, err = w.session.say(m)
	}
	if err != nil {
		var re *questionnaire.RemarkError
		msg := err.Error()
		if errors.As(err, &re) {
			msg = re.Msg
		}
		w.talk.err = questionnaire.Sentence(msg)
		return nil
	}
	w.talk = talkState{}
	return cmd
}

// hasOpenThread and hasChanged are what ] and n step to.
func (w *wizard) hasOpenThread(q *questionnaire.Question) bool {
	t, ok := w.session.thread(q.ID)
	return ok && t.Open()
}

func (w *wizard) hasChanged(q *questionnaire.Question) bool {
	rs := w.session.review
	if rs == nil {
		return false
	}
	_, ok := rs.changes[q.ID]
	return ok
}

// stepTo focuses the next (dir +1) or previous (-1) shown question that has what is
// asked, across sections and round the end, saying so when there is none.
func (w *wizard) stepTo(dir int, has func(*questionnaire.Question) bool, none string) tea.Cmd {
	shown := w.vis.Questions()
	if len(shown) == 0 {
		return nil
	}
	at := -1
	if b := w.current(); b != nil {
		for i, q := range shown {
			if q == b.q {
				at = i
			}
		}
	}
	if at < 0 && dir < 0 {
		at = 0
	}
	for n := 1; n <= len(shown); n++ {
		i := ((at+dir*n)%len(shown) + len(shown)) % len(shown)
		if q := shown[i]; has(q) {
			if b := w.current(); b != nil && b.q == q {
				break // the only one is the question already focused
			}
			return w.goTo(questionnaire.Problem{Question: q, Item: -1})
		}
	}
	if b := w.current(); b != nil && has(b.q) {
		w.notice = "This is the only one."
		return nil
	}
	w.notice = none
	return nil
}

// talkHelp is the footer while the dialog is open.
func (w *wizard) talkHelp() helpKeys {
	send := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send"))
	cancel := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	short := []key.Binding{send, cancel}
	if t, ok := w.session.thread(w.talk.question); ok && w.talk.decision == "" {
		label := "resolve too"
		if t.Resolved {
			label = "reopen too"
		}
		short = []key.Binding{send, key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", label)), cancel}
	}
	return helpKeys{short: short, full: [][]key.Binding{short}}
}
