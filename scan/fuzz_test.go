package scan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// FuzzRead feeds any bytes to both readers. Whatever comes in, a scan ends in facts or in
// one *Error naming the file; it never panics, and nothing it would print or keep holds a
// control character.
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"forge-storage-only", "forge-remote", "forge-ai-errors", "forge-legacy", "connect", "connect-template"} {
		for _, name := range []string{ForgeFile, ConnectFile} {
			if data, err := os.ReadFile(filepath.Join("testdata", dir, name)); err == nil {
				f.Add(name == ConnectFile, data)
			}
		}
	}
	f.Add(false, []byte("a: &a [*a]\n"))
	f.Add(true, []byte(`{"baseUrl": "https://x.example.com", "scopes": ["READ\u001b[2J"]}`))
	c := catForFuzz(f)
	f.Fuzz(func(t *testing.T, connect bool, data []byte) {
		name := ForgeFile
		if connect {
			name = ConnectFile
		}
		facts, err := FromBytes(name, data)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || se.File != name {
				t.Fatalf("error %v (%T) is not a *scan.Error for %s", err, err, name)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || questionnaire.TextProblem(msg, false) != "" {
				t.Fatalf("message is not one clean line: %q", msg)
			}
			return
		}
		r := Propose(c, facts)
		clean := func(s string) {
			if questionnaire.TextProblem(s, true) != "" {
				t.Fatalf("unsafe text kept or shown: %q", s)
			}
		}
		for _, e := range allEvidence(facts) {
			clean(e.Entry)
		}
		for _, n := range facts.Notes {
			clean(n)
		}
		for _, p := range r.Proposals {
			clean(p.Reason)
			clean(p.Note)
			clean(p.Value.Text)
			for _, item := range p.Value.List {
				clean(item)
			}
		}
		_ = Findings(c, questionnaire.NewAnswers(), facts)
	})
}
