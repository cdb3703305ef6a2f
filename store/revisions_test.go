package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func TestSavePointsDiscardAndRevert(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	yes, no := questionnaire.Bool(true), questionnaire.Bool(false)

	// Discard with no save point goes back to empty.
	v, err := s.SaveAnswer(ctx, ref, "stores-eud", yes, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v, err = s.Discard(ctx, ref, v); err != nil {
		t.Fatal(err)
	}
	d := load(t, s, ref)
	if len(d.Answers.Values) != 0 || d.Dirty || d.Version != v {
		t.Fatalf("after discarding to empty: %d answers, dirty %v", len(d.Answers.Values), d.Dirty)
	}

	// Save point 1: stores-eud = yes.
	if v, err = s.SaveAnswer(ctx, ref, "stores-eud", yes, v); err != nil {
		t.Fatal(err)
	}
	if !load(t, s, ref).Dirty {
		t.Error("not dirty after a save with no save point")
	}
	rev1, v, err := s.SavePoint(ctx, ref, "first pass", v)
	if err != nil {
		t.Fatal(err)
	}
	if rev1.Number != 1 || rev1.Kind != EventSavePoint || rev1.Message != "first pass" || rev1.At.IsZero() {
		t.Errorf("SavePoint = %+v", rev1)
	}
	if d := load(t, s, ref); d.Dirty || d.Revision != 1 || d.Version != v {
		t.Errorf("after save point: dirty %v revision %d version %d (want %d)", d.Dirty, d.Revision, d.Version, v)
	}

	// Change and discard: back to save point 1.
	if v, err = s.SaveAnswer(ctx, ref, "stores-eud", no, v); err != nil {
		t.Fatal(err)
	}
	if v, err = s.SaveAnswer(ctx, ref, "processes-eud", yes, v); err != nil {
		t.Fatal(err)
	}
	if !load(t, s, ref).Dirty {
		t.Error("not dirty after changes")
	}
	if v, err = s.Discard(ctx, ref, v); err != nil {
		t.Fatal(err)
	}
	d = load(t, s, ref)
	if got, _ := d.Answers.Get("stores-eud"); d.Dirty || got.Bool == nil || !*got.Bool || len(d.Answers.Values) != 1 {
		t.Errorf("after discard: %v, dirty %v", d.Answers.Values, d.Dirty)
	}
	// Nothing to discard: no write, same version.
	if nv, err := s.Discard(ctx, ref, v); err != nil || nv != v {
		t.Errorf("empty discard: %d, %v; want %d", nv, err, v)
	}

	// Save point 2: stores-eud = no, processes-eud = yes.
	v, _ = s.SaveAnswer(ctx, ref, "stores-eud", no, v)
	v, _ = s.SaveAnswer(ctx, ref, "processes-eud", yes, v)
	if _, v, err = s.SavePoint(ctx, ref, "", v); err != nil {
		t.Fatal(err)
	}
	// An unsaved change, then revert to 1: the change is kept in a save point of its own.
	v, _ = s.SaveAnswer(ctx, ref, "logs-eud", yes, v)
	rev, v, err := s.Revert(ctx, ref, 1, v)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 4 || rev.Kind != EventRevert {
		t.Errorf("Revert = %+v, want save point 4 of kind revert", rev)
	}
	revs, err := s.Revisions(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, r := range revs {
		if r.Number != i+1 {
			t.Errorf("revision %d numbered %d", i+1, r.Number)
		}
		kinds = append(kinds, r.Kind)
	}
	if got := strings.Join(kinds, ","); got != "save point,save point,save point,revert" {
		t.Errorf("revision kinds %s", got)
	}
	d = load(t, s, ref)
	if d.Dirty || d.Revision != 4 || d.Version != v || valuesJSON(t, ps, d.Answers) != valuesJSON(t, ps, answersOf(t, s, ref, 1)) {
		t.Errorf("after revert: dirty %v revision %d, answers %v", d.Dirty, d.Revision, d.Answers.Values)
	}
	if _, ok := answersOf(t, s, ref, 3).Get("logs-eud"); !ok {
		t.Error("the unsaved change before the revert was not kept in save point 3")
	}
	// Nothing destroyed: save point 2 is still there.
	if got, _ := answersOf(t, s, ref, 2).Get("stores-eud"); got.Bool == nil || *got.Bool {
		t.Error("save point 2 changed")
	}
	// The per-question diff in words comes from the catalogue.
	changes := ps.Diff(answersOf(t, s, ref, 2), d.Answers)
	if len(changes) != 2 {
		t.Errorf("diff of save point 2 and the draft: %d changes, want 2", len(changes))
	}

	if _, _, err := s.Revert(ctx, ref, 9, v); !errors.Is(err, ErrNotFound) {
		t.Errorf("revert to a missing save point: %v", err)
	}
	if _, err := s.RevisionAnswers(ctx, ref, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevisionAnswers(0): %v", err)
	}

	hist, err := s.History(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	var hk []string
	for i, e := range hist {
		hk = append(hk, e.Kind)
		if i > 0 && e.At.Before(hist[i-1].At) {
			t.Error("history out of order")
		}
	}
	if got := strings.Join(hk, ","); got != "discard,save point,discard,save point,save point,revert" {
		t.Errorf("history %s", got)
	}
	if !strings.Contains(hist[len(hist)-1].Detail, "reverted to save point 1") {
		t.Errorf("revert detail %q", hist[len(hist)-1].Detail)
	}
}

func load(t *testing.T, s *Store, ref DraftRef) Draft {
	t.Helper()
	d, err := s.Load(ctxb(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func answersOf(t *testing.T, s *Store, ref DraftRef, n int) questionnaire.Answers {
	t.Helper()
	a, err := s.RevisionAnswers(ctxb(), ref, n)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCopy(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	for _, k := range []string{"from", "to", "empty"} {
		if err := s.CreateApp(ctx, App{Key: k, Name: k}); err != nil {
			t.Fatal(err)
		}
	}
	src := sampleAnswers(ps, 7)
	if _, _, err := s.Replace(ctx, psRef("from"), src, EventImport, "", 0); err != nil {
		t.Fatal(err)
	}
	dst := sampleAnswers(ps, 8)
	dst.Extra = map[string]any{"properties": map[string]any{"formStatus": "APPROVED"}}
	if _, _, err := s.Replace(ctx, psRef("to"), dst, EventPull, "", 0); err != nil {
		t.Fatal(err)
	}
	// An unsaved change in the target is kept in a save point before the copy.
	if _, err := s.SaveAnswer(ctx, psRef("to"), "stores-eud", questionnaire.Bool(false), AnyVersion); err != nil {
		t.Fatal(err)
	}
	rev, err := s.Copy(ctx, "from", "to")
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 3 || rev.Kind != EventCopy || !strings.Contains(rev.Message, "from") {
		t.Errorf("Copy = %+v", rev)
	}
	d := load(t, s, psRef("to"))
	want := src.Clone()
	want.Extra = dst.Extra // the target keeps its own server fields
	if valuesJSON(t, ps, d.Answers) != valuesJSON(t, ps, want) {
		t.Error("target answers are not the source's")
	}
	if d.Dirty {
		t.Error("target dirty after copy")
	}
	if got, _ := answersOf(t, s, psRef("to"), 2).Get("stores-eud"); got.Bool == nil || *got.Bool {
		t.Error("the target's unsaved change was not kept")
	}
	if h, _ := s.History(ctx, psRef("from")); len(h) == 0 || h[len(h)-1].Kind != EventCopy {
		t.Errorf("source history %+v lacks the copy", h)
	}

	if _, err := s.Copy(ctx, "from", "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("copy to a missing app: %v", err)
	}
	if _, err := s.Copy(ctx, "missing", "to"); !errors.Is(err, ErrNotFound) {
		t.Errorf("copy from a missing app: %v", err)
	}
	if _, err := s.Copy(ctx, "empty", "to"); err == nil {
		t.Error("copying an app with no answers succeeded")
	}
	if _, err := s.Copy(ctx, "to", "to"); err == nil {
		t.Error("copying an app onto itself succeeded")
	}
	if d2 := load(t, s, psRef("to")); d2.Version != d.Version {
		t.Error("a refused copy changed the target")
	}
}

func TestRecord(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	for _, k := range []string{EventExport, EventSubmit, EventPublish} {
		if err := s.Record(ctx, ref, k, "detail of "+k); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Record(ctx, ref, "bogus", ""); err == nil {
		t.Error("Record accepted an unknown kind")
	}
	h, err := s.History(ctx, ref)
	if err != nil || len(h) != 3 || h[1].Kind != EventSubmit || h[1].Detail != "detail of submit" {
		t.Errorf("History = %+v, %v", h, err)
	}
	if d := load(t, s, ref); d.Version != 0 {
		t.Errorf("Record bumped the version to %d", d.Version)
	}
	if h, err := s.History(ctx, psRef("missing")); !errors.Is(err, ErrNotFound) || h != nil {
		t.Errorf("History of a missing app: %v", err)
	}
}

// TestConflicts checks that every write taking an expected version refuses, and writes
// nothing, when the draft moved on, here through a second Store on the same file (a second
// connection, as another process would have).
func TestConflicts(t *testing.T) {
	s1, path := openTest(t)
	s2 := openAt(t, path)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s1.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	v, err := s1.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(true), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, v, err = s1.SavePoint(ctx, ref, "", v); err != nil {
		t.Fatal(err)
	}
	stale := v
	// Process 2 changes the draft.
	v2, err := s2.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(false), stale)
	if err != nil {
		t.Fatal(err)
	}
	before := valuesJSON(t, ps, load(t, s1, ref).Answers)

	writes := map[string]func() error{
		"SaveAnswer": func() error {
			_, err := s1.SaveAnswer(ctx, ref, "processes-eud", questionnaire.Bool(true), stale)
			return err
		},
		"ClearAnswer": func() error { _, err := s1.ClearAnswer(ctx, ref, "stores-eud", stale); return err },
		"SavePoint":   func() error { _, _, err := s1.SavePoint(ctx, ref, "", stale); return err },
		"Discard":     func() error { _, err := s1.Discard(ctx, ref, stale); return err },
		"Revert":      func() error { _, _, err := s1.Revert(ctx, ref, 1, stale); return err },
		"Replace": func() error {
			_, _, err := s1.Replace(ctx, ref, sampleAnswers(ps, 1), EventImport, "", stale)
			return err
		},
	}
	for name, write := range writes {
		err := write()
		var ce *ConflictError
		if !errors.As(err, &ce) {
			t.Errorf("%s with a stale version: %v, want a *ConflictError", name, err)
			continue
		}
		if ce.Expected != stale || ce.Current != v2 || ce.Ref != ref || ce.ChangedAt.IsZero() {
			t.Errorf("%s: %+v", name, ce)
		}
		if !strings.Contains(ce.Error(), "changed by another pstab") {
			t.Errorf("%s: message %q", name, ce.Error())
		}
	}
	d := load(t, s1, ref)
	if d.Version != v2 || valuesJSON(t, ps, d.Answers) != before || d.Revision != 1 {
		t.Errorf("a refused write changed the draft: version %d (want %d), revision %d", d.Version, v2, d.Revision)
	}
	// After reloading, the write goes through; AnyVersion skips the check.
	if _, err := s1.SaveAnswer(ctx, ref, "processes-eud", questionnaire.Bool(true), d.Version); err != nil {
		t.Errorf("save after reload: %v", err)
	}
	if _, err := s1.SaveAnswer(ctx, ref, "logs-eud", questionnaire.Bool(true), AnyVersion); err != nil {
		t.Errorf("save with AnyVersion: %v", err)
	}
	// A draft not started yet is at version 0; expecting 0 after another started it conflicts.
	if err := s1.CreateApp(ctx, App{Key: "b", Name: "B"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.SaveAnswer(ctx, psRef("b"), "stores-eud", questionnaire.Bool(true), 0); err != nil {
		t.Fatal(err)
	}
	var ce *ConflictError
	if _, err := s1.SaveAnswer(ctx, psRef("b"), "stores-eud", questionnaire.Bool(false), 0); !errors.As(err, &ce) {
		t.Errorf("second first-save: %v, want a conflict", err)
	}
}

// checkProgress compares the progress the app list shows with the progress of the draft as
// loaded, computed from scratch.
func checkProgress(t *testing.T, s *Store, key string) {
	t.Helper()
	ps, _ := catalogues(t)
	d := load(t, s, psRef(key))
	want := ps.Progress(d.Answers)
	apps, err := s.Apps(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if a.Key == key && (a.Answered != want.Answered || a.Total != want.Total) {
			t.Errorf("%s: app list says %d/%d, the draft is %d/%d", key, a.Answered, a.Total, want.Answered, want.Total)
		}
	}
}

// TestProgressAcrossProcesses: progress kept by each save stays right when another
// process changes the draft in between, when a save fails, and when an app is deleted and
// made again.
func TestProgressAcrossProcesses(t *testing.T) {
	s1, path := openTest(t)
	s2 := openAt(t, path)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s1.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	yes, no := questionnaire.Bool(true), questionnaire.Bool(false)
	v, err := s1.SaveAnswer(ctx, ref, "stores-eud", no, AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s1.SaveAnswer(ctx, ref, "processes-eud", no, v); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, s1, "a")
	// Another process shows the follow-up questions by answering yes.
	if _, err := s2.SaveAnswer(ctx, ref, "stores-eud", yes, AnyVersion); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, s1, "a")
	if _, err := s1.SaveAnswer(ctx, ref, "stored-data-types", questionnaire.List("Issue keys"), AnyVersion); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, s1, "a")

	// A save that fails (full disk) leaves nothing behind in s1's memory either.
	var pages int
	s1.db.QueryRow("PRAGMA page_count").Scan(&pages)
	s1.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages))
	big := questionnaire.Text(strings.Repeat("x", 300000))
	if _, err := s1.SaveAnswer(ctx, ref, firstOfKind(t, questionnaire.KindLongText).ID, big, AnyVersion); err == nil {
		t.Fatal("the save did not fail")
	}
	s1.db.Exec("PRAGMA max_page_count = 1073741823")
	if _, err := s2.SaveAnswer(ctx, ref, "stores-eud", no, AnyVersion); err != nil { // same version number s1 tried
		t.Fatal(err)
	}
	if _, err := s1.SaveAnswer(ctx, ref, "logs-eud", yes, AnyVersion); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, s1, "a")

	// Deleted and made again: ids may be reused, versions start over.
	if err := s1.DeleteApp(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s2.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s2.Replace(ctx, ref, sampleAnswers(ps, 1), EventImport, "", AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.SaveAnswer(ctx, ref, "stores-eud", no, AnyVersion); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, s1, "a")
}
