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
	// MergeAnswer saves one answer (an empty value clears it) on top of other pstabs'
	// changes to other questions; only a change to the same question conflicts.
	MergeAnswer(ctx context.Context, ref store.DraftRef, questionID string, v questionnaire.Value, expect int64) (store.Saved, error)
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
	// seenAt holds, for a question another pstab changed that this one has not shown
	// since, the version at which the partner last saw it: its save must expect that
	// version, not the draft's, so that it collides with the change instead of quietly
	// overwriting it. The partner reloading clears it.
	seenAt map[string]int64
}

// expectFor is the version a save of question id must expect.
func (s *saver) expectFor(id string) int64 {
	if v, ok := s.seenAt[id]; ok {
		return v
	}
	return s.version
}

// markUnseen records that question id changed elsewhere after version seen.
func (s *saver) markUnseen(id string, seen int64) {
	if s.seenAt == nil {
		s.seenAt = map[string]int64{}
	}
	if _, ok := s.seenAt[id]; !ok {
		s.seenAt[id] = seen
	}
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
	// merged are the questions another pstab changed meanwhile, which the saves left as
	// it made them; merge is the draft read again after them, to show those answers as
	// they are now (nil when nothing merged, or the draft could not be read).
	merged []string
	merge  *store.Draft
	base   int64 // the version the session was in step with before the batch
}

// save writes a batch of answers, each in its own transaction, in order, merging them with
// what other pstabs changed meanwhile: only another change to the same question stops it.
// It stops at the first failure and hands back what was not saved. When other questions
// changed, it reads the draft again, so that the session shows (and later saves on top of)
// those answers as they are now, not as this pstab last saw them.
func (s *saver) save(ctx context.Context, batch []pendingAnswer, resume [2]string) saveResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := s.version // the version the session's answers were last in step with
	var merged []string
	var unsaved []pendingAnswer
	var firstErr error
	inBatch := make(map[string]bool, len(batch))
	for _, p := range batch {
		inBatch[p.id] = true
	}
	for i, p := range batch {
		saved, err := s.drafts.MergeAnswer(ctx, s.ref, p.id, p.value, s.expectFor(p.id))
		if _, ok := isConflict(err); ok {
			// This question changed elsewhere too: keep it, and go on with the others,
			// which merge. Later saves of it keep colliding until the partner reloads.
			s.markUnseen(p.id, s.expectFor(p.id))
			unsaved = append(unsaved, p)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err != nil {
			return saveResult{version: s.version, err: err, unsaved: append(unsaved, batch[i:]...), merged: merged}
		}
		delete(s.seenAt, p.id)
		s.version = max(s.version, saved.Version)
		for _, id := range saved.Merged {
			if id != p.id && inBatch[id] {
				s.markUnseen(id, base) // changed elsewhere before this pstab's save of it
			}
		}
		merged = append(merged, saved.Merged...)
	}
	if firstErr != nil {
		return saveResult{version: s.version, err: firstErr, unsaved: unsaved, merged: merged}
	}
	if resume[0] != "" && s.version > 0 {
		// Where to resume is a convenience: failing to record it loses no answer. A draft
		// nothing was saved to yet is not created for it: opening one and moving about
		// without answering must not mark it changed.
		_ = s.drafts.SetResume(ctx, s.ref, resume[0], resume[1])
	}
	res := saveResult{version: s.version, at: s.now(), merged: merged, base: base}
	if len(merged) > 0 {
		if d, err := s.loadLocked(ctx); err == nil {
			res.merge = &d
		}
	}
	return res
}

// unseen marks questions another pstab changed after version base, which the session
// still holds unsaved answers to: their saves collide instead of overwriting the change.
func (s *saver) unseen(ids []string, base int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.markUnseen(id, base)
	}
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
	s.seenAt = nil
	return s.loadLocked(ctx)
}

// reload reads the draft again, as another process left it: the partner sees every
// answer as it is now, so none is unseen any more.
func (s *saver) reload(ctx context.Context) (store.Draft, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.loadLocked(ctx)
	if err == nil {
		s.seenAt = nil
	}
	return d, err
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
