package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/store"
)

// completeKeys completes app keys (and @partner) from the drafts file, for the first n
// arguments; a second argument of set/unset completes question IDs.
func (a *App) completeKeys(n int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= n {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2e9)
		defer cancel()
		// Completing must never make the drafts file it completes from.
		s, err := a.openStoreList(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer s.Close()
		apps, err := s.Apps(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, ap := range apps {
			if strings.HasPrefix(ap.Key, toComplete) {
				out = append(out, cobra.CompletionWithDesc(ap.Key, ap.Name))
			}
		}
		if strings.HasPrefix(store.PartnerKey, toComplete) {
			out = append(out, cobra.CompletionWithDesc(store.PartnerKey, "your Security Self-Assessment"))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeKeyThenQuestion completes KEY, then the question IDs of its questionnaire.
func (a *App) completeKeyThenQuestion() cobra.CompletionFunc {
	keys := a.completeKeys(1)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return keys(cmd, args, toComplete)
		}
		if len(args) > 1 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		cats, err := a.catalogues()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		cat := cats.PrivacySecurity
		if args[0] == store.PartnerKey {
			cat = cats.SelfAssessment
		}
		var out []cobra.Completion
		for _, q := range cat.Questions {
			if strings.HasPrefix(q.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(q.ID, oneLine(q.Prompt, 60)))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
