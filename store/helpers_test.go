package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
)

// catalogues returns the built-in questionnaires.
func catalogues(tb testing.TB) (ps, sa *questionnaire.Catalogue) {
	tb.Helper()
	cats, err := embedded.Catalogues()
	ps, sa = cats.PrivacySecurity, cats.SelfAssessment
	if err != nil {
		tb.Fatal(err)
	}
	return ps, sa
}

// clock is a fake time source that moves one second per call, so orderings by time are
// deterministic.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// openTest opens a store on a new file in a temporary folder.
func openTest(tb testing.TB) (*Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "pstab.db")
	s := openAt(tb, path)
	return s, path
}

func openAt(tb testing.TB, path string) *Store {
	tb.Helper()
	ps, sa := catalogues(tb)
	s, err := Open(context.Background(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, Now: newClock().Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func psRef(key string) DraftRef { return DraftRef{Subject: key, Questionnaire: "privacy-security"} }

// sampleValue returns a plausible answer to q; variant changes the texts so that two
// variants differ.
func sampleValue(q *questionnaire.Question, variant int) questionnaire.Value {
	switch q.Kind {
	case questionnaire.KindYesNo:
		return questionnaire.Bool(variant%2 == 0)
	case questionnaire.KindTriState, questionnaire.KindChoice:
		return questionnaire.Text(q.Options[variant%len(q.Options)].Value)
	case questionnaire.KindMultiChoice:
		return questionnaire.List(q.Options[variant%len(q.Options)].Value)
	case questionnaire.KindList:
		return questionnaire.List(fmt.Sprintf("Item one v%d", variant), "Item two")
	case questionnaire.KindDayRange:
		return questionnaire.Days(30, 90+variant)
	case questionnaire.KindURL:
		return questionnaire.Text(fmt.Sprintf("https://example.com/%s/%d", q.ID, variant))
	case questionnaire.KindEmail:
		return questionnaire.Text(fmt.Sprintf("security+%d@example.com", variant))
	case questionnaire.KindDate:
		return questionnaire.Text(fmt.Sprintf("2026-01-%02d", variant%28+1))
	case questionnaire.KindEntities:
		e := questionnaire.Entity{Fields: map[string]questionnaire.Value{}}
		for _, f := range q.Fields {
			if f.Kind == questionnaire.KindList {
				e.Fields[f.Key] = questionnaire.List("EU", "US")
			} else if f.Kind == questionnaire.KindURL {
				e.Fields[f.Key] = questionnaire.Text("https://sub.example.com/privacy")
			} else {
				e.Fields[f.Key] = questionnaire.Text(fmt.Sprintf("Sub-processor %d", variant))
			}
		}
		return questionnaire.Value{Entities: []questionnaire.Entity{e, e.Clone()}}
	}
	return questionnaire.Text(fmt.Sprintf("Answer to %s, variant %d. %s", q.ID, variant, strings.Repeat("Detail. ", 10)))
}

// sampleAnswers answers every question of c.
func sampleAnswers(c *questionnaire.Catalogue, variant int) questionnaire.Answers {
	a := questionnaire.NewAnswers()
	for _, q := range c.Questions {
		a.Set(q.ID, sampleValue(q, variant))
	}
	return a
}

// valuesJSON renders answers to c as sorted JSON, to compare two sets exactly.
func valuesJSON(tb testing.TB, c *questionnaire.Catalogue, a questionnaire.Answers) string {
	tb.Helper()
	raw, err := encodeAnswers(c, a)
	if err != nil {
		tb.Fatal(err)
	}
	tree := map[string]any{"values": raw, "extra": a.Extra, "envelope": a.Envelope}
	b, err := json.Marshal(tree)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func ctxb() context.Context { return context.Background() }
