package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

var (
	crashSeed   = flag.Uint64("crash.seed", 0, "seed of the crash test's kill moments (0: from the clock)")
	crashCycles = flag.Int("crash.cycles", 0, "kill cycles per crash test (0: 300 for the tests that time opens, 100 for the others; 50 with -short)")
)

// crashQuestions is the number of questions the crash child rotates over, and the size of
// one import in the batch variant.
const crashQuestions = 50

var crashRef = DraftRef{Subject: "crash.app", Questionnaire: "test"}

// crashChild opens the drafts file with the production Open and saves until it is
// killed, printing "ack SEQ" only after each save has returned: save SEQ sets the draft to
// version SEQ. Modes: "single" saves one answer per transaction; "batch" imports all 50
// answers in one Replace; "cli" saves one answer per open, save and close, as pstab set
// does, so that kills land in closes too (a close checkpoints and removes -wal and -shm);
// "early" acknowledges just before COMMIT, a deliberate bug the oracle must catch.
func crashChild() error {
	ctx := context.Background()
	mode := os.Getenv("PSTAB_CHILD_MODE")
	// The open meets whatever the last kill left: a -wal, a -shm mid-update, a hot journal.
	open := func() (*Store, time.Duration, error) {
		started := time.Now()
		s, err := Open(ctx, os.Getenv("PSTAB_CHILD_DB"), Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(crashQuestions)}})
		return s, time.Since(started), err
	}
	s, opened, err := open()
	if err != nil {
		return err
	}
	// What the test proves is what pstab runs: check the settings took.
	for name, want := range map[string]string{"journal_mode": "wal", "busy_timeout": "5000", "synchronous": "2"} {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil || got != want {
			return fmt.Errorf("PRAGMA %s = %q (%v), want %s", name, got, err, want)
		}
	}
	if err := s.CreateApp(ctx, App{Key: crashRef.Subject, Name: "Crash"}); err != nil && !errors.Is(err, ErrExists) {
		return err
	}
	d, err := s.Load(ctx, crashRef)
	if err != nil {
		return err
	}
	v := d.Version
	say("ready %d %d", v, opened)
	var seq int64
	if mode == "early" {
		s.beforeCommit = func() { say("ack %d", seq) }
	}
	for seq = v + 1; ; seq++ {
		var nv int64
		if mode == "batch" {
			a := questionnaire.NewAnswers()
			for i := range crashQuestions {
				a.Set(qid(i), questionnaire.Text(value(int(seq), i, 20, 200)))
			}
			_, nv, err = s.Replace(ctx, crashRef, a, EventImport, fmt.Sprintf("batch %d", seq), v)
		} else {
			i := int(seq) % crashQuestions
			nv, err = s.SaveAnswer(ctx, crashRef, qid(i), questionnaire.Text(value(int(seq), i, 50, 2050)), v)
		}
		if err != nil {
			return err
		}
		if mode == "cli" {
			if err := s.Close(); err != nil {
				return err
			}
			if s, opened, err = open(); err != nil {
				return err
			}
			say("opened %d", opened)
		}
		if nv != seq {
			return fmt.Errorf("save %d gave version %d", seq, nv)
		}
		v = nv
		if mode != "early" {
			say("ack %d", seq)
		}
	}
}

// crashStats adds up what the crash test saw.
type crashStats struct {
	cycles, duringOpen, acked, lost, torn, unacked, version int
	// slowestOpen is the longest Open a child reported, right after the kill before it;
	// slowestReady the longest from its start to its ready line, as the parent saw it.
	slowestOpen, slowestReady time.Duration
	problems                  []string
}

