package marketplace

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// The token has characters that URL-encoding changes (+ / =), so its raw, base64 and
// URL-encoded forms all differ and are all searched for by the leak test.
const (
	testEmail   = "partner@example.com"
	testToken   = "ATATT3xFfGF0-s3cr3t+tok/en=Zq9"
	readerEmail = "reader@example.com"
	readerToken = "ATATT3xFfGF0-reader-only"
	appKey      = "com.example.app"
)

var testCreds = Credentials{Email: testEmail, Token: NewToken(testToken), Source: SourceKeyring}

// fakeClock stands in for time: Sleep records the wait and returns at once (or the
// context's error), and moves Now forward.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// livePayload is a live TrustInfo object as the server would hold it.
func livePayload() map[string]any {
	return decodeTree(`{"dataAccessAndStorage":{"appStoresEUDOutsideAtlassian":false,"appProcessEUDOutsideAtlassian":false},
		"security":{"securityContact":"security@example.com"},"properties":{"formStatus":"APPROVED"}}`)
}

// examplePayload is a TrustInfo object that answers every question, in the documented
// form: the body the questionnaire's golden test exports for its fullest answer set.
func examplePayload() map[string]any {
	data, err := os.ReadFile(filepath.Join("..", "questionnaire", "testdata", "golden", "full.payload.json"))
	if err != nil {
		panic(err)
	}
	return decodeTree(string(data))["appTrustInformation"].(map[string]any)
}

func decodeTree(s string) map[string]any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		panic(err)
	}
	return m
}

// env is a fake Marketplace with a manager and a reader account and one app, and a
// client for it with a fake clock and a debug log.
type env struct {
	fake      *fakemarket.Server
	client    *Client
	clock     *fakeClock
	log       *bytes.Buffer
	productID string
}

type option func(*Config)

func withCreds(c Credentials) option     { return func(cfg *Config) { cfg.Credentials = c } }
func withTimeout(d time.Duration) option { return func(cfg *Config) { cfg.Timeout = d } }
func withRealSleep() option              { return func(cfg *Config) { cfg.Sleep = nil } }
func withURLs(v2, v3 string) option      { return func(cfg *Config) { cfg.V2URL, cfg.V3URL = v2, v3 } }
func withLogger(l *slog.Logger) option   { return func(cfg *Config) { cfg.Logger = l } }

func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	fm := fakemarket.New()
	t.Cleanup(fm.Close)
	fm.AddAccount(fakemarket.Account{Email: testEmail, Token: testToken})
	fm.AddAccount(fakemarket.Account{Email: readerEmail, Token: readerToken, NoManageApp: true})
	e := &env{fake: fm, clock: newFakeClock(), log: &bytes.Buffer{}}
	e.productID = fm.AddApp(fakemarket.App{Key: appKey, Live: livePayload()})
	cfg := Config{
		Credentials: testCreds,
		V2URL:       fm.URL(),
		V3URL:       fm.V3URL(),
		Sleep:       e.clock.Sleep,
		Now:         e.clock.Now,
		Logger:      slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.client = c
	return e
}

func (e *env) product() Product { return Product{AppKey: appKey, ID: e.productID} }

// requests returns the fake's request log as "METHOD path?query status" lines.
func (e *env) requests() []string {
	var out []string
	for _, r := range e.fake.Requests() {
		line := r.Method + " " + r.Path
		if r.Query != "" {
			line += "?" + r.Query
		}
		out = append(out, line+" "+itoa(r.Status))
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// attempts counts the client's debug lines for HTTP attempts.
func (e *env) attempts() int { return strings.Count(e.log.String(), `msg="marketplace request"`) }
