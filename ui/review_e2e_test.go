package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setEnv replaces (or adds) one variable of the environment pstab runs with.
func (tt *tmuxTerm) setEnv(key, value string) {
	for i, e := range tt.env {
		if strings.HasPrefix(e, key+"=") {
			tt.env[i] = key + "=" + value
			return
		}
	}
	tt.env = append(tt.env, key+"="+value)
}

// TestReviewRoundTripUnderTmux is the review loop in the TUI, at 80x24, with the real
// binary: the reviewer comments twice and asks for changes in pstab review; the partner
// sees the comments in the wizard, changes an answer, replies and resolves; the reviewer
// opens the new bundle with --since, steps to the change (shown beside its comment),
// resolves and approves; the partner's checklist shows the approval. The reviewer has no
// drafts database, and none is made.
func TestReviewRoundTripUnderTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := os.Stat("/usr/bin/tmux"); err != nil {
		if _, err := os.Stat("/usr/local/bin/tmux"); err != nil {
			t.Skip("tmux is not installed: the end-to-end test needs it (.ci/run installs it)")
		}
	}
	tt := newTmuxTerm(t)
	partnerDB := filepath.Join(tt.dir, "pstab.db")
	reviewerData := filepath.Join(tt.dir, "reviewer")
	r1, seen, r2 := filepath.Join(tt.dir, "r1.json"), filepath.Join(tt.dir, "seen.json"), filepath.Join(tt.dir, "r2.json")
	asPartner := func() {
		tt.setEnv("PSTAB_DB", partnerDB)
		tt.setEnv("PSTAB_AUTHOR", "Pat")
		tt.setEnv("XDG_DATA_HOME", filepath.Join(tt.dir, "data"))
	}
	asReviewer := func() {
		tt.setEnv("PSTAB_DB", filepath.Join(reviewerData, "pstab.db"))
		tt.setEnv("PSTAB_AUTHOR", "Ana")
		tt.setEnv("XDG_DATA_HOME", reviewerData)
	}

	// Partner: a draft, sent for review.
	asPartner()
	tt.cli("new", "com.example.rev", "--name", "Reports")
	tt.cli("set", "com.example.rev", "stores-eud", "yes")
	tt.cli("set", "com.example.rev", "stored-data-types", "Issue keys")
	tt.cli("set", "com.example.rev", "logs-eud", "no")
	tt.cli("export", "com.example.rev", "--format", "bundle", "-o", r1)
	copyFile(t, r1, seen)

	// Reviewer, in pstab review: two comments and changes requested, each written at once.
	asReviewer()
	tt.startArgs(80, 24, "review", r1)
	tt.waitFor("comments go to r1.json", "c comment", "A approve")
	tt.keys("x")
	tt.waitFor("answers cannot be changed here")
	tt.keys("c")
	tt.waitFor("Comment on stores-eud:")
	tt.text("Which data exactly?")
	tt.keys("Enter")
	tt.waitFor("Commented on stores-eud.", "» 1 comment, open")
	tt.keys("PageDown")
	tt.waitFor("2. Logging")
	tt.keys("c")
	tt.waitFor("Comment on logs-eud:")
	tt.text("Really no logs with EUD?")
	tt.keys("Enter")
	tt.waitFor("Commented on logs-eud.")
	tt.keys("R")
	tt.waitFor("Ask the partner for changes:")
	tt.text("Two points, see the comments.")
	tt.keys("Enter")
	tt.waitFor("Asked the partner for changes, as Ana.")
	tt.keys("C-c")
	if code := tt.exitCode(); code != 130 {
		t.Errorf("ctrl+c in review: exit %d, want 130", code)
	}
	if got := conversationOf(t, tt, r1); got.Decision == nil || got.Decision.Decision != "changes-requested" || got.OpenThreads != 2 {
		t.Fatalf("r1.json after the review: %+v", got)
	}

	// Partner, in the wizard: the comments beside the questions; change, reply, resolve.
	asPartner()
	tt.cli("import", "com.example.rev", r1)
	tt.startArgs(80, 24)
	tt.waitFor("Reports", "»2 draft")
	tt.keys("Enter")
	tt.waitFor("1. Data access and storage", "» 1 open comment")
	tt.keys("]") // the focus starts on a choice question: ] is a key, not text
	tt.waitFor("2. Logging", "Comments on this question (open):", "Ana: Really no logs with EUD?")
	tt.keys("y")
	tt.waitFor("› Yes")
	tt.keys("c")
	tt.waitFor("Reply on logs-eud:")
	tt.text("We log request IDs: changed to Yes.")
	tt.keys("Enter")
	tt.waitFor("Replied on logs-eud.")
	tt.keys("]")
	tt.waitFor("1. Data access and storage", "┃ Does your app store End-User Data", "Comments on this question (open):\n   Ana: Which data exactly?")
	tt.keys("c") // alone: a letter sent with the text after it would arrive as one burst of text
	tt.waitFor("Reply on stores-eud:")
	tt.text("Issue keys only.")
	tt.waitFor("› Issue keys only.")
	tt.keys("Tab")
	tt.waitFor("Reply on stores-eud, and resolve it:")
	tt.keys("Enter")
	tt.waitFor("Resolved the comments on stores-eud.")
	tt.keys("C-c")
	tt.exitCode()
	tt.cli("export", "com.example.rev", "--format", "bundle", "-o", r2)

	// Reviewer: what changed since, beside its comment; resolve it; approve.
	asReviewer()
	tt.startArgs(80, 24, "review", r2, "--since", seen)
	tt.waitFor("comments go to r2.json", "n/N next change")
	tt.keys("n")
	tt.waitFor("~ changed since", "was “No”", "» 2 comments, open")
	tt.keys("c")
	tt.waitFor("Reply on logs-eud:")
	tt.keys("Tab")
	tt.keys("Enter")
	tt.waitFor("Resolved the comments on logs-eud.")
	tt.keys("A")
	tt.waitFor("Approve these answers as Ana:")
	tt.keys("Enter")
	tt.waitFor("Approved these answers as Ana.")
	tt.keys("C-c")
	tt.exitCode()
	if _, err := os.Stat(reviewerData); err == nil {
		t.Errorf("the reviewer's pstab made %s", reviewerData)
	}

	// Partner: the approval holds for these answers, in the checklist and for push.
	asPartner()
	tt.cli("import", "com.example.rev", r2)
	tt.startArgs(80, 24)
	tt.waitFor("Reports")
	tt.keys("Enter")
	tt.waitFor("1. Data access and storage")
	tt.keys("r")
	tt.waitFor("Review before submitting", "Approved by Ana", "for these answers")
	tt.keys("C-c")
	tt.exitCode()
}

type conversationSummary struct {
	Decision *struct {
		Decision string `json:"decision"`
	} `json:"decision"`
	OpenThreads int `json:"openThreads"`
}

func conversationOf(t *testing.T, tt *tmuxTerm, file string) conversationSummary {
	t.Helper()
	var c conversationSummary
	if err := json.Unmarshal(tt.cli("comments", file, "--json"), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
