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

// conversation is what pstab comments shows: whose answers, the answers, and the review.
type conversation struct {
	source  string // the file, or the app key
	title   string // the app's name, when known
	cat     *questionnaire.Catalogue
	answers questionnaire.Answers
	review  questionnaire.Review
}

// readConversation reads the review of a FILE or an app KEY, creating nothing.
func (a *App) readConversation(ctx context.Context, arg string) (*conversation, error) {
	if looksLikeFile(arg) {
		f, err := a.readBundle(arg)
		if err != nil {
			return nil, err
		}
		title := f.bundle.AppName
		if title == "" {
			title = f.bundle.AppKey
		}
		return &conversation{source: f.name, title: title, cat: f.cat, answers: f.bundle.Answers, review: f.bundle.Review}, nil
	}
	s, err := a.openExisting(ctx, arg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sub, err := a.subject(ctx, s, arg)
	if err != nil {
		return nil, err
	}
	d, err := s.Load(ctx, sub.Ref)
	if err != nil {
		return nil, storeErr(err)
	}
	r, err := s.Review(ctx, sub.Ref)
	if err != nil {
		return nil, storeErr(err)
	}
	return &conversation{source: arg, title: sub.App.Name, cat: sub.Catalogue, answers: d.Answers, review: r}, nil
}

func (a *App) commentsCmd() *cobra.Command {
	var asJSON, openOnly bool
	cmd := &cobra.Command{
		Use:   "comments FILE|KEY [--json] [--open]",
		Short: "Show the review conversation of a bundle or draft",
		Long: `Show the review of a bundle FILE (no database is used) or an app's draft: the reviewer's
decision and whether it still holds for the answers as they are, then every thread, on
the whole draft first and then question by question, with the answer it is about and
whether that answer changed since the thread's last comment.`,
		Example: "  pstab comments for-review.json\n  pstab comments com.example.app --open\n  pstab comments com.example.app --json | jq '.threads[] | select(.resolved | not)'",
		Args:    exactArgs(1, "comments takes one FILE or app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cv, err := a.readConversation(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, conversationJSON(cv, openOnly))
			}
			var b strings.Builder
			writeConversation(&b, cv, openOnly, time.Now())
			_, err = io.WriteString(a.Out, termsafe.Filter(b.String()))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&openOnly, "open", false, "only the threads still open")
	return cmd
}

func writeConversation(b *strings.Builder, cv *conversation, openOnly bool, now time.Time) {
	c, r := cv.cat, cv.review
	name := cv.source
	if cv.title != "" && cv.title != cv.source {
		name = fmt.Sprintf("%s (%s)", cv.title, cv.source)
	}
	fmt.Fprintf(b, "Review of %s\n", name)
	fmt.Fprintf(b, "%s\n", c.DecisionSummary(r, cv.answers, now))
	if d := r.Decision; d != nil && d.Message != "" {
		fmt.Fprintf(b, "  %s\n", indentText(d.Message, "  "))
	}
	threads := c.Threads(r)
	open := r.OpenThreads()
	fmt.Fprintf(b, "%s open, %d resolved.\n", questionnaire.Plural(open, "thread"), len(threads)-open)
	section := ""
	for _, t := range threads {
		if openOnly && !t.Open() {
			continue
		}
		title := "The whole draft"
		if q := c.Question(t.Question); q != nil {
			title = q.Section.Title
		} else if t.Question != "" {
			title = "Questions this catalogue does not know"
		}
		if title != section {
			section = title
			fmt.Fprintf(b, "\n%s\n", section)
		}
		writeThread(b, c, t, cv.answers, "  ")
	}
}

// writeThread writes one thread: its question and answer, its state, and each comment.
func writeThread(b *strings.Builder, c *questionnaire.Catalogue, t questionnaire.Thread, answers questionnaire.Answers, indent string) {
	state := "open"
	if t.Resolved {
		state = "resolved by " + questionnaire.OneLine(t.ResolvedBy)
	}
	if t.ChangedSince(c, answers) {
		state += "; the answer changed since"
	}
	q := c.Question(t.Question)
	switch {
	case q != nil:
		fmt.Fprintf(b, "%s%s  (%s)\n%s  %s\n", indent, q.ID, state, indent, oneLine(q.Prompt, 72))
		answer := "not answered"
		if v, ok := answers.Get(q.ID); ok {
			answer = oneLine(q.Display(v), 66)
		}
		fmt.Fprintf(b, "%s  Answer: %s\n", indent, answer)
	case t.Question != "":
		fmt.Fprintf(b, "%s%s  (%s)\n", indent, questionnaire.OneLine(t.Question), state)
	default:
		fmt.Fprintf(b, "%s(%s)\n", indent, state)
	}
	for _, cm := range t.Comments {
		writeComment(b, cm, indent+"  ")
	}
}

func writeComment(b *strings.Builder, cm questionnaire.Comment, indent string) {
	what := ""
	switch cm.Action {
	case questionnaire.ActionResolve:
		what = ", resolved"
	case questionnaire.ActionReopen:
		what = ", reopened"
	}
	fmt.Fprintf(b, "%s%s, %s%s:\n", indent, questionnaire.OneLine(cm.Author), cm.At.Local().Format("2006-01-02 15:04"), what)
	if cm.Text != "" {
		fmt.Fprintf(b, "%s  %s\n", indent, indentText(cm.Text, indent+"  "))
	}
}

// indentText cleans multi-line text and indents its lines after the first.
func indentText(s, indent string) string {
	s = questionnaire.CleanText(s, true)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines, "\n"+indent)
}

