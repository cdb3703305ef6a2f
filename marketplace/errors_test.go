package marketplace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// Each refused request is made once, and says what went wrong in one sentence.
func TestErrorSentences(t *testing.T) {
	badType := examplePayload()
	badType["dataRetention"].(map[string]any)["retentionDurationInDays"].(map[string]any)["max"] = "thirty"
	unknownGroup := examplePayload()
	unknownGroup["compliance"] = map[string]any{"soc2": true}

	cases := []struct {
		name   string
		creds  Credentials // the manager's when zero, unless anon
		anon   bool
		fault  *fakemarket.Fault
		run    func(*env) error
		kind   error
		status int
		field  string
		want   string // the whole message, or a prefix ending in "…"
	}{
		{
			name:   "401 wrong token",
			creds:  Credentials{Email: testEmail, Token: NewToken("ATATT-wrong"), Source: SourceKeyring},
			run:    func(e *env) error { _, err := e.client.GetV2(context.Background(), appKey, Draft); return err },
			kind:   ErrUnauthorized,
			status: 401,
			want:   "the API token for partner@example.com was refused: it is wrong or has expired (Atlassian API tokens now expire within a year); create a new one at id.atlassian.com → Security → API tokens and run pstab login",
		},
		{
			name:   "401 from the environment",
			creds:  Credentials{Email: testEmail, Token: NewToken("ATATT-wrong"), Source: SourceEnv},
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, examplePayload()) },
			kind:   ErrUnauthorized,
			status: 401,
			want:   "the API token for partner@example.com was refused: it is wrong or has expired (Atlassian API tokens now expire within a year); create a new one at id.atlassian.com → Security → API tokens and put it in ATLASSIAN_API_TOKEN",
		},
		{
			name:   "401 without credentials",
			anon:   true,
			run:    func(e *env) error { _, err := e.client.GetV3(context.Background(), e.product(), Draft); return err },
			kind:   ErrUnauthorized,
			status: 401,
			want:   "the Marketplace asked for credentials: set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN, or run pstab login",
		},
		{
			name:   "403 no Manage App permission",
			creds:  Credentials{Email: readerEmail, Token: NewToken(readerToken)},
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, examplePayload()) },
			kind:   ErrForbidden,
			status: 403,
			want:   "the account reader@example.com lacks Manage App permission on com.example.app",
		},
		{
			name:   "403 on v3 publish",
			creds:  Credentials{Email: readerEmail, Token: NewToken(readerToken)},
			run:    func(e *env) error { return e.client.PublishV3(context.Background(), e.product()) },
			kind:   ErrForbidden,
			status: 403,
			want:   "the account reader@example.com lacks Manage App permission on com.example.app",
		},
		{
			name: "404 unknown app",
			run: func(e *env) error {
				_, err := e.client.GetV2(context.Background(), "com.example.nope", Live)
				return err
			},
			kind:   ErrNotFound,
			status: 404,
			want:   "unknown app com.example.nope",
		},
		{
			name:   "404 no draft v2",
			run:    func(e *env) error { _, err := e.client.GetV2(context.Background(), appKey, Draft); return err },
			kind:   ErrNoDraft,
			status: 404,
			want:   "no draft exists for com.example.app",
		},
		{
			name: "404 stale product id",
			run: func(e *env) error {
				_, err := e.client.GetV3(context.Background(), Product{AppKey: appKey, ID: "0000-stale"}, Live)
				return err
			},
			kind:   ErrNotFound,
			status: 404,
			want:   "unknown app com.example.app (Marketplace product id 0000-stale): the id changes when an app is re-listed, so resolve it again",
		},
		{
			name:   "400 wrong type, v2 error body",
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, badType) },
			kind:   ErrInvalid,
			status: 400,
			field:  "dataRetention.retentionDurationInDays.max",
			want:   "the Marketplace rejected the field dataRetention.retentionDurationInDays.max for com.example.app: Invalid type for max: expected a whole number (int32)",
		},
		{
			name:   "400 wrong type, v3 error body",
			run:    func(e *env) error { return e.client.PutDraftV3(context.Background(), e.product(), badType) },
			kind:   ErrInvalid,
			status: 400,
			field:  "dataRetention.retentionDurationInDays.max",
			want:   "the Marketplace rejected the field dataRetention.retentionDurationInDays.max for com.example.app: Invalid type for max: expected a whole number (int32)",
		},
		{
			name: "400 with several errors names them all",
			run: func(e *env) error {
				bad := examplePayload()
				bad["security"].(map[string]any)["securityContact"] = "nobody"
				bad["security"].(map[string]any)["publicSecurityPoliciesLink"] = "example.com"
				bad["properties"] = map[string]any{"formStatus": "SAVED"}
				return e.client.PutDraftV3(context.Background(), e.product(), bad)
			},
			kind:   ErrInvalid,
			status: 400,
			field:  "properties",
			want: "the Marketplace refused the request for com.example.app with 3 errors: properties: Field 'properties' is read-only and cannot be sent; " +
				"security.publicSecurityPoliciesLink: Invalid URL format for publicSecurityPoliciesLink; security.securityContact: Invalid email format for securityContact",
		},
		{
			name:   "400 unknown group",
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, unknownGroup) },
			kind:   ErrInvalid,
			status: 400,
			field:  "compliance",
			want:   `the Marketplace rejected the field compliance for com.example.app: Unrecognized field 'compliance'`,
		},
		{
			name:   "422 names the field",
			fault:  ptr(fakemarket.Respond(422, `{"code":"VALIDATION_FAILED","message":"Invalid value for field 'security.securityContact'"}`)),
			run:    func(e *env) error { return e.client.PutDraftV3(context.Background(), e.product(), examplePayload()) },
			kind:   ErrInvalid,
			status: 422,
			field:  "security.securityContact",
			want:   "the Marketplace rejected the field security.securityContact for com.example.app: Invalid value for field 'security.securityContact'",
		},
		{
			name:   "422 without a body",
			fault:  ptr(fakemarket.Respond(422, ``)),
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, examplePayload()) },
			kind:   ErrInvalid,
			status: 422,
			want:   "the Marketplace rejected the request for com.example.app with status 422 Unprocessable Entity",
		},
		{
			name:   "409",
			fault:  ptr(fakemarket.Respond(409, `{"message":"Draft was modified"}`)),
			run:    func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, examplePayload()) },
			kind:   ErrConflict,
			status: 409,
			want:   "the Marketplace reported a conflict for com.example.app (Draft was modified); pull the current version and try again",
		},
		{
			name:   "500 is not retried",
			fault:  ptr(fakemarket.Respond(500, "oops\x1b[2J\x07 internal")),
			run:    func(e *env) error { _, err := e.client.GetV2(context.Background(), appKey, Live); return err },
			kind:   ErrUnavailable,
			status: 500,
			want:   "the Marketplace answered GET /rest/2/addons/com.example.app/privacy-and-security with 500 Internal Server Error (oops[2J internal); try again later",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			creds := tc.creds
			if creds.IsZero() && !tc.anon {
				creds = testCreds
			}
			e := newEnv(t, withCreds(creds))
			if tc.fault != nil {
				e.fake.Inject(*tc.fault)
			}
			err := tc.run(e)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err %v (%T), want *APIError", err, err)
			}
			if !errors.Is(err, tc.kind) || ae.Status != tc.status || ae.Field != tc.field {
				t.Errorf("kind/status/field = %v/%d/%q, want %v/%d/%q", err, ae.Status, ae.Field, tc.kind, tc.status, tc.field)
			}
			if err.Error() != tc.want {
				t.Errorf("message:\n got %q\nwant %q", err, tc.want)
			}
			if n := len(e.fake.Requests()); n != 1 {
				t.Errorf("%d requests, want exactly 1: %q", n, e.requests())
			}
			if len(e.clock.Waits()) != 0 {
				t.Errorf("waited %v before giving up", e.clock.Waits())
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRedirectsAreNotFollowed(t *testing.T) {
	calls := []struct {
		name string
		run  func(*env) error
	}{
		{"GET", func(e *env) error { _, err := e.client.GetV2(context.Background(), appKey, Draft); return err }},
		{"PUT", func(e *env) error { return e.client.PutDraftV2(context.Background(), appKey, examplePayload()) }},
		{"DELETE", func(e *env) error { return e.client.DeleteDraftV3(context.Background(), e.product()) }},
		{"POST", func(e *env) error { return e.client.PublishV3(context.Background(), e.product()) }},
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, c := range calls {
			t.Run(fmt.Sprintf("%d %s", status, c.name), func(t *testing.T) {
				e := newEnv(t)
				e.fake.SetDraft(appKey, examplePayload())
				e.fake.Inject(fakemarket.Redirect(status, ""))
				err := c.run(e)
				if !errors.Is(err, ErrRedirect) {
					t.Fatalf("err %v, want ErrRedirect", err)
				}
				if !strings.Contains(err.Error(), "did not follow it") || !strings.Contains(err.Error(), "to "+e.fake.Target().URL()) {
					t.Errorf("message %q", err)
				}
				if got := e.fake.Target().Requests(); len(got) != 0 {
					t.Errorf("the redirect target received %+v", got)
				}
				if n := len(e.fake.Requests()); n != 1 {
					t.Errorf("%d requests to the API, want 1 (no follow-up): %q", n, e.requests())
				}
				if c.name == "PUT" {
					if d, _ := e.fake.Draft(appKey); len(Mismatches(examplePayload(), d)) != 0 {
						t.Error("the draft changed")
					}
				}
			})
		}
	}
}

// Go forwards Authorization on a same-host redirect even from https to http; the client
// must not follow at all. This checks a redirect to another port of the same host.
func TestRedirectSameHostGetsNoToken(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Redirect(http.StatusTemporaryRedirect, e.fake.Target().URL()+"/landing"))
	if err := e.client.PutDraftV2(context.Background(), appKey, examplePayload()); !errors.Is(err, ErrRedirect) {
		t.Fatalf("err %v, want ErrRedirect", err)
	}
	for _, r := range e.fake.Target().Requests() {
		t.Errorf("the target received %s %s with Authorization %v", r.Method, r.Path, r.Authorization != "")
	}
}

