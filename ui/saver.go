package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// Drafts is what the TUI needs from the draft store; *store.Store provides it.
type Drafts interface {
	Apps(ctx context.Context) ([]store.AppSummary, error)
	Subject(ctx context.Context, key string) (store.Subject, error)
	CreateApp(ctx context.Context, app store.App) error
	DeleteApp(ctx context.Context, key string) error
	Load(ctx context.Context, ref store.DraftRef) (store.Draft, error)
	SaveAnswer(ctx context.Context, ref store.DraftRef, questionID string, v questionnaire.Value, expect int64) (int64, error)
	ClearAnswer(ctx context.Context, ref store.DraftRef, questionID string, expect int64) (int64, error)
	SetResume(ctx context.Context, ref store.DraftRef, section, question string) error
	SavePoint(ctx context.Context, ref store.DraftRef, message string, expect int64) (store.Revision, int64, error)
	Discard(ctx context.Context, ref store.DraftRef, expect int64) (int64, error)
	// For submitting from the review checklist.
	App(ctx context.Context, key string) (store.App, error)
	Record(ctx context.Context, ref store.DraftRef, kind, detail string) error
	SetStatus(ctx context.Context, ref store.DraftRef, status, formStatus string) error
	SetProductID(ctx context.Context, key, productID string) error
	// For the review conversation: the wizard shows it, and the partner replies.
	Review(ctx context.Context, ref store.DraftRef) (questionnaire.Review, error)
	Say(ctx context.Context, ref store.DraftRef, m questionnaire.Remark) (questionnaire.Comment, error)
	ReviewSummaries(ctx context.Context) (map[string]store.ReviewSummary, error)
}

// saver performs every write of one open draft, one at a time, so that autosaves, save
// points, a reload and the last save on exit never race each other. It runs inside
// tea.Cmds (off the UI goroutine) and, after the program ends, on the caller's goroutine.
type saver struct {
	drafts Drafts
	ref    store.DraftRef
	now    func() time.Time // the TUI's clock (Config.Now), for the "saved" status

	mu      sync.Mutex
	version int64
}

// pendingAnswer is an answer waiting to be saved; an empty value clears the answer.
type pendingAnswer struct {
	id    string
	value questionnaire.Value
}

// saveResult reports one batch of saves.
type saveResult struct {
	version int64
	at      time.Time
	err     error
	// unsaved are the answers of the batch that did not reach the database.
	unsaved []pendingAnswer
}

// save writes a batch of answers, each in its own transaction, in order. It stops at the
// first failure and hands back what was not saved.
func (s *saver) save(ctx context.Context, batch []pendingAnswer, resume [2]string) saveResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range batch {
		var v int64
		var err error
		if p.value.IsEmpty() {
			v, err = s.drafts.ClearAnswer(ctx, s.ref, p.id, s.version)
		} else {
			v, err = s.drafts.SaveAnswer(ctx, s.ref, p.id, p.value, s.version)
		}
		if err != nil {
			return saveResult{version: s.version, err: err, unsaved: batch[i:]}
		}
		s.version = v
	}
	if resume[0] != "" && s.version > 0 {
		// Where to resume is a convenience: failing to record it loses no answer. A draft
		// nothing was saved to yet is not created for it: opening one and moving about
		// without answering must not mark it changed.
		_ = s.drafts.SetResume(ctx, s.ref, resume[0], resume[1])
	}
	return saveResult{version: s.version, at: s.now()}
}

// savePoint makes a save point of the draft as saved.
func (s *saver) savePoint(ctx context.Context, message string) (store.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rev, v, err := s.drafts.SavePoint(ctx, s.ref, message, s.version)
	if err == nil {
		s.version = v
	}
	return rev, err
}

// discard returns the draft to its latest save point and loads it again.
func (s *saver) discard(ctx context.Context) (store.Draft, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.drafts.Discard(ctx, s.ref, s.version); err != nil {
		return store.Draft{}, err
	}
	return s.loadLocked(ctx)
}

// reload reads the draft again, as another process left it.
func (s *saver) reload(ctx context.Context) (store.Draft, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadLocked(ctx)
}

func (s *saver) loadLocked(ctx context.Context) (store.Draft, error) {
	d, err := s.drafts.Load(ctx, s.ref)
	if err == nil {
		s.version = d.Version
	}
	return d, err
}

// isConflict reports whether err says another process changed the draft.
func isConflict(err error) (*store.ConflictError, bool) {
	var ce *store.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}
