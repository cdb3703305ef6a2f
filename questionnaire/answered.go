package questionnaire

import "fmt"

// An answer that is not valid yet: a draft keeps it as the partner typed it (nothing typed
// is lost, and it is shown again with its problem), but it does not count. It is not
// counted as answered in the progress, and it never leaves pstab: the payload, the answer
// sheet and the preview treat its question as unanswered until the answer is fixed. One
// rule decides, Question.Check, the same that pstab set, pstab check and the review
// checklist apply.

// Counts reports whether v answers q: it is not empty and Check finds no problem with it.
func (q *Question) Counts(v Value) bool {
	return !v.IsEmpty() && len(q.Check(v)) == 0
}

// Withheld returns the shown questions whose answer has a blocking problem, in catalogue
// order: the answers a draft keeps but does not send.
func (c *Catalogue) Withheld(a Answers) []*Question {
	return c.withheld(a, c.Visible(a))
}

func (c *Catalogue) withheld(a Answers, vis Visibility) []*Question {
	var out []*Question
	for _, q := range c.Questions {
		if !vis.shown[q.Index] {
			continue
		}
		if v, ok := a.Get(q.ID); ok && !q.Counts(v) {
			out = append(out, q)
		}
	}
	return out
}

// Sendable returns the answers as they may leave pstab: without the answers to shown
// questions that have a blocking problem. The payload, the answer sheet and the Markdown
// preview are built from it, so that they agree with each other and with the progress.
// The answers are returned unchanged (not copied) when none is withheld.
func (c *Catalogue) Sendable(a Answers) Answers {
	held := c.Withheld(a)
	if len(held) == 0 {
		return a
	}
	out := a
	out.Values = make(map[string]Value, len(a.Values))
	for id, v := range a.Values {
		out.Values[id] = v
	}
	for _, q := range held {
		delete(out.Values, q.ID)
	}
	return out
}

// FirstProblem is the first blocking problem of an answer in Check's words, followed by
// how many more there are: "Entry 2 has no purpose; fill it in or remove the entry. (1
// more problem)". It is "" for an answer that counts, and for an empty one. The wizard,
// the answer sheet and the preview say an answer's problem in these words.
func (q *Question) FirstProblem(v Value) string {
	if v.IsEmpty() {
		return ""
	}
	ps := q.Check(v)
	switch len(ps) {
	case 0:
		return ""
	case 1:
		return ps[0].Message
	}
	n := len(ps) - 1
	return fmt.Sprintf("%s (%d more %s)", ps[0].Message, n, PluralWord(n, "problem", "problems"))
}
