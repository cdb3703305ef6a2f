package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
)

func (a *App) loginCmd() *cobra.Command {
	var email string
	var withToken bool
	cmd := &cobra.Command{
		Use:   "login [--email EMAIL] [--with-token]",
		Short: "Keep your Atlassian email and API token in the OS keyring",
		Long: `Keep the Atlassian account email and API token pstab uses for the Marketplace API in your
OS keyring (Keychain, Secret Service, Windows Credential Manager). The token is read from a
prompt that does not show it, or with --with-token from standard input; never from an
argument, and never written to a file. Where no keyring exists (a headless Linux machine),
set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN instead.

Create a token at id.atlassian.com > Security > API tokens. Tokens now expire within a year.`,
		Example: "  pstab login\n  pstab login --email me@example.com --with-token < token.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" {
				email = a.env(marketplace.EnvEmail)
			}
			var tok marketplace.Token
			if withToken || !a.InIsTerminal {
				switch {
				case email == "" && withToken:
					return usageErr("give the account's email with --with-token: pstab login --email EMAIL --with-token < token-file (or set %s)", marketplace.EnvEmail)
				case email == "":
					return usageErr("there is no terminal to ask for the email and token on; give them as pstab login --email EMAIL --with-token < token-file")
				}
				if msg := questionnaire.EmailProblem(email); msg != "" {
					return usageErr("the email %s", msg)
				}
				data, err := io.ReadAll(io.LimitReader(a.In, 4096))
				if err != nil {
					return usageErr("cannot read the token from standard input: %v", err)
				}
				t := strings.TrimSpace(string(data))
				clear(data)
				if t == "" {
					return usageErr("standard input held no token; pipe it in: pstab login --email %s --with-token < token-file", email)
				}
				tok = marketplace.NewToken(t)
			} else {
				var err error
				if email, tok, err = a.promptCredentials(email); err != nil {
					return err
				}
			}
			if err := marketplace.Login(email, tok); err != nil {
				return &ExitError{Code: ExitProblems, Err: err}
			}
			fmt.Fprintf(a.Err, "Saved the API token %s for %s in your OS keyring.\n", tok.Masked(), email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the Atlassian account email (default $ATLASSIAN_EMAIL, else asked)")
	cmd.Flags().BoolVar(&withToken, "with-token", false, "read the token from standard input")
	return cmd
}

func (a *App) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "logout",
		Short:   "Remove the saved Atlassian credentials from the OS keyring",
		Example: "  pstab logout",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			email, err := marketplace.Logout()
			if errors.Is(err, marketplace.ErrKeyringUnavailable) {
				// pstab saves credentials nowhere else, so none can be saved here at all.
				fmt.Fprintln(a.Err, "There is no OS keyring here, so pstab has no saved credentials to remove.")
			} else if errors.Is(err, marketplace.ErrNoCredentials) {
				fmt.Fprintln(a.Err, "No credentials were saved; nothing to remove.")
			} else if err != nil {
				return &ExitError{Code: ExitProblems, Err: err}
			} else {
				fmt.Fprintf(a.Err, "Removed the saved credentials for %s.\n", email)
			}
			if a.env(marketplace.EnvToken) != "" {
				fmt.Fprintf(a.Err, "%s is still set in your environment, and pstab uses it; remove it with unset %s.\n", marketplace.EnvToken, marketplace.EnvToken)
			}
			return nil
		},
	}
}
