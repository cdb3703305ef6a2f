package cli_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/cli"
	"github.com/pstab/pstab/ui/termsafe/termsafetest"
)

// A 20 KB payload of 9,990 nested lists once imported in 0.21 s and then exported as
// 200 MB; duplicate keys were resolved silently in favour of the last one; a lone
// surrogate became U+FFFD. Every entrance now refuses them with one sentence naming the
// path, before anything is saved.
func TestHostileStructureIsRefusedAtEveryEntrance(t *testing.T) {
	nest := strings.Repeat("[", 9990) + strings.Repeat("]", 9990)
	for _, tc := range []struct {
		name, data string
		mustSay    []string
	}{
		{"9,990 nested lists", `{"appTrustInformation":{"security":{"x":` + nest + `}}}`,
			[]string{"appTrustInformation.security.x[0]", "more than 64 levels deep"}},
		{"a second securityContact", `{"appTrustInformation":{"security":{"securityContact":"a@example.com","securityContact":"b@example.com"}}}`,
			[]string{"appTrustInformation.security", "the key securityContact appears twice"}},
		{"a second appTrustInformation", `{"appTrustInformation":{"security":{}},"appTrustInformation":{"privacy":{}}}`,
			[]string{"the key appTrustInformation appears twice"}},
		{"a lone surrogate", `{"security":{"securityContact":"a\udc00@example.com"}}`,
			[]string{"security.securityContact", `\udc00`, "surrogate"}},
		{"a hostile key in a long list", `{"security":{"x":[0,{"` + "\\u001b]52;c;eA==\\u0007" + `":[` + strings.Repeat("1,", 10_000) + `1]}]}}`,
			[]string{`security.x[1]."\x1b]52;c;eA==\a"[10000]`, "more than 10000 items"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "p.json", []byte(tc.data))
			db := writeFile(t, "keep", nil) + ".db"
			for _, args := range [][]string{
				{"validate", path},
				{"preview", "--file", path, "--plain"},
				{"export", "--file", path, "--format", "payload"},
				{"export", "--file", path, "--format", "bundle"},
				{"--db", db, "import", "com.example.app", path, "--create"},
			} {
				start := time.Now()
				r := run(t, "", args...)
				t.Logf("%s: refused in %v", args[0], time.Since(start).Round(time.Millisecond))
				if r.code != cli.ExitUsage {
					t.Errorf("%v: exit %d, want %d\nstderr: %s", args, r.code, cli.ExitUsage, r.err)
				}
				if r.out != "" {
					t.Errorf("%v: stdout is not empty: %.200q", args, r.out)
				}
				assertOneSentence(t, r.err, tc.mustSay...)
				if bad := termsafetest.Unsafe(r.err); bad != nil {
					t.Errorf("%v: unsafe on the terminal: %v", args, bad)
				}
			}
			if r := run(t, "", "--db", db, "apps", "--json"); strings.Contains(r.out, "com.example.app") {
				t.Errorf("the refused import created the app: %s", r.out)
			}
		})
	}
}
