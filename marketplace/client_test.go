package marketplace

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

func TestV2GetPutRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	live, err := e.client.GetV2(ctx, appKey, Live)
	if err != nil {
		t.Fatalf("GetV2 live: %v", err)
	}
	if live.State != Live || live.FormStatus() != "APPROVED" {
		t.Errorf("live: state %q formStatus %q", live.State, live.FormStatus())
	}
	if got := Mismatches(livePayload(), live.TrustInfo); len(got) != 0 {
		t.Errorf("live differs from the fake's: %v", got)
	}
	if len(live.Raw) == 0 {
		t.Error("Raw is empty")
	}

	sent := examplePayload()
	if err := e.client.PutDraftV2(ctx, appKey, sent); err != nil {
		t.Fatalf("PutDraftV2: %v", err)
	}
	draft, err := e.client.GetV2(ctx, appKey, Draft)
	if err != nil {
		t.Fatalf("GetV2 draft: %v", err)
	}
	if got := Mismatches(sent, draft.TrustInfo); len(got) != 0 {
		t.Errorf("read-after-write mismatches: %v", got)
	}
	stored, ok := e.fake.Draft(appKey)
	if !ok || len(Mismatches(sent, stored)) != 0 {
		t.Errorf("the fake's draft is not what was sent: %v", Mismatches(sent, stored))
	}

	want := []string{
		"GET /rest/2/addons/com.example.app/privacy-and-security?state=live 200",
		"PUT /rest/2/addons/com.example.app/privacy-and-security 204",
		"GET /rest/2/addons/com.example.app/privacy-and-security?state=draft 200",
	}
	if got := e.requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("requests:\n got %q\nwant %q", got, want)
	}
	for _, r := range e.fake.Requests() {
		if !r.Auth || r.Account != testEmail {
			t.Errorf("%s %s: auth %v account %q, want Basic auth as %s", r.Method, r.Path, r.Auth, r.Account, testEmail)
		}
	}
}

func TestV2LiveWithoutCredentials(t *testing.T) {
	e := newEnv(t, withCreds(Credentials{}))
	if _, err := e.client.GetV2(context.Background(), appKey, ""); err != nil {
		t.Fatalf("anonymous GetV2 live: %v", err)
	}
	if r := e.fake.Requests(); len(r) != 1 || r[0].Auth || r[0].Query != "state=live" {
		t.Errorf("requests %+v: want one anonymous GET with state=live", r)
	}
}

func TestV3Lifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	p, err := e.client.ResolveProduct(ctx, appKey)
	if err != nil {
		t.Fatalf("ResolveProduct: %v", err)
	}
	if p != e.product() {
		t.Fatalf("ResolveProduct = %+v, want %+v", p, e.product())
	}
	if _, err := e.client.GetV3(ctx, p, Draft); !errors.Is(err, ErrNoDraft) || err.Error() != "no draft exists for com.example.app" {
		t.Fatalf("GetV3 draft before any PUT: %v, want ErrNoDraft", err)
	}
	sent := examplePayload()
	if err := e.client.PutDraftV3(ctx, p, sent); err != nil {
		t.Fatalf("PutDraftV3: %v", err)
	}
	draft, err := e.client.GetV3(ctx, p, Draft)
	if err != nil {
		t.Fatalf("GetV3 draft: %v", err)
	}
	if m := Mismatches(sent, draft.TrustInfo); len(m) != 0 {
		t.Errorf("draft mismatches: %v", m)
	}
	if _, ok := draft.TrustInfo["hasRestAPIExtension"]; !ok {
		t.Error("the commonCloud object was not unwrapped whole (hasRestAPIExtension missing)")
	}
	if err := e.client.PublishV3(ctx, p); err != nil {
		t.Fatalf("PublishV3: %v", err)
	}
	live, err := e.client.GetV3(ctx, p, Live)
	if err != nil {
		t.Fatalf("GetV3 live: %v", err)
	}
	if live.FormStatus() != "SUBMITTED" || len(Mismatches(sent, live.TrustInfo)) != 0 {
		t.Errorf("after publish: formStatus %q, mismatches %v", live.FormStatus(), Mismatches(sent, live.TrustInfo))
	}
	e.fake.Approve(appKey)
	if live, err = e.client.GetV3(ctx, p, Live); err != nil || live.FormStatus() != "APPROVED" {
		t.Errorf("after approval: %v, formStatus %q", err, live.FormStatus())
	}

	// A draft can be deleted; deleting it again says there is none.
	if err := e.client.PutDraftV3(ctx, p, sent); err != nil {
		t.Fatalf("PutDraftV3 again: %v", err)
	}
	if err := e.client.DeleteDraftV3(ctx, p); err != nil {
		t.Fatalf("DeleteDraftV3: %v", err)
	}
	if _, ok := e.fake.Draft(appKey); ok {
		t.Error("the draft survived DeleteDraftV3")
	}
	if err := e.client.DeleteDraftV3(ctx, p); !errors.Is(err, ErrNoDraft) {
		t.Errorf("second DeleteDraftV3: %v, want ErrNoDraft", err)
	}
	if err := e.client.PublishV3(ctx, p); !errors.Is(err, ErrNoDraft) {
		t.Errorf("PublishV3 without a draft: %v, want ErrNoDraft", err)
	}

	base := "/marketplace/rest/3/privacy-and-security/products/" + e.productID
	want := []string{
		"GET /marketplace/rest/3/app-software/app-key/com.example.app 200",
		"GET " + base + "?state=draft 404",
		"PUT " + base + " 204",
		"GET " + base + "?state=draft 200",
		"POST " + base + "/publish 204",
		"GET " + base + " 200",
		"GET " + base + " 200",
		"PUT " + base + " 204",
		"DELETE " + base + " 204",
		"DELETE " + base + " 404",
		"POST " + base + "/publish 404",
	}
	if got := e.requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("requests:\n got %q\nwant %q", got, want)
	}
}

