package marketplace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors. Every error the client returns for an HTTP status is an *APIError that
// matches one of them with errors.Is, so a caller can explain a failure without reading
// status codes.
var (
	// ErrUnauthorized: 401, the token is wrong or expired.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: 403, the account lacks Manage App permission.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: 404 for an app or product that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrNoDraft: 404 for a draft that does not exist.
	ErrNoDraft = errors.New("no draft")
	// ErrInvalid: 400 or 422, the server refused the request or a field of the body.
	ErrInvalid = errors.New("invalid")
	// ErrConflict: 409.
	ErrConflict = errors.New("conflict")
	// ErrRedirect: a 3xx, which pstab never follows.
	ErrRedirect = errors.New("redirect")
	// ErrRateLimited: 429 after every retry, or a Retry-After too long to wait for.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable: a 5xx after every retry, or another unexpected status.
	ErrUnavailable = errors.New("unavailable")
	// ErrMalformed: a 2xx response whose body is not what the endpoint sends.
	ErrMalformed = errors.New("malformed response")
	// ErrNetwork: the Marketplace could not be reached, or did not answer in time.
	ErrNetwork = errors.New("network")
)

// APIError is a response the client did not accept. Its Error is one sentence for the user.
type APIError struct {
	Method string // the request's method
	Path   string // the request's path, without the query
	Status int    // the HTTP status; 0 for a malformed 2xx body
	// Field is the TrustInfo path the server complained about (400/422), without the
	// appTrustInformation/commonCloud wrapper, when the error body names one: the first
	// of Errors that names a field.
	Field string
	// Errors are every error the body lists (400/422), in its order: a refused PUT names
	// each field it refused, with a JSON Pointer.
	Errors []FieldError
	// Message is the sentence shown to the user (the same as Error).
	Message string
	// ServerMessage is the server's own text for the failure, cleaned of control
	// characters and cut short; empty when it sent none.
	ServerMessage string
	// RetryAfter is how long the server asked to wait (429/503), when it said.
	RetryAfter time.Duration
	kind       error
}

// Error returns Message.
func (e *APIError) Error() string { return e.Message }

// Is matches the sentinel for the error's kind.
func (e *APIError) Is(target error) bool { return e.kind == target }

// NetworkError is a request that got no usable response: the host could not be reached,
// the connection broke, or the server did not answer within the timeout. It matches
// ErrNetwork, and context.DeadlineExceeded for a timeout.
type NetworkError struct {
	Method, Path string
	Host         string
	Timeout      bool
	// Unreachable marks a connection refused or a host name that does not resolve: nothing
	// there can answer, so the call is not retried.
	Unreachable bool
	err         error
}

