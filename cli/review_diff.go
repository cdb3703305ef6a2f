package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/termsafe"
)

// pstab diff with a file on either side: FILE FILE, FILE KEY or KEY FILE. Two files need
// no database at all; a KEY reads the drafts file and never creates one. The review
// conversation of both sides is shown beside the questions it concerns, so a reviewer
// sees what changed since they last looked next to what they said about it.

// isFileDiff reports whether a diff's arguments name a file. A bare number is a save point
// (pstab diff KEY 3), even when a file of that name exists: write ./3 for it.
func isFileDiff(args []string) bool {
	isNumber := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	for i, arg := range args {
		if (i == 0 || !isNumber(arg)) && looksLikeFile(arg) {
			return true
		}
	}
	return false
}

// diffSide is one side of a comparison.
type diffSide struct {
	label string
	// revision is a bundle's save point number, named beside the file only when the
	// other side's differs: two exports of one save point can hold different answers.
	revision int
	cat      *questionnaire.Catalogue
	answers  questionnaire.Answers
	review   questionnaire.Review
}

func (a *App) fileDiff(cmd *cobra.Command, args []string) error {
	if cmd.Flags().Changed("remote") {
		return usageErr("--remote compares an app's draft with the live listing; give one app KEY with it, not a file")
	}
	if len(args) != 2 {
		return usageErr("a diff with a file compares two things: OLD NEW, each a file or an app KEY; see pstab diff --help")
	}
	ctx := cmd.Context()
	var sides [2]*diffSide
	for i, arg := range args {
		var err error
		if looksLikeFile(arg) {
			sides[i], err = a.fileSide(arg)
		} else {
			sides[i], err = a.draftSide(ctx, arg)
		}
		if err != nil {
			return err
		}
	}
	if sides[0].cat.ID != sides[1].cat.ID {
		return usageErr("%s holds %s answers and %s holds %s ones; compare like with like",
			args[0], sides[0].cat.ID, args[1], sides[1].cat.ID)
	}
	var b strings.Builder
	writeReviewDiff(&b, sides[0], sides[1], time.Now())
	_, err := io.WriteString(a.Out, termsafe.Filter(b.String()))
	return err
}

func (a *App) fileSide(path string) (*diffSide, error) {
	data, err := a.readInput(path)
	if err != nil {
		return nil, err
	}
	cats, err := a.catalogues()
	if err != nil {
		return nil, err
	}
	cat := cats.PrivacySecurity
	if questionnaire.IsBundle(data) && bundleQuestionnaire(data) == cats.SelfAssessment.ID {
		cat = cats.SelfAssessment
	}
	doc, err := a.readDocument(cat, path)
	if err != nil {
		return nil, err
	}
	for _, n := range doc.notes {
		fmt.Fprintln(a.Err, "pstab: note: "+n)
	}
	side := &diffSide{label: path, cat: cat, answers: doc.answers}
	if doc.bundle != nil {
		side.review = doc.bundle.Review
		side.revision = doc.bundle.Revision
	}
	return side, nil
}

func (a *App) draftSide(ctx context.Context, key string) (*diffSide, error) {
	cv, err := a.readConversation(ctx, key)
	if err != nil {
		return nil, err
	}
	return &diffSide{label: "the draft of " + key, cat: cv.cat, answers: cv.answers, review: cv.review}, nil
}

// writeReviewDiff writes what changed from one side to the other, question by question,
// with each question's thread beside it, then the threads on questions that did not
// change, then where the review stands for the later answers.
func writeReviewDiff(b *strings.Builder, before, after *diffSide, now time.Time) {
	c := after.cat
	r := before.review.Clone()
	r.Merge(after.review)
	changes := c.Diff(before.answers, after.answers)
	extra := c.DiffExtra(before.answers.Extra, after.answers.Extra)
	if before.revision != after.revision {
		for _, side := range []*diffSide{before, after} {
			if side.revision > 0 {
				side.label += fmt.Sprintf(" (revision %d)", side.revision)
			}
		}
	}
	if len(changes) == 0 && len(extra) == 0 {
		fmt.Fprintf(b, "No differences in the answers between %s and %s.\n", before.label, after.label)
	} else {
		fmt.Fprintf(b, "From %s to %s: %s changed.\n", before.label, after.label, questionnaire.Plural(len(changes), "answer"))
	}
	shown := map[string]bool{}
	section := ""
	for _, ch := range changes {
		q := ch.Question
		if q.Section.Title != section {
			section = q.Section.Title
			fmt.Fprintf(b, "\n%s\n", section)
		}
		hidden := ""
		if ch.Hidden {
			hidden = " (hidden by other answers: kept, not sent)"
		}
		fmt.Fprintf(b, "  %s%s\n    %s\n", q.ID, hidden, ch.Summary)
		if t, ok := r.Thread(q.ID); ok {
			shown[q.ID] = true
			writeThreadComments(b, t, "    ")
		}
	}
	if len(extra) > 0 {
		b.WriteString("\nFields pstab does not ask about:\n")
		for _, e := range extra {
			switch {
			case e.Before == "":
				fmt.Fprintf(b, "  %s: added %s\n", e.Path, oneLine(e.After, 60))
			case e.After == "":
				fmt.Fprintf(b, "  %s: removed (was %s)\n", e.Path, oneLine(e.Before, 60))
			default:
				fmt.Fprintf(b, "  %s: %s → %s\n", e.Path, oneLine(e.Before, 40), oneLine(e.After, 40))
			}
		}
	}
	var rest []questionnaire.Thread
	for _, t := range c.Threads(r) {
		if !shown[t.Question] {
			rest = append(rest, t)
		}
	}
	if len(rest) > 0 {
		b.WriteString("\nComments on answers that did not change:\n")
		for _, t := range rest {
			name := questionnaire.ThreadName(c, t.Question)
			if t.Question == "" {
				name = "The whole draft"
			}
			fmt.Fprintf(b, "  %s\n", name)
			writeThreadComments(b, t, "    ")
		}
	}
	fmt.Fprintf(b, "\n%s\n", c.DecisionSummary(r, after.answers, now))
	if open := r.OpenThreads(); open > 0 {
		fmt.Fprintln(b, questionnaire.Sentence(openPhrase(open, "thread")+" open"))
	}
}

// writeThreadComments writes a thread's state and comments under a question of a diff. A
// resolved thread is one line, the resolution, since its conversation is settled.
func writeThreadComments(b *strings.Builder, t questionnaire.Thread, indent string) {
	if t.Resolved {
		last := t.Last()
		line := "resolved by " + questionnaire.OneLine(t.ResolvedBy)
		if last.Text != "" {
			line += ": " + oneLine(last.Text, 70)
		}
		fmt.Fprintf(b, "%s» %s\n", indent, line)
		return
	}
	fmt.Fprintf(b, "%s» open, %s:\n", indent, questionnaire.Plural(len(t.Comments), "comment"))
	for _, cm := range t.Comments {
		writeComment(b, cm, indent+"  ")
	}
}
