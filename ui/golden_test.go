package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Golden screens at 100×30 with colour off. Each test runs the real tea.Program through
// teatest, waits for what it expects in the output stream, quits, and compares the final
// model's View (without escape codes) with testdata/<TestName>.golden. The byte stream is
// not compared: bubbletea's 60 fps renderer merges frames, so text typed just before enter
// may never appear in it. go test ./ui -update
// rewrites the files.

const goldenW, goldenH = 100, 30

// program starts the TUI on s under teatest.
func program(t *testing.T, s *store.Store) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, New(context.Background(), testConfig(t, s)),
		teatest.WithInitialTermSize(goldenW, goldenH))
}

// waitFor waits until the output written since the last wait contains every text (escape
// codes removed), and fails with what arrived if it does not within 30 seconds: under the
// race detector, beside the store's crash tests on two cores, a frame has taken over 10.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		plain := ansi.Strip(string(b))
		for _, s := range texts {
			if !strings.Contains(plain, s) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// press sends one key to the running program.
func press(tm *teatest.TestModel, k string) { tm.Send(keyMsg(k)) }

// finalScreen quits the program and returns the last screen as text: escape codes removed,
// trailing spaces trimmed.
func finalScreen(t *testing.T, tm *teatest.TestModel) []byte {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if !ok {
		t.Fatal("the final model is not a *Model")
	}
	view := fm.View()
	lines := strings.Split(ansi.Strip(view), "\n")
	if len(lines) != goldenH {
		t.Errorf("the screen has %d lines, want %d", len(lines), goldenH)
	}
	var b bytes.Buffer
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > goldenW {
			t.Errorf("line %q is %d columns wide", l, w)
		}
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return b.Bytes()
}

// reviewDraft is a draft half done: answers of several kinds, one refused link, some
// questions left, so that the preview and the checklist have something of each.
func reviewDraft(t *testing.T) *store.Store {
	t.Helper()
	s := openStore(t, "")
	createApp(t, s, appKey, "Example Cloud")
	for id, v := range map[string]questionnaire.Value{
		"stores-eud":        questionnaire.Bool(true),
		"stored-data-types": questionnaire.List("Atlassian account IDs", "Issue keys and summaries"),
		"processes-eud":     questionnaire.Bool(false),
		"logs-eud":          questionnaire.Bool(false),
		"shares-eud":        questionnaire.Bool(true),
		"sub-processors": {Entities: []questionnaire.Entity{{Fields: map[string]questionnaire.Value{
			subKey(t, "name"): questionnaire.Text("Amazon Web Services"), subKey(t, "link"): questionnaire.Text("https://aws.amazon.com/privacy/"),
			subKey(t, "purpose"): questionnaire.Text("Hosting"), subKey(t, "countries"): questionnaire.List("United States"),
		}}}},
		"sub-processor-list": questionnaire.Text("https://example.com/sub-processors"),
		"security-contact":   questionnaire.Text("security@example.com"),
		"security-policy":    questionnaire.Text("http://example.com/security"),
	} {
		setAnswer(t, s, appKey, id, v)
	}
	return s
}

func TestGoldenHome(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.alpha", "Alpha Reports")
	createApp(t, s, appKey, "Example Cloud")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(false))
	setAnswer(t, s, appKey, "processes-eud", questionnaire.Bool(false))
	tm := program(t, s)
	waitFor(t, tm, "Your apps", "Security Self-Assessment")
	teatest.RequireEqualOutput(t, finalScreen(t, tm))
}

func TestGoldenFollowUpRevealed(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example Cloud")
	tm := program(t, s)
	// The app list loads after the first frame: enter before its row is drawn opens nothing.
	waitFor(t, tm, "Your apps", "Example Cloud")
	press(tm, "enter")
	waitFor(t, tm, "1. Data access and storage", "Not answered")
	press(tm, "y")
	waitFor(t, tm, prompt(t, "stored-data-types"), "saved "+testNow.Format("15:04:05"))
	out := finalScreen(t, tm)
	if !bytes.Contains(out, []byte("› Yes")) {
		t.Errorf("the screen does not show Yes chosen:\n%s", out)
	}
	teatest.RequireEqualOutput(t, out)
}

func TestGoldenPreview(t *testing.T) {
	tm := program(t, reviewDraft(t))
	// The app list loads after the first frame: enter before its row is drawn opens nothing.
	waitFor(t, tm, "Your apps", "Example Cloud")
	press(tm, "enter")
	waitFor(t, tm, "4. Data residency") // lands on the first unanswered question, a choice
	press(tm, "p")
	waitFor(t, tm, "Default view", "Atlassian account IDs")
	out := finalScreen(t, tm)
	for _, want := range []string{"Example Cloud", "Issue keys and summaries"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the preview does not show %q:\n%s", want, out)
		}
	}
	teatest.RequireEqualOutput(t, out)
}

func TestGoldenChecklist(t *testing.T) {
	tm := program(t, reviewDraft(t))
	// The app list loads after the first frame: enter before its row is drawn opens nothing.
	waitFor(t, tm, "Your apps", "Example Cloud")
	press(tm, "enter")
	waitFor(t, tm, "4. Data residency")
	press(tm, "r")
	waitFor(t, tm, "Review before submitting")
	out := finalScreen(t, tm)
	// Blocking problems come first: the http:// link is the first item.
	lines := strings.Split(string(out), "\n")
	first := ""
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "›") {
			first = l
			break
		}
	}
	if !strings.Contains(first, "✗") || !strings.Contains(first, "Security") {
		t.Errorf("the first item is %q, want the blocking security policy link:\n%s", first, out)
	}
	teatest.RequireEqualOutput(t, out)
}
