// Package submit holds the steps of sending a draft to the Marketplace, shared by
// `pstab push` and the wizard: check it, compare it with the live listing, send it, read it
// back, record it, and publish it.
package submit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Recorder is what a submission writes to the drafts store.
type Recorder interface {
	Record(ctx context.Context, ref store.DraftRef, kind, detail string) error
	SetStatus(ctx context.Context, ref store.DraftRef, status, formStatus string) error
	SetProductID(ctx context.Context, key, productID string) error
}

// Target is one app's draft and the Marketplace it goes to.
type Target struct {
	Client *marketplace.Client
	Store  Recorder
	Cat    *questionnaire.Catalogue
	App    store.App
	Ref    store.DraftRef
	API    string // "v2" (by app key) or "v3" (by product id)
}

// Remote is a version read from the Marketplace.
type Remote struct {
	Answers    questionnaire.Answers
	FormStatus string
	Found      bool // false when nothing exists there yet
}

// Fetch reads the live or draft version and decodes it. Text with control characters is
// refused, naming the field: an API response is untrusted text like any other.
func (t *Target) Fetch(ctx context.Context, state marketplace.State) (Remote, error) {
	var doc *marketplace.Document
	var err error
	if t.API == "v3" {
		var p marketplace.Product
		if p, err = t.Product(ctx); err != nil {
			return Remote{}, err
		}
		doc, err = t.Client.GetV3(ctx, p, state)
	} else {
		doc, err = t.Client.GetV2(ctx, t.App.Key, state)
	}
	if errors.Is(err, marketplace.ErrNoDraft) {
		return Remote{}, nil
	}
	if err != nil {
		return Remote{}, err
	}
	raw, err := json.Marshal(doc.TrustInfo)
	if err != nil {
		return Remote{}, err
	}
	answers, _, err := t.Cat.DecodePayload(raw)
	if err != nil {
		return Remote{}, fmt.Errorf("the Marketplace's %s version of %s cannot be read: %w", state, t.App.Key, err)
	}
	if ps := questionnaire.UnsafeText(t.Cat, answers); len(ps) > 0 {
		return Remote{}, fmt.Errorf("the Marketplace's %s version of %s was refused: %s: %s", state, t.App.Key, ps[0].Path, questionnaire.LowerFirst(ps[0].Message))
	}
	return Remote{Answers: answers, FormStatus: doc.FormStatus(), Found: true}, nil
}

// Product returns the app's v3 product, resolving and remembering its id on first use.
func (t *Target) Product(ctx context.Context) (marketplace.Product, error) {
	if t.App.ProductID != "" {
		return marketplace.Product{AppKey: t.App.Key, ID: t.App.ProductID}, nil
	}
	p, err := t.Client.ResolveProduct(ctx, t.App.Key)
	if err != nil {
		return p, err
	}
	if err := t.Store.SetProductID(ctx, t.App.Key, p.ID); err != nil {
		return p, err
	}
	t.App.ProductID = p.ID
	return p, nil
}

// Plan is what a submission would send and what it changes.
type Plan struct {
	Info      map[string]any          // the TrustInfo object to send
	Live      Remote                  // the live version
	Changes   []questionnaire.Change  // from live to the draft
	Blocking  []questionnaire.Problem // problems that stop the submission
	LocalOnly []*questionnaire.Question
}

// Blockers returns the problems that stop a draft from being sent: text that is not
// safe, wrong values, and blocking readiness findings.
func Blockers(cat *questionnaire.Catalogue, answers questionnaire.Answers) []questionnaire.Problem {
	var out []questionnaire.Problem
	for _, p := range append(questionnaire.UnsafeText(cat, answers), cat.Readiness(answers)...) {
		if p.Severity == questionnaire.Blocking {
			out = append(out, p)
		}
	}
	return out
}

// Prepare checks the draft and compares it with the live version. A draft with blocking
// problems gets a plan with Blocking set and nothing fetched.
func (t *Target) Prepare(ctx context.Context, answers questionnaire.Answers) (Plan, error) {
	var plan Plan
	if plan.Blocking = Blockers(t.Cat, answers); len(plan.Blocking) > 0 {
		return plan, nil
	}
	info, err := t.Cat.TrustInfo(answers)
	if err != nil {
		return plan, err
	}
	plan.Info = info
	// A 404 for the live version means nothing is live yet (on v3 certainly; on v2 it may
	// also mean an unknown app, which the PUT then says in its own words).
	if plan.Live, err = t.Fetch(ctx, marketplace.Live); err != nil && !errors.Is(err, marketplace.ErrNotFound) {
		return plan, err
	}
	plan.Changes = visibleChanges(t.Cat.Diff(plan.Live.Answers, answers))
	vis := t.Cat.Visible(answers)
	for _, q := range vis.Questions() {
		if _, ok := answers.Get(q.ID); ok && q.Local() {
			plan.LocalOnly = append(plan.LocalOnly, q)
		}
	}
	return plan, nil
}

