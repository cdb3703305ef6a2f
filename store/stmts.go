package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The queries of the save path, prepared once per store (prepare) rather than parsed on
// every save: SQL parsing was a quarter of an autosave's CPU time.
const (
	qFindDraft = `SELECT (SELECT count(*) FROM apps WHERE key = ?1), d.id, d.version, d.revision, d.extra, d.envelope,
		d.status, d.form_status, d.resume_section, d.resume_question, d.created_at, d.updated_at
		FROM (SELECT 1) LEFT JOIN drafts d ON d.subject = ?1 AND d.questionnaire = ?2`
	qAnswers = "SELECT question, value FROM answers WHERE draft_id = ?"
	// An upsert that writes only a different value, stamping it with the version the
	// transaction will commit (changed) so that later saves can tell who changed what.
	qUpsertAnswer = `INSERT INTO answers (draft_id, question, value, saved_at, changed) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (draft_id, question) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at,
		changed = excluded.changed WHERE value IS NOT excluded.value`
	qDeleteAnswer = "DELETE FROM answers WHERE draft_id = ? AND question = ?"
	qClear        = `INSERT INTO cleared (draft_id, question, changed) VALUES (?, ?, ?)
		ON CONFLICT (draft_id, question) DO UPDATE SET changed = excluded.changed`
	qUnclear = "DELETE FROM cleared WHERE draft_id = ? AND question = ?"
	// The questions changed, set or removed, after a version: what a stale writer did not see.
	qChangedSince = `SELECT question FROM answers WHERE draft_id = ?1 AND changed > ?2
		UNION SELECT question FROM cleared WHERE draft_id = ?1 AND changed > ?2 ORDER BY 1`
	qBump        = "UPDATE drafts SET version = ?, answered = ?, total = ?, updated_at = ? WHERE id = ?"
	qInsertEvent = "INSERT INTO events (draft_id, at, kind, detail) VALUES (?, ?, ?, ?)"
	qCreateDraft = `INSERT INTO drafts (subject, questionnaire, total, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`

	// Save points (savepoints.go).
	qSavePoint          = "SELECT base, damaged FROM revisions WHERE draft_id = ? AND number = ?"
	qSavePointRows      = "SELECT question, value FROM revision_answers WHERE draft_id = ? AND number BETWEEN ? AND ? ORDER BY number"
	qInsertSavePoint    = `INSERT INTO revisions (draft_id, number, at, kind, message, base) VALUES (?, ?, ?, ?, ?, ?)`
	qInsertSavePointRow = "INSERT INTO revision_answers (draft_id, number, question, value) VALUES (?, ?, ?, ?)"
	qListSavePoints     = `SELECT number, at, kind, message, base, damaged IS NOT NULL FROM revisions
		WHERE draft_id = ? ORDER BY number`
	qInvalidSavePointRows = `SELECT number, question FROM revision_answers
		WHERE draft_id = ? AND value IS NOT NULL AND NOT json_valid(value) ORDER BY number`
	qNextSavePointRow = "SELECT min(number) FROM revision_answers WHERE draft_id = ? AND question = ? AND number > ?"
)

var hotQueries = []string{qFindDraft, qAnswers, qUpsertAnswer, qDeleteAnswer, qClear, qUnclear, qChangedSince, qBump,
	qInsertEvent, qCreateDraft, qSavePoint, qSavePointRows, qInsertSavePoint, qInsertSavePointRow, qListSavePoints,
	qInvalidSavePointRows}

// prepare prepares the hot queries on the store's connection. It runs in Open, before
// any transaction: with one connection, preparing inside one would wait for itself.
func (s *Store) prepare(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// stmtTx runs queries in a transaction, through the prepared statement when there is one.
type stmtTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (s *Store) on(tx *sql.Tx) stmtTx { return stmtTx{tx: tx, stmts: s.stmts} }

func (t stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmts[query]; st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts[query]; st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts[query]; st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}
