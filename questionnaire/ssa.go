package questionnaire

import (
	"fmt"
	"time"
)

// The Security Self-Assessment is judged answer by answer (Judge), and its approval by
// Atlassian lasts a year: a catalogue's renewal block names the date question that holds
// the last approval and how long it lasts.

// RenewalRule is a catalogue's renewal block: an approval recorded in Question lasts
// EveryDays days, and pstab reminds the partner RemindDays days before it runs out.
type RenewalRule struct {
	Question   *Question // a date question
	EveryDays  int
	RemindDays int
	Line       int // where the block is written, for messages
}

// RenewalState is where an approval stands on a given day.
type RenewalState string

// The states of an approval. Due starts RemindDays before the renewal date and lasts
// through that day; the approval has expired from the day after.
const (
	RenewalNone    RenewalState = "none" // never approved (no date recorded)
	RenewalValid   RenewalState = "valid"
	RenewalDue     RenewalState = "due"
	RenewalExpired RenewalState = "expired"
)

// Renewal is where the approval of an assessment stands on one day.
type Renewal struct {
	State      RenewalState
	Question   *Question // the date question, for the partner to update
	ApprovedOn time.Time // the recorded approval date; zero when State is none
	RenewBy    time.Time // the last day the approval holds; zero when State is none
	DaysLeft   int       // days from today until RenewBy: 0 on the day, negative after it
	Message    string    // one sentence: where the approval stands and what to do
}

// Renewal says where the approval recorded in the answers stands on the day of now (in
// now's time zone). A catalogue without a renewal block gives the zero Renewal.
func (c *Catalogue) Renewal(a Answers, now time.Time) Renewal {
	rule := c.RenewalRule
	if rule == nil || c.Retired != nil {
		return Renewal{} // a retired program renews nothing
	}
	r := Renewal{State: RenewalNone, Question: rule.Question}
	v, ok := a.Get(rule.Question.ID)
	if !ok || !c.Visible(a).Shows(rule.Question) {
		r.Message = "Not approved yet: once Atlassian approves the assessment, record the date of the approval."
		return r
	}
	approved, err := time.Parse(time.DateOnly, v.Text)
	if err != nil {
		r.Message = fmt.Sprintf("The approval date %s is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31.", quoteValue(v.Text))
		return r
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	r.ApprovedOn = approved
	r.RenewBy = approved.AddDate(0, 0, rule.EveryDays)
	r.DaysLeft = int(r.RenewBy.Sub(today).Hours() / 24)
	on, by := approved.Format(time.DateOnly), r.RenewBy.Format(time.DateOnly)
	switch {
	case r.DaysLeft < 0:
		r.State = RenewalExpired
		r.Message = fmt.Sprintf("Approved on %s; the approval ran out after %s, %s ago. Submit the assessment to Atlassian again and record the new approval date.",
			on, by, days(-r.DaysLeft))
	case r.DaysLeft <= rule.RemindDays:
		r.State = RenewalDue
		left := days(r.DaysLeft) + " left"
		if r.DaysLeft == 0 {
			left = "today"
		}
		r.Message = fmt.Sprintf("Approved on %s; renew by %s (%s). Submit the assessment to Atlassian again before then.", on, by, left)
	case approved.After(today):
		r.State = RenewalValid
		r.Message = fmt.Sprintf("Approved on %s, which is in the future; check the date.", on)
	default:
		r.State = RenewalValid
		r.Message = fmt.Sprintf("Approved on %s; renew by %s (%s left).", on, by, days(r.DaysLeft))
	}
	return r
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Assessment is the Security Self-Assessment judged on one day: each judged answer with
// what to change, the state of the approval, and the verdict overall.
type Assessment struct {
	Judgements []Judgement
	Counts     map[Verdict]int // how many answers got each verdict
	// Overall is fail when any answer fails, needs-details when any needs details or is
	// unanswered, and pass when every judged answer passes.
	Overall Verdict
	Renewal Renewal
	// Retired is set when the program is retired: the judgements are a record, and
	// nothing in them blocks anything.
	Retired *Retirement
}

// Assessment judges the answers (Judge) and says where the approval stands (Renewal).
func (c *Catalogue) Assessment(a Answers, now time.Time) Assessment {
	out := Assessment{Judgements: c.Judge(a), Counts: map[Verdict]int{}, Renewal: c.Renewal(a, now), Retired: c.Retired}
	for _, j := range out.Judgements {
		out.Counts[j.Verdict]++
	}
	switch {
	case out.Counts[VerdictFail] > 0:
		out.Overall = VerdictFail
	case out.Counts[VerdictNeedsDetails] > 0 || out.Counts[VerdictUnanswered] > 0:
		out.Overall = VerdictNeedsDetails
	case len(out.Judgements) > 0:
		out.Overall = VerdictPass
	}
	return out
}

// Problems lists what the assessment still lacks, as problems that point at their
// questions: a failed criterion is blocking, an answer that needs details is advice, and
// an approval that is due (advice) or expired (blocking) points at the approval date. For
// a retired program every finding is advice, for the record: there is nothing left to pass.
func (as Assessment) Problems() []Problem {
	var out []Problem
	failed := Blocking
	if as.Retired != nil {
		failed = Advice
	}
	for _, j := range as.Judgements {
		switch j.Verdict {
		case VerdictFail:
			out = append(out, Problem{Question: j.Question, Path: j.Question.ID, Item: -1, Severity: failed,
				Message: "Fails the passing criterion: " + j.Because})
		case VerdictNeedsDetails:
			out = append(out, Problem{Question: j.Question, Path: j.Question.ID, Item: -1, Severity: Advice,
				Message: "Needs details: " + j.Because})
		}
	}
	if r := as.Renewal; as.Retired == nil && r.Question != nil && (r.State == RenewalDue || r.State == RenewalExpired) {
		sev := Advice
		if r.State == RenewalExpired {
			sev = Blocking
		}
		out = append(out, Problem{Question: r.Question, Path: r.Question.ID, Item: -1, Severity: sev, Message: r.Message})
	}
	return out
}
