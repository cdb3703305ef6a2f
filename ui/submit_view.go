package ui

import (
	"fmt"
	"strings"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/submit"
)

// View draws the submit screen in its state: the credentials form, the spinner with what
// it waits for, the comparison to confirm, the result, or the refusal at its questions.
func (s *submitScreen) View() string {
	st := s.ui.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Submit to the Marketplace") + st.Faint.Render("  "+s.ref.Subject) + "\n\n")
	width := max(20, s.width-2)
	switch s.state {
	case submitCredentials:
		b.WriteString(st.Muted.Render(wrapText("pstab needs your Atlassian account email and an API token to send the draft. They are used for this session only; pstab login keeps them in your OS keyring.", width)) + "\n")
		if s.note != "" {
			b.WriteString(st.Warn.Render(wrapText(s.note, width)) + "\n")
		}
		b.WriteString("\n" + s.form.View())
	case submitPreparing:
		b.WriteString(s.spin.View() + st.Muted.Render(" Checking the draft and comparing it with the live listing…"))
		b.WriteString(s.waitingView(width))
	case submitSending:
		verb := "Sending the draft"
		if s.publish {
			verb = "Sending and publishing the draft"
		}
		b.WriteString(s.spin.View() + st.Muted.Render(" "+verb+"…"))
		b.WriteString(s.waitingView(width))
	case submitConfirm:
		b.WriteString(s.saidView(width))
		b.WriteString(s.confirmView(width))
	case submitDone:
		for _, line := range s.result {
			b.WriteString(st.OK.Render(wrapText("✓ "+line, width)) + "\n")
		}
		b.WriteString(s.saidView(width))
	case submitFailed:
		b.WriteString(s.saidView(width))
		if len(s.refusals) > 0 {
			b.WriteString(s.refusalsView(width))
			break
		}
		b.WriteString(st.Banner.Render(wrapText(questionnaire.Sentence(s.err.Error()), width-3)) + "\n\n")
		b.WriteString(st.Muted.Render(wrapText("Your draft is untouched. To enter it by hand in the web form instead, run pstab export "+
			s.ref.Subject+" --format sheet.", width)) + "\n")
	}
	return b.String()
}

// refusalsView lists every error of a refused send, the selected one marked, each with
// the question it points at in the catalogue's words, so that enter can go and fix it.
func (s *submitScreen) refusalsView(width int) string {
	st := s.ui.styles
	var b strings.Builder
	n := len(s.refusals)
	b.WriteString(st.Banner.Render(wrapText(fmt.Sprintf("The Marketplace refused the draft of %s with %d %s.", s.ref.Subject, n,
		questionnaire.PluralWord(n, "error", "errors")), width-3)) + "\n\n")
	room := max(2, (s.height-8)/2) // two lines an error
	first := min(max(0, s.cursor-room+1), max(0, n-room))
	for i := first; i < n && i < first+room; i++ {
		r := s.refusals[i]
		mark, style := "  ", st.Text
		if i == s.cursor {
			mark, style = "› ", st.Accent
		}
		where := r.Path
		if r.Question != nil {
			where = r.Question.ID + " · " + questionnaire.OneLine(r.Question.Prompt)
		}
		if where == "" {
			where = "the request as a whole"
		}
		msg := r.Message
		if r.Code != "" {
			msg += " [" + r.Code + "]"
		}
		b.WriteString(style.Render(truncate(mark+where, width)) + "\n")
		b.WriteString(st.Muted.Render(truncate("    "+msg, width)) + "\n")
	}
	b.WriteString("\n" + st.Muted.Render(wrapText("Your draft is untouched. Press enter to go to the selected question, fix it, then submit again.", width)) + "\n")
	return b.String()
}

// waitingView says, under the spinner, what the Marketplace did that is being retried.
// saidView lists the submission's notices, each a warning line of its own.
func (s *submitScreen) saidView(width int) string {
	var b strings.Builder
	for _, note := range s.said {
		b.WriteString(s.ui.styles.Warn.Render(wrapText("! "+note, width)) + "\n")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func (s *submitScreen) waitingView(width int) string {
	if s.waiting == "" {
		return ""
	}
	return "\n\n" + s.ui.styles.Warn.Render(wrapText(s.waiting, width)) + "\n" +
		s.ui.styles.Faint.Render("esc stops waiting; nothing more is sent.")
}

func (s *submitScreen) confirmView(width int) string {
	st := s.ui.styles
	var b strings.Builder
	live := s.plan.Live
	switch {
	case !live.Found:
		b.WriteString(st.Text.Render("Nothing is live yet: "+allNew(len(s.plan.Changes))) + "\n")
	case len(s.plan.Changes) == 0:
		b.WriteString(st.Text.Render("The live listing already matches your draft.") + "\n")
	default:
		head := fmt.Sprintf("Compared with the live listing, %d %s:", len(s.plan.Changes), questionnaire.PluralWord(len(s.plan.Changes), "answer changes", "answers change"))
		if live.FormStatus != "" {
			head += st.Faint.Render("  (live formStatus " + live.FormStatus + ")")
		}
		b.WriteString(st.Text.Render(head) + "\n")
	}
	if live.Found && live.FormStatus != "" {
		for _, line := range submit.Describe(live.Properties) {
			b.WriteString(st.Faint.Render(truncate("  live: "+line, width)) + "\n")
		}
		if live.FormStatus == marketplace.FormRejected {
			b.WriteString(st.Warn.Render(wrapText(submit.NextStep(s.ref.Subject, live.Properties), width)) + "\n")
		}
	}
	if n := len(s.plan.Hidden); n > 0 {
		b.WriteString(st.Muted.Render(wrapText(fmt.Sprintf("%d %s hidden by your other answers: kept in the draft, not sent.", n,
			questionnaire.PluralWord(n, "answer is", "answers are")), width)) + "\n")
	}
	var lines []string
	for _, ch := range s.plan.Changes {
		lines = append(lines, "  "+st.Accent.Render(ch.Question.ID)+" "+st.Muted.Render(truncate(ch.Summary, width-len(ch.Question.ID)-4)))
	}
	var warn strings.Builder
	for _, w := range s.warnings {
		warn.WriteString(st.Warn.Render(wrapText("⚠ "+w, width)) + "\n")
	}
	room := max(3, s.height-10-strings.Count(warn.String(), "\n")-strings.Count(s.saidView(width), "\n"))
	s.scroll = min(s.scroll, max(0, len(lines)-room))
	if len(lines) > 0 {
		b.WriteString(strings.Join(lines[s.scroll:min(len(lines), s.scroll+room)], "\n") + "\n")
	}
	b.WriteString(warn.String())
	publish := "[ ] also publish it (P)"
	if s.publish {
		publish = "[x] also publish it (P): it goes live for Atlassian's review"
	}
	b.WriteString("\n" + st.Muted.Render(publish) + "\n")
	b.WriteString(st.Warn.Render("Send these answers to the Marketplace as the draft of " + s.ref.Subject + "? y/N"))
	return b.String()
}

// allNew says that every answer is new: "all 3 answers are new", "the one answer is new".
func allNew(n int) string {
	if n == 1 {
		return "the one answer is new."
	}
	return fmt.Sprintf("all %d answers are new.", n)
}
