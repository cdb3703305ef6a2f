package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// A value the wizard kept as typed but that is not valid yet (an http:// link) stays in
// the draft and in a review bundle, is reported by check in the words set uses, and is
// not written as a payload unless the partner says --allow-problems; push refuses it.
func TestAnInvalidAnswerNeverLeavesInAPayload(t *testing.T) {
	e := newDB(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "security-contact", "security@example.com")

	// The wizard saves what is typed, valid or not; pstab set would refuse this.
	cats, err := embedded.Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), e.db, store.Options{Catalogues: cats})
	if err != nil {
		t.Fatal(err)
	}
	ref := store.DraftRef{Subject: "com.example.app", Questionnaire: cats.PrivacySecurity.ID}
	if _, err := s.SaveAnswer(context.Background(), ref, "security-policy", questionnaire.Text("http://acme.example/security"), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	s.Close()

	refused := e.run("", "set", "com.example.app", "security-policy", "http://acme.example/security")
	if refused.code == 0 {
		t.Fatal("pstab set accepted an http:// link")
	}
	check := e.run("", "check", "com.example.app")
	sentence := cats.PrivacySecurity.Question("security-policy").Check(questionnaire.Text("http://acme.example/security"))[0].Message
	if check.code != 1 || !strings.Contains(check.out, sentence) || !strings.Contains(refused.err, "http://") {
		t.Errorf("check: exit %d, want 1 and %q:\n%s\nset said: %s", check.code, sentence, check.out, refused.err)
	}

	// A payload of a draft with a blocking problem is refused, and nothing is written;
	// --allow-problems (the partner's explicit override) writes the answers as they are.
	if r := e.run("", "export", "com.example.app", "--format", "payload"); r.code != 1 || r.out != "" || !strings.Contains(r.err, "security-policy") {
		t.Errorf("export --format payload: exit %d, out %q, err %q; want exit 1 naming security-policy", r.code, r.out, r.err)
	}
	r := e.must("export", "com.example.app", "--format", "payload", "--allow-problems")
	var doc map[string]map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, r.out)
	}
	if got := dig(doc["appTrustInformation"], "security", "securityContact"); got != "security@example.com" {
		t.Errorf("the payload lost a valid answer: securityContact = %v", got)
	}
	if !strings.Contains(r.err, "blocking problem") {
		t.Errorf("--allow-problems wrote the payload without saying it has a blocking problem: %q", r.err)
	}
	if bundle := e.must("export", "com.example.app", "--format", "bundle"); !strings.Contains(bundle.out, "http://acme.example/security") {
		t.Errorf("the bundle lost the answer kept as typed:\n%s", bundle.out)
	}
}
