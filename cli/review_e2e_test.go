package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// reviewerEnv is a reviewer's machine: the real binary, an empty home and data folder, and
// no drafts database anywhere. Nothing the reviewer runs may create one.
func reviewerEnv(t *testing.T, name string) *e2eEnv {
	dir := t.TempDir()
	return &e2eEnv{t: t, bin: pstabBinary(t), dir: dir, env: []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"PSTAB_AUTHOR=" + name,
		"NO_COLOR=1",
	}}
}

// handOver copies a file from one person's folder to another's, as a mail would.
func handOver(t *testing.T, from, to *e2eEnv, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(from.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(to.dir, name)
	if err := os.WriteFile(dest, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dest
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// TestReviewRoundTripEndToEnd is the review loop as two people run it with the real
// binary: partner -> reviewer (two comments, changes requested) -> partner (imports,
// replies, resolves one, changes an answer, exports) -> reviewer (diff shows the change
// beside its comment; approves) -> partner (pushes without warnings). The reviewer never
// has a drafts database.
func TestReviewRoundTripEndToEnd(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: e2eEmail, Token: e2eToken})
	fake.AddApp(fakemarket.App{Key: e2eApp, Live: liveListing()})
	partner := newE2E(t, fake, e2eToken)
	partner.env = append(partner.env, "PSTAB_AUTHOR=Pat Partner")
	ana := reviewerEnv(t, "Ana Reviewer")

	// Partner: a draft, sent for review.
	partner.must("new", e2eApp, "--name", "E2E App")
	partner.must("pull", e2eApp)
	partner.must("set", e2eApp, "security-contact", "psirt@example.com")
	partner.must("set", e2eApp, "requires-pats", "no")
	partner.must("export", e2eApp, "--format", "bundle", "-o", "round1.json")
	handOver(t, partner, ana, "round1.json")

	// Reviewer: two comments and changes requested, written into the file.
	ana.must("comment", "round1.json", "security-contact", "Use the team alias, not a person's inbox.")
	ana.must("comment", "round1.json", "requires-pats", "Do admins really never create tokens?")
	ana.must("request-changes", "round1.json", "-m", "Two points, see the comments.")
	r := ana.must("comments", "round1.json", "--open")
	contains(t, "the reviewer's comments", r.stdout, "Ana Reviewer asked for changes", "2 threads open", "security-contact", "requires-pats")
	ana.must("export", "--file", "round1.json", "--format", "bundle", "-o", "last-seen.json")
	handOver(t, ana, partner, "round1.json")

	// Partner: brings the comments in (answers kept), replies, resolves one, changes an
	// answer, and sends the file back.
	r = partner.must("import", e2eApp, "round1.json")
	contains(t, "import of the reviewed bundle", r.stderr, "2 new comments and a decision", "Your answers were kept")
	r = partner.must("push", e2eApp, "--dry-run")
	contains(t, "push before the fixes", r.stderr, "warning: 2 review threads are still open", "asked for changes")
	if r := partner.run("", "push", e2eApp, "--require-approval", "--yes"); r.code != 1 || !strings.Contains(r.stderr, "--require-approval") {
		t.Fatalf("push --require-approval with changes requested: exit %d, %q", r.code, r.stderr)
	}
	partner.must("reply", e2eApp, "requires-pats", "Right: PATs are never needed.", "--resolve")
	partner.must("set", e2eApp, "security-contact", "security@example.com")
	partner.must("reply", e2eApp, "security-contact", "Changed to the team alias.")
	partner.must("export", e2eApp, "--format", "bundle", "-o", "round2.json")
	handOver(t, partner, ana, "round2.json")

	// Reviewer: what changed since the last look, beside the comment on it; then approve.
	r = ana.must("diff", "last-seen.json", "round2.json")
	contains(t, "the reviewer's diff", r.stdout,
		"security-contact\n    Changed from \"psirt@example.com\" to \"security@example.com\".\n    » open, 2 comments:",
		"Changed to the team alias.",
		"Comments on answers that did not change:\n  requires-pats\n    » resolved by Pat Partner: Right: PATs are never needed.",
		"asked for changes", "the answers have changed since")
	ana.must("comment", "round2.json", "security-contact", "Thanks.", "--resolve")
	r = ana.must("approve", "round2.json")
	contains(t, "approve", r.stderr, "Approved the answers in round2.json as Ana Reviewer")
	handOver(t, ana, partner, "round2.json")

	// Partner: the approval arrives; push goes out with no warning.
	partner.must("import", e2eApp, "round2.json")
	r = partner.must("comments", e2eApp)
	contains(t, "the partner's comments", r.stdout, "Approved by Ana Reviewer", "for these answers", "0 threads open, 2 resolved")
	r = partner.must("push", e2eApp, "--yes", "--require-approval")
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("push after approval warns:\n%s", r.stderr)
	}
	if draft, ok := fake.Draft(e2eApp); !ok || draft["security"].(map[string]any)["securityContact"] != "security@example.com" {
		t.Fatalf("push did not send the reviewed answers: %v", draft)
	}
	r = partner.must("history", e2eApp)
	contains(t, "history", r.stdout, "comment ", "resolve ", "reply ", "request changes", "approve ", "approved by Ana Reviewer")
	// The details stay in one column beside the longest kind.
	contains(t, "history", r.stdout, "request changes  changes requested by", "approve          approved by")

	// An answer changed after the approval makes it stale, visibly, and push says so.
	partner.must("set", e2eApp, "requires-pats", "yes")
	r = partner.must("comments", e2eApp)
	contains(t, "comments after a change", r.stdout, "the approval is stale")
	r = partner.must("push", e2eApp, "--dry-run")
	contains(t, "push after a change", r.stderr, "warning: Ana Reviewer approved other answers")

	// The reviewer never had a drafts database, nor any data folder.
	for _, p := range []string{filepath.Join(ana.dir, "data"), filepath.Join(ana.dir, ".local")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("the reviewer's commands created %s", p)
		}
	}
	partner.checkNoToken(e2eToken)
}

