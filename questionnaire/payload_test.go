package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// jsonValue decodes JSON keeping numbers as written.
func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return v
}

func assertJSONEqual(t testing.TB, got, want []byte) {
	t.Helper()
	if !reflect.DeepEqual(jsonValue(t, got), jsonValue(t, want)) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

// The reference example in the documented form: tri-states as JSON booleans or
// "NOT_APPLICABLE", and without the fields of the questions its answers hide (the
// processed data types, hidden by the ticked same-data checkbox; the log follow-ups,
// hidden by logEndUserData false).
const referenceSent = `{"appTrustInformation":{
  "dataAccessAndStorage":{"appStoresEUDOutsideAtlassian":true,"typesOfDataStored":["Issue keys"],
    "appProcessEUDOutsideAtlassian":true,"isSameDataProcessedAndStored":true},
  "thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[
    {"name":"Cloudflare, Inc.","link":"https://www.cloudflare.com","purpose":"Hosting","thirdPartyCountries":["United States"]}]},
  "logDetails":{"logEndUserData":false},
  "dataResidency":{"isDataResidencySupported":"APP_DOES_NOT_SUPPORT_DR"},
  "dataRetention":{"isDataRetentionSupported":true,"retentionDurationInDays":{"min":0,"max":30},
    "isCustomRetentionPeriodAllowed":false,"isRetentionDurationIndefinite":false},
  "privacy":{"privacyEnhancingTechniques":{"arePrivacyEnhancingTechniquesSupported":false},
    "gdpr":{"dataController":{"isAppDataController":false},
            "dataProcessor":{"isAppDataProcessor":true,"endUserDataTypes":["Issue keys"]},
            "dataTransfer":{"isEndUserDataTransferredOutsideEEA":true,"isTransferComplianceMechanismsAdhered":true}},
    "ccpa":{"business":{"isAppBusiness":"NOT_APPLICABLE"},"serviceProvider":{"isAppServiceProvider":true,"endUserDataTypes":["Issue keys"]}},
    "dataProcessingAgreement":{"isDPASupported":false}},
  "security":{"isDiskEncryptionSupported":true,"securityContact":"security@example.com",
    "publicSecurityPoliciesLink":"https://example.com/security","permissionsJustification":"…",
    "requiresUsersToProvidePATs":false}}}`

// TestPayloadRoundTrip reads payloads in every shape and spelling and writes them back as
// the body pstab sends: what a payload in the documented form holds comes back unchanged;
// anything else comes back as want says (empty: as it came).
func TestPayloadRoundTrip(t *testing.T) {
	reference := readTestdata(t, "reference-example.json")
	var refBody map[string]json.RawMessage
	if err := json.Unmarshal(reference, &refBody); err != nil {
		t.Fatal(err)
	}
	bare := refBody[V2PutKey]
	var sentBody map[string]json.RawMessage
	if err := json.Unmarshal([]byte(referenceSent), &sentBody); err != nil {
		t.Fatal(err)
	}
	sentBare := string(sentBody[V2PutKey])
	for _, tc := range []struct {
		name  string
		in    string
		shape Shape
		want  string
	}{
		{"reference example (v2 PUT body)", string(reference), ShapeV2Put, referenceSent},
		{"reference example in the documented form", referenceSent, ShapeV2Put, ""},
		{"reference example as the bare object a GET returns", string(bare), ShapeBare, sentBare},
		{"reference example in the v3 shape with read-only fields",
			`{"commonCloud":` + string(bare[:len(bare)-1]) + `,"hasRestAPIExtension":false,"supportsConfigurableEgress":true,"properties":{"formStatus":"APPROVED"}}}`,
			ShapeV3, `{"commonCloud":` + sentBare + `}`},
		{"the v3 GET wrapper of the published schema",
			`{"common":{"security":{"securityContact":"a@example.com"},"properties":{"formStatus":"SAVED","updatedAt":1767225600000}}}`,
			ShapeV3, `{"commonCloud":{"security":{"securityContact":"a@example.com"}}}`},
		{"keys beside the wrapper are not sent",
			`{"appTrustInformation":{"security":{"securityContact":"a@example.com"}},"meta":{"etag":"W/\"3\""},"links":[1,2]}`,
			ShapeV2Put, `{"appTrustInformation":{"security":{"securityContact":"a@example.com"}}}`},
		{"unknown fields inside the groups are kept; outside them, not sent", `{
			"properties": {"formStatus": "SUBMITTED", "lastModified": "2026-01-02T03:04:05Z"},
			"someNewTopLevel": [1, 2.50, {"x": null}],
			"security": {"securityContact": "security@example.com", "someNewField": {"deep": [true]}},
			"privacy": {"gdpr": {"dataController": {"isAppDataController": false, "futureFlag": 1e3}}},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true, "typesOfDataStored": ["Issue keys"],
				"appProcessEUDOutsideAtlassian": false, "newField": "x"},
			"thirdPartyInformation": {"isEndUserDataShared": true, "dataSubProcessors": "https://example.com/subs",
				"thirdPartyDetails": [{"name": "AWS", "purpose": "Hosting", "futureKey": {"a": 1}, "countries": "kept"}]},
			"dataRetention": {"isDataRetentionSupported": true,
				"retentionDurationInDays": {"min": 0, "max": 90, "unit": "days"}}
		}`, ShapeBare, `{
			"security": {"securityContact": "security@example.com", "someNewField": {"deep": [true]}},
			"privacy": {"gdpr": {"dataController": {"isAppDataController": false, "futureFlag": 1e3}}},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true, "typesOfDataStored": ["Issue keys"],
				"appProcessEUDOutsideAtlassian": false, "newField": "x"},
			"thirdPartyInformation": {"isEndUserDataShared": true, "dataSubProcessors": "https://example.com/subs",
				"thirdPartyDetails": [{"name": "AWS", "purpose": "Hosting", "futureKey": {"a": 1}, "countries": "kept"}]},
			"dataRetention": {"isDataRetentionSupported": true,
				"retentionDurationInDays": {"min": 0, "max": 90, "unit": "days"}}
		}`},
		{"tri-state spellings as servers and files write them", `{"privacy": {
			"gdpr": {"dataController": {"isAppDataController": "True"}, "dataProcessor": {"isAppDataProcessor": true, "endUserDataTypes": ["Names"]}},
			"ccpa": {"business": {"isAppBusiness": "not_applicable"}, "serviceProvider": {"isAppServiceProvider": "FALSE"}},
			"dataProcessingAgreement": {"isDPASupported": "false"}}}`, ShapeBare, `{"privacy": {
			"gdpr": {"dataController": {"isAppDataController": true}, "dataProcessor": {"isAppDataProcessor": true, "endUserDataTypes": ["Names"]}},
			"ccpa": {"business": {"isAppBusiness": "NOT_APPLICABLE"}, "serviceProvider": {"isAppServiceProvider": false}},
			"dataProcessingAgreement": {"isDPASupported": false}}}`},
		{"the residency value earlier catalogues wrote", `{"dataResidency": {"isDataResidencySupported": "STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED", "countriesWhereEndUserDataStored": ["EU"]}}`,
			ShapeBare, `{"dataResidency": {"isDataResidencySupported": "STORED_EXTERNAL_TO_ATLASSIAN", "countriesWhereEndUserDataStored": ["EU"]}}`},
		{"nulls are not sent", `{"security": {"securityContact": null, "publicSecurityPoliciesLink": "https://example.com/s"},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true, "typesOfDataStored": null},
			"thirdPartyInformation": {"isEndUserDataShared": true, "dataSubProcessors": null,
				"thirdPartyDetails": [{"name": "AWS", "link": null, "purpose": "Hosting", "thirdPartyCountries": null}]},
			"dataRetention": {"isDataRetentionSupported": true, "retentionDurationInDays": {"min": null, "max": 30},
				"isRetentionDurationIndefinite": null},
			"privacy": null}`, ShapeBare, `{"security": {"publicSecurityPoliciesLink": "https://example.com/s"},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true},
			"thirdPartyInformation": {"isEndUserDataShared": true,
				"thirdPartyDetails": [{"name": "AWS", "purpose": "Hosting"}]},
			"dataRetention": {"isDataRetentionSupported": true, "retentionDurationInDays": {"max": 30}}}`},
		{"empty objects", `{"privacy": {"gdpr": {"dataController": {}, "dataProcessor": {"isAppDataProcessor": false}}},
			"logDetails": {}, "security": {"isDiskEncryptionSupported": true, "extra": {}},
			"thirdPartyInformation": {"isEndUserDataShared": true, "thirdPartyDetails": [{}]}}`, ShapeBare, ""},
		{"empty strings and lists are not sent", `{"security": {"securityContact": "", "permissionsJustification": " "},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true, "typesOfDataStored": []},
			"thirdPartyInformation": {"isEndUserDataShared": true, "thirdPartyDetails": [],
				"dataSubProcessors": ""},
			"dataResidency": {"isDataResidencySupported": ""}}`, ShapeBare, `{
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": true},
			"thirdPartyInformation": {"isEndUserDataShared": true}}`},
		{"hidden questions' fields are never sent", `{
			"logDetails": {"logEndUserData": false, "logProcessAndOrStoreEUDOutsideAtlassian": true,
				"logEUDShareWithThirdParty": true, "logsIntegralForAppFunctionality": false},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": false, "appProcessEUDOutsideAtlassian": false,
				"typesOfDataStored": ["left from before"], "typesOfDataAccessed": ["left from before"]},
			"thirdPartyInformation": {"isEndUserDataShared": false, "thirdPartyDetails": [{"name": "Old", "purpose": "Old"}]},
			"dataRetention": {"isDataRetentionSupported": false, "retentionDurationInDays": {"min": 5, "max": 1}},
			"dataResidency": {"isDataResidencySupported": "APP_DOES_NOT_SUPPORT_DR", "countriesWhereEndUserDataStored": ["EU"]},
			"privacy": {"gdpr": {"dataTransfer": {"isEndUserDataTransferredOutsideEEA": false, "isTransferComplianceMechanismsAdhered": true}}}
		}`, ShapeBare, `{
			"logDetails": {"logEndUserData": false},
			"dataAccessAndStorage": {"appStoresEUDOutsideAtlassian": false, "appProcessEUDOutsideAtlassian": false},
			"thirdPartyInformation": {"isEndUserDataShared": false},
			"dataRetention": {"isDataRetentionSupported": false},
			"dataResidency": {"isDataResidencySupported": "APP_DOES_NOT_SUPPORT_DR"},
			"privacy": {"gdpr": {"dataTransfer": {"isEndUserDataTransferredOutsideEEA": false}}}
		}`},
		{"unknown enum values are kept for the server to judge", `{"dataResidency": {"isDataResidencySupported": "STORED_ON_THE_MOON"},
			"privacy": {"dataProcessingAgreement": {"isDPASupported": "MAYBE"}}}`, ShapeBare, ""},
		{"a rich-text justification is kept as it came", `{"security": {"permissionsJustification":
			{"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "read:jira-work", "marks": [{"type": "strong"}]}]}]}}}`, ShapeBare, ""},
		{"empty TrustInfo object", `{}`, ShapeBare, ""},
		{"empty v2 body", `{"appTrustInformation": {}}`, ShapeV2Put, ""},
		{"byte-order mark", "\xef\xbb\xbf" + `{"security": {"requiresUsersToProvidePATs": false}}`, ShapeBare, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, shape, err := ps(t).DecodePayload([]byte(tc.in))
			if err != nil {
				t.Fatalf("DecodePayload: %v", err)
			}
			if shape != tc.shape {
				t.Errorf("shape %v, want %v", shape, tc.shape)
			}
			out, err := ps(t).EncodePayload(a, shape)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = tc.in
			}
			assertJSONEqual(t, out, []byte(want))
			// Through a clone, as the store and the wizard hold answers, it is the same.
			out2, err := ps(t).EncodePayload(a.Clone(), shape)
			if err != nil || !bytes.Equal(out, out2) {
				t.Errorf("encoding a clone differs (%v)", err)
			}
			// What is sent reads back as the same answers: writing is stable.
			back, _, err := ps(t).DecodePayload(out)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := ps(t).EncodePayload(back, shape); !bytes.Equal(again, out) {
				t.Errorf("writing what was sent changes it:\n%s\n%s", out, again)
			}
		})
	}
}

