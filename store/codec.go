package store

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// snapshotV1 is a save point as schemas 1 to 4 kept it, a full copy in
// revisions.snapshot; only the upgrade to schema 5 reads it.
type snapshotV1 struct {
	Answers  map[string]json.RawMessage `json:"answers"`
	Extra    json.RawMessage            `json:"extra,omitempty"`
	Envelope json.RawMessage            `json:"envelope,omitempty"`
}

func nullJSON(b json.RawMessage) sql.NullString {
	if len(b) == 0 || string(b) == "null" {
		return sql.NullString{}
	}
	return sql.NullString{String: string(b), Valid: true}
}

// sameAnswer reports whether two stored answers to one question mean the same.
func sameAnswer(c *questionnaire.Catalogue, id, a, b string) bool {
	q := c.Question(id)
	if q == nil {
		return false
	}
	va, errA := questionnaire.UnmarshalValue(q, json.RawMessage(a))
	vb, errB := questionnaire.UnmarshalValue(q, json.RawMessage(b))
	return errA == nil && errB == nil && q.Same(va, vb)
}

// sameJSON compares two JSON texts written by encoding/json, allowing for layout.
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, []byte(a)) != nil || json.Compact(&cb, []byte(b)) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// encodeAnswers turns answers into question ID -> JSON, leaving out empty answers. An ID
// the catalogue does not know is an error in Values (unknown payload fields belong in
// Extra); answers to unknown questions, kept from a bundle, are stored as they came.
func encodeAnswers(c *questionnaire.Catalogue, a questionnaire.Answers) (map[string]string, error) {
	out := make(map[string]string, len(a.Values)+len(a.Unknown))
	for id, raw := range a.Unknown {
		if strings.HasPrefix(id, "@") {
			// Save points keep Extra and Envelope under @extra and @envelope, which no
			// question ID can take; an answer kept under such a name would come back as them.
			return nil, fmt.Errorf("answers.%s cannot be kept: names starting with @ are pstab's own, and no question's ID starts with one", questionnaire.PathKey(id))
		}
		if c.Question(id) == nil && len(raw) > 0 {
			out[id] = string(raw)
		}
	}
	for id, v := range a.Values {
		q := c.Question(id)
		if q == nil {
			return nil, fmt.Errorf("%s has no question %q", c.ID, id)
		}
		if v.IsEmpty() {
			continue
		}
		b, err := questionnaire.MarshalValue(q, v)
		if err != nil {
			return nil, fmt.Errorf("encode answer %s: %w", id, err)
		}
		out[id] = string(b)
	}
	return out, nil
}

// decodeAnswers reads stored answers back, cleaning their text (rows are an input
// boundary too). An answer to a question the catalogue does not have (kept from a bundle,
// or dropped by a newer catalogue) comes back in Unknown, as it is; one that no longer
// fits its question's kind stays in the file but is left out.
func decodeAnswers(c *questionnaire.Catalogue, raw map[string]string, extra, envelope sql.NullString) questionnaire.Answers {
	a := questionnaire.NewAnswers()
	for id, v := range raw {
		q := c.Question(id)
		if q == nil {
			if json.Valid([]byte(v)) {
				if a.Unknown == nil {
					a.Unknown = map[string]json.RawMessage{}
				}
				a.Unknown[id] = json.RawMessage(v)
			}
			continue
		}
		val, err := questionnaire.UnmarshalValue(q, json.RawMessage(v))
		if err != nil {
			continue
		}
		a.Set(id, questionnaire.CleanValue(q, val))
	}
	a.Extra = decodeTree(extra)
	a.Envelope = decodeTree(envelope)
	return a
}

// progressAnswers reads stored answers for counting progress only: like decodeAnswers
// but without cleaning the text, which cannot change whether a question is answered or
// what a follow-up rule compares (option values, booleans).
func progressAnswers(c *questionnaire.Catalogue, raw map[string]string) questionnaire.Answers {
	a := questionnaire.Answers{Values: make(map[string]questionnaire.Value, len(raw))}
	for id, v := range raw {
		a.Set(id, progressValue(c, id, v))
	}
	return a
}

// progressValue decodes one stored answer for progressAnswers; "" or an answer that no
// longer fits the catalogue is no answer.
func progressValue(c *questionnaire.Catalogue, id, raw string) questionnaire.Value {
	q := c.Question(id)
	if q == nil || raw == "" {
		return questionnaire.Value{}
	}
	v, err := questionnaire.UnmarshalValue(q, json.RawMessage(raw))
	if err != nil {
		return questionnaire.Value{}
	}
	return v
}

// encodeTree stores Extra or Envelope as JSON; nothing at all is NULL.
func encodeTree(m map[string]any) (sql.NullString, error) {
	if len(m) == 0 {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("encode extra fields: %w", err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// decodeTree reads Extra or Envelope back, keeping numbers as json.Number so they are
// written back exactly as they came.
func decodeTree(s sql.NullString) map[string]any {
	if !s.Valid {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s.String)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil
	}
	return m
}