func (c *crashStats) problem(format string, args ...any) {
	if len(c.problems) < 20 {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

func TestCrashSingleSaves(t *testing.T) {
	st := runCrash(t, "single")
	if st.lost != 0 || st.torn != 0 || len(st.problems) != 0 {
		t.Errorf("%d acknowledged saves lost, %d torn: %s", st.lost, st.torn, strings.Join(st.problems, "; "))
	}
	promptOpens(t, st)
}

// TestCrashOpenSaveClose kills processes that open, save and close over and over, as a run
// of pstab set does: kills then land in closes and opens too. What a kill in a close
// leaves (a -wal of 32 bytes, a -shm whose header no longer matches it) froze the next
// open for 30 s (three tries of SQLite's ten-second retry loop) when it was read through
// a -shm it could not rebuild.
func TestCrashOpenSaveClose(t *testing.T) {
	st := runCrash(t, "cli")
	if st.lost != 0 || st.torn != 0 || len(st.problems) != 0 {
		t.Errorf("%d acknowledged saves lost, %d torn: %s", st.lost, st.torn, strings.Join(st.problems, "; "))
	}
	promptOpens(t, st)
}

func TestCrashImports(t *testing.T) {
	st := runCrash(t, "batch")
	if st.lost != 0 || st.torn != 0 || len(st.problems) != 0 {
		t.Errorf("%d acknowledged imports lost, %d torn: %s", st.lost, st.torn, strings.Join(st.problems, "; "))
	}
	promptOpens(t, st)
}

// maxOpenAfterKill is the longest an open right after a kill may take. A healthy one takes
// milliseconds; an open that cannot rebuild the WAL index a kill left half-written sleeps
// in SQLite's retry loop for about ten seconds a try, and pstab used to try three times.
const maxOpenAfterKill = time.Second

// maxOpenAfterKillRace is the bound under the race detector, where the same opens took
// 0.8 to 1.4 s with the two cores shared six ways, and once 10.7 s at a load average of
// 16: the aim cannot be judged there. It still catches the freeze, which is sleeping, not
// working, and does not shrink with load: 30 s on the old open (three tries of ten).
const maxOpenAfterKillRace = 20 * time.Second

// promptOpens fails the test if any open after a kill was slow.
func promptOpens(t *testing.T, st crashStats) {
	t.Helper()
	limit := maxOpenAfterKill
	if raceEnabled {
		limit = maxOpenAfterKillRace
	}
	if st.slowestOpen >= limit {
		t.Errorf("an open right after a kill took %v (aim: under %v over %d cycles; bound here %v)", st.slowestOpen, maxOpenAfterKill, st.cycles, limit)
	}
}

// TestCrashAckBeforeCommitIsCaught runs the same harness on a child that acknowledges
// before COMMIT: the oracle must see acknowledged saves go missing, or it proves nothing.
func TestCrashAckBeforeCommitIsCaught(t *testing.T) {
	st := runCrash(t, "early")
	if st.lost == 0 {
		t.Errorf("the harness did not catch a child that acknowledges before COMMIT (%d acks over %d cycles, none lost)", st.acked, st.cycles)
	}
	if st.torn != 0 {
		t.Errorf("%d torn saves: %s", st.torn, strings.Join(st.problems, "; "))
	}
}

func runCrash(t *testing.T, mode string) crashStats {
	t.Parallel()
	cycles := *crashCycles
	if cycles == 0 {
		// The opens after a kill are timed over 300 cycles (the aim's count) where kills
		// land in opens and closes; the import and the self-test need fewer to prove
		// their point, and all four share two cores under the race detector in CI.
		cycles = 100
		if mode == "single" || mode == "cli" {
			cycles = 300
		}
		if testing.Short() {
			cycles = 50
		}
	}
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with: go test ./store -run '^%s$' -crash.seed=%d -crash.cycles=%d", t.Name(), seed, cycles)
		}
	})
	rng := rand.New(rand.NewPCG(seed, uint64(len(mode))))
	path := filepath.Join(t.TempDir(), "pstab.db")
	scratch := t.TempDir()
	var st crashStats
	start := time.Now()
	for c := 0; c < cycles; c++ {
		acks, ready, err := crashCycle(path, mode, rng, &st)
		if err != nil {
			t.Fatalf("cycle %d: %v", c, err)
		}
		st.cycles++
		if !ready {
			st.duringOpen++
		}
		st.acked += len(acks)
		if err := verifyCrash(path, scratch, mode, acks, &st); err != nil {
			t.Fatalf("cycle %d: verify: %v", c, err)
		}
	}
	// The production Open accepts the file at the end (quick_check included).
	s := openCrashStore(t, path)
	s.Close()
	t.Logf("%s: %d cycles (%d killed before ready) in %v: %d acknowledged, %d lost, %d torn, %d committed but not yet acknowledged when killed, draft at version %d; slowest open after a kill %v (start to ready %v); seed %d",
		mode, st.cycles, st.duringOpen, time.Since(start).Round(time.Millisecond), st.acked, st.lost, st.torn, st.unacked, st.version,
		st.slowestOpen.Round(time.Microsecond), st.slowestReady.Round(time.Microsecond), seed)
	return st
}

func openCrashStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: testCatalogue(crashQuestions)}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// crashCycle runs one child and kills it at one of three kinds of moment, drawn at random:
// 0-8 ms after the start (often inside Open and WAL recovery), 0-40 ms after it is ready,
// or the moment its Nth acknowledgement arrives (N from 1 to 20), which lands in or near
// the next commit. It returns the acknowledged sequence numbers and whether the child got
// ready.
func crashCycle(path, mode string, rng *rand.Rand, st *crashStats) (acks []int, ready bool, err error) {
	cmd := childCommand("crash", "PSTAB_CHILD_DB="+path, "PSTAB_CHILD_MODE="+mode)
	spawned := time.Now()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, false, err
	}
	if err := cmd.Start(); err != nil {
		return nil, false, err
	}
	lines := make(chan string, 256)
	go readLines(bufio.NewReader(out), lines)
	var kill <-chan time.Time
	how, killAt := rng.IntN(5), 0
	switch how {
	case 0:
		kill = time.After(time.Duration(rng.IntN(8000)) * time.Microsecond)
	case 1, 2:
		killAt = 1 + rng.IntN(20)
	}
	killed := false
	var childErr string
	// A child that never gets ready would hang the test; give up on it after a minute.
	hung := time.After(time.Minute)
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				break read
			}
			switch f := strings.Fields(line); {
			case len(f) == 3 && f[0] == "ready":
				ready = true
				st.slowestReady = max(st.slowestReady, time.Since(spawned))
				if ns, err := strconv.ParseInt(f[2], 10, 64); err == nil {
					st.slowestOpen = max(st.slowestOpen, time.Duration(ns))
				}
				if how >= 3 {
					kill = time.After(time.Duration(rng.IntN(40000)) * time.Microsecond)
				}
			case len(f) == 2 && f[0] == "opened":
				if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					st.slowestOpen = max(st.slowestOpen, time.Duration(ns))
				}
			case len(f) == 2 && f[0] == "ack":
				n, _ := strconv.Atoi(f[1])
				acks = append(acks, n)
				if len(acks) == killAt && !killed {
					cmd.Process.Kill()
					killed, kill = true, nil
				}
			case len(f) > 0 && f[0] == "error":
				childErr = line
			}
		case <-kill:
			cmd.Process.Kill()
			killed, kill = true, nil
		case <-hung:
			cmd.Process.Kill()
			childErr = "hung: no ready line within a minute"
		}
	}
	cmd.Wait()
	if !killed {
		return nil, ready, fmt.Errorf("child exited by itself: %s %s", childErr, stderr.String())
	}
	return acks, ready, nil
}

