package fakemarket

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a failure the fake injects into matching requests, before checking auth (as a
// proxy or rate limiter in front of the real API would). Faults apply in the order they
// were injected; each answers Times requests and then is gone. Build them with the
// functions below and adjust Method, Path or Times.
type Fault struct {
	// Method limits the fault to one method; "" matches any.
	Method string
	// Path limits the fault to one request path (exact, or a prefix when it ends in *);
	// "" matches any.
	Path string
	// Times is how many requests the fault answers; 0 means 1.
	Times int

	// Delay is how long to wait before answering (before any header is sent).
	Delay time.Duration
	// Hang holds the request without answering until the client gives up or the fake
	// closes.
	Hang bool
	// Drop reads the request and closes the connection without answering: a network
	// error after the request was sent.
	Drop bool
	// Status is the status to answer with; 0 means answer normally after Delay.
	Status int
	// Header is added to the answer (Retry-After, Location, ...).
	Header http.Header
	// Body is the answer's body.
	Body string
	// RedirectToTarget makes Location point at the fake's Target with the request's path.
	RedirectToTarget bool
}

// RateLimited answers 429 with the given Retry-After ("" for none), times times.
func RateLimited(times int, retryAfter string) Fault {
	f := Fault{Times: times, Status: http.StatusTooManyRequests, Body: `{"code":"TOO_MANY_REQUESTS","message":"Rate limit exceeded"}`}
	if retryAfter != "" {
		f.Header = http.Header{"Retry-After": {retryAfter}}
	}
	return f
}

// Unavailable answers status (502, 503 or 504) times times.
func Unavailable(status, times int) Fault {
	return Fault{Times: times, Status: status, Body: "<html><body>" + strconv.Itoa(status) + " " + http.StatusText(status) + "</body></html>"}
}

// Slow waits d before answering normally.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// Hang never answers: the request stays open without a header until the client gives up.
func Hang() Fault { return Fault{Hang: true} }

// Drop closes the connection after reading the request, without answering.
func Drop() Fault { return Fault{Drop: true} }

// Malformed answers 200 with a body that is not the JSON the endpoint sends.
func Malformed(body string) Fault {
	return Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// Redirect answers status (301, 302, 303, 307 or 308) pointing at location, or at the
// fake's Target (same path) when location is "".
func Redirect(status int, location string) Fault {
	f := Fault{Status: status, Body: "moved"}
	if location == "" {
		f.RedirectToTarget = true
	} else {
		f.Header = http.Header{"Location": {location}}
	}
	return f
}

// Respond answers status with body: a 409, a 422 with an error body, a 500...
func Respond(status int, body string) Fault {
	return Fault{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// PendingFaults is how many injected answers are still to be given.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.Times
	}
	return n
}

// takeFault returns the first fault matching r and uses up one of its answers.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if f.Path != "" {
			if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
				if !strings.HasPrefix(r.URL.Path, prefix) {
					continue
				}
			} else if f.Path != r.URL.Path {
				continue
			}
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// applyFault plays a fault. It returns false when the request should then be answered
// normally (a pure delay).
func (s *Server) applyFault(f *Fault, w http.ResponseWriter, r *http.Request) bool {
	if f.Hang {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return true
	}
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return true
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		case <-s.done:
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if f.RedirectToTarget {
		w.Header().Set("Location", s.target.URL()+r.URL.RequestURI())
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}

// Target is a second server, where redirects point by default. It records every request
// that reaches it and answers 200 with an empty JSON object, which is what makes a
// followed redirect dangerous: it looks like success.
type Target struct {
	srv *httptest.Server
	mu  sync.Mutex
	log []TargetRequest
}

// TargetRequest is one request that reached the Target.
type TargetRequest struct {
	Method string
	Path   string
	// Authorization is the Authorization header it carried ("" when none): the token, if
	// a client forwarded it.
	Authorization string
}

func newTarget() *Target {
	t := &Target{}
	t.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		t.log = append(t.log, TargetRequest{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization")})
		t.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	return t
}

// URL is the Target's base URL.
func (t *Target) URL() string { return t.srv.URL }

// Requests returns what reached the Target, oldest first.
func (t *Target) Requests() []TargetRequest {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TargetRequest(nil), t.log...)
}

// Close stops the Target.
func (t *Target) Close() { t.srv.Close() }
