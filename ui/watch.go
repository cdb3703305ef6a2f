package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// watchEvery is how often the open draft is compared with the drafts file, so that a
// change made by another pstab is said while the partner reads, not only when the next
// answer fails to save. One comparison reads the draft (about a millisecond on a large
// file) and never blocks the screen: it runs in a command.
const watchEvery = 2 * time.Second

// watchTickMsg asks the session to compare its draft with the file again.
type watchTickMsg struct{ s *session }

// watchedMsg reports what the comparison found.
type watchedMsg struct {
	s         *session
	changed   bool
	changedAt time.Time
}

func (m watchTickMsg) owner() *session { return m.s }
func (m watchedMsg) owner() *session   { return m.s }

// watch schedules the next comparison. A reviewer's read-only copy has no file to watch.
func (s *session) watch() tea.Cmd {
	if s.readOnly() || s.replaced {
		return nil
	}
	return tea.Tick(watchEvery, func(time.Time) tea.Msg { return watchTickMsg{s: s} })
}

// onWatch handles the watch's messages. While a save runs or answers wait for one, the
// save itself finds a change (as a conflict): the comparison waits for the next tick.
func (s *session) onWatch(msg sessionMsg) tea.Cmd {
	if s.replaced {
		return nil // another draft is open: this one is no longer shown
	}
	switch msg := msg.(type) {
	case watchTickMsg:
		if s.saving || len(s.pending) > 0 || s.conflict != nil || s.elsewhere != nil {
			return s.watch()
		}
		ctx, sv := s.ui.ctx, s.save
		return func() tea.Msg {
			changed, at := sv.changedElsewhere(ctx)
			return watchedMsg{s: s, changed: changed, changedAt: at}
		}
	case watchedMsg:
		if msg.changed && s.conflict == nil && !s.saving {
			at := msg.changedAt
			s.elsewhere = &at
		}
		return s.watch()
	}
	return nil
}

// changedElsewhere reports whether the draft in the file is not the version this saver
// last wrote or read, and when it changed. A draft that cannot be read is not reported:
// the next save says what is wrong.
func (s *saver) changedElsewhere(ctx context.Context) (bool, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.drafts.Load(ctx, s.ref)
	if err != nil || d.Version == s.version {
		return false, time.Time{}
	}
	return true, d.UpdatedAt
}
