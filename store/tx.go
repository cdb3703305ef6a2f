package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// errNoChange, returned by a transaction's function, rolls the transaction back without
// error: there was nothing to write.
var errNoChange = errors.New("no change")

// withTx runs fn in one immediate transaction (the DSN's _txlock) and commits it. It
// returns only after COMMIT has returned, so a nil error means the change is on disk.
//
// The first write of a Store runs fullCheck first: nothing is written to a file before
// it is known to be whole. A wait for another pstab's transaction is announced after a
// second and ends with the busy timeout.
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	if err := s.fullCheck(ctx); err != nil {
		return err
	}
	stop := s.announce()
	tx, err := s.db.BeginTx(ctx, nil)
	stop()
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		if errors.Is(err, errNoChange) {
			return nil
		}
		return err
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	return tx.Commit()
}

// read runs fn in a read-only (deferred) transaction, so that what it reads is one
// consistent snapshot and it never waits for a writer.
func (s *Store) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// catalogue returns the questionnaire a draft answers, checking that the subject fits it.
func (s *Store) catalogue(ref DraftRef) (*questionnaire.Catalogue, error) {
	if err := s.questionnaires(); err != nil {
		return nil, err
	}
	c := s.cats[ref.Questionnaire]
	if c == nil {
		return nil, fmt.Errorf("unknown questionnaire %q", ref.Questionnaire)
	}
	switch {
	case ref.Subject == "":
		return nil, errors.New("a draft needs an app key")
	case c.Level == "partner" && ref.Subject != PartnerKey:
		return nil, fmt.Errorf("the %s is answered once per partner, not per app", c.Title)
	case c.Level != "partner" && ref.Subject == PartnerKey:
		return nil, fmt.Errorf("the %s is answered per app, not per partner", c.Title)
	}
	return c, nil
}

// draftRow is a draft's row as a transaction found it; id is 0 for a draft not made yet.
type draftRow struct {
	id                            int64
	version                       int64
	revision                      int
	extra, envelope               sql.NullString
	status, formStatus            string
	resumeSection, resumeQuestion string
	createdAt, updatedAt          int64
}

// queryer is what both *sql.Tx and *sql.DB offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// findDraft reads the row of ref's draft, after checking that its subject exists.
func findDraft(ctx context.Context, q queryer, ref DraftRef) (draftRow, error) {
	var apps int
	var id, version, revision, createdAt, updatedAt sql.NullInt64
	var status, formStatus, section, question sql.NullString
	var r draftRow
	err := q.QueryRowContext(ctx, qFindDraft, ref.Subject, ref.Questionnaire).Scan(&apps, &id, &version, &revision,
		&r.extra, &r.envelope, &status, &formStatus, &section, &question, &createdAt, &updatedAt)
	if err != nil {
		return draftRow{}, err
	}
	if apps == 0 && ref.Subject != PartnerKey {
		return draftRow{}, fmt.Errorf("app %s: %w", ref.Subject, ErrNotFound)
	}
	if !id.Valid {
		return draftRow{status: StatusDraft}, nil
	}
	r.id, r.version, r.revision = id.Int64, version.Int64, int(revision.Int64)
	r.createdAt, r.updatedAt = createdAt.Int64, updatedAt.Int64
	r.status, r.formStatus, r.resumeSection, r.resumeQuestion = status.String, formStatus.String, section.String, question.String
	return r, nil
}

// draftTx is one write transaction on one draft.
type draftTx struct {
	ctx context.Context
	tx  *sql.Tx
	q   stmtTx
	s   *Store
	ref DraftRef
	cat *questionnaire.Catalogue
	row draftRow
	now int64
	// bump is set when the answers, Extra or save points changed: the version goes up and
	// the progress is recomputed. wrote is set by any write at all.
	bump, wrote bool
	// changed holds the answers setAnswer wrote ("" for removed), and replaced says
	// whether replace rewrote them all: finish uses them to update the cached progress.
	changed  map[string]string
	replaced bool
	// progress is what finish computed, for the cache once the transaction has committed.
	progress *progressEntry
}

// writeDraft runs fn on ref's draft in one immediate transaction. When expect is not
// AnyVersion and the draft's version is not expect, nothing is written and the error is a
// *ConflictError naming every question changed since expect. It returns the draft's
// version after the transaction.
func (s *Store) writeDraft(ctx context.Context, op string, ref DraftRef, expect int64, fn func(*draftTx) error) (int64, error) {
	v, _, err := s.writeDraftOn(ctx, op, ref, expect, "", fn)
	return v, err
}