type commentOut struct {
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
	Action string    `json:"action,omitempty"`
}

type threadOut struct {
	Question     string       `json:"question,omitempty"`
	Section      string       `json:"section,omitempty"`
	General      bool         `json:"general,omitempty"`
	Resolved     bool         `json:"resolved"`
	ResolvedBy   string       `json:"resolvedBy,omitempty"`
	ChangedSince bool         `json:"answerChangedSince"`
	Comments     []commentOut `json:"comments"`
}

type decisionOut struct {
	Decision string    `json:"decision"`
	Reviewer string    `json:"reviewer"`
	At       time.Time `json:"at"`
	Message  string    `json:"message,omitempty"`
	Stale    bool      `json:"stale"`
}

type conversationOut struct {
	Source      string       `json:"source"`
	Decision    *decisionOut `json:"decision"`
	Approved    bool         `json:"approved"`
	OpenThreads int          `json:"openThreads"`
	Threads     []threadOut  `json:"threads"`
}

func conversationJSON(cv *conversation, openOnly bool) conversationOut {
	c, r := cv.cat, cv.review
	st := c.ReviewState(r, cv.answers)
	out := conversationOut{Source: cv.source, Approved: st.Approved, OpenThreads: st.OpenThreads, Threads: []threadOut{}}
	if d := r.Decision; d != nil {
		out.Decision = &decisionOut{Decision: string(d.Kind), Reviewer: d.Reviewer, At: d.At, Message: d.Message, Stale: st.Stale}
	}
	for _, t := range c.Threads(r) {
		if openOnly && !t.Open() {
			continue
		}
		to := threadOut{Question: t.Question, General: t.Question == "", Resolved: t.Resolved, ResolvedBy: t.ResolvedBy,
			ChangedSince: t.ChangedSince(c, cv.answers), Comments: []commentOut{}}
		if q := c.Question(t.Question); q != nil {
			to.Section = q.Section.ID
		}
		for _, cm := range t.Comments {
			to.Comments = append(to.Comments, commentOut{Author: cm.Author, At: cm.At, Text: cm.Text, Action: string(cm.Action)})
		}
		out.Threads = append(out.Threads, to)
	}
	return out
}
