// Package store keeps pstab's drafts in a local SQLite file (modernc.org/sqlite): apps,
// one working draft per app and questionnaire, every answer saved in its own transaction,
// save points (revisions), and a history of events.
//
// Several pstab processes may use one file at once. Every write is an immediate
// transaction; a draft carries a version number, and every answer the version that last
// changed it: a writer that saw an older version gets a *ConflictError instead of
// overwriting someone else's change (MergeAnswer only when that change was to the same
// question). Save points keep what changed since the one before.
package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// Sentinel errors. Callers match them with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// PartnerKey is the subject key of the partner's own drafts (the Security Self-Assessment
// is answered per partner, not per app). It cannot be an app key: app keys never start
// with '@'.
const PartnerKey = "@partner"

// Draft statuses.
const (
	StatusDraft     = "draft"
	StatusExported  = "exported"
	StatusSubmitted = "submitted"
	StatusPublished = "published"
)

// Event kinds in a draft's history.
const (
	EventSavePoint = "save point"
	EventDiscard   = "discard"
	EventImport    = "import"
	EventCopy      = "copy"
	EventRevert    = "revert"
	EventSubmit    = "submit"
	EventPull      = "pull"
	EventExport    = "export"
	EventPublish   = "publish"
)

// App is one Marketplace app the partner keeps drafts for.
type App struct {
	Key       string // the app key, e.g. com.example.app
	Name      string
	Hosting   string // "cloud" unless said otherwise
	ProductID string // the Marketplace v3 product id, once known
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AppSummary is one line of the app list: the app and its Privacy & Security draft. Its
// App's CreatedAt and UpdatedAt are zero (Store.App has them); ChangedAt says when.
type AppSummary struct {
	App
	Answered   int // required shown questions answered, as of the last save
	Total      int // required shown questions
	Status     string
	FormStatus string    // the Marketplace's formStatus when known (SUBMITTED, APPROVED...)
	ChangedAt  time.Time // last change to the draft (or the app, if it has no draft yet)
}

// Percent returns the share of required shown questions answered, 0 to 100.
func (s AppSummary) Percent() int {
	if s.Total == 0 {
		return 0
	}
	return s.Answered * 100 / s.Total
}

// DraftRef names one working draft: whose it is and which questionnaire it answers.
type DraftRef struct {
	Subject       string // an app key, or PartnerKey
	Questionnaire string // a catalogue ID: "privacy-security" or "self-assessment"
}

// String names the draft in messages, such as "com.example.app privacy-security".
func (r DraftRef) String() string {
	if r.Subject == PartnerKey {
		return "the partner's " + r.Questionnaire
	}
	return r.Subject + " " + r.Questionnaire
}

// Draft is a working draft as loaded: its answers and where the partner left off.
type Draft struct {
	Ref        DraftRef
	Version    int64 // bumped by every change; pass it back to detect conflicts
	Answers    questionnaire.Answers
	Status     string
	FormStatus string
	// ResumeSection and ResumeQuestion are where the partner was when they last stopped.
	ResumeSection  string
	ResumeQuestion string
	Revision       int // the number of the latest save point, 0 when there is none
	// Dirty reports whether the answers differ from the latest save point.
	Dirty     bool
	UpdatedAt time.Time
}

// Revision is a save point.
type Revision struct {
	Number  int
	At      time.Time
	Kind    string // one of the Event kinds that make save points
	Message string
	// Damaged is set, by Revisions, on a save point whose stored form cannot be read
	// (reading it gives a *SavePointError); the draft and other save points are fine.
	Damaged bool
}

// Event is one entry of a draft's history.
type Event struct {
	At     time.Time
	Kind   string
	Detail string
}

// ConflictError is returned to a writer whose draft was changed by someone else (another
// pstab process) since it loaded it, in a way its write would collide with. Nothing was
// written; reload and try again.
//
// Which changes collide depends on the write. MergeAnswer, which saves one answer,
// collides only with a change to that same question: Questions is then that one question.
// Every other write made with an expected version (SaveAnswer, ClearAnswer, SavePoint,
// Discard, Revert, Replace) collides with any change: Questions lists the questions set or
// removed since Expected (empty when only save points or payload fields changed).
type ConflictError struct {
	Ref       DraftRef
	Expected  int64
	Current   int64
	ChangedAt time.Time
	Questions []string
}

// Error says what was changed, by whom and when, and what to do.
func (e *ConflictError) Error() string {
	what := e.Ref.String() + " was"
	switch len(e.Questions) {
	case 1:
		what = "the answer to " + e.Questions[0] + " in " + e.Ref.String() + " was"
	}
	return fmt.Sprintf("%s changed by another pstab at %s since you opened it; reload it to see the change, then answer again",
		what, e.ChangedAt.Local().Format("15:04:05"))
}

// Saved says what MergeAnswer did.
type Saved struct {
	// Version is the draft's version after the save: pass it to the next write.
	Version int64
	// Merged are the questions another pstab changed (set or removed) since the version
	// the caller expected, in ID order, which the save left as that pstab made them. The
	// caller's copies of those answers are out of date: load the draft again (Load) before
	// showing or saving them, or a later save of one of them would overwrite a change the
	// partner never saw.
	Merged []string
}

// AnyVersion, passed as the expected version, saves without checking for conflicts; the
// non-interactive commands use it, since they read and write in one step.
const AnyVersion int64 = -1

// The Store's methods. Every method takes a context; every write is one immediate
// transaction that either lands whole or not at all, and returns only after the commit.
//
//	Open(ctx, path string, opts Options) (*Store, error) // Options.ReadOnly for reading commands
//	(*Store).Close() error
//	(*Store).Path() string
//	(*Store).SetWaiting(func(msg string))               // who hears of a wait on another pstab
//
// Apps:
//
//	CreateApp(ctx, App) error                       // ErrExists
//	App(ctx, key) (App, error)                      // ErrNotFound
//	Apps(ctx) ([]AppSummary, error)                 // ordered by last change, newest first
//	SetProductID(ctx, key, productID string) error
//	DeleteApp(ctx, key) error                       // with its drafts, revisions and history
//
// Drafts (a draft is created on first use; loading a missing one returns an empty draft
// at version 0, not an error, for a subject that exists):
//
//	Load(ctx, DraftRef) (Draft, error)
//	SaveAnswer(ctx, ref, questionID string, v questionnaire.Value, expect int64) (int64, error)
//	ClearAnswer(ctx, ref, questionID string, expect int64) (int64, error)
//	MergeAnswer(ctx, ref, questionID string, v questionnaire.Value, expect int64) (Saved, error)
//	        // conflicts only on a change to the same question; Saved.Merged names the rest
//	SetResume(ctx, ref, section, question string) error
//	SetStatus(ctx, ref, status, formStatus string) error
//
// Save points and history:
//
//	SavePoint(ctx, ref, message string, expect int64) (Revision, int64, error)
//	Discard(ctx, ref, expect int64) (int64, error)   // back to the latest save point
//	Revisions(ctx, ref) ([]Revision, error)          // oldest first; Damaged marks unreadable ones
//	RevisionAnswers(ctx, ref, number int) (questionnaire.Answers, error) // *SavePointError if damaged
//	Revert(ctx, ref, number int, expect int64) (Revision, int64, error) // as a new save point
//	Replace(ctx, ref, answers questionnaire.Answers, kind, message string, expect int64) (Revision, int64, error)
//	        // import and pull: the answers (with Extra) become the draft and a save point
//	Copy(ctx, fromKey, toKey string) (Revision, error) // every answer, as a new save point in toKey
//	History(ctx, ref) ([]Event, error)                // oldest first
//	Record(ctx, ref, kind, detail string) error      // e.g. export, submit
