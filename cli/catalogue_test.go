package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenCatalogueIsSaidByEveryReader: pstab apps reads the app list while the
// catalogues are parsed, yet a catalogue that is refused is said by it, as by every
// other command, in the same sentence with exit 2, and no file changes; with no drafts
// file at all, the list still says there are no apps.
func TestBrokenCatalogueIsSaidByEveryReader(t *testing.T) {
	e := newScript(t)
	e.must("new", "com.example.app", "--name", "Example")
	e.must("set", "com.example.app", "stores-eud", "no")
	bad := filepath.Join(t.TempDir(), "catalogue.yaml")
	if err := os.WriteFile(bad, []byte("id: privacy-security\ntitle: Broken\nsections: nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.env["PSTAB_CATALOGUE"] = bad
	var said []string
	for _, args := range [][]string{
		{"apps"}, {"apps", "--json"}, {"check", "com.example.app"}, {"history", "com.example.app"},
		{"set", "com.example.app", "processes-eud", "no"},
	} {
		r := e.refused(2, args, "The catalogue is refused", bad)
		if r.out != "" {
			t.Errorf("pstab %s printed %q beside the refusal", strings.Join(args, " "), r.out)
		}
		said = append(said, lastLine(r.err))
	}
	for _, s := range said[1:] {
		if s != said[0] {
			t.Errorf("the refusals differ:\n%s", strings.Join(said, ""))
			break
		}
	}
	e.env["PSTAB_DB"] = filepath.Join(t.TempDir(), "none.db")
	if r := e.run("", "apps"); r.code != 0 || !strings.Contains(r.err, "No apps in") {
		t.Errorf("apps with no drafts file and a broken catalogue: exit %d, %q", r.code, r.err)
	}
	delete(e.env, "PSTAB_CATALOGUE")
	e.env["PSTAB_DB"] = e.db
	if r := e.must("apps"); !strings.Contains(r.out, "com.example.app") {
		t.Errorf("apps once the catalogue is back: %q", r.out)
	}
}
