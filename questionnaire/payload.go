package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Shape is how a payload wraps the TrustInfo object.
type Shape int

// The shapes of payload the Marketplace uses.
const (
	// ShapeBare is the TrustInfo object itself, as the v2 GET returns it.
	ShapeBare Shape = iota
	// ShapeV2Put wraps it as {"appTrustInformation": {...}}, the body of the v2 PUT.
	ShapeV2Put
	// ShapeV3 wraps it as {"commonCloud": {...}}, as the v3 API returns it.
	ShapeV3
)

// Wrapper keys of the wrapped shapes.
const (
	V2PutKey = "appTrustInformation"
	V3Key    = "commonCloud"
)

func (s Shape) String() string {
	switch s {
	case ShapeV2Put:
		return "v2 PUT body (" + V2PutKey + ")"
	case ShapeV3:
		return "v3 (" + V3Key + ")"
	}
	return "TrustInfo object"
}

// MaxPayloadSize is the largest payload file pstab reads. Real payloads are a few KB.
const MaxPayloadSize = 4 << 20

// DecodeError is why a payload cannot be read. Path is the JSON path of the wrong value
// (empty when the whole document is wrong). Unreadable marks input that is not a JSON
// payload at all (not JSON, not UTF-8, too large), as opposed to a payload whose answers
// have the wrong types.
type DecodeError struct {
	Path       string
	Msg        string
	Unreadable bool
}

func (e *DecodeError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// DecodePayload reads a Marketplace payload in any of its shapes. Answers to known
// questions are taken out of it, with their types checked; everything else (read-only
// server fields, questions this catalogue does not know) is kept in Answers.Extra exactly as
// it came. Values are not validated here: an unknown option or a bad link becomes an answer
// that Validate reports.
func (c *Catalogue) DecodePayload(data []byte) (Answers, Shape, error) {
	if len(data) > MaxPayloadSize {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is %s; a payload is at most %s", humanSize(len(data)), humanSize(MaxPayloadSize))}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is not valid UTF-8 (first bad byte at offset %d); save it as UTF-8", invalidUTF8Offset(data))}
	}
	var doc any
	if err := unmarshalNumber(data, &doc); err != nil {
		return Answers{}, 0, &DecodeError{Unreadable: true, Msg: jsonSyntaxMessage(data, err)}
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: "the file is not a Privacy & Security payload: expected a JSON object at the top level, found " + describeAny(doc)}
	}

	shape, prefix, info := ShapeBare, "", top
	var envelope map[string]any
	for _, w := range []struct {
		key   string
		shape Shape
	}{{V2PutKey, ShapeV2Put}, {V3Key, ShapeV3}} {
		inner, ok := top[w.key]
		if !ok {
			continue
		}
		obj, isObj := inner.(map[string]any)
		if !isObj {
			return Answers{}, 0, &DecodeError{Path: w.key, Msg: "expected an object, found " + describeAny(inner)}
		}
		shape, prefix, info = w.shape, w.key+".", obj
		envelope = maps.Clone(top)
		delete(envelope, w.key)
		if len(envelope) == 0 {
			envelope = nil
		}
		break
	}
	if shape == ShapeBare && len(top) > 0 && !c.knowsAnyTopKey(top) {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is not a Privacy & Security payload: none of its keys (%s) is part of one", strings.Join(slices.Sorted(maps.Keys(top)), ", "))}
	}

	// Read every answer from a copy first: which fields are taken out of the document depends
	// on which questions the answers show.
	a := Answers{Values: map[string]Value{}, Envelope: envelope}
	scratch := cloneTree(info)
	for _, q := range c.Questions {
		if q.Local() {
			continue
		}
		v, found, err := q.extract(scratch, prefix)
		if err != nil {
			return Answers{}, 0, err
		}
		if found {
			a.Values[q.ID] = v
		}
	}
	// Shown questions' fields leave the document; hidden questions' fields stay in it, so
	// the server's values for them are written back as they came while the answers are
	// also kept for the partner, should the question be shown again.
	vis := c.Visible(a)
	for _, q := range c.Questions {
		if q.Local() || !vis.shown[q.Index] {
			continue
		}
		for _, p := range q.API.paths() {
			if _, _, err := take(info, p, prefix); err != nil {
				return Answers{}, 0, err
			}
		}
	}
	if len(info) > 0 {
		a.Extra = info
	}
	return a, shape, nil
}

// knowsAnyTopKey reports whether an object has a key that starts one of the catalogue's
// API paths, or a read-only TrustInfo key, so that it can be taken for a TrustInfo object.
func (c *Catalogue) knowsAnyTopKey(obj map[string]any) bool {
	for k := range obj {
		switch k {
		case "properties", "hasRestAPIExtension", "supportsConfigurableEgress": // read-only server keys
			return true
		}
		for _, q := range c.Questions {
			for _, p := range q.API.paths() {
				if first, _, _ := strings.Cut(p, "."); first == k {
					return true
				}
			}
		}
	}
	return false
}

