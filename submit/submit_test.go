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
	fake   *fakemarket.Server
	store  *store.Store
	cat    *questionnaire.Catalogue
	target *submit.Target
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
	return &env{fake: fake, store: s, cat: cat, target: &submit.Target{Client: c, Store: s, Cat: cat, App: app, Ref: ref, API: api}}
}

func readyAnswers() questionnaire.Answers {
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(false))
	a.Set("processes-eud", questionnaire.Bool(false))
	a.Set("security-contact", questionnaire.Text("security@example.com"))
	a.Set("security-policy", questionnaire.Text("https://example.com/security"))
	a.Set("requires-pats", questionnaire.Bool(false))
	a.Set("caiq-lite", questionnaire.Bool(false)) // not carried by the API
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
	if len(plan.LocalOnly) != 1 || plan.LocalOnly[0].ID != "caiq-lite" {
		t.Fatalf("local-only = %v", plan.LocalOnly)
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
				if app.ProductID == "" {
					t.Fatal("the resolved product id was not remembered")
				}
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
	fs, err := e.target.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fs != "SUBMITTED" {
		t.Fatalf("formStatus = %q", fs)
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
