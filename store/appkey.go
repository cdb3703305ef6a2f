package store

import (
	"errors"
	"regexp"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// appKeyPattern is what pstab accepts as an app key: the Marketplace's keys are reverse
// domain names such as com.example.app.
var appKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidateAppKey says what is wrong with an app key, or returns nil.
func ValidateAppKey(s string) error {
	switch {
	case s == "":
		return errors.New("enter the app key, e.g. com.example.app")
	case !appKeyPattern.MatchString(s):
		return errors.New("an app key has letters, digits, dots, dashes and underscores only, e.g. com.example.app")
	}
	return nil
}

// ValidateAppName says what is wrong with an app name, or returns nil.
func ValidateAppName(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("enter the app's name as it appears on its listing")
	case len([]rune(s)) > 100:
		return errors.New("keep the name under 100 characters")
	}
	if p := questionnaire.TextProblem(s, false); p != "" {
		return errors.New("the name " + p)
	}
	return nil
}

// ValidateHosting says what is wrong with an app's hosting, or returns nil: a short word
// such as cloud, shown beside the app, so it gets the checks a name gets.
func ValidateHosting(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return errors.New("say how the app is hosted, e.g. cloud")
	case len([]rune(s)) > 40:
		return errors.New("keep the hosting under 40 characters, e.g. cloud")
	}
	if p := questionnaire.TextProblem(s, false); p != "" {
		return errors.New("the hosting " + p)
	}
	return nil
}

// ValidateMessage says what is wrong with a save point's message, or returns nil: it is
// shown in history lists and exported, so it may not hold controls or escape sequences.
func ValidateMessage(s string) error {
	if len([]rune(s)) > 500 {
		return errors.New("keep the message under 500 characters")
	}
	if p := questionnaire.TextProblem(s, false); p != "" {
		return errors.New("the message " + p)
	}
	return nil
}

// ErrInvalidApp marks an app key or name that ValidateAppKey or ValidateAppName refuses.
var ErrInvalidApp = errors.New("invalid app")

// invalidApp wraps a refusal so that errors.Is(err, ErrInvalidApp) holds while the message
// stays the validator's sentence.
type invalidApp struct{ err error }

func (e invalidApp) Error() string   { return e.err.Error() }
func (e invalidApp) Unwrap() []error { return []error{e.err, ErrInvalidApp} }
