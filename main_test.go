//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestMain lets a test start this very binary as pstab: with PSTAB_TEST_AS_MAIN set, the
// process is pstab, package initialisation included, which is what the terminal tests are
// about.
func TestMain(m *testing.M) {
	if os.Getenv("PSTAB_TEST_AS_MAIN") == "1" {
		os.Args = append([]string{"pstab"}, strings.Fields(os.Getenv("PSTAB_TEST_ARGS"))...)
		main()
		return
	}
	// As main does: the tests themselves run with CI as it was.
	restoreEnvironment()
	os.Exit(m.Run())
}

// openPty opens a pseudo-terminal pair through /dev/ptmx.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80}); err != nil {
		t.Fatal(err)
	}
	return m, s
}

// runSilent runs pstab with args on a terminal that never answers anything, and returns
// what pstab wrote to it and how long it took.
func runSilent(t *testing.T, env []string, args ...string) (string, time.Duration) {
	t.Helper()
	master, slave := openPty(t)
	defer master.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(env, "PSTAB_TEST_AS_MAIN=1", "PSTAB_TEST_ARGS="+strings.Join(args, " "),
		"TERM=xterm-256color", "HOME="+t.TempDir(), "PSTAB_DB="+t.TempDir()+"/p.db")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	var out bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("pstab %s: %v", strings.Join(args, " "), err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("pstab %s was still running after 30 s on a silent terminal", strings.Join(args, " "))
	}
	took := time.Since(start)
	master.Close()
	wg.Wait()
	return out.String(), took
}

// withoutCI is the test's environment without CI, which would hide the query being tested.
func withoutCI() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "TERM=") {
			env = append(env, kv)
		}
	}
	return env
}

// A command that draws nothing in colour asks the terminal nothing: bubbletea's package
// initialisation used to ask for the background colour on every start and wait up to five
// seconds for a terminal that never answers. The test looks for the question itself, so it
// does not depend on how fast the machine is.
func TestCommandsAskTheTerminalNothing(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"--help"}, {"questions"}} {
		out, took := runSilent(t, withoutCI(), args...)
		t.Logf("pstab %s on a silent terminal: %v", strings.Join(args, " "), took.Round(time.Millisecond))
		if strings.Contains(out, "\x1b]11;?") || strings.Contains(out, "\x1b[6n") {
			t.Errorf("pstab %s asked the terminal a question: %q", strings.Join(args, " "), out[:min(len(out), 200)])
		}
		if args[0] == "--version" && !strings.HasPrefix(strings.TrimSpace(out), "pstab ") {
			t.Errorf("pstab --version wrote %q", out)
		}
	}
}

// CI keeps the value it had: set, set to nothing, or not set.
func TestCIIsGivenBackAsItWas(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"unset", nil, "unset"},
		{"empty", []string{"CI="}, "set:"},
		{"true", []string{"CI=true"}, "set:true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestReportCI$")
			cmd.Env = append(append(withoutCI(), tc.env...), "PSTAB_REPORT_CI=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if got := strings.TrimSpace(string(out)); !strings.Contains(got, "CI="+tc.want+"\n") && !strings.HasPrefix(got, "CI="+tc.want) {
				t.Errorf("CI after start-up: %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReportCI is TestCIIsGivenBackAsItWas's child: it does what main does first and
// prints CI.
func TestReportCI(t *testing.T) {
	if os.Getenv("PSTAB_REPORT_CI") != "1" {
		t.Skip("run by TestCIIsGivenBackAsItWas")
	}
	restoreEnvironment()
	v, ok := os.LookupEnv("CI")
	if ok {
		os.Stdout.WriteString("CI=set:" + v + "\n")
	} else {
		os.Stdout.WriteString("CI=unset\n")
	}
}
