package submit_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
)

const (
	email = "partner@example.com"
	token = "tok-submit-test"
	key   = "com.example.submit"
)

type env struct {
	fake    *fakemarket.Server
	store   *store.Store
	cat     *questionnaire.Catalogue
	target  *submit.Target
	notices []string
}

func setup(t *testing.T, api string, live map[string]any) *env {
	t.Helper()
	cats, err := embedded.Catalogues()
	cat := cats.PrivacySecurity
	if err != nil {
		t.Fatal(err)
	}
	fake := fakemarket.New()
	t.Cleanup(fake.Close)
	fake.AddAccount(fakemarket.Account{Email: email, Token: token})
	fake.AddApp(fakemarket.App{Key: key, Live: live})
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pstab.db"), store.Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: cat}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.CreateApp(context.Background(), store.App{Key: key, Name: "Submit", Hosting: "cloud"}); err != nil {
		t.Fatal(err)
	}
	c, err := marketplace.New(marketplace.Config{V2URL: fake.URL(), V3URL: fake.V3URL(),
		Credentials: marketplace.Credentials{Email: email, Token: marketplace.NewToken(token)}})
	if err != nil {
		t.Fatal(err)
	}
	app, _ := s.App(context.Background(), key)
	ref := store.DraftRef{Subject: key, Questionnaire: cat.ID}
	e := &env{fake: fake, store: s, cat: cat}
	e.target = &submit.Target{Client: c, Store: s, Cat: cat, App: app, Ref: ref, API: api,
		VendorID: fakemarket.DefaultVendor, Notify: func(msg string) { e.notices = append(e.notices, msg) }}
	return e
}

func readyAnswers() questionnaire.Answers {
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(false))
	a.Set("processes-eud", questionnaire.Bool(false))
	a.Set("security-contact", questionnaire.Text("security@example.com"))
	a.Set("security-policy", questionnaire.Text("https://example.com/security"))
	a.Set("requires-pats", questionnaire.Bool(false))
	a.Set("gdpr-processor", questionnaire.Text("true"))
	a.Set("dpa", questionnaire.Text("true"))
	a.Set("dpa-link", questionnaire.Text("https://example.com/dpa"))
	a.Set("ccpa-business", questionnaire.Text(questionnaire.NotApplicable))
	a.Set("privacy-policy", questionnaire.Text("https://example.com/privacy")) // a listing fact: not sent
	return a
}

func TestPrepareRefusesBlockingDraftsWithoutCallingTheMarketplace(t *testing.T) {
	e := setup(t, "v2", nil)
	a := readyAnswers()
	a.Set("security-policy", questionnaire.Text("http://example.com/security"))
	plan, err := e.target.Prepare(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Blocking) == 0 || plan.Blocking[0].Question.ID != "security-policy" {
		t.Fatalf("blocking = %+v", plan.Blocking)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Fatalf("a blocked draft made %d requests", n)
	}
}

func TestPrepareComparesWithLive(t *testing.T) {
	e := setup(t, "v2", map[string]any{"security": map[string]any{"securityContact": "old@example.com"}})
	plan, err := e.target.Prepare(context.Background(), readyAnswers())
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Live.Found {
		t.Fatal("the live version was not found")
	}
	var changed []string
	for _, ch := range plan.Changes {
		changed = append(changed, ch.Question.ID)
	}
	if !strings.Contains(strings.Join(changed, " "), "security-contact") {
		t.Fatalf("changes = %v", changed)
	}
	for _, id := range changed {
		if id == "privacy-policy" {
			t.Error("a listing fact is listed as a change to send")
		}
	}
	if len(plan.LocalOnly) != 0 {
		t.Fatalf("local-only = %v; every question but the listing facts is sent", plan.LocalOnly)
	}
}

func TestSendPutsReadsBackAndRecords(t *testing.T) {
	for _, api := range []string{"v2", "v3"} {
		t.Run(api, func(t *testing.T) {
			e := setup(t, api, nil)
			ctx := context.Background()
			plan, err := e.target.Prepare(ctx, readyAnswers())
			if err != nil {
				t.Fatal(err)
			}
			if err := e.target.Send(ctx, plan); err != nil {
				t.Fatal(err)
			}
			draft, ok := e.fake.Draft(key)
			if !ok || draft["security"].(map[string]any)["securityContact"] != "security@example.com" {
				t.Fatalf("the Marketplace's draft = %v", draft)
			}
			d, _ := e.store.Load(ctx, e.target.Ref)
			if d.Status != store.StatusSubmitted {
				t.Fatalf("status = %q", d.Status)
			}
			events, _ := e.store.History(ctx, e.target.Ref)
			if len(events) == 0 || events[len(events)-1].Kind != store.EventSubmit {
				t.Fatalf("events = %+v", events)
			}
			if api == "v3" {
				app, _ := e.store.App(ctx, key)
				if app.ProductID == "" || app.ProductID == e.fake.AppSoftwareID(key, "cloud") {
					t.Fatalf("the product id remembered is %q", app.ProductID)
				}
			}
			// The server stores tri-states as "TRUE" strings and stamps updatedAt; the
			// read-back compares by meaning, so the send is reported as landed.
			if tri := draft["privacy"].(map[string]any)["gdpr"].(map[string]any)["dataProcessor"].(map[string]any)["isAppDataProcessor"]; tri != "TRUE" {
				t.Errorf("the fake stored %v; the test means a server that normalises", tri)
			}
		})
	}
}

