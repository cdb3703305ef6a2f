package fakemarket_test

import (
	"encoding/json"
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
		{"GET", v3, anonymous, "", 401},
		{"GET", v3, readOnly, "", 200},
		{"GET", v3 + "?state=draft", readOnly, "", 403},
		{"GET", v3 + "?state=bogus", manager, "", 400},
		{"GET", s.V3URL() + "/rest/3/privacy-and-security/products/unknown", manager, "", 404},
		{"DELETE", v3, readOnly, "", 403},
		{"POST", v3 + "/publish", readOnly, "", 403},
		{"GET", v3 + "/publish", manager, "", 405},
		{"GET", s.V3URL() + "/rest/3/app-software/app-key/" + key, anonymous, "", 401},
		{"GET", s.V3URL() + "/rest/3/app-software/app-key/com.example.nope", manager, "", 404},
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

// The fake refuses bodies of the wrong shape with a 400 naming the field.
func TestBodyShape(t *testing.T) {
	cases := []struct {
		name, body string
		v3         bool
		field      string // "" for accepted
		status     int
	}{
		{"minimal", `{"appTrustInformation":{}}`, false, "", 204},
		{"nulls are unanswered", `{"appTrustInformation":{"logDetails":null,"security":{"securityContact":null}}}`, false, "", 204},
		{"unknown inner field kept", `{"appTrustInformation":{"privacy":{"gdpr":{"dataTransfer":{"mechanismText":"SCCs"}}}}}`, false, "", 204},
		{"extra top-level key", `{"appTrustInformation":{},"extra":1}`, false, "extra", 400},
		{"v3 wrapper sent to v2", `{"commonCloud":{}}`, false, "commonCloud", 400},
		{"missing wrapper", `{}`, false, "appTrustInformation", 400},
		{"wrapper not an object", `{"appTrustInformation":[]}`, false, "appTrustInformation", 400},
		{"not an object", `[]`, false, "", 400},
		{"unknown group", `{"appTrustInformation":{"compliance":{}}}`, false, "appTrustInformation.compliance", 400},
		{"group not an object", `{"appTrustInformation":{"security":true}}`, false, "appTrustInformation.security", 400},
		{"bool as string", `{"appTrustInformation":{"logDetails":{"logEndUserData":"true"}}}`, false, "appTrustInformation.logDetails.logEndUserData", 400},
		{"list with a number", `{"appTrustInformation":{"dataAccessAndStorage":{"typesOfDataStored":["a",1]}}}`, false, "appTrustInformation.dataAccessAndStorage.typesOfDataStored", 400},
		{"string list as string", `{"appTrustInformation":{"dataResidency":{"countriesWhereEndUserDataStored":"EU"}}}`, false, "appTrustInformation.dataResidency.countriesWhereEndUserDataStored", 400},
		{"string as bool", `{"appTrustInformation":{"security":{"securityContact":true}}}`, false, "appTrustInformation.security.securityContact", 400},
		{"tri-state as bool", `{"appTrustInformation":{"privacy":{"gdpr":{"dataController":{"isAppDataController":false}}}}}`, false, "appTrustInformation.privacy.gdpr.dataController.isAppDataController", 400},
		{"days as fraction", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"min":1.5}}}}`, false, "appTrustInformation.dataRetention.retentionDurationInDays.min", 400},
		{"days negative", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"max":-1}}}}`, false, "appTrustInformation.dataRetention.retentionDurationInDays.max", 400},
		{"days as string", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"max":"30"}}}}`, false, "appTrustInformation.dataRetention.retentionDurationInDays.max", 400},
		{"days whole", `{"appTrustInformation":{"dataRetention":{"retentionDurationInDays":{"min":0,"max":90}}}}`, false, "", 204},
		{"sub-processors not a list", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":{"name":"x"}}}}`, false, "appTrustInformation.thirdPartyInformation.thirdPartyDetails", 400},
		{"sub-processor not an object", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":["x"]}}}`, false, "appTrustInformation.thirdPartyInformation.thirdPartyDetails", 400},
		{"sub-processor name", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":[{"name":"a"},{"name":7}]}}}`, false, "appTrustInformation.thirdPartyInformation.thirdPartyDetails[1].name", 400},
		{"sub-processor countries", `{"appTrustInformation":{"thirdPartyInformation":{"thirdPartyDetails":[{"thirdPartyCountries":"US"}]}}}`, false, "appTrustInformation.thirdPartyInformation.thirdPartyDetails[0].thirdPartyCountries", 400},
		{"v2 read-only v3 key", `{"appTrustInformation":{"hasRestAPIExtension":true}}`, false, "appTrustInformation.hasRestAPIExtension", 400},
		{"v3 minimal", `{"commonCloud":{}}`, true, "", 204},
		{"v3 read-only keys tolerated", `{"commonCloud":{"hasRestAPIExtension":false,"supportsConfigurableEgress":true}}`, true, "", 204},
		{"v3 read-only key typed", `{"commonCloud":{"hasRestAPIExtension":"no"}}`, true, "commonCloud.hasRestAPIExtension", 400},
		{"v3 wrong wrapper", `{"appTrustInformation":{}}`, true, "appTrustInformation", 400},
		{"v3 wrong type", `{"commonCloud":{"security":{"isDiskEncryptionSupported":1}}}`, true, "commonCloud.security.isDiskEncryptionSupported", 400},
		{"malformed JSON", `{"appTrustInformation":`, false, "", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, id := start(t)
			url := s.URL() + v2path
			if tc.v3 {
				url = s.V3URL() + "/rest/3/privacy-and-security/products/" + id
			}
			status, _, body := call(t, "PUT", url, manager, tc.body)
			if status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, body, tc.status)
			}
			if tc.field == "" {
				return
			}
			if tc.v3 {
				var e struct{ Code, Message string }
				if json.Unmarshal([]byte(body), &e) != nil || e.Code != "VALIDATION_FAILED" || !strings.Contains(e.Message, "'"+tc.field+"'") {
					t.Errorf("v3 error body %s does not name %s", body, tc.field)
				}
			} else {
				var e struct {
					Errors []struct{ Message, Path string }
				}
				if json.Unmarshal([]byte(body), &e) != nil || len(e.Errors) != 1 || e.Errors[0].Path != tc.field || e.Errors[0].Message == "" {
					t.Errorf("v2 error body %s does not name %s", body, tc.field)
				}
			}
			if _, ok := s.Draft(key); ok {
				t.Error("a refused body was stored")
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

func TestPublishAndApprove(t *testing.T) {
	s, id := start(t)
	v3 := s.V3URL() + "/rest/3/privacy-and-security/products/" + id
	if st, _, _ := call(t, "POST", v3+"/publish", manager, ""); st != 404 {
		t.Errorf("publish without a draft: %d, want 404", st)
	}
	body := `{"commonCloud":{"security":{"isDiskEncryptionSupported":true},"properties":{"formStatus":"APPROVED"}}}`
	if st, _, b := call(t, "PUT", v3, manager, body); st != 204 {
		t.Fatalf("PUT: %d %s", st, b)
	}
	if d, _ := s.Draft(key); d["properties"].(map[string]any)["formStatus"] != nil {
		t.Error("a client-sent formStatus was kept; it is server-owned")
	}
	if st, _, _ := call(t, "POST", v3+"/publish", manager, ""); st != 204 {
		t.Fatalf("publish: %d", st)
	}
	_, _, b := call(t, "GET", v3, manager, "")
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
	if !s.Approve(key) || s.Live(key)["properties"].(map[string]any)["formStatus"] != "APPROVED" {
		t.Error("Approve did not set APPROVED")
	}
	if s.Approve("com.example.nope") {
		t.Error("Approve of an unknown app")
	}
}

func TestAppSoftware(t *testing.T) {
	s, id := start(t)
	s.AddApp(fakemarket.App{Key: "com.example.multi", Hostings: []string{"server", "cloud", "datacenter"}})
	_, _, body := call(t, "GET", s.V3URL()+"/rest/3/app-software/app-key/"+key, manager, "")
	var list []map[string]any
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 || list[0]["hosting"] != "cloud" || list[0]["appSoftwareId"] != id {
		t.Errorf("app-software: %s", body)
	}
	_, _, body = call(t, "GET", s.V3URL()+"/rest/3/app-software/app-key/com.example.multi", manager, "")
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 3 || list[0]["appSoftwareId"] == list[1]["appSoftwareId"] {
		t.Errorf("three hostings with distinct ids: %s", body)
	}
	s.WrapAppSoftware(true)
	_, _, body = call(t, "GET", s.V3URL()+"/rest/3/app-software/app-key/"+key, manager, "")
	if !strings.HasPrefix(body, `{"items":[`) {
		t.Errorf("wrapped: %s", body)
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
