package questionnaire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParseValue reads an answer to q from command-line words, as `pstab set` takes them:
//
//	yesno        yes | no (also y, n, true, false)
//	tristate     yes | no | na (also the API values true, false, NOT_APPLICABLE, in any case)
//	choice       an option value, or its exact label
//	multichoice  one option value per word
//	list         one item per word (a suggested value's label picks its spelling)
//	dayrange     MIN..MAX, or indefinite
//	entities     a JSON list of objects, or one JSON object per word
//	other kinds  the words, joined by spaces
//
// It checks the form only; Question.Check judges the value.
func ParseValue(q *Question, args []string) (Value, error) {
	if len(args) == 0 {
		return Value{}, fmt.Errorf("give a value for %s", q.ID)
	}
	one := func() (string, error) {
		if len(args) != 1 {
			return "", fmt.Errorf("%s takes one value, not %d; quote it if it has spaces", q.ID, len(args))
		}
		return args[0], nil
	}
	switch q.Kind {
	case KindYesNo:
		s, err := one()
		if err != nil {
			return Value{}, err
		}
		switch strings.ToLower(s) {
		case "yes", "y", "true":
			return Bool(true), nil
		case "no", "n", "false":
			return Bool(false), nil
		}
		return Value{}, fmt.Errorf("%s takes yes or no, not %q", q.ID, s)
	case KindTriState:
		s, err := one()
		if err != nil {
			return Value{}, err
		}
		alias := map[string]string{"yes": "true", "y": "true", "no": "false", "n": "false",
			"na": NotApplicable, "n/a": NotApplicable, "not-applicable": NotApplicable}
		if v, ok := alias[strings.ToLower(s)]; ok {
			s = v
		}
		if o := q.Option(s); o != nil {
			return Text(o.Value), nil
		}
		return Value{}, fmt.Errorf("%s takes yes, no or na, not %q", q.ID, s)
	case KindChoice:
		s, err := one()
		if err != nil {
			return Value{}, err
		}
		o := q.optionByValueOrLabel(s)
		if o == nil {
			return Value{}, fmt.Errorf("%s takes one of %s, not %q", q.ID, q.optionList(), s)
		}
		return Text(o.Value), nil
	case KindMultiChoice:
		var out []string
		for _, s := range args {
			o := q.optionByValueOrLabel(s)
			if o == nil {
				return Value{}, fmt.Errorf("%s takes values from %s, not %q", q.ID, q.optionList(), s)
			}
			out = append(out, o.Value)
		}
		return List(out...), nil
	case KindList:
		// A list's options are suggestions: a value or label picks its spelling, and any
		// other item is taken as typed.
		out := make([]string, len(args))
		for i, s := range args {
			out[i] = s
			if o := q.optionByValueOrLabel(s); o != nil {
				out[i] = o.Value
			}
		}
		return List(out...), nil
	case KindDayRange:
		s, err := one()
		if err != nil {
			return Value{}, err
		}
		if strings.EqualFold(s, "indefinite") {
			return Indefinitely(), nil
		}
		lo, hi, found := strings.Cut(s, "..")
		minDays, err1 := strconv.Atoi(strings.TrimSpace(lo))
		maxDays, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if !found || err1 != nil || err2 != nil {
			return Value{}, fmt.Errorf("%s takes MIN..MAX days (such as 0..30) or indefinite, not %q", q.ID, s)
		}
		return Days(minDays, maxDays), nil
	case KindEntities:
		raw := json.RawMessage(args[0])
		if len(args) > 1 || !strings.HasPrefix(strings.TrimSpace(args[0]), "[") {
			raw = json.RawMessage("[" + strings.Join(args, ",") + "]")
		}
		v, err := decodeAPIValue(q, raw)
		if err != nil {
			return Value{}, fmt.Errorf("%s takes JSON objects with the keys %s: %v", q.ID, q.fieldKeys(), err)
		}
		return v, nil
	}
	return Text(strings.Join(args, " ")), nil
}

func (q *Question) optionByValueOrLabel(s string) *Option {
	for i := range q.Options {
		o := &q.Options[i]
		if strings.EqualFold(o.Value, s) || strings.EqualFold(o.Label, s) {
			return o
		}
		for _, old := range o.Formerly {
			if strings.EqualFold(old, s) {
				return o
			}
		}
	}
	return nil
}

func (q *Question) fieldKeys() string {
	keys := make([]string, len(q.Fields))
	for i, f := range q.Fields {
		keys[i] = strconv.Quote(f.Key)
	}
	return strings.Join(keys, ", ")
}
