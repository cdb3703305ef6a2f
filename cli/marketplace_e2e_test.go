package cli_test

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

const (
	e2eEmail = "partner@example.com"
	e2eToken = "ATATT3xFfGF0-e2e-SECRET-token_value+/="
	e2eApp   = "com.example.e2e"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// pstabBinary builds the real binary once per test process.
func pstabBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pstab-e2e-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pstab")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/pstab/pstab").CombinedOutput()
		if err != nil {
			binErr = err
			binPath = string(out)
		}
	})
	if binErr != nil {
		t.Fatalf("build pstab: %v\n%s", binErr, binPath)
	}
	return binPath
}

// e2eRun is one run of the binary, with everything it printed.
type e2eRun struct {
	code   int
	stdout string
	stderr string
}

type e2eEnv struct {
	t       *testing.T
	bin     string
	dir     string
	env     []string
	outputs []string // every stdout and stderr, for the leak check
}

func newE2E(t *testing.T, fake *fakemarket.Server, token string) *e2eEnv {
	t.Helper()
	dir := t.TempDir()
	return &e2eEnv{t: t, bin: pstabBinary(t), dir: dir, env: []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"PSTAB_DB=" + filepath.Join(dir, "pstab.db"),
		"PSTAB_API_URL=" + fake.URL(),
		"PSTAB_API_V3_URL=" + fake.V3URL(),
		"ATLASSIAN_EMAIL=" + e2eEmail,
		"ATLASSIAN_API_TOKEN=" + token,
		"PSTAB_DEBUG=1",
		"PSTAB_DEBUG_LOG=" + filepath.Join(dir, "debug.log"),
		"NO_COLOR=1",
	}}
}

func (e *e2eEnv) run(stdin string, args ...string) e2eRun {
	e.t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = e.env
	cmd.Dir = e.dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := e2eRun{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run pstab %v: %v", args, err)
	}
	e.outputs = append(e.outputs, r.stdout, r.stderr)
	return r
}