func TestPayloadDecodesAnswers(t *testing.T) {
	c := ps(t)
	a, _ := decode(t, readTestdata(t, "reference-example.json"))
	for id, want := range map[string]Value{
		"stores-eud":                yes,
		"stored-data-types":         List("Issue keys"),
		"processed-data-types":      List("Issue keys"), // hidden by the ticked checkbox, but kept
		"gdpr-controller":           Text("false"),
		"ccpa-business":             Text("NOT_APPLICABLE"),
		"retention-period":          {Days: &DayRange{Min: intp(0), Max: intp(30), Indefinite: boolp(false)}},
		"security-contact":          Text("security@example.com"),
		"logs-outside-atlassian":    no, // hidden by logs-eud = No, but kept
		"data-residency":            Text("APP_DOES_NOT_SUPPORT_DR"),
		"sub-processors":            subProcessors(sp("Cloudflare, Inc.", "https://www.cloudflare.com", "Hosting", "United States")),
		"requires-pats":             no,
		"eea-mechanism-in-place":    yes,
		"custom-retention":          no,
		"disk-encryption":           yes,
		"permissions-justification": Text("…"),
	} {
		got, ok := a.Get(id)
		if !ok || !c.Question(id).Same(got, want) {
			t.Errorf("%s = %+v, want %+v", id, got, want)
		}
	}
	// Every field a question asks is an answer, shown or hidden; Extra keeps only what no
	// question asks, so that a hidden question's field cannot reach the server through it.
	if len(a.Extra) != 0 {
		t.Errorf("Extra holds fields questions ask: %v", a.Extra)
	}
	if got := c.HiddenAnswers(a); len(got) != 4 {
		var ids []string
		for _, q := range got {
			ids = append(ids, q.ID)
		}
		t.Errorf("hidden answers %v, want processed-data-types and the three log follow-ups", ids)
	}
	// A tri-state reads as the option it means, whatever its spelling.
	if v, _ := a.Get("gdpr-processor"); v.Text != "true" {
		t.Errorf("gdpr-processor reads as %q, want the option value true", v.Text)
	}
}

