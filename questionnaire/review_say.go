package questionnaire

import (
	"fmt"
	"strings"
	"time"
)

// Remark is what someone wants to add to a conversation: a comment, a reply, a resolution
// or a reopening. Every front-end (the commands, the wizard, the reviewer's screen) turns
// what was typed into a Remark and adds it with Catalogue.Say, so that the rules are the
// same everywhere.
type Remark struct {
	Question string // "" for the general thread
	Author   string
	Text     string
	Action   Action
	At       time.Time
}

// RemarkError says why a remark cannot be added. Input is true when what was typed is
// wrong (a control character, an unknown question); false when the conversation is not in
// a state the remark fits (resolving a thread that is already resolved).
type RemarkError struct {
	Msg   string
	Input bool
}

func (e *RemarkError) Error() string { return e.Msg }

// Say checks a remark against the conversation and the answers, and adds it to r as a
// comment that records the answer it was written against. It returns the comment added.
func (c *Catalogue) Say(r *Review, a Answers, m Remark) (Comment, error) {
	inputErr := func(format string, args ...any) error {
		return &RemarkError{Msg: fmt.Sprintf(format, args...), Input: true}
	}
	author := strings.TrimSpace(m.Author)
	if p := AuthorProblem(author); p != "" {
		return Comment{}, inputErr("%s", p)
	}
	text := strings.TrimSpace(strings.ReplaceAll(m.Text, "\r\n", "\n"))
	if p := CommentProblem(text, m.Action); p != "" {
		return Comment{}, inputErr("%s", p)
	}
	t, exists := r.Thread(m.Question)
	q := c.Question(m.Question)
	if m.Question != "" && q == nil && !exists {
		return Comment{}, inputErr("%s is not a question of the %s; see pstab questions for the IDs", OneLine(m.Question), c.Title)
	}
	where := ThreadName(c, m.Question)
	switch m.Action {
	case ActionResolve:
		switch {
		case !exists:
			return Comment{}, &RemarkError{Msg: fmt.Sprintf("there are no comments on %s to resolve", where)}
		case t.Resolved:
			return Comment{}, &RemarkError{Msg: fmt.Sprintf("the comments on %s were already resolved by %s", where, t.ResolvedBy)}
		}
	case ActionReopen:
		switch {
		case !exists:
			return Comment{}, &RemarkError{Msg: fmt.Sprintf("there are no comments on %s to reopen", where)}
		case !t.Resolved:
			return Comment{}, &RemarkError{Msg: fmt.Sprintf("the comments on %s are open already", where)}
		}
	case ActionNone:
	default:
		return Comment{}, inputErr("%q is not an action", string(m.Action))
	}
	at := m.At
	if at.IsZero() {
		at = time.Now()
	}
	cm := Comment{Question: m.Question, Author: author, At: at.UTC(), Text: text, Action: m.Action}
	if q != nil {
		cm.AnswerSeen = AnswerFingerprint(q, a)
	}
	r.Add(cm)
	return cm, nil
}

// Decide checks and records a reviewer's decision on the answers a.
func (c *Catalogue) Decide(r *Review, a Answers, kind DecisionKind, reviewer, message string, at time.Time) (Decision, error) {
	reviewer = strings.TrimSpace(reviewer)
	if p := AuthorProblem(reviewer); p != "" {
		return Decision{}, &RemarkError{Msg: p, Input: true}
	}
	message = strings.TrimSpace(message)
	switch kind {
	case Approved:
		if message != "" {
			if p := CommentProblem(message, ActionNone); p != "" {
				return Decision{}, &RemarkError{Msg: strings.Replace(p, "the comment", "the message", 1), Input: true}
			}
		}
	case ChangesRequested:
		if p := CommentProblem(message, ActionNone); p != "" {
			return Decision{}, &RemarkError{Msg: strings.Replace(p, "the comment", "the message", 1), Input: true}
		}
	default:
		return Decision{}, &RemarkError{Msg: fmt.Sprintf("%q is not a decision", string(kind)), Input: true}
	}
	if at.IsZero() {
		at = time.Now()
	}
	d := Decision{Kind: kind, Reviewer: reviewer, At: at.UTC(), Answers: c.Fingerprint(a), Message: message}
	r.Decide(d)
	return d, nil
}

// ThreadName names a thread in a sentence: "security-policy" or "the whole draft".
func ThreadName(c *Catalogue, question string) string {
	if question == "" {
		return "the whole draft"
	}
	if q := c.Question(question); q != nil {
		return q.ID
	}
	return OneLine(question)
}

// DecisionSummary says where the review stands, in one sentence: who decided what and
// when, and whether that decision still holds for the answers a.
func (c *Catalogue) DecisionSummary(r Review, a Answers, now time.Time) string {
	d := r.Decision
	if d == nil {
		return "No reviewer has approved these answers yet."
	}
	who, when := OneLine(d.Reviewer), Ago(now, d.At)
	stale := d.Stale(c, a)
	switch {
	case d.Kind == Approved && !stale:
		return fmt.Sprintf("Approved by %s %s, for these answers.", who, when)
	case d.Kind == Approved:
		return fmt.Sprintf("Approved by %s %s, but the answers have changed since: the approval is stale.", who, when)
	case stale:
		return fmt.Sprintf("%s asked for changes %s; the answers have changed since.", who, when)
	}
	return fmt.Sprintf("%s asked for changes %s.", who, when)
}

// ReviewState is where a review stands, for a check such as push's.
type ReviewState struct {
	OpenThreads      int
	ChangesRequested bool // the latest decision asks for changes
	Approved         bool // the latest decision approves these very answers
	Stale            bool // the latest decision was given for other answers
}

// ReviewState sums up a review against the answers a draft has now.
func (c *Catalogue) ReviewState(r Review, a Answers) ReviewState {
	s := ReviewState{OpenThreads: r.OpenThreads()}
	if d := r.Decision; d != nil {
		s.Stale = d.Stale(c, a)
		s.ChangesRequested = d.Kind == ChangesRequested
		s.Approved = d.Kind == Approved && !s.Stale
	}
	return s
}
