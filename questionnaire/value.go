package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Value is one answer. Which part is set depends on the question's kind:
//
//	yesno                        Bool
//	tristate                     Text: the option's value, "true", "false" or "NOT_APPLICABLE"
//	                             (whatever spelling it was read in); Bool is read as true/false
//	choice, text kinds, date     Text
//	longtext                     Text, and Rich when the server sent a document object
//	list, multichoice            List
//	dayrange                     Days
//	entities                     Entities
type Value struct {
	Bool     *bool
	Text     string
	List     []string
	Days     *DayRange
	Entities []Entity
	// Rich is the document object a server sent for a rich-text answer (the permissions
	// justification), kept byte for byte and sent back unchanged while the partner does
	// not edit it; Text holds its words. An edit replaces it with plain text.
	Rich json.RawMessage
}

// NotApplicable is the tri-state answer that is neither true nor false, as the API spells it.
const NotApplicable = "NOT_APPLICABLE"

// IsRich reports whether the answer is a document object kept as the server sent it.
func (v Value) IsRich() bool { return len(v.Rich) > 0 }

// DayRange is how long data is kept: between Min and Max days, or indefinitely. Each part
// is a pointer so that what the server sent (or left out) is written back the same way.
type DayRange struct {
	Min        *int
	Max        *int
	Indefinite *bool
}

// Entity is one record of an entities question, such as one sub-processor. Fields are keyed
// by the field's JSON key; Extra keeps keys the catalogue does not know, as they came.
type Entity struct {
	Fields map[string]Value
	Extra  map[string]json.RawMessage
}

// Bool returns a Value holding b.
func Bool(b bool) Value { return Value{Bool: &b} }

// Text returns a Value holding s.
func Text(s string) Value { return Value{Text: s} }

// List returns a Value holding the given strings.
func List(items ...string) Value { return Value{List: items} }

// Days returns a Value holding a range of min to max days.
func Days(min, max int) Value {
	f := false
	return Value{Days: &DayRange{Min: &min, Max: &max, Indefinite: &f}}
}

// Indefinitely returns a Value saying data is kept with no end date.
func Indefinitely() Value {
	t := true
	return Value{Days: &DayRange{Indefinite: &t}}
}

// IsIndefinite reports whether the range says data is kept with no end date.
func (d *DayRange) IsIndefinite() bool { return d != nil && d.Indefinite != nil && *d.Indefinite }

// IsEmpty reports whether the value holds no answer at all.
func (v Value) IsEmpty() bool {
	if v.Bool != nil || strings.TrimSpace(v.Text) != "" || len(v.List) > 0 || len(v.Entities) > 0 || len(v.Rich) > 0 {
		return false
	}
	if d := v.Days; d != nil && (d.Min != nil || d.Max != nil || d.IsIndefinite()) {
		return false
	}
	return true
}

// Clone returns a deep copy, so a caller may change it without touching the original.
func (v Value) Clone() Value {
	out := Value{Text: v.Text}
	if v.Rich != nil {
		out.Rich = slices.Clone(v.Rich)
	}
	if v.Bool != nil {
		b := *v.Bool
		out.Bool = &b
	}
	if v.List != nil {
		out.List = slices.Clone(v.List)
	}
	if v.Days != nil {
		d := DayRange{}
		if v.Days.Min != nil {
			n := *v.Days.Min
			d.Min = &n
		}
		if v.Days.Max != nil {
			n := *v.Days.Max
			d.Max = &n
		}
		if v.Days.Indefinite != nil {
			b := *v.Days.Indefinite
			d.Indefinite = &b
		}
		out.Days = &d
	}
	if v.Entities != nil {
		out.Entities = make([]Entity, len(v.Entities))
		for i, e := range v.Entities {
			out.Entities[i] = e.Clone()
		}
	}
	return out
}

// Clone returns a deep copy of the entity.
func (e Entity) Clone() Entity {
	out := Entity{}
	if e.Fields != nil {
		out.Fields = make(map[string]Value, len(e.Fields))
		for k, v := range e.Fields {
			out.Fields[k] = v.Clone()
		}
	}
	if e.Extra != nil {
		out.Extra = make(map[string]json.RawMessage, len(e.Extra))
		for k, v := range e.Extra {
			out.Extra[k] = slices.Clone(v)
		}
	}
	return out
}

// Field returns the value of the field with the given JSON key (empty when missing).
func (e Entity) Field(key string) Value { return e.Fields[key] }

// Same reports whether two answers to q mean the same thing. Tri-state spellings that
// differ only in case are the same answer; so are a JSON boolean and its "TRUE"/"FALSE";
// so are an option's value and a value an earlier catalogue wrote for it; and a rich-text
// document and a plain text with the same words.
func (q *Question) Same(a, b Value) bool {
	if a.IsEmpty() || b.IsEmpty() {
		return a.IsEmpty() == b.IsEmpty()
	}
	switch q.Kind {
	case KindYesNo:
		return a.Bool != nil && b.Bool != nil && *a.Bool == *b.Bool
	case KindTriState:
		return strings.EqualFold(q.canonical(triText(a)), q.canonical(triText(b)))
	case KindChoice:
		return q.canonical(a.Text) == q.canonical(b.Text)
	case KindList, KindMultiChoice:
		return slices.Equal(q.canonicalList(a.List), q.canonicalList(b.List))
	case KindDayRange:
		return sameDays(a.Days, b.Days)
	case KindEntities:
		if len(a.Entities) != len(b.Entities) {
			return false
		}
		for i := range a.Entities {
			if !q.sameEntity(a.Entities[i], b.Entities[i]) {
				return false
			}
		}
		return true
	}
	return a.Text == b.Text
}