// Error says which request failed and which host could not be reached in time.
func (e *NetworkError) Error() string {
	var dns *net.DNSError
	switch {
	case e.Timeout:
		return fmt.Sprintf("%s %s: %s did not answer in time; check your connection and try again", e.Method, e.Path, e.Host)
	case errors.Is(e.err, syscall.ECONNREFUSED):
		return fmt.Sprintf("%s %s: could not reach %s: the connection was refused, so nothing is listening there; check the API address and your connection", e.Method, e.Path, e.Host)
	case errors.As(e.err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("%s %s: could not reach %s: no host has the name %s; check the API address and your connection", e.Method, e.Path, e.Host, cleanText(dns.Name, 200))
	}
	return fmt.Sprintf("%s %s: could not reach %s (%s); check your connection and try again", e.Method, e.Path, e.Host, cleanText(rootCause(e.err), 200))
}

// Unwrap returns the underlying error.
func (e *NetworkError) Unwrap() error { return e.err }

// Is matches ErrNetwork, and context.DeadlineExceeded for a timeout.
func (e *NetworkError) Is(target error) bool {
	return target == ErrNetwork || (e.Timeout && target == context.DeadlineExceeded)
}

// rootCause is the innermost message of a network error, without the URL that url.Error
// adds (the URL carries no secret, but the method and path are already in the sentence).
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// FieldError is one error of a refused request: the field it points at, as the server
// wrote it (a JSON Pointer such as /security/securityContact) and as a dotted TrustInfo
// path (security.securityContact), the server's code and its message. All are cleaned of
// control characters; Pointer and Path are empty when the error names no field.
type FieldError struct {
	Pointer string
	Path    string
	Code    string
	Message string
}

// request describes one API call for error messages: which app, and what a 404 means.
type request struct {
	method, path string
	appKey       string
	// what names the thing a 404 is about when it is not an app ("vendor 123").
	what string
	// notFound is what a 404 means for this request: ErrNotFound or ErrNoDraft.
	notFound error
	// productID is set for v3 calls, so a 404 can say the id may be stale.
	productID string
}

// statusError builds the APIError for a non-2xx, non-retried response.
func (c *Client) statusError(rq request, resp *http.Response, body []byte) *APIError {
	e := &APIError{Method: rq.method, Path: rq.path, Status: resp.StatusCode}
	field, msg := parseErrorBody(body)
	e.Field = c.redact(cleanText(stripWrapper(field), 200))
	e.ServerMessage = c.redact(cleanText(msg, 300))
	for _, fe := range parseErrorList(body) {
		e.Errors = append(e.Errors, FieldError{
			Pointer: c.redact(cleanText(fe.Pointer, 200)),
			Path:    c.redact(cleanText(stripWrapper(fe.Pointer), 200)),
			Code:    c.redact(cleanText(fe.Code, 80)),
			Message: c.redact(cleanText(fe.Message, 300)),
		})
	}
	app := rq.appKey
	email := c.creds.Email
	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized:
		e.kind = ErrUnauthorized
		if c.creds.IsZero() {
			e.Message = "the Marketplace asked for credentials: set " + EnvEmail + " and " + EnvToken + ", or run pstab login"
		} else {
			e.Message = fmt.Sprintf("the API token for %s was refused: it is wrong or has expired (Atlassian API tokens now expire within a year); %s",
				email, c.creds.loginAdvice())
		}
	case code == http.StatusForbidden:
		e.kind = ErrForbidden
		if email == "" {
			e.Message = fmt.Sprintf("the Marketplace refused access to %s without credentials: set %s and %s, or run pstab login", app, EnvEmail, EnvToken)
		} else {
			e.Message = fmt.Sprintf("the account %s lacks Manage App permission on %s", email, app)
		}
	case code == http.StatusNotFound:
		e.kind = rq.notFound
		switch {
		case rq.what != "":
			e.Message = "unknown " + rq.what + " on the Marketplace"
		case rq.notFound == ErrNoDraft:
			e.Message = "no draft exists for " + app
		case rq.productID != "":
			e.Message = fmt.Sprintf("unknown app %s (Marketplace product id %s): the id changes when an app is re-listed, so resolve it again", app, rq.productID)
		default:
			e.Message = "unknown app " + app
		}
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		e.kind = ErrInvalid
		switch {
		case len(e.Errors) > 1:
			parts := make([]string, len(e.Errors))
			for i, fe := range e.Errors {
				parts[i] = fe.String()
			}
			e.Message = fmt.Sprintf("the Marketplace refused the request for %s with %d errors: %s", app, len(e.Errors), strings.Join(parts, "; "))
		case e.Field != "" && e.ServerMessage != "":
			e.Message = fmt.Sprintf("the Marketplace rejected the field %s for %s: %s", e.Field, app, e.ServerMessage)
		case e.Field != "":
			e.Message = fmt.Sprintf("the Marketplace rejected the field %s for %s", e.Field, app)
		case e.ServerMessage != "":
			e.Message = fmt.Sprintf("the Marketplace rejected the request for %s: %s", app, e.ServerMessage)
		default:
			e.Message = fmt.Sprintf("the Marketplace rejected the request for %s with status %d %s", app, code, http.StatusText(code))
		}
	case code == http.StatusConflict:
		e.kind = ErrConflict
		e.Message = fmt.Sprintf("the Marketplace reported a conflict for %s%s; pull the current version and try again", app, suffix(e.ServerMessage))
	case code == http.StatusTooManyRequests:
		e.kind = ErrRateLimited
		e.Message = fmt.Sprintf("the Marketplace is limiting the rate of requests and still refused %s %s after %d retries; wait a few minutes and try again", rq.method, rq.path, maxRetries)
	case code >= 300 && code < 400:
		e.kind = ErrRedirect
		e.Message = fmt.Sprintf("the server answered %s %s with a redirect (%d %s%s) and pstab did not follow it, since that could send your token elsewhere; check the API URL",
			rq.method, rq.path, code, http.StatusText(code), c.redirectTarget(resp))
	default:
		e.kind = ErrUnavailable
		e.Message = fmt.Sprintf("the Marketplace answered %s %s with %d %s%s; try again later", rq.method, rq.path, code, http.StatusText(code), suffix(e.ServerMessage))
	}
	return e
}

