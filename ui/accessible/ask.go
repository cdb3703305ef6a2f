package accessible

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// move is where to go after a question.
type move int

const (
	moveNext move = iota
	moveBack
)

// command is a command typed instead of an answer.
type command int

const (
	cmdNone command = iota
	cmdBack
	cmdSkip
	cmdClear
	cmdQuit // quit, or the end of the input
)

// action is what a reply asks for.
type action int

const (
	actAnswer  action = iota // v is a new answer, to check and save
	actKeep                  // leave the question as it is
	actClear                 // remove the answer
	actBack                  // go to the previous question
	actQuit                  // stop
	actRefused               // the input could not be read as an answer; a sentence said why
)

// reply is what the partner typed for one question.
type reply struct {
	act  action
	v    questionnaire.Value
	quit bool // stop once v is saved (quit or the end of the input ended a list)

	line  int    // the number of the (first) line of the reply
	text  string // that line, as typed
	why   string // for actRefused: the sentence that said why
	items []int  // for a list: the line of each item, so that a problem names its line
}

// lineOf returns the line a problem of the reply is on: its item's, or the reply's.
func (r reply) lineOf(p questionnaire.Problem) int {
	if p.Item >= 0 && p.Item < len(r.items) {
		return r.items[p.Item]
	}
	return r.line
}

func commandReply(c command) reply {
	switch c {
	case cmdBack:
		return reply{act: actBack}
	case cmdSkip:
		return reply{act: actKeep}
	case cmdClear:
		return reply{act: actClear}
	}
	return reply{act: actQuit}
}

// ask asks one question until it is answered, kept, cleared or left, and saves the answer.
func (s *session) ask(q *questionnaire.Question) (move, error) {
	s.printQuestion(q)
	for attempt := 1; ; attempt++ {
		r, err := s.read(q)
		if err != nil {
			return 0, err
		}
		_, answered := s.d.answers.Get(q.ID)
		switch r.act {
		case actBack:
			return moveBack, nil
		case actQuit:
			return 0, errQuit
		case actKeep:
			if answered {
				s.out.say("Kept.")
			} else {
				s.out.say("Left unanswered.")
			}
			return moveNext, nil
		case actClear:
			if !answered {
				s.out.say("There was no answer to remove.")
				return moveNext, nil
			}
			return moveNext, s.save(q, questionnaire.Value{})
		case actRefused:
			if s.cfg.Script {
				return 0, s.refused(q, r.line, r.text, r.why)
			}
		case actAnswer:
			problems := q.Check(r.v)
			if len(problems) == 0 {
				if err := s.save(q, r.v); err != nil {
					return 0, err
				}
				if r.quit {
					return 0, errQuit
				}
				return moveNext, nil
			}
			for _, p := range problems {
				s.out.say(p.Message)
			}
			if s.cfg.Script {
				line := r.lineOf(problems[0])
				return 0, s.refused(q, line, s.textOf(r, line), problems[0].Message)
			}
			if r.quit {
				s.out.say("That answer was not saved.")
				return 0, errQuit
			}
		}
		if attempt >= maxAttempts {
			s.out.say(fmt.Sprintf("This question is left as it was after %d refused answers; type back at the next question to return to it.", maxAttempts))
			return moveNext, nil
		}
		s.out.say("Please answer again.")
	}
}

// line reads one line for q. It answers help, where and ? itself and reads again; it
// returns the other commands, and cmdQuit at the end of the input.
func (s *session) line(q *questionnaire.Question, prompt string) (string, command, error) {
	for {
		raw, err := s.readRaw(prompt)
		if errors.Is(err, errQuit) {
			return "", cmdQuit, nil
		}
		if err != nil {
			return "", cmdNone, err
		}
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "back":
			return "", cmdBack, nil
		case "skip":
			return "", cmdSkip, nil
		case "clear":
			return "", cmdClear, nil
		case "quit", "exit":
			return "", cmdQuit, nil
		case "help":
			s.sayCommands()
			continue
		case "where":
			s.where(q)
			continue
		case "?":
			s.printQuestion(q)
			continue
		}
		return raw, cmdNone, nil
	}
}

// read reads one reply to q, in the form its kind takes.
func (s *session) read(q *questionnaire.Question) (reply, error) {
	switch q.Kind {
	case questionnaire.KindEntities:
		return s.readEntities(q)
	case questionnaire.KindList, questionnaire.KindLongText:
		return s.readLines(q)
	}
	raw, c, err := s.line(q, "Answer:")
	if err != nil || c != cmdNone {
		return commandReply(c), err
	}
	text := strings.TrimSpace(questionnaire.CleanText(raw, false))
	if text == "" {
		return reply{act: actKeep}, nil
	}
	v, msg := parseLine(q, text)
	if msg != "" {
		s.out.say(msg)
		return reply{act: actRefused, line: s.in.n, text: raw, why: msg}, nil
	}
	return reply{act: actAnswer, v: v, line: s.in.n, text: raw}, nil
}

// textOf returns the text of a reply's line, for a refusal that names it.
func (s *session) textOf(r reply, line int) string {
	if t, ok := s.typed[line]; ok {
		return t
	}
	return r.text
}

// endOfLines is the line that ends a list or a long text: a full stop alone. A list also
// ends at an empty line; a long text keeps its empty lines, between paragraphs.
const endOfLines = "."

