package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// How the review shows in the wizard: a mark under each question with comments or a
// changed answer, the focused question's thread beside its help, counts per section, and
// the dialog in the status line.

// maxThreadLines is how many lines the focused question's thread may take under its help:
// enough for the latest comments, little enough that the questions keep the screen.
const maxThreadLines = 4

// blockMarks are the lines under a question on screen: its blocking problem in a
// reviewer's copy (the partner's blocks show their own), its comments, and whether its
// answer changed since the reviewer last looked.
func (w *wizard) blockMarks(b *block, width int) string {
	st := w.ui.styles
	var lines []string
	if w.readOnly() && b.problem != "" {
		lines = append(lines, st.Bad.Render(hangingWrap("  ✗ ", b.problem, width)))
	}
	if rs := w.session.review; rs != nil {
		if ch, ok := rs.changes[b.q.ID]; ok {
			was := "was not answered"
			if ch.Before != "" {
				was = "was “" + truncate(ch.Before, max(10, width-40)) + "”"
			}
			lines = append(lines, st.Info.Render(truncate("  ~ changed since "+rs.sinceName+": "+was, width)))
		}
	}
	if t, ok := w.session.thread(b.q.ID); ok {
		last := t.Last()
		line := fmt.Sprintf("  » %s, open · %s", questionnaire.Plural(len(t.Comments), "comment"), commentLine(last))
		style := st.Warn
		if t.Resolved {
			line = fmt.Sprintf("  » %s, resolved by %s", questionnaire.Plural(len(t.Comments), "comment"), questionnaire.OneLine(t.ResolvedBy))
			style = st.Faint
		}
		lines = append(lines, style.Render(truncate(line, width)))
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n")
}

// reviewBanner says that a remark was not written, and what to do; "" when all is
// written. A reviewer's remarks stay in the conversation on screen and go with the next
// write; ctrl+s writes again.
func (w *wizard) reviewBanner(width int) string {
	rs := w.session.review
	if rs == nil || rs.err == nil {
		return ""
	}
	msg := "Not stored: " + questionnaire.Sentence(rs.err.Error()) + " Make the comment again once this is fixed."
	if rs.writer != nil {
		msg = "Not written: " + questionnaire.Sentence(rs.err.Error()) +
			" Your comments stay here and go with the next write; ctrl+s writes again."
	}
	return w.ui.styles.Banner.Render(wrapText(msg, width-3))
}

// hangingWrap wraps text after prefix, indenting every further line to where the text
// began, so that a long problem reads as one mark under its question.
func hangingWrap(prefix, text string, width int) string {
	indent := strings.Repeat(" ", ansi.StringWidth(prefix))
	lines := strings.Split(wrapText(text, width-len(indent)), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// commentLine is a comment on one line: who, and what they said.
func commentLine(c questionnaire.Comment) string {
	text := questionnaire.OneLine(c.Text)
	switch {
	case c.Action == questionnaire.ActionResolve && text == "":
		text = "resolved"
	case c.Action == questionnaire.ActionReopen && text == "":
		text = "reopened"
	}
	return questionnaire.OneLine(c.Author) + ": " + text
}

// threadPanel is the focused question's conversation, under its help: the latest
// comments, one line each, newest last, with the keys that answer them.
func (w *wizard) threadPanel(width int) string {
	question := w.talk.question
	if !w.talk.open {
		b := w.current()
		if b == nil || w.sidebar {
			return ""
		}
		question = b.q.ID
	}
	t, ok := w.session.thread(question)
	if !ok {
		return ""
	}
	st := w.ui.styles
	head := "Comments on this question"
	if question == "" {
		head = "Comments on the whole draft"
	}
	state := "open"
	if t.Resolved {
		state = "resolved by " + questionnaire.OneLine(t.ResolvedBy)
	}
	if t.ChangedSince(w.cat, w.answers) {
		state += "; the answer changed since"
	}
	lines := []string{st.Accent.Render(truncate(fmt.Sprintf("%s (%s):", head, state), width))}
	shown := t.Comments
	if len(shown) > maxThreadLines-1 {
		shown = shown[len(shown)-(maxThreadLines-1):]
		lines[0] = st.Accent.Render(truncate(fmt.Sprintf("%s (%s, latest %d of %d):", head, state, len(shown), len(t.Comments)), width))
	}
	for _, c := range shown {
		lines = append(lines, st.Text.Render(truncate("  "+commentLine(c), width)))
	}
	return "\n" + strings.Join(lines, "\n")
}

// talkView is the dialog in the status line: what it writes, the input, and a refusal.
func (w *wizard) talkView(width int) string {
	st := w.ui.styles
	t := w.talk
	var label string
	switch {
	case t.decision == questionnaire.Approved:
		label = "Approve these answers as " + w.session.conversation().signer(w.ui)
		if open := w.session.conversation().r.OpenThreads(); open > 0 {
			label += fmt.Sprintf(" (%s stay open)", questionnaire.Plural(open, "thread"))
		}
	case t.decision == questionnaire.ChangesRequested:
		label = "Ask the partner for changes"
	case t.question == "":
		label = "Comment on the whole draft"
	default:
		label = "Comment on " + t.question
		if th, ok := w.session.thread(t.question); ok {
			label = "Reply on " + t.question
			if t.resolve && th.Resolved {
				label += ", and reopen it"
			} else if t.resolve {
				label += ", and resolve it"
			}
		}
	}
	out := st.Accent.Render(truncate(label+":", width)) + "\n" + w.talk.input.View()
	if t.err != "" {
		out += "\n" + st.Bad.Render(wrapText(t.err, width))
	}
	return out
}

// sectionReview is what the section's heading adds: blocking problems, open comments and
// changed answers in it.
func (w *wizard) sectionReview(s *questionnaire.Section) string {
	var parts []string
	if n := w.session.blocking[s.ID]; n > 0 && w.readOnly() {
		parts = append(parts, "✗ "+questionnaire.Plural(n, "blocking problem"))
	}
	if n := w.session.openThreadsIn(s); n > 0 {
		parts = append(parts, "» "+questionnaire.Plural(n, "open comment"))
	}
	if rs := w.session.review; rs != nil && rs.changes != nil {
		n := 0
		for id := range rs.changes {
			if q := w.cat.Question(id); q != nil && q.Section == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, "~ "+questionnaire.Plural(n, "changed answer"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " · " + strings.Join(parts, " · ")
}

// sidebarMarks are the section list's review marks for a section: an icon that overrides
// the progress one (a blocking problem), and a prefix to its count (open comments).
func (w *wizard) sidebarMarks(s *questionnaire.Section) (icon string, style lipgloss.Style, prefix string) {
	st := w.ui.styles
	if w.session.blocking[s.ID] > 0 {
		icon, style = "✗", st.Bad
	}
	if n := w.session.openThreadsIn(s); n > 0 {
		prefix = fmt.Sprintf("»%d ", n)
	}
	return icon, style, prefix
}

// reviewMark is what home puts before an app's status: its open comments (»2), or that
// the reviewer asked for changes (»!).
func reviewMark(r store.ReviewSummary) string {
	switch {
	case r.Open > 0:
		return fmt.Sprintf("»%d ", r.Open)
	case r.Decision == questionnaire.ChangesRequested:
		return "»! "
	}
	return ""
}

// reviewMarksMsg carries each app's review marks for home.
type reviewMarksMsg struct {
	marks map[string]store.ReviewSummary
}

// loadReviewMarksCmd reads where each app's review stands. It is a help, not the list:
// when it fails, home shows no marks.
func loadReviewMarksCmd(ui *shared) tea.Cmd {
	return func() tea.Msg {
		marks, _ := ui.drafts.ReviewSummaries(ui.ctx)
		return reviewMarksMsg{marks: marks}
	}
}

func (h *home) setReviewMarks(msg reviewMarksMsg) {
	for i := range h.entries {
		if !h.entries[i].ssa {
			h.entries[i].review = msg.marks[h.entries[i].key]
		}
	}
}
