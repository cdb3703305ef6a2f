package ui

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/scan"
	"github.com/pstab/pstab/store"
)

// scanInto applies a fixture app's manifest to a draft as pstab scan --into --yes does:
// the answers the scan proposes for questions not yet answered, with their sources and
// the facts.
func scanInto(t *testing.T, s *store.Store, key, fixture string) {
	t.Helper()
	ps, _ := catalogues(t)
	facts, err := scan.Read(filepath.Join("..", "scan", "testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	ref := psRef(t, key)
	d, err := s.Load(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	apply, _ := scan.Candidates(ps, d.Answers, scan.Propose(ps, facts).Proposals, false)
	_, final, _ := scan.Resolve(ps, d.Answers, apply)
	var answers []store.ScannedAnswer
	for _, p := range final {
		answers = append(answers, store.ScannedAnswer{Question: p.Question, Value: p.Value, Source: "manifest.yml line 7"})
	}
	raw, err := facts.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ApplyScan(context.Background(), ref, store.ScanRecord{At: testNow, Source: "manifest.yml in /apps/" + fixture, Facts: raw},
		answers, "scan", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

// TestScannedAnswersShowWhereTheyCameFrom until the partner changes them.
func TestScannedAnswersShowWhereTheyCameFrom(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true)) // answered before the scan: not the scan's
	scanInto(t, s, appKey, "forge-legacy")

	d := wizardOn(t, s, 100, 30)
	d.focusQuestion("processes-eud")
	d.wantScreen("↳ from pstab scan: manifest.yml line 7")
	if n := countOf(d.screen(), "↳ from pstab scan"); n != 1 {
		t.Fatalf("%d answers on screen are marked as the scan's; want only processes-eud's:\n%s", n, d.screen())
	}
	// The partner changes it: it is theirs now, and stays theirs after a reload.
	d.press("down")
	d.dontWantScreen("↳ from pstab scan")
	d.flushTyping()
	d.press("ctrl+r")
	d.dontWantScreen("↳ from pstab scan")
	if v, ok := savedAnswer(t, s, appKey, "processes-eud"); !ok || v.Bool == nil || *v.Bool {
		t.Fatalf("the change was not saved: %+v", v)
	}
	src, err := s.AnswerSources(context.Background(), psRef(t, appKey))
	if err != nil || len(src) != 0 && src["processes-eud"].Source != "" {
		t.Fatalf("the store still gives processes-eud a scan source: %+v, %v", src, err)
	}
}

// TestChecklistComparesWithTheManifest: a contradiction with the manifest is a finding in
// the review checklist, says which scan it compares with, and goes once the answer does.
func TestChecklistComparesWithTheManifest(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(false))
	scanInto(t, s, appKey, "forge-remote")

	d := wizardOn(t, s, 100, 40)
	d.press("alt+r")
	if d.m.screen != screenChecklist {
		t.Fatalf("alt+r did not open the checklist:\n%s", d.screen())
	}
	d.wantScreen("Compared with the scan of manifest.yml in /apps/forge-remote", "the manifest declares remote")
	found := false
	for i, p := range d.m.checklist.items {
		if p.Check == "manifest-remote-storage" {
			found = true
			d.m.checklist.cursor = i
		}
	}
	if !found {
		t.Fatalf("no manifest finding among %+v", d.m.checklist.items)
	}
	// enter goes to the question; answering it as the manifest says clears the finding.
	d.press("enter")
	if d.focused() != "stores-eud" {
		t.Fatalf("enter went to %s", d.focused())
	}
	d.press("up")
	d.press("alt+r")
	d.dontWantScreen("the manifest declares remote")
	for _, p := range d.m.checklist.items {
		if p.Check == "manifest-remote-storage" {
			t.Fatalf("the finding stayed after the answer changed: %+v", p)
		}
	}
}

// TestAScanThatCannotBeReadDoesNotStopTheDraft: facts of a later pstab are skipped, and
// the draft opens as usual.
func TestAScanThatCannotBeReadDoesNotStopTheDraft(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	later, _ := json.Marshal(map[string]any{"version": scan.FactsVersion + 1})
	if _, _, err := s.ApplyScan(context.Background(), psRef(t, appKey), store.ScanRecord{Source: "x", Facts: later}, nil, "", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	d := wizardOn(t, s, 100, 30)
	d.press("alt+r")
	d.dontWantScreen("Compared with the scan")
}

func countOf(s, sub string) int { return strings.Count(s, sub) }

// TestScanEndToEndUnderTmux drives the real binary at the design size, 80×24: pstab scan
// --into applies a Forge manifest, the wizard shows where a scanned answer came from, the
// review checklist reports the answer the manifest contradicts and goes to it, and
// answering as the manifest says ends the finding, in the checklist and in pstab check.
func TestScanEndToEndUnderTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test needs it (.ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	tt := newTmuxTerm(t)
	fixture, err := filepath.Abs(filepath.Join("..", "scan", "testdata", "forge-remote"))
	if err != nil {
		t.Fatal(err)
	}
	tt.cli("new", "com.example.risk", "--name", "Risk score")
	tt.cli("set", "com.example.risk", "stores-eud", "no")
	tt.cli("scan", fixture, "--into", "com.example.risk", "--yes")

	tt.start()
	tt.resize(80, 24)
	tt.waitFor("Your apps", "› Risk score")
	tt.keys("Enter")
	tt.waitFor("1. Data access and storage", "Risk score")
	tt.waitFor("↳ from pstab scan: manifest.yml lines")
	tt.keys("M-r")
	tt.waitFor("Review before submitting", "Compared with the scan of manifest.yml")
	// The finding sits below the blocking ones: move down to it, as a person would.
	const finding = "manifest declares remote risk-backend"
	for i := 0; !strings.Contains(tt.screen(), finding); i++ {
		if i == 40 {
			t.Fatalf("the checklist never showed the manifest finding; the screen is:\n%s", tt.last)
		}
		tt.keys("j")
		time.Sleep(50 * time.Millisecond)
	}
	for i := 0; !strings.Contains(cursorItem(tt.screen()), "Does your app store End-User Data"); i++ {
		if i == 40 {
			t.Fatalf("the cursor never reached the finding; the screen is:\n%s", tt.last)
		}
		tt.keys("k")
		time.Sleep(50 * time.Millisecond)
	}
	tt.keys("Enter")
	tt.waitFor("Does your app store End-User Data outside of Atlassian products", "┃ › No")
	tt.keys("Up")
	tt.waitFor("┃ › Yes", "saved")
	tt.keys("M-r")
	tt.waitFor("Review before submitting")
	for range 40 {
		if strings.Contains(tt.screen(), finding) {
			t.Fatalf("the finding stayed after the answer changed:\n%s", tt.last)
		}
		tt.keys("j")
	}
	tt.resize(120, 40)
	tt.waitFor("Compared with the scan of manifest.yml")
	tt.keys("C-c")
	if code := tt.exitCode(); code != 130 {
		t.Fatalf("ctrl+c ended pstab with %d, want 130", code)
	}
	// check exits 1: the sub-processor the scan added has no name yet, which is blocking;
	// the contradiction is gone, and check says which scan it compared with.
	check := exec.Command(tt.bin, "check", "com.example.risk")
	check.Env = append(os.Environ(), tt.env...)
	out, err := check.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || strings.Contains(string(out), finding) ||
		!strings.Contains(string(out), "Compared with the scan of manifest.yml") {
		t.Errorf("check: %v; it should compare with the scan, without the contradiction fixed in the wizard:\n%s", err, out)
	}
}

// resize sets the terminal's size, as a person dragging the window would.
func (tt *tmuxTerm) resize(w, h int) {
	tt.t.Helper()
	out, err := exec.Command("tmux", "-L", tt.socket, "resize-window", "-t", tt.target(), "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux resize-window: %v\n%s", err, out)
	}
}

// cursorItem returns the checklist line under the cursor (the one marked ›).
func cursorItem(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "› ") {
			return l
		}
	}
	return ""
}
