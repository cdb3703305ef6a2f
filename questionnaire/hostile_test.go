package questionnaire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// endMark follows the hostile text in every answer, to show that the words after an
// attack survive it.
const endMark = " ENDMARK"

// hostileDraft returns the ready draft with every text-like answer (text, long text, email,
// URL, every list item, every sub-processor field) set to h, an option value h added to the
// multiple choice, and h in the parts of a payload pstab writes back unchanged (an unknown
// key of a record, an unknown TrustInfo field, a key beside the wrapper). With options, the
// single-choice and tri-state answers are h as well (which hides their follow-ups).
func hostileDraft(c *questionnaire.Catalogue, h string, options bool) questionnaire.Answers {
	a := readyDraft()
	raw, _ := json.Marshal(h)
	for _, q := range c.Questions {
		switch {
		case q.Kind.IsText() && q.Kind != questionnaire.KindDate:
			a.Set(q.ID, questionnaire.Text(h))
		case q.Kind == questionnaire.KindList:
			a.Set(q.ID, questionnaire.List(h, "second "+h))
		case q.Kind == questionnaire.KindMultiChoice:
			v, _ := a.Get(q.ID)
			a.Set(q.ID, questionnaire.List(append(v.List, h)...))
		case q.Kind == questionnaire.KindEntities:
			e := questionnaire.Entity{Fields: map[string]questionnaire.Value{}, Extra: map[string]json.RawMessage{"note": raw}}
			for _, f := range q.Fields {
				if f.Kind == questionnaire.KindList {
					e.Fields[f.Key] = questionnaire.List(h)
				} else {
					e.Fields[f.Key] = questionnaire.Text(h)
				}
			}
			a.Set(q.ID, questionnaire.Value{Entities: []questionnaire.Entity{e}})
		case options && (q.Kind == questionnaire.KindChoice || q.Kind == questionnaire.KindTriState):
			a.Set(q.ID, questionnaire.Text(h))
		}
	}
	a.Extra = map[string]any{"properties": map[string]any{"formStatus": h}, "futureQuestion": []any{h}}
	a.Envelope = map[string]any{"comment": h}
	return a
}

// checkTerminalSafe fails the test for each unsafe thing in an export.
func checkTerminalSafe(t *testing.T, what string, out []byte) {
	t.Helper()
	if bad := termsafetest.Unsafe(string(out)); bad != nil {
		t.Errorf("%s: %d unsafe things, first %q", what, len(bad), bad[0])
	}
}

// TestHostileTextInEveryExport puts every corpus string in every text-like answer of a full
// draft and checks every export: the payload in all three shapes, the review bundle, the
// answer sheet, and the Markdown in each view. None may hold a byte a terminal acts on;
// the Markdown may hold no unsafe link, no HTML, no character reference that decodes to a
// control, and no structure the same draft with harmless words does not have.
func TestHostileTextInEveryExport(t *testing.T) {
	c := privacyCatalogue(t)
	for _, options := range []bool{false, true} {
		baseline := hostileDraft(c, "harmless words", options)
		for _, p := range termsafetest.Corpus() {
			h := p.Text + endMark
			a := hostileDraft(c, h, options)
			name := p.Name
			if options {
				name += "/options"
			}
			t.Run(name, func(t *testing.T) {
				for _, shape := range []questionnaire.Shape{questionnaire.ShapeBare, questionnaire.ShapeV2Put, questionnaire.ShapeV3} {
					out, err := c.EncodePayload(a, shape)
					if err != nil {
						t.Fatalf("EncodePayload(%v): %v", shape, err)
					}
					checkTerminalSafe(t, "payload "+shape.String(), out)
					if !json.Valid(out) {
						t.Errorf("payload %v is not valid JSON", shape)
					}
					checkKeptFaithfully(t, c, out, h)
				}

				bundle, err := c.EncodeBundle(questionnaire.Bundle{AppKey: h, AppName: h, Revision: 3, Answers: a})
				if err != nil {
					t.Fatalf("EncodeBundle: %v", err)
				}
				checkTerminalSafe(t, "bundle", bundle)
				if b, _, err := c.DecodeBundle(bundle); err != nil {
					t.Errorf("DecodeBundle: %v", err)
				} else if v, _ := b.Answers.Get("eea-mechanism"); utf8.ValidString(h) && (v.Text != h || b.AppName != h) {
					t.Errorf("the bundle changed the text: %q, app %q", v.Text, b.AppName)
				}

				sheet := c.Sheet(a, h)
				checkTerminalSafe(t, "sheet", []byte(sheet))
				if !strings.Contains(sheet, endMark) {
					t.Error("sheet: the words after the hostile text were lost")
				}

				for _, views := range []questionnaire.Views{questionnaire.ViewsDefault, questionnaire.ViewsExpanded, questionnaire.ViewsAll} {
					opts := questionnaire.MarkdownOptions{Views: views, Title: h, Note: "revision 3"}
					md := c.Markdown(a, opts)
					what := "markdown " + string(views)
					if bad := termsafetest.UnsafeInExport(md); bad != nil {
						t.Errorf("%s: %d unsafe things, first %q", what, len(bad), bad[0])
					}
					if bad := markdownLinkProblems(md); bad != nil {
						t.Errorf("%s: %q", what, bad)
					}
					want := markdownKinds(c.Markdown(baseline, opts))
					if d := diffKinds(markdownKinds(md), want); d != "" {
						t.Errorf("%s: the hostile text changed the document's structure: %s", what, d)
					}
				}
			})
		}
	}
}

