package questionnaire_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

// passingAssessment answers every self-assessment question so that each one passes.
func passingAssessment() questionnaire.Answers {
	details := questionnaire.Text("Described in enough detail.")
	return changed(questionnaire.NewAnswers(), answerChanges{
		"ssa-1a": noAnswer, "ssa-2": noAnswer,
		"ssa-3": yesAnswer, "ssa-3-details": details,
		"ssa-4": yesAnswer, "ssa-4-details": details,
		"ssa-5": yesAnswer, "ssa-5-details": details,
		"ssa-6": noAnswer,
		"ssa-7": yesAnswer, "ssa-7-details": details,
		"ssa-8": yesAnswer, "ssa-8-details": details,
		"ssa-9": noAnswer, "ssa-10": yesAnswer,
		"ssa-11": yesAnswer, "ssa-11-url": questionnaire.Text("https://example.com/security"),
		"ssa-12": yesAnswer, "ssa-12-details": details,
		"ssa-13": yesAnswer, "ssa-13-backups": questionnaire.Text("DAILY"),
		"ssa-approved-on": questionnaire.Text("2026-01-15"),
	})
}

func judgementOf(c *questionnaire.Catalogue, a questionnaire.Answers, id string) (questionnaire.Judgement, bool) {
	for _, j := range c.Judge(a) {
		if j.Question.ID == id {
			return j, true
		}
	}
	return questionnaire.Judgement{}, false
}

