package cli

import "github.com/spf13/cobra"

// runAccessible runs the plain line-by-line prompter.
func (a *App) runAccessible(cmd *cobra.Command) error {
	return usageErr("the accessible prompter is not available in this build")
}
