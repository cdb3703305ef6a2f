package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui"
)

func (a *App) reviewCmd() *cobra.Command {
	var out, since, authorFlag string
	cmd := &cobra.Command{
		Use:   "review FILE [-o OUT] [--since OLD]",
		Short: "Review a bundle in the wizard: read, comment, approve or ask for changes",
		Long: `Open a review bundle (pstab export KEY --format bundle) in the wizard, as the reviewer:
the same sections, preview and checklist the partner sees, with every blocking problem
marked. The answers cannot be changed; c comments on the focused question (a reply where
there are comments, tab to resolve), o on the whole draft, A approves, R asks for changes,
] steps to the next open comment. Every comment and decision is written back to FILE at
once, atomically, or to -o OUT (FILE is then left as it is). No database is opened.

--since OLD, the bundle you read last time, marks each answer changed since, and n / N
step through only those. A payload file opens read-only, with nothing written.`,
		Example: "  pstab review for-review.json\n  pstab review for-review.json --since last-time.json -o reviewed.json",
		Args:    exactArgs(1, "review takes one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cats, err := a.catalogues()
			if err != nil {
				return err
			}
			cat := cats.PrivacySecurity
			data, err := a.readInput(args[0])
			if err != nil {
				return err
			}
			isBundle := questionnaire.IsBundle(data)
			if isBundle && bundleQuestionnaire(data) == cats.SelfAssessment.ID {
				cat = cats.SelfAssessment
			}
			doc, err := a.readDocument(cat, args[0])
			if err != nil {
				return err
			}
			for _, n := range doc.notes {
				fmt.Fprintln(a.Err, "pstab: note: "+n)
			}
			rd := &ui.ReviewDoc{Catalogue: cat, Answers: doc.answers, Title: doc.title, Note: doc.note}
			switch {
			case isBundle && args[0] == "-" && out == "":
				return usageErr("a bundle read from standard input has nowhere to be written back; give -o OUT")
			case isBundle:
				f := &bundleFile{path: args[0], name: args[0], data: data, cat: cat, bundle: *doc.bundle}
				rd.Review = doc.bundle.Review
				rd.WritesTo = out
				if out == "" {
					rd.WritesTo = args[0]
				}
				rd.Save = func(r questionnaire.Review) error {
					f.bundle.Review = r
					_, err := a.writeBack(f, out)
					return err
				}
			case out != "":
				return usageErr("%s is a payload, which has no room for comments, so -o has nothing to write; make a bundle with pstab export --file %s --format bundle -o for-review.json", args[0], args[0])
			}
			if since != "" {
				old, err := a.fileSide(since)
				if err != nil {
					return err
				}
				if old.cat.ID != cat.ID {
					return usageErr("%s holds %s answers and %s holds %s ones; compare like with like", since, old.cat.ID, args[0], cat.ID)
				}
				rd.Since, rd.SinceName, rd.SinceReview = &old.answers, since, old.review
			}
			author, err := a.author(authorFlag)
			if err != nil && rd.Save != nil {
				return err
			}
			if !a.InIsTerminal {
				return usageErr("the review command needs a terminal; without one use pstab comments, pstab comment and pstab approve on %s", args[0])
			}
			return a.startTUI(cmd.Context(), ui.Config{Catalogues: cats, Review: rd, Author: author})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write comments and decisions to this file instead of FILE")
	cmd.Flags().StringVar(&since, "since", "", "the bundle you reviewed last time: mark the answers changed since")
	cmd.Flags().StringVar(&authorFlag, "author", "", "the name to sign with (default PSTAB_AUTHOR, else your user name)")
	return cmd
}
