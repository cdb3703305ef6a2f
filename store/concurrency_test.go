package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// Concurrency test sizes: writers processes, each saving saves answers to its own app.
const (
	writers = 8
	saves   = 200
)

// writerChild saves `saves` answers, one per question, to its own app, pausing 0-2 ms
// between saves, and reports how many saves failed and why: "done SAVED BUSY OTHER".
func writerChild() error {
	ctx := context.Background()
	key := os.Getenv("PSTAB_CHILD_APP")
	opts := Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(saves)}, txLock: os.Getenv("PSTAB_CHILD_TXLOCK")}
	busy, other := 0, 0
	count := func(err error) {
		var fe *FileError
		if errors.As(err, &fe) && fe.Problem == ProblemBusy || strings.Contains(err.Error(), "locked") {
			busy++
		} else {
			other++
		}
		fmt.Fprintln(os.Stderr, "save failed:", err)
	}
	// Wait for the parent's word, so that all writers open at the same moment.
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return err
	}
	s, err := Open(ctx, os.Getenv("PSTAB_CHILD_DB"), opts)
	if err != nil {
		count(err)
		say("done 0 %d %d", busy, other)
		return nil
	}
	defer s.Close()
	if err := s.CreateApp(ctx, App{Key: key, Name: key}); err != nil && !errors.Is(err, ErrExists) {
		count(err)
	}
	ref := DraftRef{Subject: key, Questionnaire: "test"}
	rng := rand.New(rand.NewPCG(uint64(len(key)), uint64(key[len(key)-1])))
	var v int64
	saved, n := 0, saves
	if s := os.Getenv("PSTAB_CHILD_SAVES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for i := range n {
		nv, err := s.SaveAnswer(ctx, ref, qid(i), questionnaire.Text(value(i+1, i, 20, 200)), v)
		if err != nil {
			count(err)
		} else {
			v = nv
			saved++
		}
		time.Sleep(time.Duration(rng.IntN(2000)) * time.Microsecond)
	}
	say("done %d %d %d", saved, busy, other)
	return nil
}

// runWriters starts the writer processes at once on one new file and adds up their
// reports.
func runWriters(t *testing.T, path, txLock string) (saved, busy, other int) {
	return runWritersN(t, path, txLock, saves)
}

func runWritersN(t *testing.T, path, txLock string, n int) (saved, busy, other int) {
	t.Helper()
	type report struct {
		line   string
		stderr string
		err    error
	}
	reports := make([]report, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range writers {
		cmd := childCommand("writer", "PSTAB_CHILD_DB="+path, fmt.Sprintf("PSTAB_CHILD_SAVES=%d", n),
			fmt.Sprintf("PSTAB_CHILD_APP=com.example.w%d", w), "PSTAB_CHILD_TXLOCK="+txLock)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fmt.Fprintln(in, "go")
			err := cmd.Wait()
			reports[w] = report{line: strings.TrimSpace(stdout.String()), stderr: stderr.String(), err: err}
		}()
	}
	close(start) // every writer is started: let them all open at once
	wg.Wait()
	for w, r := range reports {
		var s, b, o int
		if _, err := fmt.Sscanf(r.line, "done %d %d %d", &s, &b, &o); r.err != nil || err != nil {
			t.Fatalf("writer %d: %v, said %q, stderr %s", w, r.err, r.line, r.stderr)
		}
		if b+o > 0 {
			t.Logf("writer %d: %d saved, %d lock errors, %d other errors; first: %s", w, s, b, o, firstLine(r.stderr))
		}
		saved, busy, other = saved+s, busy+b, other+o
	}
	return saved, busy, other
}

// TestConcurrentWriters runs alone (not in parallel with the crash tests): on a loaded
// machine a writer could be starved of the lock for longer than the busy timeout, and the
// point here is what pstab does, not what an overloaded box does.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	start := time.Now()
	saved, busy, other := runWriters(t, path, "")
	t.Logf("%d processes x %d saves: %d saved, %d lock errors, %d other errors, in %v",
		writers, saves, saved, busy, other, time.Since(start).Round(time.Millisecond))
	if busy != 0 || other != 0 {
		t.Errorf("%d lock errors and %d other errors reached the writers", busy, other)
	}
	// Every save is in the file, whole.
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(saves)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for w := range writers {
		ref := DraftRef{Subject: fmt.Sprintf("com.example.w%d", w), Questionnaire: "test"}
		d, err := s.Load(ctxb(), ref)
		if err != nil {
			t.Fatal(err)
		}
		missing := 0
		for i := range saves {
			if d.Answers.Values[qid(i)].Text != value(i+1, i, 20, 200) {
				missing++
			}
		}
		if missing != 0 || d.Version != saves {
			t.Errorf("%s: %d of %d saves missing, version %d", ref.Subject, missing, saves, d.Version)
		}
	}
	var ic string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check: %q, %v", ic, err)
	}
}

// TestConcurrentOpens starts 8 pstabs at the same moment on a file that does not exist
// yet, over and over: they race to create it, switch it to WAL, migrate it, and delete
// -wal and -shm as each closes while others are opening. None may see an error.
func TestConcurrentOpens(t *testing.T) {
	rounds := 25
	if testing.Short() {
		rounds = 5
	}
	for r := range rounds {
		path := filepath.Join(t.TempDir(), "pstab.db")
		saved, busy, other := runWritersN(t, path, "", 3)
		if saved != 3*writers || busy != 0 || other != 0 {
			t.Fatalf("round %d: %d of %d saved, %d lock errors, %d other errors", r, saved, 3*writers, busy, other)
		}
	}
}

