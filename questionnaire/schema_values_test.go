package questionnaire

import (
	"encoding/json"
	"strings"
	"testing"
)

// The values of the published schema, one by one: each reads, previews and writes back
// as the schema says.

// TestResidencyValues is the table of the five documented residency values (and the one
// earlier catalogues invented): each imports, previews with its own label, shows the
// follow-ups it should, and is written back in the documented spelling.
func TestResidencyValues(t *testing.T) {
	c := ps(t)
	q := c.Question("data-residency")
	for _, tc := range []struct {
		in, sent  string
		label     string // what the preview says, in part
		followUps bool   // locations, in-scope types and migration asked
	}{
		{"STORED_IN_ATLASSIAN_N_DR_SUPPORTED", "STORED_IN_ATLASSIAN_N_DR_SUPPORTED", "Stored in Atlassian, and the app supports data residency", true},
		{"STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED", "STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED", "Stored in Atlassian, but the app does not support", false},
		{"STORED_EXTERNAL_TO_ATLASSIAN", "STORED_EXTERNAL_TO_ATLASSIAN", "Stored outside Atlassian, in the location the customer chooses", true},
		{"APP_DOES_NOT_SUPPORT_DR", "APP_DOES_NOT_SUPPORT_DR", "App does not support data residency", false},
		{"NOT_APPLICABLE", "NOT_APPLICABLE", "The app stores no End-User Data", false},
		// Drafts and payloads of earlier versions of pstab: read as before, written anew.
		{"STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED", "STORED_EXTERNAL_TO_ATLASSIAN", "Stored outside Atlassian, in the location the customer chooses", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			payload := `{"dataResidency":{"isDataResidencySupported":"` + tc.in + `","countriesWhereEndUserDataStored":["EU"],"realmMigrationSupported":true}}`
			a, _, err := c.DecodePayload([]byte(payload))
			if err != nil {
				t.Fatal(err)
			}
			v, ok := a.Get(q.ID)
			if !ok || v.Text != tc.sent {
				t.Fatalf("read as %+v, want %s", v, tc.sent)
			}
			if ps := q.Check(v); len(ps) != 0 {
				t.Errorf("refused: %v", messages(ps))
			}
			if got := q.Display(v); !strings.Contains(got, tc.label) {
				t.Errorf("label %q, want it to say %q", got, tc.label)
			}
			vis := c.Visible(a)
			for _, id := range []string{"residency-locations", "residency-data-types", "residency-migration"} {
				if vis.ShowsID(id) != tc.followUps {
					t.Errorf("%s shown %v, want %v", id, vis.ShowsID(id), tc.followUps)
				}
			}
			info, err := c.TrustInfo(a)
			if err != nil {
				t.Fatal(err)
			}
			dr := info["dataResidency"].(map[string]any)
			if dr["isDataResidencySupported"] != tc.sent {
				t.Errorf("sent %v, want %s", dr["isDataResidencySupported"], tc.sent)
			}
			if _, sent := dr["countriesWhereEndUserDataStored"]; sent != tc.followUps {
				t.Errorf("locations sent %v, want %v (the follow-up is hidden otherwise)", sent, tc.followUps)
			}
			md := c.Markdown(a, MarkdownOptions{Views: ViewsDefault})
			if !strings.Contains(md, EscapeMarkdown(q.Display(v))) {
				t.Errorf("the default view lacks the residency answer:\n%s", md)
			}
			// The store keeps it in the documented spelling too.
			raw, err := MarshalValue(q, v)
			if err != nil || string(raw) != `"`+tc.sent+`"` {
				t.Errorf("stored as %s (%v)", raw, err)
			}
		})
	}
	if len(q.Options) != 5 {
		t.Errorf("%d residency options, want the five the schema documents", len(q.Options))
	}
}