func visibleChanges(chs []questionnaire.Change) []questionnaire.Change {
	out := chs[:0:0]
	for _, ch := range chs {
		if !ch.Hidden {
			out = append(out, ch)
		}
	}
	return out
}

// MismatchError says the Marketplace accepted a draft but its copy differs from what was
// sent, in Fields, or (Missing) that it has no draft at all when asked right after.
type MismatchError struct {
	Key     string
	Fields  []string
	Missing bool
}

func (e *MismatchError) Error() string {
	if e.Missing {
		return fmt.Sprintf("the Marketplace said it accepted the draft of %s, but has no draft when asked right after; run pstab status %s, and send it again",
			e.Key, e.Key)
	}
	return fmt.Sprintf("the Marketplace accepted the draft of %s, but its copy differs in %s; compare with pstab diff %s --remote draft",
		e.Key, strings.Join(e.Fields, ", "), e.Key)
}

// Send puts the draft, reads it back to make sure it landed, and records the submission.
func (t *Target) Send(ctx context.Context, plan Plan) error {
	var err error
	var product marketplace.Product
	if t.API == "v3" {
		if product, err = t.Product(ctx); err != nil {
			return err
		}
		err = t.Client.PutDraftV3(ctx, product, plan.Info)
	} else {
		err = t.Client.PutDraftV2(ctx, t.App.Key, plan.Info)
	}
	if err != nil {
		return err
	}
	var back *marketplace.Document
	if t.API == "v3" {
		back, err = t.Client.GetV3(ctx, product, marketplace.Draft)
	} else {
		back, err = t.Client.GetV2(ctx, t.App.Key, marketplace.Draft)
	}
	if errors.Is(err, marketplace.ErrNoDraft) {
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; no draft when read back", t.api()))
		return &MismatchError{Key: t.App.Key, Missing: true}
	}
	if err != nil {
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; reading it back failed", t.api()))
		return fmt.Errorf("the Marketplace accepted the draft of %s, but reading it back failed (%w); run pstab status %s to check it", t.App.Key, err, t.App.Key)
	}
	if miss := marketplace.Mismatches(plan.Info, back.TrustInfo); len(miss) > 0 {
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; read back differs in %s", t.api(), strings.Join(miss, ", ")))
		return &MismatchError{Key: t.App.Key, Fields: miss}
	}
	detail := fmt.Sprintf("sent via %s; %d %s changed from live", t.api(), len(plan.Changes), questionnaire.PluralWord(len(plan.Changes), "answer", "answers"))
	if err := t.Store.Record(ctx, t.Ref, store.EventSubmit, detail); err != nil {
		return err
	}
	return t.Store.SetStatus(ctx, t.Ref, store.StatusSubmitted, "")
}

// Publish publishes the draft (v3), reads the live version's formStatus, and records it.
// The formStatus is "" when the Marketplace does not report one.
func (t *Target) Publish(ctx context.Context) (string, error) {
	product, err := t.Product(ctx)
	if err != nil {
		return "", err
	}
	if err := t.Client.PublishV3(ctx, product); err != nil {
		return "", err
	}
	fs := ""
	if doc, err := t.Client.GetV3(ctx, product, marketplace.Live); err == nil {
		fs = doc.FormStatus()
	}
	shown := fs
	if shown == "" {
		shown = "not reported"
	}
	_ = t.Store.Record(ctx, t.Ref, store.EventPublish, "published; formStatus "+shown)
	_ = t.Store.SetStatus(ctx, t.Ref, StatusFor(store.StatusSubmitted, fs), fs)
	return fs, nil
}

func (t *Target) api() string {
	if t.API == "v3" {
		return "v3"
	}
	return "v2"
}

// StatusFor keeps the local status in step with the Marketplace's formStatus.
func StatusFor(local, formStatus string) string {
	switch strings.ToUpper(formStatus) {
	case "APPROVED":
		return store.StatusPublished
	case "SUBMITTED":
		return store.StatusSubmitted
	}
	if local == "" {
		return store.StatusDraft
	}
	return local
}

// FormStatusMeaning explains a formStatus in a few words, with a leading space, or "".
func FormStatusMeaning(fs string) string {
	switch strings.ToUpper(fs) {
	case "SUBMITTED":
		return " (waiting for Atlassian's review)"
	case "APPROVED":
		return " (Atlassian approved these answers)"
	}
	return ""
}
