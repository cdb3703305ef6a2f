package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// The review conversation of a draft: comments, replies, resolutions and decisions, kept
// in their own tables beside the answers. Writing to the conversation does not change the
// draft's version, so a reviewer's comments arriving never make the partner's open wizard
// see a conflict; each entry is an event in the draft's history.

// Event kinds of the review conversation.
const (
	EventComment        = "comment"
	EventReply          = "reply"
	EventResolve        = "resolve"
	EventReopen         = "reopen"
	EventApprove        = "approve"
	EventRequestChanges = "request changes"
)

// Review returns a draft's conversation: every comment oldest first, and the latest
// decision. A draft with none comes back with an empty review.
func (s *Store) Review(ctx context.Context, ref DraftRef) (questionnaire.Review, error) {
	if _, err := s.catalogue(ref); err != nil {
		return questionnaire.Review{}, fmt.Errorf("read review: %w", err)
	}
	var r questionnaire.Review
	err := s.read(ctx, func(tx *sql.Tx) error {
		row, err := findDraft(ctx, s.on(tx), ref)
		if err != nil {
			return err
		}
		r, err = readReview(ctx, s.on(tx), row.id)
		return err
	})
	return r, s.check("read review", err)
}

func readReview(ctx context.Context, q queryer, draftID int64) (questionnaire.Review, error) {
	var r questionnaire.Review
	if draftID == 0 {
		return r, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT question, author, at, text, action, answer_seen
		FROM review_comments WHERE draft_id = ? ORDER BY at, id`, draftID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var c questionnaire.Comment
		var at int64
		var action string
		if err := rows.Scan(&c.Question, &c.Author, &at, &c.Text, &action, &c.AnswerSeen); err != nil {
			return r, err
		}
		// What was written by another program is cleaned again on the way out, as answers are.
		c.Question = questionnaire.CleanText(c.Question, false)
		c.Author = questionnaire.CleanText(c.Author, false)
		c.Text = questionnaire.CleanText(c.Text, true)
		c.At, c.Action = time.Unix(0, at).UTC(), questionnaire.Action(action)
		r.Comments = append(r.Comments, c)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	var d questionnaire.Decision
	var kind string
	var at int64
	err = q.QueryRowContext(ctx, `SELECT decision, reviewer, at, answers, message FROM review_decisions
		WHERE draft_id = ? ORDER BY at DESC, id DESC LIMIT 1`, draftID).Scan(&kind, &d.Reviewer, &at, &d.Answers, &d.Message)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return r, err
	default:
		d.Kind, d.At = questionnaire.DecisionKind(kind), time.Unix(0, at).UTC()
		d.Reviewer = questionnaire.CleanText(d.Reviewer, false)
		d.Message = questionnaire.CleanText(d.Message, true)
		r.Decision = &d
	}
	return r, nil
}

// Say adds a comment, reply, resolution or reopening to a draft's conversation, checked
// by questionnaire.Catalogue.Say against the conversation and the answers as they are in
// the same transaction. A refused remark gives a *questionnaire.RemarkError and writes
// nothing. It returns the comment as stored.
func (s *Store) Say(ctx context.Context, ref DraftRef, m questionnaire.Remark) (questionnaire.Comment, error) {
	var added questionnaire.Comment
	_, err := s.writeDraft(ctx, "add comment", ref, AnyVersion, func(dt *draftTx) error {
		r, err := readReview(ctx, dt.q, dt.row.id)
		if err != nil {
			return err
		}
		a, err := dt.decoded()
		if err != nil {
			return err
		}
		_, existed := r.Thread(m.Question)
		if m.At.IsZero() {
			m.At = time.Unix(0, dt.now)
		}
		if added, err = dt.cat.Say(&r, a, m); err != nil {
			return err
		}
		kind := EventComment
		switch {
		case added.Action == questionnaire.ActionResolve:
			kind = EventResolve
		case added.Action == questionnaire.ActionReopen:
			kind = EventReopen
		case existed:
			kind = EventReply
		}
		if _, err := dt.addComment(added); err != nil {
			return err
		}
		return dt.event(kind, commentDetail(dt.cat, added))
	})
	if err != nil {
		var re *questionnaire.RemarkError
		if errors.As(err, &re) {
			return questionnaire.Comment{}, re
		}
		return questionnaire.Comment{}, err
	}
	return added, nil
}

// MergeReview brings a conversation from elsewhere (a reviewer's bundle) into a draft's:
// every comment the draft does not have yet, and the decision when it is later than the
// draft's. The answers are not touched. Each new entry is an event in the history, whose
// detail ends with source (such as "from review.json") when given. It returns how many
// comments were new and whether the decision changed.
func (s *Store) MergeReview(ctx context.Context, ref DraftRef, in questionnaire.Review, source string) (added int, decided bool, err error) {
	_, err = s.writeDraft(ctx, "bring in review", ref, AnyVersion, func(dt *draftTx) error {
		have, err := readReview(ctx, dt.q, dt.row.id)
		if err != nil {
			return err
		}
		added, decided = 0, false
		suffix := ""
		if source != "" {
			suffix = " (" + source + ")"
		}
		for _, c := range in.Comments {
			if !have.Add(c) {
				continue
			}
			if _, err := dt.addComment(c); err != nil {
				return err
			}
			added++
			kind := EventComment
			switch c.Action {
			case questionnaire.ActionResolve:
				kind = EventResolve
			case questionnaire.ActionReopen:
				kind = EventReopen
			}
			if err := dt.event(kind, commentDetail(dt.cat, c)+suffix); err != nil {
				return err
			}
		}
		if d := in.Decision; d != nil && (have.Decision == nil || d.At.After(have.Decision.At)) {
			if err := dt.addDecision(*d); err != nil {
				return err
			}
			decided = true
			if err := dt.event(decisionEvent(d.Kind), decisionDetail(*d)+suffix); err != nil {
				return err
			}
		}
		return nil
	})
	return added, decided, err
}

// CopyReview copies the comments of app fromKey's Privacy & Security draft into toKey's,
// for a partner who copies answers and wants the comments to follow them. The reviewer's
// decision stays behind: it was given for the other app's listing. It returns how many
// comments were copied.
func (s *Store) CopyReview(ctx context.Context, fromKey, toKey string) (int, error) {
	if err := s.questionnaires(); err != nil {
		return 0, err
	}
	if s.appCat == nil {
		return 0, errors.New("copy review: no app questionnaire loaded")
	}
	from := DraftRef{Subject: fromKey, Questionnaire: s.appCat.ID}
	r, err := s.Review(ctx, from)
	if err != nil {
		return 0, err
	}
	r.Decision = nil
	n, _, err := s.MergeReview(ctx, DraftRef{Subject: toKey, Questionnaire: s.appCat.ID}, r, "copied from "+fromKey)
	return n, err
}

// addComment inserts one comment; a comment already there is not stored twice.
func (dt *draftTx) addComment(c questionnaire.Comment) (bool, error) {
	if err := dt.ensure(); err != nil {
		return false, err
	}
	res, err := dt.q.ExecContext(dt.ctx, `INSERT INTO review_comments (draft_id, question, author, at, text, action, answer_seen)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		dt.row.id, c.Question, c.Author, c.At.UnixNano(), c.Text, string(c.Action), c.AnswerSeen)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	dt.wrote = dt.wrote || n > 0
	return n > 0, err
}