// TestTriStateSpellings reads every spelling of the five tri-state answers that files and
// servers use and writes the documented form: JSON true and false, the string
// "NOT_APPLICABLE".
func TestTriStateSpellings(t *testing.T) {
	c := ps(t)
	paths := map[string]string{
		"gdpr-controller":       "privacy.gdpr.dataController.isAppDataController",
		"gdpr-processor":        "privacy.gdpr.dataProcessor.isAppDataProcessor",
		"ccpa-business":         "privacy.ccpa.business.isAppBusiness",
		"ccpa-service-provider": "privacy.ccpa.serviceProvider.isAppServiceProvider",
		"dpa":                   "privacy.dataProcessingAgreement.isDPASupported",
	}
	for id, path := range paths {
		q := c.Question(id)
		if q.Kind != KindTriState || q.API.Path != path {
			t.Fatalf("%s: %s at %s, want a tristate at %s", id, q.Kind, q.API.Path, path)
		}
		for _, tc := range []struct {
			raw   string
			sent  any
			label string
		}{
			{`true`, true, "Yes"}, {`"TRUE"`, true, "Yes"}, {`"True"`, true, "Yes"}, {`"true"`, true, "Yes"},
			{`false`, false, "No"}, {`"FALSE"`, false, "No"}, {`"False"`, false, "No"},
			{`"NOT_APPLICABLE"`, NotApplicable, "Not applicable"}, {`"not_applicable"`, NotApplicable, "Not applicable"},
		} {
			doc := map[string]any{}
			var raw any
			_ = json.Unmarshal([]byte(tc.raw), &raw)
			put(doc, path, raw)
			data, _ := json.Marshal(doc)
			a, _, err := c.DecodePayload(data)
			if err != nil {
				t.Fatalf("%s %s: %v", id, tc.raw, err)
			}
			v, _ := a.Get(id)
			if got := q.Display(v); got != tc.label {
				t.Errorf("%s %s previews as %q, want %q", id, tc.raw, got, tc.label)
			}
			info, _ := c.TrustInfo(a)
			var got any = info
			for _, k := range strings.Split(path, ".") {
				got = got.(map[string]any)[k]
			}
			if got != tc.sent {
				t.Errorf("%s %s is sent as %#v, want %#v", id, tc.raw, got, tc.sent)
			}
			// Any two spellings of one answer are the same answer: no diff, no drift.
			want := Value{Text: "true"}
			if tc.sent == false {
				want = Bool(false)
			} else if tc.sent == NotApplicable {
				want = Text("Not_Applicable")
			}
			if !q.Same(v, want) {
				t.Errorf("%s %s differs from %+v in meaning", id, tc.raw, want)
			}
		}
	}
}

