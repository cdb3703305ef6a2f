package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// draftCommands are the commands over the drafts database.
func (a *App) draftCommands() []*cobra.Command {
	return []*cobra.Command{
		a.appsCmd(), a.newCmd(), a.setCmd(), a.unsetCmd(), a.questionsCmd(), a.importCmd(), a.checkCmd(),
		a.savepointCmd(), a.historyCmd(), a.diffCmd(), a.revertCmd(), a.discardCmd(), a.copyCmd(), a.rmCmd(),
		a.reviewCmd(),
	}
}

// withSubject runs fn with the drafts file open and KEY resolved to its draft: an app's
// Privacy & Security draft, or @partner's Security Self-Assessment.
func (a *App) withSubject(cmd *cobra.Command, key string, fn func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, app store.App) error) error {
	return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
		sub, err := a.subject(ctx, s, key)
		if err != nil {
			return err
		}
		return fn(ctx, s, sub.Ref, sub.Catalogue, sub.App)
	})
}

// withStore runs fn with the drafts file open, closing it afterwards. The catalogues it
// was opened with are s.Catalogues().
func (a *App) withStore(cmd *cobra.Command, fn func(ctx context.Context, s *store.Store) error) error {
	ctx := cmd.Context()
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(ctx, s)
}

func (a *App) appsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "apps",
		Short:   "List your apps with completeness, status and last change",
		Example: "  pstab apps\n  pstab apps --json | jq -r '.[] | select(.percent < 100) | .key'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				apps, err := s.Apps(ctx)
				if err != nil {
					return storeErr(err)
				}
				if asJSON {
					type appJSON struct {
						Key        string    `json:"key"`
						Name       string    `json:"name"`
						Hosting    string    `json:"hosting"`
						ProductID  string    `json:"productId,omitempty"`
						Answered   int       `json:"answered"`
						Total      int       `json:"total"`
						Percent    int       `json:"percent"`
						Status     string    `json:"status"`
						FormStatus string    `json:"formStatus,omitempty"`
						Changed    time.Time `json:"changed"`
					}
					out := make([]appJSON, 0, len(apps))
					for _, ap := range apps {
						out = append(out, appJSON{ap.Key, ap.Name, ap.Hosting, ap.ProductID, ap.Answered, ap.Total,
							ap.Percent(), ap.Status, ap.FormStatus, ap.ChangedAt.UTC()})
					}
					return writeJSON(a.Out, out)
				}
				if len(apps) == 0 {
					fmt.Fprintf(a.Err, "No apps in %s yet. Create one with pstab new KEY --name NAME, or run pstab.\n", s.Path())
					return nil
				}
				var b strings.Builder
				tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "KEY\tNAME\tCOMPLETE\tSTATUS\tCHANGED")
				now := time.Now()
				for _, ap := range apps {
					status := ap.Status
					if ap.FormStatus != "" {
						status += " (" + ap.FormStatus + ")"
					}
					fmt.Fprintf(tw, "%s\t%s\t%d%% (%d/%d)\t%s\t%s\n", ap.Key, oneLine(ap.Name, 40), ap.Percent(),
						ap.Answered, ap.Total, status, agoText(now, ap.ChangedAt))
				}
				tw.Flush()
				_, err = io.WriteString(a.Out, termsafe.Filter(b.String()))
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func agoText(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "-"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return t.Local().Format("2006-01-02")
}

