package store

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func scanRecord(facts string) ScanRecord {
	return ScanRecord{Source: "manifest.yml in /app", Facts: json.RawMessage(facts)}
}

// TestApplyScanIsOneSavePoint: the answers, their sources and the facts land in one
// transaction with one save point, which also keeps the changes not yet saved.
func TestApplyScanIsOneSavePoint(t *testing.T) {
	s, _ := openTest(t)
	if err := s.CreateApp(ctxb(), App{Key: "com.example.app", Name: "Example"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("com.example.app")
	v, err := s.SaveAnswer(ctxb(), ref, "security-contact", questionnaire.Text("security@example.com"), AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	answers := []ScannedAnswer{
		{Question: "stores-eud", Value: questionnaire.Bool(false), Source: "manifest.yml line 12"},
		{Question: "permissions-justification", Value: questionnaire.Text("- storage:app: keeps notes."), Source: "manifest.yml lines 30 and 31"},
	}
	rev, v2, err := s.ApplyScan(ctxb(), ref, scanRecord(`{"version":1}`), answers, "scan of manifest.yml: 2 answers", v)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 1 || rev.Kind != EventScan || v2 <= v {
		t.Errorf("save point %+v, version %d after %d", rev, v2, v)
	}
	d, err := s.Load(ctxb(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.Dirty || d.Revision != 1 {
		t.Errorf("the save point does not hold the draft: dirty %v, revision %d", d.Dirty, d.Revision)
	}
	saved, err := s.RevisionAnswers(ctxb(), ref, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"stores-eud", "permissions-justification", "security-contact"} {
		if _, ok := saved.Get(id); !ok {
			t.Errorf("save point 1 lacks %s", id)
		}
	}
	rec, ok, err := s.Scan(ctxb(), ref)
	if err != nil || !ok || rec.Source != "manifest.yml in /app" || string(rec.Facts) != `{"version":1}` || rec.At.IsZero() {
		t.Errorf("scan record %+v, %v, %v", rec, ok, err)
	}
	src, err := s.AnswerSources(ctxb(), ref)
	if err != nil || len(src) != 2 || src["stores-eud"].Source != "manifest.yml line 12" {
		t.Fatalf("sources %+v, %v", src, err)
	}

	// An edit makes the answer the partner's; bringing the scanned value back (revert)
	// makes it the scan's again.
	if _, err := s.SaveAnswer(ctxb(), ref, "stores-eud", questionnaire.Bool(true), AnyVersion); err != nil {
		t.Fatal(err)
	}
	if src, _ := s.AnswerSources(ctxb(), ref); len(src) != 1 || src["stores-eud"].Source != "" {
		t.Errorf("after an edit: %+v", src)
	}
	if _, _, err := s.Revert(ctxb(), ref, 1, AnyVersion); err != nil {
		t.Fatal(err)
	}
	if src, _ := s.AnswerSources(ctxb(), ref); len(src) != 2 {
		t.Errorf("after reverting to the scan: %+v", src)
	}

	// A scan that applies nothing keeps its record and makes no save point, nor a new
	// version.
	d, _ = s.Load(ctxb(), ref)
	revs, _ := s.Revisions(ctxb(), ref)
	if _, v3, err := s.ApplyScan(ctxb(), ref, scanRecord(`{"version":1,"notes":["again"]}`), nil, "nothing", d.Version); err != nil || v3 != d.Version {
		t.Errorf("empty scan: version %d (was %d), %v", v3, d.Version, err)
	}
	if again, _ := s.Revisions(ctxb(), ref); len(again) != len(revs) {
		t.Errorf("an empty scan made a save point")
	}
	if rec, _, _ := s.Scan(ctxb(), ref); !strings.Contains(string(rec.Facts), "again") {
		t.Errorf("the new record did not replace the old one: %s", rec.Facts)
	}
}

// TestApplyScanRefusesAndWritesNothing: a conflict, a bad record, a question the
// catalogue lacks, the partner's draft.
func TestApplyScanRefusesAndWritesNothing(t *testing.T) {
	s, _ := openTest(t)
	if err := s.CreateApp(ctxb(), App{Key: "com.example.app", Name: "Example"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("com.example.app")
	v, _ := s.SaveAnswer(ctxb(), ref, "stores-eud", questionnaire.Bool(true), AnyVersion)
	ok := []ScannedAnswer{{Question: "processes-eud", Value: questionnaire.Bool(true), Source: "manifest.yml line 3"}}
	var ce *ConflictError
	if _, _, err := s.ApplyScan(ctxb(), ref, scanRecord(`{}`), ok, "m", v-1); !errors.As(err, &ce) {
		t.Errorf("stale version: %v", err)
	}
	for name, tc := range map[string]struct {
		ref     DraftRef
		rec     ScanRecord
		answers []ScannedAnswer
	}{
		"bad facts":        {ref, scanRecord(`{not json`), ok},
		"unknown question": {ref, scanRecord(`{}`), []ScannedAnswer{{Question: "no-such", Value: questionnaire.Bool(true)}}},
		"empty answer":     {ref, scanRecord(`{}`), []ScannedAnswer{{Question: "processes-eud"}}},
		"partner":          {DraftRef{Subject: PartnerKey, Questionnaire: "self-assessment"}, scanRecord(`{}`), nil},
	} {
		if _, _, err := s.ApplyScan(ctxb(), tc.ref, tc.rec, tc.answers, "m", AnyVersion); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, found, _ := s.Scan(ctxb(), ref); found {
		t.Error("a refused scan kept its record")
	}
	d, _ := s.Load(ctxb(), ref)
	if _, ok := d.Answers.Get("processes-eud"); ok || d.Version != v || d.Revision != 0 {
		t.Errorf("a refused scan wrote: %+v", d)
	}
	// Deleting the app deletes what its scans kept.
	if _, _, err := s.ApplyScan(ctxb(), ref, scanRecord(`{}`), ok, "m", AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteApp(ctxb(), "com.example.app"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow("SELECT (SELECT count(*) FROM scans) + (SELECT count(*) FROM answer_sources)").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d scan rows left after deleting the app (%v)", n, err)
	}
}
