package store

import (
	"errors"
	"regexp"
	"strings"
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
	return nil
}

// ErrInvalidApp marks an app key or name that ValidateAppKey or ValidateAppName refuses.
var ErrInvalidApp = errors.New("invalid app")

// invalidApp wraps a refusal so that errors.Is(err, ErrInvalidApp) holds while the message
// stays the validator's sentence.
type invalidApp struct{ err error }

func (e invalidApp) Error() string   { return e.err.Error() }
func (e invalidApp) Unwrap() []error { return []error{e.err, ErrInvalidApp} }
