package accessible

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// errNoChoice ends a session whose input never chose an app.
var errNoChoice = errors.New("no app was chosen after three tries; list the apps with pstab apps, or create one with pstab new KEY --name NAME")

// intro says what pstab does, for a partner who has no app yet.
const intro = "pstab fills in the Privacy & Security tab of your Atlassian Marketplace app listings: it asks each question in turn and saves every answer the moment you give it."

// draft is the draft being answered, as this session knows it.
type draft struct {
	cat     *questionnaire.Catalogue
	ref     store.DraftRef
	key     string // what to type after pstab check: the app key, or @partner
	title   string // "Example (com.example.app)", or "your Security Self-Assessment"
	answers questionnaire.Answers
	version int64
	resume  [2]string // section and question IDs where the partner left off
	// sources are the answers that still hold the value pstab scan gave them.
	sources map[string]store.AnswerSource
}

// sourceReader is the part of the store that says which answers came from pstab scan. A
// Drafts without it (a test's fake) has no scanned answers.
type sourceReader interface {
	AnswerSources(ctx context.Context, ref store.DraftRef) (map[string]store.AnswerSource, error)
}

// loadSources reads which answers came from a scan. Not knowing costs only the note
// beside each such answer, so an error leaves none.
func (s *session) loadSources(ref store.DraftRef) map[string]store.AnswerSource {
	r, ok := s.cfg.Drafts.(sourceReader)
	if !ok {
		return nil
	}
	src, err := r.AnswerSources(s.writeCtx(), ref)
	if err != nil {
		return nil
	}
	return src
}

// plainLine reads one line at a prompt where only quit is a command. It returns errQuit
// for quit and at the end of the input.
func (s *session) plainLine(prompt string) (string, error) {
	line, err := s.readRaw(prompt)
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(questionnaire.CleanText(line, false))
	if w := strings.ToLower(line); w == "quit" || w == "exit" {
		return "", errQuit
	}
	return line, nil
}

// readRaw prompts and reads one line as typed; the end of the input is errQuit.
func (s *session) readRaw(prompt string) (string, error) {
	s.out.prompt(prompt)
	line, err := s.in.next(s.ctx)
	switch {
	case errors.Is(err, io.EOF):
		s.out.endLine()
		return "", errQuit
	case err != nil:
		return "", err
	}
	if s.cfg.Echo {
		s.out.echo(line)
	} else {
		s.out.read()
	}
	return line, nil
}

// choose asks which draft to answer: an app from the store, the Security Self-Assessment,
// or a new app. On an empty database it goes straight to creating the first app.
func (s *session) choose() (*draft, error) {
	apps, err := s.cfg.Drafts.Apps(s.ctx)
	if err != nil {
		return nil, failure("the list of apps could not be read: %s", storeProblem(err))
	}
	if len(apps) == 0 {
		s.out.say(intro)
		s.out.say("There is no app yet, so start by creating the first one. Type quit at any prompt to stop.")
		return s.create("")
	}
	s.out.say("Choose what to fill in:")
	for i, a := range apps {
		s.out.say(fmt.Sprintf("%d. %s (%s): %s.", i+1, a.Name, a.Key, answeredPhrase(a.Answered, a.Total)))
	}
	ssa := len(apps) + 1
	if s.cfg.Catalogues.SelfAssessment != nil {
		phrase := "not started"
		ref := store.DraftRef{Subject: store.PartnerKey, Questionnaire: s.cfg.Catalogues.SelfAssessment.ID}
		if d, err := s.cfg.Drafts.Load(s.ctx, ref); err == nil {
			p := s.cfg.Catalogues.SelfAssessment.Progress(d.Answers)
			phrase = answeredPhrase(p.Answered, p.Total)
		}
		s.out.say(fmt.Sprintf("%d. Security Self-Assessment (%s): %s.", ssa, store.PartnerKey, phrase))
	}
	s.out.say("Type a number, an app key, or new to create an app. Type quit to stop.")
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		line, err := s.plainLine("Your choice:")
		if err != nil {
			return nil, err
		}
		n, numErr := strconv.Atoi(line)
		switch {
		case line == "":
			s.out.say("Type the number of an app, its key, or new.")
			continue
		case numErr == nil && n >= 1 && n <= len(apps):
			return s.openApp(apps[n-1].App)
		case numErr == nil && n == ssa && s.cfg.Catalogues.SelfAssessment != nil,
			s.cfg.Catalogues.SelfAssessment != nil && (line == store.PartnerKey || strings.EqualFold(line, "partner")):
			return s.openSSA()
		case strings.EqualFold(line, "new"):
			return s.create("")
		case numErr == nil:
			s.out.say(fmt.Sprintf("There is no number %d in the list.", n))
			continue
		}
		for _, a := range apps {
			if a.Key == line {
				return s.openApp(a.App)
			}
		}
		if err := store.ValidateAppKey(line); err != nil {
			s.out.say(fmt.Sprintf("%s is neither a number in the list nor an app key: %s.", quote(line), err))
			continue
		}
		s.out.say(fmt.Sprintf("There is no app %s yet. To create it, type its name as it appears on its listing; to choose again, press enter.", line))
		name, err := s.plainLine("App name:")
		if err != nil {
			return nil, err
		}
		if name == "" {
			continue
		}
		return s.createNamed(line, name)
	}
	return nil, errNoChoice
}