func TestResolveProductShapes(t *testing.T) {
	e := newEnv(t)
	e.fake.WrapAppSoftware(true)
	p, err := e.client.ResolveProduct(context.Background(), appKey)
	if err != nil || p.ID != e.productID {
		t.Fatalf("wrapped app-software: %+v, %v; want id %s", p, err, e.productID)
	}

	server := e.fake.AddApp(fakemarket.App{Key: "com.example.dc", Hostings: []string{"server", "datacenter"}})
	_ = server
	_, err = e.client.ResolveProduct(context.Background(), "com.example.dc")
	if !errors.Is(err, ErrNoCloudHosting) {
		t.Fatalf("no cloud entry: %v, want ErrNoCloudHosting", err)
	}
	want := "com.example.dc has no cloud version on the Marketplace (it lists only server and datacenter), and the Privacy & Security tab exists only for cloud apps"
	if err.Error() != want {
		t.Errorf("no cloud entry:\n got %q\nwant %q", err, want)
	}
	if _, err := e.client.ResolveProduct(context.Background(), "com.example.missing"); !errors.Is(err, ErrNotFound) || err.Error() != "unknown app com.example.missing" {
		t.Errorf("unknown app: %v", err)
	}
}

func TestSoftwareEntries(t *testing.T) {
	cases := []struct {
		name, body, want string
		wantErr          error
	}{
		{"bare list", `[{"appSoftwareId":"s-1","hosting":"server"},{"appSoftwareId":"c-1","hosting":"cloud"}]`, "c-1", nil},
		{"items", `{"items":[{"appSoftwareId":"c-2","hosting":"CLOUD"}],"links":{}}`, "c-2", nil},
		{"embedded", `{"_embedded":{"appSoftware":[{"id":"c-3","hosting":"cloud"}]}}`, "c-3", nil},
		{"unknown key holding the list", `{"whatever":[{"appSoftwareId":"c-4","hosting":"cloud"}]}`, "c-4", nil},
		{"single entry", `{"appSoftwareId":"c-5","hosting":"cloud"}`, "c-5", nil},
		{"productId preferred", `[{"appSoftwareId":"sw","productId":"prod","hosting":"cloud"}]`, "prod", nil},
		{"archived last", `[{"appSoftwareId":"old","hosting":"cloud","archived":true},{"appSoftwareId":"new","hosting":"cloud"}]`, "new", nil},
		{"commercial first", `[{"appSoftwareId":"fed","hosting":"cloud","complianceBoundaries":["fedramp_moderate"]},{"appSoftwareId":"com","hosting":"cloud","complianceBoundaries":["commercial"]}]`, "com", nil},
		{"empty list", `[]`, "", ErrNoCloudHosting},
		{"cloud without id", `[{"hosting":"cloud"}]`, "", ErrMalformed},
		{"id with a slash", `[{"hosting":"cloud","appSoftwareId":"../x"}]`, "", ErrMalformed},
		{"not a list", `"cloud"`, "", ErrMalformed},
		{"not JSON", `<html>`, "", ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Inject(fakemarket.Malformed(tc.body))
			p, err := e.client.ResolveProduct(context.Background(), appKey)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %+v, %v; want %v", p, err, tc.wantErr)
				}
				return
			}
			if err != nil || p.ID != tc.want || p.AppKey != appKey {
				t.Fatalf("got %+v, %v; want id %q", p, err, tc.want)
			}
		})
	}
}

