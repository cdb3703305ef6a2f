package fakemarket_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/questionnaire"
)

// What package questionnaire builds for the reference's example passes the fake's schema
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
		if st, _, resp := call(t, "PUT", target.url, manager, string(body)); st/100 != 2 {
			t.Errorf("PUT %s of the questionnaire's TrustInfo: %d %s", target.wrapper, st, resp)
		}
	}
}

// TestCatalogueAsksEveryField checks the catalogue against the published schema: every
// field of the schema is asked by one question, at its path, with a kind that takes the
// field's type and values; every path a question writes is in the schema.
func TestCatalogueAsksEveryField(t *testing.T) {
	cats, err := embedded.Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	cat := cats.PrivacySecurity
	asked := map[string]*questionnaire.Question{} // schema path -> question
	for _, q := range cat.Questions {
		for _, p := range []string{q.API.Path, q.API.Min, q.API.Max, q.API.Indefinite} {
			if p != "" {
				asked[p] = q
			}
		}
		for _, f := range q.Fields {
			asked[q.API.Path+"[]."+f.Key] = q
		}
	}
	fields := map[string]fakemarket.Field{}
	for _, f := range fakemarket.Schema() {
		fields[f.Path] = f
		if f.Type == fakemarket.TypeObject {
			continue
		}
		q := asked[f.Path]
		if q == nil {
			t.Errorf("no question asks %s (%s)", f.Path, f.Type)
			continue
		}
		kindFits := map[fakemarket.Type][]questionnaire.Kind{
			fakemarket.TypeBool:    {questionnaire.KindYesNo, questionnaire.KindDayRange},
			fakemarket.TypeTri:     {questionnaire.KindTriState},
			fakemarket.TypeInt:     {questionnaire.KindDayRange},
			fakemarket.TypeStrings: {questionnaire.KindList, questionnaire.KindMultiChoice},
			fakemarket.TypeObjects: {questionnaire.KindEntities},
			fakemarket.TypeText:    {questionnaire.KindLongText},
			fakemarket.TypeString:  {questionnaire.KindText, questionnaire.KindLongText, questionnaire.KindEmail, questionnaire.KindURL, questionnaire.KindChoice},
		}[f.Type]
		kind := q.Kind
		if field := q.Field(f.Path[strings.LastIndex(f.Path, ".")+1:]); field != nil && strings.Contains(f.Path, "[]") {
			kind = field.Kind
		}
		switch {
		case !slices.Contains(kindFits, kind):
			t.Errorf("%s (%s) is asked by %s, a %s question", f.Path, f.Type, q.ID, kind)
		case f.Format == "uri" && kind != questionnaire.KindURL:
			t.Errorf("%s is a link, but %s is a %s question", f.Path, q.ID, kind)
		case f.Enum != nil && f.Type == fakemarket.TypeString:
			var values []any
			for _, o := range q.Options {
				values = append(values, o.Value)
			}
			if !sameSet(values, f.Enum) {
				t.Errorf("%s offers %v; the schema's values are %v", q.ID, values, f.Enum)
			}
		case f.Type == fakemarket.TypeTri:
			for _, o := range q.Options {
				if !strings.EqualFold(o.Value, "true") && !strings.EqualFold(o.Value, "false") && o.Value != "NOT_APPLICABLE" {
					t.Errorf("%s offers %q; a tri-state is true, false or NOT_APPLICABLE", q.ID, o.Value)
				}
			}
		}
	}
	for p, q := range asked {
		if _, ok := fields[p]; !ok {
			t.Errorf("%s writes %s, which the published schema does not have", q.ID, p)
		}
	}
	for _, q := range cat.Questions {
		if q.Local() && !q.FromListing() {
			t.Errorf("%s is asked but not sent, and is no listing fact", q.ID)
		}
	}
}

func sameSet(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// TestGoldenPayloadsFitTheSchema: every payload pstab's goldens show being exported is a
// body the published schema accepts.
func TestGoldenPayloadsFitTheSchema(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "questionnaire", "testdata", "golden", "*.payload.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden payloads found (%v)", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if errs := fakemarket.ValidateBody(doc, "appTrustInformation"); len(errs) > 0 {
			t.Errorf("%s does not fit the schema: %+v", filepath.Base(f), errs)
		}
	}
}
