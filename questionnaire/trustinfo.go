package questionnaire

import (
	"encoding/json"
	"fmt"
	"strings"
)

// TrustInfo returns the object a PUT sends for the answers: exactly the seven answer
// groups, holding every shown question's answer at its path, in the documented form (a
// tri-state as true, false or "NOT_APPLICABLE"), and, inside those groups, the fields
// this catalogue does not know (questions Atlassian added later), unchanged. Nothing else
// is sent: not the server's read-only keys (properties, hasRestAPIExtension,
// supportsConfigurableEgress), not unknown keys beside the groups, and no field of a
// hidden or unanswered question, wherever it came from.
func (c *Catalogue) TrustInfo(a Answers) (map[string]any, error) {
	info := map[string]any{}
	for k, v := range cloneTree(a.Extra) {
		if IsAnswerGroup(k) {
			if _, isObj := v.(map[string]any); isObj {
				info[k] = v
			}
		}
	}
	// Drafts saved by earlier versions of pstab may hold a hidden question's server value
	// in Extra: every known field goes first, and only shown answers come back.
	for _, q := range c.Questions {
		if len(info) == 0 {
			break // nothing to remove: the common case, a draft without unknown fields
		}
		if !IsAnswerGroup(firstKey(q.API)) {
			continue
		}
		for _, p := range q.API.paths() {
			_, _, _ = take(info, p, "")
		}
	}
	vis := c.Visible(a)
	for _, q := range c.Questions {
		if q.Local() || !vis.shown[q.Index] {
			continue
		}
		v, ok := a.Get(q.ID)
		if !ok {
			continue
		}
		if q.Kind == KindDayRange {
			d := v.Days
			for _, part := range []struct {
				path string
				val  any
				set  bool
			}{
				{q.API.Min, intNumber(d.Min), d.Min != nil},
				{q.API.Max, intNumber(d.Max), d.Max != nil},
				{q.API.Indefinite, boolValue(d.Indefinite), d.Indefinite != nil},
			} {
				if part.path != "" && part.set {
					put(info, part.path, part.val)
				}
			}
			continue
		}
		tree, err := apiValue(q, v)
		if err != nil {
			return nil, err
		}
		put(info, q.API.Path, tree)
	}
	return info, nil
}

// firstKey is the first key of a question's API paths, or "" for a question the API does
// not carry.
func firstKey(p APIPath) string {
	paths := p.paths()
	if len(paths) == 0 {
		return ""
	}
	first, _, _ := strings.Cut(paths[0], ".")
	return first
}

// apiValue returns the answer to q as the JSON tree the API takes: the value MarshalValue
// writes, for every kind but the day range, built directly rather than through JSON text.
func apiValue(q *Question, v Value) (any, error) {
	switch q.Kind {
	case KindYesNo:
		if v.Bool == nil {
			return nil, fmt.Errorf("%s: a yes/no answer has no value", q.ID)
		}
		return *v.Bool, nil
	case KindTriState:
		return q.triAPI(v), nil
	case KindChoice:
		return q.canonical(v.Text), nil
	case KindLongText:
		if v.IsRich() {
			var doc any
			if err := unmarshalNumber(v.Rich, &doc); err != nil {
				return nil, fmt.Errorf("%s: %w", q.ID, err)
			}
			return doc, nil
		}
		return v.Text, nil
	case KindList, KindMultiChoice:
		return stringsTree(q.canonicalList(v.List)), nil
	case KindEntities:
		out := make([]any, 0, len(v.Entities))
		for _, e := range v.Entities {
			m := make(map[string]any, len(e.Fields)+len(e.Extra))
			for k, raw := range e.Extra {
				var x any
				if err := unmarshalNumber(raw, &x); err != nil {
					return nil, fmt.Errorf("%s: %w", q.ID, err)
				}
				if x != nil { // a null the server sent means nothing; it is not sent back
					m[k] = x
				}
			}
			for _, f := range q.Fields {
				fv, ok := e.Fields[f.Key]
				switch {
				case !ok, fv.IsEmpty():
				case f.Kind == KindList:
					m[f.Key] = stringsTree(fv.List)
				default:
					m[f.Key] = fv.Text
				}
			}
			out = append(out, m)
		}
		return out, nil
	}
	return v.Text, nil
}

func stringsTree(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// blank reports a JSON value that holds no answer: null, a blank string or an empty list.
func blank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	}
	return false
}

func intNumber(n *int) any {
	if n == nil {
		return nil
	}
	return json.Number(fmt.Sprint(*n))
}

func boolValue(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// EncodePayload writes the answers as the indented JSON body pstab would send, in the given
// shape: the v2 PUT body {"appTrustInformation": ...}, the v3 one {"commonCloud": ...}, or
// the bare object. It holds exactly what TrustInfo returns.
func (c *Catalogue) EncodePayload(a Answers, shape Shape) ([]byte, error) {
	info, err := c.TrustInfo(a)
	if err != nil {
		return nil, err
	}
	var doc any = info
	switch shape {
	case ShapeV2Put:
		doc = map[string]any{V2PutKey: info}
	case ShapeV3:
		doc = map[string]any{V3Key: info}
	}
	if out, ok := appendJSONTree(make([]byte, 0, 4096), doc); ok {
		return out, nil
	}
	return marshalIndent(doc)
}

// put sets the value at a dotted path, creating objects on the way.
func put(root map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	obj := root
	for _, k := range keys[:len(keys)-1] {
		next, ok := obj[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[k] = next
		}
		obj = next
	}
	obj[keys[len(keys)-1]] = v
}
