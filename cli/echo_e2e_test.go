package cli_test

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// A Marketplace that echoes the credentials in what it serves (properties.updatedBy, a
// listing's answer) gets none of them into the drafts file, its WAL, the debug log, any
// output or any export; the partner is told. On the old main the database held 2 copies
// and an export 3.
func TestEchoedCredentialsAreNeverStoredOrExported(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	basic := base64.StdEncoding.EncodeToString([]byte(e2eEmail + ":" + e2eToken))
	live := liveListing()
	live["properties"] = map[string]any{"formStatus": "APPROVED", "updatedBy": e2eToken, "jiraLinks": []any{"https://jira.example/" + basic}}
	live["security"].(map[string]any)["publicSecurityPoliciesLink"] = "https://example.com/security?t=" + e2eToken
	fake.AddApp(fakemarket.App{Key: e2eApp, Live: live})
	e := newE2E(t, fake, e2eToken)

	e.must("new", e2eApp, "--name", "E2E App")
	r := e.must("pull", e2eApp)
	if !strings.Contains(r.stderr, "held your API token") || !strings.Contains(r.stderr, "properties.updatedBy") {
		t.Errorf("pull did not flag the echoed credentials: %q", r.stderr)
	}
	e.must("status", e2eApp)
	e.run("", "diff", e2eApp, "--remote")
	e.must("history", e2eApp)
	for _, f := range []string{"payload", "bundle", "sheet", "markdown"} {
		e.must("export", e2eApp, "--format", f, "-o", filepath.Join(e.dir, "export."+f))
		e.must("export", e2eApp, "--format", f)
	}
	e.checkNoToken(e2eToken)
}

// Keys a Marketplace serves are names like any other: one holding OSC 52 never reaches
// the terminal through pull, status or diff --remote, whether it is refused or kept.
func TestHostileKeysFromTheMarketplace(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	for i, p := range []string{"\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b[2J\x1b[H", "\u202eevil", "\u009b6n"} {
		key := "com.example.hostile" + string(rune('a'+i))
		live := liveListing()
		live["security"].(map[string]any)[p] = "x"
		live["properties"].(map[string]any)[p] = p
		live[p] = map[string]any{p: p}
		if i%2 == 1 {
			live = map[string]any{p: map[string]any{p: true}} // nothing pstab knows: refused, naming the keys
		}
		fake.AddApp(fakemarket.App{Key: key, Live: live})
		e := newE2E(t, fake, e2eToken)
		e.must("new", key, "--name", "Hostile")
		for _, args := range [][]string{{"pull", key}, {"status", key}, {"diff", key, "--remote"}} {
			r := e.run("", args...)
			for stream, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
				if bad := termsafetest.Unsafe(text); bad != nil {
					t.Errorf("%q: %s: %s is unsafe: %v", p, strings.Join(args, " "), stream, bad)
				}
			}
		}
	}
}
