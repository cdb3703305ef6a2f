package scan

import (
	"fmt"
	"slices"

	"github.com/pstab/pstab/questionnaire"
)

// Left is a proposal an apply does not write, and why.
type Left struct {
	Proposal Proposal
	Why      string
}

// Candidates splits proposals into those an apply may write to a draft holding current,
// and those it leaves: a value the catalogue refuses, a question already answered (unless
// overwrite), or one already holding the proposed value. With overwrite, a sub-processor
// list keeps its entries and gains one for each company it does not cover yet, rather than
// losing the names and purposes already written.
func Candidates(cat *questionnaire.Catalogue, current questionnaire.Answers, props []Proposal, overwrite bool) ([]Proposal, []Left) {
	var apply []Proposal
	var left []Left
	for _, p := range props {
		q := cat.Question(p.Question)
		if q == nil {
			continue
		}
		have, answered := current.Get(p.Question)
		switch {
		case p.Problem != "":
			left = append(left, Left{p, "the catalogue cannot take it: " + questionnaire.LowerFirst(p.Problem)})
		case answered && q.Kind == questionnaire.KindEntities && overwrite:
			merged, added := mergeEntities(q, have, p.Value)
			if added == 0 {
				left = append(left, Left{p, "every company it names is already listed"})
				continue
			}
			p.Value = merged
			p.Reason += fmt.Sprintf(" The %s already listed %s; %s for the companies not covered yet.",
				questionnaire.Plural(len(have.Entities), "entry"), questionnaire.PluralWord(len(have.Entities), "stays", "stay"),
				questionnaire.PluralWord(added, "one is added", fmt.Sprintf("%d are added", added)))
			apply = append(apply, p)
		case answered && q.Same(have, p.Value):
			left = append(left, Left{p, "already says so"})
		case answered && !overwrite:
			left = append(left, Left{p, fmt.Sprintf("already answered (%s); --overwrite replaces it", clip(questionnaire.OneLine(q.Display(have))))})
		default:
			apply = append(apply, p)
		}
	}
	return apply, left
}

// mergeEntities adds to the entries a draft has one for each proposed company none of them
// covers.
func mergeEntities(q *questionnaire.Question, have, proposed questionnaire.Value) (questionnaire.Value, int) {
	out := have.Clone()
	name, link := fieldKeys(q)
	added := 0
	for _, e := range proposed.Entities {
		host, _ := parseHost(e.Field(link).Text)
		d := registrable(host)
		covered := false
		for _, h := range have.Entities {
			if covers(h.Field(name).Text, h.Field(link).Text, d) {
				covered = true
				break
			}
		}
		if !covered {
			out.Entities = append(out.Entities, e.Clone())
			added++
		}
	}
	return out, added
}

// Resolve returns the answers after applying the chosen proposals to current, and the
// proposals the result hides: a follow-up whose question is not answered so (logs-shared
// before logs-eud is Yes) is left, not written where nobody would see it. Hiding can
// cascade, so it repeats until nothing more is dropped.
func Resolve(cat *questionnaire.Catalogue, current questionnaire.Answers, chosen []Proposal) (questionnaire.Answers, []Proposal, []Left) {
	keep := append([]Proposal(nil), chosen...)
	var left []Left
	for {
		after := current.Clone()
		for _, p := range keep {
			after.Set(p.Question, p.Value)
		}
		vis := cat.Visible(after)
		var next []Proposal
		for _, p := range keep {
			if q := cat.Question(p.Question); q != nil && vis.Shows(q) {
				next = append(next, p)
			} else {
				left = append(left, Left{p, hiddenWhy(cat, q)})
			}
		}
		if len(next) == len(keep) {
			return after, keep, left
		}
		keep = next
	}
}

// hiddenWhy says which answers a hidden question waits for.
func hiddenWhy(cat *questionnaire.Catalogue, q *questionnaire.Question) string {
	var ids []string
	var walk func(c *questionnaire.Condition)
	walk = func(c *questionnaire.Condition) {
		if c == nil {
			return
		}
		if c.Question != "" && !slices.Contains(ids, c.Question) {
			ids = append(ids, c.Question)
		}
		for _, s := range c.All {
			walk(s)
		}
		for _, s := range c.Any {
			walk(s)
		}
		walk(c.Not)
	}
	if q != nil {
		walk(q.Section.ShowIf)
		walk(q.ShowIf)
	}
	if len(ids) == 0 {
		return "hidden by the draft's other answers"
	}
	return "a follow-up of " + joinAnd(ids) + ", not asked until " + questionnaire.PluralWord(len(ids), "that is", "they are") + " answered so; answer " + questionnaire.PluralWord(len(ids), "it", "them") + " and scan again"
}
