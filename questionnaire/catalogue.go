// Package questionnaire is the domain of pstab: a questionnaire catalogue loaded from data,
// the follow-up rules that decide which questions are shown, validation, progress, the
// Marketplace TrustInfo payload, and the Markdown of the listing tab.
//
// It is pure Go: it imports nothing of the terminal and nothing else of pstab, so the store,
// the wizard and the commands all share one definition of what an answer means.
package questionnaire

import "strings"

// Kind is the type of answer a question takes.
type Kind string

// The kinds of answer a catalogue may use.
const (
	KindYesNo       Kind = "yesno"       // true or false
	KindTriState    Kind = "tristate"    // true, false or NOT_APPLICABLE (JSON true/false or the string)
	KindChoice      Kind = "choice"      // one option value
	KindMultiChoice Kind = "multichoice" // several option values
	KindText        Kind = "text"        // one line of text
	KindLongText    Kind = "longtext"    // several lines of text
	KindURL         Kind = "url"         // an https link
	KindEmail       Kind = "email"       // one email address
	KindList        Kind = "list"        // a list of short strings
	KindDayRange    Kind = "dayrange"    // min and max days, or indefinite
	KindEntities    Kind = "entities"    // a repeatable list of records (sub-processors)
	KindDate        Kind = "date"        // a calendar date, YYYY-MM-DD
)

var knownKinds = map[Kind]bool{
	KindYesNo: true, KindTriState: true, KindChoice: true, KindMultiChoice: true,
	KindText: true, KindLongText: true, KindURL: true, KindEmail: true, KindList: true,
	KindDayRange: true, KindEntities: true, KindDate: true,
}

// entityFieldKinds are the kinds an entity's field may have.
var entityFieldKinds = map[Kind]bool{KindText: true, KindURL: true, KindEmail: true, KindList: true}

// HasOptions reports whether answers of this kind are picked from a list of options.
func (k Kind) HasOptions() bool {
	return k == KindTriState || k == KindChoice || k == KindMultiChoice
}

// IsText reports whether answers of this kind are a single string typed by the partner.
func (k Kind) IsText() bool {
	switch k {
	case KindText, KindLongText, KindURL, KindEmail, KindDate:
		return true
	}
	return false
}

// IsList reports whether answers of this kind are a list of strings.
func (k Kind) IsList() bool { return k == KindList || k == KindMultiChoice }

// View is where the Marketplace listing tab shows an answer.
type View string

// The two views of the listing tab.
const (
	ViewDefault  View = "default"
	ViewExpanded View = "expanded"
)

// Verdict is how the Security Self-Assessment judges one answer.
type Verdict string

// The verdicts of a judged answer. Unanswered is given to a question nobody answered yet.
const (
	VerdictPass         Verdict = "pass"
	VerdictNeedsDetails Verdict = "needs-details"
	VerdictFail         Verdict = "fail"
	VerdictUnanswered   Verdict = "unanswered"
)

// Catalogue is one questionnaire: its sections and questions in the order they are asked.
type Catalogue struct {
	ID      string // "privacy-security" or "self-assessment"
	Title   string
	Level   string // "app" or "partner": who a draft of this questionnaire belongs to
	Version string
	Source  string // the file it was loaded from, for messages

	Sections    []*Section
	Questions   []*Question  // every question, in order
	Checks      []*Check     // readiness checks, in order
	RenewalRule *RenewalRule // how often an approval must be renewed, or nil
	// Retired is set for a program Atlassian has retired: its drafts are kept as a record,
	// with no renewal and nothing blocking.
	Retired *Retirement

	byID map[string]*Question
}

// Check is a readiness rule: when If holds, the draft is not ready, for the reason in
// Message, which says what to change. Question is where the partner fixes it.
type Check struct {
	ID       string
	Question *Question
	Severity Severity // Blocking or Advice
	If       *Condition
	Message  string
	Line     int
}

// Section is a group of questions shown together.
type Section struct {
	ID        string
	Title     string
	Intro     string
	ShowIf    *Condition
	Questions []*Question
	Index     int
}

// Option is one value a question can take, with the label the web form shows for it. For
// a list question the options are suggestions, not a closed set.
type Option struct {
	Value string
	Label string
	// Formerly are values earlier catalogues wrote for this option; an answer holding one
	// reads as Value, and Value is what is written and sent.
	Formerly []string
}