func TestSendNoticesADraftThatDidNotLand(t *testing.T) {
	e := setup(t, "v2", nil)
	ctx := context.Background()
	plan, err := e.target.Prepare(ctx, readyAnswers())
	if err != nil {
		t.Fatal(err)
	}
	// The server says 204 but keeps nothing: the read-back must catch it.
	e.fake.Inject(fakemarket.Fault{Method: "PUT", Status: 204})
	err = e.target.Send(ctx, plan)
	var me *submit.MismatchError
	if !errors.As(err, &me) || len(me.Fields) == 0 && !me.Missing {
		t.Fatalf("err = %v, want a MismatchError", err)
	}
	d, _ := e.store.Load(ctx, e.target.Ref)
	if d.Status == store.StatusSubmitted {
		t.Fatal("a draft that did not land was marked submitted")
	}
}

func TestPublishReportsFormStatus(t *testing.T) {
	e := setup(t, "v3", nil)
	ctx := context.Background()
	plan, err := e.target.Prepare(ctx, readyAnswers())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.target.Send(ctx, plan); err != nil {
		t.Fatal(err)
	}
	props, err := e.target.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if props.FormStatus != "SUBMITTED" || props.UpdatedBy != email || props.UpdatedAt.IsZero() {
		t.Fatalf("properties = %+v", props)
	}
	d, _ := e.store.Load(ctx, e.target.Ref)
	if d.FormStatus != "SUBMITTED" || d.Status != store.StatusSubmitted {
		t.Fatalf("status %q, formStatus %q", d.Status, d.FormStatus)
	}
}

func TestFetchRefusesHostileServerText(t *testing.T) {
	e := setup(t, "v2", map[string]any{"security": map[string]any{"securityContact": "a\x1b]52;c;ZXZpbA==\x07@example.com"}})
	_, err := e.target.Fetch(context.Background(), marketplace.Live)
	if err == nil || !strings.Contains(err.Error(), "security.securityContact") {
		t.Fatalf("err = %v, want a refusal naming the field", err)
	}
}

func TestPrepareTreatsAMissingLiveVersionAsNothingLive(t *testing.T) {
	e := setup(t, "v2", nil)
	e.fake.Inject(fakemarket.Fault{Method: "GET", Status: 404, Body: `{"message":"not found"}`})
	plan, err := e.target.Prepare(context.Background(), readyAnswers())
	if err != nil {
		t.Fatalf("a 404 for the live version stopped the push: %v", err)
	}
	if plan.Live.Found || len(plan.Changes) == 0 {
		t.Fatalf("live found %v, %d changes; want nothing live and every answer new", plan.Live.Found, len(plan.Changes))
	}
}

// A v3 push finds the product id from the vendor id, and without one says what to give.
func TestProductIDFromTheVendor(t *testing.T) {
	e := setup(t, "v3", nil)
	e.target.VendorID = ""
	_, err := e.target.Prepare(context.Background(), readyAnswers())
	if !errors.Is(err, submit.ErrNeedProductID) || !strings.Contains(err.Error(), "--vendor-id") || !strings.Contains(err.Error(), "--product-id") {
		t.Fatalf("without a vendor id: %v", err)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests without a product id", n)
	}
	e.target.VendorID = fakemarket.DefaultVendor
	if _, err := e.target.Prepare(context.Background(), readyAnswers()); err != nil {
		t.Fatal(err)
	}
	if app, _ := e.store.App(context.Background(), key); app.ProductID == "" {
		t.Error("the found product id is not remembered")
	}
}

