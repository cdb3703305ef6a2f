package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/scan"
	"github.com/pstab/pstab/store"
)

// What pstab scan left with a draft: where its answers came from, shown beside each answer
// until the partner changes it, and the manifest's facts, which the review checklist
// compares the answers with.

// scanInfo is a draft's latest scan, as loaded with the draft.
type scanInfo struct {
	// sources are the answers that still hold the value a scan gave them.
	sources map[string]store.AnswerSource
	facts   *scan.Facts
	what    string    // what was scanned, for the checklist
	at      time.Time // when
	changed []string  // files changed since the scan
}

// scanReader is the part of the store that keeps scans. A Drafts without it (a test's
// fake) simply has none.
type scanReader interface {
	Scan(ctx context.Context, ref store.DraftRef) (store.ScanRecord, bool, error)
	AnswerSources(ctx context.Context, ref store.DraftRef) (map[string]store.AnswerSource, error)
}

// loadScanInfo reads a draft's scan in a command (it reads the database and, to tell
// whether the manifest changed, the manifest files). A scan that cannot be read costs only
// its notes: the draft opens all the same.
func loadScanInfo(ctx context.Context, drafts Drafts, ref store.DraftRef) scanInfo {
	r, ok := drafts.(scanReader)
	if !ok {
		return scanInfo{}
	}
	var info scanInfo
	if src, err := r.AnswerSources(ctx, ref); err == nil {
		info.sources = src
	}
	rec, found, err := r.Scan(ctx, ref)
	if err != nil || !found {
		return info
	}
	facts, err := scan.DecodeFacts(rec.Facts)
	if err != nil {
		return info
	}
	info.facts, info.what, info.at, info.changed = &facts, rec.Source, rec.At, facts.Changed()
	return info
}

// edited forgets where an answer came from: the partner has made it theirs.
func (s *scanInfo) edited(id string) { delete(s.sources, id) }

// sourceLine says where a scanned answer came from, or "".
func (s scanInfo) sourceLine(id string) string {
	src, ok := s.sources[id]
	if !ok {
		return ""
	}
	return "↳ from pstab scan: " + src.Source + "; change it to make it yours"
}

// findings are the contradictions between the answers and the manifest.
func (s scanInfo) findings(cat *questionnaire.Catalogue, answers questionnaire.Answers) []questionnaire.Problem {
	if s.facts == nil || cat.Level == "partner" {
		return nil
	}
	return scan.Findings(cat, answers, *s.facts)
}

// note says which scan the checklist compares with, and whether the manifest moved on.
func (s scanInfo) note() string {
	if s.facts == nil {
		return ""
	}
	n := fmt.Sprintf("Compared with the scan of %s on %s", s.what, s.at.Local().Format("2006-01-02 15:04"))
	if len(s.changed) > 0 {
		n += fmt.Sprintf("; %s changed since, so run pstab scan again", s.changed[0])
	}
	return n + "."
}
