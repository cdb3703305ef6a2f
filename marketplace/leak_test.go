package marketplace

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/zalando/go-keyring"
)

// secretForms lists every way the test token could show up in text.
func leakForms() map[string]string {
	basic := testEmail + ":" + testToken
	return map[string]string{
		"raw":           testToken,
		"basic base64":  base64.StdEncoding.EncodeToString([]byte(basic)),
		"basic base64u": base64.URLEncoding.EncodeToString([]byte(basic)),
		"basic raw":     basic,
		"token base64":  base64.StdEncoding.EncodeToString([]byte(testToken)),
		"query-escaped": url.QueryEscape(testToken),
		"path-escaped":  url.PathEscape(testToken),
	}
}

// leaks counts occurrences of every form of the token in text.
func leaks(text string) map[string]int {
	out := map[string]int{}
	for name, form := range leakForms() {
		if n := strings.Count(text, form); n > 0 {
			out[name] = n
		}
	}
	return out
}

// The search itself must work, or the leak test below proves nothing.
func TestLeakSearchFindsTheToken(t *testing.T) {
	forms := leakForms()
	if forms["raw"] == forms["query-escaped"] || forms["raw"] == forms["path-escaped"] {
		t.Fatal("the test token does not exercise URL-encoding")
	}
	for name, form := range forms {
		if leaks("x " + form + " y")[name] != 1 {
			t.Errorf("the %s form is not found", name)
		}
	}
}

