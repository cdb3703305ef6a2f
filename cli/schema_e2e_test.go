package cli_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// forgeListing is a live tab of a Forge app: it neither stores nor processes End-User Data
// outside Atlassian, answers residency and retention, and (left over from before) still
// holds the data types a process answer of Yes once revealed. Tri-states are spelled as
// servers do.
func forgeListing() map[string]any {
	return map[string]any{
		"dataAccessAndStorage": map[string]any{"appStoresEUDOutsideAtlassian": false, "appProcessEUDOutsideAtlassian": false,
			"typesOfDataAccessed": []any{"Issue keys"}},
		"thirdPartyInformation": map[string]any{"isEndUserDataShared": false},
		"logDetails":            map[string]any{"logEndUserData": false},
		"dataResidency":         map[string]any{"isDataResidencySupported": "STORED_IN_ATLASSIAN_N_DR_SUPPORTED", "countriesWhereEndUserDataStored": []any{"EU", "US"}},
		"dataRetention":         map[string]any{"isDataRetentionSupported": true, "retentionDurationInDays": map[string]any{"min": json.Number("0"), "max": json.Number("28")}, "isCustomRetentionPeriodAllowed": false},
		"privacy": map[string]any{
			"privacyEnhancingTechniques": map[string]any{"arePrivacyEnhancingTechniquesSupported": false},
			"gdpr": map[string]any{
				"dataController": map[string]any{"isAppDataController": "FALSE"},
				"dataProcessor":  map[string]any{"isAppDataProcessor": "TRUE", "endUserDataTypes": []any{"Account IDs"}},
				"dataTransfer":   map[string]any{"isEndUserDataTransferredOutsideEEA": false},
			},
			"ccpa":                    map[string]any{"business": map[string]any{"isAppBusiness": "NOT_APPLICABLE"}, "serviceProvider": map[string]any{"isAppServiceProvider": "FALSE"}},
			"dataProcessingAgreement": map[string]any{"isDPASupported": "TRUE", "link": "https://example.com/dpa"},
		},
		"security": map[string]any{
			"securityContact": "security@example.com", "publicSecurityPoliciesLink": "https://example.com/security",
			"isDiskEncryptionSupported": true, "permissionsJustification": "read:jira-work, to show issue keys.",
			"caiq": map[string]any{"isCAIQCompleted": false}, "hasCompliantCertifications": true,
			"compliantCertifications": []any{"SOC2", "ISO27001"}, "requiresUsersToProvidePATs": false,
			"aiDisclosure": map[string]any{"usesAI": false}, // a field pstab does not know
		},
	}
}

