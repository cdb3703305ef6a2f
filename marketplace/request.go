package marketplace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// call is one API call: the request for messages, and what to send.
type call struct {
	request
	base  *url.URL // scheme and host; request.path is the full path
	query url.Values
	body  []byte // nil when the request has none
}

// attempt is the outcome of one HTTP exchange.
type attempt struct {
	status int
	header http.Header
	body   []byte
	resp   *http.Response // for redirects only; its body is already closed
	sent   bool           // whether the request headers went out
}

// do runs a call with retries and returns the body of its 2xx response.
//
// Retried: 429 and 503 (the server says it did not do the work), 502 and 504 on idempotent
// methods only (a gateway error after a POST publish may hide a publish that happened), and
// a connection that broke before any response on idempotent methods, or on any method when
// the request never went out. Timeouts are not retried, nor is a connection refused or a
// host name that does not resolve: nothing is there to answer, and seconds of backoff
// would not change that. The wait is the larger of Retry-After and an exponential backoff
// of about 1, 2, 4, 8 s × U(0.7, 1.3); at most 4 retries and 2 minutes of waiting in all. A
// Retry-After over 60 s gives up at once. Before each wait the context's RetryNotice, if
// any, hears what failed, how long the wait is and how many tries are left.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	body, _, err := c.doRedacted(ctx, cl)
	return body, err
}

// doRedacted is do that also says where the successful response held the credentials,
// which were taken out of the body it returns (see redactBody).
func (c *Client) doRedacted(ctx context.Context, cl call) ([]byte, []string, error) {
	body, err := c.doRaw(ctx, cl)
	if err != nil {
		return nil, nil, err
	}
	out, found := c.redactBody(body)
	if len(found) > 0 && c.logger != nil {
		c.logger.WarnContext(ctx, "marketplace response held the credentials; redacted", "method", cl.method, "path", cl.path, "places", len(found))
	}
	return out, found, nil
}

// doRaw sends the call, retrying what may be retried, and returns the body of a 2xx
// answer as the server sent it.
func (c *Client) doRaw(ctx context.Context, cl call) ([]byte, error) {
	u := *cl.base
	u.Path = cl.path // the full path: callers include the base URL's path
	u.RawQuery = cl.query.Encode()
	fullPath := cl.path
	idempotent := cl.method != http.MethodPost
	var waited time.Duration
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", cl.method, fullPath, err)
		}
		at, err := c.once(ctx, cl, &u, n)
		var wait time.Duration
		switch {
		case err != nil:
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("%s %s: %w", cl.method, fullPath, ctxErr)
			}
			if !errors.Is(err, ErrNetwork) {
				return nil, err // a response too large to read
			}
			var ne *NetworkError
			retry := errors.As(err, &ne) && !ne.Timeout && !ne.Unreachable && (idempotent || !at.sent)
			if !retry || n > maxRetries {
				return nil, err
			}
			wait = c.backoff(n)
		case at.status >= 200 && at.status < 300:
			return at.body, nil
		case retryable(at.status, idempotent) && n <= maxRetries:
			ra, ok := retryAfter(at.header, c.now())
			if ok && ra > maxRetryAfter {
				return nil, c.tooLongError(cl.request, at.status, ra)
			}
			wait = max(ra, c.backoff(n))
		default:
			e := c.statusError(cl.request, respOf(at), at.body)
			if ra, ok := retryAfter(at.header, c.now()); ok {
				e.RetryAfter = ra
			}
			return nil, e
		}
		if waited+wait > maxWaitTotal {
			return nil, c.gaveUpError(cl.request, at.status, waited, wait, err)
		}
		if c.logger != nil {
			c.logger.DebugContext(ctx, "marketplace retry", "method", cl.method, "path", fullPath, "attempt", n, "wait", wait)
		}
		if notice := retryNoticeFrom(ctx); notice != nil {
			notice(Retry{Method: cl.method, Path: fullPath, Status: at.status, Err: err, Wait: wait, TriesLeft: maxRetries - n + 1})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w", cl.method, fullPath, err)
		}
		waited += wait
	}
}

// respOf rebuilds enough of a response for statusError.
func respOf(at attempt) *http.Response {
	if at.resp != nil {
		return at.resp
	}
	return &http.Response{StatusCode: at.status, Header: at.header}
}

