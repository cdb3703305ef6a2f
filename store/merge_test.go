package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// TestMergeAnswerConflictsOnlyOnTheSameQuestion: two pstabs load the draft at one version;
// the other changes and removes answers. A save of a different question goes through and
// names what it merged; a save of a question the other changed (or removed) conflicts,
// naming that question; nothing the other pstab did is undone.
func TestMergeAnswerConflictsOnlyOnTheSameQuestion(t *testing.T) {
	s1, path := openTest(t)
	s2 := openAt(t, path)
	ctx := ctxb()
	if err := s1.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	yes, no := questionnaire.Bool(true), questionnaire.Bool(false)
	v, err := s1.SaveAnswer(ctx, ref, "stores-eud", yes, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v, err = s1.SaveAnswer(ctx, ref, "logs-eud", yes, v); err != nil {
		t.Fatal(err)
	}
	base := v // both pstabs have seen this version

	// The other pstab changes processes-eud, removes logs-eud and makes a save point.
	v2, err := s2.SaveAnswer(ctx, ref, "processes-eud", yes, base)
	if err != nil {
		t.Fatal(err)
	}
	if v2, err = s2.ClearAnswer(ctx, ref, "logs-eud", v2); err != nil {
		t.Fatal(err)
	}
	if _, v2, err = s2.SavePoint(ctx, ref, "theirs", v2); err != nil {
		t.Fatal(err)
	}

	// A different question: merged, and said so.
	got, err := s1.MergeAnswer(ctx, ref, "stores-eud", no, base)
	if err != nil {
		t.Fatalf("save of a question only this pstab changed: %v", err)
	}
	if got.Version != v2+1 || !slices.Equal(got.Merged, []string{"logs-eud", "processes-eud"}) {
		t.Errorf("merged save = %+v, want version %d and [logs-eud processes-eud] merged", got, v2+1)
	}
	d := load(t, s1, ref)
	if a, _ := d.Answers.Get("stores-eud"); a.Bool == nil || *a.Bool {
		t.Error("the merged answer is not saved")
	}
	if a, ok := d.Answers.Get("processes-eud"); !ok || !*a.Bool {
		t.Error("the other pstab's answer was lost by the merge")
	}
	if _, ok := d.Answers.Get("logs-eud"); ok {
		t.Error("the other pstab's removal was undone by the merge")
	}

	// The same question, changed by the other pstab since base: a conflict naming it.
	for name, q := range map[string]string{"changed": "processes-eud", "removed": "logs-eud"} {
		_, err := s1.MergeAnswer(ctx, ref, q, no, base)
		var ce *ConflictError
		if !errors.As(err, &ce) || !slices.Equal(ce.Questions, []string{q}) || ce.Expected != base || ce.Current != got.Version {
			t.Errorf("%s question: %v (%+v), want a conflict naming %s", name, err, ce, q)
			continue
		}
		if !strings.Contains(err.Error(), "the answer to "+q+" in a privacy-security was changed by another pstab") {
			t.Errorf("%s question: message %q", name, err)
		}
	}
	if d2 := load(t, s1, ref); d2.Version != got.Version {
		t.Errorf("a refused save wrote: version %d, want %d", d2.Version, got.Version)
	}

	// On the current version nothing is merged; clearing goes through MergeAnswer too.
	again, err := s1.MergeAnswer(ctx, ref, "processes-eud", questionnaire.Value{}, got.Version)
	if err != nil || len(again.Merged) != 0 || again.Version != got.Version+1 {
		t.Errorf("save on the current version: %+v, %v", again, err)
	}

	// The strict writes still refuse any change, and now say which questions changed.
	_, err = s1.SaveAnswer(ctx, ref, "stores-eud", yes, base)
	var ce *ConflictError
	if !errors.As(err, &ce) || !slices.Contains(ce.Questions, "processes-eud") || !slices.Contains(ce.Questions, "stores-eud") {
		t.Errorf("SaveAnswer on a stale version: %v (%+v)", err, ce)
	}
}

// TestMergeAnswerAcrossProcesses: two processes, one draft, different questions, each
// saving on the version it loaded once: every save lands, none conflicts.
func TestMergeAnswerAcrossProcesses(t *testing.T) {
	_, path := openTest(t)
	s := openAt(t, path)
	ctx := ctxb()
	c := testCatalogue(40)
	ref := DraftRef{Subject: "shared", Questionnaire: "test"}
	open := func() *Store {
		st, err := Open(ctx, path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: c}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	s.Close()
	a, b := open(), open()
	if err := a.CreateApp(ctx, App{Key: "shared", Name: "Shared"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for w, st := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := int64(0)
			for i := w; i < 40; i += 2 {
				got, err := st.MergeAnswer(ctx, ref, qid(i), questionnaire.Text(value(i, i, 5, 10)), v)
				if err != nil {
					errs <- err
					return
				}
				v = got.Version
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a save of a question no one else changed: %v", err)
	}
	d := load(t, a, ref)
	if len(d.Answers.Values) != 40 || d.Version != 40 {
		t.Errorf("%d answers at version %d, want 40 at 40", len(d.Answers.Values), d.Version)
	}
}

// TestWaitIsAnnouncedAndBounded: while another connection holds the write lock, a save
// says after a second that it is waiting, then goes through once the lock is let go.
func TestWaitIsAnnouncedAndBounded(t *testing.T) {
	s, path := openTest(t)
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var heard []string
	s.SetWaiting(func(m string) {
		mu.Lock()
		defer mu.Unlock()
		heard = append(heard, m)
	})
	other, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE apps SET name = name"); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(1500*time.Millisecond, func() { tx.Commit() })
	start := time.Now()
	if _, err := s.SaveAnswer(ctx, psRef("a"), "stores-eud", questionnaire.Bool(true), AnyVersion); err != nil {
		t.Fatalf("save after the other let go: %v", err)
	}
	took := time.Since(start)
	// The lock is not held past this check: the wait below is announced through it too.
	mu.Lock()
	got := slices.Clone(heard)
	mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], "waiting for another pstab to finish with "+path) {
		t.Errorf("heard %q, want one notice naming the file", got)
	}
	if took < time.Second || took > busyTimeout*time.Millisecond {
		t.Errorf("the save took %v, want it to wait for the other (1.5 s), within the busy timeout", took)
	}

	// A wait that outlasts the busy timeout ends with ProblemBusy, not a hang.
	tx2, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback()
	if _, err := tx2.Exec("UPDATE apps SET name = name"); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(ctx, 2*busyTimeout*time.Millisecond)
	defer cancel()
	_, err = s.SaveAnswer(ctx2, psRef("a"), "stores-eud", questionnaire.Bool(false), AnyVersion)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Problem != ProblemBusy {
		t.Errorf("save while another holds the file for good: %v, want ProblemBusy", err)
	}
}

// TestNoticeIsGivenBeforeTheWaitEnds: a notice already on its way when the wait ends is
// given in full before the wait's end returns, so that it is never written beside what
// the caller writes next (the CLI writes both to stderr).
func TestNoticeIsGivenBeforeTheWaitEnds(t *testing.T) {
	s, _ := openTest(t)
	started := make(chan struct{})
	var given atomic.Bool
	s.SetWaiting(func(string) {
		close(started)
		time.Sleep(200 * time.Millisecond)
		given.Store(true)
	})
	stop := s.announce()
	<-started
	stop()
	if !given.Load() {
		t.Error("the wait ended while its notice was still being given")
	}
}
