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

	p, _, err := e.client.ResolveProduct(ctx, fakemarket.DefaultVendor, appKey)
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
	if live.FormStatus() != FormSubmitted || len(Mismatches(sent, live.TrustInfo)) != 0 {
		t.Errorf("after publish: formStatus %q, mismatches %v", live.FormStatus(), Mismatches(sent, live.TrustInfo))
	}
	if props := live.Properties(); props.UpdatedBy != testEmail || props.UpdatedAt.IsZero() {
		t.Errorf("after publish: properties %+v, want who published and when", props)
	}
	e.fake.Reject(appKey, "https://ecosystem.atlassian.net/browse/AMKTHELP-7")
	if live, err = e.client.GetV3(ctx, p, Live); err != nil || live.FormStatus() != FormRejected ||
		len(live.Properties().JiraLinks) != 1 {
		t.Errorf("after rejection: %v, properties %+v", err, live.Properties())
	}
	e.fake.Approve(appKey)
	if live, err = e.client.GetV3(ctx, p, Live); err != nil || live.FormStatus() != FormApproved {
		t.Errorf("after approval: %v, formStatus %q", err, live.FormStatus())
	}
	// The schema's GET names the wrapper common; it is read too.
	e.fake.UseCommonWrapper(true)
	if live, err = e.client.GetV3(ctx, p, Live); err != nil || live.FormStatus() != FormApproved || len(Mismatches(sent, live.TrustInfo)) != 0 {
		t.Errorf("with the common wrapper: %v, formStatus %q, mismatches %v", err, live.FormStatus(), Mismatches(sent, live.TrustInfo))
	}
	e.fake.UseCommonWrapper(false)

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
		"GET /marketplace/rest/3/developer-space/vendor/1000001 200",
		"GET /marketplace/rest/3/product-listing/developer-space/" + fakemarket.DefaultDeveloper + "?includePrivate=true&limit=50 200",
		"GET " + base + "?state=draft 404",
		"PUT " + base + " 201",
		"GET " + base + "?state=draft 200",
		"POST " + base + "/publish 200",
		"GET " + base + " 200",
		"GET " + base + " 200",
		"GET " + base + " 200",
		"GET " + base + " 200",
		"PUT " + base + " 201",
		"DELETE " + base + " 204",
		"DELETE " + base + " 404",
		"POST " + base + "/publish 404",
	}
	if got := e.requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("requests:\n got %q\nwant %q", got, want)
	}
}

// TestResolveProduct finds the listing's productId from the vendor id, through the
// developer space and its listings, private ones included, across pages.
func TestResolveProduct(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := 0; i < 120; i++ {
		e.fake.AddApp(fakemarket.App{Key: "com.example.aaa" + itoa(1000+i)})
	}
	id := e.fake.AddApp(fakemarket.App{Key: "com.example.zzz.private", Private: true,
		PrivacyURL: "https://example.com/privacy", BugBounty: true})
	p, l, err := e.client.ResolveProduct(ctx, fakemarket.DefaultVendor, "com.example.zzz.private")
	if err != nil || p.ID != id || p.AppKey != "com.example.zzz.private" {
		t.Fatalf("ResolveProduct = %+v, %v; want id %s", p, err, id)
	}
	if l.PrivacyURL != "https://example.com/privacy" || l.BugBounty == nil || !*l.BugBounty || l.ProductID != id {
		t.Errorf("listing facts %+v", l)
	}
	if _, l, _ := e.client.ResolveProduct(ctx, fakemarket.DefaultVendor, appKey); l.BugBounty == nil || *l.BugBounty {
		t.Errorf("an app outside the Bug Bounty program: %+v", l)
	}
	var pages int
	for _, r := range e.fake.Requests() {
		if strings.Contains(r.Path, "/product-listing/") {
			pages++
			if !strings.Contains(r.Query, "includePrivate=true") || !strings.Contains(r.Query, "limit=50") {
				t.Errorf("listing request without includePrivate and the largest page: %s", r.Query)
			}
		}
	}
	if pages != 6 { // 122 listings, 50 a page: both apps are on the third page
		t.Errorf("%d listing pages read, want 6", pages)
	}
	// The app-software id is another id: the Privacy & Security path does not know it.
	sw := e.fake.AppSoftwareID(appKey, "cloud")
	if sw == "" || sw == e.productID {
		t.Fatalf("app-software id %q, product id %q", sw, e.productID)
	}
	if _, err := e.client.GetV3(ctx, Product{AppKey: appKey, ID: sw}, Live); !errors.Is(err, ErrNotFound) {
		t.Errorf("the P&S path with the app-software id: %v, want ErrNotFound", err)
	}
	_, _, err = e.client.ResolveProduct(ctx, fakemarket.DefaultVendor, "com.example.missing")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "vendor 1000001 lists no app com.example.missing (122 listings seen") {
		t.Errorf("an app the vendor does not list: %v", err)
	}
	if _, _, err := e.client.ResolveProduct(ctx, "42", appKey); !errors.Is(err, ErrNotFound) || err.Error() != "unknown vendor 42 on the Marketplace" {
		t.Errorf("an unknown vendor: %v", err)
	}
	if _, _, err := e.client.ResolveProduct(ctx, "vendor-1", appKey); err == nil || !strings.Contains(err.Error(), "is not a Marketplace vendor id") {
		t.Errorf("a vendor id that is not a number: %v", err)
	}
}

