package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
	"github.com/pstab/pstab/ui/termsafe"
)

// The commands over a draft's save points and history: import, savepoint, history, diff,
// revert and discard.

func (a *App) importCmd() *cobra.Command {
	var create, yes, allowEmpty, otherApp, replaceAnswers bool
	var name, message string
	cmd := &cobra.Command{
		Use:   "import [KEY] FILE [--create]",
		Short: "Make a payload or bundle file the app's draft, as a save point",
		Long: `Read a payload (either shape) or a review bundle and make it the app's draft, as a new
save point: nothing is lost, pstab revert brings back the draft as it was. The file is
checked first: a wrong value, or text with control characters, refuses the whole import
with the field named, and nothing is saved. Fields pstab does not know are kept, and so
are a bundle's answers to questions this pstab's catalogue does not have.

A draft that has answers is replaced only after pstab shows what changes and asks; give
--yes where there is no terminal to ask on. A file with no answers at all ({}) would
clear the draft, so it needs --allow-empty. A bundle carries its app's key: without KEY
it goes back to that app, and into another app only with --as-other-app. With --create,
a missing app is made, named after the bundle's app unless --name says otherwise.

A bundle that comes back from a reviewer brings its comments and decision into the draft,
and the draft's answers are kept (pstab diff KEY FILE shows how the bundle's differ);
--replace-answers takes the bundle's answers too, as a save point.`,
		Example: `  pstab import com.example.app listing.json
  pstab import for-review.json --yes
  pstab import com.example.lite full-app-bundle.json --as-other-app --create --name "Example Lite"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usageErr("the import command takes [KEY] FILE; see pstab import --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			key, file := "", args[len(args)-1]
			if len(args) == 2 {
				key = args[0]
			}
			if err := store.ValidateMessage(message); err != nil {
				return usageErr("--message: %v", err)
			}
			if err := store.ValidateAppName(name); name != "" && err != nil {
				return usageErr("--name: %v", err)
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				doc, cat, err := a.importDocument(s, key, file)
				if err != nil {
					return err
				}
				if key == "" {
					if doc.bundle == nil || doc.bundle.AppKey == "" {
						return usageErr("%s does not say which app it is for (only a bundle does); give the app KEY: pstab import KEY %s", file, file)
					}
					key = doc.bundle.AppKey
				} else if b := doc.bundle; b != nil && b.AppKey != "" && b.AppKey != key && !otherApp {
					return problemsErr("%s holds the answers of %s, not %s, so nothing was imported; add --as-other-app to import them into %s anyway", file, b.AppKey, key, key)
				}
				if done, err := a.importReview(ctx, s, cat, key, file, doc, replaceAnswers); done || err != nil {
					return err
				}
				answers, notes := cat.LinkDomains(doc.answers)
				for _, n := range notes {
					fmt.Fprintln(a.Err, "pstab: note: "+questionnaire.Sentence(n))
				}
				if err := refuseBlocking(file, append(cat.Validate(answers), questionnaire.UnsafeExtra(cat, answers)...)); err != nil {
					return err
				}
				if answers.IsEmpty() && !allowEmpty {
					return problemsErr("%s holds no answers, and importing it would leave %s with none, so nothing was imported; add --allow-empty if that is what you want", file, key)
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
					if err := store.ValidateAppName(appName); err != nil && name == "" {
						return usageErr("%s: the app's name in the bundle is refused: %v; give the app a name with --name", file, err)
					}
					if err := store.ValidateAppKey(key); err != nil {
						return usageErr("%q is not an app key: %v", key, err)
					}
					if err := s.CreateApp(ctx, store.App{Key: key, Name: appName, Hosting: "cloud"}); err != nil {
						return storeErr(err)
					}
					fmt.Fprintf(a.Err, "Created %s%s.\n", key, namedAs(key, appName))
				} else if err != nil {
					return storeErr(err)
				}
				ref := store.DraftRef{Subject: key, Questionnaire: cat.ID}
				before, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				changed, err := a.confirmReplace(cat, key, before.Answers, answers, "Importing "+file, yes)
				if err != nil {
					return err
				}
				if message == "" {
					// The file's name is the partner's own, but it may hold anything a
					// file name can: it goes into history lists and exports cleaned.
					message = "imported " + questionnaire.CleanText(file, false)
				}
				rev, _, err := s.Replace(ctx, ref, answers, store.EventImport, message, before.Version)
				if err != nil {
					return storeErr(err)
				}
				p := cat.Progress(answers)
				fmt.Fprintf(a.Err, "Imported %s into %s as save point %d (%d of %d answered, %d%%).%s\n",
					file, key, rev.Number, p.Answered, p.Total, p.Percent(), keptAs(changed, before, rev, key))
				for _, n := range notSentLines(cat, answers) {
					fmt.Fprintln(a.Err, termsafe.Filter(n))
				}
				return a.mergeImportedReview(ctx, s, ref, cat, file, doc)
			})
		},
	}
	cmd.Flags().BoolVar(&create, "create", false, "create the app if it does not exist")
	cmd.Flags().StringVar(&name, "name", "", "with --create: the app's name (default: the bundle's, or the key)")
	cmd.Flags().StringVarP(&message, "message", "m", "", "the save point's message")
	cmd.Flags().BoolVar(&yes, "yes", false, "replace a draft that has answers without asking")
	cmd.Flags().BoolVar(&allowEmpty, "allow-empty", false, "import a file with no answers, clearing the draft")
	cmd.Flags().BoolVar(&otherApp, "as-other-app", false, "import a bundle of another app")
	cmd.Flags().BoolVar(&replaceAnswers, "replace-answers", false, "for a reviewed bundle: take its answers too, not only its comments")
	return cmd
}

// importDocument reads the file import takes, with the catalogue of the draft it goes to:
// KEY's, or, without KEY, that of the bundle's own app.
func (a *App) importDocument(s *store.Store, key, file string) (*document, *questionnaire.Catalogue, error) {
	data, err := a.readInput(file)
	if err != nil {
		return nil, nil, err
	}
	catKey := key
	if catKey == "" {
		catKey = "app" // any app key: a bundle without KEY is an app's unless it says @partner
		if bundleQuestionnaire(data) == s.Catalogues().SelfAssessment.ID {
			catKey = store.PartnerKey
		}
	}
	cat, err := s.CatalogueFor(catKey)
	if err != nil {
		return nil, nil, err
	}
	doc, err := a.decodeDocument(cat, file, data)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range doc.notes {
		fmt.Fprintln(a.Err, "pstab: note: "+n)
	}
	return doc, cat, nil
}

func (a *App) savepointCmd() *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:     "savepoint KEY [-m MESSAGE]",
		Short:   "Make a save point of a draft",
		Example: `  pstab savepoint com.example.app -m "after legal review"`,
		Args:    exactArgs(1, "savepoint takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := store.ValidateMessage(message); err != nil {
				return usageErr("--message: %v", err)
			}
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
			return a.withSubjectRead(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, _ *questionnaire.Catalogue, _ store.App) error {
				revs, err := s.Revisions(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				events, err := s.History(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				d, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				props := submit.KnownProperties(d)
				if asJSON {
					type revJSON struct {
						Number  int       `json:"number"`
						At      time.Time `json:"at"`
						Kind    string    `json:"kind"`
						Message string    `json:"message,omitempty"`
						Damaged bool      `json:"damaged,omitempty"`
					}
					type evJSON struct {
						At     time.Time `json:"at"`
						Kind   string    `json:"kind"`
						Detail string    `json:"detail,omitempty"`
					}
					out := struct {
						Marketplace *propertiesJSON `json:"marketplace,omitempty"`
						SavePoints  []revJSON       `json:"savePoints"`
						Events      []evJSON        `json:"events"`
					}{nil, []revJSON{}, []evJSON{}}
					if props.FormStatus != "" {
						pj := propsJSON(args[0], props)
						out.Marketplace = &pj
					}
					for _, r := range revs {
						out.SavePoints = append(out.SavePoints, revJSON{r.Number, r.At.UTC(), r.Kind, r.Message, r.Damaged})
					}
					for _, e := range events {
						out.Events = append(out.Events, evJSON{e.At.UTC(), e.Kind, e.Detail})
					}
					return writeJSON(a.Out, out)
				}
				var b strings.Builder
				if props.FormStatus != "" {
					b.WriteString("On the Marketplace, when pstab last read or sent it:\n")
					describeRemote(&b, args[0], props, true)
					b.WriteString("\n")
				}
				if len(revs) == 0 {
					b.WriteString("No save points yet.\n")
				} else {
					b.WriteString("Save points:\n")
					for _, r := range revs {
						msg := r.Message
						if msg != "" {
							msg = "  " + oneLine(msg, 60)
						}
						if r.Damaged {
							msg += "  (damaged: it cannot be read; the others can)"
						}
						fmt.Fprintf(&b, "  %3d  %s  %-10s%s\n", r.Number, r.At.Local().Format("2006-01-02 15:04"), r.Kind, msg)
					}
				}
				if len(events) > 0 {
					b.WriteString("\nEvents:\n")
					// The kind column fits the longest kind shown ("request changes"), so the
					// details stay in one column.
					width := 10
					for _, e := range events {
						width = max(width, len(e.Kind))
					}
					for _, e := range events {
						fmt.Fprintf(&b, "  %s  %-*s  %s\n", e.At.Local().Format("2006-01-02 15:04:05"), width, e.Kind, oneLine(e.Detail, 70))
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
	var f apiFlags
	cmd := &cobra.Command{
		Use:   "diff KEY [REV [REV]] | diff FILE FILE|KEY",
		Short: "Show what changed, question by question, in words",
		Long: `Compare, question by question:
  pstab diff KEY            the latest save point with the working draft
  pstab diff KEY REV        save point REV with the working draft
  pstab diff KEY REV1 REV2  two save points
  pstab diff KEY --remote   the working draft with the live listing (see pstab pull)
  pstab diff OLD NEW        two payload or bundle files, with no database
  pstab diff FILE KEY       a file with an app's working draft (or KEY FILE)

With a bundle on either side, the review comments are shown beside the questions they
concern, and the last line says whether the reviewer's decision still holds.`,
		Example: "  pstab diff com.example.app\n  pstab diff com.example.app 3 5\n  pstab diff last-review.json for-review.json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 3 {
				return usageErr("the diff command takes KEY [REV [REV]], two files, or a file and a KEY; see pstab diff --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if isFileDiff(args) {
				return a.fileDiff(cmd, args)
			}
			if cmd.Flags().Changed("remote") {
				return a.remoteDiff(cmd, args, remote, f)
			}
			return a.withSubjectRead(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
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
					return problemsErr("there is no such save point in %s; see pstab history %s", args[0], args[0])
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
	f.add(cmd, true)
	return cmd
}

// printDiff prints a per-question diff in words.
func (a *App) printDiff(cat *questionnaire.Catalogue, before, after questionnaire.Answers, fromLabel, toLabel string) {
	changes := cat.Diff(before, after)
	extra := cat.DiffExtra(before.Extra, after.Extra)
	var b strings.Builder
	if len(changes) == 0 && len(extra) == 0 {
		fmt.Fprintf(&b, "No differences between %s and %s.\n", fromLabel, toLabel)
		io.WriteString(a.Out, termsafe.Filter(b.String()))
		return
	}
	fmt.Fprintf(&b, "From %s to %s: %d %s changed.\n", fromLabel, toLabel, len(changes), questionnaire.PluralWord(len(changes), "answer", "answers"))
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
	var yes bool
	cmd := &cobra.Command{
		Use:   "revert KEY REV [--yes]",
		Short: "Bring back a save point, as a new save point (nothing is destroyed)",
		Long: `Make save point REV the working draft again, as a new save point. The answers it
replaces stay in the history: unsaved changes get a save point of their own first. pstab
shows what changes and asks first; give --yes where there is no terminal to ask on.`,
		Example: "  pstab revert com.example.app 3\n  pstab revert com.example.app 3 --yes",
		Args:    exactArgs(2, "revert takes KEY REV"),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 1 {
				return usageErr("%q is not a save point number; see pstab history %s", args[1], args[0])
			}
			return a.withSubject(cmd, args[0], func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
				before, err := s.Load(ctx, ref)
				if err != nil {
					return storeErr(err)
				}
				target, err := s.RevisionAnswers(ctx, ref, n)
				if errors.Is(err, store.ErrNotFound) {
					return problemsErr("there is no save point %d in %s; see pstab history %s", n, args[0], args[0])
				}
				if err != nil {
					return storeErr(err)
				}
				changed, err := a.confirmReplace(cat, args[0], before.Answers, target, fmt.Sprintf("Reverting to save point %d", n), yes)
				if err != nil {
					return err
				}
				rev, _, err := s.Revert(ctx, ref, n, before.Version)
				if errors.Is(err, store.ErrNotFound) {
					return problemsErr("there is no save point %d in %s; see pstab history %s", n, args[0], args[0])
				}
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Brought back save point %d of %s as save point %d.%s\n", n, args[0], rev.Number, keptAs(changed, before, rev, args[0]))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "replace a draft that has answers without asking")
	return cmd
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
				if err := a.confirm(yes, fmt.Sprintf("Discard %d changed %s in %s since save point %d?", n, questionnaire.PluralWord(n, "answer", "answers"), args[0], d.Revision)); err != nil {
					return err
				}
				if _, err := s.Discard(ctx, ref, d.Version); err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Discarded %d %s; %s is back to save point %d.\n", n, questionnaire.PluralWord(n, "change", "changes"), args[0], d.Revision)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask")
	return cmd
}
