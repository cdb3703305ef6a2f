package questionnaire

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// The loader's rules: judging rules, conditions and their literals, and the checks that
// every reference names an earlier question and every API path fits the payload.

func (l *loader) judge(q *Question, jn *yaml.Node) error {
	if jn == nil {
		return nil
	}
	if jn.Kind != yaml.SequenceNode || len(jn.Content) == 0 {
		return l.errf(jn, "judge must be a list of rules")
	}
	for i, rn := range jn.Content {
		var r JudgeRule
		var verdict string
		if err := l.fields(rn, "judge rule", map[string]func(*yaml.Node) error{
			"if":      l.cond(&r.If),
			"verdict": l.str(&verdict),
			"because": l.str(&r.Because),
		}); err != nil {
			return err
		}
		r.Verdict = Verdict(verdict)
		switch {
		case r.Verdict != VerdictPass && r.Verdict != VerdictNeedsDetails && r.Verdict != VerdictFail:
			return l.errf(rn, "verdict must be pass, needs-details or fail, not %q", verdict)
		case r.Verdict != VerdictPass && r.Because == "":
			return l.errf(rn, "a %s verdict needs a because: what the partner should change", verdict)
		case r.If == nil && i != len(jn.Content)-1:
			return l.errf(rn, "a rule without if must be the last one")
		}
		q.Judge = append(q.Judge, r)
	}
	if q.Judge[len(q.Judge)-1].If != nil {
		return l.errf(jn, "the last judge rule must have no if, so every answer gets a verdict")
	}
	return nil
}

// checkReferences checks every condition: show_if may name only earlier questions; judge
// rules may name any question; literals must suit the kind of the question they test.
func (l *loader) checkReferences(c *Catalogue) error {
	check := func(owner string, cond *Condition, before int) error {
		var err error
		cond.leaves(func(leaf *Condition) {
			if err != nil {
				return
			}
			l.q = owner
			target := c.byID[leaf.Question]
			switch {
			case target == nil:
				err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner,
					Msg: fmt.Sprintf("condition refers to unknown question %q", leaf.Question)}
			case before >= 0 && target.Index >= before:
				err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner,
					Msg: fmt.Sprintf("condition refers to %s, which does not come earlier; a condition may only depend on earlier questions", leaf.Question)}
			default:
				if msg := literalProblem(target, leaf); msg != "" {
					err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner, Msg: msg}
				}
			}
		})
		return err
	}
	for _, s := range c.Sections {
		if len(s.Questions) == 0 {
			continue
		}
		if err := check("", s.ShowIf, s.Questions[0].Index); err != nil {
			err.(*CatalogueError).Msg = "section " + s.ID + ": " + err.(*CatalogueError).Msg
			return err
		}
	}
	for _, q := range c.Questions {
		if err := check(q.ID, q.ShowIf, q.Index); err != nil {
			return err
		}
		for _, r := range q.Judge {
			if err := check(q.ID, r.If, -1); err != nil {
				return err
			}
		}
	}
	for _, ch := range c.Checks {
		if err := check("", ch.If, -1); err != nil {
			err.(*CatalogueError).Msg = "check " + ch.ID + ": " + err.(*CatalogueError).Msg
			return err
		}
	}
	return nil
}

// literalProblem says why a test cannot apply to the question it names, or "".
func literalProblem(q *Question, leaf *Condition) string {
	lits := leaf.In
	if leaf.Equals != nil {
		lits = []Literal{*leaf.Equals}
	}
	if len(lits) > 0 && (q.Kind == KindDayRange || q.Kind == KindEntities) {
		return fmt.Sprintf("%s is a %s question; a condition can only test whether it is answered", q.ID, q.Kind)
	}
	for _, lit := range lits {
		switch {
		case q.Kind == KindYesNo && !lit.IsBool:
			return fmt.Sprintf("%s is a yes/no question; compare it with true or false, not %s", q.ID, lit)
		case q.Kind != KindYesNo && q.Kind != KindTriState && lit.IsBool:
			return fmt.Sprintf("%s is a %s question; compare it with a string, not %s", q.ID, q.Kind, lit)
		case q.Kind.HasOptions() && !lit.IsBool && q.Option(lit.Str) == nil:
			return fmt.Sprintf("%s has no option %s (its options are %s)", q.ID, lit, q.optionList())
		}
	}
	return ""
}

