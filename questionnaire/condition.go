package questionnaire

import (
	"slices"
	"strconv"
	"strings"
)

// Condition decides whether a question is shown (or which verdict a rule gives). Exactly one
// form is set: All, Any, Not, or a test on one earlier question (Question with Equals, In or
// Answered). There is deliberately no general expression language.
type Condition struct {
	All []*Condition
	Any []*Condition
	Not *Condition

	Question string
	Equals   *Literal
	In       []Literal
	Answered *bool

	Line int // where the condition is written, for messages
}

// Literal is a value a condition compares an answer with: a boolean or a string.
type Literal struct {
	IsBool bool
	Bool   bool
	Str    string
}

// String returns the literal as it would be written in a catalogue.
func (l Literal) String() string {
	if l.IsBool {
		return strconv.FormatBool(l.Bool)
	}
	return strconv.Quote(l.Str)
}

// answerLookup returns the answer to a question when it is shown and answered.
type answerLookup func(id string) (*Question, Value, bool)

// shownAnswers is the lookup of the answers a visibility shows: a hidden question's
// answer counts as no answer, whatever the draft holds.
func shownAnswers(c *Catalogue, a Answers, vis Visibility) answerLookup {
	return func(id string) (*Question, Value, bool) {
		q := c.byID[id]
		if q == nil || !vis.shown[q.Index] {
			return q, Value{}, false
		}
		v, ok := a.Get(id)
		return q, v, ok
	}
}

// eval evaluates the condition. A question that is hidden or unanswered matches neither
// equals nor in, and counts as not answered.
func (c *Condition) eval(lookup answerLookup) bool {
	switch {
	case c == nil:
		return true
	case c.All != nil:
		for _, sub := range c.All {
			if !sub.eval(lookup) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, sub := range c.Any {
			if sub.eval(lookup) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.eval(lookup)
	}
	q, v, ok := lookup(c.Question)
	switch {
	case c.Answered != nil:
		return ok == *c.Answered
	case !ok:
		return false
	case c.Equals != nil:
		return matches(q, v, *c.Equals)
	default:
		for _, lit := range c.In {
			if matches(q, v, lit) {
				return true
			}
		}
		return false
	}
}

// matches compares one answer with a literal. For list kinds it means "contains".
func matches(q *Question, v Value, lit Literal) bool {
	switch q.Kind {
	case KindYesNo:
		return lit.IsBool && v.Bool != nil && *v.Bool == lit.Bool
	case KindTriState:
		want := lit.Str
		if lit.IsBool {
			want = strconv.FormatBool(lit.Bool)
		}
		return strings.EqualFold(q.canonical(triText(v)), q.canonical(want))
	case KindList, KindMultiChoice:
		return !lit.IsBool && slices.Contains(q.canonicalList(v.List), q.canonical(lit.Str))
	}
	// An answer an earlier catalogue spelled differently matches its option's value.
	return !lit.IsBool && q.canonical(v.Text) == q.canonical(lit.Str)
}

// leaves calls fn for every single-question test in the condition.
func (c *Condition) leaves(fn func(leaf *Condition)) {
	if c == nil {
		return
	}
	for _, sub := range c.All {
		sub.leaves(fn)
	}
	for _, sub := range c.Any {
		sub.leaves(fn)
	}
	c.Not.leaves(fn)
	if c.Question != "" {
		fn(c)
	}
}