// TestPublishedSchemaEndToEnd runs the real binary through a partner's day against a fake
// that enforces the published schema, normalises what it stores and stamps every save.
func TestPublishedSchemaEndToEnd(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	productID := fake.AddApp(fakemarket.App{Key: e2eApp, Live: forgeListing(), PrivacyURL: "https://example.com/privacy", BugBounty: true})
	e := newE2E(t, fake, e2eToken)
	e.must("new", e2eApp, "--name", "Forge App")

	// Pull through v3 with the vendor id: the product id comes from the listing, and so do
	// the privacy policy and the Bug Bounty rows.
	r := e.must("pull", e2eApp, "--api", "v3", "--vendor-id", fakemarket.DefaultVendor)
	for _, want := range []string{"From the app's listing: bug-bounty, privacy-policy", "processed-data-types", "kept but not sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("pull: missing %q in\n%s", want, r.stderr)
		}
	}
	// Nothing the listing answers reads "Response not provided"; residency and retention
	// are shown although the app stores and processes nothing outside Atlassian.
	md := e.must("preview", e2eApp, "--plain").stdout
	for _, want := range []string{"Stored in Atlassian, and the app supports data residency", "0 to 28 days", "SOC2",
		"<https://example.com/privacy>", "From the app's listing", "<https://example.com/dpa>"} {
		if !strings.Contains(md, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	for _, unasked := range []string{"Does your app use any privacy enhancing", "Does your app log End-User Data",
		"Does your app support data residency", "Have you completed a CAIQ Lite"} {
		if i := strings.Index(md, unasked); i >= 0 && strings.HasPrefix(md[i+len(unasked):], "**\n\n*Response not provided") {
			t.Errorf("%q reads Response not provided although the listing answers it", unasked)
		}
	}

	// The data types the live tab still held are hidden by "process" No: they stay in the
	// draft, validate says so, and they do not leave it.
	e.must("set", e2eApp, "security-contact", "psirt@example.com")
	e.must("export", e2eApp, "--format", "bundle", "-o", filepath.Join(e.dir, "bundle.json"))
	r = e.run("", "validate", filepath.Join(e.dir, "bundle.json"))
	if !strings.Contains(r.stdout, "Not sent:") || !strings.Contains(r.stdout, "processed-data-types") {
		t.Errorf("validate does not say what is not sent:\n%s", r.stdout)
	}
	dry := e.must("push", e2eApp, "--api", "v3", "--dry-run")
	if strings.Contains(dry.stdout, "typesOfDataAccessed") || strings.Contains(dry.stdout, "properties") ||
		!strings.Contains(dry.stdout, `"commonCloud"`) || !strings.Contains(dry.stdout, `"aiDisclosure"`) ||
		!strings.Contains(dry.stdout, `"isAppDataProcessor": true`) || !strings.Contains(dry.stderr, productID) {
		t.Fatalf("dry run:\n%s\n%s", dry.stderr, dry.stdout)
	}

	// v3 push and publish land against the normalising server (it stores "TRUE", stamps
	// a new updatedAt): the read-back compares by meaning.
	fake.ResetLog()
	r = e.must("push", e2eApp, "--api", "v3", "--publish", "--yes")
	if !strings.Contains(r.stderr, "now matches yours") || !strings.Contains(r.stderr, "formStatus SUBMITTED") {
		t.Fatalf("v3 push: %s", r.stderr)
	}
	for _, req := range fake.Requests() {
		if req.Method != "PUT" {
			continue
		}
		var body map[string]map[string]any
		if err := json.Unmarshal([]byte(req.Body), &body); err != nil {
			t.Fatalf("PUT body: %v", err)
		}
		var keys []string
		for k := range body["commonCloud"] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"dataAccessAndStorage", "dataResidency", "dataRetention", "logDetails", "privacy", "security", "thirdPartyInformation"}; !slices.Equal(keys, want) {
			t.Errorf("the PUT body holds %v, want exactly the seven groups", keys)
		}
	}
	if d, _ := fake.Draft(e2eApp); d != nil {
		t.Error("publish left a draft")
	}

	// The hidden data types are not on the Marketplace, and are no difference.
	if r := e.must("status", e2eApp, "--api", "v3"); !strings.Contains(r.stdout, "matches your draft") {
		t.Errorf("status after the push:\n%s", r.stdout)
	}

	// v2 push lands too.
	e.must("set", e2eApp, "requires-pats", "no")
	if r := e.must("push", e2eApp, "--yes"); !strings.Contains(r.stderr, "now matches yours") {
		t.Fatalf("v2 push: %s", r.stderr)
	}

	// Atlassian's review rejects it: status says so, with the ticket and what to do.
	fake.Reject(e2eApp, "https://ecosystem.atlassian.net/browse/AMKTHELP-4242")
	r = e.must("status", e2eApp, "--api", "v3")
	for _, want := range []string{"formStatus REJECTED", "AMKTHELP-4242", "last saved by", "pstab push " + e2eApp + " --api v3 --publish"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status after a rejection lacks %q:\n%s", want, r.stdout)
		}
	}
	r = e.must("status", e2eApp, "--api", "v3", "--json")
	var st struct {
		Properties struct {
			FormStatus string   `json:"formStatus"`
			JiraLinks  []string `json:"jiraLinks"`
			NextStep   string   `json:"nextStep"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Properties.FormStatus != "REJECTED" || len(st.Properties.JiraLinks) != 1 || st.Properties.NextStep == "" {
		t.Errorf("status --json: %v %s", err, r.stdout)
	}
	// The rejected version differs from the draft, so pull asks first; --yes answers.
	e.must("pull", e2eApp, "--api", "v3", "--yes")
	if r := e.must("history", e2eApp); !strings.Contains(r.stdout, "formStatus REJECTED") || !strings.Contains(r.stdout, "AMKTHELP-4242") {
		t.Errorf("history after the rejection:\n%s", r.stdout)
	}

	// The app is re-listed: its product id changes; the remembered one gets a 404, is
	// looked up once more through the remembered vendor id, and the partner is told.
	fresh := fake.Relist(e2eApp)
	r = e.must("push", e2eApp, "--api", "v3", "--yes")
	if !strings.Contains(r.stderr, "404") || !strings.Contains(r.stderr, fresh) || !strings.Contains(r.stderr, "now matches yours") {
		t.Fatalf("push after a re-listing: %s", r.stderr)
	}
	if r := e.must("apps", "--json"); !strings.Contains(r.stdout, fresh) {
		t.Errorf("the new product id is not remembered:\n%s", r.stdout)
	}

	// The published schema's GET wrapper (common) reads as well as commonCloud.
	fake.UseCommonWrapper(true)
	if r := e.must("status", e2eApp, "--api", "v3"); !strings.Contains(r.stdout, "formStatus") {
		t.Errorf("status with the common wrapper: %s", r.stdout)
	}
	// Without credentials anywhere, the live version is read anonymously.
	anon := newE2E(t, fake, e2eToken)
	anon.env = append(anon.env, "ATLASSIAN_API_TOKEN=", "ATLASSIAN_EMAIL=")
	anon.must("new", e2eApp, "--name", "Forge App")
	fake.ResetLog()
	anon.must("pull", e2eApp)
	for _, req := range fake.Requests() {
		if req.Auth {
			t.Errorf("an anonymous pull sent credentials: %s %s", req.Method, req.Path)
		}
	}
	e.checkNoToken(e2eToken)
}
