// Package fakemarket is a local stand-in for the Atlassian Marketplace's Privacy & Security
// API, for tests of pstab's client and end-to-end tests of its commands.
//
// It behaves like the Marketplace as far as pstab's reference describes it: HTTP Basic auth
// against configured accounts (401 for a wrong token, 403 for an account without Manage App
// permission), the v2 and v3 paths and methods (404 for an unknown app or a missing
// draft), the shape of PUT bodies (400 naming the field), a live and a draft version per app,
// and v3 publish (formStatus SUBMITTED, then APPROVED with Approve). It logs every request,
// and injects failures on demand: 429 with Retry-After, runs of 502/503/504, slow or
// silent servers, malformed JSON, and redirects to a second server that records whatever
// reaches it.
//
// It serves the v2 API at URL() and the v3 API at V3URL() (URL()+"/marketplace", like
// the real api.atlassian.com/marketplace), over plain http on 127.0.0.1.
package fakemarket

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Account is a user the fake accepts.
type Account struct {
	Email string
	Token string
	// NoManageApp makes the account lack Manage App permission on every app: it may read
	// live versions but gets 403 for drafts, writes and publish.
	NoManageApp bool
}

// App is an app listed on the fake.
type App struct {
	Key string
	// ProductID is its v3 id; AddApp makes one up when empty.
	ProductID string
	// Hostings are the hostings the app-software endpoint lists; {"cloud"} when nil.
	Hostings []string
	// Live is the live TrustInfo object; an empty object when nil.
	Live map[string]any
	// Draft is the draft TrustInfo object; nil means no draft.
	Draft map[string]any
}

// Request is one request the fake received, for assertions.
type Request struct {
	Method string
	Path   string
	Query  string
	Status int  // the status sent; 0 when the fake never answered
	Auth   bool // whether an Authorization header was present
	// Account is the email that authenticated, or "" (no auth, or refused).
	Account string
}

// Server is a running fake Marketplace. Its methods are safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	target *Target
	done   chan struct{}
	once   sync.Once

	mu       sync.Mutex
	accounts map[string]Account
	apps     map[string]*app // by app key
	faults   []*Fault
	log      []Request
	wrapped  bool // app-software answers {"items": [...]} instead of a bare list
}

type app struct {
	App
	live  map[string]any
	draft map[string]any
}

// New starts a fake Marketplace with no accounts and no apps. Close it when done.
func New() *Server {
	s := &Server{
		done:     make(chan struct{}),
		accounts: map[string]Account{},
		apps:     map[string]*app{},
	}
	s.target = newTarget()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL of the v2 API (the fake's root).
func (s *Server) URL() string { return s.srv.URL }

// V3URL is the base URL of the v3 API: URL()+"/marketplace".
func (s *Server) V3URL() string { return s.srv.URL + v3Prefix }

// Target is the second server redirects point to by default.
func (s *Server) Target() *Target { return s.target }

// Close stops the fake and its redirect target. Requests held by Hang are released.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.target.Close()
	})
}

// AddAccount adds (or replaces) an account.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[a.Email] = a
}

// AddApp lists an app and returns its product id.
func (s *Server) AddApp(a App) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ProductID == "" {
		a.ProductID = fmt.Sprintf("%08x-0000-4000-8000-%012x", crc32.ChecksumIEEE([]byte(a.Key)), len(s.apps)+1)
	}
	if a.Hostings == nil {
		a.Hostings = []string{"cloud"}
	}
	ap := &app{App: a, live: clone(a.Live), draft: clone(a.Draft)}
	if ap.live == nil {
		ap.live = map[string]any{}
	}
	s.apps[a.Key] = ap
	return a.ProductID
}

// Live returns a copy of an app's live TrustInfo (nil for an unknown app).
func (s *Server) Live(key string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ap := s.apps[key]; ap != nil {
		return clone(ap.live)
	}
	return nil
}

// Draft returns a copy of an app's draft, and whether it has one.
func (s *Server) Draft(key string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ap := s.apps[key]; ap != nil && ap.draft != nil {
		return clone(ap.draft), true
	}
	return nil, false
}

// SetDraft replaces an app's draft; nil removes it.
func (s *Server) SetDraft(key string, info map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ap := s.apps[key]; ap != nil {
		ap.draft = clone(info)
	}
}

// Approve plays Atlassian's review: the live version's formStatus becomes APPROVED. It
// reports whether the app exists.
func (s *Server) Approve(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ap := s.apps[key]
	if ap == nil {
		return false
	}
	setFormStatus(ap.live, "APPROVED")
	return true
}

// WrapAppSoftware makes the app-software endpoint answer {"items": [...]} instead of a bare
// list, the other shape the client must accept.
func (s *Server) WrapAppSoftware(wrapped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wrapped = wrapped
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetLog forgets the requests received so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// statusRecorder remembers the status a handler sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Hijack lets the Drop fault close the connection.
func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Write records an implicit 200.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	entry := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization") != ""}
	defer func() {
		entry.Status = rec.status
		s.mu.Lock()
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}()
	if f := s.takeFault(r); f != nil {
		if s.applyFault(f, rec, r) {
			return
		}
	}
	acct, status := s.authenticate(r)
	if status != 0 {
		writeError(rec, status, strings.HasPrefix(r.URL.Path, v3Prefix), "", http.StatusText(status))
		return
	}
	entry.Account = acct.Email
	s.route(rec, r, acct)
}

// authenticate checks Basic auth. No header gives the zero Account (anonymous); a header
// that does not match an account gives 401.
func (s *Server) authenticate(r *http.Request) (Account, int) {
	if r.Header.Get("Authorization") == "" {
		return Account{}, 0
	}
	email, token, ok := r.BasicAuth()
	if !ok {
		return Account{}, http.StatusUnauthorized
	}
	s.mu.Lock()
	a, known := s.accounts[email]
	s.mu.Unlock()
	if !known || a.Token != token {
		return Account{}, http.StatusUnauthorized
	}
	return a, 0
}

// writeJSON sends a JSON value.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError sends an error body in the style of the API generation: v2
// {"errors":[{"message","path"}]}, v3 {"code","message"} naming the field in the text.
func writeError(w http.ResponseWriter, status int, v3 bool, path, msg string) {
	if v3 {
		code := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
		if status == http.StatusBadRequest {
			code = "VALIDATION_FAILED"
			if path != "" {
				msg = fmt.Sprintf("Invalid value for field '%s': %s", path, msg)
			}
		}
		writeJSON(w, status, map[string]any{"code": code, "message": msg})
		return
	}
	e := map[string]any{"message": msg}
	if path != "" {
		e["path"] = path
	}
	writeJSON(w, status, map[string]any{"errors": []any{e}})
}

func setFormStatus(info map[string]any, status string) {
	props, _ := info["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		info["properties"] = props
	}
	props["formStatus"] = status
}

// clone deep-copies a JSON tree.
func clone(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return clone(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = cloneValue(x[i])
		}
		return out
	}
	return v
}
