package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// SavePoint records the working answers as a new save point with an optional message. It
// returns the save point and the draft's new version.
func (s *Store) SavePoint(ctx context.Context, ref DraftRef, message string, expect int64) (Revision, int64, error) {
	var rev Revision
	v, err := s.writeDraft(ctx, "make save point", ref, expect, func(dt *draftTx) error {
		var err error
		rev, err = dt.savePoint(EventSavePoint, message)
		return err
	})
	return rev, v, err
}

// Discard throws away the changes since the latest save point: the draft goes back to it,
// or to empty when there is none. With nothing to discard it writes nothing.
func (s *Store) Discard(ctx context.Context, ref DraftRef, expect int64) (int64, error) {
	return s.writeDraft(ctx, "discard changes", ref, expect, func(dt *draftTx) error {
		if dt.row.id == 0 {
			return nil
		}
		raw, err := dt.answers()
		if err != nil {
			return err
		}
		snap, err := dt.latest()
		if err != nil {
			return err
		}
		if snap.sameMeaning(dt.cat, stateOf(raw, dt.row.extra, dt.row.envelope)) {
			return nil
		}
		to, extra, envelope := snap.split()
		n := changedCount(raw, to)
		if err := dt.replace(to, extra, envelope); err != nil {
			return err
		}
		detail := questionnaire.Plural(n, "changed answer") + " discarded"
		if dt.row.revision > 0 {
			detail += fmt.Sprintf(", back to save point %d", dt.row.revision)
		}
		return dt.event(EventDiscard, detail)
	})
}

// changedCount counts the questions whose answer differs between two sets.
func changedCount(a, b map[string]string) int {
	n := 0
	for id, v := range a {
		if w, ok := b[id]; !ok || !sameJSON(v, w) {
			n++
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			n++
		}
	}
	return n
}

// Revisions lists a draft's save points, oldest first. A save point whose stored form is
// damaged is listed with Damaged set; reading it gives a *SavePointError.
func (s *Store) Revisions(ctx context.Context, ref DraftRef) ([]Revision, error) {
	if _, err := s.catalogue(ref); err != nil {
		return nil, fmt.Errorf("list save points: %w", err)
	}
	var out []Revision
	err := s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil || row.id == 0 {
			return err
		}
		out, err = listSavePoints(ctx, s.on(tx), ref, row.id)
		return err
	})
	return out, s.check("list save points", err)
}

// RevisionAnswers returns the answers (with Extra and Envelope) of one save point, or
// ErrNotFound.
func (s *Store) RevisionAnswers(ctx context.Context, ref DraftRef, number int) (questionnaire.Answers, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return questionnaire.Answers{}, fmt.Errorf("read save point: %w", err)
	}
	var a questionnaire.Answers
	err = s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil {
			return err
		}
		if number < 1 || number > row.revision {
			return fmt.Errorf("save point %d of %s: %w", number, ref, ErrNotFound)
		}
		snap, _, err := readState(ctx, s.on(tx), ref, row.id, number)
		if err != nil {
			return err
		}
		raw, extra, envelope := snap.split()
		a = decodeAnswers(cat, raw, extra, envelope)
		return nil
	})
	return a, s.check("read save point", err)
}

// Revert makes save point number the working draft again, as a new save point: nothing is
// destroyed, and unsaved changes are kept in a save point of their own first.
func (s *Store) Revert(ctx context.Context, ref DraftRef, number int, expect int64) (Revision, int64, error) {
	var rev Revision
	v, err := s.writeDraft(ctx, "revert", ref, expect, func(dt *draftTx) error {
		if number < 1 || number > dt.row.revision {
			return fmt.Errorf("save point %d of %s: %w", number, ref, ErrNotFound)
		}
		snap, _, err := readState(ctx, dt.q, ref, dt.row.id, number)
		if err != nil {
			return err
		}
		if err := dt.keepUnsaved(fmt.Sprintf("unsaved changes before reverting to save point %d", number)); err != nil {
			return err
		}
		raw, extra, envelope := snap.split()
		if err := dt.replace(raw, extra, envelope); err != nil {
			return err
		}
		rev, err = dt.savePoint(EventRevert, fmt.Sprintf("reverted to save point %d", number))
		return err
	})
	return rev, v, err
}