// TestHostileCommentReachesNoTerminal sends comments holding escape sequences through every
// command that shows one: refused when typed, cleaned when they arrive in a file.
func TestHostileCommentReachesNoTerminal(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	partner := newE2E(t, fake, e2eToken)
	eve := reviewerEnv(t, "Eve")
	partner.must("new", e2eApp, "--name", "E2E App")
	partner.must("set", e2eApp, "logs-eud", "no")
	partner.must("export", e2eApp, "--format", "bundle", "-o", "b.json")
	path := handOver(t, partner, eve, "b.json")
	before, _ := os.ReadFile(path)

	// Typed: refused with one sentence, the file untouched.
	r := eve.run("", "comment", "b.json", "logs-eud", "ok\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J")
	if r.code != 2 || !strings.Contains(r.stderr, "escape character") || strings.Contains(r.stderr, "\x1b") {
		t.Fatalf("a typed escape: exit %d, %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a refused comment changed the file")
	}

	// Written into the file by hand: every way of showing it is clean.
	var doc map[string]any
	if err := json.Unmarshal(before, &doc); err != nil {
		t.Fatal(err)
	}
	hostile := "see \x1b]8;;https://evil.example/\x07here\x1b]8;;\x07 \x1b[31mred\u202e \u009b2J"
	doc["review"] = map[string]any{
		"general": map[string]any{"comments": []any{map[string]any{"author": "Eve\x1b[2J", "at": "2026-03-10T09:00:00Z", "text": hostile}}},
		"threads": []any{map[string]any{"question": "logs-eud", "comments": []any{
			map[string]any{"author": "Eve", "at": "2026-03-10T09:01:00Z", "text": hostile}}}},
		"verdict": map[string]any{"decision": "changes-requested", "reviewer": "Eve\x07", "at": "2026-03-10T09:02:00Z",
			"answersFingerprint": "sha256:0", "message": hostile},
	}
	data, _ := json.Marshal(doc)
	if err := os.WriteFile(filepath.Join(partner.dir, "hostile.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	runs := []e2eRun{
		partner.must("comments", "hostile.json"),
		partner.must("diff", "b.json", "hostile.json"),
		partner.must("import", e2eApp, "hostile.json"),
		partner.must("comments", e2eApp),
		partner.must("comments", e2eApp, "--json"),
		partner.must("history", e2eApp),
		partner.must("diff", e2eApp, "hostile.json"),
		partner.must("export", e2eApp, "--format", "bundle"),
	}
	for i, r := range runs {
		for _, s := range []string{r.stdout, r.stderr} {
			if strings.ContainsAny(s, "\x1b\x07\u009b\u202e") {
				t.Errorf("run %d let a control character through:\n%q", i, s)
			}
		}
	}
	contains(t, "the comments of a hostile file", runs[0].stdout, "here", "red")
	contains(t, "the notes on a hostile file", runs[0].stderr, "review.general.comments[0].text held characters")
}