// verifyCrash checks the file after a kill. Save SEQ sets the draft to version SEQ, so the
// version says exactly what the answers must be: every acknowledged save must be at or
// below it (durability), and the answers, progress and save points must be precisely those
// of that version (no save half-written).
//
// It reads a copy made in scratch, so that the next child meets exactly what the kill
// left (a -wal, a -shm mid-update, a hot journal): any reading of the file itself would
// recover it first.
func verifyCrash(path, scratch, mode string, acks []int, st *crashStats) error {
	if info, err := os.Stat(path); err != nil || info.Size() == 0 {
		// Killed before the file was made, or before anything was written to it.
		for _, a := range acks {
			st.lost++
			st.problem("acknowledged save %d lost: there is no database", a)
		}
		return nil
	}
	cp := filepath.Join(scratch, "copy.db")
	for _, side := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(cp + side)
		b, err := os.ReadFile(path + side)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(cp+side, b, 0o600); err != nil {
			return err
		}
	}
	db, err := sql.Open("sqlite", fileURI(cp))
	if err != nil {
		return err
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'drafts'").Scan(&tables); err != nil {
		return err
	}
	var draftID int64
	version, answered, total := 0, 0, 0
	got := map[string]string{}
	if tables == 1 {
		err := db.QueryRow("SELECT id, version, answered, total FROM drafts WHERE subject = ? AND questionnaire = ?",
			crashRef.Subject, crashRef.Questionnaire).Scan(&draftID, &version, &answered, &total)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		raw, err := rawAnswers(ctxb(), db, draftID)
		if err != nil {
			return err
		}
		for id, v := range raw {
			var text string
			if err := json.Unmarshal([]byte(v), &text); err != nil {
				return fmt.Errorf("answer %s is not JSON text: %v", id, err)
			}
			got[id] = text
		}
	}

	maxAck := 0
	for _, a := range acks {
		if a > version {
			st.lost++
			st.problem("acknowledged save %d lost: the draft is at version %d", a, version)
		}
		maxAck = max(maxAck, a)
	}
	if version < st.version && maxAck <= version {
		st.problem("the draft went back from version %d to %d", st.version, version)
	}
	if seen := max(maxAck, st.version); version > seen {
		st.unacked += version - seen
	}
	st.version = version

	want := map[string]string{}
	for i := range crashQuestions {
		if mode == "batch" {
			if version >= 1 {
				want[qid(i)] = value(version, i, 20, 200)
			}
			continue
		}
		if s := version - ((version-i)%crashQuestions+crashQuestions)%crashQuestions; s >= 1 {
			want[qid(i)] = value(s, i, 50, 2050)
		}
	}
	torn := len(got) != len(want)
	for id, w := range want {
		if got[id] != w {
			torn = true
			st.problem("at version %d, %s holds save %d (%d bytes), want save %d", version, id, seqOf(got[id]), len(got[id]), seqOf(w))
			break
		}
	}
	if draftID != 0 && (answered != len(got) || total != crashQuestions) {
		torn = true
		st.problem("progress %d/%d with %d answers stored", answered, total, len(got))
	}
	if mode == "batch" && draftID != 0 {
		var revs, events int
		if err := db.QueryRow("SELECT count(*), coalesce(max(number), 0) = count(*) FROM revisions WHERE draft_id = ?", draftID).Scan(&revs, new(bool)); err != nil {
			return err
		}
		if err := db.QueryRow("SELECT count(*) FROM events WHERE draft_id = ?", draftID).Scan(&events); err != nil {
			return err
		}
		snap, _, err := readState(ctxb(), db, crashRef, draftID, version)
		if err != nil {
			return err
		}
		same := snap.same(stateOf(mustRaw(want), sql.NullString{}, sql.NullString{}))
		if revs != version || events != version || !same {
			torn = true
			st.problem("at version %d: %d save points, %d events, latest save point matches: %v", version, revs, events, same)
		}
	}
	if torn {
		st.torn++
	}
	var qc string
	if err := db.QueryRow("PRAGMA quick_check").Scan(&qc); err != nil || qc != "ok" {
		st.problem("quick_check: %q %v", qc, err)
	}
	return nil
}

// mustRaw encodes texts as the store keeps them, as JSON strings.
func mustRaw(texts map[string]string) map[string]string {
	out := make(map[string]string, len(texts))
	for id, s := range texts {
		b, _ := json.Marshal(s)
		out[id] = string(b)
	}
	return out
}
