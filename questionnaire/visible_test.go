package questionnaire

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestUnansweredGatesShowTheDataSections(t *testing.T) {
	c := ps(t)
	for _, tc := range []struct {
		name string
		a    Answers
	}{
		{"nothing answered", NewAnswers()},
		{"only stores No", ans(map[string]Value{"stores-eud": no})},
		{"only processes No", ans(map[string]Value{"processes-eud": no})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vis := c.Visible(tc.a)
			for _, id := range []string{"shares-eud", "data-residency", "retains-after-uninstall", "custom-retention"} {
				if !vis.ShowsID(id) {
					t.Errorf("%s is hidden; with the store/process answers not both No it must be shown", id)
				}
			}
			for _, id := range []string{"sub-processors", "residency-locations", "retention-period", "stored-data-types"} {
				if vis.ShowsID(id) {
					t.Errorf("%s is shown before the answer that reveals it", id)
				}
			}
		})
	}
}

func TestVisibleQuestionsInOrder(t *testing.T) {
	c := ps(t)
	vis := c.Visible(ans(map[string]Value{"stores-eud": no, "processes-eud": no}))
	var ids []string
	for _, q := range vis.Questions() {
		ids = append(ids, q.ID)
	}
	want := []string{"stores-eud", "processes-eud", "logs-eud", "shares-eud", "data-residency",
		"retains-after-uninstall", "custom-retention", "uses-pets", "gdpr-controller",
		"gdpr-processor", "ccpa-business", "ccpa-service-provider", "dpa", "eea-transfer",
		"bug-bounty", "security-contact", "security-policy", "caiq-lite", "disk-encryption",
		"permissions-justification", "requires-pats", "has-certifications", "privacy-policy"}
	if !slices.Equal(ids, want) {
		t.Errorf("shown questions:\n got %v\nwant %v", ids, want)
	}
	for _, s := range []string{"third-parties", "residency", "retention"} {
		if !vis.SectionShown(c.Section(s)) {
			t.Errorf("section %s is hidden; store and process No must not hide it", s)
		}
	}
}

func TestProgress(t *testing.T) {
	c := ps(t)
	type sec struct {
		answered, total int
		state           string
	}
	for _, tc := range []struct {
		name     string
		a        Answers
		sections map[string]sec
		answered int
		total    int
		percent  int
		complete bool
	}{
		{
			name: "nothing answered",
			a:    NewAnswers(),
			sections: map[string]sec{
				"data": {0, 2, "not started"}, "logging": {0, 1, "not started"},
				"third-parties": {0, 1, "not started"}, "residency": {0, 1, "not started"},
				"retention": {0, 2, "not started"}, "privacy": {0, 7, "not started"},
				"security": {0, 7, "not started"}, "compliance": {0, 1, "not started"},
				"policy": {0, 1, "not started"},
			},
			answered: 0, total: 23, percent: 0,
		},
		{
			name: "stores Yes with its list, processes No",
			a:    ans(map[string]Value{"stores-eud": yes, "processes-eud": no}),
			sections: map[string]sec{
				"data":          {2, 3, "in progress"},
				"third-parties": {0, 1, "not started"},
			},
			answered: 2, total: 24, percent: 8,
		},
		{
			name: "both No keeps third parties, residency and retention",
			a:    ans(map[string]Value{"stores-eud": no, "processes-eud": no}),
			sections: map[string]sec{
				"data":          {2, 2, "done"},
				"third-parties": {0, 1, "not started"},
				"residency":     {0, 1, "not started"},
				"retention":     {0, 2, "not started"},
			},
			answered: 2, total: 23, percent: 8,
		},
		{
			name: "the optional same-data checkbox does not count",
			a:    ans(map[string]Value{"stores-eud": yes, "processes-eud": yes, "stored-data-types": List("x")}),
			sections: map[string]sec{
				// stores, its list, processes, processed list; the checkbox is optional.
				"data": {3, 4, "in progress"},
			},
			answered: 3, total: 25, percent: 12,
		},
		{
			name: "answers to hidden questions are not counted",
			a: ans(map[string]Value{"stores-eud": no, "processes-eud": no,
				"stored-data-types": List("x"), "shares-eud": yes, "retains-after-uninstall": yes,
				"logs-eud": no, "logs-shared": yes}),
			sections: map[string]sec{
				"data":          {2, 2, "done"},
				"logging":       {1, 1, "done"},
				"third-parties": {1, 2, "in progress"},
				"retention":     {1, 3, "in progress"},
			},
			answered: 5, total: 25, percent: 20,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := c.Progress(tc.a)
			if p.Answered != tc.answered || p.Total != tc.total {
				t.Errorf("overall %d/%d, want %d/%d", p.Answered, p.Total, tc.answered, tc.total)
			}
			if got := p.Percent(); got != tc.percent {
				t.Errorf("Percent() = %d, want %d", got, tc.percent)
			}
			if p.Complete() != tc.complete {
				t.Errorf("Complete() = %v, want %v", p.Complete(), tc.complete)
			}
			if len(p.Sections) != len(c.Sections) {
				t.Fatalf("%d section entries, want %d", len(p.Sections), len(c.Sections))
			}
			for _, sp := range p.Sections {
				want, ok := tc.sections[sp.Section.ID]
				if !ok {
					continue
				}
				if sp.Answered != want.answered || sp.Total != want.total || sp.State() != want.state {
					t.Errorf("section %s: %d/%d %q, want %d/%d %q", sp.Section.ID,
						sp.Answered, sp.Total, sp.State(), want.answered, want.total, want.state)
				}
				if sp.Shown != (want.state != "skipped") {
					t.Errorf("section %s: Shown = %v with state %q", sp.Section.ID, sp.Shown, want.state)
				}
			}
		})
	}
}