// TestReadyDraftExportsAreClean shows that the checks above do not refuse an honest draft,
// and that its https links do become links.
func TestReadyDraftExportsAreClean(t *testing.T) {
	c := privacyCatalogue(t)
	md := c.Markdown(readyDraft(), questionnaire.MarkdownOptions{Views: questionnaire.ViewsExpanded, Title: "Example app"})
	if bad := termsafetest.UnsafeInExport(md); bad != nil {
		t.Errorf("markdown: %q", bad)
	}
	if bad := markdownLinkProblems(md); bad != nil {
		t.Errorf("markdown: %q", bad)
	}
	// The security policy, the privacy policy, the sub-processor's link, the list of
	// sub-processors, the DPA and the CAIQ-Lite responses.
	if n := markdownKinds(md)["AutoLink"]; n != 6 {
		t.Errorf("%d autolinks, want 6:\n%s", n, md)
	}
	payload, err := c.EncodePayload(readyDraft(), questionnaire.ShapeV2Put)
	if err != nil {
		t.Fatal(err)
	}
	checkTerminalSafe(t, "payload", payload)
	checkTerminalSafe(t, "sheet", []byte(c.Sheet(readyDraft(), "Example app")))
}

// checkKeptFaithfully checks that an exported payload carries the hostile text as it was,
// escaped in the JSON but not changed: the export is data, and Validate, not the encoder,
// decides what is acceptable.
func checkKeptFaithfully(t *testing.T, c *questionnaire.Catalogue, payload []byte, h string) {
	t.Helper()
	if !utf8.ValidString(h) {
		return // JSON cannot carry invalid UTF-8; encoding/json writes U+FFFD
	}
	a, _, err := c.DecodePayload(payload)
	if err != nil {
		t.Errorf("DecodePayload of the export: %v", err)
		return
	}
	if v, _ := a.Get("security-contact"); v.Text != h {
		t.Errorf("the payload changed the security contact to %q", v.Text)
	}
	if v, _ := a.Get("stored-data-types"); len(v.List) != 2 || v.List[0] != h {
		t.Errorf("the payload changed the data types to %q", v.List)
	}
}

// payloadField is one place in the payload where partner text goes, with the path a
// problem with it must name.
type payloadField struct {
	question  string
	path      string
	multiline bool
	set       func(a *questionnaire.Answers, h string)
}