func (a *App) newCmd() *cobra.Command {
	var name, hosting string
	cmd := &cobra.Command{
		Use:     "new KEY --name NAME",
		Short:   "Create an app",
		Example: `  pstab new com.example.app --name "Example for Jira"`,
		Args:    exactArgs(1, "new takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			key := args[0]
			if err := store.ValidateAppKey(key); err != nil {
				return usageErr("%q is not an app key: %v", key, err)
			}
			if err := store.ValidateAppName(name); err != nil {
				return usageErr("--name: %v", err)
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				err := s.CreateApp(ctx, store.App{Key: key, Name: strings.TrimSpace(name), Hosting: hosting})
				if errors.Is(err, store.ErrExists) {
					return problemsErr("an app with key %s already exists in %s; nothing was changed", key, s.Path())
				}
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Created %s (%s). Answer its questions with pstab, or pstab set %s QUESTION VALUE.\n", key, name, key)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the app's name as it appears on its listing (required)")
	cmd.Flags().StringVar(&hosting, "hosting", "cloud", "the app's hosting")
	return cmd
}

func (a *App) setCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set KEY QUESTION-ID VALUE...",
		Short: "Answer one question from a script",
		Long: `Answer one question. The value is read according to the question's kind:

  yes/no            yes | no
  yes/no/n.a.       yes | no | na
  choice            an option value or its label (see pstab questions)
  multiple choice   one option value per word
  list              one item per word (quote items with spaces)
  day range         MIN..MAX (e.g. 0..30) or indefinite
  sub-processors    JSON: '[{"name":"AWS","purpose":"Hosting"}]' or one object per word
  text, link, email the words, joined by spaces; - reads standard input

The answer is checked as everywhere else in pstab: a wrong value is refused (exit 1) and
nothing is saved. Use @partner as KEY for your Security Self-Assessment.`,
		Example: `  pstab set com.example.app stores-eud yes
  pstab set com.example.app stored-data-types "Issue keys" "Account IDs"
  pstab set com.example.app retention-period 0..30
  pstab set com.example.app security-contact security@example.com
  pstab set com.example.app sub-processors '{"name":"AWS","purpose":"Hosting","link":"https://aws.amazon.com"}'
  pstab set @partner ssa-3 yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 3 {
				return usageErr("set takes KEY QUESTION-ID VALUE...; see pstab set --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				q, err := questionFor(cat, args[1])
				if err != nil {
					return err
				}
				words := args[2:]
				if len(words) == 1 && words[0] == "-" && q.Kind.IsText() {
					data, err := io.ReadAll(io.LimitReader(a.In, int64(q.TextLimit())*4+1))
					if err != nil {
						return usageErr("cannot read standard input: %v", err)
					}
					words = []string{strings.TrimRight(string(data), "\r\n")}
				}
				v, err := questionnaire.ParseValue(q, words)
				if err != nil {
					return usageErr("%v", err)
				}
				if ps := q.Check(v); len(ps) > 0 {
					var msgs []string
					for _, p := range ps {
						msgs = append(msgs, lowerFirst(p.Message))
					}
					return problemsErr("%s was not saved: %s", q.ID, strings.TrimSuffix(strings.Join(msgs, "; "), "."))
				}
				return a.saveOne(ctx, s, ref, cat, q, v)
			})
		},
	}
	return cmd
}

// saveOne saves one answer and says what it changed: the answer, and the follow-up
// questions it revealed or hid.
func (a *App) saveOne(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, q *questionnaire.Question, v questionnaire.Value) error {
	before, err := s.Load(ctx, ref)
	if err != nil {
		return storeErr(err)
	}
	if v.IsEmpty() {
		_, err = s.ClearAnswer(ctx, ref, q.ID, store.AnyVersion)
	} else {
		_, err = s.SaveAnswer(ctx, ref, q.ID, v, store.AnyVersion)
	}
	if err != nil {
		return storeErr(err)
	}
	after := before.Answers.Clone()
	after.Set(q.ID, v)
	var b strings.Builder
	if v.IsEmpty() {
		fmt.Fprintf(&b, "Cleared %s.", q.ID)
	} else {
		fmt.Fprintf(&b, "Saved %s: %s.", q.ID, oneLine(q.Display(v), 60))
	}
	if !cat.Visible(after).Shows(q) {
		b.WriteString(" It is hidden by your other answers, so it is kept but not shown or sent.")
	}
	var shown, hidden []string
	r := cat.Reveals(before.Answers, after)
	for _, other := range r.Shown {
		shown = append(shown, other.ID)
	}
	for _, other := range r.Hidden {
		hidden = append(hidden, other.ID)
	}
	if len(shown) > 0 {
		fmt.Fprintf(&b, " Now shown: %s.", strings.Join(shown, ", "))
	}
	if len(hidden) > 0 {
		fmt.Fprintf(&b, " Now hidden: %s.", strings.Join(hidden, ", "))
	}
	p := cat.Progress(after)
	fmt.Fprintf(&b, " %d%% complete.\n", p.Percent())
	fmt.Fprint(a.Err, termsafe.Filter(b.String()))
	return nil
}

func questionFor(cat *questionnaire.Catalogue, id string) (*questionnaire.Question, error) {
	q := cat.Question(id)
	if q == nil {
		return nil, usageErr("%s has no question %q; list them with pstab questions", cat.Title, id)
	}
	return q, nil
}

func (a *App) unsetCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "unset KEY QUESTION-ID",
		Short:   "Remove one answer",
		Example: "  pstab unset com.example.app security-policy",
		Args:    exactArgs(2, "unset takes KEY QUESTION-ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				q, err := questionFor(cat, args[1])
				if err != nil {
					return err
				}
				return a.saveOne(ctx, s, ref, cat, q, questionnaire.Value{})
			})
		},
	}
}

func (a *App) questionsCmd() *cobra.Command {
	var ssaFlag, asJSON bool
	cmd := &cobra.Command{
		Use:     "questions [--ssa]",
		Short:   "List the questions, their IDs, kinds and options",
		Example: "  pstab questions\n  pstab questions --ssa --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cats, err := a.catalogues()
			if err != nil {
				return err
			}
			cat := cats.PrivacySecurity
			if ssaFlag {
				cat = cats.SelfAssessment
			}
			if asJSON {
				type qJSON struct {
					ID       string   `json:"id"`
					Section  string   `json:"section"`
					Prompt   string   `json:"prompt"`
					Kind     string   `json:"kind"`
					Options  []string `json:"options,omitempty"`
					Required bool     `json:"required"`
					View     string   `json:"view,omitempty"`
					API      string   `json:"api,omitempty"`
				}
				var out []qJSON
				for _, q := range cat.Questions {
					var opts []string
					for _, o := range q.Options {
						opts = append(opts, o.Value)
					}
					api := q.API.Path
					if q.API.Min != "" {
						api = q.Path()
					}
					out = append(out, qJSON{q.ID, q.Section.ID, q.Prompt, string(q.Kind), opts, q.Required, string(q.View), api})
				}
				return writeJSON(a.Out, out)
			}
			var b strings.Builder
			for _, s := range cat.Sections {
				fmt.Fprintf(&b, "%s\n", s.Title)
				for _, q := range s.Questions {
					kind := string(q.Kind)
					if len(q.Options) > 0 {
						var opts []string
						for _, o := range q.Options {
							opts = append(opts, o.Value)
						}
						kind += ": " + strings.Join(opts, " | ")
					}
					cond := ""
					if q.ShowIf != nil {
						cond = " (follow-up)"
					}
					fmt.Fprintf(&b, "  %-34s %s%s\n      %s\n", q.ID, kind, cond, oneLine(q.Prompt, 90))
				}
				b.WriteString("\n")
			}
			_, err = io.WriteString(a.Out, termsafe.Filter(b.String()))
			return err
		},
	}
	cmd.Flags().BoolVar(&ssaFlag, "ssa", false, "list the Security Self-Assessment's questions")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *App) importCmd() *cobra.Command {
	var create bool
	var name, message string
	cmd := &cobra.Command{
		Use:   "import KEY FILE [--create]",
		Short: "Make a payload or bundle file the app's draft, as a save point",
		Long: `Read a payload (either shape) or a review bundle and make it the app's draft, as a new
save point: nothing is lost, pstab revert brings back the draft as it was. The file is
checked first: a wrong value, or text with control characters, refuses the whole import
with the field named, and nothing is saved. Fields pstab does not know are kept.`,
		Example: `  pstab import com.example.app listing.json
  pstab import com.example.lite full-app-bundle.json --create --name "Example Lite"`,
		Args: exactArgs(2, "import takes KEY FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, file := args[0], args[1]
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				cat, err := s.CatalogueFor(key)
				if err != nil {
					return err
				}
				doc, err := a.readDocument(cat, file)
				if err != nil {
					return err
				}
				for _, n := range doc.notes {
					fmt.Fprintln(a.Err, "pstab: note: "+n)
				}
				if err := refuseBlocking(file, append(cat.Validate(doc.answers), questionnaire.UnsafeExtra(cat, doc.answers)...)); err != nil {
					return err
				}
				if _, err := s.App(ctx, key); errors.Is(err, store.ErrNotFound) && key != store.PartnerKey {
					if !create {
						return problemsErr("there is no app %s in %s; add --create to create it from the file", key, s.Path())
					}
					appName := name
					if appName == "" && doc.bundle != nil {
						appName = doc.bundle.AppName
					}
					if appName == "" {
						appName = key
					}
					if err := store.ValidateAppKey(key); err != nil {
						return usageErr("%q is not an app key: %v", key, err)
					}
					if err := s.CreateApp(ctx, store.App{Key: key, Name: appName, Hosting: "cloud"}); err != nil {
						return storeErr(err)
					}
				}
				ref := store.DraftRef{Subject: key, Questionnaire: cat.ID}
				if message == "" {
					message = "imported " + file
				}
				rev, _, err := s.Replace(ctx, ref, doc.answers, store.EventImport, message, store.AnyVersion)
				if err != nil {
					return storeErr(err)
				}
				p := cat.Progress(doc.answers)
				fmt.Fprintf(a.Err, "Imported %s into %s as save point %d (%d of %d answered, %d%%).\n",
					file, key, rev.Number, p.Answered, p.Total, p.Percent())
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&create, "create", false, "create the app if it does not exist")
	cmd.Flags().StringVar(&name, "name", "", "with --create: the app's name (default: the bundle's, or the key)")
	cmd.Flags().StringVarP(&message, "message", "m", "", "the save point's message")
	return cmd
}

// refuseBlocking turns blocking problems into one exit-1 error listing each with its path.
func refuseBlocking(source string, problems []questionnaire.Problem) error {
	var lines []string
	for _, p := range problems {
		if p.Severity == questionnaire.Blocking {
			lines = append(lines, p.Path+": "+lowerFirst(p.Message))
		}
	}
	switch len(lines) {
	case 0:
		return nil
	case 1:
		return problemsErr("%s was not imported: %s", source, strings.TrimSuffix(lines[0], "."))
	}
	return problemsErr("%s was not imported, nothing was saved; %d values are wrong:\n  %s", source, len(lines),
		strings.TrimSuffix(strings.Join(lines, "\n  "), "."))
}

func (a *App) checkCmd() *cobra.Command {
	var asJSON, strict bool
	cmd := &cobra.Command{
		Use:   "check KEY",
		Short: "Say whether a draft is ready to submit",
		Long: `Check a draft: wrong values (blocking), Atlassian's security requirements and
contradictions between answers (readiness), and unanswered questions (completeness).
Exit 1 when something is blocking; with --strict, also when anything at all is left.
For @partner, each self-assessment answer is judged against its passing criterion.`,
		Example: "  pstab check com.example.app\n  pstab check com.example.app --strict --json",
		Args:    exactArgs(1, "check takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				problems := cat.Readiness(d.Answers)
				var assessment *questionnaire.Assessment
				if len(cat.Checks) == 0 && cat.Level == "partner" {
					as := cat.Assessment(d.Answers, time.Now())
					assessment = &as
					problems = append(problems, as.Problems()...)
				}
				progress := cat.Progress(d.Answers)
				if asJSON {
					out := reportJSON(args[0], problems, progress)
					if assessment == nil {
						if err := writeJSON(a.Out, out); err != nil {
							return err
						}
					} else if err := writeJSON(a.Out, struct {
						reportJSONOut
						Verdict string `json:"verdict"`
						Renewal struct {
							State   string `json:"state"`
							RenewBy string `json:"renewBy,omitempty"`
							Message string `json:"message"`
						} `json:"renewal"`
					}{reportJSONOut: out, Verdict: string(assessment.Overall), Renewal: struct {
						State   string `json:"state"`
						RenewBy string `json:"renewBy,omitempty"`
						Message string `json:"message"`
					}{string(assessment.Renewal.State), dateOrEmpty(assessment.Renewal.RenewBy), assessment.Renewal.Message}}); err != nil {
						return err
					}
				} else {
					a.printReport(a.Out, args[0], problems, progress)
					if assessment != nil {
						fmt.Fprintf(a.Out, "Overall: %s. %s\n", assessment.Overall, assessment.Renewal.Message)
					}
				}
				if questionnaire.HasBlocking(problems) || strict && len(problems) > 0 {
					return errSilentProblems
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when anything is left, not only when something is blocking")
	return cmd
}

func (a *App) savepointCmd() *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:     "savepoint KEY [-m MESSAGE]",
		Short:   "Make a save point of a draft",
		Example: `  pstab savepoint com.example.app -m "after legal review"`,
		Args:    exactArgs(1, "savepoint takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, _ *questionnaire.Catalogue, _ store.App) error {
				rev, _, err := s.SavePoint(ctx, ref, message, store.AnyVersion)
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Made save point %d of %s.\n", rev.Number, args[0])
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what changed")
	return cmd
}

func (a *App) historyCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "history KEY",
		Short:   "Show a draft's save points and events",
		Example: "  pstab history com.example.app",
		Args:    exactArgs(1, "history takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, _ *questionnaire.Catalogue, _ store.App) error {
				revs, err := s.Revisions(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				events, err := s.History(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				if asJSON {
					type revJSON struct {
						Number  int       `json:"number"`
						At      time.Time `json:"at"`
						Kind    string    `json:"kind"`
						Message string    `json:"message,omitempty"`
					}
					type evJSON struct {
						At     time.Time `json:"at"`
						Kind   string    `json:"kind"`
						Detail string    `json:"detail,omitempty"`
					}
					out := struct {
						SavePoints []revJSON `json:"savePoints"`
						Events     []evJSON  `json:"events"`
					}{[]revJSON{}, []evJSON{}}
					for _, r := range revs {
						out.SavePoints = append(out.SavePoints, revJSON{r.Number, r.At.UTC(), r.Kind, r.Message})
					}
					for _, e := range events {
						out.Events = append(out.Events, evJSON{e.At.UTC(), e.Kind, e.Detail})
					}
					return writeJSON(a.Out, out)
				}
				var b strings.Builder
				if len(revs) == 0 {
					b.WriteString("No save points yet.\n")
				} else {
					b.WriteString("Save points:\n")
					for _, r := range revs {
						msg := r.Message
						if msg != "" {
							msg = "  " + oneLine(msg, 60)
						}
						fmt.Fprintf(&b, "  %3d  %s  %-10s%s\n", r.Number, r.At.Local().Format("2006-01-02 15:04"), r.Kind, msg)
					}
				}
				if len(events) > 0 {
					b.WriteString("\nEvents:\n")
					for _, e := range events {
						fmt.Fprintf(&b, "  %s  %-10s  %s\n", e.At.Local().Format("2006-01-02 15:04:05"), e.Kind, oneLine(e.Detail, 70))
					}
				}
				_, err = io.WriteString(a.Out, termsafe.Filter(b.String()))
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *App) diffCmd() *cobra.Command {
	var remote string
	cmd := &cobra.Command{
		Use:   "diff KEY [REV [REV]]",
		Short: "Show what changed, question by question, in words",
		Long: `Compare, question by question:
  pstab diff KEY            the latest save point with the working draft
  pstab diff KEY REV        save point REV with the working draft
  pstab diff KEY REV1 REV2  two save points
  pstab diff KEY --remote   the working draft with the live listing (see pstab pull)`,
		Example: "  pstab diff com.example.app\n  pstab diff com.example.app 3 5",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 3 {
				return usageErr("diff takes KEY [REV [REV]]; see pstab diff --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("remote") {
				return a.remoteDiff(cmd, args, remote)
			}
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				revs := make([]int, 0, 2)
				for _, r := range args[1:] {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 {
						return usageErr("%q is not a save point number; see pstab history %s", r, args[0])
					}
					revs = append(revs, n)
				}
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				var before, after questionnaire.Answers
				var fromLabel, toLabel string
				switch len(revs) {
				case 0:
					if d.Revision == 0 {
						fmt.Fprintln(a.Err, "There is no save point yet; showing every answer as new.")
						before = questionnaire.NewAnswers()
						fromLabel = "empty"
					} else {
						before, err = s.RevisionAnswers(ctx, ref, d.Revision)
						fromLabel = fmt.Sprintf("save point %d", d.Revision)
					}
					after, toLabel = d.Answers, "working draft"
				case 1:
					before, err = s.RevisionAnswers(ctx, ref, revs[0])
					after, fromLabel, toLabel = d.Answers, fmt.Sprintf("save point %d", revs[0]), "working draft"
				default:
					before, err = s.RevisionAnswers(ctx, ref, revs[0])
					if err == nil {
						after, err = s.RevisionAnswers(ctx, ref, revs[1])
					}
					fromLabel, toLabel = fmt.Sprintf("save point %d", revs[0]), fmt.Sprintf("save point %d", revs[1])
				}
				if errors.Is(err, store.ErrNotFound) {
					return problemsErr("%s has no such save point; see pstab history %s", args[0], args[0])
				}
				if err != nil {
					return storeErr(err)
				}
				a.printDiff(cat, before, after, fromLabel, toLabel)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&remote, "remote", "live", "compare with the Marketplace's live or draft version")
	cmd.Flags().Lookup("remote").NoOptDefVal = "live"
	return cmd
}

// printDiff prints a per-question diff in words.
func (a *App) printDiff(cat *questionnaire.Catalogue, before, after questionnaire.Answers, fromLabel, toLabel string) {
	changes := cat.Diff(before, after)
	extra := questionnaire.DiffExtra(before.Extra, after.Extra)
	var b strings.Builder
	if len(changes) == 0 && len(extra) == 0 {
		fmt.Fprintf(&b, "No differences between %s and %s.\n", fromLabel, toLabel)
		io.WriteString(a.Out, termsafe.Filter(b.String()))
		return
	}
	fmt.Fprintf(&b, "From %s to %s: %d %s changed.\n", fromLabel, toLabel, len(changes), plural(len(changes), "answer", "answers"))
	section := ""
	for _, ch := range changes {
		if ch.Question.Section.Title != section {
			section = ch.Question.Section.Title
			fmt.Fprintf(&b, "\n%s\n", section)
		}
		hidden := ""
		if ch.Hidden {
			hidden = " (hidden by other answers: kept, not sent)"
		}
		fmt.Fprintf(&b, "  %s%s\n    %s\n", ch.Question.ID, hidden, ch.Summary)
	}
	if len(extra) > 0 {
		b.WriteString("\nFields pstab does not ask about:\n")
		for _, e := range extra {
			switch {
			case e.Before == "":
				fmt.Fprintf(&b, "  %s: added %s\n", e.Path, oneLine(e.After, 60))
			case e.After == "":
				fmt.Fprintf(&b, "  %s: removed (was %s)\n", e.Path, oneLine(e.Before, 60))
			default:
				fmt.Fprintf(&b, "  %s: %s → %s\n", e.Path, oneLine(e.Before, 40), oneLine(e.After, 40))
			}
		}
	}
	io.WriteString(a.Out, termsafe.Filter(b.String()))
}

func (a *App) revertCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "revert KEY REV",
		Short:   "Bring back a save point, as a new save point (nothing is destroyed)",
		Example: "  pstab revert com.example.app 3",
		Args:    exactArgs(2, "revert takes KEY REV"),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 1 {
				return usageErr("%q is not a save point number; see pstab history %s", args[1], args[0])
			}
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, _ *questionnaire.Catalogue, _ store.App) error {
				rev, _, err := s.Revert(ctx, ref, n, store.AnyVersion)
				if errors.Is(err, store.ErrNotFound) {
					return problemsErr("%s has no save point %d; see pstab history %s", args[0], n, args[0])
				}
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Brought back save point %d of %s as save point %d.\n", n, args[0], rev.Number)
				return nil
			})
		},
	}
}

func (a *App) discardCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "discard KEY [--yes]",
		Short:   "Throw away the changes since the latest save point",
		Example: "  pstab discard com.example.app --yes",
		Args:    exactArgs(1, "discard takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				if !d.Dirty {
					fmt.Fprintln(a.Err, "Nothing to discard: the draft is as its latest save point left it.")
					return nil
				}
				var last questionnaire.Answers
				if d.Revision > 0 {
					if last, err = s.RevisionAnswers(ctx, ref, d.Revision); err != nil {
						return storeErr(err)
					}
				}
				n := len(cat.Diff(last, d.Answers))
				if err := a.confirm(yes, fmt.Sprintf("Discard %d changed %s in %s since save point %d?", n, plural(n, "answer", "answers"), args[0], d.Revision)); err != nil {
					return err
				}
				if _, err := s.Discard(ctx, ref, d.Version); err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Discarded %d %s; %s is back to save point %d.\n", n, plural(n, "change", "changes"), args[0], d.Revision)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask")
	return cmd
}

func (a *App) copyCmd() *cobra.Command {
	var create bool
	var name string
	cmd := &cobra.Command{
		Use:   "copy FROM TO",
		Short: "Copy every answer of one app into another, as a save point",
		Long: `Copy every answer of app FROM into app TO, as a new save point in TO: TO's previous
answers stay in its history (pstab revert brings them back). Useful for lite and full
variants of one app.`,
		Example: "  pstab copy com.example.app com.example.lite\n  pstab copy com.example.app com.example.dc --create --name \"Example DC\"",
		Args:    exactArgs(2, "copy takes FROM TO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to := args[0], args[1]
			if from == to {
				return usageErr("FROM and TO are the same app")
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				if _, err := a.subject(ctx, s, from); err != nil {
					return err
				}
				if _, err := s.App(ctx, to); errors.Is(err, store.ErrNotFound) {
					if !create {
						return problemsErr("there is no app %s; create it with pstab new, or add --create", to)
					}
					if err := store.ValidateAppKey(to); err != nil {
						return usageErr("%q is not an app key: %v", to, err)
					}
					if name == "" {
						name = to
					}
					if err := s.CreateApp(ctx, store.App{Key: to, Name: name, Hosting: "cloud"}); err != nil {
						return storeErr(err)
					}
				}
				rev, err := s.Copy(ctx, from, to)
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Copied %s into %s as save point %d.\n", from, to, rev.Number)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&create, "create", false, "create TO if it does not exist")
	cmd.Flags().StringVar(&name, "name", "", "with --create: TO's name")
	return cmd
}

func (a *App) rmCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm KEY --yes",
		Short:   "Delete an app with its drafts, save points and history",
		Example: "  pstab rm com.example.old --yes",
		Args:    exactArgs(1, "rm takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				if args[0] == store.PartnerKey {
					return usageErr("@partner is not an app; clear its answers with pstab unset")
				}
				sub, err := a.subject(ctx, s, args[0])
				if err != nil {
					return err
				}
				app := sub.App
				if err := a.confirm(yes, fmt.Sprintf("Delete %s (%s) with its drafts, save points and history? This cannot be undone.", app.Name, app.Key)); err != nil {
					return err
				}
				if err := s.DeleteApp(ctx, app.Key); err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Deleted %s.\n", app.Key)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask")
	return cmd
}

// confirm asks a yes/no question on the terminal; without a terminal it asks for --yes.
func (a *App) confirm(yes bool, question string) error {
	if yes {
		return nil
	}
	if !a.InIsTerminal {
		return usageErr("%s Add --yes to confirm; no terminal to ask on", strings.TrimSuffix(question, "?")+"?")
	}
	fmt.Fprintf(a.Err, "%s [y/N] ", termsafe.Filter(question))
	line, err := bufio.NewReader(a.In).ReadString('\n')
	if err != nil && line == "" {
		return errCancelled
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return &ExitError{Code: ExitProblems, Err: errors.New("nothing was changed")}
}

// lowerFirst lowers a message's first letter so it can follow a colon in a sentence.
func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "I ") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
