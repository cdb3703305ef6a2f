package questionnaire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

var reviewT0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return reviewT0.Add(time.Duration(min) * time.Minute) }

// say adds a remark and fails the test if it is refused.
func say(t *testing.T, c *Catalogue, r *Review, a Answers, m Remark) Comment {
	t.Helper()
	cm, err := c.Say(r, a, m)
	if err != nil {
		t.Fatalf("Say(%+v): %v", m, err)
	}
	return cm
}

func TestThreadsResolveReopenAndOrder(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"stores-eud": yes})
	var r Review
	say(t, c, &r, a, Remark{Question: "logs-eud", Author: "Ana", Text: "Do you log IPs?", At: at(2)})
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Ana", Text: "Which data?", At: at(1)})
	say(t, c, &r, a, Remark{Author: "Ana", Text: "Overall fine.", At: at(3)})
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Partner", Text: "Issue keys.", Action: ActionResolve, At: at(4)})

	threads := c.Threads(r)
	if len(threads) != 3 || threads[0].Question != "" || threads[1].Question != "stores-eud" || threads[2].Question != "logs-eud" {
		t.Fatalf("threads are not general first, then in catalogue order: %+v", threads)
	}
	if !threads[1].Resolved || threads[1].ResolvedBy != "Partner" || len(threads[1].Comments) != 2 {
		t.Errorf("stores-eud: %+v", threads[1])
	}
	if got := r.OpenThreads(); got != 2 {
		t.Errorf("OpenThreads = %d, want 2", got)
	}
	if got := c.OpenBySection(r); got["logging"] != 1 || got[""] != 1 || got["data"] != 0 {
		t.Errorf("OpenBySection = %v", got)
	}
	// A plain comment on a resolved thread opens it again; so does an explicit reopening.
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Ana", Text: "And account IDs?", At: at(5)})
	if th, _ := r.Thread("stores-eud"); th.Resolved {
		t.Error("a comment after the resolution left the thread resolved")
	}
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Partner", Action: ActionResolve, At: at(6)})
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Ana", Action: ActionReopen, At: at(7)})
	if th, _ := r.Thread("stores-eud"); th.Resolved {
		t.Error("reopen left the thread resolved")
	}
}

func TestSayRefusesWhatDoesNotFit(t *testing.T) {
	c := ps(t)
	a := NewAnswers()
	var r Review
	say(t, c, &r, a, Remark{Question: "logs-eud", Author: "Ana", Text: "Why?", At: at(0)})
	cases := []struct {
		name  string
		m     Remark
		input bool
		want  string
	}{
		{"escape", Remark{Question: "logs-eud", Author: "Ana", Text: "ok\x1b]52;c;aGk=\x07"}, true, "escape character"},
		{"bidi", Remark{Question: "logs-eud", Author: "Ana", Text: "ok \u202e"}, true, "bidirectional"},
		{"empty", Remark{Question: "logs-eud", Author: "Ana", Text: "  "}, true, "empty"},
		{"long", Remark{Question: "logs-eud", Author: "Ana", Text: strings.Repeat("x", MaxCommentLength+1)}, true, "keep it to"},
		{"unknown question", Remark{Question: "no-such", Author: "Ana", Text: "x"}, true, "not a question"},
		{"no author", Remark{Question: "logs-eud", Text: "x"}, true, "--author"},
		{"author with newline", Remark{Question: "logs-eud", Author: "A\nB", Text: "x"}, true, "line break"},
		{"resolve nothing", Remark{Question: "stores-eud", Author: "Ana", Action: ActionResolve}, false, "no comments on stores-eud"},
		{"reopen open", Remark{Question: "logs-eud", Author: "Ana", Action: ActionReopen}, false, "open already"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(r.Comments)
			_, err := c.Say(&r, a, tc.m)
			var re *RemarkError
			if !errors.As(err, &re) || re.Input != tc.input || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (%#v), want a RemarkError (input %v) saying %q", err, re, tc.input, tc.want)
			}
			if len(r.Comments) != before {
				t.Error("a refused remark was added")
			}
		})
	}
	say(t, c, &r, a, Remark{Question: "logs-eud", Author: "Ana", Action: ActionResolve, At: at(1)})
	if _, err := c.Say(&r, a, Remark{Question: "logs-eud", Author: "Ana", Action: ActionResolve}); err == nil || !strings.Contains(err.Error(), "already resolved by Ana") {
		t.Errorf("resolving twice: %v", err)
	}
}

