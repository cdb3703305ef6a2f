package accessible

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// yesNo are the choices of a yes/no question, which the catalogue does not list.
var yesNo = []questionnaire.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}

func options(q *questionnaire.Question) []questionnaire.Option {
	if q.Kind == questionnaire.KindYesNo {
		return yesNo
	}
	return q.Options
}

// printQuestion says the question: its place, prompt, help, examples, what kind of answer
// it takes, and its current answer, each as a complete sentence on its own line.
func (s *session) printQuestion(q *questionnaire.Question) {
	pos, n := s.position(q)
	head := fmt.Sprintf("Question %d of %d", pos, n)
	if q.Number != "" {
		head += " (" + q.Number + ")"
	}
	s.out.blank()
	s.out.say(head + ": " + questionnaire.OneLine(q.Prompt))
	if help := questionnaire.OneLine(q.Help); help != "" {
		s.out.say(help)
	}
	if len(q.Examples) > 0 {
		s.out.say("Examples: " + questionnaire.OneLine(strings.Join(q.Examples, "; ")) + ".")
	}
	for _, l := range instructions(q) {
		s.out.say(l)
	}
	s.out.say(s.current(q))
	if src, ok := s.d.sources[q.ID]; ok {
		if _, answered := s.d.answers.Get(q.ID); answered {
			s.out.say("This answer came from pstab scan (" + questionnaire.OneLine(src.Source) + "); type a new answer to make it yours.")
		}
	}
}

// instructions say what kind of answer q takes and how to type it.
func instructions(q *questionnaire.Question) []string {
	switch q.Kind {
	case questionnaire.KindYesNo, questionnaire.KindTriState, questionnaire.KindChoice:
		opts := options(q)
		if short(opts) {
			parts := make([]string, len(opts))
			for i, o := range opts {
				parts[i] = fmt.Sprintf("%d for %s", i+1, o.Label)
			}
			return []string{"Type " + joinOr(parts) + "."}
		}
		return append([]string{"Type the number of your answer:"}, numbered(opts)...)
	case questionnaire.KindMultiChoice:
		return append([]string{"Type the numbers of every answer that applies, separated by commas, for example 1, 3:"}, numbered(q.Options)...)
	case questionnaire.KindText:
		return []string{fmt.Sprintf("Type your answer on one line, in at most %d characters.", q.TextLimit())}
	case questionnaire.KindLongText:
		return []string{"Type your answer on as many lines as it needs, empty lines between paragraphs included; end it with a line holding only a full stop (.)."}
	case questionnaire.KindURL:
		return []string{"Type a link that starts with https://."}
	case questionnaire.KindEmail:
		return []string{"Type an email address."}
	case questionnaire.KindDate:
		return []string{"Type a date as YYYY-MM-DD, for example 2026-03-31."}
	case questionnaire.KindList:
		lines := []string{"Type one item per line; end the list with a line holding only a full stop (.), or an empty line."}
		if len(q.Options) > 0 {
			vals := make([]string, len(q.Options))
			for i, o := range q.Options {
				vals[i] = o.Value
			}
			lines = append(lines, "Where one fits, use the Marketplace's spelling: "+strings.Join(vals, ", ")+".")
		}
		return lines
	case questionnaire.KindDayRange:
		return []string{"Type the number of days as MIN..MAX, for example 0..30, or type indefinite."}
	case questionnaire.KindEntities:
		parts := make([]string, len(q.Fields))
		for i, f := range q.Fields {
			parts[i] = f.Label
			if !f.Required {
				parts[i] += " (optional)"
			}
		}
		return []string{"This answer is a list of entries; each entry asks for " + strings.Join(parts, ", ") + "."}
	}
	return nil
}

// short reports whether the choices fit in one sentence.
func short(opts []questionnaire.Option) bool {
	if len(opts) > 4 {
		return false
	}
	for _, o := range opts {
		if len(o.Label) > 30 || strings.ContainsAny(o.Label, ".,;") {
			return false
		}
	}
	return true
}

func numbered(opts []questionnaire.Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = fmt.Sprintf("%d. %s", i+1, questionnaire.OneLine(o.Label))
	}
	return out
}

