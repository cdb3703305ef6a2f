package fakemarket_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

const (
	email  = "partner@example.com"
	token  = "tok-manager"
	reader = "reader@example.com"
	rtoken = "tok-reader"
	key    = "com.example.app"
	v2path = "/rest/2/addons/com.example.app/privacy-and-security"
)

type who int

const (
	anonymous who = iota
	manager
	readOnly
	wrongToken
)

func start(t *testing.T) (*fakemarket.Server, string) {
	t.Helper()
	s := fakemarket.New()
	t.Cleanup(s.Close)
	s.AddAccount(fakemarket.Account{Email: email, Token: token})
	s.AddAccount(fakemarket.Account{Email: reader, Token: rtoken, NoManageApp: true})
	id := s.AddApp(fakemarket.App{Key: key, Live: map[string]any{"security": map[string]any{"securityContact": "a@b.example"}}})
	return s, id
}

// call sends one request without following redirects and returns the status, headers and body.
func call(t *testing.T, method, url string, as who, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch as {
	case manager:
		req.SetBasicAuth(email, token)
	case readOnly:
		req.SetBasicAuth(reader, rtoken)
	case wrongToken:
		req.SetBasicAuth(email, "nope")
	}
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

func TestAuthAndRouting(t *testing.T) {
	s, id := start(t)
	v3 := s.V3URL() + "/rest/3/privacy-and-security/products/" + id
	good := `{"appTrustInformation":{"security":{"isDiskEncryptionSupported":true}}}`
	cases := []struct {
		method, url string
		as          who
		body        string
		want        int
	}{
		{"GET", s.URL() + v2path + "?state=live", anonymous, "", 200},
		{"GET", s.URL() + v2path + "?state=live", wrongToken, "", 401},
		{"GET", s.URL() + v2path + "?state=draft", anonymous, "", 401},
		{"GET", s.URL() + v2path + "?state=draft", readOnly, "", 403},
		{"GET", s.URL() + v2path + "?state=draft", manager, "", 404}, // no draft yet
		{"GET", s.URL() + v2path + "?state=published", manager, "", 400},
		{"PUT", s.URL() + v2path, anonymous, good, 401},
		{"PUT", s.URL() + v2path, readOnly, good, 403},
		{"PUT", s.URL() + v2path, manager, good, 204},
		{"GET", s.URL() + v2path + "?state=draft", manager, "", 200},
		{"POST", s.URL() + v2path, manager, good, 405},
		{"GET", s.URL() + "/rest/2/addons/com.example.nope/privacy-and-security", manager, "", 404},
		{"GET", s.URL() + "/rest/2/addons/" + key, manager, "", 404},
		{"GET", s.URL() + "/rest/3/privacy-and-security/products/" + id, manager, "", 404}, // v3 lives under /marketplace
		{"GET", v3, anonymous, "", 200},                                                    // the live version needs no credentials
		{"GET", v3 + "?state=draft", anonymous, "", 401},
		{"GET", v3, readOnly, "", 200},
		{"GET", v3 + "?state=draft", readOnly, "", 403},
		{"GET", v3 + "?state=bogus", manager, "", 400},
		{"GET", s.V3URL() + "/rest/3/privacy-and-security/products/unknown", manager, "", 404},
		{"DELETE", v3, readOnly, "", 403},
		{"POST", v3 + "/publish", readOnly, "", 403},
		{"GET", v3 + "/publish", manager, "", 405},
		{"GET", s.V3URL() + "/rest/3/app-software/app-key/" + key, anonymous, "", 401},
		{"GET", s.V3URL() + "/rest/3/app-software/app-key/com.example.nope", manager, "", 404},
		// The app-software id is not a product id: the Privacy & Security path knows it not.
		{"GET", s.V3URL() + "/rest/3/privacy-and-security/products/" + s.AppSoftwareID(key, "cloud"), manager, "", 404},
		{"PUT", s.V3URL() + "/rest/3/privacy-and-security/products/" + s.AppSoftwareID(key, "cloud"), manager, `{"commonCloud":{}}`, 404},
		{"DELETE", v3, manager, "", 204}, // the draft the v2 PUT made
		{"DELETE", v3, manager, "", 404},
		{"PUT", v3, manager, `{"commonCloud":{}}`, 201}, // created
		{"PUT", v3, manager, `{"commonCloud":{}}`, 200}, // saved
		{"GET", s.V3URL() + "/rest/3/developer-space/vendor/" + fakemarket.DefaultVendor, anonymous, "", 401},
		{"GET", s.V3URL() + "/rest/3/developer-space/vendor/" + fakemarket.DefaultVendor, manager, "", 200},
		{"GET", s.V3URL() + "/rest/3/developer-space/vendor/42", manager, "", 404},
		{"GET", s.V3URL() + "/rest/3/product-listing/developer-space/" + fakemarket.DefaultDeveloper, manager, "", 200},
		{"GET", s.V3URL() + "/rest/3/product-listing/developer-space/" + fakemarket.DefaultDeveloper + "?limit=51", manager, "", 400},
		{"GET", s.V3URL() + "/rest/3/product-listing/developer-space/nobody", manager, "", 404},
	}
	for _, tc := range cases {
		if got, _, body := call(t, tc.method, tc.url, tc.as, tc.body); got != tc.want {
			t.Errorf("%s %s as %d: %d %s, want %d", tc.method, tc.url, tc.as, got, body, tc.want)
		}
	}
	log := s.Requests()
	if len(log) != len(cases) {
		t.Fatalf("%d requests logged, want %d", len(log), len(cases))
	}
	if l := log[0]; l.Auth || l.Account != "" || l.Status != 200 || l.Query != "state=live" || l.Path != v2path {
		t.Errorf("first log entry %+v", l)
	}
	if l := log[1]; !l.Auth || l.Account != "" || l.Status != 401 {
		t.Errorf("wrong-token log entry %+v", l)
	}
	if l := log[8]; l.Account != email || l.Method != "PUT" || l.Status != 204 {
		t.Errorf("PUT log entry %+v", l)
	}
}

func TestV2DefaultState(t *testing.T) {
	s, _ := start(t)
	s.SetDraft(key, map[string]any{"logDetails": map[string]any{"logEndUserData": true}})
	if _, _, body := call(t, "GET", s.URL()+v2path, manager, ""); !strings.Contains(body, "logEndUserData") {
		t.Errorf("a manager's default is the draft: %s", body)
	}
	if _, _, body := call(t, "GET", s.URL()+v2path, anonymous, ""); !strings.Contains(body, "securityContact") {
		t.Errorf("the anonymous default is live: %s", body)
	}
}

// The fake refuses bodies that do not fit the published schema, with a 400 in the
// documented shape naming each wrong field with a JSON Pointer into the object inside the
// wrapper.
func TestBodyShape(t *testing.T) {
	cases := []struct {
		name, body string
		v3         bool
		errs       []string // "path code" of each error; nil for accepted
	}{
		{"minimal", `{"appTrustInformation":{}}`, false, nil},
		{"nulls are unanswered", `{"appTrustInformation":{"logDetails":null,"security":{"securityContact":null}}}`, false, nil},
		{"unknown inner field kept", `{"appTrustInformation":{"privacy":{"gdpr":{"dataTransfer":{"mechanismText":"SCCs"}}}}}`, false, nil},
		{"extra top-level key", `{"appTrustInformation":{},"extra":1}`, false, []string{"/extra UNRECOGNIZED_FIELD"}},
		{"v3 wrapper sent to v2", `{"commonCloud":{}}`, false, []string{"/commonCloud UNRECOGNIZED_FIELD", " FIELD_REQUIRED"}},
		{"missing wrapper", `{}`, false, []string{" FIELD_REQUIRED"}},
		{"wrapper not an object", `{"appTrustInformation":[]}`, false, []string{" INVALID_TYPE"}},
		{"not an object", `[]`, false, []string{" INVALID_TYPE"}},
		{"unknown group", `{"appTrustInformation":{"compliance":{}}}`, false, []string{"/compliance UNRECOGNIZED_FIELD"}},
		{"read-only properties", `{"appTrustInformation":{"properties":{"formStatus":"APPROVED"}}}`, false, []string{"/properties UNRECOGNIZED_FIELD"}},
		{"read-only v3 keys", `{"commonCloud":{"hasRestAPIExtension":false,"supportsConfigurableEgress":true}}`, true,
			[]string{"/hasRestAPIExtension UNRECOGNIZED_FIELD", "/supportsConfigurableEgress UNRECOGNIZED_FIELD"}},
		{"group not an object", `{"appTrustInformation":{"security":true}}`, false, []string{"/security INVALID_TYPE"}},
		{"bool as string", `{"appTrustInformation":{"logDetails":{"logEndUserData":"true"}}}`, false, []string{"/logDetails/logEndUserData INVALID_TYPE"}},
		{"list with a number", `{"appTrustInformation":{"dataAccessAndStorage":{"typesOfDataStored":["a",1]}}}`, false, []string{"/dataAccessAndStorage/typesOfDataStored/1 INVALID_ARRAY_VALUE"}},
		{"string list as string", `{"appTrustInformation":{"dataResidency":{"countriesWhereEndUserDataStored":"EU"}}}`, false, []string{"/dataResidency/countriesWhereEndUserDataStored INVALID_TYPE"}},
		{"string as bool", `{"appTrustInformation":{"security":{"securityContact":true}}}`, false, []string{"/security/securityContact INVALID_TYPE"}},
		{"tri-state as a boolean", `{"appTrustInformation":{"privacy":{"gdpr":{"dataController":{"isAppDataController":false}}}}}`, false, nil},
		{"tri-state as NOT_APPLICABLE", `{"appTrustInformation":{"privacy":{"dataProcessingAgreement":{"isDPASupported":"NOT_APPLICABLE"}}}}`, false, nil},
		{"tri-state in upper case", `{"appTrustInformation":{"privacy":{"ccpa":{"business":{"isAppBusiness":"TRUE"}}}}}`, false, []string{"/privacy/ccpa/business/isAppBusiness INVALID_ENUM_VALUE"}},
		{"every residency value", "", false, nil}, // the body is built below, once per value
		{"residency value earlier pstab invented", `{"appTrustInformation":{"dataResidency":{"isDataResidencySupported":"STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED"}}}`, false,
			[]string{"/dataResidency/isDataResidencySupported INVALID_ENUM_VALUE"}},
		{"link not a URL", `{"appTrustInformation":{"security":{"publicSecurityPoliciesLink":"example.com/security"}}}`, false, []string{"/security/publicSecurityPoliciesLink INVALID_URL_FORMAT"}},
		{"CAIQ link not a URL", `{"appTrustInformation":{"security":{"caiq":{"CAIQLiteLink":"see our trust page"}}}}`, false, []string{"/security/caiq/CAIQLiteLink INVALID_URL_FORMAT"}},
		{"contact not an email", `{"appTrustInformation":{"security":{"securityContact":"security at example.com"}}}`, false, []string{"/security/securityContact INVALID_EMAIL_FORMAT"}},
		{"certifications not strings", `{"appTrustInformation":{"security":{"compliantCertifications":["SOC2",{"x":1}]}}}`, false, []string{"/security/compliantCertifications/1 INVALID_ARRAY_VALUE"}},
		{"rich-text justification", `{"appTrustInformation":{"security":{"permissionsJustification":{"type":"doc","content":[]}}}}`, false, nil},
		{"days as fraction", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"min":1.5}}}}`, false, []string{"/dataRetention/retentionDurationInDays/min INVALID_TYPE"}},
		{"days beyond int32", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"max":3000000000}}}}`, false, []string{"/dataRetention/retentionDurationInDays/max INVALID_TYPE"}},
		{"days as string", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"max":"30"}}}}`, false, []string{"/dataRetention/retentionDurationInDays/max INVALID_TYPE"}},
		{"days whole", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"min":0,"max":90}}}}`, false, nil},
		{"sub-processors not a list", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":{"name":"x"}}}}`, false, []string{"/thirdPartyInformation/thirdPartyDetails INVALID_TYPE"}},
		{"sub-processor not an object", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":["x"]}}}`, false, []string{"/thirdPartyInformation/thirdPartyDetails/0 INVALID_ARRAY_VALUE"}},
		{"sub-processor name", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":[{"name":"a"},{"name":7}]}}}`, false, []string{"/thirdPartyInformation/thirdPartyDetails/1/name INVALID_TYPE"}},
		{"sub-processor link", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":[{"name":"a","link":"aws"}]}}}`, false, []string{"/thirdPartyInformation/thirdPartyDetails/0/link INVALID_URL_FORMAT"}},
		{"several errors at once", `{"commonCloud":{"security":{"securityContact":"nobody","publicSecurityPoliciesLink":"nowhere","compliantCertifications":["SOC2",2]},
			"dataResidency":{"isDataResidencySupported":"EU_ONLY"},"properties":{}}}`, true, []string{
			"/dataResidency/isDataResidencySupported INVALID_ENUM_VALUE", "/properties UNRECOGNIZED_FIELD",
			"/security/compliantCertifications/1 INVALID_ARRAY_VALUE", "/security/publicSecurityPoliciesLink INVALID_URL_FORMAT",
			"/security/securityContact INVALID_EMAIL_FORMAT"}},
		{"v3 minimal", `{"commonCloud":{}}`, true, nil},
		{"v3 wrong wrapper", `{"appTrustInformation":{}}`, true, []string{"/appTrustInformation UNRECOGNIZED_FIELD", " FIELD_REQUIRED"}},
		{"v3 wrong type", `{"commonCloud":{"security":{"isDiskEncryptionSupported":1}}}`, true, []string{"/security/isDiskEncryptionSupported INVALID_TYPE"}},
		{"malformed JSON", `{"appTrustInformation":`, false, []string{" INVALID_JSON"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, id := start(t)
			url := s.URL() + v2path
			if tc.v3 {
				url = s.V3URL() + "/rest/3/privacy-and-security/products/" + id
			}
			bodies := []string{tc.body}
			if tc.body == "" {
				bodies = nil
				for _, v := range fakemarket.ResidencyValues {
					bodies = append(bodies, `{"appTrustInformation":{"dataResidency":{"isDataResidencySupported":"`+v.(string)+`"}}}`)
				}
			}
			for _, body := range bodies {
				status, _, resp := call(t, "PUT", url, manager, body)
				if tc.errs == nil {
					if status/100 != 2 {
						t.Fatalf("%s refused: %d %s", body, status, resp)
					}
					continue
				}
				if status != 400 {
					t.Fatalf("status %d (%s), want 400", status, resp)
				}
				var e struct {
					Errors []struct{ Message, Path, Code string }
				}
				if err := json.Unmarshal([]byte(resp), &e); err != nil {
					t.Fatalf("error body %s: %v", resp, err)
				}
				var got []string
				for _, x := range e.Errors {
					if x.Message == "" {
						t.Errorf("an error without a message: %+v", x)
					}
					got = append(got, x.Path+" "+x.Code)
				}
				if strings.Join(got, "|") != strings.Join(tc.errs, "|") {
					t.Errorf("errors\n got %q\nwant %q", got, tc.errs)
				}
				if _, ok := s.Draft(key); ok {
					t.Error("a refused body was stored")
				}
			}
		})
	}
}

func TestPutNeedsJSONContentType(t *testing.T) {
	s, _ := start(t)
	req, _ := http.NewRequest("PUT", s.URL()+v2path, strings.NewReader(`{"appTrustInformation":{}}`))
	req.SetBasicAuth(email, token)
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("status %d, want 415", resp.StatusCode)
	}
}

// TestStatusesAndStamps plays a save, a publish and both outcomes of Atlassian's review:
// every save stamps who and a new updatedAt, and the form goes through all four statuses.
func TestStatusesAndStamps(t *testing.T) {
	s, id := start(t)
	v3 := s.V3URL() + "/rest/3/privacy-and-security/products/" + id
	if st, _, _ := call(t, "POST", v3+"/publish", manager, ""); st != 404 {
		t.Errorf("publish without a draft: %d, want 404", st)
	}
	var stamps []int64
	props := func(m map[string]any) map[string]any { return m["properties"].(map[string]any) }
	for i := 0; i < 3; i++ {
		body := `{"commonCloud":{"security":{"isDiskEncryptionSupported":true},"privacy":{"gdpr":{"dataProcessor":{"isAppDataProcessor":true}}}}}`
		if st, _, b := call(t, "PUT", v3, manager, body); st/100 != 2 {
			t.Fatalf("PUT: %d %s", st, b)
		}
		d, _ := s.Draft(key)
		p := props(d)
		ms, _ := p["updatedAt"].(json.Number).Int64()
		if p["formStatus"] != "SAVED" || p["updatedBy"] != email || ms == 0 {
			t.Errorf("draft properties after a save: %v", p)
		}
		stamps = append(stamps, ms)
	}
	if !(stamps[0] < stamps[1] && stamps[1] < stamps[2]) {
		t.Errorf("updatedAt %v: every save must stamp a later time", stamps)
	}
	// What was stored is served in the server's own spelling.
	_, _, b := call(t, "GET", v3+"?state=draft", manager, "")
	if !strings.Contains(b, `"isAppDataProcessor":"TRUE"`) {
		t.Errorf("the draft does not serve the normalised tri-state: %s", b)
	}
	if st, _, _ := call(t, "POST", v3+"/publish", manager, ""); st != 200 {
		t.Fatalf("publish: %d", st)
	}
	_, _, b = call(t, "GET", v3, anonymous, "")
	var doc struct {
		CommonCloud struct {
			Security   map[string]any
			Properties struct{ FormStatus string }
			HasREST    *bool `json:"hasRestAPIExtension"`
		}
	}
	if err := json.Unmarshal([]byte(b), &doc); err != nil || doc.CommonCloud.Properties.FormStatus != "SUBMITTED" ||
		doc.CommonCloud.Security["isDiskEncryptionSupported"] != true || doc.CommonCloud.HasREST == nil {
		t.Errorf("live after publish: %s", b)
	}
	if _, ok := s.Draft(key); ok {
		t.Error("the draft survived publish")
	}
	if !s.Reject(key, "https://ecosystem.atlassian.net/browse/AMKTHELP-1") {
		t.Fatal("Reject of a known app")
	}
	if p := props(s.Live(key)); p["formStatus"] != "REJECTED" || len(p["jiraLinks"].([]any)) != 1 {
		t.Errorf("after Reject: %v", p)
	}
	if !s.Approve(key) || props(s.Live(key))["formStatus"] != "APPROVED" {
		t.Error("Approve did not set APPROVED")
	}
	if s.Approve("com.example.nope") || s.Reject("com.example.nope") {
		t.Error("Approve or Reject of an unknown app")
	}
	// The published schema names the GET's wrapper common; the fake can answer so.
	s.UseCommonWrapper(true)
	if _, _, b := call(t, "GET", v3, anonymous, ""); !strings.HasPrefix(b, `{"common":{`) {
		t.Errorf("with the common wrapper: %s", b)
	}
}

// TestListings finds products through the developer space, a page at a time.
func TestListings(t *testing.T) {
	s, id := start(t)
	for i := 0; i < 12; i++ {
		s.AddApp(fakemarket.App{Key: fmt.Sprintf("com.example.app%02d", i), Private: i%3 == 0})
	}
	s.AddVendor("2000002", "11111111-2222-3333-4444-555555555555")
	s.AddApp(fakemarket.App{Key: "com.other.app", Vendor: "2000002"})
	_, _, b := call(t, "GET", s.V3URL()+"/rest/3/developer-space/vendor/"+fakemarket.DefaultVendor, manager, "")
	var dev struct{ DeveloperID string }
	if json.Unmarshal([]byte(b), &dev) != nil || dev.DeveloperID != fakemarket.DefaultDeveloper {
		t.Fatalf("developer space: %s", b)
	}
	list := func(query string) (keys []string, next string) {
		_, _, b := call(t, "GET", s.V3URL()+"/rest/3/product-listing/developer-space/"+dev.DeveloperID+query, manager, "")
		var page struct {
			Links struct{ Self, Next string }
			Items []struct{ ProductID, AppKey string }
		}
		if err := json.Unmarshal([]byte(b), &page); err != nil {
			t.Fatalf("listings: %v %s", err, b)
		}
		for _, it := range page.Items {
			keys = append(keys, it.AppKey)
			if it.AppKey == key && it.ProductID != id {
				t.Errorf("%s listed with product id %s, want %s", key, it.ProductID, id)
			}
		}
		return keys, page.Links.Next
	}
	var all []string
	next := "?limit=5&includePrivate=true"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("links.next never ends")
		}
		keys, n := list(next)
		all = append(all, keys...)
		next = ""
		if n != "" {
			next = "?includePrivate=true&" + n[strings.Index(n, "?")+1:]
		}
	}
	if len(all) != 13 {
		t.Errorf("%d listings with the private ones, want 13: %v", len(all), all)
	}
	public, _ := list("?limit=50")
	if len(public) != 9 {
		t.Errorf("%d public listings, want 9: %v", len(public), public)
	}
}

