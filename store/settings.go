package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Settings of the drafts file as a whole, by key.
const (
	// SettingVendorID is the partner's Marketplace vendor id, which finds the v3 product
	// id of each of its apps; remembered once known.
	SettingVendorID = "vendor-id"
)

// Setting returns a setting's value, or ErrNotFound when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", s.check("read setting", err)
	}
	return v, nil
}

// SetSetting sets a setting; an empty value removes it.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if value == "" {
			_, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", key)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			key, value, s.now().UnixNano())
		return err
	})
	return s.check("save setting", err)
}
