package questionnaire

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// nested returns a payload whose one unknown field holds n nested lists, padded to about
// 20 KB as in the attack: {"appTrustInformation":{"x":[[[...]]]}}.
func nested(n int) []byte {
	return []byte(`{"appTrustInformation":{"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}}`)
}

// Each bound and each ambiguity is refused by payloads and bundles alike, naming the
// path, before anything is decoded; on the old main the nested payload was read (and then
// exported as 200 MB) and the duplicate keys were resolved silently in favour of the last.
func TestInputBoundsAndAmbiguityAreRefused(t *testing.T) {
	c := ps(t)
	bigList := `{"appTrustInformation":{"x":[` + strings.Repeat("0,", MaxJSONListItems) + `0]}}`
	manyValues := `{"appTrustInformation":{"x":[` + strings.Repeat(`[`+strings.Repeat("0,", 999)+`0],`, MaxJSONValues/1000) + `0]}}`
	for _, tc := range []struct {
		name, in, path, msg string
	}{
		{"9,990 nested lists", string(nested(9990)), "appTrustInformation.x" + strings.Repeat("[0]", MaxJSONDepth-2), "more than 64 levels deep"},
		{"a list too long", bigList, "appTrustInformation.x[10000]", "more than 10000 items"},
		{"too many values", manyValues, "", "more than 200000 values"},
		{"a second securityContact",
			`{"appTrustInformation":{"security":{"securityContact":"a@example.com","securityContact":"b@example.com"}}}`,
			"appTrustInformation.security", "the key securityContact appears twice"},
		{"a second appTrustInformation",
			`{"appTrustInformation":{"privacy":{}},"appTrustInformation":{"security":{}}}`,
			"", "the key appTrustInformation appears twice"},
		{"a duplicate spelled with an escape",
			`{"security":{"securityContact":"a@example.com","securit\u0079Contact":"b@example.com"}}`,
			"security", "the key securityContact appears twice"},
		{"a lone low surrogate", `{"security":{"securityContact":"a\udc00b"}}`, "security.securityContact", `\udc00, half of a UTF-16 surrogate pair`},
		{"a lone high surrogate", `{"security":{"securityContact":"a\ud83dx"}}`, "security.securityContact", `\ud83d, half of a UTF-16 surrogate pair`},
		{"a high surrogate then another escape", `{"security":{"securityContact":"\ud83d\n"}}`, "security.securityContact", `\ud83d`},
		{"a lone surrogate in a key", `{"security":{"a\udc00":1}}`, "security", `\udc00`},
		{"a hostile duplicate key is named safely", "{\"security\":{\"\\u001b]52;c;eA==\\u0007\":1,\"\\u001b]52;c;eA==\\u0007\":2}}",
			"security", `the key "\x1b]52;c;eA==\a" appears twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := c.DecodePayload([]byte(tc.in))
			t.Logf("refused in %v", time.Since(start))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("DecodePayload: %v, want a DecodeError", err)
			}
			if de.Path != tc.path || !strings.Contains(de.Msg, tc.msg) || !de.Unreadable {
				t.Errorf("got path %q, message %q (unreadable %v); want path %q and a message with %q", de.Path, de.Msg, de.Unreadable, tc.path, tc.msg)
			}
			if bad := termsafetest.Unsafe(err.Error()); bad != nil {
				t.Errorf("the error is unsafe on a terminal: %v", bad)
			}
			// The same document inside a bundle's answers is refused the same way.
			bundle := `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{"security-contact":` + tc.in + `}}`
			if _, _, err := c.DecodeBundle([]byte(bundle)); !errors.As(err, &de) || !strings.Contains(de.Msg, tc.msg) {
				t.Errorf("DecodeBundle: %v, want a message with %q", err, tc.msg)
			}
		})
	}
}

// What stays within the bounds still reads: a surrogate pair, nesting at the limit, a
// long list at the limit, and the same key in two different objects.
func TestInputWithinBoundsReads(t *testing.T) {
	c := ps(t)
	for _, in := range []string{
		`{"security":{"securityContact":"a\ud83d\ude00b@example.com"}}`,
		`{"appTrustInformation":{"x":` + strings.Repeat("[", MaxJSONDepth-2) + strings.Repeat("]", MaxJSONDepth-2) + `}}`,
		`{"appTrustInformation":{"x":[` + strings.Repeat("0,", MaxJSONListItems-1) + `0]}}`,
		`{"security":{"a":{"k":1},"b":{"k":2}}}`,
	} {
		if _, _, err := c.DecodePayload([]byte(in)); err != nil {
			t.Errorf("%.80s: %v", in, err)
		}
	}
}

func TestPathKey(t *testing.T) {
	for in, want := range map[string]string{
		"securityContact": "securityContact",
		"stores-eud":      "stores-eud",
		"a.b":             `"a.b"`,
		"":                `""`,
		"\x1b]52;c;x\x07": `"\x1b]52;c;x\a"`,
		"caf\u00e9":       `"caf\u00e9"`,
		"\xff":            `"\xff"`,
	} {
		if got := PathKey(in); got != want {
			t.Errorf("PathKey(%q) = %s, want %s", in, got, want)
		}
	}
}

func BenchmarkCheckJSON(b *testing.B) {
	data := readTestdata(b, "answers", "full.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if CheckJSON(data) != nil {
			b.Fatal("refused")
		}
	}
}