func textFields() []payloadField {
	text := func(id string) func(*questionnaire.Answers, string) {
		return func(a *questionnaire.Answers, h string) { a.Set(id, questionnaire.Text(h)) }
	}
	item := func(id string) func(*questionnaire.Answers, string) {
		return func(a *questionnaire.Answers, h string) { a.Set(id, questionnaire.List("Issue keys", h)) }
	}
	entityField := func(key string, list bool) func(*questionnaire.Answers, string) {
		return func(a *questionnaire.Answers, h string) {
			e := subProcessor("Cloudflare, Inc.", "https://www.cloudflare.com", "Hosting", "United States")
			if list {
				e.Fields[key] = questionnaire.List("Germany", h)
			} else {
				e.Fields[key] = questionnaire.Text(h)
			}
			a.Set("sub-processors", questionnaire.Value{Entities: []questionnaire.Entity{subProcessor("Amazon Web Services, Inc.", "", "Hosting"), e}})
		}
	}
	return []payloadField{
		{"permissions-justification", "security.permissionsJustification", true, text("permissions-justification")},
		{"security-contact", "security.securityContact", false, text("security-contact")},
		{"security-policy", "security.publicSecurityPoliciesLink", false, text("security-policy")},
		{"stored-data-types", "dataAccessAndStorage.typesOfDataStored[1]", false, item("stored-data-types")},
		{"processed-data-types", "dataAccessAndStorage.typesOfDataAccessed[1]", false, item("processed-data-types")},
		{"residency-locations", "dataResidency.countriesWhereEndUserDataStored[1]", false, item("residency-locations")},
		{"residency-data-types", "dataResidency.inScopeDataTypes[1]", false, item("residency-data-types")},
		{"pets", "privacy.privacyEnhancingTechniques.privacyEnhancingTechniquesSupported[1]", false, item("pets")},
		{"gdpr-processor-data-types", "privacy.gdpr.dataProcessor.endUserDataTypes[1]", false, item("gdpr-processor-data-types")},
		{"ccpa-service-provider-data-types", "privacy.ccpa.serviceProvider.endUserDataTypes[1]", false, item("ccpa-service-provider-data-types")},
		{"sub-processors", "thirdPartyInformation.thirdPartyDetails[1].name", false, entityField("name", false)},
		{"sub-processors", "thirdPartyInformation.thirdPartyDetails[1].link", false, entityField("link", false)},
		{"sub-processors", "thirdPartyInformation.thirdPartyDetails[1].purpose", false, entityField("purpose", false)},
		{"sub-processors", "thirdPartyInformation.thirdPartyDetails[1].thirdPartyCountries", false, entityField("thirdPartyCountries", true)},
		{"eea-mechanism", "privacy.gdpr.dataTransfer.transferComplianceMechanismsAdhered", false, text("eea-mechanism")},
		{"certifications", "security.compliantCertifications[1]", false, item("certifications")},
		{"gdpr-controller-data-types", "privacy.gdpr.dataController.endUserDataTypes[1]", false, item("gdpr-controller-data-types")},
		{"ccpa-business-data-types", "privacy.ccpa.business.endUserDataTypes[1]", false, item("ccpa-business-data-types")},
		// A listing fact, not in the API: it travels in review bundles, and its path is the
		// question ID.
		{"privacy-policy", "privacy-policy", false, text("privacy-policy")},
	}
}

// carriesControls reports whether text holds something no answer may hold in a field of
// this kind: what a terminal acts on (any ESC included, even a colour code), and in a
// one-line field a line break or tab.
func carriesControls(h string, multiline bool) bool {
	if !multiline && strings.ContainsAny(h, "\n\t") {
		return true
	}
	return termsafetest.Unsafe(h) != nil || strings.ContainsRune(h, 0x1b)
}

