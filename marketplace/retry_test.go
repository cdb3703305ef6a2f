package marketplace

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// inRange checks a backoff wait: 2^(n-1) s × U(0.7, 1.3).
func inRange(t *testing.T, d time.Duration, n int) {
	t.Helper()
	base := time.Second << (n - 1)
	lo, hi := time.Duration(float64(base)*0.7), time.Duration(float64(base)*1.3)
	if d < lo || d > hi {
		t.Errorf("wait %d = %v, want within [%v, %v]", n, d, lo, hi)
	}
}

func TestRateLimitedHonoursRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.RateLimited(1, "2"))
	if _, err := e.client.GetV2(context.Background(), appKey, Live); err != nil {
		t.Fatalf("GetV2 after one 429: %v", err)
	}
	waits := e.clock.Waits()
	if len(waits) != 1 || waits[0] < 2*time.Second {
		t.Errorf("waits %v, want one wait of at least 2s", waits)
	}
	if got := e.requests(); len(got) != 2 || !strings.HasSuffix(got[0], " 429") || !strings.HasSuffix(got[1], " 200") {
		t.Errorf("requests %q, want 429 then 200", got)
	}
}

func TestRetryAfterAsDate(t *testing.T) {
	e := newEnv(t)
	at := e.clock.Now().Add(7 * time.Second).UTC().Format(http.TimeFormat)
	e.fake.Inject(fakemarket.RateLimited(1, at))
	if _, err := e.client.GetV2(context.Background(), appKey, Live); err != nil {
		t.Fatalf("GetV2: %v", err)
	}
	if waits := e.clock.Waits(); len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits %v, want [7s] from the Retry-After date", waits)
	}
}

func TestUnavailableThenSuccess(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnv(t)
			e.fake.Inject(fakemarket.Unavailable(status, 3))
			if err := e.client.PutDraftV2(context.Background(), appKey, examplePayload()); err != nil {
				t.Fatalf("PutDraftV2 after 3×%d: %v", status, err)
			}
			if n := len(e.fake.Requests()); n != 4 {
				t.Errorf("%d requests, want 4", n)
			}
			waits := e.clock.Waits()
			if len(waits) != 3 {
				t.Fatalf("waits %v, want 3", waits)
			}
			for i, w := range waits {
				inRange(t, w, i+1)
			}
			if _, ok := e.fake.Draft(appKey); !ok {
				t.Error("the retried PUT did not land")
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Unavailable(503, 10))
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v, want ErrUnavailable", err)
	}
	if n := len(e.fake.Requests()); n != 1+maxRetries {
		t.Errorf("%d requests, want %d", n, 1+maxRetries)
	}
	waits := e.clock.Waits()
	if len(waits) != maxRetries {
		t.Fatalf("waits %v, want %d", waits, maxRetries)
	}
	for i, w := range waits {
		inRange(t, w, i+1)
	}
	want := "the Marketplace answered GET /rest/2/addons/com.example.app/privacy-and-security with 503 Service Unavailable; try again later"
	if err.Error() != want {
		t.Errorf("message:\n got %q\nwant %q", err, want)
	}
}

func TestRateLimitExhausted(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.RateLimited(10, "1"))
	err := e.client.PutDraftV2(context.Background(), appKey, examplePayload())
	want := "the Marketplace is limiting the rate of requests and still refused PUT /rest/2/addons/com.example.app/privacy-and-security after 4 retries; wait a few minutes and try again"
	if !errors.Is(err, ErrRateLimited) || err.Error() != want {
		t.Fatalf("err %v, want %q", err, want)
	}
	if n := len(e.fake.Requests()); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
	for i, w := range e.clock.Waits() {
		inRange(t, w, i+1) // Retry-After: 1 is below every backoff but the first
		if w < time.Second {
			t.Errorf("wait %d = %v is shorter than Retry-After", i+1, w)
		}
	}
}

func TestLongRetryAfterGivesUp(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.RateLimited(1, "120"))
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrRateLimited) || ae.RetryAfter != 120*time.Second {
		t.Fatalf("err %#v, want ErrRateLimited with RetryAfter 2m", err)
	}
	if !strings.Contains(err.Error(), "wait 2m0s") || !strings.Contains(err.Error(), "try again after ") {
		t.Errorf("message %q does not say when to try again", err)
	}
	if len(e.clock.Waits()) != 0 || len(e.fake.Requests()) != 1 {
		t.Errorf("waits %v, requests %d: want no wait and 1 request", e.clock.Waits(), len(e.fake.Requests()))
	}
}

func TestTotalWaitIsBounded(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.RateLimited(10, "50"))
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err %v, want ErrRateLimited", err)
	}
	var total time.Duration
	for _, w := range e.clock.Waits() {
		total += w
	}
	if total > maxWaitTotal {
		t.Errorf("waited %v in all, more than %v", total, maxWaitTotal)
	}
	if n := len(e.fake.Requests()); n != 3 {
		t.Errorf("%d requests, want 3 (two 50s waits fit in 2 minutes, a third does not)", n)
	}
	if !strings.Contains(err.Error(), "after pstab waited 1m40s in all; try again after ") {
		t.Errorf("message %q", err)
	}
}

