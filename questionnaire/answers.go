package questionnaire

import "encoding/json"

// Answers is one draft's answers to a catalogue: the answer to each question by ID, whether
// the question is shown or not, plus whatever a payload carried that the catalogue does not
// know.
type Answers struct {
	Values map[string]Value
	// Extra is the part of the payload's TrustInfo object that no question asks: the
	// server's read-only keys (properties: the form status, who saved it, the review
	// tickets), and fields Atlassian added after this catalogue. Unknown fields inside the
	// seven answer groups are sent back unchanged; the rest is kept for display only.
	Extra map[string]any
	// Envelope holds the keys a wrapped payload had beside appTrustInformation or
	// commonCloud, if any; kept for the record, never sent.
	Envelope map[string]any
	// Unknown holds answers, by question ID, to questions this catalogue does not have (a
	// bundle from a newer catalogue, a draft saved by one), as their JSON. They are kept
	// and written back to bundles unchanged, as a payload's unknown fields are in Extra;
	// they are not shown, checked or sent.
	Unknown map[string]json.RawMessage
}

// IsEmpty reports whether there is no answer at all, to a known question or an unknown
// one; Extra and Envelope, which are the server's, do not count.
func (a Answers) IsEmpty() bool {
	for _, v := range a.Values {
		if !v.IsEmpty() {
			return false
		}
	}
	return len(a.Unknown) == 0
}

// NewAnswers returns an empty set of answers.
func NewAnswers() Answers { return Answers{Values: map[string]Value{}} }

// Get returns the answer to a question, and whether it is answered at all.
func (a Answers) Get(id string) (Value, bool) {
	v, ok := a.Values[id]
	if !ok || v.IsEmpty() {
		return Value{}, false
	}
	return v, true
}

// Set records an answer; an empty value removes it.
func (a *Answers) Set(id string, v Value) {
	if a.Values == nil {
		a.Values = map[string]Value{}
	}
	if v.IsEmpty() {
		delete(a.Values, id)
		return
	}
	a.Values[id] = v
}

// Clone returns a deep copy.
func (a Answers) Clone() Answers {
	out := Answers{Values: make(map[string]Value, len(a.Values))}
	for k, v := range a.Values {
		out.Values[k] = v.Clone()
	}
	out.Extra = cloneTree(a.Extra)
	out.Envelope = cloneTree(a.Envelope)
	if a.Unknown != nil {
		out.Unknown = make(map[string]json.RawMessage, len(a.Unknown))
		for id, raw := range a.Unknown {
			out.Unknown[id] = append(json.RawMessage(nil), raw...)
		}
	}
	return out
}

// cloneTree deep-copies a decoded JSON object. It copies maps and lists directly (a trip
// through JSON text made encoding a payload ten times slower); a value of any other type
// is copied through JSON.
func cloneTree(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := cloneJSON(m).(map[string]any)
	return out
}

func cloneJSON(v any) any {
	switch x := v.(type) {
	case nil, string, bool, json.Number, float64:
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, sub := range x {
			out[k] = cloneJSON(sub)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, sub := range x {
			out[i] = cloneJSON(sub)
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if err := unmarshalNumber(b, &out); err != nil {
		return nil
	}
	return out
}
