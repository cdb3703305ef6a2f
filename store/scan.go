package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// EventScan is the kind of the save point pstab scan --into makes.
const EventScan = "scan"

// ScanRecord is what the latest scan of an app's manifest found, kept with its draft so
// that later checks compare the answers with the manifest. The store keeps Facts as the
// scan wrote them: their shape is the scan's business.
type ScanRecord struct {
	At     time.Time
	Source string // the files read, for messages
	Facts  json.RawMessage
}

// ScannedAnswer is one answer a scan writes, with where in the manifest it comes from.
type ScannedAnswer struct {
	Question string
	Value    questionnaire.Value
	Source   string // e.g. "manifest.yml line 14"
}

// AnswerSource says where an answer came from. The store reports it only while the answer
// still holds the value the scan gave: once the partner changes it, it is theirs.
type AnswerSource struct {
	Question string
	Source   string
	At       time.Time
}

// ApplyScan writes the answers a scan gives and keeps the scan's record, all in one
// transaction, and makes one save point of the result (with any unsaved changes the draft
// had, which are kept, not lost). With no answers it only keeps the record, makes no save
// point and leaves the version as it is. When expect is not AnyVersion and the draft
// changed since, nothing is written and the error is a *ConflictError.
func (s *Store) ApplyScan(ctx context.Context, ref DraftRef, rec ScanRecord, answers []ScannedAnswer, message string, expect int64) (Revision, int64, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return Revision{}, 0, fmt.Errorf("apply scan: %w", err)
	}
	if cat.Level == "partner" {
		return Revision{}, 0, errors.New("apply scan: a scan answers an app's questionnaire, not the partner's")
	}
	if !json.Valid(rec.Facts) {
		return Revision{}, 0, errors.New("apply scan: the scan's record is not JSON")
	}
	raws := make([]string, len(answers))
	for i, a := range answers {
		q := cat.Question(a.Question)
		if q == nil {
			return Revision{}, 0, fmt.Errorf("apply scan: %s has no question %q", cat.ID, a.Question)
		}
		if a.Value.IsEmpty() {
			return Revision{}, 0, fmt.Errorf("apply scan: the answer to %s is empty", a.Question)
		}
		b, err := questionnaire.MarshalValue(q, a.Value)
		if err != nil {
			return Revision{}, 0, fmt.Errorf("apply scan: %w", err)
		}
		raws[i] = string(b)
	}
	at := rec.At
	if at.IsZero() {
		at = s.now()
	}
	var rev Revision
	v, err := s.writeDraft(ctx, "apply scan", ref, expect, func(dt *draftTx) error {
		if err := dt.ensure(); err != nil {
			return err
		}
		if _, err := dt.q.ExecContext(ctx, `INSERT INTO scans (draft_id, scanned_at, source, facts) VALUES (?, ?, ?, ?)
			ON CONFLICT (draft_id) DO UPDATE SET scanned_at = excluded.scanned_at, source = excluded.source, facts = excluded.facts`,
			dt.row.id, at.UnixNano(), rec.Source, string(rec.Facts)); err != nil {
			return err
		}
		dt.wrote = true
		if len(answers) == 0 {
			return nil
		}
		for i, a := range answers {
			if err := dt.setAnswer(a.Question, raws[i]); err != nil {
				return err
			}
			if _, err := dt.q.ExecContext(ctx, `INSERT INTO answer_sources (draft_id, question, value, source, at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (draft_id, question) DO UPDATE SET value = excluded.value, source = excluded.source, at = excluded.at`,
				dt.row.id, a.Question, raws[i], a.Source, at.UnixNano()); err != nil {
				return err
			}
		}
		var err error
		rev, err = dt.savePoint(EventScan, message)
		return err
	})
	return rev, v, err
}

// Scan returns the record of the latest scan kept with a draft, and whether there is one.
func (s *Store) Scan(ctx context.Context, ref DraftRef) (ScanRecord, bool, error) {
	if _, err := s.catalogue(ref); err != nil {
		return ScanRecord{}, false, fmt.Errorf("read scan: %w", err)
	}
	var rec ScanRecord
	found := false
	err := s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil || row.id == 0 {
			return err
		}
		var at int64
		var facts string
		err = tx.QueryRowContext(ctx, "SELECT scanned_at, source, facts FROM scans WHERE draft_id = ?", row.id).Scan(&at, &rec.Source, &facts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		rec.At, rec.Facts, found = time.Unix(0, at), json.RawMessage(facts), true
		return nil
	})
	if err != nil {
		return ScanRecord{}, false, s.check("read scan", err)
	}
	return rec, found, nil
}

// AnswerSources returns, by question, where the draft's answers came from, for the answers
// that still hold the value a scan gave them.
func (s *Store) AnswerSources(ctx context.Context, ref DraftRef) (map[string]AnswerSource, error) {
	if _, err := s.catalogue(ref); err != nil {
		return nil, fmt.Errorf("read answer sources: %w", err)
	}
	out := map[string]AnswerSource{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil || row.id == 0 {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.question, s.source, s.at FROM answer_sources s
			JOIN answers a ON a.draft_id = s.draft_id AND a.question = s.question AND a.value = s.value
			WHERE s.draft_id = ?`, row.id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var src AnswerSource
			var at int64
			if err := rows.Scan(&src.Question, &src.Source, &at); err != nil {
				return err
			}
			src.At = time.Unix(0, at)
			out[src.Question] = src
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.check("read answer sources", err)
	}
	return out, nil
}
