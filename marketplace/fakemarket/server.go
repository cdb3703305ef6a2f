// Package fakemarket is a local stand-in for the Atlassian Marketplace's Privacy & Security
// API, for tests of pstab's client and end-to-end tests of its commands.
//
// It behaves as Atlassian's published OpenAPI describes the API, and as the Marketplace
// has been seen to behave where the description is silent:
//
//   - HTTP Basic auth against configured accounts: 401 for a wrong token, 403 for an
//     account without Manage App permission; the live version may be read anonymously;
//   - the v2 paths by app key, and the v3 paths by the listing's productId, a UUID that
//     differs from the appSoftwareId the app-software endpoint gives (which the Privacy &
//     Security path answers with 404);
//   - the developer-space look-up (vendor id to developer id) and the developer's
//     listings, a page at a time (limit up to 50, links.next with a cursor), private
//     listings only with includePrivate=true;
//   - PUT bodies checked against the published schema (schema.go): only the seven answer
//     groups, every known field's type, enum and format, with every error of a body in
//     the documented 400 shape {"errors": [{"message", "path", "code"}]}, paths as JSON
//     Pointers;
//   - what it stores it normalises as a live server does: nulls dropped, and tri-states
//     served as the upper-case strings "TRUE", "FALSE" and "NOT_APPLICABLE" (partners'
//     scripts reading live tabs see these); every save stamps properties.updatedBy, a new
//     properties.updatedAt (epoch milliseconds) and formStatus SAVED;
//   - publish (v3) makes the draft live with formStatus SUBMITTED; Approve and Reject play
//     Atlassian's review (APPROVED; REJECTED with the review ticket in jiraLinks).
//
// It logs every request, and injects failures on demand: 429 with Retry-After, runs of
// 502/503/504, slow or silent servers, malformed JSON, and redirects to a second server
// that records whatever reaches it.
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
	"sync"
	"time"
)

// DefaultVendor is the vendor an app belongs to when AddApp is not told otherwise, and
// DefaultDeveloper its developer space.
const (
	DefaultVendor    = "1000001"
	DefaultDeveloper = "87654321-4321-4321-4321-210987654321"
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
	Key  string
	Name string
	// ProductID is its listing's productId, the v3 Privacy & Security id; AddApp makes one
	// up when empty.
	ProductID string
	// Vendor is the id of the vendor that lists it; DefaultVendor when empty.
	Vendor string
	// Private keeps the listing out of the developer's listings unless includePrivate=true.
	Private bool
	// Hostings are the hostings the app-software endpoint lists; {"cloud"} when nil.
	Hostings []string
	// PrivacyURL is the listing's privacy policy link; BugBounty its enrolment in the
	// Marketplace Bug Bounty program.
	PrivacyURL string
	BugBounty  bool
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
	// Body is the request body, for PUTs.
	Body string
}

// Server is a running fake Marketplace. Its methods are safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	target *Target
	done   chan struct{}
	once   sync.Once

	mu       sync.Mutex
	accounts map[string]Account
	apps     map[string]*app   // by app key
	vendors  map[string]string // vendor id -> developer id
	faults   []*Fault
	log      []Request
	common   bool // the v3 GET wraps in "common" instead of "commonCloud"
	raw      bool // serve values as they were sent, without normalising
	clock    func() time.Time
	lastMS   int64
}

type app struct {
	App
	softwareIDs map[string]string // hosting -> appSoftwareId
	live        map[string]any
	draft       map[string]any
}

