package cli_test

import (
	"strings"
	"testing"
)

// A misspelt command is called one, with the command meant when cobra finds one close, and
// whatever follows it; --accessible is named only where it was asked for.
func TestUnknownCommandIsSaidAsOne(t *testing.T) {
	for _, tc := range []struct {
		args []string
		say  string
	}{
		{[]string{"hsitory", "com.example.app"}, `Unknown command "hsitory"; perhaps pstab history (see pstab --help).`},
		{[]string{"aps"}, `Unknown command "aps"; perhaps pstab apps (see pstab --help).`},
		{[]string{"com.example.app", "extra"}, `Unknown command "com.example.app"; see pstab --help.`},
		{[]string{"com.example.app"}, `pstab --accessible com.example.app`},
		{[]string{"--accessible", "a", "b"}, `pstab --accessible takes one app KEY, not 2 arguments.`},
	} {
		r := run(t, "", tc.args...)
		if r.code != 2 || !strings.Contains(r.err, tc.say) || r.out != "" {
			t.Errorf("pstab %s: exit %d, stderr %q; want exit 2 saying %q", strings.Join(tc.args, " "), r.code, r.err, tc.say)
		}
		assertOneSentence(t, r.err)
	}
}