// G6: with debug logging on, no error kind lets the token into the log or an error, in any
// formatting. A hostile server that echoes the token back is part of the run.
func TestTokenNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jsonLogger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []error
	collect := func(err error) {
		if err == nil {
			t.Errorf("expected an error (case %d)", len(errs))
			return
		}
		errs = append(errs, err)
	}

	e := newEnv(t, withLogger(logger))
	ctx := context.Background()
	bg := func(f fakemarket.Fault) { e.fake.Inject(f) }
	basic := leakForms()["basic base64"]

	// 400 from body validation; 400, 422 and 500 from a server echoing the token.
	bad := examplePayload()
	bad["logDetails"] = "yes"
	collect(e.client.PutDraftV2(ctx, appKey, bad))
	bg(fakemarket.Respond(400, `{"errors":[{"message":"token `+testToken+` rejected","path":"appTrustInformation.`+testToken+`"}]}`))
	collect(e.client.PutDraftV2(ctx, appKey, examplePayload()))
	bg(fakemarket.Respond(422, `{"code":"VALIDATION_FAILED","message":"Invalid value for field '`+url.QueryEscape(testToken)+`' from Basic `+basic+`"}`))
	collect(e.client.PutDraftV3(ctx, e.product(), examplePayload()))
	bg(fakemarket.Respond(500, "Authorization: Basic "+basic+" token="+url.PathEscape(testToken)))
	collect(e.client.DeleteDraftV3(ctx, e.product()))
	bg(fakemarket.Respond(409, `{"message":"`+testToken+`"}`))
	collect(e.client.PutDraftV2(ctx, appKey, examplePayload()))
	// A 400 listing several errors, each echoing the token.
	bg(fakemarket.Respond(400, `{"errors":[{"path":"/security/`+testToken+`","code":"X`+testToken+`","message":"bad `+testToken+`"},{"message":"`+basic+`"}]}`))
	collect(e.client.PutDraftV2(ctx, appKey, examplePayload()))
	// 404 unknown app and no draft.
	_, err := e.client.GetV2(ctx, "com.example.nope", Live)
	collect(err)
	_, err = e.client.GetV3(ctx, e.product(), Draft)
	collect(err)
	// 429 exhausted, 429 too long, 503 exhausted.
	bg(fakemarket.RateLimited(10, "1"))
	_, err = e.client.GetV2(ctx, appKey, Live)
	collect(err)
	bg(fakemarket.RateLimited(1, "3600"))
	_, err = e.client.GetV2(ctx, appKey, Live)
	collect(err)
	bg(fakemarket.Unavailable(503, 10))
	collect(e.client.PublishV3(ctx, e.product()))
	// Redirects, one with the token in its Location.
	bg(fakemarket.Redirect(302, ""))
	collect(e.client.PutDraftV2(ctx, appKey, examplePayload()))
	bg(fakemarket.Redirect(307, "http://u:"+url.QueryEscape(testToken)+"@evil.example/?t="+url.QueryEscape(testToken)))
	collect(e.client.PutDraftV2(ctx, appKey, examplePayload()))
	// Malformed JSON, and a shape echoing the token.
	bg(fakemarket.Malformed(`{"x": ` + testToken))
	_, err = e.client.GetV2(ctx, appKey, Live)
	collect(err)
	bg(fakemarket.Malformed(`{"developerId":"` + testToken + `"}`))
	_, _, err = e.client.ResolveProduct(ctx, fakemarket.DefaultVendor, appKey)
	collect(err)
	// Cancelled.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = e.client.GetV2(cctx, appKey, Live)
	collect(err)

	// 401 with a wrong token that shares the real token's prefix.
	wrong := newEnv(t, withLogger(logger), withCreds(Credentials{Email: testEmail, Token: NewToken(testToken + "x")}))
	_, err = wrong.client.GetV2(ctx, appKey, Draft)
	collect(err)
	// 403.
	reader := newEnv(t, withLogger(logger), withCreds(Credentials{Email: readerEmail, Token: NewToken(readerToken)}))
	collect(reader.client.PutDraftV2(ctx, appKey, examplePayload()))
	// Timeout.
	slow := newEnv(t, withLogger(logger), withTimeout(200*time.Millisecond))
	slow.fake.Inject(fakemarket.Hang())
	_, err = slow.client.GetV2(ctx, appKey, Live)
	collect(err)
	// Unreachable.
	addr := refusedAddr(t)
	down := newEnv(t, withLogger(logger), withURLs("http://"+addr, "http://"+addr))
	_, err = down.client.GetV2(ctx, appKey, Live)
	collect(err)
	// Credentials: a keyring that fails, and a half-set environment.
	keyring.MockInitWithError(errors.New("dbus: " + testToken))
	t.Cleanup(keyring.MockInit)
	collect(Login(testEmail, NewToken(testToken)))
	_, err = LoadCredentials(func(k string) string { return map[string]string{EnvToken: testToken}[k] })
	collect(err)
	// A bad token passed to New.
	_, err = New(Config{Credentials: Credentials{Email: testEmail, Token: NewToken("a " + testToken)}})
	collect(err)

	if !strings.Contains(logs.String(), `msg="marketplace request"`) || !strings.Contains(logs.String(), "status=503") {
		t.Fatalf("the debug log was not written:\n%s", logs.String())
	}
	var text strings.Builder
	for _, err := range errs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			fmt.Fprintf(&text, verb+"\n", err)
		}
		for u := err; u != nil; u = errors.Unwrap(u) {
			fmt.Fprintf(&text, "%v | %#v\n", u, u)
		}
		logger.Error("call failed", "err", err)
		jsonLogger.Error("call failed", "err", err, "creds", testCreds)
		func() {
			defer func() { fmt.Fprint(&text, recover()) }()
			panic(err)
		}()
	}
	for _, v := range []any{testCreds, testCreds.Token, &testCreds, e.client, *e.client, struct{ c Credentials }{testCreds}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&text, verb+"\n", v)
		}
		logger.Info("value", "v", v)
		jsonLogger.Info("value", "v", v)
	}
	if got := leaks(logs.String()); len(got) != 0 {
		t.Errorf("the token is in the log: %v", got)
	}
	if got := leaks(text.String()); len(got) != 0 {
		t.Errorf("the token is in an error or printed value: %v\n%s", got, text.String())
	}
	if len(errs) < 20 {
		t.Errorf("only %d error kinds ran", len(errs))
	}
}

func TestTokenPrintsRedacted(t *testing.T) {
	tok := NewToken(testToken)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		if got := fmt.Sprintf(verb, tok); got != "[REDACTED]" {
			t.Errorf("Sprintf(%q) = %q", verb, got)
		}
	}
	if got := fmt.Sprint(tok, &tok); got != "[REDACTED] [REDACTED]" {
		t.Errorf("Sprint = %q", got)
	}
	data, _ := json.Marshal(map[string]any{"t": tok, "c": testCreds})
	if len(leaks(string(data))) > 0 || !strings.Contains(string(data), `"Token":"[REDACTED]"`) {
		t.Errorf("json: %s", data)
	}
	if data, _ := tok.MarshalText(); string(data) != "[REDACTED]" {
		t.Errorf("MarshalText = %s", data)
	}
	if tok.LogValue().String() != "[REDACTED]" || tok.String() != "[REDACTED]" || tok.GoString() != "[REDACTED]" {
		t.Error("LogValue, String or GoString shows something else")
	}
	if tok.reveal() != testToken || NewToken(" \t"+testToken+"\n").reveal() != testToken {
		t.Error("the token does not round-trip")
	}
	if !NewToken("  ").IsZero() || NewToken("x").IsZero() {
		t.Error("IsZero")
	}
}
