package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"
)

// marketplaceCommands talk to the Marketplace REST API.
func (a *App) marketplaceCommands() []*cobra.Command { return nil }

// remoteDiff compares a draft with the Marketplace's version.
func (a *App) remoteDiff(cmd *cobra.Command, args []string, state string) error {
	return usageErr("comparing with the Marketplace is not available in this build")
}

// bundleQuestionnaire reads which questionnaire a bundle answers.
func bundleQuestionnaire(data []byte) string {
	var probe struct {
		Questionnaire string `json:"questionnaire"`
	}
	_ = json.Unmarshal(data, &probe)
	return probe.Questionnaire
}