// extract takes q's answer out of the TrustInfo object, removing the fields it read.
func (q *Question) extract(info map[string]any, prefix string) (Value, bool, error) {
	if q.Kind == KindDayRange {
		d := &DayRange{}
		found := false
		for _, part := range []struct {
			path string
			set  func(json.RawMessage) error
		}{
			{q.API.Min, func(raw json.RawMessage) (err error) { d.Min, err = decodeDays(raw); return }},
			{q.API.Max, func(raw json.RawMessage) (err error) { d.Max, err = decodeDays(raw); return }},
			{q.API.Indefinite, func(raw json.RawMessage) (err error) { d.Indefinite, err = decodeBoolPtr(raw); return }},
		} {
			if part.path == "" {
				continue
			}
			raw, ok, err := take(info, part.path, prefix)
			if err != nil {
				return Value{}, false, err
			}
			if !ok {
				continue
			}
			if err := part.set(raw); err != nil {
				return Value{}, false, &DecodeError{Path: prefix + part.path, Msg: err.Error()}
			}
			found = true
		}
		return Value{Days: d}, found, nil
	}
	raw, ok, err := take(info, q.API.Path, prefix)
	if err != nil || !ok {
		return Value{}, false, err
	}
	v, err := decodeAPIValue(q, raw)
	if err != nil {
		var ve *ValueError
		if errors.As(err, &ve) {
			return Value{}, false, &DecodeError{Path: prefix + q.API.Path + ve.Sub, Msg: ve.Msg}
		}
		return Value{}, false, &DecodeError{Path: prefix + q.API.Path, Msg: err.Error()}
	}
	return v, true, nil
}

// take removes the value at a dotted path and returns it as JSON. A value that holds no
// answer (null, "", []) is left in place and reported as absent, so that the server's
// document is written back as it came. Objects emptied by the removal are removed too, so that an
// unanswered section is not written back as {}.
func take(root map[string]any, path, prefix string) (json.RawMessage, bool, error) {
	keys := strings.Split(path, ".")
	parents := make([]map[string]any, 0, len(keys))
	obj := root
	for i, k := range keys[:len(keys)-1] {
		next, ok := obj[k]
		if !ok || next == nil {
			return nil, false, nil
		}
		m, isObj := next.(map[string]any)
		if !isObj {
			return nil, false, &DecodeError{Path: prefix + strings.Join(keys[:i+1], "."), Msg: "expected an object, found " + describeAny(next)}
		}
		parents = append(parents, obj)
		obj = m
	}
	last := keys[len(keys)-1]
	v, ok := obj[last]
	if !ok || blank(v) {
		return nil, false, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false, &DecodeError{Path: prefix + path, Msg: err.Error()}
	}
	delete(obj, last)
	for i := len(parents) - 1; i >= 0 && len(obj) == 0; i-- {
		delete(parents[i], keys[i])
		obj = parents[i]
	}
	return raw, true, nil
}

// TrustInfo returns the TrustInfo object for the answers: the document the answers were
// read from (Answers.Extra: read-only server fields, fields this catalogue does not know, and
// the server's values for questions that are hidden), with every shown question's answer
// written at its path and every shown but unanswered question's field removed. The
// partner's answers to hidden questions are never sent.
func (c *Catalogue) TrustInfo(a Answers) (map[string]any, error) {
	info := cloneTree(a.Extra)
	if info == nil {
		info = map[string]any{}
	}
	vis := c.Visible(a)
	for _, q := range c.Questions {
		if q.Local() || !vis.shown[q.Index] {
			continue
		}
		v, ok := a.Get(q.ID)
		if !ok {
			for _, p := range q.API.paths() {
				_, _, _ = take(info, p, "") // a shown question the partner cleared
			}
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
				switch {
				case part.path == "":
				case part.set:
					put(info, part.path, part.val)
				default:
					_, _, _ = take(info, part.path, "")
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
		if v.Bool != nil {
			return *v.Bool, nil
		}
		return v.Text, nil
	case KindList, KindMultiChoice:
		return stringsTree(v.List), nil
	case KindEntities:
		out := make([]any, 0, len(v.Entities))
		for _, e := range v.Entities {
			m := make(map[string]any, len(e.Fields)+len(e.Extra))
			for k, raw := range e.Extra {
				var x any
				if err := unmarshalNumber(raw, &x); err != nil {
					return nil, fmt.Errorf("%s: %w", q.ID, err)
				}
				m[k] = x
			}
			for _, f := range q.Fields {
				fv, ok := e.Fields[f.Key]
				switch {
				case !ok:
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

// EncodePayload writes the answers as an indented JSON payload of the given shape.
func (c *Catalogue) EncodePayload(a Answers, shape Shape) ([]byte, error) {
	info, err := c.TrustInfo(a)
	if err != nil {
		return nil, err
	}
	var doc any = info
	switch shape {
	case ShapeV2Put, ShapeV3:
		key := V2PutKey
		if shape == ShapeV3 {
			key = V3Key
		}
		top := cloneTree(a.Envelope)
		if top == nil {
			top = map[string]any{}
		}
		top[key] = info
		doc = top
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

// unmarshalNumber decodes exactly one JSON value, keeping numbers as json.Number so that
// they are written back as they came.
func unmarshalNumber(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		// Point at the first byte after the value, not wherever Token stopped.
		for end < int64(len(data)) && strings.IndexByte(" \t\r\n", data[end]) >= 0 {
			end++
		}
		return errTrailing{offset: end}
	}
	return nil
}

type errTrailing struct{ offset int64 }

func (e errTrailing) Error() string { return "unexpected data after the JSON value" }

// jsonSyntaxMessage turns a decoding error into a sentence with a line and column.
func jsonSyntaxMessage(data []byte, err error) string {
	var se *json.SyntaxError
	var tr errTrailing
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the bad one included.
		line, col := lineCol(data, se.Offset-1)
		return fmt.Sprintf("the file is not valid JSON: line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &tr):
		line, col := lineCol(data, tr.offset)
		return fmt.Sprintf("the file is not valid JSON: line %d, column %d: more data after the end of the JSON value", line, col)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the file is not valid JSON: it ends before the JSON value is complete"
	}
	return "the file is not valid JSON: " + err.Error()
}

// lineCol returns the 1-based line and column of the byte at offset.
func lineCol(data []byte, offset int64) (int, int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func describeAny(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "a value"
	}
	return describeJSON(b)
}
