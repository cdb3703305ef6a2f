package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
)

// The draft store, the Marketplace client and the TUI come in later steps.

func (a *App) draftCommands() []*cobra.Command       { return nil }
func (a *App) marketplaceCommands() []*cobra.Command { return nil }

func (a *App) runTUI(cmd *cobra.Command) error { return cmd.Help() }

func (a *App) draftDocument(c *questionnaire.Catalogue, key string) (*document, error) {
	return nil, usageErr("drafts are not available yet: give --file FILE (%v)", errors.ErrUnsupported)
}
