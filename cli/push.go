package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
	"github.com/pstab/pstab/ui/termsafe"
)

func (a *App) pushCmd() *cobra.Command {
	var f apiFlags
	var dryRun, publish, yes, requireApproval bool
	cmd := &cobra.Command{
		Use:   "push KEY [--dry-run] [--publish] [--api v2|v3] [--yes] [--require-approval]",
		Short: "Send the draft to the Marketplace, and optionally publish it",
		Long: `Send an app's draft to the Marketplace as its Privacy & Security draft:

 1. check it, and refuse when something is blocking (pstab check KEY lists it);
 2. show what will change compared with the live listing;
 3. ask, unless --yes;
 4. send it (PUT), then read the draft back to make sure it landed;
 5. with --publish, publish the draft (v3 API) and report the formStatus.

--dry-run prints the exact request (method, URL on stderr; body on stdout) and sends
nothing. The body holds the seven groups of answers of the published schema: your shown
answers, and fields pstab does not know inside those groups, unchanged; never the
Marketplace's read-only properties, and never an answer its other answers hide.

The v3 API takes the product id of the app's listing: give --vendor-id once (your
Marketplace vendor id; pstab finds the id and remembers both) or --product-id. If the API
refuses you, pstab export KEY --format sheet writes everything for the web form.

A push warns while review threads are open, changes are requested or an approval is
stale; --require-approval refuses unless a reviewer approved these very answers.`,
		Example: `  pstab push com.example.app --dry-run
  pstab push com.example.app
  pstab push com.example.app --api v3 --vendor-id 1234567 --publish --yes`,
		Args: exactArgs(1, "push takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				return a.push(ctx, s, args[0], f, dryRun, publish, yes, requireApproval)
			})
		},
	}
	f.add(cmd, true)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the exact request and send nothing")
	cmd.Flags().BoolVar(&publish, "publish", false, "publish the draft after sending it (v3 API)")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask before sending")
	cmd.Flags().BoolVar(&requireApproval, "require-approval", false, "refuse unless a reviewer approved these answers and no review thread is open")
	return cmd
}