// writeDraftOn is writeDraft for a write of one question: on a stale version it conflicts
// only when that question changed since expect, and otherwise goes ahead and returns the
// questions changed meanwhile (merged). With question "" every change conflicts.
func (s *Store) writeDraftOn(ctx context.Context, op string, ref DraftRef, expect int64, question string, fn func(*draftTx) error) (int64, []string, error) {
	cat, err := s.catalogue(ref)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	var version int64
	var merged []string
	var dt *draftTx
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		dt = &draftTx{ctx: ctx, tx: tx, q: s.on(tx), s: s, ref: ref, cat: cat, now: s.now().UnixNano()}
		if dt.row, err = findDraft(ctx, dt.q, ref); err != nil {
			return err
		}
		version = dt.row.version
		merged = nil
		if expect != AnyVersion && expect != dt.row.version {
			changed, err := dt.changedSince(expect)
			if err != nil {
				return err
			}
			if question == "" || expect > dt.row.version || slices.Contains(changed, question) {
				ce := &ConflictError{Ref: ref, Expected: expect, Current: dt.row.version,
					ChangedAt: time.Unix(0, dt.row.updatedAt), Questions: changed}
				if question != "" && slices.Contains(changed, question) {
					ce.Questions = []string{question}
				}
				return ce
			}
			merged = changed
		}
		if err := fn(dt); err != nil {
			return err
		}
		if !dt.wrote && !dt.bump {
			return errNoChange
		}
		if err := dt.finish(); err != nil {
			return err
		}
		version = dt.row.version
		return nil
	})
	if err != nil {
		return 0, nil, s.check(op, err)
	}
	if dt != nil && dt.progress != nil {
		s.cache.put(dt.row.id, *dt.progress)
	}
	return version, merged, nil
}

// changedSince lists the questions set or removed after version v, in ID order.
func (dt *draftTx) changedSince(v int64) ([]string, error) {
	if dt.row.id == 0 {
		return nil, nil
	}
	rows, err := dt.q.QueryContext(dt.ctx, qChangedSince, dt.row.id, v)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ensure creates the draft's row if it does not exist yet.
func (dt *draftTx) ensure() error {
	if dt.row.id != 0 {
		return nil
	}
	total := dt.cat.Progress(questionnaire.NewAnswers()).Total
	err := dt.q.QueryRowContext(dt.ctx, qCreateDraft, dt.ref.Subject, dt.ref.Questionnaire, total, dt.now, dt.now).Scan(&dt.row.id)
	if err != nil {
		return fmt.Errorf("create draft: %w", err)
	}
	dt.row.createdAt, dt.row.updatedAt = dt.now, dt.now
	dt.wrote = true
	return nil
}

// finish bumps the version and recomputes the progress after a change to the answers.
// An autosave starts from the answers cached for the version it found, when this process
// has them; otherwise every answer is read and decoded again.
func (dt *draftTx) finish() error {
	if !dt.bump {
		return nil
	}
	var a questionnaire.Answers
	if e, ok := dt.s.cache.get(dt.row.id, dt.row.createdAt, dt.row.version); ok && !dt.replaced {
		a = questionnaire.Answers{Values: maps.Clone(e.answers.Values)}
		for id, raw := range dt.changed {
			a.Set(id, progressValue(dt.cat, id, raw))
		}
	} else {
		raw, err := dt.answers()
		if err != nil {
			return err
		}
		a = progressAnswers(dt.cat, raw)
	}
	p := dt.cat.Progress(a)
	dt.row.version++
	dt.progress = &progressEntry{created: dt.row.createdAt, version: dt.row.version, answers: a}
	_, err := dt.q.ExecContext(dt.ctx, qBump, dt.row.version, p.Answered, p.Total, dt.now, dt.row.id)
	return err
}

// answers returns the working answers as stored: question ID to JSON.
func (dt *draftTx) answers() (map[string]string, error) {
	return rawAnswers(dt.ctx, dt.q, dt.row.id)
}

func rawAnswers(ctx context.Context, q queryer, draftID int64) (map[string]string, error) {
	out := map[string]string{}
	if draftID == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, qAnswers, draftID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, rows.Err()
}

// setAnswer stores one answer (JSON), or removes it when raw is "". Writing the value
// already stored changes nothing and leaves bump unset. The answer is stamped with the
// version this transaction commits, and a removal is remembered in cleared.
func (dt *draftTx) setAnswer(id, raw string) error {
	var res sql.Result
	var err error
	next := dt.row.version + 1
	if raw == "" {
		if dt.row.id == 0 {
			return nil
		}
		res, err = dt.q.ExecContext(dt.ctx, qDeleteAnswer, dt.row.id, id)
	} else {
		if err := dt.ensure(); err != nil {
			return err
		}
		res, err = dt.q.ExecContext(dt.ctx, qUpsertAnswer, dt.row.id, id, raw, dt.now, next)
	}
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return err
	}
	if raw == "" {
		_, err = dt.q.ExecContext(dt.ctx, qClear, dt.row.id, id, next)
	} else {
		_, err = dt.q.ExecContext(dt.ctx, qUnclear, dt.row.id, id)
	}
	dt.bump = true
	if dt.changed == nil {
		dt.changed = map[string]string{}
	}
	dt.changed[id] = raw
	return err
}

