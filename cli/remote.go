package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
	"github.com/pstab/pstab/ui/termsafe"
)

// What the Marketplace commands share: which app on the Marketplace a draft goes to (its
// v3 product id, found from the vendor id and remembered), and how they report what the
// Marketplace says about it.

// remoteApp is the app as the Marketplace commands see it: the vendor id and the product
// id they use, checked, and where each came from.
type remoteApp struct {
	vendorID     string
	productID    string
	productGiven bool
}

// remoteIDs reads --vendor-id (else PSTAB_VENDOR_ID, else the one the store remembers)
// and --product-id (else the one the store remembers for the app), refusing ids of the
// wrong form, and remembers what was given. For v3, one of them must be known.
func (a *App) remoteIDs(ctx context.Context, s *store.Store, f apiFlags, app store.App) (remoteApp, error) {
	var r remoteApp
	given := firstNonEmpty(strings.TrimSpace(f.vendorID), strings.TrimSpace(a.env("PSTAB_VENDOR_ID")))
	if given != "" {
		if err := marketplace.CheckVendorID(given); err != nil {
			return r, usageErr("--vendor-id: %v", err)
		}
		if old, err := s.Setting(ctx, store.SettingVendorID); err != nil || old != given {
			if err := s.SetSetting(ctx, store.SettingVendorID, given); err != nil {
				return r, storeErr(err)
			}
		}
		r.vendorID = given
	} else if v, err := s.Setting(ctx, store.SettingVendorID); err == nil {
		r.vendorID = v
	} else if !errors.Is(err, store.ErrNotFound) {
		return r, storeErr(err)
	}
	r.productID = app.ProductID
	if p := strings.TrimSpace(f.productID); p != "" {
		if err := marketplace.CheckProductID(p); err != nil {
			return r, usageErr("--product-id: %v", err)
		}
		if p != app.ProductID {
			if err := s.SetProductID(ctx, app.Key, p); err != nil {
				return r, storeErr(err)
			}
		}
		r.productID, r.productGiven = p, true
	}
	if f.api == "v3" && r.productID == "" && r.vendorID == "" {
		return r, usageErr("%s has no v3 product id yet: give --vendor-id with your Marketplace vendor id (a number; pstab then finds the id of the app's listing and remembers both), or --product-id with the id itself", app.Key)
	}
	return r, nil
}

// authFor says whether reading a version takes credentials: always for v3
// without a product id (finding it does), else only when configured.
func (r remoteApp) authFor(api string, state marketplace.State) authMode {
	if state == marketplace.Draft || (api == "v3" && r.productID == "") {
		return authRequired
	}
	return authIfConfigured
}

// target prepares a submission target for an app; its notices go to standard error.
func (a *App) target(c *marketplace.Client, s *store.Store, cat *questionnaire.Catalogue, ref store.DraftRef, app store.App, api string, r remoteApp) *submit.Target {
	app.ProductID = r.productID
	return &submit.Target{Client: c, Store: s, Cat: cat, App: app, Ref: ref, API: api,
		VendorID: r.vendorID, ProductGiven: r.productGiven,
		Notify: func(msg string) { fmt.Fprintln(a.Err, "pstab: note: "+termsafe.Filter(msg)) }}
}

// describeRemote writes what the Marketplace says about a version: its form status with
// what it means (unless the caller said it already), who saved it and when, the review
// tickets, and what to do next.
func describeRemote(b *strings.Builder, key string, p marketplace.Properties, withStatus bool) {
	shown := p
	if !withStatus {
		shown.FormStatus = ""
	}
	for _, line := range submit.Describe(shown) {
		fmt.Fprintf(b, "  %s\n", line)
	}
	if next := submit.NextStep(key, p); next != "" {
		fmt.Fprintf(b, "%s\n", next)
	}
}

// propertiesJSON is what --json prints about a version's properties.
type propertiesJSON struct {
	FormStatus string     `json:"formStatus"`
	Meaning    string     `json:"meaning,omitempty"`
	UpdatedBy  string     `json:"updatedBy,omitempty"`
	UpdatedAt  *time.Time `json:"updatedAt,omitempty"`
	JiraLinks  []string   `json:"jiraLinks,omitempty"`
	NextStep   string     `json:"nextStep,omitempty"`
}

func propsJSON(key string, p marketplace.Properties) propertiesJSON {
	out := propertiesJSON{FormStatus: p.FormStatus, UpdatedBy: p.UpdatedBy, JiraLinks: p.JiraLinks,
		Meaning: strings.Trim(submit.FormStatusMeaning(p.FormStatus), " ()"), NextStep: submit.NextStep(key, p)}
	if !p.UpdatedAt.IsZero() {
		t := p.UpdatedAt.UTC()
		out.UpdatedAt = &t
	}
	return out
}

// refusedErr explains a request the Marketplace refused with a 400: every error it
// listed, each at the question that asks the field, and what to do.
func (a *App) refusedErr(cat *questionnaire.Catalogue, key string, err error) error {
	rs := submit.Refusals(cat, err)
	if len(rs) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the Marketplace refused the draft of %s with %d %s:", key, len(rs), questionnaire.PluralWord(len(rs), "error", "errors"))
	for _, r := range rs {
		b.WriteString("\n  " + r.Sentence())
	}
	b.WriteString("\nChange those answers (pstab set " + key + " QUESTION VALUE, or in the wizard) and push again; your draft is unchanged")
	return &ExitError{Code: ExitProblems, Err: errors.New(termsafe.Filter(b.String()))}
}

// hiddenNote says which answers a draft or file holds that its other answers hide: they
// are kept, and not sent.
func hiddenNote(cat *questionnaire.Catalogue, a questionnaire.Answers) string {
	hidden := cat.HiddenAnswers(a)
	if len(hidden) == 0 {
		return ""
	}
	ids := make([]string, len(hidden))
	for i, q := range hidden {
		ids[i] = q.ID
	}
	return fmt.Sprintf("%d %s hidden by other answers, so kept but not sent: %s.",
		len(ids), questionnaire.PluralWord(len(ids), "answer is", "answers are"), strings.Join(ids, ", "))
}

// unsentNote names the keys beside the seven answer groups that a payload holds: kept,
// and never sent.
func unsentNote(a questionnaire.Answers) string {
	keys := questionnaire.UnsentKeys(a)
	if len(keys) == 0 {
		return ""
	}
	return fmt.Sprintf("%s %s not part of a Privacy & Security form, so kept but not sent.",
		strings.Join(keys, ", "), questionnaire.PluralWord(len(keys), "is", "are"))
}
