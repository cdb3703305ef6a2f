package questionnaire

import (
	"strings"
	"testing"
)

func TestParseValue(t *testing.T) {
	c := ps(t)
	for _, tc := range []struct {
		name     string
		question string
		args     []string
		want     Value
		err      string // a part of the error, or "" when it parses
	}{
		{"yes", "stores-eud", []string{"yes"}, yes, ""},
		{"Y", "stores-eud", []string{"Y"}, yes, ""},
		{"true", "stores-eud", []string{"true"}, yes, ""},
		{"no", "stores-eud", []string{"no"}, no, ""},
		{"False", "stores-eud", []string{"False"}, no, ""},
		{"maybe", "stores-eud", []string{"maybe"}, Value{}, `stores-eud takes yes or no, not "maybe"`},
		{"two words for yes/no", "stores-eud", []string{"yes", "no"}, Value{}, "stores-eud takes one value, not 2; quote it if it has spaces"},
		{"no words", "stores-eud", nil, Value{}, "give a value for stores-eud"},

		{"tri-state yes", "gdpr-processor", []string{"yes"}, Text("true"), ""},
		{"tri-state API value true", "gdpr-processor", []string{"TRUE"}, Text("true"), ""},
		{"tri-state na", "gdpr-processor", []string{"na"}, Text("NOT_APPLICABLE"), ""},
		{"tri-state n/a", "gdpr-processor", []string{"N/A"}, Text("NOT_APPLICABLE"), ""},
		{"tri-state API value in lower case", "gdpr-processor", []string{"not_applicable"}, Text("NOT_APPLICABLE"), ""},
		{"tri-state unknown", "gdpr-processor", []string{"sometimes"}, Value{}, `gdpr-processor takes yes, no or na, not "sometimes"`},

		{"choice by value", "data-residency", []string{"APP_DOES_NOT_SUPPORT_DR"}, Text("APP_DOES_NOT_SUPPORT_DR"), ""},
		{"choice by label", "data-residency", []string{"no. app does not support data residency"}, Text("APP_DOES_NOT_SUPPORT_DR"), ""},
		{"unknown choice", "data-residency", []string{"EU_ONLY"}, Value{}, `data-residency takes one of "STORED_IN_ATLASSIAN_N_DR_SUPPORTED"`},

		{"list with suggested values, by label or value", "certifications", []string{"soc 2", "iso/iec 27001", "FEDRAMP"}, List("SOC2", "ISO27001", "FedRAMP"), ""},
		{"list with suggestions takes any other name", "certifications", []string{"SOC2", "ISO27701"}, List("SOC2", "ISO27701"), ""},

		{"list", "stored-data-types", []string{"Issue keys", "Page content"}, List("Issue keys", "Page content"), ""},

		{"day range", "retention-period", []string{"0..30"}, Days(0, 30), ""},
		{"day range with spaces", "retention-period", []string{" 7 .. 90 "}, Days(7, 90), ""},
		{"indefinite", "retention-period", []string{"Indefinite"}, Indefinitely(), ""},
		{"a single number", "retention-period", []string{"30"}, Value{}, `retention-period takes MIN..MAX days (such as 0..30) or indefinite, not "30"`},
		{"not numbers", "retention-period", []string{"a..b"}, Value{}, "takes MIN..MAX days"},
		{"an open range", "retention-period", []string{"0.."}, Value{}, "takes MIN..MAX days"},

		{"entities as a JSON list", "sub-processors", []string{`[{"name":"AWS","purpose":"Hosting"}]`},
			subProcessors(sp("AWS", "", "Hosting")), ""},
		{"entities one object per word", "sub-processors",
			[]string{`{"name":"AWS","purpose":"Hosting","thirdPartyCountries":["US"]}`, `{"name":"Postmark","link":"https://postmarkapp.com","purpose":"Email"}`},
			subProcessors(sp("AWS", "", "Hosting", "US"), sp("Postmark", "https://postmarkapp.com", "Email")), ""},
		{"entities that are not JSON", "sub-processors", []string{"AWS"}, Value{},
			`sub-processors takes JSON objects with the keys "name", "link", "purpose", "thirdPartyCountries"`},
		{"entity field of the wrong type", "sub-processors", []string{`{"name":1}`}, Value{}, "sub-processors[0].name: expected a string, found the number 1"},
		{"entity key pstab would drop", "sub-processors", []string{`{"name":"AWS","purpose":"Hosting","country":"US"}`}, Value{},
			`sub-processors[0].country is not a field of an entry, so it would be lost; the keys are "name", "link", "purpose", "thirdPartyCountries"`},
		{"entity key that is the field's ID", "sub-processors", []string{`{"name":"AWS"}`, `{"name":"Brevo","countries":["FR"]}`}, Value{},
			`sub-processors[1].countries is not a field of an entry, so it would be lost; the keys are "name", "link", "purpose", "thirdPartyCountries": write "thirdPartyCountries" for the countries`},
		{"entity null for a known key", "sub-processors", []string{`{"name":"AWS","purpose":"Hosting","link":null}`}, subProcessors(sp("AWS", "", "Hosting")), ""},
		{"entity JSON cut short", "sub-processors", []string{`{"name":"AWS"`}, Value{},
			"the value is not valid JSON (it ends before the JSON value is complete: a closing } or ] is missing)"},
		{"entity JSON with a stray comma", "sub-processors", []string{`[{"name":"AWS",}]`}, Value{},
			"the value is not valid JSON (at character 16: invalid character '}' looking for beginning of object key string)"},
		{"entity JSON broken in the second word", "sub-processors", []string{`{"name":"AWS"}`, `{name:"B"}`}, Value{}, "word 2 is not valid JSON (at character 2"},
		{"negative days reach the checks", "retention-period", []string{"-1..30"}, Days(-1, 30), ""},

		{"text joins words", "eea-mechanism", []string{"EU", "SCCs"}, Text("EU SCCs"), ""},
		{"URL is taken as typed", "security-policy", []string{"http://example.com"}, Text("http://example.com"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := c.Question(tc.question)
			got, err := ParseValue(q, tc.args)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("ParseValue(%q) error %v, want one saying %q", tc.args, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tc.args, err)
			}
			if !q.Same(got, tc.want) {
				t.Errorf("ParseValue(%q) = %+v, want %+v", tc.args, got, tc.want)
			}
		})
	}
}

func TestLookupByIDOrPath(t *testing.T) {
	c := ps(t)
	for in, want := range map[string]string{
		"security-contact":                               "security-contact",
		"security.securityContact":                       "security-contact",
		"appTrustInformation.security.securityContact":   "security-contact",
		"commonCloud.security.isDiskEncryptionSupported": "disk-encryption",
		c.Question("retention-period").API.Max:           "retention-period",
		c.Question("retention-period").Path():            "retention-period",
	} {
		if q := c.Lookup(in); q == nil || q.ID != want {
			t.Errorf("Lookup(%q) = %v, want %s", in, q, want)
		}
	}
	for _, in := range []string{"", "security", "appTrustInformation.", "nope"} {
		if q := c.Lookup(in); q != nil {
			t.Errorf("Lookup(%q) = %s, want nil", in, q.ID)
		}
	}
}
