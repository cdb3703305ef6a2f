package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// migrateSavePoints is the Go step of 0005_save_point_changes.sql: it turns the full
// copies of schemas 1 to 4 (revisions_v1.snapshot) into save points that keep what
// changed, by the same rule as new save points, then drops the old table. It runs inside the
// migration's transaction: the file has the old form or the new, never half of each.
//
// A copy that cannot be decoded is kept, as it was, in revisions.damaged: that save point
// stays listed and unreadable instead of making the upgrade, or the app, fail.
func migrateSavePoints(ctx context.Context, tx *sql.Tx) error {
	var drafts []int64
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT draft_id FROM revisions_v1 ORDER BY draft_id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		drafts = append(drafts, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	q := stmtTx{tx: tx}
	for _, id := range drafts {
		if err := migrateDraftSavePoints(ctx, q, id); err != nil {
			return fmt.Errorf("save points of draft %d: %w", id, err)
		}
	}
	_, err = tx.ExecContext(ctx, "DROP TABLE revisions_v1")
	return err
}

// v1SavePoint is one row of revisions_v1.
type v1SavePoint struct {
	number        int
	at            int64
	kind, message string
	snapshot      string
}

func migrateDraftSavePoints(ctx context.Context, q stmtTx, draftID int64) error {
	rows, err := q.QueryContext(ctx, "SELECT number, at, kind, message, snapshot FROM revisions_v1 WHERE draft_id = ? ORDER BY number", draftID)
	if err != nil {
		return err
	}
	var old []v1SavePoint
	for rows.Next() {
		var r v1SavePoint
		if err := rows.Scan(&r.number, &r.at, &r.kind, &r.message, &r.snapshot); err != nil {
			rows.Close()
			return err
		}
		old = append(old, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	latest := 0
	ref := DraftRef{Subject: fmt.Sprintf("draft %d", draftID)} // only named in errors
	for _, r := range old {
		st, ok := decodeV1(r.snapshot)
		if !ok {
			if _, err := q.ExecContext(ctx, "INSERT INTO revisions (draft_id, number, at, kind, message, base, damaged) VALUES (?, ?, ?, ?, ?, ?, ?)",
				draftID, r.number, r.at, r.kind, r.message, r.number, r.snapshot); err != nil {
				return err
			}
		} else if err := writeSavePoint(ctx, q, ref, draftID, latest, r.number, r.at, r.kind, r.message, st); err != nil {
			return err
		}
		latest = r.number
	}
	return nil
}

// decodeV1 reads a full copy of schemas 1 to 4; ok is false for one that is not what pstab
// wrote.
func decodeV1(body string) (state, bool) {
	var snap snapshotV1
	if err := json.Unmarshal([]byte(body), &snap); err != nil {
		return nil, false
	}
	raw := make(map[string]string, len(snap.Answers))
	for id, v := range snap.Answers {
		raw[id] = string(v)
	}
	return stateOf(raw, nullJSON(snap.Extra), nullJSON(snap.Envelope)), true
}
