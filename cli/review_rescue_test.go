package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// A reviewer whose file cannot be written loses nothing: a write finishing out of order
// keeps the newer remarks, and a review that ends with the last write failed leaves the
// whole bundle in a file of its own, named in the error.
func TestReviewRescueKeepsEveryRemark(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var errb bytes.Buffer
	a := &App{Err: &errb, Getenv: func(string) string { return "" }}
	cats, err := a.catalogues()
	if err != nil {
		t.Fatal(err)
	}
	cat := cats.PrivacySecurity
	answers := questionnaire.NewAnswers()
	answers.Set("logs-eud", questionnaire.Bool(false))
	data, err := cat.EncodeBundle(questionnaire.Bundle{AppKey: "com.example.rep", Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(t.TempDir(), "no-such-folder", "for-review.json")
	f := &bundleFile{path: gone, name: gone, data: data, cat: cat}
	rs := &reviewRescue{a: a}

	say := func(r *questionnaire.Review, text string, at time.Time) {
		t.Helper()
		if _, err := cat.Say(r, answers, questionnaire.Remark{Question: "logs-eud", Author: "Ana", Text: text, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	var older questionnaire.Review
	say(&older, "First.", time.Unix(100, 0))
	newer := older.Clone()
	say(&newer, "Second.", time.Unix(200, 0))
	// The newer write runs first and fails; the older one follows. Neither may drop "Second."
	if err := rs.save(f, newer); err == nil {
		t.Fatal("a write into a folder that does not exist succeeded")
	}
	if err := rs.save(f, older); err == nil {
		t.Fatal("a write into a folder that does not exist succeeded")
	}
	err = rs.finish()
	if err == nil {
		t.Fatal("a review whose file was never written ended without an error")
	}
	keeps, _ := filepath.Glob(filepath.Join(os.TempDir(), "pstab-review-for-review-*.json"))
	if len(keeps) != 1 || !strings.Contains(err.Error(), keeps[0]) || !strings.Contains(err.Error(), "copy it over "+gone) {
		t.Fatalf("rescue files %v; error %v", keeps, err)
	}
	kept, err := os.ReadFile(keeps[0])
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := cat.DecodeBundle(kept)
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := b.Review.Thread("logs-eud"); len(th.Comments) != 2 || len(b.Answers.Values) != 1 {
		t.Fatalf("the rescued bundle holds %+v, answers %v", th.Comments, b.Answers.Values)
	}

	// When the file can be written again by the time the review ends, the way out writes
	// the file itself, and says so.
	if err := os.MkdirAll(filepath.Dir(gone), 0o700); err != nil {
		t.Fatal(err)
	}
	rs.failed = os.ErrPermission // the last write in the TUI failed
	if err := rs.finish(); err != nil || !strings.Contains(errb.String(), "Wrote "+gone+" on the way out") {
		t.Fatalf("finish after the folder came back: %v; %s", err, errb.String())
	}
}