// TestRichTextJustification keeps a document object the server sent as it came, previews
// its words, and sends plain text once the partner edits the answer.
func TestRichTextJustification(t *testing.T) {
	c := ps(t)
	doc := `{"type":"doc","version":1,"content":[` +
		`{"type":"paragraph","content":[{"type":"text","text":"read:jira-work","marks":[{"type":"code"}]},{"type":"text","text":" to show linked issues."}]},` +
		`{"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"write:jira-work to comment."}]}]}]}]}`
	a, _, err := c.DecodePayload([]byte(`{"security":{"permissionsJustification":` + doc + `}}`))
	if err != nil {
		t.Fatalf("a document object is refused: %v", err)
	}
	q := c.Question("permissions-justification")
	v, ok := a.Get(q.ID)
	if !ok || !v.IsRich() || v.Text != "read:jira-work to show linked issues.\nwrite:jira-work to comment." {
		t.Fatalf("read as %+v", v)
	}
	if ps := q.Check(v); len(ps) != 0 {
		t.Errorf("refused: %v", messages(ps))
	}
	md := c.Markdown(a, MarkdownOptions{Views: ViewsDefault})
	if !strings.Contains(md, "read:jira-work to show linked issues.") || strings.Contains(md, `"type"`) {
		t.Errorf("the preview does not show the words:\n%s", md)
	}
	out, _ := c.EncodePayload(a, ShapeBare)
	assertJSONEqual(t, out, []byte(`{"security":{"permissionsJustification":`+doc+`}}`))
	// Kept in the store and in bundles byte for byte.
	raw, err := MarshalValue(q, v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalValue(q, raw)
	if err != nil || !back.IsRich() || back.Text != v.Text {
		t.Errorf("stored and read back as %+v (%v)", back, err)
	}
	// The partner edits it: plain text is sent instead.
	a.Set(q.ID, Text("read:jira-work, to show linked issues."))
	out, _ = c.EncodePayload(a, ShapeBare)
	assertJSONEqual(t, out, []byte(`{"security":{"permissionsJustification":"read:jira-work, to show linked issues."}}`))
	// Hostile text inside the document is refused like any other.
	a, _, err = c.DecodePayload([]byte(`{"security":{"permissionsJustification":{"type":"doc","content":[{"type":"text","text":"x\u001b[2J"}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if ps := UnsafeText(c, a); len(ps) != 1 || ps[0].Path != "security.permissionsJustification" {
		t.Errorf("escape inside a document: %v", messages(ps))
	}
	// Anything else is refused with the field named.
	if _, _, err := c.DecodePayload([]byte(`{"security":{"permissionsJustification":[1]}}`)); err == nil || !strings.Contains(err.Error(), "security.permissionsJustification") {
		t.Errorf("a list for the justification: %v", err)
	}
}

// TestQuestionAt maps the field paths a server's errors name to questions.
func TestQuestionAt(t *testing.T) {
	c := ps(t)
	for _, tc := range []struct {
		path, question string
		item           int
		field          string
	}{
		{"/security/securityContact", "security-contact", -1, ""},
		{"/commonCloud/security/publicSecurityPoliciesLink", "security-policy", -1, ""},
		{"/appTrustInformation/security/caiq/CAIQLiteLink", "caiq-lite-link", -1, ""},
		{"/security/compliantCertifications[1]", "certifications", 1, ""},
		{"/security/compliantCertifications/1", "certifications", 1, ""},
		{"/thirdPartyInformation/thirdPartyDetails/2/name", "sub-processors", 2, "name"},
		{"thirdPartyInformation.thirdPartyDetails[0].thirdPartyCountries[1]", "sub-processors", 0, "thirdPartyCountries"},
		{"/dataRetention/retentionDurationInDays/min", "retention-period", -1, ""},
		{"/dataRetention/isRetentionDurationIndefinite", "retention-period", -1, ""},
		{"privacy.dataProcessingAgreement.link", "dpa-link", -1, ""},
	} {
		loc, ok := c.QuestionAt(tc.path)
		if !ok || loc.Question.ID != tc.question || loc.Item != tc.item || loc.Field != tc.field {
			id := ""
			if loc.Question != nil {
				id = loc.Question.ID
			}
			t.Errorf("QuestionAt(%q) = %s [%d] %q %v, want %s [%d] %q", tc.path, id, loc.Item, loc.Field, ok, tc.question, tc.item, tc.field)
		}
	}
	for _, path := range []string{"/dataRetention/retentionPeriod", "", "/security", "/properties/formStatus"} {
		if loc, ok := c.QuestionAt(path); ok {
			t.Errorf("QuestionAt(%q) = %s, want no question", path, loc.Question.ID)
		}
	}
}

// TestHiddenAndUnsent names what a payload holds that will not be sent.
func TestHiddenAndUnsent(t *testing.T) {
	c := ps(t)
	a, _, err := c.DecodePayload([]byte(`{"dataAccessAndStorage":{"appStoresEUDOutsideAtlassian":false,
		"appProcessEUDOutsideAtlassian":false,"typesOfDataAccessed":["Issue keys"]},
		"properties":{"formStatus":"SAVED"},"aiGovernance":{"x":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	hidden := c.HiddenAnswers(a)
	if len(hidden) != 1 || hidden[0].ID != "processed-data-types" {
		t.Errorf("hidden answers %v, want processed-data-types", hidden)
	}
	if got := UnsentKeys(a); len(got) != 1 || got[0] != "aiGovernance" {
		t.Errorf("unsent keys %v, want aiGovernance (properties is read-only, not a surprise)", got)
	}
	out, _ := c.EncodePayload(a, ShapeV2Put)
	for _, s := range []string{"typesOfDataAccessed", "aiGovernance", "properties"} {
		if strings.Contains(string(out), s) {
			t.Errorf("the payload holds %s:\n%s", s, out)
		}
	}
}

// TestUpgradeStoredCertifications reads a bundle written by a pstab whose catalogue asked
// certifications as tick boxes with an "Other" list: nothing the partner answered is lost.
func TestUpgradeStoredCertifications(t *testing.T) {
	c := ps(t)
	bundle := `{"pstabBundle":1,"questionnaire":"privacy-security","catalogueVersion":"2026-11","app":{"key":"com.example.app"},
		"answers":{"has-certifications":true,"certifications":["SOC2_TYPE2","ISO27001","FEDRAMP","OTHER"],
		"other-certifications":["Cyber Essentials Plus (2026)","iso27001"],
		"data-residency":"STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED","gdpr-processor":"TRUE","dpa":"FALSE"}}`
	b, notes, err := c.DecodeBundle([]byte(bundle))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := b.Answers.Get("certifications")
	if strings.Join(v.List, "|") != "SOC2|ISO27001|FedRAMP|Cyber Essentials Plus (2026)" {
		t.Errorf("certifications %q", v.List)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "other-certifications") {
		t.Errorf("notes %q, want one saying where other-certifications went", notes)
	}
	if v, _ := b.Answers.Get("data-residency"); v.Text != "STORED_EXTERNAL_TO_ATLASSIAN" {
		t.Errorf("residency %q", v.Text)
	}
	out, _ := c.EncodePayload(b.Answers, ShapeBare)
	for _, want := range []string{`"isAppDataProcessor": true`, `"isDPASupported": false`, `"STORED_EXTERNAL_TO_ATLASSIAN"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("payload lacks %s:\n%s", want, out)
		}
	}
}
