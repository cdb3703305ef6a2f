package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// A reviewed bundle coming back: pstab import KEY FILE brings its conversation into the
// draft. The partner's answers are the partner's: they are kept unless the partner asks
// for the bundle's (--replace-answers), or the draft has none yet.

// importReview brings the review of a reviewed bundle into an existing draft without
// touching its answers. It reports done when it did so, and the import is over; when the
// answers are to be replaced too (or the app does not exist yet), it does nothing and the
// ordinary import runs, followed by mergeImportedReview.
func (a *App) importReview(ctx context.Context, s *store.Store, cat *questionnaire.Catalogue, key, file string, doc *document, replace bool) (done bool, err error) {
	if doc.bundle == nil || doc.bundle.Review.IsEmpty() {
		return false, nil
	}
	if k := doc.bundle.AppKey; k != "" && k != key {
		return false, nil // --as-other-app: the answers go in, the review stays out
	}
	if _, err := s.App(ctx, key); errors.Is(err, store.ErrNotFound) && key != store.PartnerKey {
		return false, nil
	}
	ref := store.DraftRef{Subject: key, Questionnaire: cat.ID}
	d, err := s.Load(ctx, ref)
	if err != nil {
		return false, storeErr(err)
	}
	if replace || len(d.Answers.Values) == 0 {
		return false, nil
	}
	if err := a.mergeImportedReview(ctx, s, ref, cat, file, doc); err != nil {
		return false, err
	}
	changes := cat.Diff(d.Answers, doc.answers)
	if len(changes) > 0 {
		ids := make([]string, 0, 3)
		for _, ch := range changes[:min(3, len(changes))] {
			ids = append(ids, ch.Question.ID)
		}
		more := ""
		if len(changes) > 3 {
			more = ", …"
		}
		fmt.Fprintf(a.Err, "Your answers were kept; the bundle's differ in %s (%s%s). See pstab diff %s %s; add --replace-answers to take the bundle's.\n",
			questionnaire.Plural(len(changes), "question"), strings.Join(ids, ", "), more, key, file)
	} else {
		fmt.Fprintln(a.Err, "Your answers were kept; they are the same as the bundle's.")
	}
	return true, nil
}

// mergeImportedReview brings a bundle's conversation into the draft and says what came.
func (a *App) mergeImportedReview(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, file string, doc *document) error {
	if doc.bundle == nil || doc.bundle.Review.IsEmpty() {
		return nil
	}
	if k := doc.bundle.AppKey; k != "" && k != ref.Subject {
		fmt.Fprintf(a.Err, "The review in %s was left out: its comments and decision are about the answers of %s.\n", file, questionnaire.OneLine(k))
		return nil
	}
	added, decided, err := s.MergeReview(ctx, ref, doc.bundle.Review, "from "+file)
	if err != nil {
		return storeErr(err)
	}
	r, err := s.Review(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	d, err := s.Load(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	what := "nothing new"
	switch {
	case added > 0 && decided:
		what = questionnaire.Plural(added, "new comment") + " and a decision"
	case added > 0:
		what = questionnaire.Plural(added, "new comment")
	case decided:
		what = "a decision"
	}
	open := r.OpenThreads()
	fmt.Fprintf(a.Err, "Brought %s from %s into %s; %s open (see pstab comments %s).\n%s\n", what, file, ref.Subject,
		openPhrase(open, "thread"), ref.Subject,
		cat.DecisionSummary(r, d.Answers, time.Now()))
	return nil
}