// TestJudgeRules reaches every verdict of every judged question of the self-assessment,
// each case changing the passing answers; a refusal must say what to change.
func TestJudgeRules(t *testing.T) {
	c := selfAssessmentCatalogue(t)
	details := questionnaire.Text("Described.")
	pass, needs, fail := questionnaire.VerdictPass, questionnaire.VerdictNeedsDetails, questionnaire.VerdictFail
	cases := []struct {
		question string
		changes  answerChanges
		verdict  questionnaire.Verdict
		says     string // in Because; empty for a pass
	}{
		{"ssa-1a", answerChanges{"ssa-1a": noAnswer}, pass, ""},
		{"ssa-1a", answerChanges{"ssa-1a": yesAnswer, "ssa-1a-controls": details}, pass, ""},
		{"ssa-1a", answerChanges{"ssa-1a": yesAnswer}, needs, "Describe the controls that protect the customer data"},
		{"ssa-1b", answerChanges{"ssa-1a": yesAnswer, "ssa-1b": questionnaire.List("EU")}, pass, ""},
		{"ssa-2", answerChanges{"ssa-2": noAnswer}, pass, ""},
		{"ssa-2", answerChanges{"ssa-2": yesAnswer, "ssa-2-controls": details}, pass, ""},
		{"ssa-2", answerChanges{"ssa-2": yesAnswer}, needs, "Describe the controls around the sensitive data"},
		{"ssa-3", answerChanges{"ssa-3": noAnswer}, fail, "An Information Security Policy is required"},
		{"ssa-3", answerChanges{"ssa-3": yesAnswer, "ssa-3-details": details}, pass, ""},
		{"ssa-3", answerChanges{"ssa-3": yesAnswer, "ssa-3-details": unset}, needs, "Describe the policy or link to it"},
		{"ssa-4", answerChanges{"ssa-4": noAnswer, "ssa-4-details": details}, pass, ""},
		{"ssa-4", answerChanges{"ssa-4": noAnswer, "ssa-4-details": unset}, needs, "Describe the change and release process"},
		{"ssa-5", answerChanges{"ssa-5": noAnswer}, fail, "audits or reviews of security controls are required"},
		{"ssa-5", answerChanges{"ssa-5": yesAnswer, "ssa-5-details": details}, pass, ""},
		{"ssa-5", answerChanges{"ssa-5": yesAnswer, "ssa-5-details": unset}, needs, "Describe the audits or reviews"},
		{"ssa-6", answerChanges{"ssa-6": yesAnswer}, pass, ""},
		{"ssa-6", answerChanges{"ssa-6": noAnswer}, pass, ""},
		{"ssa-7", answerChanges{"ssa-7": noAnswer}, fail, "Penetration testing or equivalent"},
		{"ssa-7", answerChanges{"ssa-7": yesAnswer, "ssa-7-details": details}, pass, ""},
		{"ssa-7", answerChanges{"ssa-7": yesAnswer, "ssa-7-details": unset}, needs, "Describe the testing"},
		{"ssa-8", answerChanges{"ssa-8": noAnswer}, fail, "A plan to notify Atlassian of a breach is required"},
		{"ssa-8", answerChanges{"ssa-8": yesAnswer, "ssa-8-details": details}, pass, ""},
		{"ssa-8", answerChanges{"ssa-8": yesAnswer, "ssa-8-details": unset}, needs, "Describe the incident plan"},
		{"ssa-9", answerChanges{"ssa-9": noAnswer}, pass, ""},
		{"ssa-9", answerChanges{"ssa-9": yesAnswer, "ssa-9-controls": details}, pass, ""},
		{"ssa-9", answerChanges{"ssa-9": yesAnswer}, needs, "Describe how staff access is controlled"},
		{"ssa-10", answerChanges{"ssa-10": yesAnswer}, pass, ""},
		{"ssa-10", answerChanges{"ssa-10": noAnswer, "ssa-9": noAnswer, "ssa-2": noAnswer}, pass, ""},
		{"ssa-10", answerChanges{"ssa-10": noAnswer, "ssa-9": yesAnswer, "ssa-9-controls": details}, fail, "must sign an NDA"},
		{"ssa-10", answerChanges{"ssa-10": noAnswer, "ssa-2": yesAnswer, "ssa-2-controls": details}, fail, "must sign an NDA"},
		{"ssa-11", answerChanges{"ssa-11": yesAnswer, "ssa-11-url": questionnaire.Text("https://example.com/vulns")}, pass, ""},
		{"ssa-11", answerChanges{"ssa-11": noAnswer, "ssa-11-process": details}, pass, ""},
		{"ssa-11", answerChanges{"ssa-11": yesAnswer, "ssa-11-url": unset}, needs, "Give the URL of the published process"},
		{"ssa-11", answerChanges{"ssa-11": noAnswer}, needs, "Describe how vulnerabilities in your code are handled"},
		{"ssa-12", answerChanges{"ssa-12": noAnswer}, fail, "continuity or disaster recovery plan is required"},
		{"ssa-12", answerChanges{"ssa-12": yesAnswer, "ssa-12-details": details}, pass, ""},
		{"ssa-12", answerChanges{"ssa-12": yesAnswer, "ssa-12-details": unset}, needs, "Describe the plan"},
		{"ssa-13", answerChanges{"ssa-13": noAnswer}, fail, "Recovering one customer's data is required"},
		{"ssa-13", answerChanges{"ssa-13": yesAnswer, "ssa-13-backups": questionnaire.Text("DAILY")}, pass, ""},
		{"ssa-13", answerChanges{"ssa-13": yesAnswer, "ssa-13-backups": questionnaire.Text("LESS_OFTEN")}, fail, "at least every 24 hours"},
		{"ssa-13", answerChanges{"ssa-13": yesAnswer, "ssa-13-backups": unset}, needs, "Say how often backups are taken"},
	}

	reached := map[string]map[questionnaire.Verdict]int{}
	for _, tc := range cases {
		a := changed(passingAssessment(), tc.changes)
		j, ok := judgementOf(c, a, tc.question)
		if !ok {
			t.Errorf("%s %v: not judged", tc.question, tc.changes)
			continue
		}
		if j.Verdict != tc.verdict {
			t.Errorf("%s %v: verdict %s (%q), want %s", tc.question, tc.changes, j.Verdict, j.Because, tc.verdict)
		}
		if (tc.says == "") != (j.Because == "") || !strings.Contains(j.Because, tc.says) {
			t.Errorf("%s %v: because %q, want %q", tc.question, tc.changes, j.Because, tc.says)
		}
		if reached[tc.question] == nil {
			reached[tc.question] = map[questionnaire.Verdict]int{}
		}
		reached[tc.question][j.Verdict]++
	}
	// Every judged question has a case for each verdict its rules give, and at least as
	// many cases as rules.
	for _, q := range c.Questions {
		for _, r := range q.Judge {
			if reached[q.ID][r.Verdict] == 0 {
				t.Errorf("%s: no case reaches its %s rule (line %d)", q.ID, r.Verdict, q.Line)
			}
		}
		total := 0
		for _, n := range reached[q.ID] {
			total += n
		}
		if total < len(q.Judge) {
			t.Errorf("%s has %d judge rules but %d cases", q.ID, len(q.Judge), total)
		}
	}
}