func suffix(msg string) string {
	if msg == "" {
		return ""
	}
	return " (" + msg + ")"
}

// redirectTarget names where a redirect pointed: its host only, cleaned.
func (c *Client) redirectTarget(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil || loc.Host == "" {
		return ""
	}
	return " to " + c.redact(cleanText(loc.Scheme+"://"+loc.Host, 100))
}

// String is the error in one phrase: where, and what the server said.
func (fe FieldError) String() string {
	msg := fe.Message
	if msg == "" {
		msg = fe.Code
	}
	if fe.Path == "" {
		return msg
	}
	return fe.Path + ": " + msg
}

// listedError is one entry of an errors list, before cleaning.
type listedError struct{ Pointer, Code, Message string }

// parseErrorList reads every entry of the documented error body
// {"errors": [{"message", "path", "code"}, ...]}, and of the shapes parseErrorBody knows
// besides (a bare list, {"errors": {"field": "message"}}), in order.
func parseErrorList(body []byte) []listedError {
	var doc any
	if json.Unmarshal([]byte(strings.TrimSpace(string(body))), &doc) != nil {
		return nil
	}
	var list []any
	switch d := doc.(type) {
	case []any:
		list = d
	case map[string]any:
		switch errs := d["errors"].(type) {
		case []any:
			list = errs
		case map[string]any:
			var out []listedError
			for _, k := range slices.Sorted(maps.Keys(errs)) {
				m, _ := errs[k].(string)
				out = append(out, listedError{Pointer: k, Message: m})
			}
			return out
		}
	}
	var out []listedError
	for _, item := range list {
		switch it := item.(type) {
		case string:
			out = append(out, listedError{Message: it})
		case map[string]any:
			le := listedError{
				Pointer: firstString(it, "path", "pointer", "field", "key", "property"),
				Code:    firstString(it, "code"),
				Message: firstString(it, "message", "detail", "title"),
			}
			if le.Pointer == "" {
				if src, ok := it["source"].(map[string]any); ok {
					le.Pointer = firstString(src, "pointer", "parameter")
				}
			}
			if le.Pointer == "" {
				le.Pointer = fieldFromText(le.Message)
			}
			out = append(out, le)
		}
	}
	return out
}

// stripWrapper turns a server's field path into a TrustInfo path: JSON pointers become dotted
// paths, and the appTrustInformation or commonCloud wrapper is removed.
func stripWrapper(field string) string {
	field = strings.TrimSpace(field)
	if strings.HasPrefix(field, "/") || strings.HasPrefix(field, "$.") {
		field = strings.TrimPrefix(strings.TrimPrefix(field, "$"), "/")
		field = strings.TrimPrefix(field, ".")
		// JSON Pointer: "/a/b/1" is a.b[1]; "~1" and "~0" stand for "/" and "~".
		parts := strings.Split(field, "/")
		var b strings.Builder
		for i, p := range parts {
			p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
			if _, err := strconv.Atoi(p); err == nil && i > 0 {
				b.WriteString("[" + p + "]")
				continue
			}
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		}
		field = b.String()
	}
	for _, w := range []string{"appTrustInformation", "commonCloud", "common", "body"} {
		if field == w {
			return ""
		}
		field = strings.TrimPrefix(field, w+".")
	}
	return field
}