// TestConcurrentWritersDeferredControl runs the same writers with deferred transactions,
// which read before they write: the upgrade to a write lock then fails at once with
// SQLITE_BUSY whatever the busy timeout. The harness must see those errors, or its zero
// above would mean nothing.
func TestConcurrentWritersDeferredControl(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	saved, busy, other := runWriters(t, path, "deferred")
	t.Logf("deferred: %d saved, %d lock errors, %d other errors", saved, busy, other)
	if busy == 0 {
		t.Errorf("no lock error with deferred transactions: the harness cannot see them")
	}
}

// editorChild is one pstab editing the draft of app "shared", driven by commands on
// stdin: "load", "save EXPECT TEXT", "inc N" (N read-modify-write increments of a counter
// held in q000, retrying on conflict).
func editorChild() error {
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv("PSTAB_CHILD_DB"), Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(3)}})
	if err != nil {
		return err
	}
	defer s.Close()
	ref := DraftRef{Subject: "shared", Questionnaire: "test"}
	say("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.SplitN(in.Text(), " ", 3)
		switch f[0] {
		case "load":
			d, err := s.Load(ctx, ref)
			if err != nil {
				return err
			}
			say("version %d %s", d.Version, d.Answers.Values[qid(0)].Text)
		case "save":
			expect, _ := strconv.ParseInt(f[1], 10, 64)
			v, err := s.SaveAnswer(ctx, ref, qid(0), questionnaire.Text(f[2]), expect)
			var ce *ConflictError
			switch {
			case errors.As(err, &ce):
				say("conflict %d", ce.Current)
			case err != nil:
				return err
			default:
				say("ok %d", v)
			}
		case "inc":
			n, _ := strconv.Atoi(f[1])
			conflicts, rng := 0, rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
			for done := 0; done < n; {
				d, err := s.Load(ctx, ref)
				if err != nil {
					return err
				}
				count, _ := strconv.Atoi(d.Answers.Values[qid(0)].Text)
				time.Sleep(time.Duration(rng.IntN(1000)) * time.Microsecond) // think time widens the race
				_, err = s.SaveAnswer(ctx, ref, qid(0), questionnaire.Text(strconv.Itoa(count+1)), d.Version)
				var ce *ConflictError
				switch {
				case errors.As(err, &ce):
					conflicts++
				case err != nil:
					return err
				default:
					done++
				}
			}
			say("incremented %d %d", n, conflicts)
		}
	}
	return in.Err()
}

// editor is a running editorChild.
type editor struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string
}

func startEditor(t *testing.T, path string) *editor {
	t.Helper()
	cmd := childCommand("editor", "PSTAB_CHILD_DB="+path)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e := &editor{cmd: cmd, in: in, lines: make(chan string, 16)}
	go readLines(bufio.NewReader(out), e.lines)
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	if got := e.next(t); got != "ready" {
		t.Fatalf("editor said %q", got)
	}
	return e
}

func (e *editor) send(t *testing.T, line string) {
	t.Helper()
	if _, err := fmt.Fprintln(e.in, line); err != nil {
		t.Fatal(err)
	}
}

func (e *editor) next(t *testing.T) string {
	t.Helper()
	line, ok := <-e.lines
	if !ok {
		t.Fatal("editor died")
	}
	return line
}

func (e *editor) ask(t *testing.T, line string) string {
	t.Helper()
	e.send(t, line)
	return e.next(t)
}

// TestTwoProcessesOneDraft: two pstab processes edit the same draft; the one that saves
// on a stale version gets a conflict and the other's answer stays.
func TestTwoProcessesOneDraft(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "pstab.db")
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(3)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateApp(ctxb(), App{Key: "shared", Name: "Shared"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	a, b := startEditor(t, path), startEditor(t, path)
	steps := []struct {
		who  *editor
		say  string
		want string
	}{
		{a, "load", "version 0 "},
		{b, "load", "version 0 "},
		{a, "save 0 from A", "ok 1"},
		{b, "save 0 from B", "conflict 1"}, // B saw version 0: refused, nothing written
		{a, "load", "version 1 from A"},
		{b, "load", "version 1 from A"}, // B reloads and sees A's answer
		{b, "save 1 from B", "ok 2"},
		{a, "save 1 from A again", "conflict 2"},
		{a, "load", "version 2 from B"},
	}
	for i, st := range steps {
		if got := st.who.ask(t, st.say); got != st.want {
			t.Fatalf("step %d (%s): %q, want %q", i, st.say, got, st.want)
		}
	}

	// Both increment one counter at once, 100 times each: with read-modify-write on a
	// version, no increment is lost.
	a.send(t, "inc 100")
	b.send(t, "inc 100")
	ra, rb := a.next(t), b.next(t)
	var conflicts int
	for _, r := range []string{ra, rb} {
		var n, c int
		if _, err := fmt.Sscanf(r, "incremented %d %d", &n, &c); err != nil || n != 100 {
			t.Fatalf("editor said %q", r)
		}
		conflicts += c
	}
	if got := a.ask(t, "load"); got != "version 202 200" {
		t.Errorf("after 2 x 100 increments: %q, want version 202 and a count of 200", got)
	}
	t.Logf("200 contended increments, none lost; %d conflicts were refused and retried", conflicts)
}
