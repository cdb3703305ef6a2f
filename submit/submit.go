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
	// VendorID is the partner's Marketplace vendor id, which finds the app's v3 product
	// id (and its listing) when the store does not know it; "" when not known.
	VendorID string
	// ProductGiven says App.ProductID was given for this run (--product-id): a 404 for
	// it is an error, not a reason to look it up again.
	ProductGiven bool
	// Notify receives one-sentence notices the partner should see, such as a product id
	// found again after a 404; nil drops them.
	Notify func(msg string)

	listing    *marketplace.Listing
	resolved   bool // the product id was found in this run, so a 404 for it is final
	reResolved bool // the one look-up after a 404 of a remembered id was made
}

// Remote is a version read from the Marketplace.
type Remote struct {
	Answers    questionnaire.Answers
	FormStatus string
	Properties marketplace.Properties
	Found      bool // false when nothing exists there yet
}

// ErrNeedProductID is the error of a v3 call for an app whose product id is not known and
// cannot be found: no vendor id is known either.
var ErrNeedProductID = errors.New("the v3 product id is not known")

// Fetch reads the live or draft version and decodes it. Text with control characters is
// refused, naming the field: an API response is untrusted text like any other.
func (t *Target) Fetch(ctx context.Context, state marketplace.State) (Remote, error) {
	var doc *marketplace.Document
	var err error
	if t.API == "v3" {
		err = t.withProduct(ctx, func(p marketplace.Product) (err error) {
			doc, err = t.Client.GetV3(ctx, p, state)
			return err
		})
	} else {
		doc, err = t.Client.GetV2(ctx, t.App.Key, state)
	}
	if errors.Is(err, marketplace.ErrNoDraft) {
		return Remote{}, nil
	}
	if err != nil {
		return Remote{}, err
	}
	if len(doc.Redacted) > 0 {
		t.notify(fmt.Sprintf("The Marketplace's %s version of %s held your API token or Basic credential (at %s); pstab replaced it with [REDACTED] before saving or showing anything. A server that echoes credentials is not behaving as Atlassian's does: check the API URL, and create a new token if you do not trust it.",
			state, t.App.Key, strings.Join(doc.Redacted, ", ")))
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
	props := doc.Properties()
	return Remote{Answers: answers, FormStatus: props.FormStatus, Properties: props, Found: true}, nil
}

// Product returns the app's v3 product: the id the store remembers or this run was given,
// or else the one its listing gives, found through the vendor's developer space and
// remembered from then on.
func (t *Target) Product(ctx context.Context) (marketplace.Product, error) {
	if t.App.ProductID != "" {
		return marketplace.Product{AppKey: t.App.Key, ID: t.App.ProductID}, nil
	}
	return t.resolve(ctx)
}

// resolve finds the product id through the vendor's listings and remembers it.
func (t *Target) resolve(ctx context.Context) (marketplace.Product, error) {
	if t.VendorID == "" {
		return marketplace.Product{}, fmt.Errorf("%w for %s: give --vendor-id with your Marketplace vendor id (a number; pstab then finds the product id and remembers both), or --product-id with the id itself",
			ErrNeedProductID, t.App.Key)
	}
	p, l, err := t.Client.ResolveProduct(ctx, t.VendorID, t.App.Key)
	if err != nil {
		return p, err
	}
	if err := t.Store.SetProductID(ctx, t.App.Key, p.ID); err != nil {
		return p, err
	}
	t.App.ProductID, t.resolved, t.ProductGiven = p.ID, true, false
	t.listing = &l
	return p, nil
}

// withProduct runs a v3 call with the app's product. When the store's remembered id gets
// a 404 and a vendor id is known, the id is looked up once more: an app that is re-listed
// gets a new one. If the look-up finds another id, the partner is told and the call runs
// again with it; if it finds the same, the 404 stands.
func (t *Target) withProduct(ctx context.Context, call func(marketplace.Product) error) error {
	p, err := t.Product(ctx)
	if err != nil {
		return err
	}
	err = call(p)
	if !errors.Is(err, marketplace.ErrNotFound) || t.resolved || t.ProductGiven || t.reResolved || t.VendorID == "" {
		return err
	}
	t.reResolved = true
	old := p.ID
	found, _, rerr := t.Client.ResolveProduct(ctx, t.VendorID, t.App.Key)
	if rerr != nil {
		return fmt.Errorf("%w; looking the product id up again through vendor %s failed too: %v", err, t.VendorID, rerr)
	}
	if found.ID == old {
		return err
	}
	if err := t.Store.SetProductID(ctx, t.App.Key, found.ID); err != nil {
		return err
	}
	t.App.ProductID = found.ID
	t.notify(fmt.Sprintf("The remembered product id %s of %s is unknown to the Marketplace (404), as after a re-listing; its listing now gives %s, which pstab uses and remembers from now on.",
		old, t.App.Key, found.ID))
	return call(found)
}

func (t *Target) notify(msg string) {
	if t.Notify != nil {
		t.Notify(msg)
	}
}

// Listing returns what the app's listing says (the privacy policy link, the Bug Bounty
// enrolment), when a vendor id lets pstab find the listing; nil otherwise.
func (t *Target) Listing(ctx context.Context) (*marketplace.Listing, error) {
	if t.listing != nil || t.VendorID == "" {
		return t.listing, nil
	}
	p, l, err := t.Client.ResolveProduct(ctx, t.VendorID, t.App.Key)
	if err != nil {
		return nil, err
	}
	if t.App.ProductID == "" {
		if err := t.Store.SetProductID(ctx, t.App.Key, p.ID); err != nil {
			return nil, err
		}
		t.App.ProductID, t.resolved = p.ID, true
	}
	t.listing = &l
	return t.listing, nil
}

// ApplyListing records in the answers what the listing says for the rows the tab shows
// from it, and returns the IDs of the questions it set. A fact the listing does not give
// is left as the answers have it.
func ApplyListing(cat *questionnaire.Catalogue, a *questionnaire.Answers, l *marketplace.Listing) []string {
	if l == nil {
		return nil
	}
	var set []string
	for _, q := range cat.Questions {
		switch {
		case q.Listing == questionnaire.ListingBugBounty && l.BugBounty != nil:
			a.Set(q.ID, questionnaire.Bool(*l.BugBounty))
		case q.Listing == questionnaire.ListingPrivacy && strings.TrimSpace(l.PrivacyURL) != "":
			a.Set(q.ID, questionnaire.CleanValue(q, questionnaire.Text(strings.TrimSpace(l.PrivacyURL))))
		default:
			continue
		}
		set = append(set, q.ID)
	}
	return set
}

// Plan is what a submission would send and what it changes.
type Plan struct {
	Info      map[string]any          // the TrustInfo object to send
	Live      Remote                  // the live version
	Changes   []questionnaire.Change  // from live to the draft, in what is sent
	Blocking  []questionnaire.Problem // problems that stop the submission
	LocalOnly []*questionnaire.Question
	// Hidden are the questions that hold an answer the draft's other answers hide: kept
	// in the draft, not sent.
	Hidden []*questionnaire.Question
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
	plan.Changes = sentChanges(t.Cat.Diff(plan.Live.Answers, answers))
	vis := t.Cat.Visible(answers)
	for _, q := range vis.Questions() {
		if _, ok := answers.Get(q.ID); ok && q.Local() && !q.FromListing() {
			plan.LocalOnly = append(plan.LocalOnly, q)
		}
	}
	plan.Hidden = t.Cat.HiddenAnswers(answers)
	return plan, nil
}

// sentChanges keeps the changes to what a PUT sends: not answers hidden by other answers,
// and not listing facts, which the form does not hold.
func sentChanges(chs []questionnaire.Change) []questionnaire.Change {
	out := chs[:0:0]
	for _, ch := range chs {
		if !ch.Hidden && !ch.Question.Local() {
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

// Send puts the draft, reads it back to make sure it landed (by meaning: a server may
// spell what it stores its own way, and stamps a new updatedAt), and records it.
func (t *Target) Send(ctx context.Context, plan Plan) error {
	var back *marketplace.Document
	var putErr, getErr error
	if t.API == "v3" {
		putErr = t.withProduct(ctx, func(p marketplace.Product) error {
			if err := t.Client.PutDraftV3(ctx, p, plan.Info); err != nil {
				return err
			}
			back, getErr = t.Client.GetV3(ctx, p, marketplace.Draft)
			return nil
		})
	} else if putErr = t.Client.PutDraftV2(ctx, t.App.Key, plan.Info); putErr == nil {
		back, getErr = t.Client.GetV2(ctx, t.App.Key, marketplace.Draft)
	}
	switch {
	case putErr != nil:
		return putErr
	case errors.Is(getErr, marketplace.ErrNoDraft):
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; no draft when read back", t.api()))
		return &MismatchError{Key: t.App.Key, Missing: true}
	case getErr != nil:
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; reading it back failed", t.api()))
		return fmt.Errorf("the Marketplace accepted the draft of %s, but reading it back failed (%w); run pstab status %s to check it", t.App.Key, getErr, t.App.Key)
	}
	if miss := marketplace.Mismatches(plan.Info, back.TrustInfo); len(miss) > 0 {
		_ = t.Store.Record(ctx, t.Ref, store.EventSubmit, fmt.Sprintf("sent via %s; read back differs in %s", t.api(), strings.Join(miss, ", ")))
		return &MismatchError{Key: t.App.Key, Fields: miss}
	}
	detail := fmt.Sprintf("sent via %s; %d %s changed from live", t.api(), len(plan.Changes), questionnaire.PluralWord(len(plan.Changes), "answer", "answers"))
	if props := back.Properties(); props.FormStatus != "" {
		detail += "; the Marketplace's draft is " + props.FormStatus
	}
	if err := t.Store.Record(ctx, t.Ref, store.EventSubmit, detail); err != nil {
		return err
	}
	return t.Store.SetStatus(ctx, t.Ref, store.StatusSubmitted, "")
}

// Publish publishes the draft (v3), reads the live version's properties, and records them.
// The form status is "" when the Marketplace does not report one.
func (t *Target) Publish(ctx context.Context) (marketplace.Properties, error) {
	var props marketplace.Properties
	err := t.withProduct(ctx, func(p marketplace.Product) error {
		if err := t.Client.PublishV3(ctx, p); err != nil {
			return err
		}
		if doc, err := t.Client.GetV3(ctx, p, marketplace.Live); err == nil {
			props = doc.Properties()
		}
		return nil
	})
	if err != nil {
		return props, err
	}
	_ = t.Store.Record(ctx, t.Ref, store.EventPublish, "published; "+DescribeForHistory(props))
	_ = t.Store.SetStatus(ctx, t.Ref, StatusFor(store.StatusSubmitted, props.FormStatus), props.FormStatus)
	return props, nil
}

func (t *Target) api() string {
	if t.API == "v3" {
		return "v3"
	}
	return "v2"
}