// TestListingPagesFromAnUntrustedServer follows only the cursor of links.next, so that a
// link cannot send the next request, and the token, elsewhere; and it stops at a loop.
func TestListingPagesFromAnUntrustedServer(t *testing.T) {
	cases := []struct {
		name, page string
		want       error
	}{
		{"next to another host", `{"links":{"next":"https://evil.example/steal?cursor=Mg=="},"items":[]}`, ErrNotFound},
		{"next without a cursor", `{"links":{"next":"/rest/3/product-listing/developer-space/x"},"items":[]}`, ErrNotFound},
		{"listing without a product id", `{"links":{},"items":[{"appKey":"com.example.app"}]}`, ErrMalformed},
		{"product id with a slash", `{"links":{},"items":[{"appKey":"com.example.app","productId":"../x"}]}`, ErrMalformed},
		{"not JSON", `<html>`, ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			f := fakemarket.Malformed(tc.page)
			f.Path = "/marketplace/rest/3/product-listing/*"
			e.fake.Inject(f)
			_, _, err := e.client.ResolveProduct(context.Background(), fakemarket.DefaultVendor, appKey)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got := e.fake.Target().Requests(); len(got) != 0 {
				t.Errorf("a request left for another host: %+v", got)
			}
			for _, r := range e.fake.Requests() {
				if strings.Contains(r.Query, "cursor=Mg") && tc.name == "next to another host" {
					// The cursor is read from the link and sent to the configured API.
					return
				}
			}
		})
	}
	// A server whose links.next repeats itself is read once per cursor.
	e := newEnv(t)
	loop := fakemarket.Malformed(`{"links":{"next":"/x?cursor=c2FtZQ=="},"items":[]}`)
	loop.Path, loop.Times = "/marketplace/rest/3/product-listing/*", 10
	e.fake.Inject(loop)
	if _, _, err := e.client.ResolveProduct(context.Background(), fakemarket.DefaultVendor, appKey); !errors.Is(err, ErrNotFound) {
		t.Errorf("a looping server: %v", err)
	}
	if n := e.fake.PendingFaults(); n != 8 {
		t.Errorf("%d pages of the loop left; want 8 (read twice: the first page and the one cursor)", n)
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
	sent := decodeTree(`{"a":{"b":true,"n":30,"list":["x","y"],"gone":"v","nil":null,"empty":[]},"properties":{"formStatus":"DRAFT"}}`)
	got := decodeTree(`{"a":{"b":true,"n":30.0,"list":["x","y"],"extra":1},"properties":{"formStatus":"SUBMITTED","updatedAt":1767225600000}}`)
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, []string{"a.gone"}) {
		t.Errorf("Mismatches = %v, want [a.gone]", m)
	}
	got = decodeTree(`{"a":{"b":false,"n":31,"list":["y","z"],"gone":"v"}}`)
	want := []string{"a.b", "a.list", "a.n"}
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, want) {
		t.Errorf("Mismatches = %v, want %v", m, want)
	}
	// A server that stores tri-states in its own spelling: the same answers.
	sent = decodeTree(`{"p":{"c":true,"d":false,"e":"NOT_APPLICABLE","list":[{"name":"AWS","link":""}]}}`)
	got = decodeTree(`{"p":{"c":"TRUE","d":"False","e":"not_applicable","list":[{"name":"AWS"}]},"hasRestAPIExtension":false}`)
	if m := Mismatches(sent, got); len(m) != 0 {
		t.Errorf("by meaning: %v", m)
	}
	got = decodeTree(`{"p":{"c":"FALSE","d":"no","e":true,"list":[{"name":"Amazon","purpose":"Hosting"}]}}`)
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, []string{"p.c", "p.d", "p.e", "p.list"}) {
		t.Errorf("different meanings: %v", m)
	}
	// A server that tidies text and lists: the same answers.
	sent = decodeTree(`{"s":{"contact":"Security@Example.com","link":"https://example.com/trust/","text":"line one\nline  two ",
		"types":["Issue keys","Account IDs"],"subs":[{"name":"AWS"},{"name":"Sentry"}]}}`)
	got = decodeTree(`{"s":{"contact":"security@example.com","link":"https://example.com/trust","text":"line one line two",
		"types":["Account IDs","Issue keys"],"subs":[{"name":"Sentry","id":"2"},{"name":"AWS","id":"1"}]}}`)
	if m := Mismatches(sent, got); len(m) != 0 {
		t.Errorf("normalised by the server: %v", m)
	}
	got = decodeTree(`{"s":{"contact":"psirt@example.com","link":"https://example.com/other","text":"line one",
		"types":["Account IDs"],"subs":[{"name":"Sentry"},{"name":"Sentry"}]}}`)
	if m := Mismatches(sent, got); !reflect.DeepEqual(m, []string{"s.contact", "s.link", "s.subs", "s.text", "s.types"}) {
		t.Errorf("different answers: %v", m)
	}
	// Go values compare like their JSON.
	if m := Mismatches(map[string]any{"n": 3, "l": []string{"a"}}, decodeTree(`{"n":3,"l":["a"]}`)); len(m) != 0 {
		t.Errorf("Go values: %v", m)
	}
}
