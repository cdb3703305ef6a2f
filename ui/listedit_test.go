package ui

import (
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// savedList reads a list answer back from the store, as "a|b|c".
func savedList(t *testing.T, d *driver, id string) string {
	t.Helper()
	v, _ := savedAnswer(t, d.s, appKey, id)
	return strings.Join(v.List, "|")
}

func TestListEditorAddEditRemove(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 100, 30)
	d.focusQuestion("stored-data-types")

	// An empty list starts typing its first item at once; enter keeps it and starts the next.
	if l := d.m.wizard.current().list; !l.editing {
		t.Fatal("an empty list should start adding an item when focused")
	}
	d.typeText("Email addresses")
	d.press("enter")
	d.typeText("Account IDs")
	d.press("enter")
	d.press("esc") // stops adding; the empty new item is dropped
	if d.m.wizard.sidebar {
		t.Fatal("esc while adding an item opened the section list")
	}
	d.flushTyping() // items typed are saved after the typing pause
	if got := savedList(t, d, "stored-data-types"); got != "Email addresses|Account IDs" {
		t.Fatalf("after adding, the store has %q", got)
	}
	d.wantScreen("1. Email addresses", "2. Account IDs")

	// e edits the item under the cursor (the last one added).
	d.press("e")
	for range len("Account IDs") {
		d.press("backspace")
	}
	d.typeText("Atlassian account IDs")
	d.press("enter")
	d.flushTyping()
	if got := savedList(t, d, "stored-data-types"); got != "Email addresses|Atlassian account IDs" {
		t.Fatalf("after editing, the store has %q", got)
	}

	// a adds at the end; ↑ and x remove the first.
	d.press("a")
	d.typeText("Page content")
	d.press("esc")
	d.press("up", "up", "x")
	if got := savedList(t, d, "stored-data-types"); got != "Atlassian account IDs|Page content" {
		t.Fatalf("after removing, the store has %q", got)
	}
	d.wantScreen("1. Atlassian account IDs", "2. Page content")
	d.dontWantScreen(". Email addresses") // the status line names it, with u to undo

	// tab while adding keeps the item and moves on.
	d.press("a")
	d.typeText("Attachments")
	d.press("tab")
	if d.focused() == "stored-data-types" {
		t.Fatal("tab while adding did not move to the next question")
	}
	d.flushTyping()
	if got := savedList(t, d, "stored-data-types"); got != "Atlassian account IDs|Page content|Attachments" {
		t.Fatalf("after tab, the store has %q", got)
	}
}

func TestSubProcessorsAddEditRemove(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 100, 30)
	d.goToSection("Third parties")
	if d.focused() != "shares-eud" {
		t.Fatalf("Third parties opened on %s", d.focused())
	}
	d.dontWantScreen(prompt(t, "sub-processors"))
	d.press("y")
	d.wantScreen(prompt(t, "sub-processors"))
	d.press("tab")
	if d.focused() != "sub-processors" {
		t.Fatalf("tab went to %s", d.focused())
	}
	d.wantScreen("None listed yet. Press a to add one.")

	// a opens the form: name, link, purpose, countries; enter on the last field keeps it.
	d.press("a")
	d.wantScreen("New entry")
	d.typeText("Amazon Web Services")
	d.press("tab")
	d.typeText("https://aws.amazon.com/privacy/")
	d.press("enter") // enter before the last field moves to the next
	d.typeText("Hosting")
	d.press("tab")
	d.typeText("United States, Ireland")
	d.press("enter")
	d.dontWantScreen("New entry")
	d.wantScreen("1. Amazon Web Services — https://aws.amazon.com/privacy/")
	ents := savedEntities(t, d)
	if len(ents) != 1 || ents[0].Fields[subKey(t, "name")].Text != "Amazon Web Services" ||
		strings.Join(ents[0].Fields[subKey(t, "countries")].List, "|") != "United States|Ireland" {
		t.Fatalf("after adding, the store has %+v", ents)
	}

	// A second one, then e edits the first.
	d.press("a")
	d.typeText("Sentry")
	d.press("enter", "enter", "enter", "enter")
	d.press("up", "e")
	d.wantScreen("Entry 1")
	d.press("tab", "tab")
	for range len("Hosting") {
		d.press("backspace")
	}
	d.typeText("Hosting and backups")
	d.press("tab", "enter")
	ents = savedEntities(t, d)
	if len(ents) != 2 || ents[0].Fields[subKey(t, "purpose")].Text != "Hosting and backups" || ents[1].Fields[subKey(t, "name")].Text != "Sentry" {
		t.Fatalf("after editing, the store has %+v", ents)
	}

	// x asks first, saying which key removes it: n (or any other key) keeps it, y removes
	// it, and u puts it back.
	d.press("x")
	d.wantScreen("Remove entry 1, “Amazon Web Services”? y/N")
	d.press("n")
	if got := savedEntities(t, d); len(got) != 2 {
		t.Fatalf("n removed a sub-processor: %+v", got)
	}
	d.dontWantScreen("Remove entry 1")
	d.press("x", "y")
	ents = savedEntities(t, d)
	if len(ents) != 1 || ents[0].Fields[subKey(t, "name")].Text != "Sentry" {
		t.Fatalf("after removing, the store has %+v", ents)
	}
	d.wantScreen("Removed entry 1, “Amazon Web Services”.", "Press u to put it")
	d.dontWantScreen(". Amazon Web Services")
	d.press("u")
	if got := savedEntities(t, d); len(got) != 2 || got[0].Fields[subKey(t, "name")].Text != "Amazon Web Services" {
		t.Fatalf("u did not put the sub-processor back: %+v", got)
	}
	d.press("x", "y")

	// esc in the form closes it keeping what was typed (nothing typed is lost); the entry
	// lacks its purpose, and says so.
	d.press("a")
	d.typeText("Half typed")
	d.press("esc")
	if got := savedEntities(t, d); len(got) != 2 || got[1].Fields[subKey(t, "name")].Text != "Half typed" {
		t.Fatalf("esc lost a half-typed sub-processor: %+v", got)
	}
	if d.m.wizard.sidebar {
		t.Fatal("esc in the form opened the section list")
	}
	d.wantScreen("✗", "Entry 2 has no purpose")
}

func savedEntities(t *testing.T, d *driver) []questionnaire.Entity {
	t.Helper()
	v, _ := savedAnswer(t, d.s, appKey, "sub-processors")
	return v.Entities
}

// subKey is the JSON key of a sub-processor field, as records keep it.
func subKey(t *testing.T, field string) string {
	t.Helper()
	ps, _ := catalogues(t)
	f := ps.Question("sub-processors").Field(field)
	if f == nil {
		t.Fatalf("sub-processors has no field %s", field)
	}
	return f.Key
}
