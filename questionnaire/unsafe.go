package questionnaire

import "strconv"

// UnsafeText returns a blocking problem for every piece of text in the answers, shown or
// hidden, that holds characters no answer may hold (controls, bidi controls, invalid
// UTF-8). Text that arrives from outside (an imported file, an API response) is refused
// with these, naming the field, rather than silently changed.
func UnsafeText(c *Catalogue, a Answers) []Problem {
	var out []Problem
	for _, q := range c.Questions {
		v, ok := a.Get(q.ID)
		if !ok {
			continue
		}
		add := func(item int, field, text string, multiline bool) {
			msg := TextProblem(text, multiline)
			if msg == "" {
				return
			}
			path := q.Path()
			if item >= 0 {
				path += "[" + strconv.Itoa(item) + "]"
			}
			if field != "" {
				path += "." + field
			}
			out = append(out, Problem{Question: q, Path: path, Item: item, Field: field, Severity: Blocking,
				Message: "The text " + msg + "."})
		}
		add(-1, "", v.Text, q.Kind == KindLongText)
		for i, s := range v.List {
			add(i, "", s, false)
		}
		for i, e := range v.Entities {
			for key, fv := range e.Fields {
				add(i, key, fv.Text, false)
				for _, s := range fv.List {
					add(i, key, s, false)
				}
			}
		}
	}
	return out
}
