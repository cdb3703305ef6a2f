package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// A save point is kept as the answers that differ from the save point before it: rows of
// revision_answers, with a NULL value for an answer removed. Thirty save points of a draft
// whose answers change a few at a time then hold each answer about once, where full
// copies held it thirty times. Every so often a save point is kept whole (its base is
// itself), so that reading one never replays more than a few drafts' worth of rows.

// The keys under which a save point keeps the payload fields no question takes. Question
// IDs never start with @ (the catalogue loader allows [a-z0-9-] only).
const (
	keyExtra    = "@extra"
	keyEnvelope = "@envelope"
)

// state is a draft's content as a save point holds it: question ID, or keyExtra and
// keyEnvelope, to JSON.
type state map[string]string

// stateOf joins working answers with their Extra and Envelope.
func stateOf(raw map[string]string, extra, envelope sql.NullString) state {
	st := make(state, len(raw)+2)
	maps.Copy(st, raw)
	if extra.Valid {
		st[keyExtra] = extra.String
	}
	if envelope.Valid {
		st[keyEnvelope] = envelope.String
	}
	return st
}

// split is the inverse of stateOf.
func (st state) split() (raw map[string]string, extra, envelope sql.NullString) {
	raw = make(map[string]string, len(st))
	for k, v := range st {
		switch k {
		case keyExtra:
			extra = nullJSON(json.RawMessage(v))
		case keyEnvelope:
			envelope = nullJSON(json.RawMessage(v))
		default:
			raw[k] = v
		}
	}
	return raw, extra, envelope
}

// same reports whether two states hold the same content, compared as JSON.
func (st state) same(other state) bool {
	return st.sameMeaning(nil, other)
}

// sameMeaning reports whether two states hold the same content. With a catalogue, answers
// compare by meaning (a tri-state stored as "TRUE" in a save point and as true in the
// working draft is the same answer), so that a draft is not dirty for a spelling; without
// one, and for Extra and Envelope, as JSON.
func (st state) sameMeaning(c *questionnaire.Catalogue, other state) bool {
	if len(st) != len(other) {
		return false
	}
	for k, v := range st {
		w, ok := other[k]
		if !ok {
			return false
		}
		if !sameJSON(v, w) && (c == nil || !sameAnswer(c, k, v, w)) {
			return false
		}
	}
	return true
}

// delta returns what turns prev into st: the values that changed or appeared, and ""
// for the keys st no longer has.
func (st state) delta(prev state) map[string]string {
	d := map[string]string{}
	for k, v := range st {
		if w, ok := prev[k]; !ok || !sameJSON(v, w) {
			d[k] = v
		}
	}
	for k := range prev {
		if _, ok := st[k]; !ok {
			d[k] = ""
		}
	}
	return d
}

// SavePointError says that one save point cannot be read: its stored form is damaged.
// The draft and the other save points are not affected.
type SavePointError struct {
	Ref    DraftRef
	Number int
	// Detail says what is wrong, e.g. "the answer to security-contact is not JSON".
	Detail string
}

// Error names the save point and says that nothing else is lost.
func (e *SavePointError) Error() string {
	return fmt.Sprintf("save point %d of %s is damaged (%s) and cannot be read; the working draft and the other save points are not affected",
		e.Number, e.Ref, e.Detail)
}

