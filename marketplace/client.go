// Package marketplace is pstab's client for the Atlassian Marketplace REST API's Privacy &
// Security resource: v2 (by app key: read live or draft, write the draft) and v3 (by
// product id: read, write and delete the draft, publish it), with the credentials it needs.
//
// The client moves payloads; it does not interpret them. A payload is the TrustInfo object
// as a map[string]any (package questionnaire builds and reads it); the client wraps it as
// each API generation expects and unwraps what the server sends back.
//
// Safety rules it keeps, so its callers need not:
//   - plain http is refused except on loopback; redirects are never followed;
//   - every request has a timeout and stops at once when its context is cancelled;
//   - 429, 502, 503 and 504 are retried with backoff, honouring Retry-After; other
//     failures are not retried and become one sentence (*APIError, *NetworkError);
//   - the API token never appears in an error, a log line or a printed value.
package marketplace

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Default API locations.
const (
	DefaultV2URL = "https://marketplace.atlassian.com"
	DefaultV3URL = "https://api.atlassian.com/marketplace"
)

// DefaultTimeout bounds one HTTP attempt: connecting, sending, and reading the whole answer.
const DefaultTimeout = 30 * time.Second

// Retry policy; see Client.do.
const (
	maxRetries    = 4                // retries after the first attempt
	maxRetryAfter = 60 * time.Second // a longer Retry-After gives up at once
	maxWaitTotal  = 2 * time.Minute  // all waits of one call together
	maxBodySize   = 4 << 20          // the most of a response body pstab reads
)

// Config configures a Client. The zero value talks to the real Marketplace without
// credentials (enough to read live listings on v2).
type Config struct {
	// Credentials are sent as HTTP Basic auth on every request when set.
	Credentials Credentials
	// V2URL is the v2 API's base URL (--api-url, PSTAB_API_URL); DefaultV2URL when empty.
	V2URL string
	// V3URL is the v3 API's base URL, including its /marketplace path (--api-v3-url,
	// PSTAB_API_V3_URL); DefaultV3URL when empty.
	V3URL string
	// Timeout bounds each attempt; DefaultTimeout when zero. A timed-out attempt is not
	// retried: a server that hung once is likely to hang again, and the user is waiting.
	Timeout time.Duration
	// Sleep waits between retries; it must return early with ctx.Err() when ctx is done.
	// Tests pass a fake that records the waits. Nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to read a Retry-After given as a date; time.Now when nil.
	Now func() time.Time
	// Logger, when set, receives one Debug line per attempt (method, path, status,
	// attempt, duration) and per retry wait. Headers and bodies are never logged.
	Logger *slog.Logger
	// UserAgent is sent as the User-Agent header; "pstab" when empty.
	UserAgent string
}

// Client calls the Marketplace API. It is safe for concurrent use.
type Client struct {
	creds     Credentials
	v2, v3    *url.URL
	http      *http.Client
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	logger    *slog.Logger
	userAgent string
}

// New checks the configuration and returns a Client. It refuses a base URL that is not
// https, except plain http to a loopback host (127.0.0.0/8, ::1, localhost) for tests and
// local fakes.
func New(cfg Config) (*Client, error) {
	c := &Client{
		creds:     cfg.Credentials,
		sleep:     cfg.Sleep,
		now:       cfg.Now,
		logger:    cfg.Logger,
		userAgent: cfg.UserAgent,
	}
	var err error
	if c.v2, err = checkBaseURL(cfg.V2URL, DefaultV2URL, "the v2 API URL"); err != nil {
		return nil, err
	}
	if c.v3, err = checkBaseURL(cfg.V3URL, DefaultV3URL, "the v3 API URL"); err != nil {
		return nil, err
	}
	if !c.creds.IsZero() {
		if err := checkEmail(c.creds.Email); err != nil {
			return nil, err
		}
		if err := checkToken(c.creds.Token); err != nil {
			return nil, err
		}
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.userAgent == "" {
		c.userAgent = "pstab"
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	c.http = newHTTPClient(timeout)
	return c, nil
}

// Format prints a Client as its endpoints only, never its credentials. It has a value
// receiver so that a dereferenced Client prints the same way.
func (c Client) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "marketplace.Client{v2: %s, v3: %s}", c.v2, c.v3)
}

// newHTTPClient returns a client of its own (never http.DefaultClient, which has no
// timeout) that does not follow redirects: Go forwards the Authorization header on a
// same-host redirect even from https to http, and turns a redirected PUT into a GET that
// reports success.
func newHTTPClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(10*time.Second, timeout), KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   min(10*time.Second, timeout),
		ResponseHeaderTimeout: min(20*time.Second, timeout),
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// checkBaseURL parses a configured base URL and enforces https (or http on loopback).
func checkBaseURL(raw, def, name string) (*url.URL, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	shown := cleanText(raw, 200)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s %q is not a URL", name, shown)
	case u.User != nil:
		return nil, fmt.Errorf("%s must not contain a user name or password: pstab takes credentials only from the environment or the keyring", name)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "", u.Opaque != "":
		return nil, fmt.Errorf("%s %q must be an https:// URL", name, shown)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("%s %q must not have a query or fragment", name, shown)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("%s %q uses plain http, which would send your API token unencrypted; use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)", name, shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secretForms are the token as it could appear in text: raw, in the Basic header, and
// URL-encoded.
func secretForms(c Credentials) []string {
	tok := c.Token.reveal()
	forms := []string{
		tok,
		base64.StdEncoding.EncodeToString([]byte(c.Email + ":" + tok)),
		base64.URLEncoding.EncodeToString([]byte(c.Email + ":" + tok)),
		base64.StdEncoding.EncodeToString([]byte(tok)),
		url.QueryEscape(tok),
		url.PathEscape(tok),
	}
	out := forms[:0]
	for _, f := range forms {
		if len(f) >= 4 {
			out = append(out, f)
		}
	}
	return out
}

// redact removes the token from text the server sent, in case a hostile or broken server
// echoes it back. The forms are computed each time rather than kept in the Client, where
// printing a dereferenced Client could show them.
func (c *Client) redact(s string) string {
	if c.creds.IsZero() {
		return s
	}
	for _, f := range secretForms(c.creds) {
		s = strings.ReplaceAll(s, f, redacted)
	}
	return s
}

// keyPattern is what app keys and product ids look like; anything else is refused before
// it can change the shape of a URL path.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$`)

func checkKey(kind, key string) error {
	if !keyPattern.MatchString(key) {
		if key == "" {
			return fmt.Errorf("the %s is empty", kind)
		}
		return fmt.Errorf("%q is not a valid %s: use letters, digits, dots, dashes and underscores", cleanText(key, 100), kind)
	}
	return nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// drain reads what is left of a body (bounded) so the connection can be reused, and closes it.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}