// A remembered product id that the Marketplace no longer knows (the app was re-listed)
// is looked up once more, and the partner is told.
func TestRememberedProductIDIsFoundAgainAfterA404(t *testing.T) {
	e := setup(t, "v3", nil)
	ctx := context.Background()
	if _, err := e.target.Product(ctx); err != nil {
		t.Fatal(err)
	}
	app, _ := e.store.App(ctx, key)
	old := app.ProductID
	fresh := e.fake.Relist(key)
	// A new run: the id comes from the store.
	e.target = &submit.Target{Client: e.target.Client, Store: e.store, Cat: e.cat, App: app, Ref: e.target.Ref, API: "v3",
		VendorID: fakemarket.DefaultVendor, Notify: func(msg string) { e.notices = append(e.notices, msg) }}
	plan, err := e.target.Prepare(ctx, readyAnswers())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.target.Send(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if app, _ := e.store.App(ctx, key); app.ProductID != fresh {
		t.Errorf("remembered %s, want the new id %s", app.ProductID, fresh)
	}
	if len(e.notices) != 1 || !strings.Contains(e.notices[0], old) || !strings.Contains(e.notices[0], fresh) || !strings.Contains(e.notices[0], "404") {
		t.Errorf("notices %q, want one naming the old and the new id", e.notices)
	}
	// Given with --product-id, a wrong id is an error, not a reason to look further.
	e.target.App.ProductID, e.target.ProductGiven = old, true
	if _, err := e.target.Fetch(ctx, marketplace.Live); !errors.Is(err, marketplace.ErrNotFound) {
		t.Errorf("a given id the Marketplace does not know: %v", err)
	}
}

// A refused PUT lists every error, each at its question.
func TestRefusalsNameEveryQuestion(t *testing.T) {
	e := setup(t, "v2", nil)
	ctx := context.Background()
	plan, err := e.target.Prepare(ctx, readyAnswers())
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Inject(fakemarket.Respond(400, `{"errors":[
		{"code":"INVALID_EMAIL_FORMAT","path":"/security/securityContact","message":"Invalid email format for securityContact"},
		{"code":"INVALID_URL_FORMAT","path":"/privacy/dataProcessingAgreement/link","message":"Invalid URL format for link"},
		{"code":"INVALID_ARRAY_VALUE","path":"/security/compliantCertifications[1]","message":"Invalid certification"},
		{"code":"FIELD_REQUIRED","message":"Something else is missing"}]}`))
	err = e.target.Send(ctx, plan)
	rs := submit.Refusals(e.cat, err)
	if len(rs) != 4 {
		t.Fatalf("%d refusals from %v", len(rs), err)
	}
	for i, want := range []string{"security-contact", "dpa-link", "certifications", ""} {
		got := ""
		if rs[i].Question != nil {
			got = rs[i].Question.ID
		}
		if got != want {
			t.Errorf("refusal %d points at %q, want %q", i, got, want)
		}
	}
	if rs[2].Item != 1 || !strings.Contains(rs[0].Sentence(), "Which email address") || !strings.Contains(rs[0].Sentence(), "INVALID_EMAIL_FORMAT") {
		t.Errorf("refusals %+v; %q", rs, rs[0].Sentence())
	}
	if d, _ := e.store.Load(ctx, e.target.Ref); d.Status == store.StatusSubmitted {
		t.Error("a refused draft was marked submitted")
	}
}

// The listing's facts reach the rows the tab shows from it.
func TestListingFacts(t *testing.T) {
	e := setup(t, "v2", nil)
	e.fake.AddApp(fakemarket.App{Key: "com.example.listed", PrivacyURL: "https://example.com/legal/privacy", BugBounty: true})
	if err := e.store.CreateApp(context.Background(), store.App{Key: "com.example.listed", Name: "Listed"}); err != nil {
		t.Fatal(err)
	}
	e.target.App = store.App{Key: "com.example.listed"}
	l, err := e.target.Listing(context.Background())
	if err != nil || l == nil {
		t.Fatalf("listing: %v", err)
	}
	a := questionnaire.NewAnswers()
	set := submit.ApplyListing(e.cat, &a, l)
	if len(set) != 2 {
		t.Fatalf("set %v", set)
	}
	if v, _ := a.Get("privacy-policy"); v.Text != "https://example.com/legal/privacy" {
		t.Errorf("privacy policy %q", v.Text)
	}
	if v, _ := a.Get("bug-bounty"); v.Bool == nil || !*v.Bool {
		t.Errorf("bug bounty %+v", v)
	}
}

// Every form status has a meaning, and a rejection says what to do, with the ticket.
func TestFormStatuses(t *testing.T) {
	for _, fs := range []string{"SUBMITTED", "REJECTED", "APPROVED", "SAVED"} {
		if submit.FormStatusMeaning(fs) == "" {
			t.Errorf("%s has no meaning", fs)
		}
	}
	next := submit.NextStep(key, marketplace.Properties{FormStatus: "REJECTED", JiraLinks: []string{"https://ecosystem.atlassian.net/browse/AMKTHELP-9"}})
	if !strings.Contains(next, "AMKTHELP-9") || !strings.Contains(next, "pstab push "+key) {
		t.Errorf("after a rejection: %q", next)
	}
	for fs, want := range map[string]string{"APPROVED": store.StatusPublished, "SUBMITTED": store.StatusSubmitted,
		"SAVED": store.StatusSubmitted, "REJECTED": store.StatusDraft} {
		if got := submit.StatusFor(store.StatusSubmitted, fs); got != want {
			t.Errorf("StatusFor(%s) = %s, want %s", fs, got, want)
		}
	}
}