// fieldInText finds a field name in a free-text message such as
// "Invalid value for field 'uri'".
var fieldInText = regexp.MustCompile(`(?i)\bfield\s*[:=]?\s*['"\x60]([A-Za-z0-9_.\[\]/$-]+)['"\x60]`)

// parseErrorBody reads the error bodies the Marketplace plausibly sends, and returns the
// field it names and its message. Known shapes:
//
//	{"errors":[{"message":"...","path":"..."}]}                 (v2, as far as known)
//	{"code":"VALIDATION_FAILED","message":"Invalid value for field 'x'"} (v3, seen elsewhere)
//	{"errors":{"field":"message"}} and {"errorMessages":["..."]} (Atlassian's other APIs)
//	plain text
func parseErrorBody(body []byte) (field, msg string) {
	body = []byte(strings.TrimSpace(string(body)))
	if len(body) == 0 {
		return "", ""
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		text := string(body)
		if looksLikeHTML(text) {
			return "", ""
		}
		return fieldFromText(text), text
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		if list, ok := doc.([]any); ok {
			return fromErrorList(list)
		}
		return "", ""
	}
	msg = firstString(obj, "message", "detail", "title", "error_description", "error", "errorMessage")
	field = firstString(obj, "path", "field", "key", "property", "pointer")
	switch errs := obj["errors"].(type) {
	case []any:
		f, m := fromErrorList(errs)
		if field == "" {
			field = f
		}
		if m != "" && (msg == "" || f != "") {
			msg = m
		}
	case map[string]any:
		keys := slices.Sorted(maps.Keys(errs))
		if len(keys) > 0 {
			if field == "" {
				field = keys[0]
			}
			if s, ok := errs[keys[0]].(string); ok {
				msg = s
			}
		}
	}
	if msg == "" {
		if list, ok := obj["errorMessages"].([]any); ok && len(list) > 0 {
			msg, _ = list[0].(string)
		}
	}
	if msg == "" {
		msg = firstString(obj, "code")
	}
	if field == "" {
		field = fieldFromText(msg)
	}
	return field, msg
}

func fromErrorList(list []any) (field, msg string) {
	for _, item := range list {
		switch it := item.(type) {
		case string:
			if msg == "" {
				msg = it
			}
		case map[string]any:
			m := firstString(it, "message", "detail", "title", "code")
			f := firstString(it, "path", "field", "key", "property", "pointer")
			if f == "" {
				if src, ok := it["source"].(map[string]any); ok {
					f = firstString(src, "pointer", "parameter")
				}
			}
			if f == "" {
				f = fieldFromText(m)
			}
			if msg == "" || (field == "" && f != "") {
				msg, field = m, f
			}
		}
		if field != "" {
			break
		}
	}
	return field, msg
}

func firstString(obj map[string]any, keys ...string) string {
	for _, k := range keys {
		switch v := obj[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case []any: // a path given as a list of segments
			parts := make([]string, 0, len(v))
			for _, p := range v {
				parts = append(parts, fmt.Sprint(p))
			}
			if len(parts) > 0 {
				return strings.Join(parts, ".")
			}
		}
	}
	return ""
}

func fieldFromText(s string) string {
	if m := fieldInText.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func looksLikeHTML(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "<!doctype") || strings.HasPrefix(l, "<html")
}

// cleanText makes server (or user) text safe to put in a one-line message: invalid UTF-8,
// control characters (C0, DEL, C1), bidi controls and other invisible format characters
// are dropped, runs of white space become one space, and the result is cut to max runes.
func cleanText(s string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	i := 0
	for i < len(s) && n < max {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, unicode.Is(unicode.Cf, r):
			continue // controls; Cf holds the bidi and zero-width characters
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if i < len(s) && strings.TrimSpace(s[i:]) != "" {
		out += "…"
	}
	return out
}
