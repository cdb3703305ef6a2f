package questionnaire

// Visibility is which questions are shown for one set of answers.
type Visibility struct {
	c     *Catalogue
	shown []bool
}

// Visible evaluates every follow-up rule in order and returns which questions are shown. A
// question is shown when its section's condition and its own condition hold; a condition
// treats a hidden question as unanswered, so hiding a question also hides its follow-ups.
// Answers to hidden questions are kept, but left out of validation, progress, the payload
// and the preview.
func (c *Catalogue) Visible(a Answers) Visibility {
	v := Visibility{c: c, shown: make([]bool, len(c.Questions))}
	// The lookup sees v.shown as it is filled in, question by question.
	lookup := shownAnswers(c, a, v)
	sectionShown := make([]bool, len(c.Sections))
	for _, q := range c.Questions {
		if q.SectionRank == 0 {
			// A section's condition only names questions before it, all decided by now;
			// it must be evaluated here, in order, not before any question is decided.
			s := q.Section
			sectionShown[s.Index] = s.ShowIf == nil || s.ShowIf.eval(lookupBefore(lookup, c, q.Index))
		}
		v.shown[q.Index] = sectionShown[q.Section.Index] && q.ShowIf.eval(lookup)
	}
	return v
}

// lookupBefore is lookup restricted to questions before index (the rest are not decided yet).
func lookupBefore(lookup answerLookup, c *Catalogue, index int) answerLookup {
	return func(id string) (*Question, Value, bool) {
		q := c.byID[id]
		if q == nil || q.Index >= index {
			return q, Value{}, false
		}
		return lookup(id)
	}
}

// Shows reports whether the question is shown.
func (v Visibility) Shows(q *Question) bool {
	return q != nil && q.Index < len(v.shown) && v.shown[q.Index]
}

// ShowsID reports whether the question with this ID is shown.
func (v Visibility) ShowsID(id string) bool { return v.Shows(v.c.byID[id]) }

// Questions returns the shown questions, in order.
func (v Visibility) Questions() []*Question {
	out := make([]*Question, 0, len(v.shown))
	for _, q := range v.c.Questions {
		if v.shown[q.Index] {
			out = append(out, q)
		}
	}
	return out
}

// SectionQuestions returns the shown questions of one section, in order.
func (v Visibility) SectionQuestions(s *Section) []*Question {
	var out []*Question
	for _, q := range s.Questions {
		if v.shown[q.Index] {
			out = append(out, q)
		}
	}
	return out
}

// SectionShown reports whether any question of the section is shown.
func (v Visibility) SectionShown(s *Section) bool {
	for _, q := range s.Questions {
		if v.shown[q.Index] {
			return true
		}
	}
	return false
}

// SectionProgress is how far one section is answered.
type SectionProgress struct {
	Section  *Section
	Shown    bool // false when every question of the section is hidden
	Answered int  // required shown questions that are answered, without a blocking problem
	Total    int  // required shown questions
	Withheld int  // shown questions whose answer has a blocking problem (see answered.go)
}

// State names where a section stands: "done", "in progress", "not started" or "skipped".
func (p SectionProgress) State() string {
	switch {
	case !p.Shown:
		return "skipped"
	case p.Answered >= p.Total:
		return "done"
	case p.Answered == 0:
		return "not started"
	}
	return "in progress"
}

// Progress is how far a draft is answered, per section and overall. Only shown, required
// questions count; a draft is complete when every one of them is answered.
type Progress struct {
	Sections []SectionProgress
	Answered int
	Total    int
}

// Complete reports whether every shown required question is answered.
func (p Progress) Complete() bool { return p.Answered >= p.Total }

// Percent returns the share answered, rounded down, from 0 to 100.
func (p Progress) Percent() int {
	if p.Total == 0 {
		return 100
	}
	return p.Answered * 100 / p.Total
}

// Progress counts answered questions among the shown required ones.
func (c *Catalogue) Progress(a Answers) Progress {
	return c.progress(a, c.Visible(a))
}

func (c *Catalogue) progress(a Answers, vis Visibility) Progress {
	p := Progress{Sections: make([]SectionProgress, len(c.Sections))}
	for i, s := range c.Sections {
		sp := SectionProgress{Section: s}
		for _, q := range s.Questions {
			if !vis.shown[q.Index] {
				continue
			}
			sp.Shown = true
			// An answer with a blocking problem is kept but does not count (answered.go).
			v, ok := a.Get(q.ID)
			counts := ok && q.Counts(v)
			if ok && !counts {
				sp.Withheld++
			}
			if !q.Required {
				continue
			}
			sp.Total++
			if counts {
				sp.Answered++
			}
		}
		p.Sections[i] = sp
		p.Answered += sp.Answered
		p.Total += sp.Total
	}
	return p
}

// Revealed is what one change of answers did to the follow-up questions: the questions
// it brought in and the ones it took away, in catalogue order.
type Revealed struct {
	Shown  []*Question
	Hidden []*Question
}

// Reveals compares which questions two sets of answers show: what a change from before
// to after revealed or hid. The front-ends that report a saved answer's effect use it, so
// that they agree.
func (c *Catalogue) Reveals(before, after Answers) Revealed {
	vb, va := c.Visible(before), c.Visible(after)
	var r Revealed
	for _, q := range c.Questions {
		switch {
		case !vb.Shows(q) && va.Shows(q):
			r.Shown = append(r.Shown, q)
		case vb.Shows(q) && !va.Shows(q):
			r.Hidden = append(r.Hidden, q)
		}
	}
	return r
}
