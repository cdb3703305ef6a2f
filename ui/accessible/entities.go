package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// readEntities reads a list of entries, such as the sub-processors: each field of an entry
// in turn, then "add another?". Each field is checked as soon as it is typed, with the
// engine's sentence, so a wrong link is typed again at once rather than at the end.
// Quit or the end of the input saves the entries finished so far; back and skip drop them.
func (s *session) readEntities(q *questionnaire.Question) (reply, error) {
	cur, answered := s.d.answers.Get(q.ID)
	var entries []questionnaire.Entity
	if answered {
		raw, c, err := s.line(q, "Answer:")
		if err != nil || c != cmdNone {
			return commandReply(c), err
		}
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "":
			return reply{act: actKeep}, nil
		case "add":
			entries = cur.Clone().Entities
		case "new":
		default:
			msg := "Type add to add entries, new to enter every entry again, or press enter to keep the entries."
			s.out.say(msg)
			return reply{act: actRefused, line: s.in.n, text: raw, why: msg}, nil
		}
	} else {
		more, c, err := s.yes(q, "Add an entry? Type y or n:")
		if err != nil || c != cmdNone {
			return commandReply(c), err
		}
		if !more {
			return reply{act: actKeep}, nil
		}
	}
	first, firstLine := len(entries), s.in.n+1
	finish := func(c command, unfinished bool) (reply, error) {
		typed := len(entries) > first
		if c == cmdQuit && (typed || unfinished) && s.cfg.Script && s.in.eof {
			return reply{}, s.unfinished(q, firstLine)
		}
		switch {
		case c == cmdQuit && typed:
			if unfinished {
				s.out.say(fmt.Sprintf("Entry %d was not finished, so it is not saved.", len(entries)+1))
			}
			return reply{act: actAnswer, v: questionnaire.Value{Entities: entries}, quit: true}, nil
		case (c == cmdBack || c == cmdSkip) && (typed || unfinished):
			s.out.say("The entries you typed were not saved.")
		}
		return commandReply(c), nil
	}
	for {
		e, c, dropped, err := s.readEntry(q, entries, len(entries) == first)
		if err != nil {
			return reply{}, err
		}
		if c != cmdNone {
			return finish(c, true)
		}
		if !dropped {
			entries = append(entries, e)
		}
		more, c, err := s.yes(q, "Add another entry? Type y or n:")
		if err != nil {
			return reply{}, err
		}
		if c != cmdNone {
			return finish(c, false)
		}
		if !more {
			break
		}
	}
	if len(entries) == first {
		return reply{act: actKeep}, nil
	}
	return reply{act: actAnswer, v: questionnaire.Value{Entities: entries}}, nil
}

// readEntry reads the fields of one entry after prev. It reports a command typed instead,
// or that the entry was dropped after too many refused answers to one field.
func (s *session) readEntry(q *questionnaire.Question, prev []questionnaire.Entity, withHelp bool) (questionnaire.Entity, command, bool, error) {
	i := len(prev)
	e := questionnaire.Entity{Fields: map[string]questionnaire.Value{}}
	s.out.say(fmt.Sprintf("Entry %d.", i+1))
	for _, f := range q.Fields {
		if help := questionnaire.OneLine(f.Help); withHelp && help != "" {
			s.out.say(f.Label + ": " + help)
		}
		var notes []string
		if !f.Required {
			notes = append(notes, "optional")
		}
		if f.Kind == questionnaire.KindList {
			notes = append(notes, "separate several with commas")
		}
		prompt := f.Label + ":"
		if len(notes) > 0 {
			prompt = f.Label + " (" + strings.Join(notes, "; ") + "):"
		}
		accepted := false
		for attempt := 1; attempt <= maxAttempts && !accepted; attempt++ {
			raw, c, err := s.line(q, prompt)
			if err != nil || c != cmdNone {
				return e, c, false, err
			}
			text := strings.TrimSpace(questionnaire.CleanText(raw, false))
			delete(e.Fields, f.Key)
			switch {
			case text == "":
			case f.Kind == questionnaire.KindList:
				e.Fields[f.Key] = questionnaire.List(splitItems(text)...)
			default:
				e.Fields[f.Key] = questionnaire.Text(text)
			}
			problems := fieldProblems(q, prev, e, f.Key)
			accepted = len(problems) == 0
			for _, p := range problems {
				s.out.say(p.Message)
			}
			if !accepted && s.cfg.Script {
				return e, cmdNone, false, s.refused(q, s.in.n, raw, problems[0].Message)
			}
		}
		if !accepted {
			s.out.say(fmt.Sprintf("Entry %d is dropped after %d refused answers.", i+1, maxAttempts))
			return e, cmdNone, true, nil
		}
	}
	return e, cmdNone, false, nil
}

// fieldProblems checks the entries with e added and keeps the problems of e's field key.
func fieldProblems(q *questionnaire.Question, prev []questionnaire.Entity, e questionnaire.Entity, key string) []questionnaire.Problem {
	i := len(prev)
	var out []questionnaire.Problem
	for _, p := range q.Check(questionnaire.Value{Entities: append(slices.Clone(prev), e)}) {
		if p.Item == i && p.Field == key {
			out = append(out, p)
		}
	}
	return out
}

// splitItems splits a line at commas into trimmed, non-empty items.
func splitItems(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// yes reads y or n; enter means no. After a few lines that are neither, it takes no.
func (s *session) yes(q *questionnaire.Question, prompt string) (bool, command, error) {
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		raw, c, err := s.line(q, prompt)
		if err != nil || c != cmdNone {
			return false, c, err
		}
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "y", "yes", "add":
			return true, cmdNone, nil
		case "", "n", "no":
			return false, cmdNone, nil
		}
		s.out.say("Type y for yes or n for no.")
		if s.cfg.Script {
			return false, cmdNone, s.refused(q, s.in.n, raw, "it is neither y nor n")
		}
	}
	return false, cmdNone, nil
}