func TestFingerprintsAndStaleDecision(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"stores-eud": yes, "stored-data-types": List("Issue keys")})
	var r Review
	say(t, c, &r, a, Remark{Question: "stored-data-types", Author: "Ana", Text: "Also account IDs?", At: at(0)})
	d, err := c.Decide(&r, a, Approved, "Ana", "", at(1))
	if err != nil {
		t.Fatal(err)
	}
	if d.Stale(c, a) || !c.ReviewState(r, a).Approved {
		t.Fatal("an approval of these very answers is stale")
	}
	// Extra fields (server fields) do not make it stale; an answer does.
	a2 := a.Clone()
	a2.Extra = map[string]any{"properties": map[string]any{"formStatus": "SUBMITTED"}}
	if d.Stale(c, a2) {
		t.Error("a server field made the approval stale")
	}
	a3 := with(a, map[string]Value{"stored-data-types": List("Issue keys", "Account IDs")})
	st := c.ReviewState(r, a3)
	if !d.Stale(c, a3) || st.Approved || !st.Stale {
		t.Errorf("an approval survived a changed answer: %+v", st)
	}
	if s := c.DecisionSummary(r, a3, at(60)); !strings.Contains(s, "stale") {
		t.Errorf("summary does not say stale: %q", s)
	}
	th, _ := r.Thread("stored-data-types")
	if th.ChangedSince(c, a) || !th.ChangedSince(c, a3) {
		t.Error("ChangedSince does not follow the answer the comment saw")
	}
	// The fingerprint does not depend on the order answers were set in.
	b := NewAnswers()
	b.Set("stored-data-types", List("Issue keys"))
	b.Set("stores-eud", yes)
	if c.Fingerprint(a) != c.Fingerprint(b) {
		t.Error("the same answers have two fingerprints")
	}
	if _, err := c.Decide(&r, a, ChangesRequested, "Ana", "", at(2)); err == nil || !strings.Contains(err.Error(), "say what should change") || strings.Contains(err.Error(), "-m") {
		t.Errorf("changes requested without a message: %v", err)
	}
}

func TestMergeIsAUnion(t *testing.T) {
	c := ps(t)
	a := NewAnswers()
	var partner Review
	say(t, c, &partner, a, Remark{Question: "logs-eud", Author: "Ana", Text: "Why?", At: at(0)})
	reviewer := partner.Clone()
	say(t, c, &partner, a, Remark{Question: "logs-eud", Author: "Pat", Text: "Because.", Action: ActionResolve, At: at(2)})
	say(t, c, &reviewer, a, Remark{Author: "Ana", Text: "Looks fine otherwise.", At: at(1)})
	if _, err := c.Decide(&reviewer, a, ChangesRequested, "Ana", "Fix logs", at(1)); err != nil {
		t.Fatal(err)
	}
	added, decided := partner.Merge(reviewer)
	if added != 1 || !decided || len(partner.Comments) != 3 {
		t.Fatalf("merge added %d, decided %v, holds %d", added, decided, len(partner.Comments))
	}
	for i := 1; i < len(partner.Comments); i++ {
		if partner.Comments[i].At.Before(partner.Comments[i-1].At) {
			t.Error("merged comments are not in time order")
		}
	}
	if added, decided := partner.Merge(reviewer); added != 0 || decided {
		t.Error("merging the same copy twice added something")
	}
	// An older decision does not replace a newer one.
	old := Review{Decision: &Decision{Kind: Approved, Reviewer: "Old", At: at(-5)}}
	if _, decided := partner.Merge(old); decided || partner.Decision.Reviewer != "Ana" {
		t.Error("an older decision replaced a newer one")
	}
}

