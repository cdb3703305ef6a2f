package marketplace

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name pstab's entries have in the OS keyring.
const KeyringService = "pstab"

// accountUser is the keyring entry that holds the email of the account Login saved; the
// token itself is stored under the email, as other tools do (service = tool, user = email).
// Emails contain '@', so no email can collide with this name.
const accountUser = "default-account"

// ErrNoCredentials means no credentials were found: not in the environment, not in the
// keyring. The caller prompts for them (and may save them with Login).
var ErrNoCredentials = errors.New("no Atlassian credentials found")

// ErrKeyringUnavailable means the OS keyring cannot be used here. A *KeyringError matches
// it with errors.Is.
var ErrKeyringUnavailable = errors.New("the OS keyring is not available")

// KeyringError is returned when the OS keyring cannot be used, typically on a headless Linux
// machine without D-Bus or a Secret Service. pstab never falls back to a plain file. It
// matches ErrKeyringUnavailable and, when it happened while loading, ErrNoCredentials, so a
// caller that prompts on ErrNoCredentials still does.
type KeyringError struct {
	Op      string // "read", "save" or "remove"
	loading bool
	err     error
}

// Error is one sentence: the keyring is unavailable, and the environment variables to set.
func (e *KeyringError) Error() string {
	return "the OS keyring is not available here (no Secret Service on D-Bus, as on a headless Linux machine), so pstab cannot " +
		e.Op + " your API token there; set " + EnvEmail + " and " + EnvToken + " instead"
}

// Unwrap returns the keyring library's own error, for debugging, with any form of the
// token removed from its text.
func (e *KeyringError) Unwrap() error { return e.err }

// keyringError wraps a keyring failure. The library's error is kept only as scrubbed text:
// pstab cannot vouch for what a platform's keyring puts in its messages.
func keyringError(op string, loading bool, err error, c Credentials) *KeyringError {
	msg := cleanText(err.Error(), 300)
	if !c.IsZero() {
		for _, f := range secretForms(c) {
			msg = strings.ReplaceAll(msg, f, redacted)
		}
	}
	return &KeyringError{Op: op, loading: loading, err: errors.New(msg)}
}

// Is matches ErrKeyringUnavailable, and ErrNoCredentials for an error while loading.
func (e *KeyringError) Is(target error) bool {
	return target == ErrKeyringUnavailable || (e.loading && target == ErrNoCredentials)
}

// LoadCredentials finds the credentials to use, and says where they came from:
//
//   - ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN, when the token variable is set (for CI and
//     scripts; the email must be set too);
//   - otherwise the OS keyring, for the email in ATLASSIAN_EMAIL or else the account
//     Login saved.
//
// getenv is os.Getenv outside tests. When nothing is found the error matches
// ErrNoCredentials and the caller prompts. When the keyring is unavailable the error is a
// *KeyringError, which also matches ErrNoCredentials: prompt, and show its sentence.
func LoadCredentials(getenv func(string) string) (Credentials, error) {
	email := getenv(EnvEmail)
	if tok := NewToken(getenv(EnvToken)); !tok.IsZero() {
		if email == "" {
			return Credentials{}, fmt.Errorf("%s is set but %s is not: set both, the token and the email of its Atlassian account", EnvToken, EnvEmail)
		}
		c := Credentials{Email: email, Token: tok, Source: SourceEnv}
		if err := checkEmail(email); err != nil {
			return Credentials{}, fmt.Errorf("%s: %w", EnvEmail, err)
		}
		if err := checkToken(tok); err != nil {
			return Credentials{}, fmt.Errorf("%s: %w", EnvToken, err)
		}
		return c, nil
	}
	if email == "" {
		e, err := keyring.Get(KeyringService, accountUser)
		switch {
		case errors.Is(err, keyring.ErrNotFound):
			return Credentials{}, ErrNoCredentials
		case err != nil:
			return Credentials{}, keyringError("read", true, err, Credentials{})
		}
		email = e
	}
	secret, err := keyring.Get(KeyringService, email)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return Credentials{}, fmt.Errorf("no API token for %s in the keyring: %w", cleanText(email, 200), ErrNoCredentials)
	case err != nil:
		return Credentials{}, keyringError("read", true, err, Credentials{})
	}
	tok := NewToken(secret)
	if tok.IsZero() {
		return Credentials{}, fmt.Errorf("the keyring entry for %s is empty: %w", cleanText(email, 200), ErrNoCredentials)
	}
	return Credentials{Email: email, Token: tok, Source: SourceKeyring}, nil
}

// Login saves the email and token in the OS keyring, replacing what Login saved before.
// It does not check them against the Marketplace. When the keyring is unavailable it returns
// a *KeyringError and saves nothing anywhere else.
func Login(email string, token Token) error {
	if err := checkEmail(email); err != nil {
		return err
	}
	if err := checkToken(token); err != nil {
		return err
	}
	if old, err := keyring.Get(KeyringService, accountUser); err == nil && old != email {
		_ = keyring.Delete(KeyringService, old) // one account at a time: forget the old token
	}
	creds := Credentials{Email: email, Token: token}
	if err := keyring.Set(KeyringService, email, token.reveal()); err != nil {
		return saveError(err, creds)
	}
	if err := keyring.Set(KeyringService, accountUser, email); err != nil {
		_ = keyring.Delete(KeyringService, email)
		return saveError(err, creds)
	}
	return nil
}

func saveError(err error, c Credentials) error {
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return errors.New("the keyring refused the API token because it is too long; check that you pasted only the token")
	}
	return keyringError("save", false, err, c)
}

// Logout removes the credentials Login saved from the keyring and returns the email they
// were for. With nothing saved it returns an error matching ErrNoCredentials. Credentials
// in the environment are not touched (the caller may remind the user of them).
func Logout() (string, error) {
	email, err := keyring.Get(KeyringService, accountUser)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", fmt.Errorf("pstab has no saved login to remove: %w", ErrNoCredentials)
	case err != nil:
		return "", keyringError("remove", false, err, Credentials{})
	}
	if err := keyring.Delete(KeyringService, email); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return "", keyringError("remove", false, err, Credentials{})
	}
	if err := keyring.Delete(KeyringService, accountUser); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return "", keyringError("remove", false, err, Credentials{})
	}
	return email, nil
}
