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
	qAnswers      = "SELECT question, value FROM answers WHERE draft_id = ?"
	qUpsertAnswer = `INSERT INTO answers (draft_id, question, value, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (draft_id, question) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at
		WHERE value IS NOT excluded.value`
	qDeleteAnswer = "DELETE FROM answers WHERE draft_id = ? AND question = ?"
	qBump         = "UPDATE drafts SET version = ?, answered = ?, total = ?, updated_at = ? WHERE id = ?"
	qSnapshot     = "SELECT snapshot FROM revisions WHERE draft_id = ? AND number = ?"
	qInsertEvent  = "INSERT INTO events (draft_id, at, kind, detail) VALUES (?, ?, ?, ?)"
	qCreateDraft  = `INSERT INTO drafts (subject, questionnaire, total, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`
)

var hotQueries = []string{qFindDraft, qAnswers, qUpsertAnswer, qDeleteAnswer, qBump, qSnapshot, qInsertEvent, qCreateDraft}

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