// TestImportRefusesHostileText imports, through a payload and a review bundle, a draft
// with one corpus string in one field at a time. An import keeps the text as it came (it
// is not silently changed), and Validate refuses it with a blocking problem at the field's
// path whenever the text carries a control; plain text fields accept what carries none.
func TestImportRefusesHostileText(t *testing.T) {
	c := privacyCatalogue(t)
	for _, f := range textFields() {
		q := c.Question(f.question)
		local := q.Local()
		t.Run(f.path, func(t *testing.T) {
			for _, p := range termsafetest.Corpus() {
				if !utf8.ValidString(p.Text) {
					continue // see TestImportRefusesInvalidUTF8
				}
				a := readyDraft()
				f.set(&a, p.Text)
				var got questionnaire.Answers
				if local {
					data, err := c.EncodeBundle(questionnaire.Bundle{AppKey: "com.example.app", Answers: a})
					if err != nil {
						t.Fatal(err)
					}
					b, _, err := c.DecodeBundle(data)
					if err != nil {
						t.Fatalf("%s: DecodeBundle: %v", p.Name, err)
					}
					got = b.Answers
				} else {
					data, err := c.EncodePayload(a, questionnaire.ShapeV2Put)
					if err != nil {
						t.Fatal(err)
					}
					if got, _, err = c.DecodePayload(data); err != nil {
						t.Fatalf("%s: DecodePayload: %v", p.Name, err)
					}
				}
				before, _ := a.Get(f.question)
				after, _ := got.Get(f.question)
				if !q.Same(before, after) {
					t.Errorf("%s: the import changed the answer from %+v to %+v", p.Name, before, after)
				}

				var atPath []questionnaire.Problem
				for _, pr := range c.Validate(got) {
					if pr.Path == f.path && pr.Severity == questionnaire.Blocking {
						atPath = append(atPath, pr)
					} else if pr.Severity == questionnaire.Blocking {
						t.Errorf("%s: a problem at %s, not %s: %s", p.Name, pr.Path, f.path, pr.Message)
					}
				}
				switch {
				case carriesControls(p.Text, f.multiline) && len(atPath) == 0:
					t.Errorf("%s: accepted %q at %s", p.Name, p.Text, f.path)
				case len(atPath) > 1:
					t.Errorf("%s: %d problems at %s, want one", p.Name, len(atPath), f.path)
				case len(atPath) == 1 && strings.TrimSpace(atPath[0].Message) == "":
					t.Errorf("%s: a problem at %s without a message", p.Name, f.path)
				}
				plainText := q.Kind == questionnaire.KindText || q.Kind == questionnaire.KindLongText ||
					(q.Kind == questionnaire.KindList && f.question != "residency-locations") ||
					(f.question == "sub-processors" && !strings.HasSuffix(f.path, ".link"))
				if plainText && !carriesControls(p.Text, f.multiline) && len(atPath) > 0 &&
					!strings.Contains(atPath[0].Message, "characters long") {
					t.Errorf("%s: refused harmless text %q at %s: %s", p.Name, p.Text, f.path, atPath[0].Message)
				}
			}
		})
	}
}

// TestImportRefusesInvalidUTF8 checks that a payload with bytes that are not UTF-8 is
// refused whole, saying where the first bad byte is, rather than cleaned.
func TestImportRefusesInvalidUTF8(t *testing.T) {
	c := privacyCatalogue(t)
	for _, p := range termsafetest.Corpus() {
		if utf8.ValidString(p.Text) {
			continue
		}
		a := readyDraft()
		a.Set("security-contact", questionnaire.Text("PLACEHOLDER"))
		data, err := c.EncodePayload(a, questionnaire.ShapeV2Put)
		if err != nil {
			t.Fatal(err)
		}
		offset := bytes.Index(data, []byte("PLACEHOLDER"))
		data = bytes.Replace(data, []byte("PLACEHOLDER"), []byte(p.Text), 1)
		_, _, err = c.DecodePayload(data)
		var de *questionnaire.DecodeError
		if !errors.As(err, &de) || !de.Unreadable || !strings.Contains(de.Msg, fmt.Sprintf("not valid UTF-8 (first bad byte at offset %d)", offset)) {
			t.Errorf("%s: DecodePayload gave %v; want the file refused at offset %d", p.Name, err, offset)
		}
	}
}

// numbered returns n different items.
func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d", prefix, i+1)
	}
	return out
}

// pasted1MB is a 1 MB paste: one long word, as a paste of minified text would be.
var pasted1MB = strings.Repeat("x", 1<<20)

