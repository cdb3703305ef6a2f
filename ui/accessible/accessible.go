// Package accessible is pstab's plain line-by-line prompter: the same questions, follow-up
// rules, validation and autosave as the full-screen wizard, asked one complete sentence at
// a time, for screen readers and for piped input.
//
// It writes plain text only: no escape sequences, no colour, no cursor movement, and it
// never redraws, so what a screen reader reads is the order in which things happened. It
// reads every line through one shared bufio.Reader, so a file of answers piped in is read
// line after line (huh's accessible mode makes a new scanner per prompt and loses the rest
// of piped input after the first field).
package accessible

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Drafts is what the prompter needs from the drafts store. *store.Store has these methods.
type Drafts interface {
	Apps(ctx context.Context) ([]store.AppSummary, error)
	App(ctx context.Context, key string) (store.App, error)
	Subject(ctx context.Context, key string) (store.Subject, error)
	CreateApp(ctx context.Context, app store.App) error
	Load(ctx context.Context, ref store.DraftRef) (store.Draft, error)
	SaveAnswer(ctx context.Context, ref store.DraftRef, questionID string, v questionnaire.Value, expect int64) (int64, error)
	ClearAnswer(ctx context.Context, ref store.DraftRef, questionID string, expect int64) (int64, error)
	SetResume(ctx context.Context, ref store.DraftRef, section, question string) error
}

// Config is what Run needs: the streams, the store and both catalogues.
type Config struct {
	In     io.Reader // default: standard input
	Out    io.Writer // default: standard output
	Drafts Drafts
	// Catalogues are the store's questionnaires. The partner's Self-Assessment may be nil,
	// and is then not offered.
	Catalogues questionnaire.Catalogues
	// Echo writes each line read back after its prompt. Set it when the input is not a
	// terminal, so that the transcript reads as a conversation; a terminal echoes by itself.
	Echo bool
	// Key names the draft to answer: an app key, or @partner for the Security
	// Self-Assessment. Without it the prompter asks which one, from what the drafts file
	// holds.
	Key string
	// From is the ID of the question to start at, rather than where the partner left off.
	From string
	// Script is for input that is not typed (a file, a pipe): the lines were written for
	// the questions in turn, so a refused line ends the run (exit 1, naming the question
	// and the line) rather than being asked again, which would read the following lines
	// as new tries. A Script run must name its draft (Key), so that its first prompt
	// never depends on what else the drafts file holds.
	Script bool
}

// Exit codes Run returns.
const (
	ExitOK        = 0
	ExitFailed    = 1   // an answer could not be saved or (Script) was refused, or the store could not be read
	ExitUsage     = 2   // no app was chosen, or Key or From names none
	ExitCancelled = 130 // the context was cancelled (ctrl+c)
)

// maxAttempts is how many refused answers a prompt takes before it moves on, so that piped
// input with a wrong line never loops and a partner is never trapped on a question.
const maxAttempts = 3

// errQuit ends the session on quit or at the end of the input.
var errQuit = errors.New("quit")

// Run asks the questions until the partner quits, the input ends or the last question is
// answered. Every accepted answer is saved at once. It returns the exit code and, when the
// code is not 0 or 130, an error whose message is one sentence saying what failed. It
// returns 0 only when every line given was taken and saved.
func Run(ctx context.Context, cfg Config) (int, error) {
	if cfg.Drafts == nil || cfg.Catalogues.PrivacySecurity == nil {
		return ExitFailed, errors.New("the accessible prompter needs a drafts store and a catalogue")
	}
	if cfg.Script && cfg.Key == "" {
		return ExitUsage, errors.New("with input that is not typed at a terminal, name the app to answer: pstab --accessible KEY (pstab apps lists the keys; pstab new KEY --name NAME creates one)")
	}
	if cfg.In == nil {
		cfg.In = os.Stdin
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	lines := newLineReader(cfg.In)
	defer lines.close()
	s := &session{ctx: ctx, cfg: cfg, out: &printer{w: cfg.Out}, in: lines, typed: map[int]string{}}
	err := s.run()
	var failed *failError
	switch {
	case err == nil || errors.Is(err, errQuit):
		return ExitOK, nil
	case errors.As(err, &failed):
		return ExitFailed, err
	case errors.As(err, new(*usageError)):
		return ExitUsage, err
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		s.out.endLine()
		s.out.say("Interrupted. Every answer you gave is saved.")
		return ExitCancelled, nil
	case errors.Is(err, errNoChoice):
		return ExitUsage, err
	}
	return ExitFailed, err
}

// session is one run of the prompter.
type session struct {
	ctx context.Context
	cfg Config
	out *printer
	in  *lineReader
	d   *draft // the draft being answered, once chosen

	typed map[int]string // the lines of multi-line answers, by number, for a refusal to quote
}

func (s *session) run() error {
	var d *draft
	var err error
	if s.cfg.Key != "" {
		d, err = s.openKey(s.cfg.Key)
	} else {
		d, err = s.choose()
	}
	if err != nil {
		return err
	}
	s.d = d
	from, err := s.from()
	if err != nil {
		return err
	}
	return s.walk(from)
}

// writeCtx is the context of writes: an answer the partner gave lands even if ctrl+c
// arrives while it is being saved.
func (s *session) writeCtx() context.Context { return context.WithoutCancel(s.ctx) }

// storeProblem words a store failure as a clause.
func storeProblem(err error) string {
	msg := err.Error()
	for len(msg) > 0 && msg[len(msg)-1] == '.' {
		msg = msg[:len(msg)-1]
	}
	return msg
}

// failError is a failure to read or write the store; it ends the session with exit 1,
// even when ctrl+c arrives at the same moment, so that a lost answer is never reported
// as saved.
type failError struct{ msg string }

func (e *failError) Error() string { return e.msg }

// failure returns a *failError with a formatted message.
func failure(format string, args ...any) error {
	return &failError{msg: fmt.Sprintf(format, args...)}
}

// usageError is a Key or From that names nothing: the run ends with exit 2 before any
// question is asked.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usage(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// refused ends a Script run at a line that was not an answer: exit 1, naming the line,
// what it was given for, and why it was refused.
func (s *session) refused(q *questionnaire.Question, line int, text, why string) error {
	s.out.say(fmt.Sprintf("Stopped at line %d: it was not taken as the answer to %s. The answers before it are saved; nothing after it was read.", line, q.ID))
	return failure("line %d (%s) was refused as the answer to %s: %s", line, quote(text), q.ID, questionnaire.LowerFirst(strings.TrimSuffix(why, ".")))
}
