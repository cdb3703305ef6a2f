package marketplace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
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
	v3Key    = "commonCloud"         // v3 bodies as sent and served: {"commonCloud": TrustInfo}
	// v3GetKey is the wrapper the published schema of the v3 GET names (TrustInfo.common);
	// live responses use commonCloud, and either is read.
	v3GetKey = "common"
)

// Document is a Privacy & Security version read from the Marketplace.
type Document struct {
	// State is the version asked for.
	State State
	// TrustInfo is the TrustInfo object, unwrapped from v3's commonCloud. Numbers are
	// json.Number, so integers survive a round trip exactly. Fields the client does not
	// know are kept.
	TrustInfo map[string]any
	// Raw is the response body as the server sent it, unless it held the credentials:
	// then it is the body with them taken out (see Redacted).
	Raw json.RawMessage
	// Redacted flags a response that held the configured token or the Basic credential:
	// the paths where they were found, each replaced with [REDACTED] in TrustInfo and Raw
	// before anything could store, show or export them. Empty for an honest server.
	Redacted []string
}

// FormStatus returns properties.formStatus (SUBMITTED, REJECTED, APPROVED, SAVED), or ""
// when absent.
func (d *Document) FormStatus() string { return d.Properties().FormStatus }

// The form statuses the published schema lists for properties.formStatus.
const (
	FormSubmitted = "SUBMITTED" // sent for Atlassian's review
	FormRejected  = "REJECTED"  // Atlassian's review refused it; the review ticket says why
	FormApproved  = "APPROVED"  // Atlassian approved these answers
	FormSaved     = "SAVED"     // saved as a draft, not submitted
)

// Properties are the read-only facts the Marketplace keeps about a version of the form.
type Properties struct {
	FormStatus string    // one of the Form constants, upper-cased, or what the server sent
	UpdatedBy  string    // who saved it last
	UpdatedAt  time.Time // when, from the epoch milliseconds the server sends; zero if absent
	JiraLinks  []string  // the review tickets
}

// Properties reads the version's read-only properties, cleaned for display.
func (d *Document) Properties() Properties {
	if d == nil {
		return Properties{}
	}
	return PropertiesOf(d.TrustInfo)
}

// PropertiesOf reads the read-only properties of a TrustInfo object.
func PropertiesOf(info map[string]any) Properties {
	props, _ := info["properties"].(map[string]any)
	var p Properties
	if s, ok := props["formStatus"].(string); ok {
		p.FormStatus = strings.ToUpper(cleanText(s, 40))
	}
	if s, ok := props["updatedBy"].(string); ok {
		p.UpdatedBy = cleanText(s, 200)
	}
	if ms, ok := epochMillis(props["updatedAt"]); ok {
		p.UpdatedAt = time.UnixMilli(ms).UTC()
	}
	if links, ok := props["jiraLinks"].([]any); ok {
		for _, l := range links {
			if s, ok := l.(string); ok && s != "" {
				p.JiraLinks = append(p.JiraLinks, cleanText(s, 300))
			}
		}
	}
	return p
}

// epochMillis reads a number of milliseconds since 1970 (the schema's int64 updatedAt),
// as JSON decodes it.
func epochMillis(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		if f, err := n.Float64(); err == nil && f >= 0 && f < 1e15 {
			return int64(f), true
		}
	case float64:
		if n >= 0 && n < 1e15 {
			return int64(n), true
		}
	}
	return 0, false
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

