package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/submit"
)

// preview shows the listing tab as customers will see it, rendered with glamour in a
// scrollable viewport. Rendering happens in a command, once per (view, width); a resize
// renders again.
type preview struct {
	ui      *shared
	cat     *questionnaire.Catalogue
	answers questionnaire.Answers
	title   string
	note    string
	views   questionnaire.Views

	// withheld are the questions whose answer has a problem: the preview shows them as
	// typed, and says above the tab that they are not sent until fixed.
	withheld []*questionnaire.Question

	vp       viewport.Model
	rendered map[string]string // by view and width
	pending  string            // the render key being rendered, if any
	err      error
	width    int
	height   int
}

// renderedMsg carries a finished render.
type renderedMsg struct {
	key string
	out string
	err error
}

func newPreview(ui *shared, cat *questionnaire.Catalogue, answers questionnaire.Answers, title, note string, width, height int) (*preview, tea.Cmd) {
	p := &preview{ui: ui, cat: cat, answers: answers.Clone(), title: title, note: note,
		views: questionnaire.ViewsDefault, rendered: map[string]string{}, withheld: cat.Withheld(answers)}
	p.vp = viewport.New(width, 1)
	return p, p.SetSize(width, height)
}

func (p *preview) renderKey() string { return fmt.Sprintf("%s/%d", p.views, p.width) }

// render starts rendering the current view at the current width, unless it is cached.
func (p *preview) render() tea.Cmd {
	k := p.renderKey()
	if out, ok := p.rendered[k]; ok {
		p.vp.SetContent(out)
		return nil
	}
	if p.pending == k {
		return nil
	}
	p.pending = k
	md := p.cat.Markdown(p.answers, questionnaire.MarkdownOptions{Views: p.views, Title: p.title, Note: p.note})
	r, width := p.ui.renderer, min(p.width-2, 100)
	return func() tea.Msg {
		out, err := r.Render(md, width)
		return renderedMsg{key: k, out: out, err: err}
	}
}

// SetSize gives the viewport the body less the status line under it, and renders the
// preview for the new width.
func (p *preview) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.vp.Width, p.vp.Height = w, p.viewportHeight()
	return p.render()
}

func (p *preview) viewportHeight() int {
	h := p.height - lipgloss.Height(p.statusLine())
	if w := p.withheldLine(); w != "" {
		h -= lipgloss.Height(w)
	}
	return max(1, h)
}

// withheldLine says which answers have a problem and are not sent, or is "".
func (p *preview) withheldLine() string {
	if len(p.withheld) == 0 {
		return ""
	}
	names := make([]string, 0, len(p.withheld))
	for i, q := range p.withheld {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(p.withheld)-i))
			break
		}
		names = append(names, "“"+oneLine(q.Prompt, 48)+"”")
	}
	n := len(p.withheld)
	msg := fmt.Sprintf("✗ %s a problem, so %s not sent until fixed (%s shown here as typed): %s. The review checklist (r in the wizard) says what to fix.",
		questionnaire.PluralWord(n, "1 answer has", fmt.Sprintf("%d answers have", n)),
		questionnaire.PluralWord(n, "it is", "they are"), questionnaire.PluralWord(n, "it is", "they are"), strings.Join(names, ", "))
	return p.ui.styles.Bad.Render(wrapText(msg, max(20, p.width-2)))
}

// Typing is false: the preview takes no text.
func (p *preview) Typing() bool { return false }

// Crumbs names the previewed draft.
func (p *preview) Crumbs() []string { return []string{p.title, "Preview"} }

// Update handles a finished render and the keys: v switches the view, esc goes back, the
// rest scroll.
func (p *preview) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case renderedMsg:
		if msg.err != nil {
			p.err = msg.err
			return nil, nil
		}
		p.rendered[msg.key] = msg.out
		if msg.key == p.renderKey() {
			p.pending = ""
			p.vp.SetContent(msg.out)
		}
		return nil, nil
	case tea.KeyMsg:
		if key.Matches(msg, p.ui.keys.Back) {
			return nil, backIntent{}
		}
		if key.Matches(msg, p.ui.keys.ToggleView) {
			if p.views == questionnaire.ViewsDefault {
				p.views = questionnaire.ViewsExpanded
			} else {
				p.views = questionnaire.ViewsDefault
			}
			p.vp.GotoTop()
			return p.render(), nil
		}
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return cmd, nil
}

// statusLine says which view is shown and how far it is scrolled.
func (p *preview) statusLine() string {
	st := p.ui.styles
	view := "Default view"
	if p.views == questionnaire.ViewsExpanded {
		view = "Expanded view"
	}
	return st.Accent.Render(view) + st.Faint.Render(fmt.Sprintf("  v switches · %3.0f%%", p.vp.ScrollPercent()*100))
}

