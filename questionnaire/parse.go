package questionnaire

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
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
//	entities     a JSON list of objects, or one JSON object per word, with only the
//	             fields' keys (a key pstab would drop is refused, naming it)
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
		return q.parseEntities(args)
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

// parseEntities reads entries typed as JSON. Unlike a payload, where a key pstab does not
// know is the server's and is kept, a key typed here is a mistake: it would be kept in the
// draft but shown nowhere and checked by nothing, so it is refused with the key named.
func (q *Question) parseEntities(args []string) (Value, error) {
	one := len(args) == 1 && strings.HasPrefix(strings.TrimSpace(args[0]), "[")
	for i, w := range args {
		if msg := jsonSyntaxProblem(w); msg != "" {
			which := "the value"
			if len(args) > 1 {
				which = fmt.Sprintf("word %d", i+1)
			}
			return Value{}, fmt.Errorf("%s takes JSON objects with the keys %s; %s is not valid JSON (%s)", q.ID, q.fieldKeys(), which, msg)
		}
	}
	raw := json.RawMessage(args[0])
	if !one {
		raw = json.RawMessage("[" + strings.Join(args, ",") + "]")
	}
	v, err := decodeAPIValue(q, raw)
	if err != nil {
		var ve *ValueError
		if errors.As(err, &ve) {
			return Value{}, fmt.Errorf("%s%s: %s; each entry is a JSON object with the keys %s", q.ID, ve.Sub, ve.Msg, q.fieldKeys())
		}
		return Value{}, fmt.Errorf("%s takes JSON objects with the keys %s: %v", q.ID, q.fieldKeys(), err)
	}
	for i, e := range v.Entities {
		for _, k := range slices.Sorted(maps.Keys(e.Extra)) {
			if f := q.Field(k); f != nil && f.Key == k {
				delete(v.Entities[i].Extra, k) // null for a known field: no answer, as typed
				continue
			}
			msg := fmt.Sprintf("%s[%d].%s is not a field of an entry, so it would be lost; the keys are %s", q.ID, i, k, q.fieldKeys())
			if f := q.fieldLike(k); f != nil {
				msg += fmt.Sprintf(": write %q for the %s", f.Key, strings.ToLower(f.Label))
			}
			return Value{}, errors.New(msg)
		}
	}
	return v, nil
}

// fieldLike finds the field a mistyped key most likely means: one whose ID, key or label
// matches it regardless of case.
func (q *Question) fieldLike(k string) *Field {
	for i := range q.Fields {
		f := &q.Fields[i]
		if strings.EqualFold(f.ID, k) || strings.EqualFold(f.Key, k) || strings.EqualFold(f.Label, k) {
			return f
		}
	}
	return nil
}

// jsonSyntaxProblem says where a one-line JSON text typed on the command line is broken,
// or returns "".
func jsonSyntaxProblem(s string) string {
	var v any
	err := unmarshalNumber([]byte(s), &v)
	var se *json.SyntaxError
	var tr errTrailing
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return fmt.Sprintf("at character %d: %s", se.Offset, se.Error())
	case errors.As(err, &tr):
		return fmt.Sprintf("at character %d: more text after the end of the JSON value", tr.offset+1)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends before the JSON value is complete: a closing } or ] is missing"
	}
	return err.Error()
}

// Lookup finds a question by its ID or by its API path, as problems name them: the path
// may carry the payload's wrapper (appTrustInformation., commonCloud.) and, for a day
// range, be the path of its min, max or indefinite part. It returns nil when neither fits.
func (c *Catalogue) Lookup(idOrPath string) *Question {
	if q := c.Question(idOrPath); q != nil {
		return q
	}
	p := strings.TrimPrefix(strings.TrimPrefix(idOrPath, V2PutKey+"."), V3Key+".")
	if p == "" {
		return nil
	}
	for _, q := range c.Questions {
		if q.Path() == p || slices.Contains(q.API.paths(), p) {
			return q
		}
	}
	return nil
}
