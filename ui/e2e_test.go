package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The end-to-end test drives the real pstab binary in a real terminal (tmux): create an
// app, answer the first section revealing and then hiding a follow-up, kill pstab with
// SIGKILL, start it again on the same question with every answer in place, find the
// answers in the preview, and quit with ctrl+c (exit 130). It polls the screen for what it
// expects; nothing waits a fixed time.

// e2eDeadline is how long one expected screen may take to appear: generous, for a loaded
// CI machine and the race detector.
const e2eDeadline = 20 * time.Second

// tmuxTerm is one private tmux server with one session, running pstab on a drafts file.
type tmuxTerm struct {
	t      *testing.T
	socket string
	dir    string // temp folder: drafts file, pid and exit files
	bin    string
	env    []string
	last   string // the last screen captured, printed on failure
	runs   int

	width, height int // the terminal's size (100×30 unless set)
}

func TestEndToEndUnderTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test needs it (.ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	start := time.Now()
	tt := newTmuxTerm(t)

	// One app already exists, so that pstab opens on home and the new one is made with n.
	tt.cli("new", "com.example.other", "--name", "Other app")

	// Create an app through the TUI.
	tt.start()
	tt.waitFor("Your apps", "Other app")
	tt.keys("n")
	tt.waitFor("New app", "App key")
	tt.text("com.example.e2e")
	tt.keys("Enter")
	tt.waitFor("┃ App name") // huh moves focus in a command: keys sent before it land in the key
	tt.text("E2E Cloud")
	tt.keys("Enter")
	tt.waitFor("1. Data access and storage", "E2E Cloud", "┃ Does your app store End-User Data")

	// Yes reveals the follow-up at once; give it an answer.
	follow := "Which types of End-User Data does your app store"
	tt.keys("y")
	tt.waitFor(follow, "› Yes")
	tt.keys("Tab")
	tt.waitFor("esc stop adding")
	tt.text("Email addresses")
	tt.keys("Enter")
	tt.waitFor("1. Email addresses")
	tt.keys("Escape") // alone: a key sent right after Escape would read as alt+key
	tt.waitFor("a add")

	// Back to the question; No hides the follow-up again.
	tt.keys("BTab")
	tt.waitFor("┃ Does your app store End-User Data", "› Yes")
	tt.keys("n")
	tt.waitFor("› No")
	tt.waitGone(follow)
	tt.keys("Tab")
	tt.waitFor("┃ Does your app process End-User Data", "› Not answered")
	tt.keys("n")
	// The draft shows both answers and the header says the last one is saved.
	tt.waitUntil("the second answer saved", func(s string) bool {
		return strings.Contains(s, "2 of 2 answered") && strings.Contains(s, "saved ") && !strings.Contains(s, "saving")
	})

	// SIGKILL: no chance to save anything more.
	tt.kill(syscall.SIGKILL)
	if code := tt.exitCode(); code != 128+int(syscall.SIGKILL) {
		t.Fatalf("pstab exited %d after SIGKILL, want %d", code, 128+int(syscall.SIGKILL))
	}

	// Every answer is in the drafts file, the hidden follow-up's included.
	var payload struct {
		Info struct {
			DataAccess map[string]any `json:"dataAccessAndStorage"`
		} `json:"appTrustInformation"`
	}
	if err := json.Unmarshal(tt.cli("export", "com.example.e2e", "--format", "payload"), &payload); err != nil {
		t.Fatalf("export --format payload: %v", err)
	}
	for _, k := range []string{"appStoresEUDOutsideAtlassian", "appProcessEUDOutsideAtlassian"} {
		if v, ok := payload.Info.DataAccess[k]; !ok || v != false {
			t.Errorf("the payload has %s = %v (present %v), want false:\n%v", k, v, ok, payload.Info.DataAccess)
		}
	}
	if bundle := tt.cli("export", "com.example.e2e", "--format", "bundle"); !bytes.Contains(bundle, []byte("Email addresses")) {
		t.Errorf("the hidden follow-up's answer is not in the bundle:\n%s", bundle)
	}

	// Start again: the app is first on home (changed last); it opens on the question the
	// partner was on, every answer in place.
	tt.start()
	tt.waitFor("Your apps", "› E2E Cloud")
	tt.keys("Enter")
	tt.waitFor("1. Data access and storage", "2 of 2 answered", "┃ Does your app process End-User Data", "› No")
	screen := tt.screen()
	if !strings.Contains(screen, "→ No") {
		t.Errorf("the first question's answer is not shown:\n%s", screen)
	}
	if strings.Contains(screen, follow) {
		t.Errorf("the hidden follow-up is shown after the restart:\n%s", screen)
	}

	// The preview shows the answers.
	tt.keys("p")
	tt.waitFor("Default view", "E2E Cloud", "Does your app store End-User Data", "Does your app process End-User Data")
	if got := answerAfter(tt.screen(), "Does your app store End-User Data"); got != "No" {
		t.Errorf("the preview's answer to the first question is %q, want No:\n%s", got, tt.last)
	}
	if got := answerAfter(tt.screen(), "Does your app process End-User Data"); got != "No" {
		t.Errorf("the preview's answer to the second question is %q, want No:\n%s", got, tt.last)
	}

	// ctrl+c quits with exit code 130.
	tt.keys("C-c")
	if code := tt.exitCode(); code != 130 {
		t.Fatalf("pstab exited %d after ctrl+c, want 130:\n%s", code, tt.screen())
	}
	t.Logf("end-to-end run took %v", time.Since(start).Round(time.Millisecond))
}

