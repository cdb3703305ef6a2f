package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CreateApp adds an app. Hosting defaults to "cloud". An app with the same key gives
// ErrExists.
func (s *Store) CreateApp(ctx context.Context, app App) error {
	// The same rules as the forms that ask for a key and a name, so that no path makes an
	// app a form would refuse.
	if err := ValidateAppKey(app.Key); err != nil {
		return invalidApp{err}
	}
	if err := ValidateAppName(app.Name); err != nil {
		return invalidApp{err}
	}
	app.Name = strings.TrimSpace(app.Name)
	if app.Hosting == "" {
		app.Hosting = "cloud"
	}
	if err := ValidateHosting(app.Hosting); err != nil {
		return invalidApp{err}
	}
	now := s.now().UnixNano()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO apps (key, name, hosting, product_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			app.Key, app.Name, app.Hosting, app.ProductID, now, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = fmt.Errorf("app %s: %w", app.Key, ErrExists)
			}
			return err
		}
		return nil
	})
	return s.check("create app", err)
}

// App returns one app, or ErrNotFound.
func (s *Store) App(ctx context.Context, key string) (App, error) {
	var a App
	var created, updated int64
	err := s.db.QueryRowContext(ctx, "SELECT key, name, hosting, product_id, created_at, updated_at FROM apps WHERE key = ?", key).
		Scan(&a.Key, &a.Name, &a.Hosting, &a.ProductID, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return App{}, fmt.Errorf("app %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return App{}, s.check("read app", err)
	}
	a.CreatedAt, a.UpdatedAt = time.Unix(0, created), time.Unix(0, updated)
	return a, nil
}

// Apps lists every app with its Privacy & Security progress and status, the most recently
// changed first. It is one query (progress is kept up to date by every save), in the
// table's order: the order is made here, since a sort in Go costs less than SQLite's
// sorter over a computed column (1.5 ms less for pstab apps on 1,000 apps). The query
// names no questionnaire, so that it runs while Options.LoadCatalogues parses them; the
// drafts of any other questionnaire are set aside once they are known. It reads only what
// a line of the list shows, since every column of every row is a cost the list pays a
// thousand times: the summaries' CreatedAt and UpdatedAt are zero (App has them).
func (s *Store) Apps(ctx context.Context) ([]AppSummary, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.key, a.name, a.hosting, a.product_id,
		       coalesce(d.questionnaire, ''), coalesce(d.answered, 0), coalesce(d.total, 0),
		       coalesce(d.status, ''), coalesce(d.form_status, ''),
		       max(a.updated_at, coalesce(d.updated_at, 0))
		FROM apps a LEFT JOIN drafts d ON d.subject = a.key`)
	if err != nil {
		return nil, s.check("list apps", err)
	}
	defer rows.Close()
	var out []AppSummary
	var questionnaires []string
	for rows.Next() {
		out = append(out, AppSummary{})
		a := &out[len(out)-1]
		var q string
		var changed int64
		if err := rows.Scan(&a.Key, &a.Name, &a.Hosting, &a.ProductID, &q,
			&a.Answered, &a.Total, &a.Status, &a.FormStatus, &changed); err != nil {
			return nil, s.check("list apps", err)
		}
		a.ChangedAt = time.Unix(0, changed)
		questionnaires = append(questionnaires, q)
	}
	if err := s.check("list apps", rows.Err()); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.questionnaires(); err != nil {
		return nil, err
	}
	questionnaireID := ""
	if s.appCat != nil {
		questionnaireID = s.appCat.ID
	}
	others := false
	for i, q := range questionnaires {
		if q == questionnaireID && q != "" {
			continue
		}
		// No draft yet, or one of another questionnaire, whose progress is not the app's.
		a := &out[i]
		a.Answered, a.Total, a.Status, a.FormStatus = 0, s.emptyTotal, StatusDraft, ""
		if q != "" {
			others = true
			// That draft may have changed after the app: the app's own time says when.
			app, err := s.App(ctx, a.Key)
			if err != nil {
				return nil, err
			}
			a.ChangedAt = app.UpdatedAt
		}
	}
	if others {
		out = oneLinePerApp(out, questionnaires, questionnaireID)
	}
	slices.SortFunc(out, func(a, b AppSummary) int {
		if c := b.ChangedAt.Compare(a.ChangedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

// oneLinePerApp keeps one line per app where some apps came with drafts of several
// questionnaires: the one of questionnaireID, else the first.
func oneLinePerApp(lines []AppSummary, questionnaires []string, questionnaireID string) []AppSummary {
	at := make(map[string]int, len(lines))
	out := lines[:0]
	for i, a := range lines {
		j, seen := at[a.Key]
		switch {
		case !seen:
			at[a.Key] = len(out)
			out = append(out, a)
		case questionnaires[i] == questionnaireID:
			out[j] = a
		}
	}
	return out
}

// SetProductID records the app's Marketplace v3 product id.
func (s *Store) SetProductID(ctx context.Context, key, productID string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE apps SET product_id = ?, updated_at = ? WHERE key = ?",
			productID, s.now().UnixNano(), key)
		if err != nil {
			return err
		}
		return affected(res, key)
	})
	return s.check("set product id", err)
}

// DeleteApp removes an app with all its drafts, save points and history.
func (s *Store) DeleteApp(ctx context.Context, key string) error {
	if key == PartnerKey {
		return fmt.Errorf("delete app: %s is not an app", key)
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		// Answers, revisions and events go with their drafts (ON DELETE CASCADE).
		if _, err := tx.ExecContext(ctx, "DELETE FROM drafts WHERE subject = ?", key); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM apps WHERE key = ?", key)
		if err != nil {
			return err
		}
		return affected(res, key)
	})
	s.cache.reset() // draft ids may be reused
	return s.check("delete app", err)
}

// affected turns an UPDATE or DELETE that matched no app into ErrNotFound.
func affected(res sql.Result, key string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("app %s: %w", key, ErrNotFound)
	}
	return nil
}
