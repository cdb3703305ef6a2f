package questionnaire

// Readiness returns what stands between a draft and a listing Atlassian and customers will
// accept: the blocking problems of Validate (wrong values, unsafe links), then the findings
// of the catalogue's readiness checks (security requirements, contradictions between
// answers), then the shown questions still unanswered (a complete tab is what app approval
// requires), except those a check already explains. Each problem says what to change.
func (c *Catalogue) Readiness(a Answers) []Problem {
	vis := c.Visible(a)
	problems := c.validate(a, vis)
	lookup := shownAnswers(c, a, vis)
	var out []Problem
	for _, p := range problems {
		if p.Severity == Blocking {
			out = append(out, p)
		}
	}
	explained := map[*Question]bool{} // questions a check already speaks about
	for _, ch := range c.Checks {
		if ch.If.eval(lookup) {
			out = append(out, Problem{Question: ch.Question, Path: ch.Question.Path(), Item: -1,
				Severity: ch.Severity, Message: ch.Message, Check: ch.ID})
			explained[ch.Question] = true
		}
	}
	for _, p := range problems {
		if p.Severity == Unanswered && !explained[p.Question] {
			out = append(out, p)
		}
	}
	return out
}
