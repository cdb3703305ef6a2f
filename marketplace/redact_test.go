package marketplace

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// echoingServer answers every GET with body, in which it first puts the forms of the
// credentials the request carried: a server that echoes them back.
func echoingServer(t *testing.T, body func(token, basic string) string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		basic := strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body(pass, basic)))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{Credentials: testCreds, V2URL: srv.URL, V3URL: srv.URL + "/marketplace"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A response that holds the token or the Basic credential, as a value, inside a value, as
// a key, or spelled with JSON escapes, comes out of the client with none of them, and is
// flagged with the places. On the old main the document kept them (and pull saved them).
func TestEchoedCredentialsAreRedactedAndFlagged(t *testing.T) {
	escaped := strings.ReplaceAll(testToken, "/", `\/`)
	c := echoingServer(t, func(token, basic string) string {
		return `{"properties":{"formStatus":"SAVED","updatedBy":"` + token + `"},` +
			`"security":{"securityContact":"sec+` + escaped + `@example.com","` + basic + `":true},` +
			`"privacy":{"notes":["fine","Basic ` + basic + `"]}}`
	})
	doc, err := c.GetV2(context.Background(), appKey, Live)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := json.Marshal(doc.TrustInfo)
	for _, text := range []string{string(tree), string(doc.Raw), doc.Properties().UpdatedBy} {
		if l := leaks(text); len(l) > 0 {
			t.Errorf("the credentials survived: %v in %s", l, text)
		}
	}
	want := []string{"privacy.notes[1]", "properties.updatedBy", "security", "security.securityContact"}
	if !slices.Equal(doc.Redacted, want) {
		t.Errorf("Redacted = %q, want %q", doc.Redacted, want)
	}
	if got := doc.Properties().UpdatedBy; got != redacted {
		t.Errorf("updatedBy = %q, want %q", got, redacted)
	}
	if v, ok := doc.TrustInfo["security"].(map[string]any)[redacted]; !ok || v != true {
		t.Errorf("the key holding the credential is not replaced: %v", doc.TrustInfo["security"])
	}
}

// An honest response is left exactly as it came, and is not flagged.
func TestHonestResponseIsUntouched(t *testing.T) {
	const body = `{"security":{"securityContact":"sec@example.com","note":"a \/ b \u0041"}}`
	c := echoingServer(t, func(string, string) string { return body })
	doc, err := c.GetV2(context.Background(), appKey, Live)
	if err != nil {
		t.Fatal(err)
	}
	if string(doc.Raw) != body || len(doc.Redacted) != 0 {
		t.Errorf("Raw %s, Redacted %q", doc.Raw, doc.Redacted)
	}
}

func TestMaskedShowsNoSecret(t *testing.T) {
	for tok, want := range map[string]string{
		testToken:              "ATAT…",
		"0123456789abcdefWXYZ": "…WXYZ",
		"short-secret":         "…",
		"":                     "",
	} {
		got := NewToken(tok).Masked()
		if got != want {
			t.Errorf("Masked(%q) = %q, want %q", tok, got, want)
		}
		if len(tok) > 4 && strings.Contains(got, strings.TrimPrefix(tok, TokenPrefix)[:4]) {
			t.Errorf("Masked(%q) = %q shows the secret part", tok, got)
		}
	}
}
