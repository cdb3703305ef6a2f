package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// The crash and concurrency tests re-execute this test binary as child processes. The
// child's role is in this environment variable; its settings follow in others.
const childEnv = "PSTAB_STORE_CHILD"

func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		os.Exit(runChild(role))
	}
	code := m.Run()
	cleanupFixtures()
	os.Exit(code)
}

// runChild runs one child role and returns its exit code. A child talks to the parent on
// stdout, one line at a time, written straight to the pipe (os.Stdout is unbuffered).
func runChild(role string) int {
	var err error
	switch role {
	case "crash":
		err = crashChild()
	case "writer":
		err = writerChild()
	case "editor":
		err = editorChild()
	case "alarm":
		err = alarmChild()
	default:
		err = fmt.Errorf("unknown child role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		fmt.Println("error", strings.ReplaceAll(err.Error(), "\n", " "))
		return 1
	}
	return 0
}

// testCatalogue makes an app-level catalogue of n long-text questions q001, q002... for
// the process tests, whose oracles need many independent answers.
func testCatalogue(n int) *questionnaire.Catalogue {
	var b strings.Builder
	b.WriteString("id: test\ntitle: Test questionnaire\nlevel: app\nversion: \"1\"\nsections:\n  - id: all\n    title: All\n    questions:\n")
	for i := range n {
		fmt.Fprintf(&b, "      - id: %s\n        prompt: Question %d\n        help: A question of the process tests.\n        kind: longtext\n        view: default\n", qid(i), i)
	}
	c, err := questionnaire.Load("test.yaml", []byte(b.String()))
	if err != nil {
		panic(err)
	}
	return c
}

func qid(i int) string { return fmt.Sprintf("q%03d", i) }

// value is the deterministic answer number seq gives question i: a header the oracle can
// read back, then minLen..maxLen bytes of filler that only this (seq, i) produces.
func value(seq, i, minLen, maxLen int) string {
	r := rand.New(rand.NewPCG(uint64(seq), uint64(i)))
	n := minLen + r.IntN(maxLen-minLen+1)
	var b strings.Builder
	fmt.Fprintf(&b, "seq=%08d q=%03d ", seq, i)
	const letters = "abcdefghijklmnopqrstuvwxyz     "
	for range n {
		b.WriteByte(letters[r.IntN(len(letters))])
	}
	return b.String()
}

// seqOf reads the seq header back from a value.
func seqOf(v string) int {
	var seq, i int
	if _, err := fmt.Sscanf(v, "seq=%08d q=%03d ", &seq, &i); err != nil {
		return -1
	}
	return seq
}

// childCommand re-executes this test binary in a child role. Under -race the child would
// sleep a second before exiting (GORACE atexit_sleep_ms): not worth waiting for.
func childCommand(role string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// say writes one line to the parent.
func say(format string, args ...any) {
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

// readLines forwards the child's complete lines; a last line cut short by the kill is
// dropped, so a half-written ack counts as no ack.
func readLines(r *bufio.Reader, out chan<- string) {
	defer close(out)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		out <- strings.TrimSuffix(line, "\n")
	}
}
