package accessible

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// commandLines list the commands, said once at the start and again on help.
var commandLines = []string{
	"Commands you can type at any question:",
	"back: go to the previous question.",
	"skip: leave this question as it is and go on.",
	"clear: remove this question's answer.",
	"where: say which section you are in and how much is answered.",
	"?: repeat the question with its help.",
	"help: list these commands.",
	"quit: stop. Every answer is saved the moment you give it; ending the input (ctrl+d) also stops.",
}

func (s *session) sayCommands() {
	for _, l := range commandLines {
		s.out.say(l)
	}
}

// walk asks the shown questions in order, from where the partner left off, applying the
// follow-up rules after every answer: the next question is always the next one shown for
// the answers as they are now, so a follow-up comes right after the answer that reveals it
// and is never asked once an answer hides it.
func (s *session) walk(from *questionnaire.Question) error {
	d := s.d
	p := d.cat.Progress(d.answers)
	s.out.blank()
	s.out.say(fmt.Sprintf("%s for %s: %d of %d required questions answered.", d.cat.Title, d.title, p.Answered, p.Total))
	s.sayCommands()
	q, why := s.start()
	if from != nil {
		q, why = from, fmt.Sprintf("Starting at question %s, as asked.", from.ID)
	}
	if q == nil {
		s.out.say("No question applies to this draft.")
		s.summary()
		return nil
	}
	s.out.say(why)
	var last *questionnaire.Section
	for q != nil {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		last = s.announce(q, last)
		// Where to resume is a convenience, as in the wizard: failing to record it loses
		// no answer, so it does not stop the session.
		_ = s.cfg.Drafts.SetResume(s.writeCtx(), d.ref, q.Section.ID, q.ID)
		m, err := s.ask(q)
		if errors.Is(err, errQuit) {
			s.out.blank()
			s.out.say("Stopped. Every answer you gave is saved; start pstab --accessible again to carry on from this question.")
			s.summary()
			return errQuit
		}
		if err != nil {
			return err
		}
		switch m {
		case moveNext:
			q = s.after(q)
		case moveBack:
			if prev := s.before(q); prev != nil {
				q = prev
			} else {
				s.out.say("This is the first question.")
			}
		}
	}
	_ = s.cfg.Drafts.SetResume(s.writeCtx(), d.ref, "", "")
	s.out.blank()
	s.out.say("That was the last question.")
	s.summary()
	return nil
}

// from returns the question Config.From names, checked before anything is asked: it must
// be a question of the draft's questionnaire that its answers show.
func (s *session) from() (*questionnaire.Question, error) {
	id := s.cfg.From
	if id == "" {
		return nil, nil
	}
	cat := s.d.cat
	q := cat.Question(id)
	if q == nil {
		return nil, usage("there is no question %s in the %s questionnaire; pstab questions lists the question IDs", quote(id), cat.Title)
	}
	if !cat.Visible(s.d.answers).Shows(q) {
		return nil, usage("question %s is not asked for this draft's answers so far (it follows an answer not given); start where it is asked, or answer the question it follows first", id)
	}
	return q, nil
}

// start returns the question to start at: the resume position when it is still shown,
// else the first unanswered question, else the first question; and a sentence saying so.
func (s *session) start() (*questionnaire.Question, string) {
	d := s.d
	vis := d.cat.Visible(d.answers)
	const resumed = "Starting where you left off."
	if q := d.cat.Question(d.resume[1]); q != nil && vis.Shows(q) {
		return q, resumed
	}
	if sec := d.cat.Section(d.resume[0]); sec != nil {
		if qs := vis.SectionQuestions(sec); len(qs) > 0 {
			return qs[0], resumed
		}
	}
	shown := vis.Questions()
	for _, q := range shown {
		if _, ok := d.answers.Get(q.ID); !ok {
			return q, "Starting at the first question not answered yet."
		}
	}
	if len(shown) == 0 {
		return nil, ""
	}
	return shown[0], "Every question is answered; starting at the first one, so that you can review the answers."
}

// after returns the next shown question, or nil after the last.
func (s *session) after(q *questionnaire.Question) *questionnaire.Question {
	cat := s.d.cat
	vis := cat.Visible(s.d.answers)
	for i := q.Index + 1; i < len(cat.Questions); i++ {
		if vis.Shows(cat.Questions[i]) {
			return cat.Questions[i]
		}
	}
	return nil
}

// before returns the previous shown question, or nil before the first.
func (s *session) before(q *questionnaire.Question) *questionnaire.Question {
	cat := s.d.cat
	vis := cat.Visible(s.d.answers)
	for i := q.Index - 1; i >= 0; i-- {
		if vis.Shows(cat.Questions[i]) {
			return cat.Questions[i]
		}
	}
	return nil
}

// announce names the section of q when it differs from the last one announced, and the
// sections passed over because no question of theirs applies.
func (s *session) announce(q *questionnaire.Question, last *questionnaire.Section) *questionnaire.Section {
	sec := q.Section
	if sec == last {
		return last
	}
	cat := s.d.cat
	vis := cat.Visible(s.d.answers)
	if last != nil && sec.Index > last.Index {
		for i := last.Index + 1; i < sec.Index; i++ {
			if skipped := cat.Sections[i]; !vis.SectionShown(skipped) {
				s.out.say(fmt.Sprintf("Section %d of %d, %s, does not apply to your answers, so it is skipped.",
					skipped.Index+1, len(cat.Sections), skipped.Title))
			}
		}
	}
	s.out.blank()
	n := len(vis.SectionQuestions(sec))
	s.out.say(fmt.Sprintf("Section %d of %d: %s. %s.", sec.Index+1, len(cat.Sections), sec.Title, questionnaire.Plural(n, "question")))
	if intro := strings.TrimSpace(sec.Intro); intro != "" {
		s.out.say(intro)
	}
	return sec
}

// position returns where q is among the shown questions of its section, from 1, and how
// many there are.
func (s *session) position(q *questionnaire.Question) (int, int) {
	qs := s.d.cat.Visible(s.d.answers).SectionQuestions(q.Section)
	for i, other := range qs {
		if other == q {
			return i + 1, len(qs)
		}
	}
	return 0, len(qs)
}

// where says where the partner is and how much is answered.
func (s *session) where(q *questionnaire.Question) {
	d := s.d
	pos, n := s.position(q)
	p := d.cat.Progress(d.answers)
	s.out.say(fmt.Sprintf("You are answering %s for %s: section %d of %d, %s, question %d of %d. %d of %d required questions are answered.",
		d.cat.Title, d.title, q.Section.Index+1, len(d.cat.Sections), q.Section.Title, pos, n, p.Answered, p.Total))
}

// summary says how complete the draft is and what to do next.
func (s *session) summary() {
	d := s.d
	p := d.cat.Progress(d.answers)
	if p.Complete() {
		s.out.say(fmt.Sprintf("%d of %d required questions are answered: the draft is complete.", p.Answered, p.Total))
	} else {
		s.out.say(fmt.Sprintf("%d of %d required questions are answered.", p.Answered, p.Total))
	}
	if d.ref.Subject == store.PartnerKey {
		s.out.say(fmt.Sprintf("Run pstab check %s to see how each answer meets its passing criterion, and pstab preview %s to read the answers as Atlassian will.", d.key, d.key))
		return
	}
	s.out.say(fmt.Sprintf("Run pstab check %s to see what would stop the draft from being submitted, and pstab preview %s to read it as customers will see it.", d.key, d.key))
}
