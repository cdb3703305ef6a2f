package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/render"
	"github.com/pstab/pstab/ui/termsafe"
)

// fileCommands are the commands that work on payload and bundle files, with no database:
// what a reviewer uses offline.
func (a *App) fileCommands() []*cobra.Command {
	return []*cobra.Command{a.validateCmd(), a.previewCmd(), a.exportCmd()}
}

func (a *App) validateCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a payload or bundle file and print its problems",
		Long: `Check a Marketplace payload (any shape: the v2 PUT body {"appTrustInformation": ...}, the
v3 one {"commonCloud": ...}, or the bare object the API returns) or a pstab review bundle,
and print its problems, and what it holds that a push would not send: answers its other
answers hide, and keys beside the seven groups of answers.

Blocking problems are wrong values that must be fixed before submitting; unanswered
questions only lower completeness. Exit 0 when nothing is blocking, 1 when something is,
2 when the file cannot be read as a payload at all. FILE may be - for standard input.`,
		Example: `  pstab validate listing.json
  pstab validate --json listing.json | jq .problems
  curl -s https://marketplace.atlassian.com/rest/2/addons/com.example.app/privacy-and-security | pstab validate -`,
		Args: exactArgs(1, "validate takes one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.catalogue()
			if err != nil {
				return err
			}
			doc, err := a.readDocument(c, args[0])
			if err != nil {
				return err
			}
			for _, n := range doc.notes {
				fmt.Fprintln(a.Err, "pstab: note: "+n)
			}
			problems := append(c.Validate(doc.answers), questionnaire.UnsafeExtra(c, doc.answers)...)
			progress := c.Progress(doc.answers)
			if asJSON {
				out := reportJSON(args[0], problems, progress)
				out.addNotSent(c, doc.answers)
				if err := writeJSON(a.Out, out); err != nil {
					return err
				}
			} else {
				a.printReport(a.Out, args[0], problems, progress, notSentLines(c, doc.answers))
			}
			if questionnaire.HasBlocking(problems) {
				return errSilentProblems
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// problemJSON is one problem in --json output: Question is the question ID (what pstab
// set takes), Path the answer's path in the payload (or the ID, for a question the API
// does not carry), with the entry and field inside it.
type problemJSON struct {
	Path     string `json:"path"`
	Question string `json:"question,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// problemWhere names where a problem is in both vocabularies: the question ID (with the
// entry and field: sub-processors[1].link) and the payload's path
// (thirdPartyInformation.thirdPartyDetails[1].link), which is "" for a question the API
// does not carry. A problem in a field no question owns has only its path.
func problemWhere(p questionnaire.Problem) (id, api string) {
	q := p.Question
	if q == nil {
		return "", p.Path
	}
	sub, ok := strings.CutPrefix(p.Path, q.Path())
	if !ok || p.Path == q.ID {
		sub = ""
	}
	if sub == "" {
		if p.Item >= 0 {
			sub = fmt.Sprintf("[%d]", p.Item)
		}
		if p.Field != "" {
			sub += "." + p.Field
		}
	}
	if q.Local() {
		return q.ID + sub, ""
	}
	return q.ID + sub, q.Path() + sub
}

// problemLabel is problemWhere for people: "security-contact (security.securityContact)".
func problemLabel(p questionnaire.Problem) string {
	id, api := problemWhere(p)
	switch {
	case id == "":
		return api
	case api == "" || api == id:
		return id
	}
	return id + " (" + api + ")"
}

type reportJSONOut struct {
	Source   string        `json:"source"`
	Blocking int           `json:"blocking"`
	Complete bool          `json:"complete"`
	Answered int           `json:"answered"`
	Total    int           `json:"total"`
	Percent  int           `json:"percent"`
	Problems []problemJSON `json:"problems"`
	// Hidden are the answers other answers hide: kept, not sent.
	Hidden []hiddenJSON `json:"hidden"`
	// NotSent are the keys beside the seven answer groups: kept, not sent.
	NotSent []string `json:"notSent"`
}

type hiddenJSON struct {
	Question string `json:"question"`
	Path     string `json:"path"`
}

// addNotSent fills in what the answers hold that a push would not send.
func (r *reportJSONOut) addNotSent(c *questionnaire.Catalogue, a questionnaire.Answers) {
	r.Hidden, r.NotSent = []hiddenJSON{}, questionnaire.UnsentKeys(a)
	for _, q := range c.HiddenAnswers(a) {
		r.Hidden = append(r.Hidden, hiddenJSON{Question: q.ID, Path: q.Path()})
	}
	if r.NotSent == nil {
		r.NotSent = []string{}
	}
}

// notSentLines are the report's lines about what the answers hold that is not sent.
func notSentLines(c *questionnaire.Catalogue, a questionnaire.Answers) []string {
	var lines []string
	for _, n := range []string{hiddenNote(c, a), unsentNote(a)} {
		if n != "" {
			lines = append(lines, n)
		}
	}
	return lines
}

func reportJSON(source string, problems []questionnaire.Problem, p questionnaire.Progress) reportJSONOut {
	out := reportJSONOut{Source: source, Complete: p.Complete(), Answered: p.Answered, Total: p.Total,
		Percent: p.Percent(), Problems: []problemJSON{}}
	sorted := append([]questionnaire.Problem(nil), problems...)
	questionnaire.SortBySeverity(sorted)
	for _, pr := range sorted {
		if pr.Severity == questionnaire.Blocking {
			out.Blocking++
		}
		qid := ""
		if pr.Question != nil {
			qid = pr.Question.ID
		}
		out.Problems = append(out.Problems, problemJSON{Path: pr.Path, Question: qid,
			Severity: pr.Severity.String(), Message: pr.Message})
	}
	return out
}

// printReport prints problems, what will not be sent, and completeness for people.
func (a *App) printReport(w io.Writer, source string, problems []questionnaire.Problem, p questionnaire.Progress, notSent []string) {
	var blocking, advice, unanswered []questionnaire.Problem
	for _, pr := range problems {
		switch pr.Severity {
		case questionnaire.Blocking:
			blocking = append(blocking, pr)
		case questionnaire.Advice:
			advice = append(advice, pr)
		default:
			unanswered = append(unanswered, pr)
		}
	}
	var b strings.Builder
	if len(blocking) > 0 {
		fmt.Fprintf(&b, "Blocking problems (%d): fix these before submitting.\n", len(blocking))
		for _, pr := range blocking {
			fmt.Fprintf(&b, "  ✗ %s\n      %s\n", problemLabel(pr), pr.Message)
		}
		b.WriteString("\n")
	}
	if len(advice) > 0 {
		fmt.Fprintf(&b, "Advice (%d):\n", len(advice))
		for _, pr := range advice {
			fmt.Fprintf(&b, "  ! %s\n      %s\n", problemLabel(pr), pr.Message)
		}
		b.WriteString("\n")
	}
	if len(unanswered) > 0 {
		fmt.Fprintf(&b, "Not answered (%d): the listing shows %q for these.\n", len(unanswered), questionnaire.NotProvided)
		for _, pr := range unanswered {
			fmt.Fprintf(&b, "  · %s  %s\n", pr.Question.ID, oneLine(pr.Question.Prompt, 70))
		}
		b.WriteString("\n")
	}
	if len(notSent) > 0 {
		b.WriteString("Not sent:\n")
		for _, n := range notSent {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
		b.WriteString("\n")
	}
	status := "complete"
	if !p.Complete() {
		status = "incomplete"
	}
	verdict := "nothing is blocking"
	if len(blocking) > 0 {
		verdict = fmt.Sprintf("%d blocking %s", len(blocking), questionnaire.PluralWord(len(blocking), "problem", "problems"))
	}
	fmt.Fprintf(&b, "%s: %d of %d questions answered (%d%%, %s); %s.\n", source, p.Answered, p.Total, p.Percent(), status, verdict)
	io.WriteString(w, termsafe.Filter(b.String()))
}

func oneLine(s string, max int) string {
	s = questionnaire.OneLine(s)
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(questionnaire.EscapeJSONUnsafe(append(b, '\n')))
	return err
}

// exactArgs is cobra.ExactArgs with a message that says what to give. msg starts with the
// command's name ("rm takes one app KEY"); the message starts with the whole command line,
// so that the name is never read as the first word of a sentence and capitalised.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			// "The rm command takes…": a sentence that starts with the command's name would
			// capitalise it, and "pstab: pstab rm" says pstab twice.
			return usageErr("the %s command %s; see pstab %s --help", cmd.Name(), strings.TrimPrefix(msg, cmd.Name()+" "), cmd.Name())
		}
		return nil
	}
}

// showMarkdown writes the listing tab: rendered with glamour when stdout is a terminal and
// plain is false, else as plain Markdown. Either way it passes the terminal filter.
func (a *App) showMarkdown(md string, plain bool) error {
	if plain || !a.OutIsTerminal {
		_, err := io.WriteString(a.Out, termsafe.Filter(md))
		return err
	}
	r := render.New(a.previewStyle(), lipgloss.ColorProfile())
	out, err := r.Render(md, a.outWidth())
	if err != nil {
		return err
	}
	_, err = io.WriteString(a.Out, out)
	return err
}

// previewStyle decides dark or light once, before anything is drawn. Only a coloured
// preview on a terminal asks the terminal for its background.
func (a *App) previewStyle() render.Style {
	noColor := a.env("NO_COLOR") != ""
	r := lipgloss.NewRenderer(io.Discard)
	r.SetHasDarkBackground(true)
	if !noColor && a.OutIsTerminal {
		r.SetHasDarkBackground(darkBackground(a.terminalOut(), a.env))
	}
	return a.previewStyleFor(noColor, r)
}

func (a *App) previewStyleFor(noColor bool, r *lipgloss.Renderer) render.Style {
	return render.ChooseStyle(noColor, r.HasDarkBackground())
}

// terminalOut is standard output itself, not the filter in front of it: the stream to
// ask about the terminal.
func (a *App) terminalOut() io.Writer {
	if a.rawOut != nil {
		return a.rawOut
	}
	return a.Out
}

// outWidth is the terminal's width, kept to a readable 100 columns.
func (a *App) outWidth() int {
	if f, ok := a.terminalOut().(interface{ Fd() uintptr }); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return min(w, 100)
		}
	}
	return 80
}