func (q *Question) sameEntity(a, b Entity) bool {
	for _, f := range q.Fields {
		fa, fb := a.Fields[f.Key], b.Fields[f.Key]
		if f.Kind == KindList {
			if !slices.Equal(fa.List, fb.List) {
				return false
			}
		} else if fa.Text != fb.Text {
			return false
		}
	}
	if len(a.Extra) != len(b.Extra) {
		return false
	}
	for k, v := range a.Extra {
		if !jsonEqual(v, b.Extra[k]) {
			return false
		}
	}
	return true
}

func sameDays(a, b *DayRange) bool {
	if a.IsIndefinite() || b.IsIndefinite() {
		return a.IsIndefinite() == b.IsIndefinite() && eqIntPtr(a.Min, b.Min) && eqIntPtr(a.Max, b.Max)
	}
	return eqIntPtr(a.Min, b.Min) && eqIntPtr(a.Max, b.Max)
}

func eqIntPtr(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// triText returns a tri-state answer as text, turning a JSON boolean into "true"/"false".
func triText(v Value) string {
	if v.Bool != nil {
		return strconv.FormatBool(*v.Bool)
	}
	return v.Text
}

// canonical returns the option value s means (the current spelling of an option, for any
// case of a tri-state or a value an earlier catalogue wrote), or s itself.
func (q *Question) canonical(s string) string {
	if o := q.Option(s); o != nil {
		return o.Value
	}
	return s
}

func (q *Question) canonicalList(list []string) []string {
	if len(q.Options) == 0 {
		return list
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = q.canonical(s)
	}
	return out
}

// triAPI returns a tri-state answer in the documented form: JSON true or false, or the
// string NOT_APPLICABLE (or, for a value no option knows, the string as it is, for the
// server to judge).
func (q *Question) triAPI(v Value) any {
	s := q.canonical(triText(v))
	switch {
	case strings.EqualFold(s, "true"):
		return true
	case strings.EqualFold(s, "false"):
		return false
	case strings.EqualFold(s, NotApplicable):
		return NotApplicable
	}
	return s
}

// triValueOf reads a tri-state answer from the API's JSON (a boolean or a string, in any
// case) as the option it means.
func (q *Question) triValueOf(raw json.RawMessage) (Value, error) {
	if b, err := decodeBoolPtr(raw); err == nil && b != nil {
		return Value{Text: q.canonical(strconv.FormatBool(*b))}, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return Value{}, fmt.Errorf("expected true, false or %q, found %s", NotApplicable, describeJSON(raw))
	}
	return Value{Text: q.canonical(strings.TrimSpace(s))}, nil
}

// MarshalValue returns the answer to q as JSON: the form it has in the API for every kind
// but the day range, which is {"min":..,"max":..,"indefinite":..}. The store and the review
// bundle keep answers in this form.
func MarshalValue(q *Question, v Value) (json.RawMessage, error) {
	switch q.Kind {
	case KindYesNo:
		if v.Bool == nil {
			return nil, fmt.Errorf("%s: a yes/no answer has no value", q.ID)
		}
		return json.Marshal(*v.Bool)
	case KindTriState:
		return json.Marshal(q.triAPI(v))
	case KindChoice:
		return json.Marshal(q.canonical(v.Text))
	case KindLongText:
		if v.IsRich() {
			var c bytes.Buffer
			if err := json.Compact(&c, v.Rich); err != nil {
				return nil, fmt.Errorf("%s: %w", q.ID, err)
			}
			return c.Bytes(), nil
		}
		return json.Marshal(v.Text)
	case KindList, KindMultiChoice:
		if v.List == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(q.canonicalList(v.List))
	case KindDayRange:
		d := v.Days
		if d == nil {
			d = &DayRange{}
		}
		return json.Marshal(struct {
			Min        *int  `json:"min,omitempty"`
			Max        *int  `json:"max,omitempty"`
			Indefinite *bool `json:"indefinite,omitempty"`
		}{d.Min, d.Max, d.Indefinite})
	case KindEntities:
		out := make([]json.RawMessage, 0, len(v.Entities))
		for _, e := range v.Entities {
			b, err := q.marshalEntity(e)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
		return json.Marshal(out)
	}
	return json.Marshal(v.Text)
}

func (q *Question) marshalEntity(e Entity) (json.RawMessage, error) {
	m := make(map[string]json.RawMessage, len(e.Fields)+len(e.Extra))
	for k, raw := range e.Extra {
		m[k] = raw
	}
	for _, f := range q.Fields {
		fv, ok := e.Fields[f.Key]
		if !ok {
			continue
		}
		var b []byte
		var err error
		if f.Kind == KindList {
			list := fv.List
			if list == nil {
				list = []string{}
			}
			b, err = json.Marshal(list)
		} else {
			b, err = json.Marshal(fv.Text)
		}
		if err != nil {
			return nil, err
		}
		m[f.Key] = b
	}
	return marshalSorted(m)
}

func (q *Question) optionList() string {
	vals := make([]string, len(q.Options))
	for i, o := range q.Options {
		vals[i] = strconv.Quote(o.Value)
		if q.Kind == KindTriState && (strings.EqualFold(o.Value, "true") || strings.EqualFold(o.Value, "false")) {
			vals[i] = strings.ToLower(o.Value)
		}
	}
	return strings.Join(vals, ", ")
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// marshalSorted writes a map of raw values as a JSON object with sorted keys.
func marshalSorted(m map[string]json.RawMessage) (json.RawMessage, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		var c bytes.Buffer
		if err := json.Compact(&c, m[k]); err != nil {
			return nil, err
		}
		buf.Write(c.Bytes())
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
