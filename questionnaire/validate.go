package questionnaire

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Severity says how much a problem matters.
type Severity int

// Problems are blocking (a wrong value: it must be fixed before submitting), unanswered (a
// shown question without an answer: it only lowers completeness), or advice (a readiness
// finding worth fixing).
const (
	Blocking Severity = iota
	Unanswered
	Advice
)

func (s Severity) String() string {
	switch s {
	case Blocking:
		return "blocking"
	case Unanswered:
		return "unanswered"
	}
	return "advice"
}

// Problem is one thing wrong with a draft, in plain words.
type Problem struct {
	Question *Question
	// Path locates the problem: the answer's JSON path in the Marketplace payload (with an
	// index and key inside a list, as in thirdPartyInformation.thirdPartyDetails[1].purpose),
	// or the question ID for a question the API does not carry.
	Path     string
	Item     int    // index in a list or entities answer, or -1
	Field    string // entity field key, or ""
	Severity Severity
	Message  string // a sentence saying what is wrong and what to do
	Check    string // the readiness check that found it, or ""
}

// HasBlocking reports whether any of the problems is blocking.
func HasBlocking(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Blocking {
			return true
		}
	}
	return false
}

// SortBySeverity orders problems blocking first, then advice, then unanswered questions,
// keeping their order within each.
func SortBySeverity(ps []Problem) {
	rank := map[Severity]int{Blocking: 0, Advice: 1, Unanswered: 2}
	sort.SliceStable(ps, func(i, j int) bool { return rank[ps[i].Severity] < rank[ps[j].Severity] })
}

// Limits that apply when a catalogue sets none.
const (
	DefaultTextLimit     = 500
	DefaultLongTextLimit = 5000
	DefaultItemLimit     = 200
	DefaultMaxItems      = 100
	MaxRetentionDays     = 3650
)

// TextLimit returns the most characters an answer to q (or one of its list items) may hold.
func (q *Question) TextLimit() int { return textLimit(q.Kind, q.MaxLength) }

// textLimit is the most characters a text of this kind may hold: the catalogue's
// max_length when set, else the kind's default.
func textLimit(kind Kind, maxLength int) int {
	switch {
	case maxLength > 0:
		return maxLength
	case kind == KindLongText:
		return DefaultLongTextLimit
	case kind == KindURL:
		return maxURLLength
	case kind == KindEmail:
		return maxEmailLength
	case kind == KindList:
		return DefaultItemLimit
	}
	return DefaultTextLimit
}

// ItemLimit returns the most items a list or entities answer may hold.
func (q *Question) ItemLimit() int {
	if q.MaxItems > 0 {
		return q.MaxItems
	}
	return DefaultMaxItems
}

// Validate checks the answers to every shown question. Wrong values are blocking; a shown
// required question without an answer is reported as unanswered. Hidden questions are
// ignored even when they hold an answer.
func (c *Catalogue) Validate(a Answers) []Problem {
	return c.validate(a, c.Visible(a))
}

func (c *Catalogue) validate(a Answers, vis Visibility) []Problem {
	var out []Problem
	for _, q := range c.Questions {
		if !vis.shown[q.Index] {
			continue
		}
		v, ok := a.Get(q.ID)
		if !ok {
			if q.Required {
				out = append(out, Problem{Question: q, Path: q.Path(), Item: -1, Severity: Unanswered,
					Message: "Not answered yet."})
			}
			continue
		}
		out = append(out, q.Check(v)...)
	}
	return out
}

// Path returns where the question's answer is in the payload, or its ID when the API does
// not carry it.
func (q *Question) Path() string {
	switch {
	case q.API.Path != "":
		return q.API.Path
	case q.API.Min != "":
		return strings.TrimSuffix(q.API.Min, ".min")
	}
	return q.ID
}

// Check returns the blocking problems of one answer to q.
func (q *Question) Check(v Value) []Problem {
	var out []Problem
	add := func(item int, field, format string, args ...any) {
		p := Problem{Question: q, Path: q.Path(), Item: item, Field: field, Severity: Blocking,
			Message: fmt.Sprintf(format, args...)}
		if item >= 0 {
			p.Path += "[" + strconv.Itoa(item) + "]"
		}
		if field != "" {
			p.Path += "." + field
		}
		out = append(out, p)
	}
	mismatch := func(kind string) {
		add(-1, "", "The saved answer does not fit this %s question; answer it again.", kind)
	}
	switch q.Kind {
	case KindYesNo:
		if v.Bool == nil {
			mismatch("yes/no")
		}
	case KindTriState:
		if v.Bool == nil && q.Option(v.Text) == nil {
			add(-1, "", "%s is not one of the answers the Marketplace accepts (%s); pick one of them.", quoteValue(v.Text), q.optionList())
		}
	case KindChoice:
		if v.Text == "" {
			mismatch("choice")
		} else if q.Option(v.Text) == nil {
			add(-1, "", "%s is not one of the options (%s); pick one, or add it to the catalogue if Atlassian added it.", quoteValue(v.Text), q.optionList())
		}
	case KindMultiChoice:
		seen := map[string]bool{}
		for i, item := range v.List {
			switch {
			case q.Option(item) == nil:
				add(i, "", "%s is not one of the options (%s); pick from them.", quoteValue(item), q.optionList())
			case seen[item]:
				add(i, "", "%s is picked twice; remove one.", quoteValue(item))
			}
			seen[item] = true
		}
	case KindText, KindLongText:
		if msg := textCheck(v.Text, q.Kind == KindLongText, q.TextLimit()); msg != "" {
			add(-1, "", "The answer %s.", msg)
		}
	case KindURL:
		if msg := URLProblem(v.Text); msg != "" {
			add(-1, "", "The link %s.", msg)
		}
	case KindEmail:
		if msg := EmailProblem(v.Text); msg != "" {
			add(-1, "", "The address %s.", msg)
		}
	case KindDate:
		if _, err := time.Parse(time.DateOnly, v.Text); err != nil {
			add(-1, "", "%s is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31.", quoteValue(v.Text))
		}
	case KindList:
		q.checkList(v.List, q.TextLimit(), func(i int, msg string) { add(i, "", "%s", msg) })
	case KindDayRange:
		if msg := daysProblem(v.Days); msg != "" {
			add(-1, "", "%s", msg)
		}
	case KindEntities:
		if len(v.Entities) > q.ItemLimit() {
			add(-1, "", "There are %d entries; at most %d are accepted, so remove %d.", len(v.Entities), q.ItemLimit(), len(v.Entities)-q.ItemLimit())
		}
		for i, e := range v.Entities {
			q.checkEntity(i, e, add)
		}
	}
	return out
}

