package marketplace

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// redacted is what every printed form of a Token shows.
const redacted = "[REDACTED]"

// Token is an Atlassian API token. It prints, formats, logs and marshals as [REDACTED]
// whichever way it is printed, so a token that ends up in a log line, an error or a JSON
// export by mistake does not leak. The only way to read it is the unexported reveal, used to
// build the Authorization header.
//
// The secret is held by a closure: fmt and reflection print a func as an address, with any
// verb, so even %s or %+v of a struct that keeps a Token in an unexported field (where fmt
// cannot call Format) shows no secret.
type Token struct {
	secret func() string
}

// NewToken wraps a token read from a prompt, stdin or the environment. Surrounding white
// space (the newline of a pasted line) is removed.
func NewToken(s string) Token {
	s = strings.TrimSpace(s)
	if s == "" {
		return Token{}
	}
	return Token{secret: func() string { return s }}
}

// IsZero reports whether the token is empty.
func (t Token) IsZero() bool { return t.secret == nil }

func (t Token) reveal() string {
	if t.secret == nil {
		return ""
	}
	return t.secret()
}

// String returns [REDACTED].
func (t Token) String() string { return redacted }

// GoString returns [REDACTED], for %#v.
func (t Token) GoString() string { return redacted }

// Format writes [REDACTED] for every verb, so %x or %q cannot print the token either.
func (t Token) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON returns "[REDACTED]".
func (t Token) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns [REDACTED].
func (t Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns [REDACTED], for log/slog.
func (t Token) LogValue() slog.Value { return slog.StringValue(redacted) }

// Source says where credentials came from.
type Source int

// The places credentials come from, in the order LoadCredentials looks.
const (
	// SourceNone is the zero Source: no credentials.
	SourceNone Source = iota
	// SourceEnv is the ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN environment variables.
	SourceEnv
	// SourceKeyring is the OS keyring, where Login stored them.
	SourceKeyring
	// SourcePrompt is a prompt shown by the caller; LoadCredentials never returns it, the
	// caller sets it on the Credentials it builds.
	SourcePrompt
)

// String names the source: environment, keyring, prompt or none.
func (s Source) String() string {
	switch s {
	case SourceEnv:
		return "environment"
	case SourceKeyring:
		return "keyring"
	case SourcePrompt:
		return "prompt"
	}
	return "none"
}

// Environment variables read by LoadCredentials.
const (
	EnvEmail = "ATLASSIAN_EMAIL"
	EnvToken = "ATLASSIAN_API_TOKEN"
)

// Credentials are an Atlassian account email and an API token, sent as HTTP Basic auth.
type Credentials struct {
	Email  string
	Token  Token
	Source Source
}

// IsZero reports whether there are no credentials.
func (c Credentials) IsZero() bool { return c.Email == "" && c.Token.IsZero() }

// LogValue shows the email and the source, never the token.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("email", c.Email), slog.String("source", c.Source.String()))
}

// loginAdvice says how to replace a refused token, depending on where it came from.
func (c Credentials) loginAdvice() string {
	if c.Source == SourceEnv {
		return "create a new one at id.atlassian.com → Security → API tokens and put it in " + EnvToken
	}
	return "create a new one at id.atlassian.com → Security → API tokens and run pstab login"
}

// checkEmail rejects an email that cannot be sent as a Basic-auth user name.
func checkEmail(email string) error {
	switch {
	case email == "":
		return fmt.Errorf("the Atlassian account email is empty")
	case strings.ContainsRune(email, ':'):
		return fmt.Errorf("the Atlassian account email %q contains a colon, which HTTP Basic auth cannot carry", cleanText(email, 100))
	case !strings.Contains(email, "@"):
		return fmt.Errorf("%q is not an email address: use the email of your Atlassian account", cleanText(email, 100))
	case strings.IndexFunc(email, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return fmt.Errorf("the Atlassian account email contains spaces or control characters")
	}
	return nil
}

// checkToken rejects a token that cannot be sent in a header. It never quotes the token.
func checkToken(t Token) error {
	s := t.reveal()
	switch {
	case s == "":
		return fmt.Errorf("the API token is empty")
	case strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return fmt.Errorf("the API token contains spaces or control characters; paste it again")
	}
	return nil
}

// TokenPrefix starts every Atlassian API token (the published rule Atlassian's own tools
// use to tell an API token from a password); it is the same for everyone, so showing it
// reveals nothing.
const TokenPrefix = "ATAT"

// Masked is how a token is shown when the partner needs to recognise it: "ATAT…" for an
// Atlassian API token, which shows only the prefix every token has, or "…" and the last
// four characters of a token of another shape (at least 16 long; "…" alone for a shorter
// one, where four characters would be a quarter of it).
func (t Token) Masked() string {
	s := t.reveal()
	switch {
	case s == "":
		return ""
	case strings.HasPrefix(s, TokenPrefix):
		return TokenPrefix + "…"
	case len(s) >= 16:
		return "…" + s[len(s)-4:]
	}
	return "…"
}
