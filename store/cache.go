package store

import (
	"sync"

	"github.com/pstab/pstab/questionnaire"
)

// progressCache keeps, per draft, the answers (decoded for counting) as of the version
// this process last committed, so that an autosave need not read and decode them all.
// An entry is used only when the draft's id, creation time and version all match what the
// transaction found: every change to the answers, by any process, bumps the version.
type progressCache struct {
	mu sync.Mutex
	m  map[int64]progressEntry
}

type progressEntry struct {
	created, version int64
	answers          questionnaire.Answers
}

func (c *progressCache) get(id, created, version int64) (progressEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	return e, ok && e.created == created && e.version == version
}

func (c *progressCache) put(id int64, e progressEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]progressEntry{}
	}
	if old, ok := c.m[id]; ok && old.created == e.created && old.version > e.version {
		return // a later commit got here first
	}
	c.m[id] = e
}

func (c *progressCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}
