package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// The commands that answer and check one draft: set, unset, questions and check.

func (a *App) setCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set KEY QUESTION VALUE...",
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

QUESTION is a question ID (see pstab questions) or its API path, as pstab check shows
them. A value may start with a dash (retention-period -1..30 is read, and refused by the
check). A sub-processor's link may be a bare domain: sendgrid.com is kept as
https://sendgrid.com, and pstab says so. A JSON key that is not one of the entry's
fields is refused, since it would be lost.

The answer is checked as everywhere else in pstab: a wrong value is refused (exit 1) and
nothing is saved. Use @partner as KEY for your Security Self-Assessment.`,
		Example: `  pstab set com.example.app stores-eud yes
  pstab set com.example.app stored-data-types "Issue keys" "Account IDs"
  pstab set com.example.app retention-period 0..30
  pstab set com.example.app security.securityContact security@example.com
  pstab set com.example.app sub-processors '{"name":"AWS","purpose":"Hosting","link":"https://aws.amazon.com"}'
  pstab set @partner ssa-3 yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 3 {
				return usageErr("the set command takes KEY QUESTION-ID VALUE...; see pstab set --help")
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
					return usageErr("not saved: %v", err)
				}
				v, notes := q.LinkDomains(v)
				if ps := q.Check(v); len(ps) > 0 {
					var msgs []string
					for _, p := range ps {
						msgs = append(msgs, questionnaire.LowerFirst(p.Message))
					}
					return problemsErr("not saved: %s: %s", q.ID, strings.TrimSuffix(strings.Join(msgs, "; "), "."))
				}
				for _, n := range notes {
					fmt.Fprintln(a.Err, "pstab: note: "+questionnaire.Sentence(n+" (the web form calls it a domain; a link on the listing needs https://)"))
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
	if _, had := before.Answers.Get(q.ID); v.IsEmpty() && !had {
		// A script that clears an answer twice must not be told the second time cleared it.
		fmt.Fprintf(a.Err, "%s has no answer; nothing changed.\n", q.ID)
		return nil
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
	if !v.IsEmpty() && !cat.Visible(after).Shows(q) {
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

// questionFor finds the question a command names: by its ID, or by the API path that
// check and validate show beside it.
func questionFor(cat *questionnaire.Catalogue, id string) (*questionnaire.Question, error) {
	q := cat.Lookup(id)
	if q == nil {
		return nil, usageErr("%s has no question or API path %q; list them with pstab questions", cat.Title, id)
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

// refuseBlocking turns blocking problems into one exit-1 error listing each with its path.
func refuseBlocking(source string, problems []questionnaire.Problem) error {
	var lines []string
	for _, p := range problems {
		if p.Severity == questionnaire.Blocking {
			lines = append(lines, problemLabel(p)+": "+questionnaire.LowerFirst(p.Message))
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

// leftOver says what --strict fails on when nothing is blocking: "2 pieces of advice and
// 20 unanswered questions are left".
func leftOver(problems []questionnaire.Problem) string {
	var advice, unanswered int
	for _, p := range problems {
		switch p.Severity {
		case questionnaire.Advice:
			advice++
		case questionnaire.Unanswered:
			unanswered++
		}
	}
	var parts []string
	if advice > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", advice, questionnaire.PluralWord(advice, "piece of advice", "pieces of advice")))
	}
	if unanswered > 0 {
		parts = append(parts, questionnaire.Plural(unanswered, "unanswered question"))
	}
	verb := "are"
	if advice+unanswered == 1 {
		verb = "is"
	}
	return strings.Join(parts, " and ") + " " + verb + " left"
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
			return a.withSubjectRead(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				problems := cat.Readiness(d.Answers)
				manifest, note, err := a.manifestFindings(ctx, s, ref, cat, d.Answers)
				if err != nil {
					return err
				}
				problems = append(problems, manifest...)
				var assessment *questionnaire.Assessment
				if len(cat.Checks) == 0 && cat.Level == "partner" {
					as := cat.Assessment(d.Answers, time.Now())
					assessment = &as
					problems = append(problems, as.Problems()...)
				}
				progress := cat.Progress(d.Answers)
				if asJSON {
					out := reportJSON(args[0], problems, progress)
					out.addNotSent(cat, d.Answers)
					if assessment == nil {
						if err := writeJSON(a.Out, out); err != nil {
							return err
						}
					} else if err := writeJSON(a.Out, struct {
						reportJSONOut
						Verdict string `json:"verdict"`
						Retired string `json:"retired,omitempty"`
						Renewal struct {
							State   string `json:"state"`
							RenewBy string `json:"renewBy,omitempty"`
							Message string `json:"message"`
						} `json:"renewal"`
					}{reportJSONOut: out, Verdict: string(assessment.Overall), Retired: retiredOn(cat), Renewal: struct {
						State   string `json:"state"`
						RenewBy string `json:"renewBy,omitempty"`
						Message string `json:"message"`
					}{string(assessment.Renewal.State), dateOrEmpty(assessment.Renewal.RenewBy), assessment.Renewal.Message}}); err != nil {
						return err
					}
				} else {
					a.printReport(a.Out, args[0], problems, progress, notSentLines(cat, d.Answers))
					if note != "" {
						fmt.Fprint(a.Out, termsafe.Filter(note))
					}
					if assessment != nil {
						msg := assessment.Renewal.Message
						if cat.Retired != nil {
							msg = "The program was retired on " + cat.Retired.On + ": this is a record, against its old passing criteria."
						}
						fmt.Fprintf(a.Out, "Overall: %s. %s\n", assessment.Overall, msg)
					}
				}
				if questionnaire.HasBlocking(problems) {
					return errSilentProblems
				}
				if strict && len(problems) > 0 {
					return problemsErr("--strict: %s; %s", leftOver(problems), "answer them, or drop --strict to fail only on blocking problems")
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when anything is left, not only when something is blocking")
	return cmd
}

// retiredOn is the date a catalogue's program was retired, or "".
func retiredOn(cat *questionnaire.Catalogue) string {
	if cat.Retired == nil {
		return ""
	}
	return cat.Retired.On
}