func (e *e2eEnv) must(args ...string) e2eRun {
	e.t.Helper()
	r := e.run("", args...)
	if r.code != 0 {
		e.t.Fatalf("pstab %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func liveListing() map[string]any {
	return map[string]any{
		"dataAccessAndStorage": map[string]any{"appStoresEUDOutsideAtlassian": false, "appProcessEUDOutsideAtlassian": false},
		"logDetails":           map[string]any{"logEndUserData": false},
		"privacy": map[string]any{
			"privacyEnhancingTechniques": map[string]any{"arePrivacyEnhancingTechniquesSupported": false},
			"gdpr": map[string]any{
				"dataController": map[string]any{"isAppDataController": "FALSE"},
				"dataProcessor":  map[string]any{"isAppDataProcessor": "NOT_APPLICABLE"},
				"dataTransfer":   map[string]any{"isEndUserDataTransferredOutsideEEA": false},
			},
		},
		"security": map[string]any{
			"securityContact":            "security@example.com",
			"publicSecurityPoliciesLink": "https://example.com/security",
			"isDiskEncryptionSupported":  true,
		},
		"properties": map[string]any{"formStatus": "APPROVED"},
	}
}

// TestMarketplaceEndToEnd pulls, edits, diffs, pushes and publishes with the real binary
// against a fake Marketplace that enforces auth, paths and body shape.
func TestMarketplaceEndToEnd(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	productID := fake.AddApp(fakemarket.App{Key: e2eApp, Live: liveListing()})
	e := newE2E(t, fake, e2eToken)

	e.must("new", e2eApp, "--name", "E2E App")
	r := e.must("pull", e2eApp)
	if !strings.Contains(r.stderr, "save point 1") {
		t.Fatalf("pull: want a save point, got %q", r.stderr)
	}
	// With credentials set, the live version is read with them.
	for _, req := range fake.Requests() {
		if req.Method == "GET" && strings.Contains(req.Path, "/privacy-and-security") && !req.Auth {
			t.Fatalf("pull read %s without the credentials that are set", req.Path)
		}
	}
	r = e.must("status", e2eApp)
	if !strings.Contains(r.stdout, "formStatus APPROVED") || !strings.Contains(r.stdout, "matches your draft") {
		t.Fatalf("status after pull: %q", r.stdout)
	}

	e.must("set", e2eApp, "requires-pats", "no")
	e.must("set", e2eApp, "security-contact", "psirt@example.com")
	r = e.must("diff", e2eApp, "--remote")
	for _, want := range []string{"security-contact", `Changed from "security@example.com" to "psirt@example.com"`, "requires-pats", `Answered "No"`} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("diff --remote: missing %q in\n%s", want, r.stdout)
		}
	}

	r = e.must("push", e2eApp, "--dry-run")
	if !strings.Contains(r.stderr, "PUT "+fake.URL()+"/rest/2/addons/"+e2eApp+"/privacy-and-security") ||
		!strings.Contains(r.stdout, `"appTrustInformation"`) || !strings.Contains(r.stdout, "psirt@example.com") ||
		strings.Contains(r.stdout, `"properties"`) || !strings.Contains(r.stdout, `"isAppDataController": false`) {
		t.Fatalf("dry run: stderr %q stdout %q", r.stderr, r.stdout)
	}
	if _, ok := fake.Draft(e2eApp); ok {
		t.Fatal("dry run sent a draft")
	}

	r = e.must("push", e2eApp, "--yes")
	draft, ok := fake.Draft(e2eApp)
	if !ok {
		t.Fatalf("push: no draft on the Marketplace; stderr %q", r.stderr)
	}
	if got := draft["security"].(map[string]any)["securityContact"]; got != "psirt@example.com" {
		t.Fatalf("pushed securityContact = %v", got)
	}
	if !strings.Contains(r.stderr, "now matches yours") {
		t.Fatalf("push: %q", r.stderr)
	}

	// v3 without a product id or a vendor id says what to give, and sends nothing.
	r = e.run("", "push", e2eApp, "--api", "v3", "--yes")
	if r.code != 2 || !strings.Contains(r.stderr, "--vendor-id") || !strings.Contains(r.stderr, "--product-id") {
		t.Fatalf("v3 push without ids: exit %d %q", r.code, r.stderr)
	}
	r = e.must("push", e2eApp, "--api", "v3", "--vendor-id", fakemarket.DefaultVendor, "--publish", "--yes")
	if !strings.Contains(r.stderr, "formStatus SUBMITTED") || !strings.Contains(r.stderr, "waiting for Atlassian's review") {
		t.Fatalf("publish: %q", r.stderr)
	}
	// The product id came from the listing, not from app-software, and both ids are
	// remembered: the next v3 command needs neither flag.
	r = e.must("apps", "--json")
	if !strings.Contains(r.stdout, `"productId": "`+productID+`"`) {
		t.Fatalf("the product id remembered is not the listing's %s:\n%s", productID, r.stdout)
	}
	fake.ResetLog()
	e.must("status", e2eApp, "--api", "v3")
	for _, req := range fake.Requests() {
		if strings.Contains(req.Path, "/developer-space/") || strings.Contains(req.Path, "/app-software/") {
			t.Errorf("a remembered product id was looked up again: %s %s", req.Method, req.Path)
		}
	}
	r = e.must("history", e2eApp)
	for _, want := range []string{"pull", "submit", "publish"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("history lacks %q:\n%s", want, r.stdout)
		}
	}
	fake.Approve(e2eApp)
	r = e.must("status", e2eApp, "--api", "v3")
	if !strings.Contains(r.stdout, "APPROVED") || !strings.Contains(r.stdout, "matches your draft") {
		t.Fatalf("status after approval: %q", r.stdout)
	}
	e.must("export", e2eApp, "--format", "payload", "-o", filepath.Join(e.dir, "payload.json"))
	e.must("export", e2eApp, "--format", "bundle", "-o", filepath.Join(e.dir, "bundle.json"))
	e.must("export", e2eApp, "--format", "sheet", "-o", filepath.Join(e.dir, "sheet.txt"))
	e.must("export", e2eApp, "--format", "markdown", "-o", filepath.Join(e.dir, "tab.md"))
	e.checkNoToken(e2eToken)
}