// checkAPIPaths refuses two questions writing the same JSON field, or one question's field
// lying inside another's.
func (l *loader) checkAPIPaths(c *Catalogue) error {
	owner := map[string]*Question{}
	for _, q := range c.Questions {
		for _, p := range q.API.paths() {
			if other, dup := owner[p]; dup {
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("bad API path %q: question %s (line %d) already uses it", p, other.ID, other.Line)}
			}
			owner[p] = q
		}
	}
	for p, q := range owner {
		for parts := strings.Split(p, "."); len(parts) > 1; {
			parts = parts[:len(parts)-1]
			if other, ok := owner[strings.Join(parts, ".")]; ok {
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("bad API path %q: it lies inside %s, the answer of %s (line %d)", p, other.API.Path, other.ID, other.Line)}
			}
		}
	}
	return nil
}

func (l *loader) cond(dst **Condition) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		c, err := l.condition(n)
		if err != nil {
			return err
		}
		*dst = c
		return nil
	}
}

const conditionForms = "a condition is {question: ID, equals: V}, {question: ID, in: [V, ...]}, {question: ID, answered: true}, {all: [...]}, {any: [...]} or {not: {...}}"

func (l *loader) condition(n *yaml.Node) (*Condition, error) {
	c := &Condition{Line: n.Line}
	list := func(dst *[]*Condition) func(*yaml.Node) error {
		return func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				return l.errf(v, "expected a list of conditions")
			}
			for _, item := range v.Content {
				sub, err := l.condition(item)
				if err != nil {
					return err
				}
				*dst = append(*dst, sub)
			}
			return nil
		}
	}
	err := l.fields(n, "condition", map[string]func(*yaml.Node) error{
		"all":      list(&c.All),
		"any":      list(&c.Any),
		"not":      l.cond(&c.Not),
		"question": l.str(&c.Question),
		"equals": func(v *yaml.Node) error {
			lit, err := l.literal(v)
			c.Equals = &lit
			return err
		},
		"in": func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				return l.errf(v, "in needs a list of values")
			}
			for _, item := range v.Content {
				lit, err := l.literal(item)
				if err != nil {
					return err
				}
				c.In = append(c.In, lit)
			}
			return nil
		},
		"answered": func(v *yaml.Node) error {
			var b bool
			err := l.boolean(&b)(v)
			c.Answered = &b
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	forms := 0
	for _, set := range []bool{c.All != nil, c.Any != nil, c.Not != nil, c.Question != ""} {
		if set {
			forms++
		}
	}
	tests := 0
	for _, set := range []bool{c.Equals != nil, c.In != nil, c.Answered != nil} {
		if set {
			tests++
		}
	}
	switch {
	case forms != 1:
		return nil, l.errf(n, "%s", conditionForms)
	case c.Question != "" && tests != 1:
		return nil, l.errf(n, "a test on question %s needs exactly one of equals, in or answered", c.Question)
	case c.Question == "" && tests != 0:
		return nil, l.errf(n, "%s", conditionForms)
	}
	return c, nil
}

func (l *loader) literal(n *yaml.Node) (Literal, error) {
	if n.Kind != yaml.ScalarNode {
		return Literal{}, l.errf(n, "expected true, false or a string")
	}
	if n.Tag == "!!bool" {
		var b bool
		_ = n.Decode(&b)
		return Literal{IsBool: true, Bool: b}, nil
	}
	return Literal{Str: n.Value}, nil
}