func TestJudgeUnansweredAndHidden(t *testing.T) {
	c := selfAssessmentCatalogue(t)
	a := changed(passingAssessment(), answerChanges{"ssa-3": unset})
	if j, ok := judgementOf(c, a, "ssa-3"); !ok || j.Verdict != questionnaire.VerdictUnanswered {
		t.Errorf("unanswered ssa-3 judged %+v, want unanswered", j)
	}
	// ssa-1b is shown only when ssa-1a is Yes; hidden, it is not judged.
	if j, ok := judgementOf(c, passingAssessment(), "ssa-1b"); ok {
		t.Errorf("hidden ssa-1b judged %+v", j)
	}
	a = changed(passingAssessment(), answerChanges{"ssa-1a": yesAnswer, "ssa-1a-controls": questionnaire.Text("x")})
	if j, ok := judgementOf(c, a, "ssa-1b"); !ok || j.Verdict != questionnaire.VerdictUnanswered {
		t.Errorf("shown, unanswered ssa-1b judged %+v, want unanswered", j)
	}
}

// renewalBlock is the renewal rule the self-assessment had while Atlassian ran the
// program. The renewal machinery stays for catalogues of programs that are still run.
const renewalBlock = "renewal: {question: ssa-approved-on, every_days: 365, remind_days: 30}\n"

// liveSelfAssessmentSource is the built-in self-assessment as it was before the program
// was retired: its retired block replaced by its old renewal rule.
func liveSelfAssessmentSource(t *testing.T) string {
	t.Helper()
	data, err := assets.Read(assets.SelfAssessment)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	start := strings.Index(src, "\nretired:")
	end := strings.Index(src, "\nsections:")
	if start < 0 || end < start {
		t.Fatal("the built-in self-assessment has no retired block before its sections")
	}
	return src[:start+1] + renewalBlock + src[end:]
}

