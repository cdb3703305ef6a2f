package questionnaire

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	c := ps(t)
	before := ans(map[string]Value{
		"stores-eud": yes, "stored-data-types": List("Issue keys", "Page content"),
		"logs-eud": yes, "logs-shared": yes,
		"gdpr-processor": Text("TRUE"), "security-contact": Text("old@example.com"),
		"shares-eud": yes, "sub-processors": subProcessors(sp("AWS", "", "Hosting"), sp("Sentry", "", "Errors")),
		"retains-after-uninstall": yes, "retention-period": Days(0, 30),
		"eea-mechanism": Text("SCCs"),
	})
	after := ans(map[string]Value{
		"stores-eud": yes, "stored-data-types": List("Page content", "Comment text"),
		"logs-eud": no, "logs-shared": no, // hidden now, but the change is still listed
		"gdpr-processor":   yes, // a JSON boolean for the same answer: no change
		"security-contact": Text("new@example.com"),
		"shares-eud":       yes, "sub-processors": subProcessors(sp("AWS", "https://aws.amazon.com", "Hosting"), sp("Postmark", "", "Email")),
		"retains-after-uninstall": yes, "retention-period": Indefinitely(),
		"requires-pats": no,
	})
	got := map[string]Change{}
	var order []string
	for _, ch := range c.Diff(before, after) {
		got[ch.Question.ID] = ch
		order = append(order, ch.Question.ID)
	}
	want := map[string]struct {
		summary string
		hidden  bool
	}{
		"stored-data-types": {`Added "Comment text"; removed "Issue keys".`, false},
		"logs-eud":          {`Changed from "Yes" to "No".`, false},
		"logs-shared":       {`Changed from "Yes" to "No".`, true},
		"sub-processors":    {`Changed the link of "AWS"; added "Postmark"; removed "Sentry".`, false},
		"retention-period":  {`Changed from "0 to 30 days" to "Indefinitely".`, false},
		"security-contact":  {`Changed from "old@example.com" to "new@example.com".`, false},
		"requires-pats":     {`Answered "No".`, false},
		"eea-mechanism":     {`Answer removed (was "SCCs").`, true},
	}
	for id, w := range want {
		ch, ok := got[id]
		if !ok {
			t.Errorf("%s: no change listed", id)
			continue
		}
		if ch.Summary != w.summary || ch.Hidden != w.hidden {
			t.Errorf("%s: %q hidden=%v, want %q hidden=%v", id, ch.Summary, ch.Hidden, w.summary, w.hidden)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: unexpected change %q", id, got[id].Summary)
		}
	}
	wantOrder := "stored-data-types logs-eud logs-shared sub-processors retention-period eea-mechanism security-contact requires-pats"
	if joinIDs(order) != wantOrder {
		t.Errorf("order %s\nwant  %s", joinIDs(order), wantOrder)
	}
	if ch := got["security-contact"]; ch.Before != "old@example.com" || ch.After != "new@example.com" {
		t.Errorf("security-contact before %q after %q", ch.Before, ch.After)
	}
	if d := c.Diff(before, before.Clone()); len(d) != 0 {
		t.Errorf("a draft differs from its clone: %v", d)
	}
	reordered := with(before, map[string]Value{"stored-data-types": List("Page content", "Issue keys")})
	if d := c.Diff(before, reordered); len(d) != 1 || d[0].Summary != "Reordered." {
		t.Errorf("reordering a list: %+v", d)
	}
}

func TestDiffKeepsTextOnOneLine(t *testing.T) {
	c := ps(t)
	before := ans(map[string]Value{"permissions-justification": Text("a\nb")})
	after := ans(map[string]Value{"permissions-justification": Text("a\x1b[2J\nc")})
	d := c.Diff(before, after)
	if len(d) != 1 {
		t.Fatalf("%d changes", len(d))
	}
	if strings.ContainsAny(d[0].Summary+d[0].Before+d[0].After, "\n\x1b") {
		t.Errorf("change is not one clean line: %q / %q / %q", d[0].Summary, d[0].Before, d[0].After)
	}
}

// DiffExtra reports the fields no question asks, and leaves out the server's read-only
// keys (they change with every save) and fields a question asks (old drafts hold some).
func TestDiffExtra(t *testing.T) {
	cat := ps(t)
	before := map[string]any{
		"properties": map[string]any{"formStatus": "APPROVED"},
		"security":   map[string]any{"someNewField": "a", "gone": true, "securityContact": "a@example.com"},
		"empty":      map[string]any{},
	}
	after := map[string]any{
		"properties": map[string]any{"formStatus": "SUBMITTED", "updatedAt": 2},
		"security":   map[string]any{"someNewField": "a"},
		"added":      []any{"x"},
		"empty":      map[string]any{},
	}
	got := cat.DiffExtra(before, after)
	want := []ExtraChange{
		{Path: "added", Before: "", After: `["x"]`},
		{Path: "security.gone", Before: "true", After: ""},
	}
	if len(got) != len(want) {
		t.Fatalf("DiffExtra = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if d := cat.DiffExtra(nil, nil); len(d) != 0 {
		t.Errorf("cat.DiffExtra(nil, nil) = %v", d)
	}
}