// The app-software endpoint lists an id per hosting, and none of them is the product id.
func TestAppSoftware(t *testing.T) {
	s, id := start(t)
	s.AddApp(fakemarket.App{Key: "com.example.multi", Hostings: []string{"server", "cloud", "datacenter"}})
	_, _, body := call(t, "GET", s.V3URL()+"/rest/3/app-software/app-key/"+key, manager, "")
	var list []map[string]any
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 || list[0]["hosting"] != "cloud" ||
		list[0]["appSoftwareId"] == id || list[0]["appSoftwareId"] != s.AppSoftwareID(key, "cloud") {
		t.Errorf("app-software: %s (product id %s)", body, id)
	}
	_, _, body = call(t, "GET", s.V3URL()+"/rest/3/app-software/app-key/com.example.multi", manager, "")
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 3 || list[0]["appSoftwareId"] == list[1]["appSoftwareId"] {
		t.Errorf("three hostings with distinct ids: %s", body)
	}
}

func TestFaults(t *testing.T) {
	s, _ := start(t)
	f := fakemarket.RateLimited(2, "7")
	f.Method = "GET"
	s.Inject(f)
	s.Inject(fakemarket.Fault{Path: "/elsewhere", Status: 500})
	for i := 0; i < 2; i++ {
		if st, h, _ := call(t, "GET", s.URL()+v2path, anonymous, ""); st != 429 || h.Get("Retry-After") != "7" {
			t.Errorf("request %d: %d Retry-After %q", i, st, h.Get("Retry-After"))
		}
	}
	if st, _, _ := call(t, "GET", s.URL()+v2path, anonymous, ""); st != 200 {
		t.Errorf("after the fault is used up: %d", st)
	}
	if s.PendingFaults() != 1 {
		t.Errorf("pending %d, want the unmatched fault", s.PendingFaults())
	}

	s.Inject(fakemarket.Redirect(307, ""))
	st, h, _ := call(t, "PUT", s.URL()+v2path, manager, `{"appTrustInformation":{}}`)
	if st != 307 || h.Get("Location") != s.Target().URL()+v2path {
		t.Errorf("redirect: %d Location %q", st, h.Get("Location"))
	}
	// A client that follows redirects shows what the target records.
	s.Inject(fakemarket.Redirect(302, ""))
	req, _ := http.NewRequest("GET", s.URL()+v2path, nil)
	req.SetBasicAuth(email, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := s.Target().Requests(); len(got) != 1 || got[0].Authorization == "" {
		t.Errorf("a following client: target saw %+v; want 1 request carrying the token (same host, so Go forwards it)", got)
	}

	s.Inject(fakemarket.Malformed(`{"x":`))
	if _, _, body := call(t, "GET", s.URL()+v2path, anonymous, ""); body != `{"x":` {
		t.Errorf("malformed: %q", body)
	}

	s.Inject(fakemarket.Slow(100 * time.Millisecond))
	t0 := time.Now()
	if st, _, _ := call(t, "GET", s.URL()+v2path, anonymous, ""); st != 200 || time.Since(t0) < 100*time.Millisecond {
		t.Errorf("slow: %d after %v", st, time.Since(t0))
	}

	// A fresh connection: Go's transport silently retries a GET on a reused one.
	s.Inject(fakemarket.Drop())
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Get(s.URL() + v2path); err == nil {
		resp.Body.Close()
		t.Error("a dropped connection gave a response")
	}
}

// Close releases a request held by Hang.
func TestCloseReleasesHang(t *testing.T) {
	s, _ := start(t)
	s.Inject(fakemarket.Hang())
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL() + v2path)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not release the hanging request")
	}
}