func TestProgressCompleteWhenEveryShownQuestionAnswered(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{
		"stores-eud": no, "processes-eud": no, "logs-eud": no, "uses-pets": no,
		"shares-eud": no, "data-residency": Text(NotApplicable), "retains-after-uninstall": no, "custom-retention": no,
		"gdpr-controller": Text("FALSE"), "gdpr-processor": Text("FALSE"),
		"ccpa-business": Text("NOT_APPLICABLE"), "ccpa-service-provider": Text("FALSE"),
		"dpa": Text("FALSE"), "eea-transfer": no, "bug-bounty": no,
		"security-contact": Text("security@example.com"), "security-policy": Text("https://example.com/security"),
		"caiq-lite": no, "disk-encryption": yes, "permissions-justification": Text("read:jira-work, to show issues."),
		"requires-pats": no, "has-certifications": no,
	})
	p := c.Progress(a)
	if p.Complete() || p.Percent() == 100 {
		t.Fatalf("one question (privacy-policy) is unanswered, yet Complete() = %v, Percent() = %d", p.Complete(), p.Percent())
	}
	a.Set("privacy-policy", Text("https://example.com/privacy"))
	p = c.Progress(a)
	if !p.Complete() || p.Percent() != 100 || p.Answered != 23 {
		t.Errorf("all 23 shown questions answered: Complete() = %v, Percent() = %d, %d/%d", p.Complete(), p.Percent(), p.Answered, p.Total)
	}
	for _, sp := range p.Sections {
		want := "done"
		if !sp.Shown {
			want = "skipped"
		}
		if sp.State() != want {
			t.Errorf("section %s: state %q, want %q", sp.Section.ID, sp.State(), want)
		}
	}
	// A draft where nothing is shown-and-required counts as complete.
	if empty := (Progress{}); !empty.Complete() || empty.Percent() != 100 {
		t.Errorf("empty progress: Complete() = %v, Percent() = %d", empty.Complete(), empty.Percent())
	}
}

// TestHiddenAnswersAreKeptButNotUsed checks that answers to hidden questions stay in the
// draft yet reach neither validation, progress, the payload nor the Markdown.
func TestHiddenAnswersAreKeptButNotUsed(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{
		"stores-eud": no, "processes-eud": no,
		// Hidden by the store/process gate, and deliberately invalid, so that validating
		// them would be noticed.
		"stored-data-types": List("HIDDEN-LIST-ITEM", "hidden-list-item"),
		// Hidden by shares-eud = No and retains-after-uninstall = No.
		"shares-eud": no,
		"sub-processors": {Entities: []Entity{entity(map[string]Value{
			"name": Text("HIDDEN-SUBPROCESSOR"), "link": Text("http://hidden.example.com")})}},
		"retains-after-uninstall": no,
		"retention-period":        Days(40, 10),
		// Hidden by logs-eud = No.
		"logs-eud":    no,
		"logs-shared": yes,
		// Hidden by eea-transfer = No (grandchild too).
		"eea-transfer":           no,
		"eea-mechanism-in-place": yes,
		"eea-mechanism":          Text("HIDDEN-MECHANISM"),
	})
	hiddenIDs := []string{"stored-data-types", "sub-processors", "retention-period",
		"logs-shared", "eea-mechanism-in-place", "eea-mechanism"}
	vis := c.Visible(a)
	for _, id := range hiddenIDs {
		if vis.ShowsID(id) {
			t.Fatalf("%s is shown; the test expects it hidden", id)
		}
		if _, ok := a.Values[id]; !ok {
			t.Errorf("answer to hidden %s is gone", id)
		}
	}
	t.Run("validate", func(t *testing.T) {
		for _, p := range c.Validate(a) {
			if slices.Contains(hiddenIDs, p.Question.ID) {
				t.Errorf("Validate reports hidden question %s: %s", p.Question.ID, p.Message)
			}
		}
	})
	t.Run("progress", func(t *testing.T) {
		full := c.Progress(a)
		bare := a.Clone()
		for _, id := range hiddenIDs {
			bare.Set(id, Value{})
		}
		if got := c.Progress(bare); got.Answered != full.Answered || got.Total != full.Total {
			t.Errorf("progress with hidden answers %d/%d, without %d/%d", full.Answered, full.Total, got.Answered, got.Total)
		}
	})
	t.Run("payload", func(t *testing.T) {
		out, err := c.EncodePayload(a, ShapeV2Put)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"HIDDEN", "hidden", "thirdPartyDetails", "retentionDuration", "logEUDShareWithThirdParty", "isTransferComplianceMechanismsAdhered", "typesOfDataStored"} {
			if strings.Contains(string(out), s) {
				t.Errorf("payload contains %q from a hidden answer:\n%s", s, out)
			}
		}
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		md := c.Markdown(a, MarkdownOptions{Views: ViewsAll})
		for _, s := range []string{"HIDDEN", "hidden", "Which third parties", "For how long", "Which transfer mechanism"} {
			if strings.Contains(md, s) {
				t.Errorf("Markdown contains %q from a hidden question", s)
			}
		}
	})
	t.Run("sheet", func(t *testing.T) {
		sheet := c.Sheet(a, "")
		if strings.Contains(sheet, "HIDDEN") || strings.Contains(sheet, "hidden") {
			t.Errorf("sheet contains a hidden answer:\n%s", sheet)
		}
	})
}
