package marketplace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
)

// State chooses the live (published) or the draft version of a Privacy & Security tab.
type State string

// The two versions the API keeps.
const (
	Live  State = "live"
	Draft State = "draft"
)

// Wrapper keys of the request and response bodies.
const (
	v2PutKey = "appTrustInformation" // v2 PUT body: {"appTrustInformation": TrustInfo}
	v3Key    = "commonCloud"         // v3 bodies: {"commonCloud": TrustInfo}
)

// Document is a Privacy & Security version read from the Marketplace.
type Document struct {
	// State is the version asked for.
	State State
	// TrustInfo is the TrustInfo object, unwrapped from v3's commonCloud. Numbers are
	// json.Number, so integers survive a round trip exactly. Fields the client does not
	// know are kept.
	TrustInfo map[string]any
	// Raw is the response body exactly as the server sent it.
	Raw json.RawMessage
}

// FormStatus returns properties.formStatus (SUBMITTED, APPROVED, ...), or "" when absent.
func (d *Document) FormStatus() string {
	props, _ := d.TrustInfo["properties"].(map[string]any)
	s, _ := props["formStatus"].(string)
	return cleanText(s, 100)
}

// decodeObject reads a JSON object from a 2xx body; anything else is an ErrMalformed
// APIError naming the endpoint.
func (c *Client) decodeObject(rq request, body []byte) (map[string]any, error) {
	malformed := func(why string) error {
		return &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
			Message: fmt.Sprintf("%s %s sent %s; the Marketplace may be having trouble, try again later", rq.method, rq.path, why)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, malformed("an empty response instead of JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, malformed(fmt.Sprintf("malformed JSON (%s, at byte %d)", c.redact(cleanText(se.Error(), 120)), se.Offset))
		}
		return nil, malformed("malformed JSON (" + c.redact(cleanText(err.Error(), 120)) + ")")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, malformed("malformed JSON (more data after the JSON value)")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, malformed(fmt.Sprintf("JSON %s where an object was expected", jsonKind(v)))
	}
	return obj, nil
}

// unwrap takes the TrustInfo object out of a response. The v3 API wraps it in
// commonCloud; an unwrapped object is accepted too, since the shapes are only partly
// documented.
func unwrap(obj map[string]any, key string) (map[string]any, bool) {
	inner, present := obj[key]
	if !present {
		return obj, true
	}
	switch v := inner.(type) {
	case map[string]any:
		return v, true
	case nil:
		return map[string]any{}, true
	}
	return nil, false
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "true/false"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	}
	return "an object"
}

// readOnly are server-owned fields that Mismatches ignores: the server sets them whatever
// was sent.
var readOnly = []string{"properties.formStatus", "hasRestAPIExtension", "supportsConfigurableEgress"}

// Mismatches compares a TrustInfo object that was sent with the one read back (a
// read-after-write check after a PUT) and returns the dotted paths of the fields sent
// whose value did not land, sorted. Fields only the server has, and server-owned fields
// (properties.formStatus, v3's hasRestAPIExtension and supportsConfigurableEgress), are
// ignored; a null sent matches a field that is absent. Numbers compare by value.
func Mismatches(sent, got map[string]any) []string {
	var out []string
	compareTree(normalize(sent), normalize(got), "", &out)
	slices.Sort(out)
	return out
}

// normalize round-trips a tree through JSON so that Go values (int, float64, []string,
// json.Number) compare alike.
func normalize(m map[string]any) any {
	data, err := json.Marshal(m)
	if err != nil {
		return m
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return m
	}
	return v
}

func compareTree(sent, got any, path string, out *[]string) {
	if slices.Contains(readOnly, path) {
		return
	}
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok && got != nil {
			*out = append(*out, orRoot(path))
			return
		}
		// An absent object is compared field by field, so that one holding only
		// server-owned or null fields still matches.
		for k, v := range s {
			p := k
			if path != "" {
				p = path + "." + k
			}
			compareTree(v, g[k], p, out)
		}
	case nil:
		if got != nil {
			*out = append(*out, orRoot(path))
		}
	default:
		if !sameValue(s, got) {
			*out = append(*out, orRoot(path))
		}
	}
}

func orRoot(path string) string {
	if path == "" {
		return "."
	}
	return path
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, _, ex := big.ParseFloat(string(x), 10, 128, big.ToNearestEven)
		fy, _, ey := big.ParseFloat(string(y), 10, 128, big.ToNearestEven)
		if ex != nil || ey != nil {
			return x == y
		}
		return fx.Cmp(fy) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepSame(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		return deepSame(a, b)
	}
	return a == b
}

// deepSame is full equality (used inside lists, where a missing field is a difference).
func deepSame(a, b any) bool {
	if m, ok := a.(map[string]any); ok {
		n, ok := b.(map[string]any)
		if !ok || len(m) != len(n) {
			return false
		}
		for k, v := range m {
			w, present := n[k]
			if !present || !deepSame(v, w) {
				return false
			}
		}
		return true
	}
	return sameValue(a, b)
}

// encodeBody wraps a TrustInfo object for a PUT.
func encodeBody(key string, info map[string]any) ([]byte, error) {
	if info == nil {
		return nil, errors.New("there is no TrustInfo object to send")
	}
	for _, w := range []string{v2PutKey, v3Key} {
		if _, ok := info[w]; ok {
			return nil, fmt.Errorf("the TrustInfo object to send is already wrapped in %q; pass the object inside it", w)
		}
	}
	data, err := json.Marshal(map[string]any{key: info})
	if err != nil {
		return nil, fmt.Errorf("encode the TrustInfo object: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return data, nil
}