func liveSelfAssessment(t *testing.T) *questionnaire.Catalogue {
	t.Helper()
	c, err := questionnaire.Load("self-assessment.yaml", []byte(liveSelfAssessmentSource(t)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The Security Self-Assessment is retired: a record, with no renewal to remind of and no
// expired approval, and nothing in it blocks.
func TestSelfAssessmentIsRetired(t *testing.T) {
	c := selfAssessmentCatalogue(t)
	if c.Retired == nil || c.Retired.On != "2023-08-13" || !strings.Contains(c.Retired.Note, "record") {
		t.Fatalf("Retired = %+v, want the 2023-08-13 retirement, kept as a record", c.Retired)
	}
	if c.RenewalRule != nil {
		t.Errorf("a retired program has a renewal rule: %+v", c.RenewalRule)
	}
	long := changed(passingAssessment(), answerChanges{"ssa-approved-on": questionnaire.Text("2019-01-01"), "ssa-7": noAnswer})
	as := c.Assessment(long, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if as.Renewal != (questionnaire.Renewal{}) {
		t.Errorf("renewal of an approval from 2019: %+v, want none at all", as.Renewal)
	}
	for _, p := range as.Problems() {
		if p.Severity == questionnaire.Blocking {
			t.Errorf("a retired program's record blocks: %s %s", p.Path, p.Message)
		}
		if strings.Contains(p.Message, "ran out") || strings.Contains(p.Message, "renew") {
			t.Errorf("a retired program reminds of renewal: %s", p.Message)
		}
	}
	if as.Overall != questionnaire.VerdictFail {
		t.Errorf("the record still says how it measured: overall %s, want fail", as.Overall)
	}
	md := c.Markdown(long, questionnaire.MarkdownOptions{Title: "Example"})
	if !strings.Contains(md, "Retired program, kept as a record") {
		t.Errorf("the preview does not say the program is retired:\n%s", md)
	}
	// The same catalogue before its retirement reminded and expired as it did.
	if as := liveSelfAssessment(t).Assessment(long, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); as.Renewal.State != questionnaire.RenewalExpired {
		t.Errorf("the live program's renewal: %s, want expired", as.Renewal.State)
	}
}

func TestRenewalRuleLoaded(t *testing.T) {
	r := liveSelfAssessment(t).RenewalRule
	if r == nil || r.Question == nil || r.Question.ID != "ssa-approved-on" || r.EveryDays != 365 || r.RemindDays != 30 {
		t.Fatalf("RenewalRule = %+v, want ssa-approved-on every 365 days, reminding 30 days before", r)
	}
	if privacyCatalogue(t).RenewalRule != nil {
		t.Error("the Privacy & Security catalogue has a renewal rule")
	}
	src := strings.Replace(string(mustRead(t, assets.SelfAssessment)), "\nsections:", "\n"+renewalBlock+"sections:", 1)
	if _, err := questionnaire.Load("self-assessment.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "a retired program has no renewal") {
		t.Errorf("a retired catalogue with a renewal block: %v", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := assets.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRenewalBoundaries(t *testing.T) {
	c := liveSelfAssessment(t)
	approved := "2025-03-01"
	renewBy := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // 365 days later
	at := func(daysBefore int) time.Time {
		return renewBy.AddDate(0, 0, -daysBefore).Add(15 * time.Hour) // mid-afternoon
	}
	cases := []struct {
		name     string
		date     questionnaire.Value
		now      time.Time
		state    questionnaire.RenewalState
		daysLeft int
		says     string
	}{
		{"never approved", unset, at(100), questionnaire.RenewalNone, 0, "record the date of the approval"},
		{"not a date", questionnaire.Text("1 March 2025"), at(100), questionnaire.RenewalNone, 0, "write it as YYYY-MM-DD"},
		{"the day of approval", questionnaire.Text(approved), at(365), questionnaire.RenewalValid, 365, "renew by 2026-03-01 (365 days left)"},
		{"31 days before", questionnaire.Text(approved), at(31), questionnaire.RenewalValid, 31, "renew by 2026-03-01 (31 days left)"},
		{"30 days before", questionnaire.Text(approved), at(30), questionnaire.RenewalDue, 30, "renew by 2026-03-01 (30 days left)"},
		{"29 days before", questionnaire.Text(approved), at(29), questionnaire.RenewalDue, 29, "renew by 2026-03-01 (29 days left)"},
		{"1 day before", questionnaire.Text(approved), at(1), questionnaire.RenewalDue, 1, "(1 day left)"},
		{"the renewal day", questionnaire.Text(approved), at(0), questionnaire.RenewalDue, 0, "renew by 2026-03-01 (today)"},
		{"the day after", questionnaire.Text(approved), at(-1), questionnaire.RenewalExpired, -1, "ran out after 2026-03-01, 1 day ago"},
		{"a year after", questionnaire.Text(approved), at(-365), questionnaire.RenewalExpired, -365, "Submit the assessment to Atlassian again"},
		{"approved in the future", questionnaire.Text("2026-06-01"), at(200), questionnaire.RenewalValid, 657, "in the future; check the date"},
		// The day is the partner's: late on the renewal day in California is already the
		// next day in UTC, but the approval is still due, not expired.
		{"local day", questionnaire.Text(approved), time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("PST", -8*3600)), questionnaire.RenewalDue, 0, "(today)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := changed(passingAssessment(), answerChanges{"ssa-approved-on": tc.date})
			r := c.Renewal(a, tc.now)
			if r.State != tc.state || r.DaysLeft != tc.daysLeft {
				t.Errorf("state %s, %d days left; want %s, %d", r.State, r.DaysLeft, tc.state, tc.daysLeft)
			}
			if !strings.Contains(r.Message, tc.says) {
				t.Errorf("message %q; want it to say %q", r.Message, tc.says)
			}
			if r.Question == nil || r.Question.ID != "ssa-approved-on" {
				t.Errorf("points at %v, want ssa-approved-on", r.Question)
			}
			if tc.state != questionnaire.RenewalNone && r.RenewBy.Format(time.DateOnly) != tc.now.AddDate(0, 0, tc.daysLeft).Format(time.DateOnly) {
				t.Errorf("renew by %s, %d days from %s", r.RenewBy.Format(time.DateOnly), tc.daysLeft, tc.now.Format(time.DateOnly))
			}
		})
	}
	if r := privacyCatalogue(t).Renewal(readyDraft(), at(0)); r != (questionnaire.Renewal{}) {
		t.Errorf("a catalogue without a renewal block gives %+v", r)
	}
}

func TestAssessment(t *testing.T) {
	c := liveSelfAssessment(t)
	now := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC) // 25 days before the renewal of 2026-01-15's approval
	as := c.Assessment(passingAssessment(), now)
	if as.Overall != questionnaire.VerdictPass || as.Counts[questionnaire.VerdictPass] != len(as.Judgements) || len(as.Judgements) != 13 {
		t.Errorf("passing answers: overall %s, counts %v of %d judgements; want pass for all 13 (ssa-1b is hidden)", as.Overall, as.Counts, len(as.Judgements))
	}
	if as.Renewal.State != questionnaire.RenewalDue || !strings.Contains(as.Renewal.Message, "renew by 2027-01-15") {
		t.Errorf("renewal %+v, want due by 2027-01-15", as.Renewal)
	}

	as = c.Assessment(changed(passingAssessment(), answerChanges{"ssa-3-details": unset, "ssa-6": unset}), now)
	if as.Overall != questionnaire.VerdictNeedsDetails || as.Counts[questionnaire.VerdictNeedsDetails] != 1 || as.Counts[questionnaire.VerdictUnanswered] != 1 {
		t.Errorf("missing details: overall %s, counts %v; want needs-details with one needing details and one unanswered", as.Overall, as.Counts)
	}

	as = c.Assessment(changed(passingAssessment(), answerChanges{"ssa-7": noAnswer, "ssa-3-details": unset, "ssa-approved-on": unset}), now)
	if as.Overall != questionnaire.VerdictFail || as.Counts[questionnaire.VerdictFail] != 1 {
		t.Errorf("a failing answer: overall %s, counts %v; want fail", as.Overall, as.Counts)
	}
	for _, j := range as.Judgements {
		if j.Verdict != questionnaire.VerdictPass && j.Because == "" {
			t.Errorf("%s is %s without saying what to change", j.Question.ID, j.Verdict)
		}
	}
	if as.Renewal.State != questionnaire.RenewalNone {
		t.Errorf("no approval date: renewal %s, want none", as.Renewal.State)
	}
}

// TestRenewalBlockRefused checks that a broken renewal block is refused with the file and
// line, like other catalogue errors.
func TestRenewalBlockRefused(t *testing.T) {
	const block = "renewal: {question: ssa-approved-on, every_days: 365, remind_days: 30}"
	src := liveSelfAssessmentSource(t)
	if !strings.Contains(src, block) {
		t.Fatalf("the built-in self-assessment has no %q line", block)
	}
	line := strings.Count(src[:strings.Index(src, block)], "\n") + 1
	for _, tc := range []struct {
		name, block, says string
	}{
		{"not a date question", "renewal: {question: ssa-1a, every_days: 365}", "ssa-1a is a yesno question; the renewal needs a date question"},
		{"unknown question", "renewal: {question: ssa-99}", `question "ssa-99" is not in the catalogue`},
		{"no question", "renewal: {every_days: 365}", "renewal needs a question"},
		{"reminder too long", "renewal: {question: ssa-approved-on, every_days: 30, remind_days: 30}", "remind_days (30) must be fewer than every_days (30)"},
		{"unknown key", "renewal: {question: ssa-approved-on, every: 365}", `unknown key "every" in renewal`},
		{"zero days", "renewal: {question: ssa-approved-on, every_days: 0}", "expected a whole number above zero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := questionnaire.Load("self-assessment.yaml", []byte(strings.Replace(src, block, tc.block, 1)))
			var ce *questionnaire.CatalogueError
			if !errors.As(err, &ce) {
				t.Fatalf("Load gave %v, want a *CatalogueError", err)
			}
			if ce.File != "self-assessment.yaml" || ce.Line != line || !strings.Contains(ce.Msg, tc.says) {
				t.Errorf("error %q (line %d); want self-assessment.yaml:%d saying %q", err, ce.Line, line, tc.says)
			}
		})
	}
}
