package marketplace

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Retry says that a call failed in a way worth another try, and that the client is about
// to wait before it: what failed, how long the wait is, and how many tries are left.
type Retry struct {
	Method, Path string
	// Status is the HTTP status that is retried, or 0 when the connection broke first.
	Status int
	// Err is the network error that is retried, when Status is 0.
	Err error
	// Wait is how long the client waits before the next try.
	Wait time.Duration
	// TriesLeft counts the tries still allowed, the next one included.
	TriesLeft int
}

// String is one sentence for the partner waiting: which request, what the Marketplace did,
// when pstab tries again, and how many tries are left.
func (r Retry) String() string { return r.Method + " " + r.Path + ": " + r.Waiting() }

// Waiting is String without the request, for a screen that already says what it is doing.
func (r Retry) Waiting() string {
	var what string
	switch {
	case r.Status == http.StatusTooManyRequests:
		what = "the Marketplace is limiting the rate of requests (429)"
	case r.Status != 0:
		what = fmt.Sprintf("the Marketplace answered %d %s", r.Status, http.StatusText(r.Status))
	case r.Err != nil:
		what = "the connection broke before an answer came"
	default:
		what = "the Marketplace did not answer"
	}
	tries := "1 try left"
	if r.TriesLeft != 1 {
		tries = fmt.Sprintf("%d tries left", r.TriesLeft)
	}
	return fmt.Sprintf("%s; trying again in %s (%s)", what, roundWait(r.Wait), tries)
}

// roundWait shows a wait as people count it: whole seconds, or "under a second".
func roundWait(d time.Duration) string {
	if d < time.Second/2 {
		return "under a second"
	}
	return d.Round(time.Second).String()
}

type retryNoticeKey struct{}

// WithRetryNotice returns a context whose calls report each retry to notice before its
// wait, so that a command or a spinner can say what it is waiting for. notice runs on the
// calling goroutine and must return quickly.
func WithRetryNotice(ctx context.Context, notice func(Retry)) context.Context {
	return context.WithValue(ctx, retryNoticeKey{}, notice)
}

func retryNoticeFrom(ctx context.Context) func(Retry) {
	f, _ := ctx.Value(retryNoticeKey{}).(func(Retry))
	return f
}
