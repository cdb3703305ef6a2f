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

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/store/marketplace"
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
			return a.withStore(cmd, func(ctx context.Context, s *store.Store, ps, ssa *questionnaire.Catalogue) error {
				return a.push(ctx, s, ps, ssa, args[0], f, dryRun, publish, yes)
			})
		},
	}
	f.add(cmd, true)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the exact request and send nothing")
	cmd.Flags().BoolVar(&publish, "publish", false, "publish the draft after sending it (v3 API)")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask before sending")
	return cmd
}

func (a *App) push(ctx context.Context, s *store.Store, ps, ssa *questionnaire.Catalogue, key string, f apiFlags, dryRun, publish, yes bool) error {
	ref, cat, app, err := a.appSubject(ctx, s, ps, ssa, key)
	if err != nil {
		return err
	}
	d, err := s.Load(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	if err := refuseToPush(key, cat, d.Answers); err != nil {
		return err
	}
	info, err := cat.TrustInfo(d.Answers)
	if err != nil {
		return err
	}
	if dryRun {
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

	c, err := a.client(f, true)
	if err != nil {
		return err
	}
	live, err := a.fetchRemote(ctx, c, s, cat, app, f.api, marketplace.Live)
	if err != nil {
		return a.pushFailed(key, err)
	}
	var b strings.Builder
	changes := cat.Diff(live.answers, d.Answers)
	switch {
	case !live.found:
		fmt.Fprintf(&b, "Nothing is live for %s yet: all %d answers are new.\n", key, len(cat.Diff(questionnaire.NewAnswers(), d.Answers)))
	case len(changes) == 0:
		fmt.Fprintf(&b, "The live version of %s already matches your draft.\n", key)
	default:
		fmt.Fprintf(&b, "Compared with the live version of %s, %d %s change:\n", key, len(changes), plural(len(changes), "answer", "answers"))
		for _, ch := range changes {
			if !ch.Hidden {
				fmt.Fprintf(&b, "  %s: %s\n", ch.Question.ID, ch.Summary)
			}
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

	var product marketplace.Product
	if f.api == "v3" || publish {
		if product, err = a.product(ctx, c, s, app); err != nil {
			return a.pushFailed(key, err)
		}
	}
	if f.api == "v3" {
		err = c.PutDraftV3(ctx, product, info)
	} else {
		err = c.PutDraftV2(ctx, app.Key, info)
	}
	if err != nil {
		return a.pushFailed(key, err)
	}
	// Read the draft back: only a matching draft means the submission landed.
	var back *marketplace.Document
	if f.api == "v3" {
		back, err = c.GetV3(ctx, product, marketplace.Draft)
	} else {
		back, err = c.GetV2(ctx, app.Key, marketplace.Draft)
	}
	if err != nil {
		_ = s.Record(ctx, ref, store.EventSubmit, fmt.Sprintf("sent via %s; reading it back failed", f.apiName()))
		return problemsErr("the Marketplace accepted the draft of %s, but reading it back failed (%v); run pstab status %s to check it", key, lowerFirst(err.Error()), key)
	}
	if miss := marketplace.Mismatches(info, back.TrustInfo); len(miss) > 0 {
		_ = s.Record(ctx, ref, store.EventSubmit, fmt.Sprintf("sent via %s; read back differs in %s", f.apiName(), strings.Join(miss, ", ")))
		return problemsErr("the Marketplace accepted the draft of %s, but its copy differs in %s; run pstab diff %s --remote draft", key, strings.Join(miss, ", "), key)
	}
	detail := fmt.Sprintf("sent via %s; %d %s changed from live", f.apiName(), len(changes), plural(len(changes), "answer", "answers"))
	if err := s.Record(ctx, ref, store.EventSubmit, detail); err != nil {
		return storeErr(err)
	}
	if err := s.SetStatus(ctx, ref, store.StatusSubmitted, ""); err != nil {
		return storeErr(err)
	}
	fmt.Fprintf(a.Err, "Sent the draft of %s; the Marketplace's draft now matches yours.\n", key)

	if publish {
		if err := c.PublishV3(ctx, product); err != nil {
			return a.pushFailed(key, err)
		}
		fs := ""
		if doc, err := c.GetV3(ctx, product, marketplace.Live); err == nil {
			fs = doc.FormStatus()
		}
		_ = s.Record(ctx, ref, store.EventPublish, "published; formStatus "+firstNonEmpty(fs, "not reported"))
		_ = s.SetStatus(ctx, ref, statusFor(store.StatusSubmitted, fs), fs)
		if fs == "" {
			fmt.Fprintf(a.Err, "Published %s; the Marketplace did not report a formStatus yet (pstab status %s).\n", key, key)
		} else {
			fmt.Fprintf(a.Err, "Published %s: formStatus %s%s.\n", key, fs, formStatusMeaning(fs))
		}
	} else {
		fmt.Fprintf(a.Err, "It is not published yet: publish it in the web form (Submit and publish), or run pstab push %s --publish.\n", key)
	}
	a.listLocalOnly(cat, d.Answers, key)
	return nil
}

// refuseToPush refuses a draft with blocking problems, listing them.
func refuseToPush(key string, cat *questionnaire.Catalogue, answers questionnaire.Answers) error {
	var lines []string
	for _, p := range append(questionnaire.UnsafeText(cat, answers), cat.Readiness(answers)...) {
		if p.Severity == questionnaire.Blocking {
			lines = append(lines, p.Path+": "+lowerFirst(strings.TrimSuffix(p.Message, ".")))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	if len(lines) > 5 {
		lines = append(lines[:5], fmt.Sprintf("and %d more (pstab check %s)", len(lines)-5, key))
	}
	return problemsErr("%s was not sent: %d blocking %s must be fixed first:\n  %s", key, len(lines),
		plural(len(lines), "problem", "problems"), strings.Join(lines, "\n  "))
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
	fmt.Fprintf(a.Err, "pstab: %s\n", sentence(err.Error()))
	fmt.Fprintf(a.Err, "Your draft is unchanged. To enter it by hand instead: pstab export %s --format sheet\n", key)
	return &ExitError{Code: ExitProblems, Err: errSilent}
}

// listLocalOnly names the answered questions the API does not carry.
func (a *App) listLocalOnly(cat *questionnaire.Catalogue, answers questionnaire.Answers, key string) {
	vis := cat.Visible(answers)
	var ids []string
	for _, q := range vis.Questions() {
		if _, ok := answers.Get(q.ID); ok && q.Local() {
			ids = append(ids, q.ID)
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(a.Err, "The API does not carry %d of your answers (%s); enter them in the web form: pstab export %s --format sheet lists them.\n",
			len(ids), strings.Join(ids, ", "), key)
	}
}