// openKey opens the draft a key names (Config.Key): an app, or the Security
// Self-Assessment. An app that does not exist yet is created when the partner types at a
// terminal, after its name is asked; a Script run ends with exit 2 instead, since its
// lines were written for questions.
func (s *session) openKey(key string) (*draft, error) {
	if s.cfg.Catalogues.SelfAssessment != nil && (key == store.PartnerKey || strings.EqualFold(key, "partner")) {
		return s.openSSA()
	}
	if err := store.ValidateAppKey(key); err != nil {
		return nil, usage("%s is not an app key: %s", quote(key), questionnaire.LowerFirst(err.Error()))
	}
	app, err := s.cfg.Drafts.App(s.ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound) && s.cfg.Script:
		return nil, usage("there is no app %s in the drafts file; create it with pstab new %s --name NAME, or list the apps with pstab apps", key, key)
	case errors.Is(err, store.ErrNotFound):
		s.out.say(fmt.Sprintf("There is no app %s yet, so it is created now. Type quit to stop.", key))
		return s.create(key)
	case err != nil:
		return nil, failure("the app %s could not be read: %s", key, storeProblem(err))
	}
	return s.openApp(app)
}

// answeredPhrase says how far a draft is answered, as a clause.
func answeredPhrase(answered, total int) string {
	if answered == 0 {
		return "not started"
	}
	return fmt.Sprintf("%d of %d required questions answered", answered, total)
}

// create asks for a new app's key (unless given) and name, and creates it.
func (s *session) create(key string) (*draft, error) {
	for attempt := 1; key == ""; attempt++ {
		if attempt > maxAttempts {
			return nil, errNoChoice
		}
		line, err := s.plainLine("App key, as on the Marketplace (for example com.example.app):")
		if err != nil {
			return nil, err
		}
		if err := store.ValidateAppKey(line); err != nil {
			s.out.say(questionnaire.Sentence(err.Error()))
			continue
		}
		key = line
	}
	if app, err := s.cfg.Drafts.App(s.ctx, key); err == nil {
		s.out.say(fmt.Sprintf("There is already an app %s, %s; opening it.", key, app.Name))
		return s.openApp(app)
	}
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		name, err := s.plainLine("App name, as it appears on its listing:")
		if err != nil {
			return nil, err
		}
		if err := store.ValidateAppName(name); err != nil {
			s.out.say(questionnaire.Sentence(err.Error()))
			continue
		}
		return s.createNamed(key, name)
	}
	return nil, errNoChoice
}

// createNamed creates an app whose key and name have been typed, and opens it.
func (s *session) createNamed(key, name string) (*draft, error) {
	if err := store.ValidateAppName(name); err != nil {
		s.out.say(questionnaire.Sentence(err.Error()))
		return s.create(key)
	}
	app := store.App{Key: key, Name: strings.TrimSpace(name), Hosting: "cloud"}
	err := s.cfg.Drafts.CreateApp(s.writeCtx(), app)
	switch {
	case errors.Is(err, store.ErrExists):
		existing, err := s.cfg.Drafts.App(s.ctx, key)
		if err != nil {
			return nil, failure("the app %s could not be read: %s", key, storeProblem(err))
		}
		s.out.say(fmt.Sprintf("There is already an app %s, %s; opening it.", key, existing.Name))
		return s.openApp(existing)
	case err != nil:
		return nil, failure("the app %s was not created: %s", key, storeProblem(err))
	}
	s.out.say(fmt.Sprintf("Created %s (%s).", app.Name, app.Key))
	return s.openApp(app)
}

func (s *session) openApp(app store.App) (*draft, error) {
	return s.open(app.Key, fmt.Sprintf("%s (%s)", app.Name, app.Key))
}

func (s *session) openSSA() (*draft, error) {
	return s.open(store.PartnerKey, "your company ("+store.PartnerKey+")")
}

// open loads the draft a key names, in the questionnaire the store says it answers.
func (s *session) open(key, title string) (*draft, error) {
	sub, err := s.cfg.Drafts.Subject(s.ctx, key)
	if err != nil {
		return nil, failure("the draft of %s could not be read: %s", title, storeProblem(err))
	}
	d, err := s.cfg.Drafts.Load(s.ctx, sub.Ref)
	if err != nil {
		return nil, failure("the draft of %s could not be read: %s", title, storeProblem(err))
	}
	return &draft{cat: sub.Catalogue, ref: sub.Ref, key: key, title: title, answers: d.Answers, version: d.Version,
		resume: [2]string{d.ResumeSection, d.ResumeQuestion}, sources: s.loadSources(sub.Ref)}, nil
}

// quote quotes text typed by the partner for a message, shortened and with any invisible
// character written as an escape.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return strconv.QuoteToGraphic(s)
}