// answerAfter returns the first non-empty line after the paragraph that starts with prompt,
// in a preview: the answer under a question.
func answerAfter(screen, prompt string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.Contains(l, prompt) {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != "" { // the rest of the prompt
			j++
		}
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) {
			return strings.TrimSpace(lines[j])
		}
	}
	return ""
}

func newTmuxTerm(t *testing.T) *tmuxTerm {
	t.Helper()
	return newTmuxTermWith(t, buildPstab(t))
}

// buildPstab builds the real binary into the test's temp folder.
func buildPstab(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pstab")
	build := exec.Command("go", "build", "-o", bin, "github.com/pstab/pstab")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// newTmuxTermWith is a private tmux server running bin on a drafts file of its own.
func newTmuxTermWith(t *testing.T, bin string) *tmuxTerm {
	t.Helper()
	dir := t.TempDir()
	tt := &tmuxTerm{
		t: t, dir: dir, bin: bin, width: 100, height: 30,
		socket: fmt.Sprintf("pstab-e2e-%d-%d", os.Getpid(), rand.IntN(1<<30)),
		env: []string{
			"PSTAB_DB=" + filepath.Join(dir, "pstab.db"),
			"TERM=xterm-256color",
			"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
			"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
			"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		},
	}
	t.Cleanup(func() {
		if t.Failed() && tt.last != "" {
			t.Logf("last screen:\n%s", tt.last)
		}
		// kill-server leaves the socket file behind: remove it too.
		socket, _ := exec.Command("tmux", "-L", tt.socket, "display-message", "-p", "#{socket_path}").Output()
		_ = exec.Command("tmux", "-L", tt.socket, "kill-server").Run()
		if p := strings.TrimSpace(string(socket)); strings.Contains(p, tt.socket) {
			_ = os.Remove(p)
		}
	})
	return tt
}

// cli runs a pstab command (not the TUI) on the same drafts file and returns its output.
func (tt *tmuxTerm) cli(args ...string) []byte {
	tt.t.Helper()
	cmd := exec.Command(tt.bin, args...)
	cmd.Env = append(os.Environ(), tt.env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tt.t.Fatalf("pstab %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// start runs pstab in a fresh tmux session of the terminal's size (100×30 unless set).
// The shell records pstab's pid (exec keeps it) and, when it ends, its exit code; then it
// waits so the last screen stays.
func (tt *tmuxTerm) start(args ...string) {
	tt.t.Helper()
	tt.run(strings.Join(append([]string{"exec", tt.bin}, args...), " "))
}

// startArgs runs pstab with args in a fresh tmux session of width × height, which stays
// the terminal's size for the runs after it.
func (tt *tmuxTerm) startArgs(width, height int, args ...string) {
	tt.t.Helper()
	for _, a := range args {
		if strings.ContainsAny(a, "'\"$` \\") {
			tt.t.Fatalf("argument %q needs quoting the test does not do", a)
		}
	}
	tt.width, tt.height = width, height
	tt.start(args...)
}

// run runs a shell command line in a fresh tmux session, as start runs pstab: for a pipe
// into pstab, say. The pid recorded is the shell's.
func (tt *tmuxTerm) run(command string) {
	tt.t.Helper()
	tt.runs++
	pidFile, exitFile := tt.file("pid"), tt.file("exit")
	var env strings.Builder
	for _, e := range tt.env {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(&env, "%s=%s ", k, shellQuote(v))
	}
	if strings.ContainsAny(tt.dir, "'\"$` \\") {
		tt.t.Skipf("the temp folder %q needs quoting the test does not do", tt.dir)
	}
	script := fmt.Sprintf("%ssh -c 'echo $$ > %s; %s'; echo $? > %s; sleep 600",
		env.String(), pidFile, command, exitFile)
	session := "run" + strconv.Itoa(tt.runs)
	// No status line: the pane is the whole terminal.
	out, err := exec.Command("tmux", "-L", tt.socket, "-f", "/dev/null", "new-session", "-d",
		"-s", session, "-x", strconv.Itoa(tt.width), "-y", strconv.Itoa(tt.height), script, ";", "set-option", "-t", session, "status", "off").CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	if tt.runs > 1 {
		// After the new session exists: killing the server's only session ends the server,
		// and a new-session racing with that fails.
		_ = exec.Command("tmux", "-L", tt.socket, "kill-session", "-t", "run"+strconv.Itoa(tt.runs-1)).Run()
	}
}

func (tt *tmuxTerm) file(name string) string {
	return filepath.Join(tt.dir, fmt.Sprintf("%s.%d", name, tt.runs))
}

func (tt *tmuxTerm) target() string { return "run" + strconv.Itoa(tt.runs) }

// keys sends tmux key names (Enter, Tab, BTab, Escape, C-c) or single characters.
func (tt *tmuxTerm) keys(keys ...string) {
	tt.t.Helper()
	args := append([]string{"-L", tt.socket, "send-keys", "-t", tt.target()}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tt.t.Fatalf("tmux send-keys %v: %v\n%s", keys, err, out)
	}
}

// text types s literally.
func (tt *tmuxTerm) text(s string) {
	tt.t.Helper()
	if out, err := exec.Command("tmux", "-L", tt.socket, "send-keys", "-t", tt.target(), "-l", s).CombinedOutput(); err != nil {
		tt.t.Fatalf("tmux send-keys -l %q: %v\n%s", s, err, out)
	}
}

// screen captures the pane as plain text.
func (tt *tmuxTerm) screen() string {
	tt.t.Helper()
	out, err := exec.Command("tmux", "-L", tt.socket, "capture-pane", "-p", "-t", tt.target()).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux capture-pane: %v\n%s", err, out)
	}
	tt.last = string(out)
	return tt.last
}

// waitUntil polls the screen until ok holds, or fails after e2eDeadline.
func (tt *tmuxTerm) waitUntil(what string, ok func(screen string) bool) {
	tt.t.Helper()
	deadline := time.Now().Add(e2eDeadline)
	for {
		if ok(tt.screen()) {
			return
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("waited %v for %s; the screen is:\n%s", e2eDeadline, what, tt.last)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitFor waits until the screen shows every one of the texts.
func (tt *tmuxTerm) waitFor(texts ...string) {
	tt.t.Helper()
	tt.waitUntil(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// waitGone waits until the screen no longer shows text.
func (tt *tmuxTerm) waitGone(text string) {
	tt.t.Helper()
	tt.waitUntil(fmt.Sprintf("%q to go", text), func(s string) bool { return !strings.Contains(s, text) })
}

// kill sends sig to pstab itself (not the shell around it).
func (tt *tmuxTerm) kill(sig syscall.Signal) {
	tt.t.Helper()
	data, err := os.ReadFile(tt.file("pid"))
	if err != nil {
		tt.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		tt.t.Fatal(err)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		tt.t.Fatalf("kill %d: %v", pid, err)
	}
}

// exitCode waits for pstab to end and returns its exit code.
func (tt *tmuxTerm) exitCode() int {
	tt.t.Helper()
	deadline := time.Now().Add(e2eDeadline)
	for {
		if data, err := os.ReadFile(tt.file("exit")); err == nil && bytes.HasSuffix(data, []byte("\n")) {
			code, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				tt.t.Fatalf("exit file %q: %v", data, err)
			}
			return code
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("pstab did not end within %v; the screen is:\n%s", e2eDeadline, tt.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
