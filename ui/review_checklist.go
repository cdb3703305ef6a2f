package ui

import (
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The review in the checklist: where the reviewer's decision stands (missing, stale,
// changes requested, approved) above the list, and every open thread in it, after the
// blocking problems, each jumping to its question.

// addReview adds the session's conversation to the checklist.
func (c *checklist) addReview(s *session) {
	c.reviewer = s.readOnly()
	if s.review == nil && c.reviewer {
		return // a payload read-only: there is no conversation
	}
	st := c.ui.styles
	var r questionnaire.Review
	if s.review != nil {
		r = s.review.r
	}
	for _, t := range c.cat.Threads(r) {
		if t.Open() {
			c.threads = append(c.threads, t)
		}
	}
	state := c.cat.ReviewState(r, s.answers)
	style := st.Muted
	switch {
	case state.Approved:
		style = st.OK
	case state.Stale, state.ChangesRequested:
		style = st.Warn
	}
	summary := c.cat.DecisionSummary(r, s.answers, c.ui.now())
	if r.IsEmpty() && !c.reviewer {
		summary = "Not reviewed yet: nobody has commented or approved."
	}
	c.extra = append(c.extra, style.Render(wrapText(summary, c.width-2)))
	if d := r.Decision; d != nil && d.Message != "" {
		c.extra = append(c.extra, st.Muted.Render(truncate("  “"+questionnaire.OneLine(d.Message)+"”", c.width-2)))
	}
}

// heading is the checklist's title: the partner reviews before submitting; a reviewer
// sees what stands between the draft and submission.
func (c *checklist) heading() string {
	if c.reviewer {
		return "What stands between this draft and submission"
	}
	return "Review before submitting"
}

// rowCount and row order the list: blocking problems, open threads, then the rest.
func (c *checklist) rowCount() int { return len(c.items) + len(c.threads) }

func (c *checklist) row(i int) (*questionnaire.Problem, *questionnaire.Thread) {
	blocking := 0
	for blocking < len(c.items) && c.items[blocking].Severity == questionnaire.Blocking {
		blocking++
	}
	switch {
	case i < 0 || i >= c.rowCount():
		return nil, nil
	case i < blocking:
		return &c.items[i], nil
	case i < blocking+len(c.threads):
		return nil, &c.threads[i-blocking]
	}
	return &c.items[i-len(c.threads)], nil
}

// threadLines draws an open thread: where it is, and its latest comment.
func (c *checklist) threadLines(t questionnaire.Thread, selected bool) []string {
	st := c.ui.styles
	where := "The whole draft"
	if q := c.cat.Question(t.Question); q != nil {
		where = q.Section.Title + " · " + truncate(q.Prompt, c.width-30)
	} else if t.Question != "" {
		where = questionnaire.OneLine(t.Question)
	}
	head := "» " + where
	var lines []string
	if selected {
		lines = append(lines, st.Selected.Render("› "+head))
	} else {
		lines = append(lines, "  "+st.Warn.Render(head))
	}
	msg := fmt.Sprintf("Open comment (%s): %s", questionnaire.Plural(len(t.Comments), "comment"), commentLine(t.Last()))
	wrapped := strings.Split(wrapText(msg, c.width-6), "\n")
	if len(wrapped) > 2 {
		wrapped = append(wrapped[:1], truncate(wrapped[1], c.width-7)+"…")
	}
	for _, l := range wrapped {
		lines = append(lines, "    "+st.Muted.Render(l))
	}
	return lines
}

// reviewWarnings are what the submit screen says of a review that is not settled, as
// pstab push warns: open threads, changes requested, an approval of other answers. A
// draft nobody reviewed gets none, since most drafts are never reviewed.
func (s *session) reviewWarnings() []string {
	if s.review == nil {
		return nil
	}
	r := s.review.r
	state := s.cat.ReviewState(r, s.answers)
	var out []string
	if n := state.OpenThreads; n > 0 {
		out = append(out, fmt.Sprintf("%s still open (the checklist lists %s).",
			questionnaire.PluralWord(n, "1 review thread is", fmt.Sprintf("%d review threads are", n)), questionnaire.PluralWord(n, "it", "them")))
	}
	if d := r.Decision; d != nil {
		who := questionnaire.OneLine(d.Reviewer)
		switch {
		case state.ChangesRequested:
			out = append(out, who+" asked for changes and has not approved since.")
		case state.Stale:
			out = append(out, who+" approved other answers: some changed since the approval.")
		}
	}
	return out
}
