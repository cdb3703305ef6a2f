package submit

import (
	"errors"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
)

// Refusal is one error of a request the Marketplace refused (a 400 lists several), with
// the question that asks the field it points at, so that the partner can go and fix it.
type Refusal struct {
	marketplace.FieldError
	// Question is the question that asks the field, or nil when no question does (a
	// field pstab does not know, or an error about the request as a whole).
	Question *questionnaire.Question
	Item     int    // the entry of a list the error points into, or -1
	Field    string // the field of that entry, or ""
}

// Refusals returns every error of a refused request, each mapped from its JSON Pointer to
// a question of the catalogue. It returns nil for an error that is not a refusal.
func Refusals(cat *questionnaire.Catalogue, err error) []Refusal {
	var ae *marketplace.APIError
	if !errors.As(err, &ae) || !errors.Is(err, marketplace.ErrInvalid) {
		return nil
	}
	errs := ae.Errors
	if len(errs) == 0 && (ae.Field != "" || ae.ServerMessage != "") {
		errs = []marketplace.FieldError{{Path: ae.Field, Message: ae.ServerMessage}}
	}
	out := make([]Refusal, 0, len(errs))
	for _, fe := range errs {
		r := Refusal{FieldError: fe, Item: -1}
		where := fe.Pointer
		if where == "" {
			where = fe.Path
		}
		if loc, ok := cat.QuestionAt(where); ok {
			r.Question, r.Item, r.Field = loc.Question, loc.Item, loc.Field
		}
		out = append(out, r)
	}
	return out
}

// Sentence is the refusal for people: the question's ID and words, or the field, and what
// the server said.
func (r Refusal) Sentence() string {
	msg := r.Message
	if msg == "" {
		msg = r.Code
	}
	if r.Code != "" && r.Message != "" {
		msg += " [" + r.Code + "]"
	}
	switch {
	case r.Question != nil:
		return r.Question.ID + " (" + questionnaire.OneLine(r.Question.Prompt) + "), at " + r.Path + ": " + msg
	case r.Path != "":
		return r.Path + ": " + msg
	}
	return msg
}
