//go:build unix

package cli_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pstab/pstab/cli"
)

// Only regular files are read: a named pipe used to hold validate forever (the open waits
// for a writer), a device would be read until it ends. Each gets one sentence, at once.
func TestOnlyRegularFilesAreRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "payload.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	cat := filepath.Join(t.TempDir(), "catalogue.yaml")
	if err := syscall.Mkfifo(cat, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		mustSay []string
	}{
		{"validate a named pipe", []string{"validate", fifo}, []string{fifo, "is a named pipe"}},
		{"preview a named pipe", []string{"preview", "--file", fifo, "--plain"}, []string{fifo, "is a named pipe"}},
		{"import a named pipe", []string{"--db", filepath.Join(t.TempDir(), "p.db"), "import", "k", fifo, "--create"}, []string{fifo, "is a named pipe"}},
		{"validate a device", []string{"validate", "/dev/zero"}, []string{"/dev/zero", "is a device"}},
		{"a catalogue that is a named pipe", []string{"--catalogue", cat, "questions"}, []string{cat, "is a named pipe"}},
		{"a catalogue that is a device", []string{"--catalogue", "/dev/zero", "questions"}, []string{"/dev/zero", "is a device"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan result, 1)
			go func() { done <- run(t, "", tc.args...) }()
			select {
			case r := <-done:
				if r.code != cli.ExitUsage {
					t.Errorf("exit %d, want %d; stderr: %s", r.code, cli.ExitUsage, r.err)
				}
				assertOneSentence(t, r.err, tc.mustSay...)
			case <-time.After(10 * time.Second):
				t.Fatalf("pstab %s was still waiting after 10 s", strings.Join(tc.args, " "))
			}
		})
	}
}