func TestMalformedResponses(t *testing.T) {
	bodies := map[string]string{
		"truncated":   `{"dataAccessAndStorage": {`,
		"not object":  `["a"]`,
		"empty":       ``,
		"html":        `<html><body>Maintenance</body></html>`,
		"trailing":    `{} {}`,
		"bad wrapper": `{"appTrustInformation": "x"}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Inject(fakemarket.Malformed(body))
			_, err := e.client.GetV2(context.Background(), appKey, Live)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err %v, want ErrMalformed", err)
			}
			if !strings.HasPrefix(err.Error(), "GET /rest/2/addons/com.example.app/privacy-and-security sent ") {
				t.Errorf("message %q does not name the endpoint", err)
			}
			if n := len(e.fake.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
	e := newEnv(t)
	e.fake.Inject(fakemarket.Malformed(`{"commonCloud": [1]}`))
	if _, err := e.client.GetV3(context.Background(), e.product(), Live); !errors.Is(err, ErrMalformed) {
		t.Errorf("v3 commonCloud not an object: %v", err)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject(fakemarket.Malformed(`{"x":"` + strings.Repeat("a", maxBodySize) + `"}`))
	_, err := e.client.GetV2(context.Background(), appKey, Live)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "larger than 4 MiB") {
		t.Fatalf("err %v, want a too-large error", err)
	}
}

func TestParseErrorBody(t *testing.T) {
	cases := []struct{ body, field, msg string }{
		{`{"errors":[{"message":"must be a boolean","path":"appTrustInformation.logDetails.logEndUserData"}]}`, "appTrustInformation.logDetails.logEndUserData", "must be a boolean"},
		{`{"code":"VALIDATION_FAILED","message":"Invalid value for field 'uri'"}`, "uri", "Invalid value for field 'uri'"},
		{`{"errors":{"security.securityContact":"not an email"}}`, "security.securityContact", "not an email"},
		{`{"errorMessages":["Something broke"],"errors":{}}`, "", "Something broke"},
		{`{"errors":[{"message":"first"},{"message":"second","field":"privacy.gdpr"}]}`, "privacy.gdpr", "second"},
		{`{"errors":[{"detail":"bad","source":{"pointer":"/commonCloud/security"}}]}`, "/commonCloud/security", "bad"},
		{`{"message":"nope","path":["appTrustInformation","privacy"]}`, "appTrustInformation.privacy", "nope"},
		{`Invalid value for field "dataResidency.isDataResidencySupported"`, "dataResidency.isDataResidencySupported", `Invalid value for field "dataResidency.isDataResidencySupported"`},
		{`Bad Request`, "", "Bad Request"},
		{`<!DOCTYPE html><html>error</html>`, "", ""},
		{``, "", ""},
		{`{"code":"VALIDATION_FAILED"}`, "", "VALIDATION_FAILED"},
	}
	for _, tc := range cases {
		field, msg := parseErrorBody([]byte(tc.body))
		if field != tc.field || msg != tc.msg {
			t.Errorf("parseErrorBody(%s) = %q, %q; want %q, %q", tc.body, field, msg, tc.field, tc.msg)
		}
	}
	for in, want := range map[string]string{
		"/thirdPartyInformation/thirdPartyDetails/1/name": "thirdPartyInformation.thirdPartyDetails[1].name",
		"/security/a~1b":                   "security.a/b",
		"/common/security":                 "security",
		"appTrustInformation.logDetails.x": "logDetails.x",
		"commonCloud.security":             "security",
		"/commonCloud/security/isX":        "security.isX",
		"$.appTrustInformation.privacy":    "privacy",
		"appTrustInformation":              "",
		"uri":                              "uri",
	} {
		if got := stripWrapper(in); got != want {
			t.Errorf("stripWrapper(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	cases := map[string]string{
		"plain":                                 "plain",
		"a\x1b]8;;http://x\x07link\x1b]8;;\x07": "a]8;;http://xlink]8;;",
		"multi\n\tline  text\r\n":               "multi line text",
		"bidi\u202eevil\u2066":                  "bidievil",
		"zero\u200bwidth":                       "zerowidth",
		"c1\u009bcsi":                           "c1csi",
		"bad\xffutf8":                           "badutf8",
	}
	for in, want := range cases {
		if got := cleanText(in, 100); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanText(strings.Repeat("x", 20), 5); got != "xxxxx…" {
		t.Errorf("cut: %q", got)
	}
	if got := cleanText("xxxxx   ", 5); got != "xxxxx" {
		t.Errorf("no cut: %q", got)
	}
}
