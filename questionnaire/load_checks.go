package questionnaire

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The loader's readiness checks and the self-assessment's renewal block.

// checks reads the readiness checks. Their conditions may name any question.
func (l *loader) checks(c *Catalogue, cn *yaml.Node) error {
	if cn == nil {
		return nil
	}
	if cn.Kind != yaml.SequenceNode {
		return l.errf(cn, "checks must be a list of {id, question, severity, if, message}")
	}
	seen := map[string]int{}
	for _, n := range cn.Content {
		ch := &Check{Line: n.Line, Severity: Advice}
		var qid, severity string
		l.q = ""
		if err := l.fields(n, "check", map[string]func(*yaml.Node) error{
			"id":       l.str(&ch.ID),
			"question": l.str(&qid),
			"severity": l.str(&severity),
			"if":       l.cond(&ch.If),
			"message":  l.str(&ch.Message),
		}); err != nil {
			return err
		}
		switch severity {
		case "", "advice":
		case "blocking":
			ch.Severity = Blocking
		default:
			return l.errf(n, "check %s: severity must be advice or blocking, not %q", ch.ID, severity)
		}
		ch.Question = c.byID[qid]
		switch {
		case !idPattern.MatchString(ch.ID):
			return l.errf(n, "a check needs an id of lowercase letters, digits and dashes")
		case seen[ch.ID] > 0:
			return l.errf(n, "duplicate check ID %s (first defined on line %d)", ch.ID, seen[ch.ID])
		case ch.Question == nil:
			return l.errf(n, "check %s: question %q is not in the catalogue; name the question the partner should change", ch.ID, qid)
		case ch.If == nil:
			return l.errf(n, "check %s needs an if: the condition under which the draft is not ready", ch.ID)
		case ch.Message == "":
			return l.errf(n, "check %s needs a message saying what to change", ch.ID)
		}
		seen[ch.ID] = ch.Line
		c.Checks = append(c.Checks, ch)
	}
	return nil
}

// renewal reads the renewal rule: which date question holds the last approval, how many
// days an approval lasts, and how many days before its end to remind.
func (l *loader) renewal(c *Catalogue, n *yaml.Node) error {
	if n == nil {
		return nil
	}
	l.q = ""
	r := &RenewalRule{EveryDays: 365, RemindDays: 30, Line: n.Line}
	var qid string
	qline := n.Line
	if err := l.fields(n, "renewal", map[string]func(*yaml.Node) error{
		"question":    func(v *yaml.Node) error { qline = v.Line; return l.str(&qid)(v) },
		"every_days":  l.positive(&r.EveryDays),
		"remind_days": l.positive(&r.RemindDays),
	}); err != nil {
		return err
	}
	r.Question = c.byID[qid]
	switch {
	case qid == "":
		return l.errf(n, "renewal needs a question: the date question that holds the last approval")
	case r.Question == nil:
		return &CatalogueError{File: l.file, Line: qline, Msg: fmt.Sprintf("renewal: question %q is not in the catalogue", qid)}
	case r.Question.Kind != KindDate:
		return &CatalogueError{File: l.file, Line: qline, Msg: fmt.Sprintf("renewal: question %s is a %s question; the renewal needs a date question (kind: date), defined on line %d", qid, r.Question.Kind, r.Question.Line)}
	case r.RemindDays >= r.EveryDays:
		return l.errf(n, "renewal: remind_days (%d) must be fewer than every_days (%d)", r.RemindDays, r.EveryDays)
	}
	c.RenewalRule = r
	return nil
}

// retired reads the retired block of a program Atlassian no longer runs: the date and a
// note. A retired catalogue has no renewal: nothing is due for a program that is gone.
func (l *loader) retired(c *Catalogue, n *yaml.Node) error {
	if n == nil {
		return nil
	}
	l.q = ""
	r := &Retirement{}
	if err := l.fields(n, "retired", map[string]func(*yaml.Node) error{
		"on":   l.str(&r.On),
		"note": l.str(&r.Note),
	}); err != nil {
		return err
	}
	switch {
	case !datePattern.MatchString(r.On):
		return l.errf(n, "retired needs on: the date the program was retired, as YYYY-MM-DD")
	case r.Note == "":
		return l.errf(n, "retired needs a note: what the retirement means for the partner's answers")
	case c.RenewalRule != nil:
		return l.errf(n, "a retired program has no renewal; remove the renewal block")
	}
	c.Retired = r
	return nil
}

// listing checks a question that shows a listing fact: a known fact, of the kind it
// takes, and not also an answer of the API.
func (l *loader) listing(q *Question, n *yaml.Node) error {
	if q.Listing == "" {
		return nil
	}
	want := map[string]Kind{ListingBugBounty: KindYesNo, ListingPrivacy: KindURL}
	kind, known := want[q.Listing]
	switch {
	case !known:
		return l.errf(n, "listing must be %s or %s, not %q", ListingBugBounty, ListingPrivacy, q.Listing)
	case q.Kind != kind:
		return l.errf(n, "the listing fact %s is a %s question, not %s", q.Listing, kind, q.Kind)
	case !q.API.IsZero():
		return l.errf(n, "a listing fact is not sent in the Privacy & Security form: remove its api path")
	}
	return nil
}

// formerly reads how a list question takes in answers saved under an earlier catalogue.
func (l *loader) formerly(q *Question, n *yaml.Node) error {
	if n == nil {
		return nil
	}
	if q.Kind != KindList {
		return l.errf(n, "formerly is only for list questions; a choice's old values go in its options' formerly")
	}
	f := &Formerly{}
	if err := l.fields(n, "formerly", map[string]func(*yaml.Node) error{
		"questions": l.strs(&f.Questions),
		"dropped":   l.strs(&f.Dropped),
	}); err != nil {
		return err
	}
	q.Formerly = f
	return nil
}

// checkFormerly refuses a retired question ID that is still a question, or that two
// questions both take in.
func (l *loader) checkFormerly(c *Catalogue) error {
	taken := map[string]string{}
	for _, q := range c.Questions {
		if q.Formerly == nil {
			continue
		}
		l.q = q.ID
		for _, id := range q.Formerly.Questions {
			switch {
			case c.byID[id] != nil:
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("formerly names %s, which is still a question; only a retired question's answers can join another", id)}
			case taken[id] != "":
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("formerly names %s, which %s takes in already", id, taken[id])}
			}
			taken[id] = q.ID
		}
	}
	l.q = ""
	return nil
}
