package questionnaire

// Judgement is the verdict on one judged answer of the Security Self-Assessment.
type Judgement struct {
	Question *Question
	Verdict  Verdict
	Because  string // what to change, for needs-details and fail
}

// Judge applies each shown question's passing criterion (its judge rules, first match wins)
// to the answers. Shown questions with rules but no answer are judged unanswered. The
// result is in catalogue order; a catalogue without judge rules gives none.
func (c *Catalogue) Judge(a Answers) []Judgement {
	vis := c.Visible(a)
	lookup := shownAnswers(c, a, vis)
	var out []Judgement
	for _, q := range c.Questions {
		if len(q.Judge) == 0 || !vis.shown[q.Index] {
			continue
		}
		if _, ok := a.Get(q.ID); !ok {
			out = append(out, Judgement{Question: q, Verdict: VerdictUnanswered, Because: "Not answered yet."})
			continue
		}
		for _, r := range q.Judge {
			if r.If == nil || r.If.eval(lookup) {
				out = append(out, Judgement{Question: q, Verdict: r.Verdict, Because: r.Because})
				break
			}
		}
	}
	return out
}
