package questionnaire

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// imperative matches the verbs the messages use to tell the partner what to do.
var imperative = regexp.MustCompile(`(?i)\b(give|remove|write|use|pick|fill|swap|check|add|answer|clear|say|save|percent-encode|describe|link|turn|list|update|fix|choose|select|type|enter|correct|shorten|split|keep|set|only)\b`)

// assertSentence fails unless msg reads as one sentence that tells the partner what to do:
// a capital letter first, a full stop last, one line, and an instruction in it.
func assertSentence(t *testing.T, msg string) {
	t.Helper()
	// A sentence may open with the quoted value it is about: "MAYBE" is not...
	first, _ := utf8.DecodeRuneInString(msg)
	switch {
	case msg == "":
		t.Errorf("empty message")
	case !unicode.IsUpper(first) && first != '"':
		t.Errorf("message does not start with a capital letter: %q", msg)
	case !strings.HasSuffix(msg, "."):
		t.Errorf("message does not end with a full stop: %q", msg)
	case strings.ContainsAny(msg, "\n\r"):
		t.Errorf("message has a line break: %q", msg)
	case !imperative.MatchString(msg):
		t.Errorf("message does not say what to do: %q", msg)
	}
	for _, r := range msg {
		if unsafeRune(r, false) {
			t.Errorf("message holds the control character U+%04X: %q", r, msg)
		}
	}
}
