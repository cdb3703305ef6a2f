package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// Load returns a working draft. A draft not started yet comes back empty at version 0; a
// subject that does not exist gives ErrNotFound.
func (s *Store) Load(ctx context.Context, ref DraftRef) (Draft, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return Draft{}, fmt.Errorf("load draft: %w", err)
	}
	d := Draft{Ref: ref}
	err = s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil {
			return err
		}
		raw, err := rawAnswers(ctx, s.on(tx), row.id)
		if err != nil {
			return err
		}
		snap, err := readSnapshot(ctx, s.on(tx), row.id, row.revision)
		if err != nil {
			return err
		}
		d.Version = row.version
		d.Answers = decodeAnswers(cat, raw, row.extra, row.envelope)
		d.Status, d.FormStatus = row.status, row.formStatus
		d.ResumeSection, d.ResumeQuestion = row.resumeSection, row.resumeQuestion
		d.Revision = row.revision
		d.Dirty = !snap.sameMeaning(cat, raw, row.extra, row.envelope)
		if row.id != 0 {
			d.UpdatedAt = time.Unix(0, row.updatedAt)
		}
		return nil
	})
	if err != nil {
		return Draft{}, s.check("load draft", err)
	}
	return d, nil
}

// SaveAnswer saves one answer in its own transaction and returns the draft's new version
// once it is committed. An empty value clears the answer. Saving the value already stored
// writes nothing and returns the current version.
func (s *Store) SaveAnswer(ctx context.Context, ref DraftRef, questionID string, v questionnaire.Value, expect int64) (int64, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return 0, fmt.Errorf("save answer: %w", err)
	}
	q := cat.Question(questionID)
	if q == nil {
		return 0, fmt.Errorf("save answer: %s has no question %q", cat.ID, questionID)
	}
	raw := ""
	if !v.IsEmpty() {
		b, err := questionnaire.MarshalValue(q, v)
		if err != nil {
			return 0, fmt.Errorf("save answer: %w", err)
		}
		raw = string(b)
	}
	return s.writeDraft(ctx, "save answer", ref, expect, func(dt *draftTx) error {
		return dt.setAnswer(questionID, raw)
	})
}

// ClearAnswer removes one answer and returns the draft's new version.
func (s *Store) ClearAnswer(ctx context.Context, ref DraftRef, questionID string, expect int64) (int64, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return 0, fmt.Errorf("clear answer: %w", err)
	}
	if cat.Question(questionID) == nil {
		return 0, fmt.Errorf("clear answer: %s has no question %q", cat.ID, questionID)
	}
	return s.writeDraft(ctx, "clear answer", ref, expect, func(dt *draftTx) error {
		return dt.setAnswer(questionID, "")
	})
}

// SetResume records where the partner was (section and question IDs). It is not a change
// to the draft: the version stays, so it never causes a conflict.
func (s *Store) SetResume(ctx context.Context, ref DraftRef, section, question string) error {
	_, err := s.writeDraft(ctx, "set resume position", ref, AnyVersion, func(dt *draftTx) error {
		if dt.row.resumeSection == section && dt.row.resumeQuestion == question {
			return nil
		}
		if err := dt.ensure(); err != nil {
			return err
		}
		_, err := dt.q.ExecContext(ctx, "UPDATE drafts SET resume_section = ?, resume_question = ? WHERE id = ?",
			section, question, dt.row.id)
		dt.wrote = true
		return err
	})
	return err
}

// SetStatus records the draft's status (StatusDraft...) and the Marketplace's formStatus;
// an empty formStatus keeps the one known. The version stays: the answers did not change.
func (s *Store) SetStatus(ctx context.Context, ref DraftRef, status, formStatus string) error {
	switch status {
	case StatusDraft, StatusExported, StatusSubmitted, StatusPublished:
	default:
		return fmt.Errorf("set status: unknown status %q", status)
	}
	_, err := s.writeDraft(ctx, "set status", ref, AnyVersion, func(dt *draftTx) error {
		if formStatus == "" {
			formStatus = dt.row.formStatus
		}
		if dt.row.id != 0 && dt.row.status == status && dt.row.formStatus == formStatus {
			return nil
		}
		if err := dt.ensure(); err != nil {
			return err
		}
		_, err := dt.q.ExecContext(ctx, "UPDATE drafts SET status = ?, form_status = ?, updated_at = ? WHERE id = ?",
			status, formStatus, dt.now, dt.row.id)
		dt.wrote = true
		return err
	})
	return err
}
