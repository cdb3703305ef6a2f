package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	// ShapeV3 wraps it as {"commonCloud": {...}}, as the v3 API returns it and its PUT
	// takes it. The published schema of the v3 GET names the wrapper "common" instead;
	// a payload wrapped either way reads as v3.
	ShapeV3
)

// Wrapper keys of the wrapped shapes.
const (
	V2PutKey = "appTrustInformation"
	V3Key    = "commonCloud"
	// V3GetKey is the wrapper the published schema of the v3 GET gives (TrustInfo.common);
	// live responses use V3Key.
	V3GetKey = "common"
)

// AnswerGroups are the seven groups of answers a PUT body holds, and all it holds.
var AnswerGroups = []string{"dataAccessAndStorage", "thirdPartyInformation", "logDetails",
	"dataResidency", "dataRetention", "security", "privacy"}

// ReadOnlyKeys are the server's own keys of a TrustInfo object it sends: the form's
// status and history (properties) and two v3 facts about the app. They are kept for
// display and never sent.
var ReadOnlyKeys = []string{"properties", "hasRestAPIExtension", "supportsConfigurableEgress"}

// IsAnswerGroup reports whether key is one of the seven groups of answers.
func IsAnswerGroup(key string) bool { return slices.Contains(AnswerGroups, key) }

// IsReadOnlyKey reports whether key is one of the server's read-only keys.
func IsReadOnlyKey(key string) bool { return slices.Contains(ReadOnlyKeys, key) }

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
// questions, shown or hidden, are taken out of it with their types checked, in any
// spelling a file or a server uses (a tri-state as true, "TRUE" or "True"); everything else
// (read-only server fields, fields this catalogue does not know) is kept in Answers.Extra
// exactly as it came. Values are not validated here: an unknown option or a bad link
// becomes an answer that Validate reports.
func (c *Catalogue) DecodePayload(data []byte) (Answers, Shape, error) {
	if len(data) > MaxPayloadSize {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is %s; a payload is at most %s", ByteSize(int64(len(data))), ByteSize(MaxPayloadSize))}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return Answers{}, 0, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is not valid UTF-8 (first bad byte at offset %d); save it as UTF-8", InvalidUTF8(data))}
	}
	if de := CheckJSON(data); de != nil {
		return Answers{}, 0, de
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
	}{{V2PutKey, ShapeV2Put}, {V3Key, ShapeV3}, {V3GetKey, ShapeV3}} {
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
			Msg: fmt.Sprintf("the file is not a Privacy & Security payload: none of its keys (%s) is part of one", strings.Join(pathKeys(slices.Sorted(maps.Keys(top))), ", "))}
	}

	// Every known question's fields leave the document, whether the question is shown or
	// not: Extra holds only what pstab does not know, so that nothing of a hidden question
	// can reach the server by way of it.
	a := Answers{Values: map[string]Value{}, Envelope: envelope}
	for _, q := range c.Questions {
		if q.Local() {
			continue
		}
		v, found, err := q.extract(info, prefix)
		if err != nil {
			return Answers{}, 0, err
		}
		if found {
			a.Values[q.ID] = v
		}
	}
	if len(info) > 0 {
		a.Extra = info
	}
	return a, shape, nil
}

// pathKeys renders keys with PathKey, for a sentence that lists them.
func pathKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = PathKey(k)
	}
	return out
}

// knowsAnyTopKey reports whether an object has a key that starts one of the catalogue's
// API paths, or a read-only TrustInfo key, so that it can be taken for a TrustInfo object.
func (c *Catalogue) knowsAnyTopKey(obj map[string]any) bool {
	for k := range obj {
		if IsReadOnlyKey(k) || IsAnswerGroup(k) {
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
// answer (null, "", []) is removed and reported as absent. Objects emptied by the removal
// are removed too, so that an unanswered section is not written back as {}.
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
	if !ok {
		return nil, false, nil
	}
	var raw json.RawMessage
	if !blank(v) {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, false, &DecodeError{Path: prefix + path, Msg: err.Error()}
		}
	}
	delete(obj, last)
	for i := len(parents) - 1; i >= 0 && len(obj) == 0; i-- {
		delete(parents[i], keys[i])
		obj = parents[i]
	}
	return raw, raw != nil, nil
}
