package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

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
			rescue := &reviewRescue{a: a, out: out}
			rd := &ui.ReviewDoc{Catalogue: cat, Answers: doc.answers, Title: doc.title, Note: doc.note}
			switch {
			case isBundle && args[0] == "-" && out == "":
				return usageErr("a bundle read from standard input has nowhere to be written back; give -o OUT")
			case isBundle && out == "-":
				return usageErr("-o - would write the bundle into the screen the review runs on; give a file, -o reviewed.json")
			case isBundle:
				f := &bundleFile{path: args[0], name: args[0], data: data, cat: cat, bundle: *doc.bundle}
				rd.Review = doc.bundle.Review
				rd.WritesTo = out
				if out == "" {
					rd.WritesTo = args[0]
				}
				rd.Save = func(r questionnaire.Review) error {
					return rescue.save(f, r)
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
			err = a.startTUI(cmd.Context(), ui.Config{Catalogues: cats, Review: rd, Author: author})
			if rerr := rescue.finish(); rerr != nil {
				return rerr
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write comments and decisions to this file instead of FILE")
	cmd.Flags().StringVar(&since, "since", "", "the bundle you reviewed last time: mark the answers changed since")
	cmd.Flags().StringVar(&authorFlag, "author", "", "the name to sign with (default PSTAB_AUTHOR, else your user name)")
	return cmd
}

// reviewRescue writes a reviewer's conversation into the bundle for the TUI, and makes
// sure nothing typed or saved is lost. The bundle in memory only grows: each save is
// merged in, so a write finishing out of order cannot drop a newer remark. A file changed
// on disk since pstab last read or wrote it (a pstab comment run beside the review) has
// its review merged in before it is written over; one that holds other answers now is
// not written over at all. When the review ends with the last write failed, finish tries
// again and, failing that, writes the whole bundle to a file of its own and says where.
type reviewRescue struct {
	a   *App
	out string

	mu     sync.Mutex
	f      *bundleFile
	seen   []byte // the file as pstab last read or wrote it; nil before -o OUT is written
	failed error
}

func (rs *reviewRescue) save(f *bundleFile, r questionnaire.Review) error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.f == nil && rs.out == "" {
		rs.seen = f.data
	}
	rs.f = f
	merged := f.bundle.Review.Clone()
	merged.Merge(r)
	f.bundle.Review = merged
	rs.failed = rs.write()
	return rs.failed
}

// write puts the conversation into the file, after what changed on disk meanwhile.
func (rs *reviewRescue) write() error {
	f := rs.f
	dest := firstNonEmpty(rs.out, f.path)
	if cur, err := os.ReadFile(dest); err == nil && rs.seen != nil && !bytes.Equal(cur, rs.seen) {
		b, _, err := f.cat.DecodeBundle(cur)
		switch {
		case err != nil:
			return fmt.Errorf("%s changed on disk since pstab read it and is no longer a bundle it can read, so it was not written over", dest)
		case f.cat.Fingerprint(b.Answers) != f.cat.Fingerprint(f.bundle.Answers):
			return fmt.Errorf("%s changed on disk since pstab read it and holds other answers now, so it was not written over", dest)
		}
		merged := b.Review.Clone()
		merged.Merge(f.bundle.Review)
		f.bundle.Review, f.data = merged, cur
	}
	data, err := f.cat.WithReview(f.data, f.bundle.Review)
	if err != nil {
		return decodeErr(f.name, err)
	}
	if err := writeFileAtomic(dest, data); err != nil {
		return err
	}
	rs.seen = data
	return nil
}

func (rs *reviewRescue) finish() error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.failed == nil {
		return nil
	}
	dest := firstNonEmpty(rs.out, rs.f.path)
	err := rs.write()
	if err == nil {
		fmt.Fprintf(rs.a.Err, "Wrote %s on the way out, after a write that had failed.\n", dest)
		return nil
	}
	data, werr := rs.f.cat.WithReview(rs.f.data, rs.f.bundle.Review)
	if werr == nil {
		keep := filepath.Join(os.TempDir(), fmt.Sprintf("pstab-review-%s-%s.json",
			strings.TrimSuffix(filepath.Base(rs.f.path), filepath.Ext(rs.f.path)), time.Now().Format("20060102-150405")))
		if werr = writeFileAtomic(keep, data); werr == nil {
			return problemsErr("%s was not written (%v); your comments and decision are in %s: copy it over %s once it can be written",
				dest, err, keep, dest)
		}
	}
	return problemsErr("%s was not written (%v), nor a copy in %s (%v): the comments made since the last write are lost",
		dest, err, os.TempDir(), werr)
}
