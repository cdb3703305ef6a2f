package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
	"github.com/pstab/pstab/ui/termsafe"
)

// apiFlags are the flags every Marketplace command takes.
type apiFlags struct {
	v2URL     string
	v3URL     string
	api       string
	vendorID  string
	productID string
}

func (f *apiFlags) add(cmd *cobra.Command, withAPI bool) {
	cmd.Flags().StringVar(&f.v2URL, "api-url", "", "v2 API base URL (env PSTAB_API_URL; default "+marketplace.DefaultV2URL+")")
	cmd.Flags().StringVar(&f.v3URL, "api-v3-url", "", "v3 API base URL (env PSTAB_API_V3_URL; default "+marketplace.DefaultV3URL+")")
	if withAPI {
		cmd.Flags().StringVar(&f.api, "api", "v2", "which API generation: v2 (by app key) or v3 (by product id)")
		_ = cmd.RegisterFlagCompletionFunc("api", cobra.FixedCompletions([]string{"v2", "v3"}, cobra.ShellCompDirectiveNoFileComp))
		cmd.Flags().StringVar(&f.vendorID, "vendor-id", "", "your Marketplace vendor id, a number: finds each app's v3 product id and its listing (env PSTAB_VENDOR_ID; remembered)")
		cmd.Flags().StringVar(&f.productID, "product-id", "", "the app's v3 product id, the UUID of its listing (remembered for the app)")
	}
}

// marketplaceCommands talk to the Marketplace REST API.
func (a *App) marketplaceCommands() []*cobra.Command {
	return []*cobra.Command{a.pullCmd(), a.pushCmd(), a.statusCmd(), a.loginCmd(), a.logoutCmd()}
}

// authMode says whether a command needs credentials.
type authMode int

const (
	// authIfConfigured sends the credentials pstab finds (environment, keyring) and
	// reads anonymously when there are none, without asking: reading a live version
	// needs none, but a server may want them, and then they must be the partner's.
	authIfConfigured authMode = iota
	// authRequired asks for credentials (environment, keyring, then a masked prompt on a
	// terminal) and fails without them.
	authRequired
)

// client builds a Marketplace client.
func (a *App) client(f apiFlags, mode authMode) (*marketplace.Client, error) {
	cfg := a.clientConfig(f)
	if f.api != "" && f.api != "v2" && f.api != "v3" {
		return nil, usageErr("--api must be v2 or v3, not %q", f.api)
	}
	switch mode {
	case authRequired:
		creds, err := a.credentials()
		if err != nil {
			return nil, err
		}
		cfg.Credentials = creds
	case authIfConfigured:
		creds, err := marketplace.LoadCredentials(a.env)
		switch {
		case err == nil:
			cfg.Credentials = creds
		case !errors.Is(err, marketplace.ErrNoCredentials):
			return nil, &ExitError{Code: ExitProblems, Err: err} // half-set, or a bad token
		}
	}
	a.logger().Debug("credentials", "credentials", cfg.Credentials)
	c, err := marketplace.New(cfg)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

// clientConfig is the Marketplace client's configuration without credentials: the API
// URLs from the flags, else PSTAB_API_URL and PSTAB_API_V3_URL, and the debug log.
func (a *App) clientConfig(f apiFlags) marketplace.Config {
	return marketplace.Config{
		V2URL:     firstNonEmpty(f.v2URL, a.env("PSTAB_API_URL")),
		V3URL:     firstNonEmpty(f.v3URL, a.env("PSTAB_API_V3_URL")),
		Logger:    a.logger(),
		UserAgent: "pstab/" + a.version(),
	}
}

// credentials finds the account email and API token: ATLASSIAN_EMAIL and
// ATLASSIAN_API_TOKEN, else the keyring (pstab login), else a masked prompt on a terminal.
// They never come from a command-line argument.
func (a *App) credentials() (marketplace.Credentials, error) {
	creds, err := marketplace.LoadCredentials(a.env)
	if err == nil {
		return creds, nil
	}
	if !errors.Is(err, marketplace.ErrNoCredentials) {
		return creds, &ExitError{Code: ExitProblems, Err: err}
	}
	var ke *marketplace.KeyringError
	if errors.As(err, &ke) {
		fmt.Fprintln(a.Err, "pstab: note: "+ke.Error())
	}
	if !a.InIsTerminal {
		return creds, usageErr("no Atlassian credentials: set %s and %s, or run pstab login on a terminal",
			marketplace.EnvEmail, marketplace.EnvToken)
	}
	email, token, err := a.promptCredentials(a.env(marketplace.EnvEmail))
	if err != nil {
		return creds, err
	}
	fmt.Fprintln(a.Err, "Using these credentials for this command only; pstab login keeps them in your OS keyring.")
	return marketplace.Credentials{Email: email, Token: token}, nil
}

// promptCredentials asks for the email (unless known) and the token, the token without
// echo, on the terminal.
func (a *App) promptCredentials(email string) (string, marketplace.Token, error) {
	r := bufio.NewReader(a.In)
	if email == "" {
		fmt.Fprint(a.Err, "Atlassian account email: ")
		line, err := r.ReadString('\n')
		if err != nil && line == "" {
			return "", marketplace.Token{}, errCancelled
		}
		email = strings.TrimSpace(line)
	}
	if msg := questionnaire.EmailProblem(email); msg != "" {
		return "", marketplace.Token{}, usageErr("the email %s", msg)
	}
	fmt.Fprint(a.Err, "API token (from id.atlassian.com > Security > API tokens; not shown): ")
	var secret []byte
	var err error
	if f, ok := a.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		secret, err = term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.Err)
	} else {
		var line string
		line, err = r.ReadString('\n')
		secret = []byte(line)
		if err == io.EOF && line != "" {
			err = nil
		}
	}
	if err != nil {
		return "", marketplace.Token{}, errCancelled
	}
	tok := strings.TrimSpace(string(secret))
	clear(secret)
	if tok == "" {
		return "", marketplace.Token{}, usageErr("no token was given")
	}
	return email, marketplace.NewToken(tok), nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// apiErr maps a Marketplace error to an exit code: a cancelled request is 130; everything
