package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// UnmarshalValue reads an answer to q from JSON in the form MarshalValue writes. Errors say
// what was expected, as a sentence fragment to follow the answer's path.
func UnmarshalValue(q *Question, raw json.RawMessage) (Value, error) {
	if q.Kind == KindDayRange {
		var d struct {
			Min        json.RawMessage `json:"min"`
			Max        json.RawMessage `json:"max"`
			Indefinite json.RawMessage `json:"indefinite"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return Value{}, fmt.Errorf("expected {\"min\": days, \"max\": days} or {\"indefinite\": true}")
		}
		days := &DayRange{}
		var err error
		if days.Min, err = decodeDays(d.Min); err != nil {
			return Value{}, &ValueError{Sub: ".min", Msg: err.Error()}
		}
		if days.Max, err = decodeDays(d.Max); err != nil {
			return Value{}, &ValueError{Sub: ".max", Msg: err.Error()}
		}
		if days.Indefinite, err = decodeBoolPtr(d.Indefinite); err != nil {
			return Value{}, &ValueError{Sub: ".indefinite", Msg: err.Error()}
		}
		return Value{Days: days}, nil
	}
	return decodeAPIValue(q, raw)
}

// decodeAPIValue reads the JSON the API uses for q (any kind but the day range).
func decodeAPIValue(q *Question, raw json.RawMessage) (Value, error) {
	switch q.Kind {
	case KindYesNo:
		b, err := decodeBoolPtr(raw)
		if err != nil || b == nil {
			return Value{}, fmt.Errorf("expected true or false, found %s", describeJSON(raw))
		}
		return Value{Bool: b}, nil
	case KindTriState:
		return q.triValueOf(raw)
	case KindChoice:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Value{}, fmt.Errorf("expected one of %s, found %s", q.optionList(), describeJSON(raw))
		}
		return Value{Text: q.canonical(s)}, nil
	case KindLongText:
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
			// A rich-text document object: keep it as it came, read its words.
			text, ok := richText(raw)
			if !ok {
				return Value{}, fmt.Errorf("expected a string or a rich-text document, found %s", describeJSON(raw))
			}
			return Value{Text: text, Rich: slices.Clone(t)}, nil
		}
	case KindList, KindMultiChoice:
		list, err := decodeStrings(raw)
		if err != nil {
			return Value{}, err
		}
		return Value{List: q.canonicalList(list)}, nil
	case KindEntities:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return Value{}, fmt.Errorf("expected a list of objects, found %s", describeJSON(raw))
		}
		v := Value{Entities: make([]Entity, 0, len(items))}
		for i, item := range items {
			e, err := q.decodeEntity(item)
			if err != nil {
				err.Sub = "[" + strconv.Itoa(i) + "]" + err.Sub
				return Value{}, err
			}
			v.Entities = append(v.Entities, e)
		}
		return v, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return Value{}, fmt.Errorf("expected a string, found %s", describeJSON(raw))
	}
	return Value{Text: s}, nil
}

// ValueError is why a JSON value cannot be an answer. Sub locates the wrong part inside the
// answer (such as "[2].name" in a list of records), or is empty.
type ValueError struct {
	Sub string
	Msg string
}

func (e *ValueError) Error() string {
	if e.Sub == "" {
		return e.Msg
	}
	return e.Sub + ": " + e.Msg
}

// decodeEntity reads one record.
func (q *Question) decodeEntity(raw json.RawMessage) (Entity, *ValueError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Entity{}, &ValueError{Msg: "expected an object, found " + describeJSON(raw)}
	}
	e := Entity{Fields: map[string]Value{}}
	for k, fraw := range m {
		f := q.Field(k)
		if f == nil || f.Key != k || isNull(fraw) {
			// Unknown keys, and nulls, are kept as they came so that the record is
			// written back unchanged; a field set later is written over its null.
			if e.Extra == nil {
				e.Extra = map[string]json.RawMessage{}
			}
			e.Extra[k] = fraw
			continue
		}
		if f.Kind == KindList {
			list, err := decodeStrings(fraw)
			if err != nil {
				return Entity{}, &ValueError{Sub: "." + k, Msg: err.Error()}
			}
			e.Fields[k] = Value{List: list}
			continue
		}
		var s string
		if err := json.Unmarshal(fraw, &s); err != nil {
			return Entity{}, &ValueError{Sub: "." + k, Msg: "expected a string, found " + describeJSON(fraw)}
		}
		e.Fields[k] = Value{Text: s}
	}
	return e, nil
}

func decodeStrings(raw json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("expected a list of strings, found %s", describeJSON(raw))
	}
	return list, nil
}

func decodeBoolPtr(raw json.RawMessage) (*bool, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("expected true or false, found %s", describeJSON(raw))
	}
	return &b, nil
}

func decodeDays(raw json.RawMessage) (*int, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	// A json.Number also takes a string holding a number ("30"); a string is the wrong
	// type, and would be written back as a number.
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] == '"' || dec.Decode(&n) != nil {
		return nil, fmt.Errorf("expected a whole number of days, found %s", describeJSON(raw))
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
		return nil, fmt.Errorf("expected a whole number of days, found %s", n)
	}
	d := int(i)
	return &d, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// describeJSON names the type of a JSON value for an error message.
func describeJSON(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		s := string(t)
		if len(s) > 40 {
			s = s[:37] + `..."`
		}
		return "the string " + strconv.QuoteToASCII(unquoteOr(s))
	case 't', 'f':
		return string(t)
	case 'n':
		return "null"
	}
	return "the number " + string(t)
}

func unquoteOr(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return strings.Trim(s, `"`)
}