// View draws the rendered preview above its status line.
func (p *preview) View() string {
	st := p.ui.styles
	status := p.statusLine()
	switch {
	case p.err != nil:
		return st.Banner.Render(questionnaire.Sentence(p.err.Error())) + "\n" + status
	case p.vp.TotalLineCount() == 0 || p.pending == p.renderKey() && p.rendered[p.renderKey()] == "":
		return p.withheldTop() + fitLines(st.Muted.Render("Rendering the preview…"), p.viewportHeight()) + "\n" + status
	}
	return p.withheldTop() + p.vp.View() + "\n" + status
}

func (p *preview) withheldTop() string {
	if w := p.withheldLine(); w != "" {
		return w + "\n"
	}
	return ""
}

func (p *preview) Help() helpKeys {
	km := p.ui.keys
	short := []key.Binding{km.ToggleView, km.Up, km.Down, km.PageDown, km.PageUp, km.Back}
	return helpKeys{short: short, full: [][]key.Binding{short}, rank: []int{1, 4, 3, 2, 5, 0}}
}

// checklist lists what stands between the draft and submission: blocking problems first,
// then readiness findings, then unanswered questions. Each item jumps to its question.
type checklist struct {
	ui        *shared
	cat       *questionnaire.Catalogue
	title     string
	canSubmit bool // s sends the draft to the Marketplace from here
	items     []questionnaire.Problem
	cursor    int
	scroll    int
	width     int
	height    int
	extra     []string // lines above the list (the self-assessment's renewal, verdicts)
	// threads are the open review threads, listed after the blocking problems; reviewer
	// says the checklist is a reviewer's (review_checklist.go).
	threads  []questionnaire.Thread
	reviewer bool
}

// newChecklist reviews the session's draft; canSubmit offers s to submit it.
func newChecklist(ui *shared, s *session, canSubmit bool, width, height int) *checklist {
	cat, answers := s.cat, s.answers
	c := &checklist{ui: ui, cat: cat, title: s.title, canSubmit: canSubmit, width: width, height: height}
	c.items = cat.Readiness(answers)
	c.addReview(s)
	if cat.Level != "partner" {
		// The manifest's facts, when pstab scan kept them, are compared here as in check.
		c.items = append(c.items, s.scan.findings(cat, answers)...)
		if note := s.scan.note(); note != "" {
			c.extra = append(c.extra, ui.styles.Muted.Render(wrapText(note, width-2)))
		}
		questionnaire.SortBySeverity(c.items)
		// Where the Marketplace's form stands, as pstab last saw it: after a rejection,
		// what to do about it.
		st := ui.styles
		if p := s.props; p.FormStatus != "" {
			style := st.Muted
			if p.FormStatus == marketplace.FormRejected {
				style = st.Warn
			}
			c.extra = append(c.extra, style.Render(wrapText("On the Marketplace: "+strings.Join(submit.Describe(p), "; ")+".", width-2)))
			if next := submit.NextStep(s.ref.Subject, p); next != "" && p.FormStatus == marketplace.FormRejected {
				c.extra = append(c.extra, style.Render(wrapText(next, width-2)))
			}
		}
		return c
	}
	// The Security Self-Assessment: each answer judged against its passing criterion, and
	// where Atlassian's yearly approval stands.
	as := cat.Assessment(answers, ui.now())
	c.items = append(c.items, as.Problems()...)
	st := ui.styles
	verdict := st.OK
	switch as.Overall {
	case questionnaire.VerdictFail:
		verdict = st.Bad
	case questionnaire.VerdictNeedsDetails:
		verdict = st.Warn
	}
	c.extra = append(c.extra, st.Muted.Render("Against the passing criteria: ")+verdict.Render(verdictWord(as.Overall)))
	if r := cat.Retired; r != nil {
		c.extra = append(c.extra, st.Muted.Render(wrapText("Retired program, kept as a record: "+r.Note, width-2)))
	}
	if r := as.Renewal; r.Message != "" {
		style := st.Muted
		switch r.State {
		case questionnaire.RenewalDue:
			style = st.Warn
		case questionnaire.RenewalExpired:
			style = st.Bad
		}
		c.extra = append(c.extra, style.Render(wrapText(r.Message, width-2)))
	}
	questionnaire.SortBySeverity(c.items)
	return c
}

func verdictWord(v questionnaire.Verdict) string {
	switch v {
	case questionnaire.VerdictFail:
		return "Fails the criterion"
	case questionnaire.VerdictNeedsDetails:
		return "Needs details"
	case questionnaire.VerdictPass:
		return "passes"
	case questionnaire.VerdictUnanswered:
		return "not answered yet"
	}
	return string(v)
}

// SetSize gives the checklist the body's size.
func (c *checklist) SetSize(w, h int) tea.Cmd {
	c.width, c.height = w, h
	return nil
}

// Typing is false: the checklist takes no text.
func (c *checklist) Typing() bool { return false }

