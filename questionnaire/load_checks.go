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