// else the server or the network refused is 1, with the client's sentence.
func apiErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return errCancelled
	case errors.Is(err, submit.ErrNeedProductID):
		return &ExitError{Code: ExitUsage, Err: errors.New(strings.TrimSuffix(err.Error(), "."))}
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitProblems, Err: errors.New(strings.TrimSuffix(err.Error(), "."))}
}

// fetchRemote reads the live or draft version of an app; the v3 live version of an app
// never published counts as not found.
func (a *App) fetchRemote(ctx context.Context, t *submit.Target, state marketplace.State) (submit.Remote, error) {
	r, err := t.Fetch(ctx, state)
	if state == marketplace.Live && t.API == "v3" && errors.Is(err, marketplace.ErrNotFound) {
		return submit.Remote{}, nil
	}
	return r, apiErr(err)
}

func parseState(s string) (marketplace.State, error) {
	switch s {
	case "", "live":
		return marketplace.Live, nil
	case "draft":
		return marketplace.Draft, nil
	}
	return "", usageErr("--state must be live or draft, not %q", s)
}

func (a *App) pullCmd() *cobra.Command {
	var f apiFlags
	var state string
	var yes bool
	cmd := &cobra.Command{
		Use:   "pull KEY [--state live|draft]",
		Short: "Make the Marketplace's version the app's draft, as a save point",
		Long: `Read the live (or draft) Privacy & Security version of an app from the Marketplace and
make it the app's local draft, as a new save point: your previous draft stays in its
history (pstab revert brings it back). Fields pstab does not know are kept. Text with
control characters is refused, naming the field. When the draft has answers, pstab shows
what changes and asks first; give --yes where there is no terminal to ask on.

Your credentials are sent when pstab finds them (ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN,
or pstab login); without any, the live version is read anonymously. With a vendor id
(--vendor-id, PSTAB_VENDOR_ID, or one pstab remembers), pull also reads from the app's
listing what the tab shows from it: the privacy policy link and Bug Bounty enrolment.`,
		Example: "  pstab pull com.example.app\n  pstab pull com.example.app --state draft --api v3 --vendor-id 1234567",
		Args:    exactArgs(1, "pull takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := parseState(state)
			if err != nil {
				return err
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				return a.pull(ctx, s, args[0], f, st, yes)
			})
		},
	}
	f.add(cmd, true)
	cmd.Flags().StringVar(&state, "state", "live", "which version: live or draft")
	cmd.Flags().BoolVar(&yes, "yes", false, "replace a draft that has answers without asking")
	return cmd
}