func (q *Question) checkEntity(i int, e Entity, add func(int, string, string, ...any)) {
	for _, f := range q.Fields {
		fv := e.Fields[f.Key]
		n := i + 1
		if fv.IsEmpty() {
			if f.Required {
				add(i, f.Key, "Entry %d has no %s; fill it in or remove the entry.", n, strings.ToLower(f.Label))
			}
			continue
		}
		switch f.Kind {
		case KindURL:
			if _, ok := DomainLink(fv.Text); ok {
				break // a bare domain, as the web form asks; pstab keeps it as https://domain
			}
			if msg := URLProblem(fv.Text); msg != "" {
				add(i, f.Key, "The %s of entry %d %s.", strings.ToLower(f.Label), n, msg)
			}
		case KindEmail:
			if msg := EmailProblem(fv.Text); msg != "" {
				add(i, f.Key, "The %s of entry %d %s.", strings.ToLower(f.Label), n, msg)
			}
		case KindList:
			q.checkList(fv.List, DefaultItemLimit, func(_ int, msg string) {
				add(i, f.Key, "%s of entry %d: %s", f.Label, n, msg)
			})
		default:
			limit := f.MaxLength
			if limit == 0 {
				limit = DefaultTextLimit
			}
			if msg := textCheck(fv.Text, false, limit); msg != "" {
				add(i, f.Key, "The %s of entry %d %s.", strings.ToLower(f.Label), n, msg)
			}
		}
	}
}

func (q *Question) checkList(items []string, limit int, add func(int, string)) {
	if len(items) > q.ItemLimit() {
		add(-1, fmt.Sprintf("There are %d items; at most %d are accepted, so remove %d.", len(items), q.ItemLimit(), len(items)-q.ItemLimit()))
	}
	seen := map[string]int{}
	for i, item := range items {
		key := strings.ToLower(strings.TrimSpace(item))
		switch {
		case key == "":
			add(i, fmt.Sprintf("Item %d is empty; remove it.", i+1))
		case seen[key] > 0:
			add(i, fmt.Sprintf("Item %d repeats item %d (%s); remove one.", i+1, seen[key], quoteValue(item)))
		default:
			if msg := textCheck(item, false, limit); msg != "" {
				add(i, fmt.Sprintf("Item %d %s.", i+1, msg))
			}
		}
		if key != "" && seen[key] == 0 {
			seen[key] = i + 1
		}
	}
}

// textCheck says what is wrong with a text answer, as a phrase to follow "The answer".
func textCheck(s string, multiline bool, limit int) string {
	if msg := TextProblem(s, multiline); msg != "" {
		return msg
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Sprintf("is %d characters long; shorten it to at most %d", n, limit)
	}
	return ""
}

func daysProblem(d *DayRange) string {
	if d == nil {
		return "Give a minimum and maximum number of days, or say the data is kept indefinitely."
	}
	if d.IsIndefinite() {
		if d.Min != nil || d.Max != nil {
			return "The data is kept either for a number of days or indefinitely, not both; clear the days or the indefinite choice."
		}
		return ""
	}
	switch {
	case d.Min == nil && d.Max == nil:
		return "Give a minimum and maximum number of days, or say the data is kept indefinitely."
	case d.Min == nil:
		return "The minimum number of days is missing; give both a minimum and a maximum."
	case d.Max == nil:
		return "The maximum number of days is missing; give both a minimum and a maximum."
	case *d.Min < 0:
		return fmt.Sprintf("The minimum is %d days; give 0 or more.", *d.Min)
	case *d.Max < 0:
		// Checked before the order, where "swap them" would give a negative minimum.
		return fmt.Sprintf("The maximum is %d days; give 0 or more.", *d.Max)
	case *d.Min > *d.Max:
		return fmt.Sprintf("The minimum (%d days) is more than the maximum (%d days); swap them.", *d.Min, *d.Max)
	case *d.Max > MaxRetentionDays:
		return fmt.Sprintf("The maximum is %d days; above %d (ten years), say the data is kept indefinitely.", *d.Max, MaxRetentionDays)
	}
	return ""
}

func quoteValue(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:57]) + "..."
	}
	return strconv.QuoteToGraphic(s)
}