// Crumbs names the reviewed draft.
func (c *checklist) Crumbs() []string { return []string{c.title, "Review"} }

// Update moves the cursor; enter jumps to the item's question, esc goes back to the
// wizard, p previews and s submits.
func (c *checklist) Update(msg tea.Msg) (tea.Cmd, intent) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil, nil
	}
	keys := c.ui.keys
	switch {
	case key.Matches(km, keys.Back):
		return nil, backIntent{}
	case key.Matches(km, keys.Preview):
		return nil, previewIntent{}
	case key.Matches(km, keys.Submit) && c.canSubmit:
		return nil, submitIntent{}
	case key.Matches(km, keys.Up):
		c.cursor = max(0, c.cursor-1)
	case key.Matches(km, keys.Down):
		c.cursor = min(max(0, c.rowCount()-1), c.cursor+1)
	case key.Matches(km, keys.Jump):
		if p, t := c.row(c.cursor); p != nil {
			return nil, jumpIntent{p: *p}
		} else if t != nil {
			return nil, jumpIntent{p: questionnaire.Problem{Question: c.cat.Question(t.Question), Item: -1}}
		}
	}
	return nil, nil
}

func (c *checklist) counts() (blocking, advice, unanswered int) {
	for _, p := range c.items {
		switch p.Severity {
		case questionnaire.Blocking:
			blocking++
		case questionnaire.Advice:
			advice++
		default:
			unanswered++
		}
	}
	return
}

func (c *checklist) View() string {
	st := c.ui.styles
	var b strings.Builder
	blocking, advice, unanswered := c.counts()
	b.WriteString(st.Title.Render(c.heading()) + "\n")
	switch {
	case len(c.items) == 0 && len(c.threads) > 0:
		b.WriteString(st.Muted.Render(fmt.Sprintf("Every shown question is answered and no check has a finding · %s", questionnaire.Plural(len(c.threads), "open comment"))) + "\n")
	case len(c.items) == 0:
		b.WriteString(st.OK.Render("✓ Nothing left: every shown question is answered and no check has a finding.") + "\n")
	default:
		counts := fmt.Sprintf("%d blocking · %d to check · %d unanswered", blocking, advice, unanswered)
		if len(c.threads) > 0 {
			counts = fmt.Sprintf("%d blocking · %s · %d to check · %d unanswered", blocking, questionnaire.Plural(len(c.threads), "open comment"), advice, unanswered)
		}
		b.WriteString(st.Muted.Render(counts) + "\n")
	}
	for _, line := range c.extra {
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	// The list has the rest of the body. The text above ends with a newline, which
	// lipgloss.Height counts as one more line: the list keeps one line spare below.
	height := max(3, c.height-lipgloss.Height(b.String()))
	// Each item takes up to 3 lines; keep the cursor's item in view.
	var lines []string
	start, end := 0, 0
	for i := range c.rowCount() {
		p, t := c.row(i)
		if t != nil {
			if i == c.cursor {
				start = len(lines)
			}
			lines = append(lines, c.threadLines(*t, i == c.cursor)...)
			if i == c.cursor {
				end = len(lines)
			}
			continue
		}
		icon, style := "·", st.Muted
		switch p.Severity {
		case questionnaire.Blocking:
			icon, style = "✗", st.Bad
		case questionnaire.Advice:
			icon, style = "!", st.Warn
		}
		head := fmt.Sprintf("%s %s · %s", icon, p.Question.Section.Title, truncate(p.Question.Prompt, c.width-30))
		if i == c.cursor {
			start = len(lines)
			lines = append(lines, st.Selected.Render("› "+head))
		} else {
			lines = append(lines, "  "+style.Render(head))
		}
		msg := p.Message
		if p.Severity == questionnaire.Unanswered {
			msg = "Not answered: the listing will show “" + questionnaire.NotProvided + "”."
		}
		for _, l := range strings.Split(wrapText(msg, c.width-6), "\n") {
			lines = append(lines, "    "+st.Muted.Render(l))
		}
		if i == c.cursor {
			end = len(lines)
		}
	}
	if start < c.scroll {
		c.scroll = start
	}
	if end > c.scroll+height {
		c.scroll = end - height
	}
	c.scroll = max(0, min(c.scroll, max(0, len(lines)-height)))
	b.WriteString(strings.Join(lines[c.scroll:min(len(lines), c.scroll+height)], "\n"))
	return b.String()
}

func (c *checklist) Help() helpKeys {
	km := c.ui.keys
	short := []key.Binding{km.Up, km.Down, km.Jump, km.Preview, km.Back}
	full := [][]key.Binding{short}
	if c.canSubmit {
		// s is offered on the short line only: the full list has never shown it.
		short = append(short[:len(short):len(short)], km.Submit)
	}
	return helpKeys{short: short, full: full}
}
