package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pstab/pstab/questionnaire"
)

// Keys that answer a choice at once, and the sentence for a key that does nothing.
//
// y, n and a answer every question whose choices are Yes, No and (when offered) Not
// applicable, whatever the catalogue calls their values: a yes/no question, and the
// yes/no/not-applicable questions (GDPR, CCPA, DPA) the catalogue lists as options.

// letterChoices maps y, n and a to the select values of a question shaped as yes, no
// and not applicable; nil when the question has another shape.
func letterChoices(q *questionnaire.Question) map[string]string {
	switch q.Kind {
	case questionnaire.KindYesNo:
		return map[string]string{"y": selYes, "n": selNo}
	case questionnaire.KindTriState, questionnaire.KindChoice:
	default:
		return nil
	}
	out := map[string]string{}
	for _, o := range q.Options {
		var letter string
		switch strings.ToLower(strings.TrimSpace(o.Label)) {
		case "yes":
			letter = "y"
		case "no":
			letter = "n"
		case "not applicable", "n/a":
			letter = "a"
		default:
			return nil // another choice: the letters would not say which
		}
		if _, twice := out[letter]; twice {
			return nil
		}
		out[letter] = o.Value
	}
	if out["y"] == "" || out["n"] == "" {
		return nil
	}
	return out
}

// letterHint names the letters that answer q, for the help line: "y/n" or "y/n/a".
func letterHint(choices map[string]string) string {
	if _, ok := choices["a"]; ok {
		return "y/n/a"
	}
	return "y/n"
}

// answerLetter answers the focused choice with y, n or a. It reports whether the key was
// one of those letters; a letter the question does not take is said in the status line.
func (w *wizard) answerLetter(b *block, msg tea.KeyMsg) (tea.Cmd, bool) {
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 || msg.Alt || msg.Paste {
		return nil, false
	}
	letter := strings.ToLower(string(msg.Runes))
	if letter != "y" && letter != "n" && letter != "a" {
		return nil, false
	}
	choices := letterChoices(b.q)
	if choices == nil {
		if b.q.Kind == questionnaire.KindMultiChoice || b.q.Kind == questionnaire.KindDayRange || b.q.Kind == questionnaire.KindTriState || b.q.Kind == questionnaire.KindChoice {
			w.notice = fmt.Sprintf("%s does nothing here: y, n and a answer yes/no questions. Pick an answer with ↑/↓.", letter)
			return nil, true
		}
		return nil, false
	}
	value, ok := choices[letter]
	if !ok {
		w.notice = "This question has no Not applicable answer: y answers Yes, n answers No."
		return nil, true
	}
	b.str = value
	if sel, ok := b.choice.f.(*huh.Select[string]); ok {
		// Value moves the select's cursor to the answer, as building it anew did, and keeps
		// the select with the drawings it keeps.
		sel.Value(&b.str)
		b.gen++
		return w.noteChange(b), true
	}
	b.build()
	return tea.Batch(b.choice.Focus(), w.noteChange(b)), true
}

// selectLetters are the letters huh's selects take: j/k move, g/G go to the first and last
// option (and x toggles an option of a multi-select).
var selectLetters = map[string]bool{"j": true, "k": true, "g": true, "G": true}

// doesNothing says so in the status line when a letter would do nothing in the focused
// widget (no text is typed there), and reports whether it did.
func (w *wizard) doesNothing(b *block, wd widget, msg tea.KeyMsg) bool {
	if msg.Type != tea.KeyRunes || msg.Paste || msg.Alt || len(msg.Runes) != 1 || wd.Typing() {
		return false
	}
	k := string(msg.Runes)
	var hint string
	switch wd := wd.(type) {
	case *listEditor:
		if wd.handles(msg) {
			return false
		}
		hint = "a adds an item, e edits, x removes."
	case *entityEditor:
		if wd.handles(msg) {
			return false
		}
		hint = "a adds an entry, e edits, x removes."
	case *huhWidget:
		if selectLetters[k] || b.q.Kind == questionnaire.KindMultiChoice && k == "x" {
			return false
		}
		hint = "↑/↓ picks an answer."
		if b.q.Kind == questionnaire.KindMultiChoice {
			hint = "↑/↓ moves, space or x ticks an answer."
		}
	default:
		return false
	}
	if k == "q" {
		hint = "esc opens the section list, where q goes back to your apps; ctrl+c saves and quits."
	}
	w.notice = fmt.Sprintf("%s does nothing here: %s ? lists every key.", k, hint)
	return true
}

// onlyDigits keeps the digits of a key typed into a number of days, and says so in the
// status line when something else was typed: a day count is a whole number.
func (w *wizard) onlyDigits(msg tea.KeyMsg) (tea.KeyMsg, bool) {
	if msg.Type != tea.KeyRunes {
		return msg, true
	}
	digits := make([]rune, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < len(msg.Runes) {
		w.notice = "A number of days is a whole number: only digits are typed here."
	}
	msg.Runes = digits
	return msg, len(digits) > 0
}

// selectEdge keeps a select's cursor at its ends, and says so. A select answers as its
// cursor moves, and huh's wraps round: ↓ on the last answer would land on the first,
// Not answered, and clear the answer; ↑ on Not answered would pick the last answer.
func (w *wizard) selectEdge(wd widget, msg tea.KeyMsg) bool {
	h, ok := wd.(*huhWidget)
	if !ok || len(h.opts) < 2 {
		return false
	}
	s, ok := h.f.(*huh.Select[string])
	if !ok {
		return false
	}
	cur, _ := s.Hovered()
	km := w.ui.huhKeys.Select
	switch {
	case key.Matches(msg, km.Down) && cur == h.opts[len(h.opts)-1]:
		w.notice = "That is the last answer: ↑ goes back, tab goes on to the next question."
	case key.Matches(msg, km.Up) && cur == h.opts[0]:
		w.notice = "That is the first answer: ↓ picks one, tab goes on to the next question."
	default:
		return false
	}
	return true
}
