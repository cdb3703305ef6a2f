package questionnaire

import (
	"maps"
	"slices"
	"strconv"
)

// UnsafeText returns a blocking problem for every piece of text in the answers, shown or
// hidden, that holds characters no answer may hold (controls, bidi controls, invalid
// UTF-8), and for every string in the payload fields pstab keeps without knowing them
// (Answers.Extra, Answers.Envelope, unknown keys of records). Text that arrives from
// outside (an imported file, an API response) is refused with these, naming the field,
// rather than silently changed.
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
	return append(out, UnsafeExtra(c, a)...)
}

// UnsafeExtra is the part of UnsafeText about payload fields pstab keeps without knowing
// them: Validate checks the answers themselves, not these.
func UnsafeExtra(c *Catalogue, a Answers) []Problem {
	var out []Problem
	for _, q := range c.Questions {
		if q.Kind != KindEntities {
			continue
		}
		v, _ := a.Get(q.ID)
		for i, e := range v.Entities {
			keys := slices.Sorted(maps.Keys(e.Extra))
			for _, key := range keys {
				at := q.Path() + "[" + strconv.Itoa(i) + "]."
				if msg := TextProblem(key, false); msg != "" {
					out = append(out, Problem{Question: q, Path: at + PathKey(key), Item: -1, Severity: Blocking,
						Message: "The text names a field with a key that " + msg + "."})
					continue
				}
				var tree any
				if unmarshalNumber(e.Extra[key], &tree) == nil {
					unsafeInTree(q, at+PathKey(key), tree, &out)
				}
			}
		}
	}
	unsafeInTree(nil, "", a.Extra, &out)
	unsafeInTree(nil, "", a.Envelope, &out)
	for _, id := range slices.Sorted(maps.Keys(a.Unknown)) {
		var tree any
		if unmarshalNumber(a.Unknown[id], &tree) == nil {
			unsafeInTree(nil, "answers."+id, tree, &out)
		}
	}
	return out
}

// unsafeInTree reports strings (and keys) of a JSON tree that hold unsafe characters.
// Newlines and tabs are allowed: pstab cannot know whether such a field is one line.
func unsafeInTree(q *Question, path string, v any, out *[]Problem) {
	report := func(p, msg string) {
		*out = append(*out, Problem{Question: q, Path: p, Item: -1, Severity: Blocking,
			Message: "The text " + msg + "."})
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch t := v.(type) {
	case string:
		if msg := TextProblem(t, true); msg != "" {
			report(path, msg)
		}
	case map[string]any:
		keys := slices.Sorted(maps.Keys(t))
		for _, k := range keys {
			if msg := TextProblem(k, false); msg != "" {
				report(join(strconv.QuoteToASCII(k)), "names a field with a key that "+msg)
				continue
			}
			unsafeInTree(q, join(k), t[k], out)
		}
	case []any:
		for i, item := range t {
			unsafeInTree(q, path+"["+strconv.Itoa(i)+"]", item, out)
		}
	}
}
