package accessible_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/cli"
)

// app is the real command tree on buffers, with its own drafts file.
func app(t *testing.T, db string, in io.Reader, env map[string]string) (*cli.App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &cli.App{
		Version: "test",
		In:      in,
		Out:     &out,
		Err:     &errOut,
		Getenv: func(k string) string {
			if k == "PSTAB_DB" {
				return db
			}
			return env[k]
		},
	}
	return a, &out, &errOut
}

// pstab --accessible KEY and ACCESSIBLE=1 both run the prompter on piped input, and the
// answers land in the same drafts file the other commands read.
func TestCLIRunsThePrompter(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "pstab.db")
	ctx := context.Background()

	a, _, errOut := app(t, db, nil, nil)
	if code := a.Run(ctx, []string{"new", "com.example.app", "--name", "Example"}); code != 0 {
		t.Fatalf("pstab new: exit %d\n%s", code, errOut)
	}
	a, out, errOut := app(t, db, strings.NewReader("yes\n"), nil)
	if code := a.Run(ctx, []string{"--accessible", "com.example.app"}); code != 0 {
		t.Fatalf("pstab --accessible: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Privacy & Security for Example (com.example.app)", "Answer: yes\nSaved. 1 more question now applies.", "Stopped."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("pstab --accessible output lacks %q:\n%s", want, out)
		}
	}
	if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 || bytes.IndexByte(errOut.Bytes(), 0x1b) >= 0 {
		t.Error("the prompter wrote an escape sequence")
	}

	// The end of the input stopped it at the follow-up; the next session starts there.
	a, out, errOut = app(t, db, strings.NewReader("\nno\nquit\n"), map[string]string{"ACCESSIBLE": "1"})
	if code := a.Run(ctx, []string{"com.example.app"}); code != 0 {
		t.Fatalf("ACCESSIBLE=1 pstab com.example.app: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "Starting where you left off.") ||
		!strings.Contains(out.String(), "Item 1: \nLeft unanswered.") ||
		!strings.Contains(out.String(), "Answer: no\nSaved.") {
		t.Errorf("ACCESSIBLE=1 pstab did not resume at the follow-up:\n%s", out)
	}

	// Without either, a pipe is refused rather than drawn on; an argument without
	// --accessible is an unknown command.
	a, _, errOut = app(t, db, strings.NewReader("1\n"), nil)
	if code := a.Run(ctx, nil); code != 2 || !strings.Contains(errOut.String(), "--accessible") {
		t.Errorf("pstab on a pipe: exit %d, %s", code, errOut)
	}
	a, _, errOut = app(t, db, nil, nil)
	if code := a.Run(ctx, []string{"com.example.app"}); code != 2 || !strings.Contains(errOut.String(), "nknown command") {
		t.Errorf("pstab KEY: exit %d, %s", code, errOut)
	}

	a, out, errOut = app(t, db, nil, nil)
	a.Run(ctx, []string{"check", "com.example.app", "--json"})
	if !strings.Contains(out.String(), `"answered": 2`) {
		t.Errorf("pstab check after the prompter (stores-eud and processes-eud answered):\n%s%s", out, errOut)
	}
}

// ctrl+c (a cancelled context) ends the prompter with exit 130, the answers saved.
func TestCLICancelExits130(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "pstab.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, _, errOut := app(t, db, nil, nil)
	if code := a.Run(ctx, []string{"new", "com.example.app", "--name", "Example"}); code != 0 {
		t.Fatalf("pstab new: exit %d\n%s", code, errOut)
	}
	in := &cancelling{lines: []string{"yes"}, cancel: cancel, done: make(chan struct{})}
	t.Cleanup(func() { close(in.done) })
	a, out, errOut := app(t, db, in, nil)
	if code := a.Run(ctx, []string{"--accessible", "com.example.app"}); code != 130 {
		t.Fatalf("exit %d, want 130\n%s\n%s", code, out, errOut)
	}
	if !strings.HasSuffix(out.String(), "Interrupted. Every answer you gave is saved.\n") {
		t.Errorf("output ends:\n%s", out)
	}

	a, out, errOut = app(t, db, strings.NewReader("quit\n"), nil)
	if code := a.Run(context.Background(), []string{"--accessible", "com.example.app"}); code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out.String(), "Starting where you left off.") || !strings.Contains(out.String(), "Item 1: quit") {
		t.Errorf("the next session does not resume at the follow-up:\n%s", out)
	}
}

// cancelling gives its lines, then cancels on the next read and blocks until the test ends.
type cancelling struct {
	lines  []string
	cancel func()
	done   chan struct{}
}

func (r *cancelling) Read(p []byte) (int, error) {
	if len(r.lines) > 0 {
		n := copy(p, r.lines[0]+"\n")
		r.lines = r.lines[1:]
		return n, nil
	}
	r.cancel()
	<-r.done
	return 0, io.EOF
}
