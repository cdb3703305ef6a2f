package fakemarket_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
)

// What package questionnaire builds for the reference's example passes the fake's shape
// checks, for both API generations: the fake and the questionnaire agree on field types.
func TestQuestionnaireTrustInfoAccepted(t *testing.T) {
	cats, err := embedded.Catalogues()
	cat := cats.PrivacySecurity
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "questionnaire", "testdata", "reference-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	answers, _, err := cat.DecodePayload(example)
	if err != nil {
		t.Fatalf("DecodePayload: %v", err)
	}
	info, err := cat.TrustInfo(answers)
	if err != nil {
		t.Fatalf("TrustInfo: %v", err)
	}
	s, id := start(t)
	for _, target := range []struct{ url, wrapper string }{
		{s.URL() + v2path, "appTrustInformation"},
		{s.V3URL() + "/rest/3/privacy-and-security/products/" + id, "commonCloud"},
	} {
		body, err := json.Marshal(map[string]any{target.wrapper: info})
		if err != nil {
			t.Fatal(err)
		}
		if st, _, resp := call(t, "PUT", target.url, manager, string(body)); st != 204 {
			t.Errorf("PUT %s of the questionnaire's TrustInfo: %d %s", target.wrapper, st, resp)
		}
	}
}