// Replace makes answers (with their Extra and Envelope) the whole working draft and a save
// point of the given kind (EventImport or EventPull). Unsaved changes are kept in a save
// point of their own first. It is one transaction: all the answers land, or none.
func (s *Store) Replace(ctx context.Context, ref DraftRef, answers questionnaire.Answers, kind, message string, expect int64) (Revision, int64, error) {
	switch kind {
	case EventImport, EventPull, EventSavePoint, EventCopy, EventRevert, EventSubmit, EventPublish:
	default:
		return Revision{}, 0, fmt.Errorf("replace draft: %q is not a kind of save point", kind)
	}
	cat, err := s.catalogue(ref)
	if err != nil {
		return Revision{}, 0, fmt.Errorf("replace draft: %w", err)
	}
	raw, err := encodeAnswers(cat, answers)
	if err != nil {
		return Revision{}, 0, fmt.Errorf("replace draft: %w", err)
	}
	extra, err := encodeTree(answers.Extra)
	if err != nil {
		return Revision{}, 0, fmt.Errorf("replace draft: %w", err)
	}
	envelope, err := encodeTree(answers.Envelope)
	if err != nil {
		return Revision{}, 0, fmt.Errorf("replace draft: %w", err)
	}
	var rev Revision
	v, err := s.writeDraft(ctx, "replace draft", ref, expect, func(dt *draftTx) error {
		if err := dt.keepUnsaved("unsaved changes before " + kind); err != nil {
			return err
		}
		if err := dt.replace(raw, extra, envelope); err != nil {
			return err
		}
		rev, err = dt.savePoint(kind, message)
		return err
	})
	return rev, v, err
}

// Copy copies every answer of app fromKey into app toKey, as a new save point of toKey's
// draft (unsaved changes there are kept in a save point first). toKey keeps its own Extra
// and Envelope: those are server fields of its own listing. Both apps must exist. It
// returns the save point made in toKey's Privacy & Security draft.
func (s *Store) Copy(ctx context.Context, fromKey, toKey string) (Revision, error) {
	if err := s.questionnaires(); err != nil {
		return Revision{}, err
	}
	if s.appCat == nil {
		return Revision{}, errors.New("copy answers: no app questionnaire loaded")
	}
	if fromKey == toKey {
		return Revision{}, fmt.Errorf("copy answers: %s and %s are the same app", fromKey, toKey)
	}
	from := DraftRef{Subject: fromKey, Questionnaire: s.appCat.ID}
	to := DraftRef{Subject: toKey, Questionnaire: s.appCat.ID}
	var rev Revision
	// The source is read inside the same transaction, so the copy is of one moment.
	_, err := s.writeDraft(ctx, "copy answers", to, AnyVersion, func(dt *draftTx) error {
		src, err := findDraft(ctx, dt.q, from)
		if err != nil {
			return err
		}
		raw, err := rawAnswers(ctx, dt.q, src.id)
		if err != nil {
			return err
		}
		if len(raw) == 0 {
			return fmt.Errorf("%s has no answers to copy", fromKey)
		}
		if err := dt.keepUnsaved("unsaved changes before copying from " + fromKey); err != nil {
			return err
		}
		if err := dt.replace(raw, dt.row.extra, dt.row.envelope); err != nil {
			return err
		}
		rev, err = dt.savePoint(EventCopy, "copied from "+fromKey)
		if err != nil {
			return err
		}
		_, err = dt.q.ExecContext(ctx, qInsertEvent,
			src.id, dt.now, EventCopy, fmt.Sprintf("%s copied to %s", questionnaire.Plural(len(raw), "answer"), toKey))
		return err
	})
	return rev, err
}

// History returns a draft's events, oldest first.
func (s *Store) History(ctx context.Context, ref DraftRef) ([]Event, error) {
	if _, err := s.catalogue(ref); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	var out []Event
	err := s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil || row.id == 0 {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT at, kind, detail FROM events WHERE draft_id = ? ORDER BY id", row.id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e Event
			var at int64
			if err := rows.Scan(&at, &e.Kind, &e.Detail); err != nil {
				return err
			}
			e.At = time.Unix(0, at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, s.check("read history", err)
}

// Record adds an event to a draft's history, such as an export or a submit. It does not
// change the draft's version.
func (s *Store) Record(ctx context.Context, ref DraftRef, kind, detail string) error {
	switch kind {
	case EventSavePoint, EventDiscard, EventImport, EventCopy, EventRevert, EventSubmit, EventPull, EventExport, EventPublish:
	default:
		return fmt.Errorf("record event: unknown kind %q", kind)
	}
	_, err := s.writeDraft(ctx, "record event", ref, AnyVersion, func(dt *draftTx) error {
		return dt.event(kind, detail)
	})
	return err
}