func (a *App) pull(ctx context.Context, s *store.Store, key string, f apiFlags, st marketplace.State, yes bool) error {
	sub, err := a.appSubject(ctx, s, key)
	if err != nil {
		return err
	}
	ref, cat, app := sub.Ref, sub.Catalogue, sub.App
	ids, err := a.remoteIDs(ctx, s, f, app)
	if err != nil {
		return err
	}
	mode := ids.authFor(f.api, st)
	if ids.vendorID != "" {
		mode = authRequired // the listing is read with credentials only
	}
	c, err := a.client(f, mode)
	if err != nil {
		return err
	}
	t := a.target(c, s, cat, ref, app, f.api, ids)
	remote, err := a.fetchRemote(ctx, t, st)
	if err != nil {
		return err
	}
	if !remote.Found {
		return problemsErr("the Marketplace has no %s version of %s yet; nothing was changed", st, app.Key)
	}
	answers := remote.Answers
	var fromListing []string
	if l, err := t.Listing(ctx); err != nil {
		fmt.Fprintf(a.Err, "pstab: note: the app's listing could not be read (%s); the privacy policy and Bug Bounty rows keep your draft's answers.\n",
			questionnaire.LowerFirst(strings.TrimSuffix(err.Error(), ".")))
	} else {
		fromListing = submit.ApplyListing(cat, &answers, l)
	}
	before, err := s.Load(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	// The listing facts the listing does not give keep the draft's answers: the form
	// never holds them, so a pull cannot know them otherwise.
	for _, q := range cat.Questions {
		if q.FromListing() && !slices.Contains(fromListing, q.ID) {
			if v, ok := before.Answers.Get(q.ID); ok {
				answers.Set(q.ID, v)
			}
		}
	}
	answers, notes := cat.LinkDomains(answers)
	for _, n := range notes {
		fmt.Fprintln(a.Err, "pstab: note: "+questionnaire.Sentence(n))
	}
	changed, err := a.confirmReplace(cat, app.Key, before.Answers, answers, fmt.Sprintf("Pulling the %s version", st), yes)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("pulled the %s version from the Marketplace (%s); %s", st, f.apiName(), submit.DescribeForHistory(remote.Properties))
	rev, _, err := s.Replace(ctx, ref, answers, store.EventPull, msg, before.Version)
	if err != nil {
		return storeErr(err)
	}
	if remote.FormStatus != "" {
		_ = s.SetStatus(ctx, ref, submit.StatusFor(before.Status, remote.FormStatus), remote.FormStatus)
	}
	n := len(cat.Diff(before.Answers, answers))
	var b strings.Builder
	shows := ""
	if old := replacedRev(changed, before, rev); old > 0 {
		shows = fmt.Sprintf(" (pstab diff %s %d %d shows %s)", app.Key, old, rev.Number, questionnaire.PluralWord(n, "it", "them"))
	}
	fmt.Fprintf(&b, "Pulled the %s version of %s as save point %d: %d %s from your previous draft%s.%s\n",
		st, app.Key, rev.Number, n, questionnaire.PluralWord(n, "answer differs", "answers differ"), shows, keptAs(changed, before, rev, app.Key))
	describeRemote(&b, app.Key, remote.Properties, true)
	if len(fromListing) > 0 {
		fmt.Fprintf(&b, "From the app's listing: %s.\n", strings.Join(fromListing, ", "))
	}
	if note := hiddenNote(cat, answers); note != "" {
		b.WriteString(note + "\n")
	}
	_, err = io.WriteString(a.Err, termsafe.Filter(b.String()))
	return err
}

func (f apiFlags) apiName() string {
	if f.api == "v3" {
		return "v3"
	}
	return "v2"
}

// appSubject is subject for commands that need an app (not @partner).
func (a *App) appSubject(ctx context.Context, s *store.Store, key string) (store.Subject, error) {
	if key == store.PartnerKey {
		return store.Subject{}, usageErr("the Security Self-Assessment is not on the Marketplace API; give an app KEY")
	}
	return a.subject(ctx, s, key)
}

// remoteDiff compares a draft with the Marketplace's version, question by question.
func (a *App) remoteDiff(cmd *cobra.Command, args []string, state string, f apiFlags) error {
	if len(args) != 1 {
		return usageErr("pstab diff --remote takes one app KEY")
	}
	st, err := parseState(state)
	if err != nil {
		return err
	}
	return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
		sub, err := a.appSubject(ctx, s, args[0])
		ref, cat, app := sub.Ref, sub.Catalogue, sub.App
		if err != nil {
			return err
		}
		ids, err := a.remoteIDs(ctx, s, f, app)
		if err != nil {
			return err
		}
		c, err := a.client(f, ids.authFor(f.api, st))
		if err != nil {
			return err
		}
		remote, err := a.fetchRemote(ctx, a.target(c, s, cat, ref, app, f.api, ids), st)
		if err != nil {
			return err
		}
		d, err := s.Load(ctx, ref)
		if err != nil {
			return storeErr(err)
		}
		label := "the Marketplace's " + string(st) + " version"
		if !remote.Found {
			fmt.Fprintf(a.Err, "The Marketplace has no %s version of %s yet; every answer of your draft is new.\n", st, app.Key)
			label = "nothing (no " + string(st) + " version)"
		} else if remote.FormStatus != "" {
			label += " (formStatus " + remote.FormStatus + ")"
		}
		// The listing facts are not in the form: the Marketplace's version cannot differ
		// from the draft in them.
		for _, q := range cat.Questions {
			if v, ok := d.Answers.Get(q.ID); ok && q.FromListing() {
				remote.Answers.Set(q.ID, v)
			}
		}
		a.printDiff(cat, remote.Answers, d.Answers, label, "your draft")
		return nil
	})
}