func TestPayloadEncodeFollowsTheAnswers(t *testing.T) {
	c := ps(t)
	in := []byte(`{"properties": {"formStatus": "APPROVED"},
		"logDetails": {"logEndUserData": false, "logEUDShareWithThirdParty": true},
		"security": {"securityContact": "old@example.com", "isDiskEncryptionSupported": true},
		"privacy": {"gdpr": {"dataController": {"isAppDataController": "True"}}}}`)
	base, _ := decode(t, in)
	for _, tc := range []struct {
		name    string
		change  map[string]Value
		has     []string // substrings the encoded payload must hold
		hasNot  []string
		compare string // when set, the whole payload must equal this JSON
	}{
		{name: "a changed answer is written; read-only keys are not",
			change: map[string]Value{"security-contact": Text("new@example.com")},
			has:    []string{`"securityContact": "new@example.com"`},
			hasNot: []string{"properties", "formStatus"}},
		{name: "a cleared shown answer removes its field",
			change:  map[string]Value{"security-contact": {}},
			hasNot:  []string{"securityContact"},
			compare: `{"logDetails": {"logEndUserData": false}, "security": {"isDiskEncryptionSupported": true}, "privacy": {"gdpr": {"dataController": {"isAppDataController": true}}}}`},
		{name: "an answer to a hidden question is never sent",
			change: map[string]Value{"logs-outside-atlassian": yes, "pets": List("Pseudonymisation")},
			hasNot: []string{"logProcessAndOrStoreEUDOutsideAtlassian", "privacyEnhancingTechniquesSupported"}},
		{name: "the server's value of a hidden question is not sent either",
			change: map[string]Value{"logs-shared": no},
			hasNot: []string{"logEUDShareWithThirdParty"}},
		{name: "revealing a question sends the partner's answer over the server's",
			change: map[string]Value{"logs-eud": yes, "logs-shared": no},
			has:    []string{`"logEUDShareWithThirdParty": false`, `"logEndUserData": true`}},
		{name: "revealing a question the partner cleared removes the server's value",
			change: map[string]Value{"logs-eud": yes, "logs-shared": {}},
			hasNot: []string{"logEUDShareWithThirdParty"}},
		{name: "a tri-state read as \"True\" is written in the documented form",
			change: map[string]Value{},
			has:    []string{`"isAppDataController": true`}},
		{name: "a day range writes min, max and indefinite",
			change: map[string]Value{"stores-eud": yes, "retains-after-uninstall": yes, "retention-period": Days(1, 7)},
			has:    []string{`"min": 1`, `"max": 7`, `"isRetentionDurationIndefinite": false`, `"isDataRetentionSupported": true`}},
		{name: "indefinite retention drops the day counts",
			change: map[string]Value{"retains-after-uninstall": yes, "retention-period": Indefinitely()},
			has:    []string{`"isRetentionDurationIndefinite": true`},
			hasNot: []string{"retentionDurationInDays"}},
		{name: "listing facts are not sent",
			change: map[string]Value{"bug-bounty": yes, "privacy-policy": Text("https://example.com/p")},
			hasNot: []string{"bug", "ounty", "example.com/p"}},
		{name: "CAIQ-Lite and certifications are sent at their documented paths",
			change: map[string]Value{"caiq-lite": yes, "caiq-lite-link": Text("https://example.com/caiq"),
				"has-certifications": yes, "certifications": List("SOC2_TYPE2", "ISO27001")},
			has: []string{`"isCAIQCompleted": true`, `"CAIQLiteLink": "https://example.com/caiq"`,
				`"hasCompliantCertifications": true`, `"SOC2"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := with(base, tc.change)
			out, err := c.EncodePayload(a, ShapeBare)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.has {
				if !strings.Contains(string(out), s) {
					t.Errorf("payload lacks %s:\n%s", s, out)
				}
			}
			for _, s := range tc.hasNot {
				if strings.Contains(string(out), s) {
					t.Errorf("payload holds %s:\n%s", s, out)
				}
			}
			if tc.compare != "" {
				assertJSONEqual(t, out, []byte(tc.compare))
			}
		})
	}
}

func TestEncodePayloadShapes(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"requires-pats": no})
	for shape, want := range map[Shape]string{
		ShapeBare:  `{"security":{"requiresUsersToProvidePATs":false}}`,
		ShapeV2Put: `{"appTrustInformation":{"security":{"requiresUsersToProvidePATs":false}}}`,
		ShapeV3:    `{"commonCloud":{"security":{"requiresUsersToProvidePATs":false}}}`,
	} {
		out, err := c.EncodePayload(a, shape)
		if err != nil {
			t.Fatal(err)
		}
		assertJSONEqual(t, out, []byte(want))
		if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.Contains(out, []byte("\n  ")) {
			t.Errorf("%v: not indented JSON ending in a newline: %q", shape, out)
		}
	}
}

// FuzzDecodePayload feeds the payload reader arbitrary bytes. It must never panic, and for
// any input it accepts: encoding succeeds; the encoding decodes again and encodes to the
// same bytes (a fixed point); and the encoding holds no raw control, C1 or bidi character
// that could act on a terminal if the file is printed.
func FuzzDecodePayload(f *testing.F) {
	for _, dir := range []string{"testdata", filepath.Join("testdata", "answers")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{}`, `{"appTrustInformation":{}}`, `{"commonCloud":{"properties":{"formStatus":"APPROVED"}}}`,
		`{"security":{"securityContact":"a\u001b[31m\u202e\u009b@b.c"}}`,
		`{"thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[{"name":null,"x":"\u0085"}]}}`,
		`{"dataRetention":{"isDataRetentionSupported":true,"retentionDurationInDays":{"min":-0,"max":1e2}}}`,
		`{"privacy":{"gdpr":{"dataProcessor":{"isAppDataProcessor":true,"endUserDataTypes":[""]}}}}`,
		`{"security":{"securityContact":""},"x":1}`,
	} {
		f.Add([]byte(s))
	}
	c := ps(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, shape, err := c.DecodePayload(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error is %T, not *DecodeError: %v", err, err)
			}
			return
		}
		first, err := c.EncodePayload(a, shape)
		if err != nil {
			t.Fatalf("encode of accepted input: %v", err)
		}
		for _, r := range string(first) {
			if r != '\n' && unsafeRune(r, true) || r == '\t' || r == 0x7f {
				t.Fatalf("encoding holds the raw character U+%04X:\n%q", r, first)
			}
		}
		// The fast writer must agree with encoding/json on whatever the reader accepts.
		if info, err := c.TrustInfo(a); err != nil {
			t.Fatal(err)
		} else if want, err := marshalIndent(info); err != nil {
			t.Fatal(err)
		} else if got, ok := appendJSONTree(nil, info); !ok || !bytes.Equal(got, want) {
			t.Fatalf("appendJSONTree differs from encoding/json (ok %v)\n got %q\nwant %q", ok, got, want)
		}
		a2, shape2, err := c.DecodePayload(first)
		if err != nil {
			t.Fatalf("the encoding does not decode: %v\n%s", err, first)
		}
		if shape2 != shape {
			t.Fatalf("shape %v became %v", shape, shape2)
		}
		second, err := c.EncodePayload(a2, shape2)
		if err != nil {
			t.Fatalf("second encode: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("not a fixed point\nfirst:  %s\nsecond: %s", first, second)
		}
	})
}

// TestAppendJSONTreeMatchesMarshalIndent checks the fast payload writer against
// encoding/json (with EscapeJSONUnsafe) on every payload under testdata and on hostile
// strings.
func TestAppendJSONTreeMatchesMarshalIndent(t *testing.T) {
	var docs []any
	for _, dir := range []string{"testdata", filepath.Join("testdata", "answers")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, name := range files {
			data, _ := os.ReadFile(name)
			docs = append(docs, jsonValue(t, data))
		}
	}
	docs = append(docs,
		map[string]any{},
		[]any{},
		map[string]any{"a\x00\x1f\x7f\u0080\u009f\u200e\u202e\u2028\u2029\u2066<>&\"\\\b\f\n\r\t": "x\xff\u00e9\U0001F600\u061c"},
		[]any{nil, true, false, json.Number("-0"), json.Number("1.5e300"), "", map[string]any{"k": []any{}}},
	)
	for i, doc := range docs {
		want, err := marshalIndent(doc)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendJSONTree(nil, doc)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("document %d (ok %v):\n got %q\nwant %q", i, ok, got, want)
		}
	}
	for _, v := range []any{json.Number(`"1"`), json.Number(""), 1.5, []string{"a"}} {
		if _, ok := appendJSONTree(nil, v); ok {
			t.Errorf("appendJSONTree accepts %#v; it must leave it to encoding/json", v)
		}
	}
}