func TestBundleCarriesReview(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"stores-eud": yes, "logs-eud": no})
	var r Review
	say(t, c, &r, a, Remark{Question: "logs-eud", Author: "Ana Müller", Text: "Line one\nline two", At: at(0)})
	say(t, c, &r, a, Remark{Question: "logs-eud", Author: "Pat", Action: ActionResolve, At: at(1)})
	say(t, c, &r, a, Remark{Author: "Ana Müller", Text: "General note", At: at(2)})
	if _, err := c.Decide(&r, a, ChangesRequested, "Ana Müller", "Two things", at(3)); err != nil {
		t.Fatal(err)
	}
	data, err := c.EncodeBundle(Bundle{AppKey: "com.example.app", Answers: a, Review: r})
	if err != nil {
		t.Fatal(err)
	}
	// The file stays readable: threads by question, with their state.
	var probe struct {
		Review struct {
			Verdict struct{ Decision, Reviewer, AnswersFingerprint string }
			General struct{ Comments []json.RawMessage }
			Threads []struct {
				Question string
				Resolved bool
			}
		}
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		t.Fatal(err)
	}
	pr := probe.Review
	if pr.Verdict.Decision != "changes-requested" || pr.Verdict.Reviewer != "Ana Müller" || !strings.HasPrefix(pr.Verdict.AnswersFingerprint, "sha256:") ||
		len(pr.General.Comments) != 1 || len(pr.Threads) != 1 || pr.Threads[0].Question != "logs-eud" || !pr.Threads[0].Resolved {
		t.Errorf("the bundle's review reads %+v", pr)
	}
	out, notes, err := c.DecodeBundle(data)
	if err != nil || len(notes) != 0 {
		t.Fatalf("DecodeBundle: %v %v", err, notes)
	}
	if len(out.Review.Comments) != len(r.Comments) || *out.Review.Decision != *r.Decision {
		t.Fatalf("review came back as %+v", out.Review)
	}
	for i := range r.Comments {
		if !sameComment(out.Review.Comments[i], r.Comments[i]) || out.Review.Comments[i].AnswerSeen != r.Comments[i].AnswerSeen {
			t.Errorf("comment %d: %+v came back as %+v", i, r.Comments[i], out.Review.Comments[i])
		}
	}
	// A bundle written before reviews were carried reads with an empty review, and one with
	// an empty review is written without the key.
	old, err := c.EncodeBundle(Bundle{AppKey: "com.example.app", Answers: a})
	if err != nil || strings.Contains(string(old), `"review"`) {
		t.Fatalf("an empty review is written: %s", old)
	}
	if b, _, err := c.DecodeBundle(old); err != nil || !b.Review.IsEmpty() {
		t.Errorf("an old bundle: %v %+v", err, b.Review)
	}
}