// TestMegabytePaste checks that a 1 MB answer meets a clear limit: Validate says how long
// it is and what the limit is, the payload import does the same, and the Markdown shows only
// the limit's worth of it, saying so, so that the preview stays quick.
func TestMegabytePaste(t *testing.T) {
	c := privacyCatalogue(t)
	a := changed(readyDraft(), answerChanges{
		"permissions-justification": questionnaire.Text(pasted1MB),
		"stored-data-types":         questionnaire.List(pasted1MB),
		"pets":                      questionnaire.List(numbered("technique", 1000)...),
	})
	want := map[string][]string{ // path: what the message must say
		"security.permissionsJustification":                                      {"1048576 characters long", "5000"},
		"dataAccessAndStorage.typesOfDataStored[0]":                              {"1048576 characters long", "200"},
		"privacy.privacyEnhancingTechniques.privacyEnhancingTechniquesSupported": {"1000 items", "at most 100"},
	}
	says := func(msg string, parts []string) bool {
		for _, part := range parts {
			if !strings.Contains(msg, part) {
				return false
			}
		}
		return true
	}
	check := func(how string, ps []questionnaire.Problem) {
		t.Helper()
		found := map[string]bool{}
		for _, p := range ps {
			if parts, ok := want[p.Path]; ok && says(p.Message, parts) && p.Severity == questionnaire.Blocking {
				found[p.Path] = true
			}
		}
		for path, parts := range want {
			if !found[path] {
				t.Errorf("%s: no blocking problem at %s saying %q", how, path, parts)
			}
		}
	}
	check("Validate", c.Validate(a))
	data, err := c.EncodePayload(a, questionnaire.ShapeV2Put)
	if err != nil {
		t.Fatal(err)
	}
	imported, _, err := c.DecodePayload(data)
	if err != nil {
		t.Fatalf("DecodePayload: %v", err)
	}
	check("import", c.Validate(imported))

	md := c.Markdown(a, questionnaire.MarkdownOptions{Views: questionnaire.ViewsAll})
	if len(md) > 64<<10 {
		t.Errorf("the Markdown of a draft with a 1 MB answer is %d bytes; over-long answers should be shortened", len(md))
	}
	for _, s := range []string{
		"shortened here: 1048576 characters, over the limit of 5000",
		"shortened here: 1048576 characters, over the limit of 200",
		"and 900 more items, over the limit of 100.",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("the Markdown does not say %q", s)
		}
	}
	if bad := termsafetest.UnsafeInExport(md); bad != nil {
		t.Errorf("markdown: %q", bad)
	}
}

// TestShortenedAnswersKeepTheirStart checks that shortening keeps the start of an answer
// whole, up to the limit, and leaves answers within it alone.
func TestShortenedAnswersKeepTheirStart(t *testing.T) {
	c := privacyCatalogue(t)
	within := strings.Repeat("é", 500)
	over := strings.Repeat("é", 499) + "日本"
	md := c.Markdown(changed(readyDraft(), answerChanges{"eea-mechanism": questionnaire.Text(within)}), questionnaire.MarkdownOptions{Views: questionnaire.ViewsExpanded})
	if !strings.Contains(md, within+"\n") || strings.Contains(md, "shortened") {
		t.Error("an answer at its limit was changed")
	}
	md = c.Markdown(changed(readyDraft(), answerChanges{"eea-mechanism": questionnaire.Text(over)}), questionnaire.MarkdownOptions{Views: questionnaire.ViewsExpanded})
	if !strings.Contains(md, strings.Repeat("é", 499)+"日 … (shortened here: 501 characters, over the limit of 500)") {
		t.Error("an answer one character over its limit was not cut after its 500th character")
	}
}

func BenchmarkValidateMegabytePaste(b *testing.B) {
	c := privacyCatalogue(b)
	for _, size := range []int{256 << 10, 1 << 20, 4 << 20} {
		a := changed(readyDraft(), answerChanges{"permissions-justification": questionnaire.Text(strings.Repeat("x", size))})
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if ps := c.Validate(a); len(ps) != 1 {
					b.Fatalf("%d problems, want 1", len(ps))
				}
			}
		})
	}
}

func BenchmarkMarkdownMegabytePaste(b *testing.B) {
	c := privacyCatalogue(b)
	a := changed(readyDraft(), answerChanges{"permissions-justification": questionnaire.Text(pasted1MB)})
	b.SetBytes(int64(len(pasted1MB)))
	for b.Loop() {
		if md := c.Markdown(a, questionnaire.MarkdownOptions{}); len(md) > 64<<10 {
			b.Fatalf("%d bytes of Markdown", len(md))
		}
	}
}