func (a *App) statusCmd() *cobra.Command {
	var f apiFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status KEY",
		Short: "Show the Marketplace's form status and whether live matches your draft",
		Long: `Read the live version of an app from the Marketplace and say where it stands: its form
status (SUBMITTED, REJECTED, APPROVED or SAVED) and what that means, who saved it last and
when, the review tickets, what to do next, and whether it matches your draft.`,
		Example: "  pstab status com.example.app\n  pstab status com.example.app --api v3 --json",
		Args:    exactArgs(1, "status takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				sub, err := a.appSubject(ctx, s, args[0])
				ref, cat, app := sub.Ref, sub.Catalogue, sub.App
				if err != nil {
					return err
				}
				ids, err := a.remoteIDs(ctx, s, f, app)
				if err != nil {
					return err
				}
				c, err := a.client(f, ids.authFor(f.api, marketplace.Live))
				if err != nil {
					return err
				}
				remote, err := a.fetchRemote(ctx, a.target(c, s, cat, ref, app, f.api, ids), marketplace.Live)
				if err != nil {
					return err
				}
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				var diffs []questionnaire.Change
				if remote.Found {
					for _, q := range cat.Questions {
						if v, ok := d.Answers.Get(q.ID); ok && q.FromListing() {
							remote.Answers.Set(q.ID, v)
						}
					}
					// What is not sent cannot differ on the Marketplace: answers the draft's
					// other answers hide are kept in the draft only.
					for _, ch := range cat.Diff(remote.Answers, d.Answers) {
						if !ch.Hidden {
							diffs = append(diffs, ch)
						}
					}
					if remote.FormStatus != "" {
						_ = s.SetStatus(ctx, ref, submit.StatusFor(d.Status, remote.FormStatus), remote.FormStatus)
					}
				}
				if asJSON {
					ids := []string{}
					for _, ch := range diffs {
						ids = append(ids, ch.Question.ID)
					}
					out := map[string]any{
						"key": app.Key, "live": remote.Found, "formStatus": remote.FormStatus,
						"matchesDraft": remote.Found && len(diffs) == 0, "differences": ids,
						"localStatus": d.Status,
					}
					if remote.Found {
						out["properties"] = propsJSON(app.Key, remote.Properties)
					}
					return writeJSON(a.Out, out)
				}
				var b strings.Builder
				switch {
				case !remote.Found:
					fmt.Fprintf(&b, "%s has nothing live on the Marketplace yet.\n", app.Key)
				default:
					fs := remote.FormStatus
					if fs == "" {
						fs = "not reported"
					}
					fmt.Fprintf(&b, "%s on the Marketplace: formStatus %s%s.\n", app.Key, fs, submit.FormStatusMeaning(remote.FormStatus))
					describeRemote(&b, app.Key, remote.Properties, false)
					if len(diffs) == 0 {
						b.WriteString("The live version matches your draft.\n")
					} else {
						fmt.Fprintf(&b, "The live version differs from your draft in %d %s; pstab diff %s --remote shows them.\n",
							len(diffs), questionnaire.PluralWord(len(diffs), "answer", "answers"), app.Key)
					}
				}
				_, err = io.WriteString(a.Out, termsafe.Filter(b.String()))
				return err
			})
		},
	}
	f.add(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// bundleQuestionnaire reads which questionnaire a bundle answers.
func bundleQuestionnaire(data []byte) string {
	var probe struct {
		Questionnaire string `json:"questionnaire"`
	}
	_ = json.Unmarshal(data, &probe)
	return probe.Questionnaire
}
