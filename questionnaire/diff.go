package questionnaire

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Change is how one question's answer differs between two sets of answers, in words.
type Change struct {
	Question *Question
	Before   string // the earlier answer in words, or "" when it was not answered
	After    string // the later answer in words, or "" when it is not answered
	Summary  string // one sentence, such as `Changed from "No" to "Yes".`
	// Hidden is true when the question is hidden in the later answers: the change is kept in
	// the draft but will not be sent or shown on the listing.
	Hidden bool
}

// ExtraChange is a difference in payload fields the catalogue does not know.
type ExtraChange struct {
	Path   string
	Before string // JSON, or "" when absent
	After  string
}

// Diff compares two sets of answers question by question, in catalogue order. It compares
// every answer held, shown or hidden, so that nothing changes unseen.
func (c *Catalogue) Diff(before, after Answers) []Change {
	vis := c.Visible(after)
	var out []Change
	for _, q := range c.Questions {
		b, bok := before.Get(q.ID)
		a, aok := after.Get(q.ID)
		if !bok && !aok || bok && aok && q.Same(b, a) {
			continue
		}
		ch := Change{Question: q, Hidden: !vis.shown[q.Index]}
		if bok {
			ch.Before = OneLine(q.Display(b))
		}
		if aok {
			ch.After = OneLine(q.Display(a))
		}
		switch {
		case !bok:
			ch.Summary = fmt.Sprintf("Answered %s.", quoteValue(ch.After))
		case !aok:
			ch.Summary = fmt.Sprintf("Answer removed (was %s).", quoteValue(ch.Before))
		case q.Kind == KindList || q.Kind == KindMultiChoice:
			ch.Summary = listChange(q, b.List, a.List)
		case q.Kind == KindEntities:
			ch.Summary = q.entityChange(b.Entities, a.Entities)
		default:
			ch.Summary = fmt.Sprintf("Changed from %s to %s.", quoteValue(ch.Before), quoteValue(ch.After))
		}
		out = append(out, ch)
	}
	return out
}

func listChange(q *Question, before, after []string) string {
	label := func(s string) string {
		if q.Kind == KindMultiChoice {
			s = q.OptionLabel(s)
		}
		return quoteValue(s)
	}
	var added, removed []string
	for _, s := range after {
		if !slices.Contains(before, s) {
			added = append(added, label(s))
		}
	}
	for _, s := range before {
		if !slices.Contains(after, s) {
			removed = append(removed, label(s))
		}
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "added "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "removed "+strings.Join(removed, ", "))
	}
	if len(parts) == 0 {
		return "Reordered."
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// entityChange describes changes to a list of records, matching records by their first
// field (the name).
func (q *Question) entityChange(before, after []Entity) string {
	key := q.Fields[0].Key
	name := func(e Entity) string {
		if n := strings.TrimSpace(e.Fields[key].Text); n != "" {
			return n
		}
		return "(unnamed)"
	}
	find := func(list []Entity, n string) (Entity, bool) {
		for _, e := range list {
			if name(e) == n {
				return e, true
			}
		}
		return Entity{}, false
	}
	var parts []string
	for _, e := range after {
		old, ok := find(before, name(e))
		if !ok {
			parts = append(parts, "added "+quoteValue(name(e)))
			continue
		}
		if q.sameEntity(old, e) {
			continue
		}
		var fields []string
		for _, f := range q.Fields {
			ov, nv := old.Fields[f.Key], e.Fields[f.Key]
			if f.Kind == KindList && !slices.Equal(ov.List, nv.List) || f.Kind != KindList && ov.Text != nv.Text {
				fields = append(fields, strings.ToLower(f.Label))
			}
		}
		if len(fields) == 0 {
			fields = append(fields, "other details")
		}
		parts = append(parts, fmt.Sprintf("changed the %s of %s", strings.Join(fields, " and "), quoteValue(name(e))))
	}
	for _, e := range before {
		if _, ok := find(after, name(e)); !ok {
			parts = append(parts, "removed "+quoteValue(name(e)))
		}
	}
	if len(parts) == 0 {
		return "Reordered."
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// DiffExtra compares the payload fields the catalogue does not know, by JSON path. The
// server's read-only keys (properties: who saved the form and when) are left out: they
// change with every save and say nothing about the answers. So are fields a question of
// this catalogue asks, which drafts saved by earlier versions of pstab may still hold.
func (c *Catalogue) DiffExtra(before, after map[string]any) []ExtraChange {
	fb, fa := map[string]string{}, map[string]string{}
	flatten("", before, fb)
	flatten("", after, fa)
	known := func(p string) bool {
		first, _, _ := strings.Cut(p, ".")
		if IsReadOnlyKey(first) {
			return true
		}
		for _, q := range c.Questions {
			for _, qp := range q.API.paths() {
				if p == qp || strings.HasPrefix(p, qp+".") {
					return true
				}
			}
		}
		return false
	}
	for _, m := range []map[string]string{fb, fa} {
		for p := range m {
			if known(p) {
				delete(m, p)
			}
		}
	}
	paths := map[string]bool{}
	for p := range fb {
		paths[p] = true
	}
	for p := range fa {
		paths[p] = true
	}
	var out []ExtraChange
	for p := range paths {
		if fb[p] != fa[p] {
			out = append(out, ExtraChange{Path: p, Before: fb[p], After: fa[p]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func flatten(prefix string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok {
		if len(m) == 0 && prefix != "" {
			out[prefix] = "{}"
		}
		for k, sub := range m {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, sub, out)
		}
		return
	}
	if prefix == "" {
		return
	}
	b, _ := json.Marshal(v)
	out[prefix] = string(b)
}