// unwrap takes the TrustInfo object out of a response: from the first of keys it holds
// (v3 responses use commonCloud; the published schema of the GET says common), or the
// object itself when it holds none, since a server may send either.
func unwrap(obj map[string]any, keys ...string) (map[string]any, bool) {
	for _, key := range keys {
		inner, present := obj[key]
		if !present {
			continue
		}
		switch v := inner.(type) {
		case map[string]any:
			return v, true
		case nil:
			return map[string]any{}, true
		}
		return nil, false
	}
	return obj, true
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

// readOnlyKeys are the server's own keys of a TrustInfo object: it sets them whatever was
// sent (a PUT never holds them), so a read-back ignores them.
var readOnlyKeys = []string{"properties", "hasRestAPIExtension", "supportsConfigurableEgress"}

// Mismatches compares a TrustInfo object that was sent with the one read back (a
// read-after-write check after a PUT) and returns the dotted paths of the fields sent
// whose value did not land, sorted. It compares by meaning, as a server may store what it
// was sent in its own spelling: fields only the server has, and the read-only keys
// (properties, with the new updatedAt of every save; v3's hasRestAPIExtension and
// supportsConfigurableEgress), are ignored, and so are fields the server adds to a record
// of a list; a field holding nothing (null, "", []) matches one that is absent; numbers
// compare by value; a boolean matches its spelling as a string in any case ("TRUE",
// "true"); text matches regardless of case, of runs of white space and of a link's final
// "/"; and a list matches the same items in another order.
func Mismatches(sent, got map[string]any) []string {
	var out []string
	s, g := normalize(sent), normalize(got)
	if sm, ok := s.(map[string]any); ok {
		for _, k := range readOnlyKeys {
			delete(sm, k)
		}
	}
	compareTree(s, g, "", &out)
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
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok && !empty(got) {
			*out = append(*out, orRoot(path))
			return
		}
		// An absent object is compared field by field, so that one holding only empty
		// fields still matches.
		for k, v := range s {
			p := k
			if path != "" {
				p = path + "." + k
			}
			compareTree(v, g[k], p, out)
		}
	default:
		if empty(sent) {
			if !empty(got) {
				*out = append(*out, orRoot(path))
			}
			return
		}
		if !sameValue(sent, got) {
			*out = append(*out, orRoot(path))
		}
	}
}

// empty reports a value that holds nothing: absent, null, a blank string, an empty list.
func empty(v any) bool {
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
	case bool:
		switch y := b.(type) {
		case bool:
			return x == y
		case string:
			return strings.EqualFold(strings.TrimSpace(y), strconv.FormatBool(x))
		}
		return false
	case string:
		switch y := b.(type) {
		case string:
			return x == y || sameText(x, y)
		case bool:
			return sameValue(y, x)
		}
		return false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		// Each item sent matches one item read back, in any order: a server may sort.
		used := make([]bool, len(y))
	items:
		for _, xi := range x {
			for j, yj := range y {
				if !used[j] && deepSame(xi, yj) {
					used[j] = true
					continue items
				}
			}
			return false
		}
		return true
	case map[string]any:
		return deepSame(a, b)
	}
	return a == b
}

// sameText reports whether two strings say the same once a server's usual normalising is
// undone: case, runs of white space, and a link's final "/".
func sameText(a, b string) bool {
	norm := func(s string) string {
		s = strings.Join(strings.Fields(s), " ")
		if strings.Contains(s, "://") {
			s = strings.TrimSuffix(s, "/")
		}
		return s
	}
	return strings.EqualFold(norm(a), norm(b))
}

// deepSame is equality by meaning inside lists, where a record's fields must all match
// (an empty field matching an absent one).
func deepSame(a, b any) bool {
	if m, ok := a.(map[string]any); ok {
		n, ok := b.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range m {
			if empty(v) {
				if !empty(n[k]) {
					return false
				}
				continue
			}
			if !deepSame(v, n[k]) {
				return false
			}
		}
		// Keys only the server has (an id it gives each record) are no difference.
		return true
	}
	return sameValue(a, b)
}

// encodeBody wraps a TrustInfo object for a PUT.
func encodeBody(key string, info map[string]any) ([]byte, error) {
	if info == nil {
		return nil, errors.New("there is no TrustInfo object to send")
	}
	for _, w := range []string{v2PutKey, v3Key, v3GetKey} {
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