func TestBaseURLs(t *testing.T) {
	ok := []string{
		"", "https://marketplace.atlassian.com", "https://api.atlassian.com/marketplace/",
		"http://127.0.0.1:8080", "http://127.1.2.3", "http://[::1]:9000/x", "http://localhost:1", "http://LOCALHOST",
	}
	for _, u := range ok {
		if _, err := New(Config{V2URL: u, V3URL: u}); err != nil {
			t.Errorf("New(%q): %v", u, err)
		}
	}
	refused := map[string]string{
		"http://marketplace.atlassian.com": "plain http",
		"http://10.0.0.1":                  "plain http",
		"http://localhost.evil.example":    "plain http",
		"http://127.0.0.1.nip.io":          "plain http",
		"http://[::ffff:8.8.8.8]":          "plain http",
		"https://user:pw@example.com":      "user name or password",
		"ftp://example.com":                "https://",
		"marketplace.atlassian.com":        "https://",
		"https://example.com/?x=1":         "query",
		"https://example.com/#f":           "query",
	}
	for u, want := range refused {
		_, err := New(Config{V3URL: u})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(V3URL %q) = %v, want an error about %s", u, err, want)
		}
		if err != nil && strings.Contains(u, "pw@") && strings.Contains(err.Error(), "pw") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}

func TestDefaultURLs(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.v2.String() != DefaultV2URL || c.v3.String() != DefaultV3URL {
		t.Errorf("defaults: %s %s", c.v2, c.v3)
	}
	if got := c.v3Path(Product{ID: "abc"}); got != "/marketplace/rest/3/privacy-and-security/products/abc" {
		t.Errorf("v3 path %q", got)
	}
	if c.http.Timeout != DefaultTimeout || c.http.CheckRedirect == nil {
		t.Errorf("http client: timeout %v, CheckRedirect set %v", c.http.Timeout, c.http.CheckRedirect != nil)
	}
}

func TestBadArguments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, key := range []string{"", "../etc", "com.example/app", "a b", "%2e%2e"} {
		if _, err := e.client.GetV2(ctx, key, Live); err == nil {
			t.Errorf("GetV2(%q) accepted", key)
		}
	}
	if _, err := e.client.GetV2(ctx, appKey, "published"); err == nil {
		t.Error("GetV2 accepted state published")
	}
	if err := e.client.PutDraftV2(ctx, appKey, nil); err == nil {
		t.Error("PutDraftV2 accepted a nil payload")
	}
	if err := e.client.PutDraftV2(ctx, appKey, map[string]any{"appTrustInformation": map[string]any{}}); err == nil {
		t.Error("PutDraftV2 accepted an already wrapped payload")
	}
	if err := e.client.PublishV3(ctx, Product{AppKey: appKey}); err == nil {
		t.Error("PublishV3 accepted an empty product id")
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad arguments", n)
	}
	if _, err := New(Config{Credentials: Credentials{Email: "a:b@example.com", Token: NewToken("x")}}); err == nil {
		t.Error("New accepted an email with a colon")
	}
	if _, err := New(Config{Credentials: Credentials{Email: testEmail}}); err == nil {
		t.Error("New accepted an email without a token")
	}
}

func TestMismatches(t *testing.T) {
	sent := decodeTree(`{"a":{"b":true,"n":30,"list":["x","y"],"gone":"v","nil":null},"properties":{"formStatus":"DRAFT"}}`)
	got := decodeTree(`{"a":{"b":true,"n":30.0,"list":["x","y"],"extra":1},"properties":{"formStatus":"SUBMITTED"}}`)
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, []string{"a.gone"}) {
		t.Errorf("Mismatches = %v, want [a.gone]", m)
	}
	got = decodeTree(`{"a":{"b":false,"n":31,"list":["y","x"],"gone":"v"}}`)
	want := []string{"a.b", "a.list", "a.n"}
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, want) {
		t.Errorf("Mismatches = %v, want %v", m, want)
	}
	// Go values compare like their JSON.
	if m := Mismatches(map[string]any{"n": 3, "l": []string{"a"}}, decodeTree(`{"n":3,"l":["a"]}`)); len(m) != 0 {
		t.Errorf("Go values: %v", m)
	}
}