// readState reads save point number of a draft by replaying its chain; number 0 is the
// empty draft. It also returns how many rows it replayed, which decides when the next
// save point is kept whole. A damaged save point gives a *SavePointError.
func readState(ctx context.Context, q queryer, ref DraftRef, draftID int64, number int) (state, int, error) {
	if number == 0 || draftID == 0 {
		return state{}, 0, nil
	}
	var base int
	var damaged sql.NullString
	err := q.QueryRowContext(ctx, qSavePoint, draftID, number).Scan(&base, &damaged)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("save point %d: %w", number, ErrNotFound)
	}
	if err != nil {
		return nil, 0, err
	}
	if damaged.Valid {
		return nil, 0, &SavePointError{Ref: ref, Number: number, Detail: "its copy could not be read when the file was upgraded; it is kept as it was"}
	}
	rows, err := q.QueryContext(ctx, qSavePointRows, draftID, base, number)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	st, n := state{}, 0
	for rows.Next() {
		var key string
		var v sql.NullString
		if err := rows.Scan(&key, &v); err != nil {
			return nil, 0, err
		}
		n++
		if v.Valid {
			st[key] = v.String
		} else {
			delete(st, key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	// Rows are an input boundary: a value that is not JSON damages this save point only.
	for _, k := range slices.Sorted(maps.Keys(st)) {
		if !json.Valid([]byte(st[k])) {
			return nil, 0, &SavePointError{Ref: ref, Number: number, Detail: "the answer to " + k + " is not JSON"}
		}
	}
	return st, n, nil
}

// wholeEvery bounds the replay: a save point is kept whole once its chain would hold more
// rows than this many times the draft's size (plus a little, for tiny drafts).
const wholeEvery = 3

// writeSavePoint records st as save point number, after latest (0 for none): as the rows
// that differ from latest, or whole when latest cannot be read or the chain is long.
func writeSavePoint(ctx context.Context, q stmtTx, ref DraftRef, draftID int64, latest, number int, at int64, kind, message string, st state) error {
	var rows map[string]string
	base := number
	prev, chain, err := readState(ctx, q, ref, draftID, latest)
	var spe *SavePointError
	switch {
	case errors.As(err, &spe):
		rows = st // a damaged save point is no base to build on
	case err != nil:
		return err
	case latest == 0:
		rows = st
	default:
		rows = st.delta(prev)
		if chain+len(rows) > wholeEvery*len(st)+8 {
			rows = st
		} else {
			var prevBase int
			if err := q.QueryRowContext(ctx, qSavePoint, draftID, latest).Scan(&prevBase, new(sql.NullString)); err != nil {
				return err
			}
			base = prevBase
		}
	}
	if _, err := q.ExecContext(ctx, qInsertSavePoint, draftID, number, at, kind, message, base); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(rows)) {
		v := sql.NullString{String: rows[k], Valid: rows[k] != ""}
		if _, err := q.ExecContext(ctx, qInsertSavePointRow, draftID, number, k, v); err != nil {
			return err
		}
	}
	return nil
}

// savePointMeta is one save point's row in revisions.
type savePointMeta struct {
	Revision
	base    int
	damaged bool
}

// listSavePoints returns a draft's save points, oldest first, with Damaged set on those
// that cannot be read.
func listSavePoints(ctx context.Context, q queryer, ref DraftRef, draftID int64) ([]Revision, error) {
	rows, err := q.QueryContext(ctx, qListSavePoints, draftID)
	if err != nil {
		return nil, err
	}
	var metas []savePointMeta
	for rows.Next() {
		var m savePointMeta
		var at int64
		if err := rows.Scan(&m.Number, &at, &m.Kind, &m.Message, &m.base, &m.damaged); err != nil {
			rows.Close()
			return nil, err
		}
		m.At = time.Unix(0, at)
		metas = append(metas, m)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	damaged, err := damagedSavePoints(ctx, q, draftID, metas)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, len(metas))
	for i, m := range metas {
		out[i] = m.Revision
		out[i].Damaged = m.damaged || damaged[m.Number]
	}
	return out, nil
}

// damagedSavePoints finds the save points that read a stored value that is not JSON: the
// one that wrote it, and the later ones of its chain until the question is written again.
// Such values are rare (a scribbled file), so each costs a query of its own.
func damagedSavePoints(ctx context.Context, q queryer, draftID int64, metas []savePointMeta) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, qInvalidSavePointRows, draftID)
	if err != nil {
		return nil, err
	}
	type bad struct {
		number int
		key    string
	}
	var bads []bad
	for rows.Next() {
		var b bad
		if err := rows.Scan(&b.number, &b.key); err != nil {
			rows.Close()
			return nil, err
		}
		bads = append(bads, b)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, b := range bads {
		next := int(^uint(0) >> 1)
		var n sql.NullInt64
		if err := q.QueryRowContext(ctx, qNextSavePointRow, draftID, b.key, b.number).Scan(&n); err != nil {
			return nil, err
		}
		if n.Valid {
			next = int(n.Int64)
		}
		for _, m := range metas {
			if m.Number >= b.number && m.Number < next && m.base <= b.number {
				out[m.Number] = true
			}
		}
	}
	return out, nil
}