func retryable(status int, idempotent bool) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// backoff is the wait before retry n (1-based): 2^(n-1) s × U(0.7, 1.3).
func (c *Client) backoff(n int) time.Duration {
	base := time.Second << (n - 1)
	return time.Duration(float64(base) * (0.7 + 0.6*rand.Float64()))
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		// delta-seconds. A number too large even to parse asks for longer than any sane
		// wait: it gives up at once like any wait over a day, not ignored and retried.
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(longestRetryAfter/time.Second) {
			return beyondSane, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > longestRetryAfter {
		return beyondSane, true
	}
	return max(t.Sub(now), 0), true
}

// longestRetryAfter is the longest Retry-After read as a duration; beyondSane stands for
// any longer one (a wait so long that its exact length means nothing to the partner).
const (
	longestRetryAfter = 24 * time.Hour
	beyondSane        = longestRetryAfter + time.Second
)

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// tooLongError is the answer to a server that asks pstab to wait longer than it will.
func (c *Client) tooLongError(rq request, status int, wait time.Duration) *APIError {
	kind := ErrUnavailable
	if status == http.StatusTooManyRequests {
		kind = ErrRateLimited
	}
	if wait >= beyondSane {
		return &APIError{
			Method: rq.method, Path: rq.path, Status: status, RetryAfter: wait, kind: kind,
			Message: fmt.Sprintf("the Marketplace asked pstab to wait more than a day before trying %s %s again, so pstab gave up at once; try again later",
				rq.method, rq.path),
		}
	}
	until := c.now().Add(wait).Local().Format("15:04:05")
	return &APIError{
		Method: rq.method, Path: rq.path, Status: status, RetryAfter: wait, kind: kind,
		Message: fmt.Sprintf("the Marketplace asked pstab to wait %s before trying %s %s again; try again after %s",
			wait.Round(time.Second), rq.method, rq.path, until),
	}
}

// gaveUpError is the answer when the next wait would pass the budget for one call.
func (c *Client) gaveUpError(rq request, status int, waited, next time.Duration, last error) error {
	if last != nil {
		return last
	}
	kind := ErrUnavailable
	if status == http.StatusTooManyRequests {
		kind = ErrRateLimited
	}
	return &APIError{
		Method: rq.method, Path: rq.path, Status: status, RetryAfter: next, kind: kind,
		Message: fmt.Sprintf("the Marketplace still answered %s %s with %d %s after pstab waited %s in all; try again after %s",
			rq.method, rq.path, status, http.StatusText(status), waited.Round(time.Second), c.now().Add(next).Local().Format("15:04:05")),
	}
}

// once makes one HTTP attempt. Its error is a *NetworkError, a context error, or an
// *APIError for a body too large to read.
func (c *Client) once(ctx context.Context, cl call, u *url.URL, n int) (attempt, error) {
	var at attempt
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	trace := &httptrace.ClientTrace{WroteHeaders: func() { at.sent = true }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), cl.method, u.String(), body)
	if err != nil {
		return at, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if !c.creds.IsZero() {
		req.SetBasicAuth(c.creds.Email, c.creds.Token.reveal())
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		ne := c.networkError(cl.request, u.Host, err)
		c.logAttempt(ctx, cl, n, 0, start, ne)
		return at, ne
	}
	at.status, at.header = resp.StatusCode, resp.Header
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		drain(resp.Body)
		at.resp = resp
		c.logAttempt(ctx, cl, n, resp.StatusCode, start, nil)
		return at, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBodySize+1))
	drain(resp.Body)
	switch {
	case err != nil:
		ne := c.networkError(cl.request, u.Host, err)
		c.logAttempt(ctx, cl, n, resp.StatusCode, start, ne)
		return at, ne
	case len(data) > maxBodySize:
		e := &APIError{Method: cl.method, Path: cl.path, Status: resp.StatusCode, kind: ErrMalformed,
			Message: fmt.Sprintf("%s %s sent a response larger than %d MiB, which pstab does not read", cl.method, cl.path, maxBodySize>>20)}
		c.logAttempt(ctx, cl, n, resp.StatusCode, start, e)
		return at, e
	}
	at.body = data
	c.logAttempt(ctx, cl, n, resp.StatusCode, start, nil)
	return at, nil
}

func (c *Client) networkError(rq request, host string, err error) *NetworkError {
	var ne net.Error
	var dns *net.DNSError
	timeout := errors.As(err, &ne) && ne.Timeout()
	return &NetworkError{
		Method: rq.method, Path: rq.path, Host: host,
		Timeout:     timeout,
		Unreachable: !timeout && (errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns)),
		err:         err,
	}
}

func (c *Client) logAttempt(ctx context.Context, cl call, n, status int, start time.Time, err error) {
	if c.logger == nil {
		return
	}
	args := []any{"method", cl.method, "path", cl.path, "status", status, "attempt", n, "duration", time.Since(start).Round(time.Millisecond)}
	if err != nil && ctx.Err() == nil {
		args = append(args, "error", c.redact(err.Error()))
	}
	c.logger.DebugContext(ctx, "marketplace request", args...)
}