// Retirement says when a program was retired and what that means for its drafts.
type Retirement struct {
	On   string // YYYY-MM-DD
	Note string // one or two sentences for the partner
}

// Formerly is how answers saved under an earlier catalogue read in this one, for a list
// question: the items of retired questions join it, and values that meant nothing on
// their own (an "Other" tick box) are dropped.
type Formerly struct {
	Questions []string
	Dropped   []string
}

// Listing facts are rows of the tab that Atlassian takes from the app's listing rather
// than from the Privacy & Security form.
const (
	ListingBugBounty = "bug-bounty"   // enrolment in the Marketplace Bug Bounty program
	ListingPrivacy   = "privacy-link" // the listing's privacy policy link
)

// Field is one field of a record in an entities question (a sub-processor's name, link...).
type Field struct {
	ID        string
	Label     string
	Help      string
	Kind      Kind
	Key       string // the JSON key of the field in each record sent to the API
	Required  bool
	MaxLength int
}

// APIPath is where a question's answer lives in the Marketplace TrustInfo object: a dotted
// path of JSON keys. A day range uses three paths (Min, Max, Indefinite); every other kind
// uses Path alone. All are empty for a question the API does not carry.
type APIPath struct {
	Path       string
	Min        string
	Max        string
	Indefinite string
}

// IsZero reports whether the question has no API mapping at all.
func (p APIPath) IsZero() bool { return p == APIPath{} }

// paths lists every non-empty path.
func (p APIPath) paths() []string {
	var out []string
	for _, s := range []string{p.Path, p.Min, p.Max, p.Indefinite} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// JudgeRule is one rule of a self-assessment criterion: when If holds (or If is nil), the
// answer gets Verdict, explained by Because.
type JudgeRule struct {
	If      *Condition
	Verdict Verdict
	Because string
}

// Question is one question of a catalogue.
type Question struct {
	ID        string
	Number    string // the question's number in the source document, when it has one
	Section   *Section
	Prompt    string
	Help      string
	Kind      Kind
	Options   []Option
	View      View
	Required  bool
	ShowIf    *Condition
	API       APIPath
	Fields    []Field // entities only
	MaxLength int     // runes, for text kinds and list items
	MaxItems  int     // for lists and entities
	Examples  []string
	// Listing names the listing fact this row shows (ListingBugBounty, ListingPrivacy),
	// or is empty for an answer of the form.
	Listing     string
	Formerly    *Formerly // list questions only: how earlier catalogues' answers read
	Judge       []JudgeRule
	Line        int // where the question starts in its catalogue file
	Index       int // position in Catalogue.Questions
	SectionRank int // position within its section
}

// Question returns the question with the given ID, or nil.
func (c *Catalogue) Question(id string) *Question { return c.byID[id] }

// Section returns the section with the given ID, or nil.
func (c *Catalogue) Section(id string) *Section {
	for _, s := range c.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Option returns the option whose value matches v, or nil. Tri-state values match without
// regard to case, since servers and files spell them "TRUE", "True" or true; a value an
// earlier catalogue wrote (Option.Formerly) matches its option too.
func (q *Question) Option(v string) *Option {
	for i := range q.Options {
		o := &q.Options[i]
		if o.Value == v || (q.Kind == KindTriState && strings.EqualFold(o.Value, v)) {
			return o
		}
	}
	for i := range q.Options {
		for _, old := range q.Options[i].Formerly {
			if old == v || (q.Kind == KindTriState && strings.EqualFold(old, v)) {
				return &q.Options[i]
			}
		}
	}
	return nil
}

// Local reports whether the Privacy & Security API does not carry this question: a
// listing fact, or a question only the web form asks.
func (q *Question) Local() bool { return q.API.IsZero() }

// FromListing reports whether the row shows a fact of the app's listing (Bug Bounty
// enrolment, the privacy policy link) rather than an answer of the form.
func (q *Question) FromListing() bool { return q.Listing != "" }

// Field returns the entity field with the given ID or JSON key, or nil.
func (q *Question) Field(idOrKey string) *Field {
	for i := range q.Fields {
		if q.Fields[i].ID == idOrKey || q.Fields[i].Key == idOrKey {
			return &q.Fields[i]
		}
	}
	return nil
}

// Label returns a short name for the question in messages: its number and ID.
func (q *Question) Label() string {
	if q.Number != "" {
		return q.Number + " (" + q.ID + ")"
	}
	return q.ID
}