// joinOr joins "a", "b", "c" as "a, b or c".
func joinOr(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// current says the current answer and what pressing enter does.
func (s *session) current(q *questionnaire.Question) string {
	v, ok := s.d.answers.Get(q.ID)
	if !ok {
		switch {
		case q.Kind == questionnaire.KindEntities:
			return "Not answered yet."
		case !q.Required:
			return "This question is optional; press enter to leave it unanswered."
		}
		return "Not answered yet; press enter to leave it for now."
	}
	shown := questionnaire.EndSentence(questionnaire.OneLine(q.Display(v)))
	switch q.Kind {
	case questionnaire.KindList:
		return "Current answer: " + shown + " Press enter to keep it, or type a new list to replace it."
	case questionnaire.KindLongText:
		return "Current answer: " + shown + " Press enter to keep it, or type new text to replace it."
	case questionnaire.KindEntities:
		return fmt.Sprintf("Current answer: %s: %s Press enter to keep them, type add to add entries, or type new to enter every entry again.",
			questionnaire.Plural(len(v.Entities), "entry"), shown)
	}
	return "Current answer: " + shown + " Press enter to keep it."
}

// parseLine reads a one-line answer to q: a choice by number, label or the words pstab set
// takes; a day range; or text. It returns a sentence instead when the line is not an
// answer of that kind. The value is checked afterwards with Question.Check.
func parseLine(q *questionnaire.Question, s string) (questionnaire.Value, string) {
	switch q.Kind {
	case questionnaire.KindYesNo, questionnaire.KindTriState, questionnaire.KindChoice:
		if v, ok := pick(q, s); ok {
			return v, ""
		}
		return questionnaire.Value{}, notAChoice(q, s)
	case questionnaire.KindMultiChoice:
		if v, ok := pick(q, s); ok {
			return questionnaire.List(v.Text), ""
		}
		var picked []string
		for _, part := range splitChoices(s) {
			v, ok := pick(q, part)
			if !ok {
				return questionnaire.Value{}, notAChoice(q, part)
			}
			picked = append(picked, v.Text)
		}
		return questionnaire.List(picked...), ""
	case questionnaire.KindDayRange:
		if strings.EqualFold(s, "indefinitely") {
			s = "indefinite"
		}
		v, err := questionnaire.ParseValue(q, []string{strings.ReplaceAll(s, " ", "")})
		if err != nil {
			return questionnaire.Value{}, fmt.Sprintf("%s is not a number of days; type MIN..MAX, for example 0..30, or indefinite.", quote(s))
		}
		return v, ""
	}
	return questionnaire.Text(s), ""
}

// pick reads one choice: its number, its label, or a word pstab set takes for it.
func pick(q *questionnaire.Question, s string) (questionnaire.Value, bool) {
	opts := options(q)
	choose := func(o questionnaire.Option) questionnaire.Value {
		if q.Kind == questionnaire.KindYesNo {
			return questionnaire.Bool(o.Value == "yes")
		}
		return questionnaire.Text(o.Value)
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= len(opts) {
			return choose(opts[n-1]), true
		}
		return questionnaire.Value{}, false
	}
	for _, o := range opts {
		if strings.EqualFold(o.Label, s) || strings.EqualFold(o.Value, s) {
			return choose(o), true
		}
	}
	v, err := questionnaire.ParseValue(q, []string{s})
	switch {
	case err != nil:
		return questionnaire.Value{}, false
	case q.Kind == questionnaire.KindMultiChoice && len(v.List) == 1:
		// pstab set reads a multiple choice one option per word; this is one word.
		return questionnaire.Text(v.List[0]), true
	case q.Kind == questionnaire.KindMultiChoice:
		return questionnaire.Value{}, false
	}
	return v, true
}

// splitChoices splits a multiple choice at commas, or at spaces when it is only numbers.
func splitChoices(s string) []string {
	var parts []string
	if strings.Contains(s, ",") {
		parts = strings.Split(s, ",")
	} else {
		parts = strings.Fields(s)
		for _, p := range parts {
			if _, err := strconv.Atoi(p); err != nil {
				parts = []string{s}
				break
			}
		}
	}
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func notAChoice(q *questionnaire.Question, s string) string {
	return fmt.Sprintf("%s is not one of the choices; type a number from 1 to %d, or the answer as written.", quote(s), len(options(q)))
}