// unfinished ends a Script run whose input stopped inside a multi-line answer: the answer
// was not ended, so it is not saved.
func (s *session) unfinished(q *questionnaire.Question, first int) error {
	return failure("the input ended inside the answer to %s that began at line %d, before the line with only a full stop (.) that ends it; that answer was not saved, the answers before it are", q.ID, first)
}

// readLines reads a list (one item per line) or a long text (several lines), up to a
// line with only a full stop, which the prompt states; a list also ends at an empty line.
// A first empty line keeps the current answer. Quit or the end of the input ends it too,
// and the lines typed are saved; in a Script run the end of the input inside an answer
// ends the run instead, the answer not saved. Back, skip and clear drop the lines.
func (s *session) readLines(q *questionnaire.Question) (reply, error) {
	multi := q.Kind == questionnaire.KindLongText
	prompt := func(n int) string {
		switch {
		case !multi:
			return fmt.Sprintf("Item %d:", n)
		case n == 1:
			return "Answer:"
		}
		return "Next line:"
	}
	var lines []string
	var numbers []int
	for {
		raw, c, err := s.line(q, prompt(len(lines)+1))
		if err != nil {
			return reply{}, err
		}
		switch {
		case c == cmdQuit && len(lines) > 0 && s.cfg.Script && s.in.eof:
			return reply{}, s.unfinished(q, numbers[0])
		case c == cmdQuit && len(lines) > 0:
			return reply{act: actAnswer, v: linesValue(q, lines), quit: true, line: numbers[0], items: numbers}, nil
		case c != cmdNone:
			if len(lines) > 0 && c != cmdClear {
				s.out.say("The lines you typed were not saved.")
			}
			return commandReply(c), nil
		}
		text := questionnaire.CleanText(raw, multi)
		if strings.TrimSpace(text) == endOfLines || strings.TrimSpace(text) == "" && (!multi || len(lines) == 0) {
			break
		}
		s.typed[s.in.n] = raw
		lines = append(lines, text)
		numbers = append(numbers, s.in.n)
	}
	if len(lines) == 0 {
		return reply{act: actKeep}, nil
	}
	return reply{act: actAnswer, v: linesValue(q, lines), line: numbers[0], items: numbers}, nil
}

func linesValue(q *questionnaire.Question, lines []string) questionnaire.Value {
	if q.Kind == questionnaire.KindLongText {
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " \t")
		}
		return questionnaire.Text(strings.TrimSpace(strings.Join(lines, "\n")))
	}
	items := make([]string, len(lines))
	for i, l := range lines {
		items[i] = strings.TrimSpace(l)
	}
	// A list's suggested values take their spelling from a value or a label ("SOC 2" is
	// SOC2); any other item is kept as typed.
	if v, err := questionnaire.ParseValue(q, items); err == nil {
		return v
	}
	return questionnaire.List(items...)
}

// save saves one answer (an empty value removes it) at the draft's version. When another
// pstab changed the draft meanwhile, it loads the draft again, says so, and saves the
// answer on top. It then says which questions the answer brought in or took away.
func (s *session) save(q *questionnaire.Question, v questionnaire.Value) error {
	d := s.d
	ctx := s.writeCtx()
	before := d.answers.Clone()
	reloaded := false
	for try := 1; ; try++ {
		var version int64
		var err error
		if v.IsEmpty() {
			version, err = s.cfg.Drafts.ClearAnswer(ctx, d.ref, q.ID, d.version)
		} else {
			version, err = s.cfg.Drafts.SaveAnswer(ctx, d.ref, q.ID, v, d.version)
		}
		var ce *store.ConflictError
		if errors.As(err, &ce) && try < maxAttempts {
			fresh, lerr := s.cfg.Drafts.Load(ctx, d.ref)
			if lerr != nil {
				return failure("the answer to %s was not saved: the draft changed elsewhere and could not be read again: %s", q.ID, storeProblem(lerr))
			}
			d.answers, d.version, d.sources = fresh.Answers, fresh.Version, s.loadSources(d.ref)
			before = d.answers.Clone()
			reloaded = true
			continue
		}
		if err != nil {
			return failure("the answer to %s was not saved, so pstab stopped: %s", q.ID, storeProblem(err))
		}
		d.version = version
		d.answers.Set(q.ID, v)
		// The partner has answered it themselves: it is no longer the scan's.
		delete(d.sources, q.ID)
		break
	}
	msg := "Saved."
	if v.IsEmpty() {
		msg = "Answer removed."
	}
	if reloaded {
		msg = "Another pstab changed this draft while you were answering, so pstab loaded its changes and then saved your answer."
	}
	r := d.cat.Reveals(before, d.answers)
	added, removed, kept := len(r.Shown), len(r.Hidden), 0
	for _, other := range r.Hidden {
		if _, ok := d.answers.Get(other.ID); ok {
			kept++
		}
	}
	switch added {
	case 0:
	case 1:
		msg += " 1 more question now applies."
	default:
		msg += fmt.Sprintf(" %d more questions now apply.", added)
	}
	if removed > 0 {
		verb := "no longer apply"
		if removed == 1 {
			verb = "no longer applies"
		}
		msg += fmt.Sprintf(" %s %s", questionnaire.Plural(removed, "question"), verb)
		if kept > 0 {
			msg += "; answers already given to them are kept"
		}
		msg += "."
	}
	s.out.say(msg)
	return nil
}