func (a *App) push(ctx context.Context, s *store.Store, key string, f apiFlags, dryRun, publish, yes, requireApproval bool) error {
	sub, err := a.appSubject(ctx, s, key)
	if err != nil {
		return err
	}
	ref, cat, app := sub.Ref, sub.Catalogue, sub.App
	d, err := s.Load(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	if err := refuseToPush(key, submit.Blockers(cat, d.Answers)); err != nil {
		return err
	}
	if err := a.reviewBeforePush(ctx, s, ref, cat, d.Answers, requireApproval); err != nil {
		return err
	}
	ids, err := a.remoteIDs(ctx, s, f, app)
	if err != nil {
		return err
	}
	if dryRun {
		return a.dryRun(f, cat, app, d.Answers, ids)
	}
	c, err := a.client(f, authRequired)
	if err != nil {
		return err
	}
	t := a.target(c, s, cat, ref, app, f.api, ids)
	plan, err := t.Prepare(ctx, d.Answers)
	if err != nil {
		return a.pushFailed(key, err)
	}
	var b strings.Builder
	switch {
	case !plan.Live.Found:
		fmt.Fprintf(&b, "Nothing is live for %s yet: %s new.\n", key, questionnaire.PluralWord(len(plan.Changes), "the one answer is", fmt.Sprintf("all %d answers are", len(plan.Changes))))
	case len(plan.Changes) == 0:
		fmt.Fprintf(&b, "The live version of %s already matches your draft.\n", key)
	default:
		fmt.Fprintf(&b, "Compared with the live version of %s, %d %s:\n", key, len(plan.Changes), questionnaire.PluralWord(len(plan.Changes), "answer changes", "answers change"))
		for _, ch := range plan.Changes {
			fmt.Fprintf(&b, "  %s: %s\n", ch.Question.ID, ch.Summary)
		}
	}
	if note := hiddenNote(cat, d.Answers); note != "" {
		b.WriteString(note + "\n")
	}
	io.WriteString(a.Err, termsafe.Filter(b.String()))

	action := "Send these answers to the Marketplace as the draft of " + key
	if publish {
		action += " and publish it"
	}
	if err := a.confirm(yes, action+"?"); err != nil {
		return err
	}
	if err := t.Send(ctx, plan); err != nil {
		var me *submit.MismatchError
		if errors.As(err, &me) {
			return problemsErr("%v", err)
		}
		if refused := a.refusedErr(cat, key, err); refused != nil {
			return refused
		}
		return a.pushFailed(key, err)
	}
	fmt.Fprintf(a.Err, "Sent the draft of %s; the Marketplace's draft now matches yours.\n", key)
	if publish {
		props, err := t.Publish(ctx)
		if err != nil {
			return a.pushFailed(key, err)
		}
		if props.FormStatus == "" {
			fmt.Fprintf(a.Err, "Published %s; the Marketplace did not report a formStatus yet (pstab status %s).\n", key, key)
		} else {
			var b strings.Builder
			fmt.Fprintf(&b, "Published %s: formStatus %s%s.\n", key, props.FormStatus, submit.FormStatusMeaning(props.FormStatus))
			describeRemote(&b, key, props, false)
			io.WriteString(a.Err, termsafe.Filter(b.String()))
		}
	} else {
		fmt.Fprintf(a.Err, "It is not published yet: publish it in the web form (Submit and publish), or run pstab push %s --publish.\n", key)
	}
	if len(plan.LocalOnly) > 0 {
		ids := make([]string, len(plan.LocalOnly))
		for i, q := range plan.LocalOnly {
			ids[i] = q.ID
		}
		fmt.Fprintf(a.Err, "The API does not carry %d of your answers (%s); enter them in the web form: pstab export %s --format sheet lists them.\n",
			len(ids), strings.Join(ids, ", "), key)
	}
	return nil
}

// dryRun prints the exact request a push would send: method and URL on stderr, the body
// on stdout. It sends nothing at all, so a v3 product id not known yet shows as
// {productId}, with where it will come from.
func (a *App) dryRun(f apiFlags, cat *questionnaire.Catalogue, app store.App, answers questionnaire.Answers, ids remoteApp) error {
	// An answer with a blocking problem is kept in the draft, never sent.
	info, err := cat.TrustInfo(cat.Sendable(answers))
	if err != nil {
		return err
	}
	cfg := a.clientConfig(f)
	if f.api != "" && f.api != "v2" && f.api != "v3" {
		return usageErr("--api must be v2 or v3, not %q", f.api)
	}
	c, err := marketplace.New(cfg)
	if err != nil {
		return usageErr("%v", err)
	}
	method, url, body, err := c.DraftRequestV2(app.Key, info)
	if f.api == "v3" {
		method, url, body, err = c.DraftRequestV3(marketplace.Product{AppKey: app.Key, ID: ids.productID}, info)
		switch {
		case ids.productID != "":
		case ids.vendorID != "":
			fmt.Fprintf(a.Err, "The product id is not known yet: a push finds it in the listings of vendor %s.\n", ids.vendorID)
		default:
			fmt.Fprintf(a.Err, "The product id is not known yet: give --vendor-id or --product-id when you push.\n")
		}
	}
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, body, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(body)
	}
	if note := hiddenNote(cat, answers); note != "" {
		fmt.Fprintln(a.Err, note)
	}
	fmt.Fprintf(a.Err, "Dry run: nothing is sent. The request would be:\n%s %s\n", method, url)
	_, err = a.Out.Write(questionnaire.EscapeJSONUnsafe(append(pretty.Bytes(), '\n')))
	return err
}

// refuseToPush refuses a draft with blocking problems, listing them.
func refuseToPush(key string, blockers []questionnaire.Problem) error {
	if len(blockers) == 0 {
		return nil
	}
	var lines []string
	for _, p := range blockers {
		lines = append(lines, problemLabel(p)+": "+questionnaire.LowerFirst(strings.TrimSuffix(p.Message, ".")))
	}
	n := len(lines)
	if n > 5 {
		lines = append(lines[:5], fmt.Sprintf("and %d more (pstab check %s)", n-5, key))
	}
	return problemsErr("%s was not sent: %d blocking %s must be fixed first:\n  %s", key, n,
		questionnaire.PluralWord(n, "problem", "problems"), strings.Join(lines, "\n  "))
}

// pushFailed explains a failed request and the way around it: the web form.
func (a *App) pushFailed(key string, err error) error {
	if errors.Is(err, context.Canceled) {
		return errCancelled
	}
	var ee *ExitError
	if !errors.As(err, &ee) {
		err = apiErr(err)
	}
	fmt.Fprintf(a.Err, "pstab: %s\n", questionnaire.Sentence(err.Error()))
	fmt.Fprintf(a.Err, "Your draft is unchanged. To enter it by hand instead: pstab export %s --format sheet\n", key)
	return &ExitError{Code: ExitProblems, Err: errSilent}
}