func (dt *draftTx) addDecision(d questionnaire.Decision) error {
	if err := dt.ensure(); err != nil {
		return err
	}
	_, err := dt.q.ExecContext(dt.ctx, `INSERT INTO review_decisions (draft_id, decision, reviewer, at, answers, message)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		dt.row.id, string(d.Kind), d.Reviewer, d.At.UnixNano(), d.Answers, d.Message)
	dt.wrote = true
	return err
}

// decoded returns the working answers as the draft holds them now.
func (dt *draftTx) decoded() (questionnaire.Answers, error) {
	raw, err := dt.answers()
	if err != nil {
		return questionnaire.Answers{}, err
	}
	return decodeAnswers(dt.cat, raw, dt.row.extra, dt.row.envelope), nil
}

func decisionEvent(k questionnaire.DecisionKind) string {
	if k == questionnaire.Approved {
		return EventApprove
	}
	return EventRequestChanges
}

// commentDetail is a comment as one line of history: who, on what, and the start of the
// text.
func commentDetail(c *questionnaire.Catalogue, cm questionnaire.Comment) string {
	where := "the whole draft"
	if cm.Question != "" {
		where = questionnaire.ThreadName(c, cm.Question)
	}
	detail := questionnaire.OneLine(cm.Author) + " on " + where
	if text := questionnaire.OneLine(cm.Text); text != "" {
		if r := []rune(text); len(r) > 80 {
			text = string(r[:79]) + "…"
		}
		detail += ": " + text
	}
	return detail
}

func decisionDetail(d questionnaire.Decision) string {
	detail := "approved by " + questionnaire.OneLine(d.Reviewer)
	if d.Kind == questionnaire.ChangesRequested {
		detail = "changes requested by " + questionnaire.OneLine(d.Reviewer)
	}
	if msg := questionnaire.OneLine(d.Message); msg != "" {
		if r := []rune(msg); len(r) > 80 {
			msg = string(r[:79]) + "…"
		}
		detail += ": " + msg
	}
	return detail
}

// ReviewSummary is where one draft's review stands, for a list of apps: how many threads
// are open and the latest decision ("" when there is none). Whether an approval is stale
// needs the answers, so a list does not say.
type ReviewSummary struct {
	Open     int
	Decision questionnaire.DecisionKind
}

// ReviewSummaries returns the review of every app's Privacy & Security draft that has
// one, by app key, in one query per table.
func (s *Store) ReviewSummaries(ctx context.Context) (map[string]ReviewSummary, error) {
	if err := s.questionnaires(); err != nil {
		return nil, err
	}
	if s.appCat == nil {
		return map[string]ReviewSummary{}, nil
	}
	out := map[string]ReviewSummary{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		// A thread is open unless its latest entry resolves it.
		rows, err := tx.QueryContext(ctx, `SELECT d.subject, count(*) FROM (
				SELECT draft_id, action, row_number() OVER (PARTITION BY draft_id, question ORDER BY at DESC, id DESC) AS n
				FROM review_comments) c
			JOIN drafts d ON d.id = c.draft_id
			WHERE c.n = 1 AND c.action != 'resolve' AND d.questionnaire = ?
			GROUP BY d.subject`, s.appCat.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var key string
			var n int
			if err := rows.Scan(&key, &n); err != nil {
				rows.Close()
				return err
			}
			out[key] = ReviewSummary{Open: n}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT d.subject, r.decision FROM (
				SELECT draft_id, decision, row_number() OVER (PARTITION BY draft_id ORDER BY at DESC, id DESC) AS n
				FROM review_decisions) r
			JOIN drafts d ON d.id = r.draft_id
			WHERE r.n = 1 AND d.questionnaire = ?`, s.appCat.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, kind string
			if err := rows.Scan(&key, &kind); err != nil {
				return err
			}
			sum := out[key]
			sum.Decision = questionnaire.DecisionKind(kind)
			out[key] = sum
		}
		return rows.Err()
	})
	return out, s.check("read reviews", err)
}
