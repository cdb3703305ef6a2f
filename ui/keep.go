package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// keepUnsaved is the last resort of an exit: the answers that no save could store (another
// pstab changed the same question, or the drafts file refused the write) are written to a
// review bundle of their own in dir, so that no way of leaving the wizard drops one. It
// returns one sentence per draft that says what was kept, why, and where; an answer it
// cannot even write to a file is printed in the sentence itself.
func (m *Model) keepUnsaved(dir string, now time.Time, saveErr error) []string {
	var out []string
	for _, s := range append(m.closed, m.session) {
		if s == nil || s.readOnly() || len(s.pending) == 0 {
			continue
		}
		out = append(out, s.keep(dir, now, saveErr))
	}
	return out
}

// keep writes the session's pending answers to a file and says so.
func (s *session) keep(dir string, now time.Time, saveErr error) string {
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range s.pending {
			if !yield(id) {
				return
			}
		}
	})
	values := make(map[string]questionnaire.Value, len(ids))
	for _, id := range ids {
		values[id] = s.pending[id]
	}
	what := "your answer to " + ids[0]
	if len(ids) > 1 {
		what = "your answers to " + strings.Join(ids, ", ")
	}
	what += " in " + s.ref.String()
	why := "could not be saved: " + questionnaire.LowerFirst(saveErr.Error())
	var ce *store.ConflictError
	if errors.As(saveErr, &ce) {
		why = fmt.Sprintf("was not saved, because another pstab changed %s at %s since you opened the draft",
			strings.Join(ce.Questions, ", "), ce.ChangedAt.Local().Format("15:04:05"))
		if len(ce.Questions) == 0 {
			why = fmt.Sprintf("was not saved, because another pstab changed the draft at %s since you opened it", ce.ChangedAt.Local().Format("15:04:05"))
		}
	}
	b := questionnaire.Bundle{AppKey: s.ref.Subject, AppName: s.title, SavedAt: now,
		Answers: questionnaire.Answers{Values: values}}
	data, err := s.cat.EncodeBundle(b)
	if err == nil {
		var path string
		if path, err = writeNew(dir, "unsaved-"+safeFileName(s.ref.Subject)+"-"+now.Format("20060102-150405"), data); err == nil {
			return fmt.Sprintf("%s %s; it is kept in %s: pstab review %s shows it, and you can give it again in the wizard or with pstab set",
				what, why, path, path)
		}
	}
	// Not even a file: the answers go into the message, as the JSON a bundle holds.
	var raw []string
	for _, id := range ids {
		if q := s.cat.Question(id); q != nil {
			if j, jerr := questionnaire.MarshalValue(q, values[id]); jerr == nil {
				raw = append(raw, id+" = "+string(j))
			}
		}
	}
	return fmt.Sprintf("%s %s, and could not be kept in a file either (%v); here it is: %s", what, why, err, strings.Join(raw, "; "))
}

// writeNew writes data to a new file named after base in dir, readable only by its owner,
// never over an existing file.
func writeNew(dir, base string, data []byte) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	for n := 1; n < 100; n++ {
		name := base + ".json"
		if n > 1 {
			name = base + "-" + strconv.Itoa(n) + ".json"
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return "", err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return "", err
		}
		return path, f.Close()
	}
	return "", fmt.Errorf("too many files named %s in %s", base, dir)
}

// safeFileName keeps an app key's letters, digits, dots, dashes and underscores (an app
// key has only those; the partner's assessment is "@partner").
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