func TestPublishRetryRules(t *testing.T) {
	cases := []struct {
		name     string
		fault    fakemarket.Fault
		requests int
		ok       bool
	}{
		{"503 is retried", fakemarket.Unavailable(503, 1), 2, true},
		{"429 is retried", fakemarket.RateLimited(1, "1"), 2, true},
		{"502 is not retried", fakemarket.Unavailable(502, 1), 1, false},
		{"504 is not retried", fakemarket.Unavailable(504, 1), 1, false},
		{"a dropped connection is not retried", fakemarket.Drop(), 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.SetDraft(appKey, examplePayload())
			e.fake.Inject(tc.fault)
			err := e.client.PublishV3(context.Background(), e.product())
			if (err == nil) != tc.ok {
				t.Fatalf("PublishV3: %v, want ok=%v", err, tc.ok)
			}
			if n := len(e.fake.Requests()); n != tc.requests {
				t.Errorf("%d requests, want %d: %q", n, tc.requests, e.requests())
			}
		})
	}
}

func TestDroppedConnectionRetriedForIdempotent(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Drop())
	if err := e.client.PutDraftV2(context.Background(), appKey, examplePayload()); err != nil {
		t.Fatalf("PutDraftV2 after a dropped connection: %v", err)
	}
	if len(e.clock.Waits()) != 1 {
		t.Errorf("waits %v, want one retry", e.clock.Waits())
	}
}

func TestUnreachableHostFailsAtOnce(t *testing.T) {
	addr := refusedAddr(t)
	e := newEnv(t, withURLs("http://"+addr, "http://"+addr+"/marketplace"), withRealSleep())
	start := time.Now()
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	elapsed := time.Since(start)
	var ne *NetworkError
	if !errors.As(err, &ne) || !errors.Is(err, ErrNetwork) || ne.Timeout || !ne.Unreachable {
		t.Fatalf("err %v, want an unreachable *NetworkError", err)
	}
	if !strings.Contains(err.Error(), "could not reach "+addr+": the connection was refused") {
		t.Errorf("message %q does not name the host and the refusal", err)
	}
	// A refused connection is not a server that is busy: nothing listens there, and
	// seconds of backoff (about 15 s in all before) would not change that.
	if got := e.attempts(); got != 1 {
		t.Errorf("%d attempts, want 1 (a refused connection is not retried)", got)
	}
	t.Logf("refused connection: failed after %v", elapsed.Round(time.Millisecond))
	if elapsed > time.Second {
		t.Errorf("took %v, want under a second", elapsed)
	}
	e.log.Reset()
	_ = e.client.PublishV3(context.Background(), e.product())
	if got := e.attempts(); got != 1 {
		t.Errorf("publish: %d attempts, want 1", got)
	}
}

func TestUnresolvableHostFailsAtOnce(t *testing.T) {
	// .invalid never resolves (RFC 2606); where no resolver answers at all, the lookup is
	// a timeout instead, which this test does not judge.
	e := newEnv(t, withURLs("https://pstab-test.invalid", "https://pstab-test.invalid/marketplace"), withRealSleep())
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("err %v, want a *NetworkError", err)
	}
	if ne.Timeout {
		t.Skipf("the resolver did not answer: %v", err)
	}
	if !ne.Unreachable || !strings.Contains(err.Error(), "no host has the name pstab-test.invalid") {
		t.Errorf("err %q, want an unreachable host named", err)
	}
	if got := e.attempts(); got != 1 {
		t.Errorf("%d attempts, want 1 (a name that does not resolve is not retried)", got)
	}
}

func TestRetryNoticeSaysWhatAndHowManyTriesLeft(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Unavailable(503, 2))
	var notes []Retry
	ctx := WithRetryNotice(context.Background(), func(r Retry) { notes = append(notes, r) })
	if _, err := e.client.GetV2(ctx, appKey, Live); err != nil {
		t.Fatalf("GetV2 after 2×503: %v", err)
	}
	if len(notes) != 2 {
		t.Fatalf("notes %v, want one per retry (2)", notes)
	}
	for i, n := range notes {
		if n.Status != 503 || n.TriesLeft != maxRetries-i || n.Wait != e.clock.Waits()[i] {
			t.Errorf("note %d = %+v, want 503 with %d tries left and the wait taken", i, n, maxRetries-i)
		}
	}
	want := "GET /rest/2/addons/" + appKey + "/privacy-and-security: the Marketplace answered 503 Service Unavailable; trying again in "
	if s := notes[0].String(); !strings.HasPrefix(s, want) || !strings.HasSuffix(s, "(4 tries left)") {
		t.Errorf("note reads %q", s)
	}
	// Without a notice in the context nothing is reported, and nothing breaks.
	e.fake.Inject(fakemarket.Unavailable(503, 1))
	if _, err := e.client.GetV2(context.Background(), appKey, Live); err != nil {
		t.Fatal(err)
	}
}

