package marketplace

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/zalando/go-keyring"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoginLoadLogout(t *testing.T) {
	keyring.MockInit()
	if _, err := LoadCredentials(envOf(nil)); !errors.Is(err, ErrNoCredentials) || errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("before login: %v, want ErrNoCredentials", err)
	}
	if err := Login(testEmail, NewToken(testToken)); err != nil {
		t.Fatalf("Login: %v", err)
	}
	c, err := LoadCredentials(envOf(nil))
	if err != nil || c.Email != testEmail || c.Token.reveal() != testToken || c.Source != SourceKeyring {
		t.Fatalf("after login: %+v, %v", c, err)
	}
	// The token is stored under the email, as other tools do.
	if s, err := keyring.Get(KeyringService, testEmail); err != nil || s != testToken {
		t.Errorf("keyring entry for the email: %v", err)
	}

	// The email in the environment chooses the keyring entry.
	if _, err := LoadCredentials(envOf(map[string]string{EnvEmail: "other@example.com"})); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("another email: %v, want ErrNoCredentials", err)
	}
	if c, err := LoadCredentials(envOf(map[string]string{EnvEmail: testEmail})); err != nil || c.Source != SourceKeyring {
		t.Errorf("the saved email from the environment: %+v, %v", c, err)
	}

	// Logging in as someone else replaces the saved login.
	if err := Login(readerEmail, NewToken(readerToken)); err != nil {
		t.Fatal(err)
	}
	if c, _ := LoadCredentials(envOf(nil)); c.Email != readerEmail {
		t.Errorf("after a second login: %q", c.Email)
	}
	if _, err := keyring.Get(KeyringService, testEmail); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the first account's token is still stored: %v", err)
	}

	email, err := Logout()
	if err != nil || email != readerEmail {
		t.Fatalf("Logout: %q, %v", email, err)
	}
	if _, err := LoadCredentials(envOf(nil)); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("after logout: %v", err)
	}
	if _, err := Logout(); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("second logout: %v, want ErrNoCredentials", err)
	}
}

func TestEnvironmentComesFirst(t *testing.T) {
	keyring.MockInit()
	if err := Login(readerEmail, NewToken(readerToken)); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCredentials(envOf(map[string]string{EnvEmail: testEmail, EnvToken: testToken + "\n"}))
	if err != nil || c.Email != testEmail || c.Token.reveal() != testToken || c.Source != SourceEnv {
		t.Fatalf("env: %+v, %v", c, err)
	}
	_, err = LoadCredentials(envOf(map[string]string{EnvToken: testToken}))
	if err == nil || errors.Is(err, ErrNoCredentials) || err.Error() != "ATLASSIAN_API_TOKEN is set but ATLASSIAN_EMAIL is not: set both, the token and the email of its Atlassian account" {
		t.Errorf("token without email: %v", err)
	}
	if _, err := LoadCredentials(envOf(map[string]string{EnvEmail: "not-an-email", EnvToken: testToken})); err == nil {
		t.Error("a bad email in the environment was accepted")
	}
}

func TestKeyringUnavailable(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_DATA_HOME", home)
	keyring.MockInitWithError(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	t.Cleanup(keyring.MockInit)

	const want = "the OS keyring is not available here (no Secret Service on D-Bus, as on a headless Linux machine), so pstab cannot %s your API token there; set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN instead"
	_, err := LoadCredentials(envOf(nil))
	var ke *KeyringError
	if !errors.As(err, &ke) || !errors.Is(err, ErrKeyringUnavailable) || !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("load: %v, want a *KeyringError matching ErrKeyringUnavailable and ErrNoCredentials", err)
	}
	if err.Error() != fmt.Sprintf(want, "read") {
		t.Errorf("load message:\n got %q\nwant %q", err, fmt.Sprintf(want, "read"))
	}
	err = Login(testEmail, NewToken(testToken))
	if !errors.Is(err, ErrKeyringUnavailable) || errors.Is(err, ErrNoCredentials) || err.Error() != fmt.Sprintf(want, "save") {
		t.Errorf("login: %v", err)
	}
	if _, err := Logout(); !errors.Is(err, ErrKeyringUnavailable) || err.Error() != fmt.Sprintf(want, "remove") {
		t.Errorf("logout: %v", err)
	}
	// The environment still works, and nothing was written as a fallback.
	if c, err := LoadCredentials(envOf(map[string]string{EnvEmail: testEmail, EnvToken: testToken})); err != nil || c.Source != SourceEnv {
		t.Errorf("env with a broken keyring: %+v, %v", c, err)
	}
	entries, err := os.ReadDir(home)
	if err != nil || len(entries) != 0 {
		t.Errorf("files written in HOME after a keyring failure: %v %v", entries, err)
	}
}

func TestLoginRejectsBadInput(t *testing.T) {
	keyring.MockInit()
	cases := []struct {
		email string
		token Token
	}{
		{"", NewToken(testToken)},
		{"partner", NewToken(testToken)},
		{"a:b@example.com", NewToken(testToken)},
		{"a b@example.com", NewToken(testToken)},
		{testEmail, NewToken("")},
		{testEmail, NewToken("two words")},
		{testEmail, Token{}},
	}
	for _, tc := range cases {
		if err := Login(tc.email, tc.token); err == nil {
			t.Errorf("Login(%q, ...) accepted", tc.email)
		}
	}
	if _, err := keyring.Get(KeyringService, accountUser); !errors.Is(err, keyring.ErrNotFound) {
		t.Error("a rejected login wrote to the keyring")
	}
}
