package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// reviewApp makes an app with a few answers and a save point, and returns its draft.
func reviewApp(t *testing.T, s *Store, key string) DraftRef {
	t.Helper()
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: key, Name: key}); err != nil {
		t.Fatal(err)
	}
	ref := psRef(key)
	for id, v := range map[string]questionnaire.Value{"stores-eud": questionnaire.Bool(true), "logs-eud": questionnaire.Bool(false)} {
		if _, err := s.SaveAnswer(ctx, ref, id, v, AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.SavePoint(ctx, ref, "first", AnyVersion); err != nil {
		t.Fatal(err)
	}
	return ref
}

func mustSay(t *testing.T, s *Store, ref DraftRef, m questionnaire.Remark) questionnaire.Comment {
	t.Helper()
	c, err := s.Say(ctxb(), ref, m)
	if err != nil {
		t.Fatalf("Say(%+v): %v", m, err)
	}
	return c
}

func TestReviewIsKeptWithTheDraft(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ref := reviewApp(t, s, "com.example.rev")
	before, _ := s.Load(ctx, ref)

	first := mustSay(t, s, ref, questionnaire.Remark{Question: "logs-eud", Author: "Ana", Text: "Really no logs?"})
	mustSay(t, s, ref, questionnaire.Remark{Question: "logs-eud", Author: "Pat", Text: "None with EUD."})
	mustSay(t, s, ref, questionnaire.Remark{Question: "logs-eud", Author: "Pat", Action: questionnaire.ActionResolve})
	mustSay(t, s, ref, questionnaire.Remark{Author: "Ana", Text: "Otherwise fine."})

	if first.AnswerSeen == "" {
		t.Error("the comment does not record the answer it saw")
	}
	after, _ := s.Load(ctx, ref)
	if after.Version != before.Version || after.Dirty {
		t.Errorf("comments changed the draft: version %d -> %d, dirty %v", before.Version, after.Version, after.Dirty)
	}
	r, err := s.Review(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	cat := s.Catalogues().PrivacySecurity
	threads := cat.Threads(r)
	if len(r.Comments) != 4 || len(threads) != 2 || !threads[1].Resolved || threads[0].Resolved {
		t.Fatalf("review read back as %+v", threads)
	}
	events, _ := s.History(ctx, ref)
	kinds := map[string]int{}
	for _, e := range events {
		kinds[e.Kind]++
		if e.Kind == EventComment && strings.Contains(e.Detail, "Really") && !strings.HasPrefix(e.Detail, "Ana on logs-eud") {
			t.Errorf("comment event reads %q", e.Detail)
		}
	}
	if kinds[EventComment] != 2 || kinds[EventReply] != 1 || kinds[EventResolve] != 1 {
		t.Errorf("history kinds %v", kinds)
	}

	// A refused remark writes nothing and says why.
	_, err = s.Say(ctx, ref, questionnaire.Remark{Question: "logs-eud", Author: "Eve", Text: "hi\x1b[2J"})
	var re *questionnaire.RemarkError
	if !errors.As(err, &re) || !re.Input {
		t.Errorf("hostile comment: %v", err)
	}
	if r2, _ := s.Review(ctx, ref); len(r2.Comments) != 4 {
		t.Error("a refused comment was stored")
	}
}

func TestReviewSurvivesRevertDiscardAndReplace(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ref := reviewApp(t, s, "com.example.rev")
	mustSay(t, s, ref, questionnaire.Remark{Question: "stores-eud", Author: "Ana", Text: "Which data?"})
	// Change an answer, discard it; change it, save, revert to save point 1; import.
	if _, err := s.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(false), AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Discard(ctx, ref, AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(false), AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SavePoint(ctx, ref, "second", AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Revert(ctx, ref, 1, AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Replace(ctx, ref, questionnaire.NewAnswers(), EventImport, "", AnyVersion); err != nil {
		t.Fatal(err)
	}
	r, err := s.Review(ctx, ref)
	if err != nil || len(r.Comments) != 1 || r.Comments[0].Text != "Which data?" {
		t.Fatalf("after discard, revert and import the conversation is %+v, %v", r, err)
	}
	// It goes with its app.
	if err := s.DeleteApp(ctx, "com.example.rev"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow("SELECT (SELECT count(*) FROM review_comments) + (SELECT count(*) FROM review_decisions)").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d review rows outlived their app (%v)", n, err)
	}
}

func TestMergeReviewBringsOnlyWhatIsNew(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ref := reviewApp(t, s, "com.example.rev")
	cat := s.Catalogues().PrivacySecurity
	d, _ := s.Load(ctx, ref)

	// The reviewer's file: two comments and changes requested.
	var file questionnaire.Review
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for i, q := range []string{"stores-eud", "logs-eud"} {
		if _, err := cat.Say(&file, d.Answers, questionnaire.Remark{Question: q, Author: "Ana", Text: "Why " + q + "?", At: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cat.Decide(&file, d.Answers, questionnaire.ChangesRequested, "Ana", "Two questions", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	added, decided, err := s.MergeReview(ctx, ref, file, "from review.json")
	if err != nil || added != 2 || !decided {
		t.Fatalf("first merge: %d, %v, %v", added, decided, err)
	}
	added, decided, err = s.MergeReview(ctx, ref, file, "from review.json")
	if err != nil || added != 0 || decided {
		t.Fatalf("merging the same file again: %d, %v, %v", added, decided, err)
	}
	after, _ := s.Load(ctx, ref)
	if after.Version != d.Version || len(cat.Diff(after.Answers, d.Answers)) != 0 {
		t.Error("bringing in a review changed the answers")
	}
	r, _ := s.Review(ctx, ref)
	if r.Decision == nil || r.Decision.Kind != questionnaire.ChangesRequested || r.OpenThreads() != 2 {
		t.Fatalf("review after merge: %+v", r)
	}
	events, _ := s.History(ctx, ref)
	last := events[len(events)-1]
	if last.Kind != EventRequestChanges || !strings.Contains(last.Detail, "changes requested by Ana: Two questions (from review.json)") {
		t.Errorf("last event %+v", last)
	}

	// Copying the comments to another app is possible; the decision was for this app.
	if err := s.CreateApp(ctx, App{Key: "com.example.lite", Name: "Lite"}); err != nil {
		t.Fatal(err)
	}
	n, err := s.CopyReview(ctx, "com.example.rev", "com.example.lite")
	if err != nil || n != 2 {
		t.Fatalf("CopyReview: %d, %v", n, err)
	}
	if lr, _ := s.Review(ctx, psRef("com.example.lite")); len(lr.Comments) != 2 || lr.Decision != nil {
		t.Errorf("copied review: %+v", lr)
	}
}

func TestReviewTablesArriveByMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	// Made as the first pstab made it, with raw SQL: this pstab's statements need the
	// newest schema.
	old := v1DB(t, path)
	for _, q := range []string{
		`INSERT INTO apps (key, name, created_at, updated_at) VALUES ('com.example.old', 'Old', 1, 1)`,
		`INSERT INTO drafts (id, subject, questionnaire, version, revision, created_at, updated_at) VALUES (1, 'com.example.old', 'privacy-security', 1, 0, 1, 1)`,
		`INSERT INTO answers (draft_id, question, value, saved_at) VALUES (1, 'stores-eud', 'true', 1)`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	s, err := openWith(t, path, migrations())
	if err != nil {
		t.Fatal(err)
	}
	mustSay(t, s, psRef("com.example.old"), questionnaire.Remark{Question: "stores-eud", Author: "Ana", Text: "ok"})
	d, _ := s.Load(ctxb(), psRef("com.example.old"))
	if _, ok := d.Answers.Get("stores-eud"); !ok {
		t.Error("the upgrade lost an answer")
	}
}

func TestReviewSummaries(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	a := reviewApp(t, s, "com.example.a")
	b := reviewApp(t, s, "com.example.b")
	reviewApp(t, s, "com.example.quiet")
	mustSay(t, s, a, questionnaire.Remark{Question: "logs-eud", Author: "Ana", Text: "1"})
	mustSay(t, s, a, questionnaire.Remark{Question: "stores-eud", Author: "Ana", Text: "2"})
	mustSay(t, s, a, questionnaire.Remark{Author: "Ana", Text: "3"})
	mustSay(t, s, a, questionnaire.Remark{Question: "stores-eud", Author: "Pat", Action: questionnaire.ActionResolve})
	mustSay(t, s, b, questionnaire.Remark{Question: "logs-eud", Author: "Ana", Text: "1"})
	mustSay(t, s, b, questionnaire.Remark{Question: "logs-eud", Author: "Pat", Action: questionnaire.ActionResolve})
	cat := s.Catalogues().PrivacySecurity
	d, _ := s.Load(ctx, b)
	var r questionnaire.Review
	if _, err := cat.Decide(&r, d.Answers, questionnaire.Approved, "Ana", "", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MergeReview(ctx, b, r, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReviewSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got["com.example.a"] != (ReviewSummary{Open: 2}) || got["com.example.b"] != (ReviewSummary{Decision: questionnaire.Approved}) {
		t.Errorf("summaries %+v", got)
	}
	if _, ok := got["com.example.quiet"]; ok {
		t.Error("an app nobody reviewed has a summary")
	}
	// The summary agrees with the review itself.
	ra, _ := s.Review(ctx, a)
	if ra.OpenThreads() != got["com.example.a"].Open {
		t.Errorf("Review says %d open, the summary %d", ra.OpenThreads(), got["com.example.a"].Open)
	}
}