func TestRetryNoticeWording(t *testing.T) {
	for _, c := range []struct {
		r    Retry
		want string
	}{
		{Retry{Method: "PUT", Path: "/p", Status: 429, Wait: 2 * time.Second, TriesLeft: 1}, "PUT /p: the Marketplace is limiting the rate of requests (429); trying again in 2s (1 try left)"},
		{Retry{Method: "GET", Path: "/p", Err: errors.New("EOF"), Wait: 300 * time.Millisecond, TriesLeft: 3}, "GET /p: the connection broke before an answer came; trying again in under a second (3 tries left)"},
	} {
		if got := c.r.String(); got != c.want {
			t.Errorf("got %q\nwant %q", got, c.want)
		}
	}
}

// refusedAddr is an address where connections are refused. Port 1 is outside the range
// the kernel hands to test servers, so, unlike a port freed by a closed listener, no
// other test can start listening there meanwhile.
func refusedAddr(t *testing.T) string {
	t.Helper()
	const addr = "127.0.0.1:1"
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		_ = c.Close()
		t.Skip("something listens on " + addr)
	}
	return addr
}

func TestNoHeadersFailsWithinTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newEnv(t, withTimeout(timeout))
	e.fake.Inject(fakemarket.Hang())
	start := time.Now()
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	elapsed := time.Since(start)
	var ne *NetworkError
	if !errors.As(err, &ne) || !ne.Timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want a timeout *NetworkError", err)
	}
	t.Logf("silent server: failed after %v with a %v timeout", elapsed.Round(time.Millisecond), timeout)
	if elapsed > timeout+time.Second {
		t.Errorf("took %v, want at most timeout + 1s", elapsed)
	}
	if got := e.attempts(); got != 1 {
		t.Errorf("%d attempts, want 1 (a timeout is not retried)", got)
	}
	if !strings.Contains(err.Error(), "did not answer in time") {
		t.Errorf("message %q", err)
	}
}

func TestSlowResponseWithinTimeout(t *testing.T) {
	e := newEnv(t, withTimeout(5*time.Second))
	e.fake.Inject(fakemarket.Slow(150 * time.Millisecond))
	if _, err := e.client.GetV2(context.Background(), appKey, Live); err != nil {
		t.Fatalf("slow but timely answer: %v", err)
	}
}

func TestCancelStopsRequest(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Hang())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.client.GetV2(ctx, appKey, Live)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if errors.Is(err, ErrNetwork) {
		t.Errorf("a cancel is reported as a network error: %v", err)
	}
	d := time.Since(start)
	t.Logf("cancel: returned %v after the call started (cancel at 50ms)", d.Round(time.Millisecond))
	if d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
}

func TestCancelStopsRetryWait(t *testing.T) {
	e := newEnv(t, withRealSleep())
	e.fake.Inject(fakemarket.RateLimited(1, "30"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.client.GetV2(ctx, appKey, Live)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the 30s wait was not interrupted (%v)", d)
	}
	if n := len(e.fake.Requests()); n != 1 {
		t.Errorf("%d requests after cancel, want 1", n)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		want time.Duration
		ok   bool
	}{
		"":                              {0, false},
		"0":                             {0, true},
		"2":                             {2 * time.Second, true},
		" 61 ":                          {61 * time.Second, true},
		"-1":                            {0, false},
		"soon":                          {0, false},
		"Sun, 01 Mar 2026 12:00:09 GMT": {9 * time.Second, true},
		"Sun, 01 Mar 2026 11:00:00 GMT": {0, true},
		"86400":                         {24 * time.Hour, true},
		"86401":                         {beyondSane, true},
		"99999999999999":                {beyondSane, true},
		"99999999999999999999999999":    {beyondSane, true}, // too large for int64: was ignored and retried
		"Fri, 31 Dec 9999 23:59:59 GMT": {beyondSane, true},
	}
	for in, tc := range cases {
		got, ok := retryAfter(http.Header{"Retry-After": {in}}, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", in, got, ok, tc.want, tc.ok)
		}
	}
}

// A Retry-After larger than any sane value gives up at once, like one over 60 s: one
// request, no wait, one sentence. On the old main a number too large for int64 was not
// read at all, so the client retried with backoff for tens of seconds.
func TestInsaneRetryAfterGivesUpAtOnce(t *testing.T) {
	for _, ra := range []string{"99999999999999999999999999", "86401", "Fri, 31 Dec 9999 23:59:59 GMT", "61"} {
		t.Run(ra, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Inject(fakemarket.RateLimited(5, ra))
			_, err := e.client.GetV2(context.Background(), appKey, Live)
			if !errors.Is(err, ErrRateLimited) {
				t.Fatalf("GetV2: %v, want a rate-limit error", err)
			}
			if waits := e.clock.Waits(); len(waits) != 0 {
				t.Errorf("waited %v before giving up", waits)
			}
			if n := len(e.fake.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			want := "wait 1m1s"
			if ra != "61" {
				want = "wait more than a day"
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		})
	}
}
