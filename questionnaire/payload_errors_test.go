package questionnaire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodePayloadErrors(t *testing.T) {
	big := append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), MaxPayloadSize)...)
	big = append(big, `"}`...)
	for _, tc := range []struct {
		name       string
		in         string
		path       string
		msg        string
		unreadable bool
	}{
		{"sub-processor name of the wrong type",
			`{"appTrustInformation":{"thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[{"name":"a","purpose":"b"},{"name":"c","purpose":"d"},{"name":42,"purpose":"e"}]}}}`,
			"appTrustInformation.thirdPartyInformation.thirdPartyDetails[2].name", "expected a string, found the number 42", false},
		{"sub-processor that is not an object",
			`{"thirdPartyInformation":{"thirdPartyDetails":["AWS"]}}`,
			"thirdPartyInformation.thirdPartyDetails[0]", `expected an object, found the string "AWS"`, false},
		{"sub-processor countries of the wrong type",
			`{"thirdPartyInformation":{"thirdPartyDetails":[{"name":"a","thirdPartyCountries":"US"}]}}`,
			"thirdPartyInformation.thirdPartyDetails[0].thirdPartyCountries", "expected a list of strings", false},
		{"sub-processors that are not a list",
			`{"thirdPartyInformation":{"thirdPartyDetails":{"name":"a"}}}`,
			"thirdPartyInformation.thirdPartyDetails", "expected a list of objects, found an object", false},
		{"yes/no as a string",
			`{"dataAccessAndStorage":{"appStoresEUDOutsideAtlassian":"yes"}}`,
			"dataAccessAndStorage.appStoresEUDOutsideAtlassian", `expected true or false, found the string "yes"`, false},
		{"yes/no as a number in the v3 shape",
			`{"commonCloud":{"security":{"isDiskEncryptionSupported":1}}}`,
			"commonCloud.security.isDiskEncryptionSupported", "expected true or false, found the number 1", false},
		{"list as a string",
			`{"dataAccessAndStorage":{"typesOfDataStored":"Issue keys"}}`,
			"dataAccessAndStorage.typesOfDataStored", `expected a list of strings, found the string "Issue keys"`, false},
		{"list holding a number",
			`{"dataResidency":{"countriesWhereEndUserDataStored":["EU",3]}}`,
			"dataResidency.countriesWhereEndUserDataStored", "expected a list of strings, found a list", false},
		{"tri-state as a number",
			`{"privacy":{"gdpr":{"dataController":{"isAppDataController":0}}}}`,
			"privacy.gdpr.dataController.isAppDataController", `expected true, false or "NOT_APPLICABLE", found the number 0`, false},
		{"days as a string",
			`{"dataRetention":{"retentionDurationInDays":{"min":"0","max":30}}}`,
			"dataRetention.retentionDurationInDays.min", `expected a whole number of days, found the string "0"`, false},
		{"days as a fraction",
			`{"dataRetention":{"retentionDurationInDays":{"min":0,"max":30.5}}}`,
			"dataRetention.retentionDurationInDays.max", "expected a whole number of days, found 30.5", false},
		{"days beyond any range",
			`{"dataRetention":{"retentionDurationInDays":{"min":0,"max":99999999999}}}`,
			"dataRetention.retentionDurationInDays.max", "expected a whole number of days", false},
		{"day range that is not an object",
			`{"dataRetention":{"retentionDurationInDays":30}}`,
			"dataRetention.retentionDurationInDays", "expected an object, found the number 30", false},
		{"section that is not an object",
			`{"security":["a"]}`,
			"security", "expected an object, found a list", false},
		{"wrapper that is not an object",
			`{"appTrustInformation":[]}`,
			"appTrustInformation", "expected an object, found a list", false},
		{"text as a boolean",
			`{"security":{"securityContact":true}}`,
			"security.securityContact", "expected a string, found true", false},

		{"not JSON", "{\n  \"security\": {\n    \"securityContact\": 'a@b.c'\n  }\n}",
			"", "the file is not valid JSON: line 3, column 24", true},
		{"truncated JSON", `{"security": {`, "", "the file is not valid JSON: it ends before the JSON value is complete", true},
		{"trailing data", "{\"security\": {}}\n{\"x\": 1}", "", "the file is not valid JSON: line 2, column 1: more data after the end of the JSON value", true},
		{"trailing garbage", `{} x`, "", "the file is not valid JSON: line 1, column 4", true},
		{"invalid UTF-8", "{\"security\": {\"securityContact\": \"caf\xe9\"}}", "", "the file is not valid UTF-8 (first bad byte at offset 37); save it as UTF-8", true},
		{"too large", string(big), "", "the file is 4.0 MB; a payload is at most 4.0 MB", true},
		{"a list", `[{"security": {}}]`, "", "expected a JSON object at the top level, found a list", true},
		{"a string", `"hello"`, "", `found the string "hello"`, true},
		{"null", `null`, "", "found null", true},
		{"an object with no known key", `{"name": "My app", "version": 3}`, "", "the file is not a Privacy & Security payload: none of its keys (name, version) is part of one", true},
		{"empty input", ``, "", "the file is not valid JSON", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ps(t).DecodePayload([]byte(tc.in))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T), want a *DecodeError", err, err)
			}
			if de.Path != tc.path || de.Unreadable != tc.unreadable || !strings.Contains(de.Msg, tc.msg) {
				t.Errorf("got path %q unreadable %v msg %q\nwant path %q unreadable %v msg containing %q",
					de.Path, de.Unreadable, de.Msg, tc.path, tc.unreadable, tc.msg)
			}
			if strings.ContainsAny(de.Error(), "\n\r\x1b") || !utf8.ValidString(de.Error()) {
				t.Errorf("message is not one clean line: %q", de.Error())
			}
		})
	}
}
