package store

import (
	"context"
	"database/sql"
	"errors"
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
		// A latest save point that cannot be read leaves the draft loadable; it then counts
		// as changed since (Revisions says which save point is damaged).
		snap, _, err := readState(ctx, s.on(tx), ref, row.id, row.revision)
		var spe *SavePointError
		dirty := errors.As(err, &spe)
		if err != nil && !dirty {
			return err
		}
		d.Version = row.version
		d.Answers = decodeAnswers(cat, raw, row.extra, row.envelope)
		d.Status, d.FormStatus = row.status, row.formStatus
		d.ResumeSection, d.ResumeQuestion = row.resumeSection, row.resumeQuestion
		d.Revision = row.revision
		d.Dirty = dirty || !snap.sameMeaning(cat, stateOf(raw, row.extra, row.envelope))
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
// writes nothing and returns the current version. Any change to the draft since expect is
// a *ConflictError; MergeAnswer conflicts only on a change to the same question.
func (s *Store) SaveAnswer(ctx context.Context, ref DraftRef, questionID string, v questionnaire.Value, expect int64) (int64, error) {
	return s.saveAnswer(ctx, "save answer", ref, questionID, v, expect)
}

// ClearAnswer removes one answer and returns the draft's new version, as SaveAnswer does.
func (s *Store) ClearAnswer(ctx context.Context, ref DraftRef, questionID string, expect int64) (int64, error) {
	return s.saveAnswer(ctx, "clear answer", ref, questionID, questionnaire.Value{}, expect)
}

// MergeAnswer saves one answer (an empty value clears it) on top of whatever else another
// pstab changed since expect: only a change to this same question since expect is a
// *ConflictError (its Questions is this question). The result says which other questions
// changed meanwhile; the caller must load them again before it shows or saves them (see
// Saved.Merged).
func (s *Store) MergeAnswer(ctx context.Context, ref DraftRef, questionID string, v questionnaire.Value, expect int64) (Saved, error) {
	var out Saved
	raw, err := s.encodeOne(ref, questionID, v)
	if err != nil {
		return Saved{}, fmt.Errorf("save answer: %w", err)
	}
	out.Version, out.Merged, err = s.writeDraftOn(ctx, "save answer", ref, expect, questionID, func(dt *draftTx) error {
		return dt.setAnswer(questionID, raw)
	})
	if err != nil {
		return Saved{}, err
	}
	return out, nil
}

func (s *Store) saveAnswer(ctx context.Context, op string, ref DraftRef, questionID string, v questionnaire.Value, expect int64) (int64, error) {
	raw, err := s.encodeOne(ref, questionID, v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	return s.writeDraft(ctx, op, ref, expect, func(dt *draftTx) error {
		return dt.setAnswer(questionID, raw)
	})
}

// encodeOne checks that the draft's questionnaire has the question and encodes the value
// as stored; an empty value is "".
func (s *Store) encodeOne(ref DraftRef, questionID string, v questionnaire.Value) (string, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return "", err
	}
	q := cat.Question(questionID)
	if q == nil {
		return "", fmt.Errorf("%s has no question %q", cat.ID, questionID)
	}
	if v.IsEmpty() {
		return "", nil
	}
	b, err := questionnaire.MarshalValue(q, v)
	if err != nil {
		return "", err
	}
	return string(b), nil
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