// New starts a fake Marketplace with no accounts and no apps. Close it when done.
func New() *Server {
	s := &Server{
		done:     make(chan struct{}),
		accounts: map[string]Account{},
		apps:     map[string]*app{},
		vendors:  map[string]string{DefaultVendor: DefaultDeveloper},
		clock:    time.Now,
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

// AddVendor adds a vendor with its developer space's id.
func (s *Server) AddVendor(vendorID, developerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vendors[vendorID] = developerID
}

// AddApp lists an app and returns its product id. Its app-software ids, one per hosting,
// are other UUIDs.
func (s *Server) AddApp(a App) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.apps) + 1
	if a.ProductID == "" {
		a.ProductID = fmt.Sprintf("%08x-0000-4000-8000-%012x", crc32.ChecksumIEEE([]byte(a.Key)), n)
	}
	if a.Vendor == "" {
		a.Vendor = DefaultVendor
	}
	if a.Name == "" {
		a.Name = a.Key
	}
	if a.Hostings == nil {
		a.Hostings = []string{"cloud"}
	}
	ap := &app{App: a, softwareIDs: map[string]string{}, live: s.normalise(clone(a.Live)), draft: s.normalise(clone(a.Draft))}
	for i, h := range a.Hostings {
		ap.softwareIDs[h] = fmt.Sprintf("%08x-5aff-4000-9000-%012x", crc32.ChecksumIEEE([]byte(a.Key+"/"+h)), n*10+i)
	}
	if ap.live == nil {
		ap.live = map[string]any{}
	}
	s.apps[a.Key] = ap
	return a.ProductID
}

// AppSoftwareID returns the appSoftwareId the app-software endpoint gives an app for a
// hosting ("cloud"), which is not its product id.
func (s *Server) AppSoftwareID(key, hosting string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ap := s.apps[key]; ap != nil {
		return ap.softwareIDs[hosting]
	}
	return ""
}

// Relist gives an app a new product id, as re-listing an app does, and returns it.
func (s *Server) Relist(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ap := s.apps[key]
	if ap == nil {
		return ""
	}
	ap.ProductID = fmt.Sprintf("%08x-1111-4000-8000-%012x", crc32.ChecksumIEEE([]byte(ap.ProductID)), len(s.apps))
	return ap.ProductID
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
		ap.draft = s.normalise(clone(info))
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
	s.stamp(ap.live, "APPROVED", "reviewer@atlassian.example")
	return true
}

// Reject plays a refusal by Atlassian's review: the live version's formStatus becomes
// REJECTED and jiraLinks holds the review tickets. It reports whether the app exists.
func (s *Server) Reject(key string, tickets ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ap := s.apps[key]
	if ap == nil {
		return false
	}
	props := s.stamp(ap.live, "REJECTED", "reviewer@atlassian.example")
	links := make([]any, len(tickets))
	for i, t := range tickets {
		links[i] = t
	}
	props["jiraLinks"] = links
	return true
}

// UseCommonWrapper makes the v3 GET wrap the object in "common", as the published schema
// of the response names it, instead of "commonCloud", as live responses do.
func (s *Server) UseCommonWrapper(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.common = on
}

// ServeAsSent turns off the normalisation of stored values: tri-states are served as
// they were sent.
func (s *Server) ServeAsSent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = on
}

// SetClock replaces the clock that stamps updatedAt.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = now
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
	logged := false
	record := func() {
		if logged {
			return
		}
		logged = true
		entry.Status = rec.status
		s.mu.Lock()
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}
	// A normal answer reaches the client only once this handler has returned, so the
	// request is in the log before the client can look; deferred logging is enough.
	defer record()
	if f := s.takeFault(r); f != nil {
		if f.Drop || f.Hang {
			// The client sees these end (a closed connection, its own timeout) while the
			// handler still runs: log the request first, or a test that counts requests
			// right after the failed call may not find it yet.
			record()
		}
		if s.applyFault(f, rec, r) {
			return
		}
	}
	acct, status := s.authenticate(r)
	if status != 0 {
		writeError(rec, status, "", http.StatusText(status))
		return
	}
	entry.Account = acct.Email
	s.route(rec, r, acct, &entry)
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

// writeErrors sends the documented error body: {"errors": [{"message", "path", "code"}]}.
func writeErrors(w http.ResponseWriter, status int, errs []Error) {
	writeJSON(w, status, map[string]any{"errors": errs})
}

// writeError sends one error in the documented shape.
func writeError(w http.ResponseWriter, status int, path, msg string) {
	code := map[int]string{400: "INVALID_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
		405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE"}[status]
	writeErrors(w, status, []Error{{Path: path, Code: code, Message: msg}})
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
