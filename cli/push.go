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
	var dryRun, publish, yes bool
	cmd := &cobra.Command{
		Use:   "push KEY [--dry-run] [--publish] [--api v2|v3] [--yes]",
		Short: "Send the draft to the Marketplace, and optionally publish it",
		Long: `Send an app's draft to the Marketplace as its Privacy & Security draft:

 1. check it, and refuse when something is blocking (pstab check KEY lists it);
 2. show what will change compared with the live listing;
 3. ask, unless --yes;
 4. send it (PUT), then read the draft back to make sure it landed;
 5. with --publish, publish the draft (v3 API) and report the formStatus.

--dry-run prints the exact request (method, URL on stderr; body on stdout) and sends
nothing. Answers the API does not carry are listed for entering in the web form; if the
API refuses you, pstab export KEY --format sheet writes everything for the web form.`,
		Example: `  pstab push com.example.app --dry-run
  pstab push com.example.app
  pstab push com.example.app --api v3 --publish --yes`,
		Args: exactArgs(1, "push takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				return a.push(ctx, s, args[0], f, dryRun, publish, yes)
			})
		},
	}
	f.add(cmd, true)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the exact request and send nothing")
	cmd.Flags().BoolVar(&publish, "publish", false, "publish the draft after sending it (v3 API)")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask before sending")
	return cmd
}

func (a *App) push(ctx context.Context, s *store.Store, key string, f apiFlags, dryRun, publish, yes bool) error {
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
	if dryRun {
		return a.dryRun(f, cat, app, d.Answers)
	}
	c, err := a.client(f, true)
	if err != nil {
		return err
	}
	t := a.target(c, s, cat, ref, app, f.api)
	plan, err := t.Prepare(ctx, d.Answers)
	if err != nil {
		return a.pushFailed(key, err)
	}
	var b strings.Builder
	switch {
	case !plan.Live.Found:
		fmt.Fprintf(&b, "Nothing is live for %s yet: all %d answers are new.\n", key, len(plan.Changes))
	case len(plan.Changes) == 0:
		fmt.Fprintf(&b, "The live version of %s already matches your draft.\n", key)
	default:
		fmt.Fprintf(&b, "Compared with the live version of %s, %d %s change:\n", key, len(plan.Changes), questionnaire.PluralWord(len(plan.Changes), "answer", "answers"))
		for _, ch := range plan.Changes {
			fmt.Fprintf(&b, "  %s: %s\n", ch.Question.ID, ch.Summary)
		}
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
		return a.pushFailed(key, err)
	}
	fmt.Fprintf(a.Err, "Sent the draft of %s; the Marketplace's draft now matches yours.\n", key)
	if publish {
		fs, err := t.Publish(ctx)
		if err != nil {
			return a.pushFailed(key, err)
		}
		if fs == "" {
			fmt.Fprintf(a.Err, "Published %s; the Marketplace did not report a formStatus yet (pstab status %s).\n", key, key)
		} else {
			fmt.Fprintf(a.Err, "Published %s: formStatus %s%s.\n", key, fs, submit.FormStatusMeaning(fs))
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
// on stdout.
func (a *App) dryRun(f apiFlags, cat *questionnaire.Catalogue, app store.App, answers questionnaire.Answers) error {
	info, err := cat.TrustInfo(answers)
	if err != nil {
		return err
	}
	c, err := a.client(f, false)
	if err != nil {
		return err
	}
	method, url, body, err := c.DraftRequestV2(app.Key, info)
	if f.api == "v3" {
		method, url, body, err = c.DraftRequestV3(marketplace.Product{AppKey: app.Key, ID: app.ProductID}, info)
	}
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, body, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(body)
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
		lines = append(lines, p.Path+": "+questionnaire.LowerFirst(strings.TrimSuffix(p.Message, ".")))
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
