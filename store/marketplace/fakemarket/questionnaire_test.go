package fakemarket_test

import (
	"encoding/json"
	"testing"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

// What package questionnaire builds for the reference's example passes the fake's shape
// checks, for both API generations: the fake and the questionnaire agree on field types.
func TestQuestionnaireTrustInfoAccepted(t *testing.T) {
	data, err := assets.Read(assets.PrivacySecurity)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := questionnaire.Load(assets.PrivacySecurity, data)
	if err != nil {
		t.Fatal(err)
	}
	example := []byte(`{"appTrustInformation":{
  "dataAccessAndStorage":{"appStoresEUDOutsideAtlassian":true,"typesOfDataStored":["Issue keys"],
    "appProcessEUDOutsideAtlassian":true,"typesOfDataAccessed":["Issue keys"],"isSameDataProcessedAndStored":true},
  "thirdPartyInformation":{"isEndUserDataShared":true,"thirdPartyDetails":[
    {"name":"Cloudflare, Inc.","link":"https://www.cloudflare.com","purpose":"Hosting","thirdPartyCountries":["United States"]}]},
  "logDetails":{"logEndUserData":false,"logProcessAndOrStoreEUDOutsideAtlassian":false,
    "logEUDShareWithThirdParty":false,"logsIntegralForAppFunctionality":false},
  "dataResidency":{"isDataResidencySupported":"APP_DOES_NOT_SUPPORT_DR"},
  "dataRetention":{"isDataRetentionSupported":true,"retentionDurationInDays":{"min":0,"max":30},
    "isCustomRetentionPeriodAllowed":false,"isRetentionDurationIndefinite":false},
  "privacy":{"privacyEnhancingTechniques":{"arePrivacyEnhancingTechniquesSupported":false},
    "gdpr":{"dataController":{"isAppDataController":"FALSE"},
            "dataProcessor":{"isAppDataProcessor":"TRUE","endUserDataTypes":["Issue keys"]},
            "dataTransfer":{"isEndUserDataTransferredOutsideEEA":true,"isTransferComplianceMechanismsAdhered":true}},
    "ccpa":{"business":{"isAppBusiness":"NOT_APPLICABLE"},"serviceProvider":{"isAppServiceProvider":"TRUE","endUserDataTypes":["Issue keys"]}},
    "dataProcessingAgreement":{"isDPASupported":"FALSE"}},
  "security":{"isDiskEncryptionSupported":true,"securityContact":"security@example.com",
    "publicSecurityPoliciesLink":"https://example.com/security","permissionsJustification":"Reads issue keys.",
    "requiresUsersToProvidePATs":false}}}`)
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
