package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

func TestHomeListsAppsWithPercentAndStatus(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.alpha", "Alpha")
	createApp(t, s, "com.example.beta", "Beta")
	setAnswer(t, s, "com.example.beta", "stores-eud", questionnaire.Bool(false))
	setAnswer(t, s, "com.example.beta", "processes-eud", questionnaire.Bool(false))
	if err := s.SetStatus(context.Background(), psRef(t, "com.example.beta"), store.StatusExported, ""); err != nil {
		t.Fatal(err)
	}
	apps, err := s.Apps(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	d := newDriver(t, s, 100, 30)
	if d.m.screen != screenHome {
		t.Fatalf("a database with apps should open on home:\n%s", d.screen())
	}
	d.wantScreen("Your apps", "Security Self-Assessment")
	lines := strings.Split(d.screen(), "\n")
	for _, a := range apps {
		line := lineWith(lines, a.Key)
		if line == "" {
			t.Fatalf("no line for %s:\n%s", a.Key, d.screen())
		}
		pct := strings.Fields(strings.TrimSpace(strings.TrimLeft(line[strings.Index(line, a.Key)+len(a.Key):], " ░█")))
		if want := a.Percent(); len(pct) < 2 || pct[0] != strconv.Itoa(want)+"%" || pct[1] != a.Status {
			t.Errorf("line of %s = %q, want %d%% and status %s", a.Key, line, want, a.Status)
		}
		if !strings.Contains(line, a.Name) {
			t.Errorf("line of %s = %q, want its name %q", a.Key, line, a.Name)
		}
	}
	var beta store.AppSummary
	for _, a := range apps {
		if a.Key == "com.example.beta" {
			beta = a
		}
	}
	if beta.Percent() == 0 || beta.Status != store.StatusExported {
		t.Fatalf("the test needs an answered, exported app: %+v", beta)
	}

	// The cursor moves and enter opens the app under it.
	first := apps[0].Key
	d.press("down")
	if e, _ := d.m.home.selected(); e.key == first {
		t.Fatalf("down did not move the cursor off %s", first)
	}
	d.press("up")
	if e, _ := d.m.home.selected(); e.key != first {
		t.Fatalf("up did not bring the cursor back to %s", first)
	}
	d.openApp()
	if d.m.wizard.ref.Subject != first {
		t.Fatalf("opened %s, want %s", d.m.wizard.ref.Subject, first)
	}
}

func TestHomeOnEmptyDatabaseAsksForTheFirstApp(t *testing.T) {
	s := openStore(t, "")
	d := newDriver(t, s, 100, 30)
	if d.m.screen != screenNewApp {
		t.Fatalf("an empty database should start on the new-app form:\n%s", d.screen())
	}
	d.wantScreen("Welcome to pstab", "App key")
}

func TestNewAppFormRefusesBadKeysAndNames(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.taken", "Taken")
	d := newDriver(t, s, 100, 30)
	d.press("n")
	if d.m.screen != screenNewApp {
		t.Fatalf("n did not open the new-app form:\n%s", d.screen())
	}
	d.wantScreen("New app", "App key", "App name")

	// An empty key is refused with the validator's words, and the form stays on it.
	d.press("enter")
	d.wantScreen(sentence(ValidateAppKey("")))
	d.typeText("com example")
	d.press("enter")
	d.wantScreen(sentence(ValidateAppKey("com example")))
	for range len("com example") {
		d.press("backspace")
	}

	// A key in use passes the form, and the store's refusal is shown; what was typed stays.
	d.typeText("com.example.taken")
	d.press("enter")
	d.press("enter") // an empty name
	d.wantScreen(sentence(ValidateAppName("")))
	d.typeText("Another")
	d.press("enter")
	d.wantScreen("An app with that key already exists")
	if d.m.screen != screenNewApp {
		t.Fatalf("a refused key left the form:\n%s", d.screen())
	}

	// esc goes back home; a fresh form with a good key and name opens the new app.
	d.press("esc")
	if d.m.screen != screenHome {
		t.Fatalf("esc did not leave the form:\n%s", d.screen())
	}
	d.press("n")
	d.typeText("com.example.fresh")
	d.press("enter")
	d.typeText("Fresh app")
	d.press("enter")
	if d.m.screen != screenWizard || d.m.wizard.ref.Subject != "com.example.fresh" {
		t.Fatalf("a good key and name did not open the new app's wizard:\n%s", d.screen())
	}
	d.wantScreen("Fresh app", "1. Data access and storage")
	if _, err := s.App(context.Background(), "com.example.fresh"); err != nil {
		t.Fatalf("the app was not created: %v", err)
	}
}

// sentence is how the form shows a validation error: as a sentence (capital first), of
// which the first 40 characters are sure to be on one line.
func sentence(err error) string {
	s := questionnaire.Sentence(err.Error())
	return s[:min(len(s), 40)]
}

func lineWith(lines []string, s string) string {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