// replace makes the given answers, Extra and Envelope the working draft. Only the answers
// that differ are written, so that each keeps the version that really last changed it.
func (dt *draftTx) replace(raw map[string]string, extra, envelope sql.NullString) error {
	if err := dt.ensure(); err != nil {
		return err
	}
	cur, err := dt.answers()
	if err != nil {
		return err
	}
	next := dt.row.version + 1
	for _, id := range slices.Sorted(maps.Keys(raw)) {
		if old, ok := cur[id]; ok && sameJSON(old, raw[id]) {
			continue
		}
		if _, err := dt.q.ExecContext(dt.ctx, qUpsertAnswer, dt.row.id, id, raw[id], dt.now, next); err != nil {
			return err
		}
		if _, err := dt.q.ExecContext(dt.ctx, qUnclear, dt.row.id, id); err != nil {
			return err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cur)) {
		if _, ok := raw[id]; ok {
			continue
		}
		if _, err := dt.q.ExecContext(dt.ctx, qDeleteAnswer, dt.row.id, id); err != nil {
			return err
		}
		if _, err := dt.q.ExecContext(dt.ctx, qClear, dt.row.id, id, next); err != nil {
			return err
		}
	}
	if extra != dt.row.extra || envelope != dt.row.envelope {
		if _, err := dt.q.ExecContext(dt.ctx, "UPDATE drafts SET extra = ?, envelope = ? WHERE id = ?",
			extra, envelope, dt.row.id); err != nil {
			return err
		}
	}
	dt.row.extra, dt.row.envelope = extra, envelope
	dt.bump, dt.replaced = true, true
	return nil
}

// event adds an entry to the draft's history.
func (dt *draftTx) event(kind, detail string) error {
	if err := dt.ensure(); err != nil {
		return err
	}
	_, err := dt.q.ExecContext(dt.ctx, qInsertEvent, dt.row.id, dt.now, kind, detail)
	dt.wrote = true
	return err
}

// latest returns the latest save point's content, or an empty one when there is none.
func (dt *draftTx) latest() (state, error) {
	st, _, err := readState(dt.ctx, dt.q, dt.ref, dt.row.id, dt.row.revision)
	return st, err
}

// current returns the working draft's content.
func (dt *draftTx) current() (state, error) {
	raw, err := dt.answers()
	if err != nil {
		return nil, err
	}
	return stateOf(raw, dt.row.extra, dt.row.envelope), nil
}

// dirty reports whether the working answers differ from the latest save point. A latest
// save point that cannot be read counts as different: keeping one more save point is
// the safe side.
func (dt *draftTx) dirty() (bool, error) {
	cur, err := dt.current()
	if err != nil {
		return false, err
	}
	st, err := dt.latest()
	var spe *SavePointError
	if errors.As(err, &spe) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return !st.sameMeaning(dt.cat, cur), nil
}

// savePoint records the working answers as a new save point.
func (dt *draftTx) savePoint(kind, message string) (Revision, error) {
	if err := dt.ensure(); err != nil {
		return Revision{}, err
	}
	cur, err := dt.current()
	if err != nil {
		return Revision{}, err
	}
	rev := Revision{Number: dt.row.revision + 1, At: time.Unix(0, dt.now), Kind: kind, Message: message}
	if err := writeSavePoint(dt.ctx, dt.q, dt.ref, dt.row.id, dt.row.revision, rev.Number, dt.now, kind, message, cur); err != nil {
		return Revision{}, err
	}
	if _, err := dt.q.ExecContext(dt.ctx, "UPDATE drafts SET revision = ? WHERE id = ?", rev.Number, dt.row.id); err != nil {
		return Revision{}, err
	}
	dt.row.revision = rev.Number
	dt.bump = true
	detail := fmt.Sprintf("save point %d", rev.Number)
	if message != "" {
		detail += ": " + message
	}
	return rev, dt.event(kind, detail)
}

// keepUnsaved makes a save point of the working answers if they differ from the latest
// one, so that an operation replacing them destroys nothing.
func (dt *draftTx) keepUnsaved(why string) error {
	if dt.row.id == 0 {
		return nil
	}
	d, err := dt.dirty()
	if err != nil || !d {
		return err
	}
	_, err = dt.savePoint(EventSavePoint, why)
	return err
}