func TestBundleReviewIsUntrusted(t *testing.T) {
	c := ps(t)
	doc := `{"pstabBundle": 1, "questionnaire": "privacy-security", "app": {"key": "k"}, "answers": {},
	  "review": {
	    "general": {"comments": [{"author": "Eve\u001b[2J", "at": "2026-03-10T09:00:00Z", "text": "hi \u001b]52;c;aGk=\u0007 \u202e there \u009b31m"}]},
	    "threads": [{"question": "logs-eud\u001b[31m", "comments": [{"author": "Eve", "at": "2026-03-10T09:01:00Z", "text": "x", "answerFingerprint": "\u001b[31m"}]}],
	    "verdict": {"decision": "approved", "reviewer": "Eve", "at": "2026-03-10T09:02:00Z", "answersFingerprint": "sha256:nothex"}
	  }}`
	b, notes, err := c.DecodeBundle([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) < 3 {
		t.Errorf("the removals are not all named: %q", notes)
	}
	for _, cm := range b.Review.Comments {
		for _, s := range []string{cm.Author, cm.Text, cm.Question, cm.AnswerSeen} {
			if TextProblem(s, true) != "" {
				t.Errorf("hostile text survived decoding: %q", s)
			}
		}
	}
	if b.Review.Decision.Answers != "" || !b.Review.Decision.Stale(c, b.Answers) {
		t.Error("an approval without a readable fingerprint is not stale")
	}
	bad := []struct{ doc, path string }{
		{`{"comments": [{"author": "a", "at": "yesterday", "text": "x"}]}`, "review.general.comments[0].at"},
		{`{"comments": [{"author": "a", "at": "2026-03-10T09:00:00Z", "action": "delete"}]}`, "review.general.comments[0].action"},
	}
	for _, tc := range bad {
		doc := `{"pstabBundle": 1, "questionnaire": "privacy-security", "app": {"key": "k"}, "answers": {}, "review": {"general": ` + tc.doc + `}}`
		_, _, err := c.DecodeBundle([]byte(doc))
		var de *DecodeError
		if !errors.As(err, &de) || de.Path != tc.path {
			t.Errorf("%s: err = %v, want one naming %s", tc.doc, err, tc.path)
		}
	}
	_, _, err = c.DecodeBundle([]byte(`{"pstabBundle": 1, "questionnaire": "privacy-security", "app": {"key": "k"}, "answers": {},
	  "review": {"verdict": {"decision": "maybe", "reviewer": "a", "at": "2026-03-10T09:00:00Z"}}}`))
	if err == nil || !strings.Contains(err.Error(), "review.verdict.decision") {
		t.Errorf("an unknown decision: %v", err)
	}
}

func TestWithReviewKeepsWhatItDoesNotKnow(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{"stores-eud": yes})
	data, err := c.EncodeBundle(Bundle{AppKey: "com.example.app", AppName: "R & D <beta>", Answers: a})
	if err != nil {
		t.Fatal(err)
	}
	// A newer pstab's bundle: an answer to a question this catalogue lacks, and a new key.
	newer := strings.Replace(string(data), `"answers": {`, `"answers": {
    "question-from-2027": true,`, 1)
	newer = strings.Replace(newer, `"pstabBundle": 1,`, `"pstabBundle": 1,
  "signedBy": {"tool": "x"},`, 1)
	var r Review
	say(t, c, &r, a, Remark{Question: "stores-eud", Author: "Ana", Text: "Which <data> & why?", At: at(0)})
	out, err := c.WithReview([]byte(newer), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"question-from-2027": true`, `"signedBy": {`, `"R & D <beta>"`, `"Which <data> & why?"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the rewritten bundle lost %s:\n%s", want, out)
		}
	}
	if strings.Index(string(out), `"signedBy"`) > strings.Index(string(out), `"answers"`) {
		t.Error("the keys were reordered")
	}
	b, _, err := c.DecodeBundle(out)
	if err != nil || len(b.Review.Comments) != 1 {
		t.Fatalf("rewritten bundle: %v, %+v", err, b.Review)
	}
	// Replacing the review again keeps one review key; an empty review removes it.
	again, _ := c.WithReview(out, r)
	if strings.Count(string(again), `"review"`) != 1 || string(again) != string(out) {
		t.Error("rewriting with the same review changed the file")
	}
	if none, _ := c.WithReview(out, Review{}); strings.Contains(string(none), `"review"`) {
		t.Error("an empty review is still written")
	}
	if _, err := c.WithReview([]byte(`{"appTrustInformation": {}}`), r); err == nil {
		t.Error("a payload took a review")
	}
}
