package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// reviewBeforePush warns, before a push, about a review that is not settled: open threads,
// changes requested, an approval given for other answers. A draft nobody reviewed gets no
// warning, since most drafts are never reviewed. With requireApproval, an unsettled review
// or no approval of these very answers refuses the push instead.
func (a *App) reviewBeforePush(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, answers questionnaire.Answers, requireApproval bool) error {
	r, err := s.Review(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	st := cat.ReviewState(r, answers)
	var issues []string
	if st.OpenThreads > 0 {
		issues = append(issues, fmt.Sprintf("%s still open (pstab comments %s --open)",
			openPhrase(st.OpenThreads, "review thread"), ref.Subject))
	}
	if d := r.Decision; d != nil {
		switch {
		case st.ChangesRequested:
			issues = append(issues, fmt.Sprintf("%s asked for changes and has not approved since", questionnaire.OneLine(d.Reviewer)))
		case st.Stale:
			issues = append(issues, fmt.Sprintf("%s approved other answers: some changed since the approval", questionnaire.OneLine(d.Reviewer)))
		}
	}
	if requireApproval {
		if r.Decision == nil {
			issues = append(issues, "no reviewer has approved it")
		}
		if len(issues) > 0 {
			return problemsErr("%s was not sent: --require-approval needs a reviewer's approval of these answers and no open review threads, and %s",
				ref.Subject, strings.Join(issues, "; "))
		}
		return nil
	}
	for _, is := range issues {
		fmt.Fprintf(a.Err, "pstab: warning: %s.\n", is)
	}
	return nil
}
