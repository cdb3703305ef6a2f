package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/submit"
	"github.com/pstab/pstab/ui/termsafe"
)

func (a *App) previewCmd() *cobra.Command {
	var file, view string
	var plain bool
	cmd := &cobra.Command{
		Use:   "preview [KEY] [--file FILE]",
		Short: "Show the listing tab as customers will see it",
		Long: `Show the Privacy & Security tab as customers will see it: the default view, the expanded
view, or both. Questions without an answer read "Response not provided by the partner".

Give an app KEY to preview its draft, or --file to preview a payload or review bundle
without any database (what a reviewer does offline). On a terminal the tab is rendered;
with --plain, or when the output is piped, it is printed as Markdown.`,
		Example: `  pstab preview com.example.app
  pstab preview com.example.app --view default
  pstab preview --file review-bundle.json --plain > tab.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			views, err := questionnaire.ParseViews(view)
			if err != nil {
				return usageErr("%v", err)
			}
			c, doc, err := a.documentFor(args, file)
			if err != nil {
				return err
			}
			md := c.Markdown(doc.answers, questionnaire.MarkdownOptions{Views: views, Title: doc.title, Note: doc.note})
			return a.showMarkdown(md, plain)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "preview a payload or bundle file instead of a draft")
	cmd.Flags().StringVar(&view, "view", "all", "which view: default, expanded or all")
	cmd.Flags().BoolVar(&plain, "plain", false, "print plain Markdown, even on a terminal")
	return cmd
}

func (a *App) exportCmd() *cobra.Command {
	var file, format, out, view string
	var allowProblems bool
	cmd := &cobra.Command{
		Use:   "export [KEY] --format payload|markdown|sheet|bundle [-o OUT]",
		Short: "Write a draft as a payload, Markdown, an answer sheet or a review bundle",
		Long: `Write a draft (an app KEY) or a file (--file) in another form:

  payload   the v2 PUT body {"appTrustInformation": {...}}, for the API or for curl
  markdown  the listing tab as Markdown (both views, or --view)
  sheet     an answer sheet for entering the answers by hand in the web form
  bundle    one file a reviewer can read offline with pstab preview --file or pstab review
            (every answer, with the app's name, the revision and the time)

Without -o the result goes to standard output. With -o it is written atomically, readable
only by you.

A payload and a sheet leave pstab for the Marketplace, so a draft with blocking problems
(the ones pstab check and push refuse) writes neither: the export exits 1 naming them, and
writes nothing. --allow-problems writes them anyway; the sheet then marks each answer that
needs a fix. Markdown and bundles, which are for reading and review, are always written.`,
		Example: `  pstab export com.example.app --format payload -o payload.json
  pstab export com.example.app --format bundle -o for-review.json
  pstab export --file payload.json --format sheet`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			views, err := questionnaire.ParseViews(view)
			if err != nil {
				return usageErr("%v", err)
			}
			switch format {
			case "payload", "markdown", "sheet", "bundle":
			case "":
				return usageErr("say which --format: payload, markdown, sheet or bundle")
			default:
				return usageErr("unknown --format %q: use payload, markdown, sheet or bundle", format)
			}
			c, doc, err := a.documentFor(args, file)
			if err != nil {
				return err
			}
			var blocking []questionnaire.Problem
			if format == "payload" || format == "sheet" {
				blocking = submit.Blockers(c, doc.answers)
				if len(blocking) > 0 && !allowProblems {
					return refuseExport(args, file, format, blocking)
				}
			}
			var data []byte
			switch format {
			case "payload":
				// An answer with a blocking problem is kept in the draft, never sent.
				data, err = c.EncodePayload(doc.answers, questionnaire.ShapeV2Put)
			case "markdown":
				data = []byte(c.Markdown(doc.answers, questionnaire.MarkdownOptions{Views: views, Title: doc.title, Note: doc.note}))
			case "sheet":
				data = []byte(c.SheetMarked(doc.answers, doc.title, blocking))
			case "bundle":
				// A payload names no app: its file name is not the app's name.
				b := questionnaire.Bundle{Answers: doc.answers, ExportedAt: time.Now()}
				if doc.bundle != nil {
					b = *doc.bundle
					b.ExportedAt = time.Now()
				}
				data, err = c.EncodeBundle(b)
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if len(blocking) > 0 {
				fmt.Fprintf(a.Err, "pstab: note: the %s is written with %s (--allow-problems); the Marketplace refuses the answers until %s fixed.\n",
					format, questionnaire.Plural(len(blocking), "blocking problem"), questionnaire.PluralWord(len(blocking), "it is", "they are"))
			}
			if out == "" || out == "-" {
				_, err := io.WriteString(a.Out, termsafe.Filter(string(data)))
				return err
			}
			if err := writeFileAtomic(out, data); err != nil {
				return err
			}
			if doc.afterExport != nil {
				if err := doc.afterExport(format, out); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.Err, "Wrote %s (%s).\n", out, format)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "export a payload or bundle file instead of a draft")
	cmd.Flags().StringVar(&format, "format", "", "payload, markdown, sheet or bundle")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringVar(&view, "view", "all", "for markdown: default, expanded or all")
	cmd.Flags().BoolVar(&allowProblems, "allow-problems", false, "write a payload or sheet of a draft with blocking problems (the sheet marks them)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{"payload", "markdown", "sheet", "bundle"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// refuseExport is the exit-1 error of a payload or sheet export refused for blocking
// problems, each named by its question ID and API path. The fix names the command that
// lists the problems: check for a draft, validate for a file.
func refuseExport(args []string, file, format string, blocking []questionnaire.Problem) error {
	source, lister := file, "pstab validate "+file
	if len(args) > 0 {
		source, lister = args[0], "pstab check "+args[0]
	}
	lines := make([]string, len(blocking))
	for i, p := range blocking {
		lines[i] = problemLabel(p) + ": " + strings.TrimSuffix(questionnaire.LowerFirst(p.Message), ".")
	}
	if len(lines) == 1 {
		return problemsErr("no %s was written: %s has a blocking problem, %s; fix it (%s), or add --allow-problems to write the %s anyway",
			format, source, lines[0], lister, format)
	}
	return problemsErr("no %s was written: %s has %d blocking problems; fix them (%s), or add --allow-problems to write the %s anyway:\n  %s",
		format, source, len(lines), lister, format, strings.Join(lines, "\n  "))
}

// documentFor returns the catalogue and document a preview or export works on: a file
// given with --file, or an app's draft.
func (a *App) documentFor(args []string, file string) (*questionnaire.Catalogue, *document, error) {
	c, err := a.catalogue()
	if err != nil {
		return nil, nil, err
	}
	switch {
	case file != "" && len(args) > 0:
		return nil, nil, usageErr("give an app KEY or --file, not both")
	case file != "":
		doc, err := a.readDocument(c, file)
		if err != nil {
			return nil, nil, err
		}
		for _, n := range doc.notes {
			fmt.Fprintln(a.Err, "pstab: note: "+n)
		}
		return c, doc, nil
	case len(args) == 1:
		doc, err := a.draftDocument(c, args[0])
		if err != nil {
			return nil, nil, err
		}
		return doc.catalogue, doc, nil
	}
	return nil, nil, usageErr("give an app KEY, or --file FILE")
}

// writeFileAtomic writes data to path so that a crash never leaves half a file: a temporary
// file in the same directory, synced, then renamed over path. The file is readable only by
// its owner, since drafts may describe unpublished practices.
func writeFileAtomic(path string, data []byte) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usageErr("cannot write %s: it is a directory; give a file name, such as %s", path, filepath.Join(path, "out.json"))
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return usageErr("cannot write %s: %v", path, unwrapPathError(err))
	}
	tmpName := tmp.Name()
	cleanup := func() { tmp.Close(); os.Remove(tmpName) }
	if err := tmp.Chmod(0o600); err != nil {
		cleanup()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		cleanup()
		return fmt.Errorf("cannot write %s: %v; nothing was written", path, unwrapPathError(err))
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return fmt.Errorf("cannot write %s: %v; nothing was written", path, unwrapPathError(err))
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("cannot write %s: %v; nothing was written", path, unwrapPathError(err))
	}
	if err := os.Rename(tmpName, path); err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("cannot write %s: %v", path, unwrapPathError(err))
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
