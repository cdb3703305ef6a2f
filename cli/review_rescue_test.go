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

// A comment written into the file beside the review (pstab comment in another terminal)
// survives the review's next write; a file that holds other answers now is not written
// over.
func TestReviewRescueKeepsWhatChangedOnDisk(t *testing.T) {
	a := &App{Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
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
	path := filepath.Join(t.TempDir(), "for-review.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, _, err := cat.DecodeBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	f := &bundleFile{path: path, name: path, data: data, cat: cat, bundle: b}
	rs := &reviewRescue{a: a}
	remark := func(r *questionnaire.Review, who, text string, at int64) {
		t.Helper()
		if _, err := cat.Say(r, answers, questionnaire.Remark{Question: "logs-eud", Author: who, Text: text, At: time.Unix(at, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	var tui questionnaire.Review
	remark(&tui, "Ana", "From the review.", 100)
	if err := rs.save(f, tui); err != nil {
		t.Fatal(err)
	}

	// pstab comment FILE, run meanwhile, writes its comment into the file.
	onDisk, _, err := cat.DecodeBundle(readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	remark(&onDisk.Review, "Ana", "From the command.", 200)
	withCmd, err := cat.WithReview(readFile(t, path), onDisk.Review)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, withCmd, 0o600); err != nil {
		t.Fatal(err)
	}
	remark(&tui, "Ana", "Again from the review.", 300)
	if err := rs.save(f, tui); err != nil {
		t.Fatal(err)
	}
	got, _, err := cat.DecodeBundle(readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := got.Review.Thread("logs-eud"); len(th.Comments) != 3 {
		t.Fatalf("the file holds %d comments, want the review's 2 and the command's 1: %+v", len(th.Comments), th.Comments)
	}

	// The partner's newer bundle copied over the file: the review does not write over it.
	other := questionnaire.NewAnswers()
	other.Set("logs-eud", questionnaire.Bool(true))
	newer, err := cat.EncodeBundle(questionnaire.Bundle{AppKey: "com.example.rep", Answers: other})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, newer, 0o600); err != nil {
		t.Fatal(err)
	}
	remark(&tui, "Ana", "One more.", 400)
	if err := rs.save(f, tui); err == nil || !strings.Contains(err.Error(), "holds other answers now") {
		t.Fatalf("a write over other answers: %v", err)
	}
	if !bytes.Equal(readFile(t, path), newer) {
		t.Error("the review wrote over a bundle with other answers")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