// TestMarketplaceErrorsEndToEnd runs each error kind through the binary: one sentence,
// exit 1, the draft untouched, and no token anywhere.
func TestMarketplaceErrorsEndToEnd(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	fake.AddApp(fakemarket.App{Key: e2eApp, Live: liveListing()})

	good := newE2E(t, fake, e2eToken)
	good.must("new", e2eApp, "--name", "E2E App")
	good.must("pull", e2eApp)

	cases := []struct {
		name  string
		setup func(e *e2eEnv)
		args  []string
		want  string
	}{
		{"wrong token (401)", func(e *e2eEnv) {
			e.env = append(e.env, "ATLASSIAN_API_TOKEN=wrong-"+e2eToken)
		}, []string{"push", e2eApp, "--yes"}, "refused"},
		{"wrong token on pull (401), not missing", func(e *e2eEnv) {
			e.env = append(e.env, "ATLASSIAN_API_TOKEN=wrong-"+e2eToken)
		}, []string{"pull", e2eApp}, "the API token for partner@example.com was refused"},
		{"a 400 with several errors names each question", func(*e2eEnv) {
			fake.Inject(fakemarket.Fault{Method: "PUT", Status: 400, Header: map[string][]string{"Content-Type": {"application/json"}},
				Body: `{"errors":[{"code":"INVALID_EMAIL_FORMAT","path":"/security/securityContact","message":"Invalid email format for securityContact"},` +
					`{"code":"INVALID_URL_FORMAT","path":"/security/publicSecurityPoliciesLink","message":"Invalid URL format for publicSecurityPoliciesLink"},` +
					`{"code":"FIELD_REQUIRED","path":"/security/isDiskEncryptionSupported","message":"Field 'security.isDiskEncryptionSupported' is required"}]}`})
		}, []string{"push", e2eApp, "--yes"}, "with 3 errors:\n  security-contact (Which email address"},
		{"no Manage App permission (403)", func(e *e2eEnv) {
			fake.AddAccount(fakemarket.Account{Email: "viewer@example.com", Token: e2eToken + "-viewer", NoManageApp: true})
			e.env = append(e.env, "ATLASSIAN_EMAIL=viewer@example.com", "ATLASSIAN_API_TOKEN="+e2eToken+"-viewer")
		}, []string{"push", e2eApp, "--yes"}, "Manage App"},
		{"app unknown to the Marketplace (404)", func(e *e2eEnv) {
			e.must("new", "com.example.unlisted", "--name", "Not listed")
		}, []string{"pull", "com.example.unlisted"}, "com.example.unlisted"},
		{"server refuses a field (422)", func(*e2eEnv) {
			fake.Inject(fakemarket.Fault{Method: "PUT", Status: 422,
				Body: `{"code":"VALIDATION_FAILED","message":"Invalid value for field 'security.securityContact'"}`})
		}, []string{"push", e2eApp, "--yes"}, "security.securityContact"},
		{"redirect is not followed", func(*e2eEnv) {
			f := fakemarket.Redirect(307, "")
			f.Method = "PUT"
			fake.Inject(f)
		}, []string{"push", e2eApp, "--yes"}, "redirect"},
		{"server error (500, not retried)", func(*e2eEnv) {
			fake.Inject(fakemarket.Respond(500, "internal error"))
		}, []string{"status", e2eApp}, "500"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t, fake, e2eToken)
			e.dir = good.dir
			e.env = append([]string{}, good.env...)
			if tc.setup != nil {
				tc.setup(e)
			}
			before, _ := os.ReadFile(filepath.Join(good.dir, "pstab.db"))
			r := e.run("", tc.args...)
			t.Logf("pstab %s\n%s", strings.Join(tc.args, " "), r.stderr)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(strings.ToLower(r.stderr), strings.ToLower(tc.want)) {
				t.Fatalf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
				t.Fatalf("stack trace on stderr:\n%s", r.stderr)
			}
			after, _ := os.ReadFile(filepath.Join(good.dir, "pstab.db"))
			if !bytes.Equal(before, after) && tc.args[0] == "push" {
				// A failed push may record nothing in the draft; its answers must be intact.
				r := e.must("diff", e2eApp, "1")
				if !strings.Contains(r.stdout, "No differences") {
					t.Fatalf("a failed push changed the draft:\n%s", r.stdout)
				}
			}
			good.outputs = append(good.outputs, e.outputs...)
		})
	}
	if target := fake.Target(); target != nil {
		if reqs := target.Requests(); len(reqs) > 0 {
			t.Fatalf("the redirect was followed: the target received %d requests (first: %s %s, auth %t)",
				len(reqs), reqs[0].Method, reqs[0].Path, reqs[0].Authorization != "")
		}
	}
	good.checkNoToken(e2eToken)
	good.checkNoToken(e2eToken + "-viewer")
}

// checkNoToken looks for the token, raw, in the Basic form and URL-encoded, in every
// output, the debug log, the database and its WAL, and every export.
func (e *e2eEnv) checkNoToken(token string) {
	e.t.Helper()
	forms := map[string]string{
		"raw":         token,
		"basic":       base64.StdEncoding.EncodeToString([]byte(e2eEmail + ":" + token)),
		"url-encoded": url.QueryEscape(token),
	}
	sources := map[string][]byte{}
	for i, o := range e.outputs {
		sources["output "+string(rune('A'+i%26))+strings.Repeat("'", i/26)] = []byte(o)
	}
	_ = filepath.Walk(e.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil {
			sources[path] = data
		}
		return nil
	})
	if _, ok := sources[filepath.Join(e.dir, "debug.log")]; !ok {
		e.t.Fatal("no debug log was written: the leak check would prove nothing about it")
	}
	if _, ok := sources[filepath.Join(e.dir, "pstab.db")]; !ok {
		e.t.Fatal("no database found for the leak check")
	}
	for name, data := range sources {
		for form, needle := range forms {
			if bytes.Contains(data, []byte(needle)) {
				e.t.Errorf("the token (%s form) occurs in %s", form, name)
			}
		}
	}
}
