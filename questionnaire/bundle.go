package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// BundleMarker is the key that tells a review bundle from a Marketplace payload.
const BundleMarker = "pstabBundle"

// BundleFormat is the version of the bundle format this pstab writes and reads.
const BundleFormat = 1

// Bundle is one file a reviewer can read offline: a draft's answers (every one, including
// those the API does not carry and those to hidden questions) with the app's name, the
// revision and when it was saved, and the review conversation about them.
type Bundle struct {
	Questionnaire    string // catalogue ID
	CatalogueVersion string
	AppKey           string
	AppName          string
	Revision         int
	SavedAt          time.Time
	ExportedAt       time.Time
	Answers          Answers
	Review           Review
}

type bundleJSON struct {
	Marker           int                        `json:"pstabBundle"`
	Questionnaire    string                     `json:"questionnaire"`
	CatalogueVersion string                     `json:"catalogueVersion,omitempty"`
	App              bundleApp                  `json:"app"`
	Revision         int                        `json:"revision,omitempty"`
	SavedAt          *time.Time                 `json:"savedAt,omitempty"`
	ExportedAt       *time.Time                 `json:"exportedAt,omitempty"`
	Answers          map[string]json.RawMessage `json:"answers"`
	Extra            map[string]any             `json:"extra,omitempty"`
	Envelope         map[string]any             `json:"envelope,omitempty"`
	Review           *reviewJSON                `json:"review,omitempty"`
}

type bundleApp struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"`
}

// EncodeBundle writes a bundle as indented JSON.
func (c *Catalogue) EncodeBundle(b Bundle) ([]byte, error) {
	out := bundleJSON{
		Marker:           BundleFormat,
		Questionnaire:    c.ID,
		CatalogueVersion: c.Version,
		App:              bundleApp{Key: b.AppKey, Name: b.AppName},
		Revision:         b.Revision,
		Answers:          map[string]json.RawMessage{},
		Extra:            b.Answers.Extra,
		Envelope:         b.Answers.Envelope,
		Review:           c.encodeReview(b.Review),
	}
	if !b.SavedAt.IsZero() {
		t := b.SavedAt.UTC()
		out.SavedAt = &t
	}
	if !b.ExportedAt.IsZero() {
		t := b.ExportedAt.UTC()
		out.ExportedAt = &t
	}
	for _, q := range c.Questions {
		v, ok := b.Answers.Get(q.ID)
		if !ok {
			continue
		}
		raw, err := MarshalValue(q, v)
		if err != nil {
			return nil, err
		}
		out.Answers[q.ID] = raw
	}
	for id, raw := range b.Answers.Unknown {
		if c.Question(id) == nil {
			out.Answers[id] = raw
		}
	}
	return marshalIndent(out)
}

// IsBundle reports whether a JSON document is a review bundle rather than a payload.
func IsBundle(data []byte) bool {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	_, ok := probe[BundleMarker]
	return ok
}

// DecodeBundle reads a review bundle. Answers to questions this catalogue does not know
// are kept in Answers.Unknown, as they came, and named in the returned notes, so a
// reviewer with an older catalogue still sees everything else and a draft imported from
// the bundle loses nothing. A bundle written before reviews were carried reads as one
// with an empty review.
func (c *Catalogue) DecodeBundle(data []byte) (Bundle, []string, error) {
	if len(data) > MaxPayloadSize {
		return Bundle{}, nil, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is %s; a bundle is at most %s", ByteSize(int64(len(data))), ByteSize(MaxPayloadSize))}
	}
	if !utf8.Valid(data) {
		return Bundle{}, nil, &DecodeError{Unreadable: true,
			Msg: fmt.Sprintf("the file is not valid UTF-8 (first bad byte at offset %d)", InvalidUTF8(data))}
	}
	if de := CheckJSON(data); de != nil {
		return Bundle{}, nil, de
	}
	var in bundleJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		if ute, ok := err.(*json.UnmarshalTypeError); ok {
			return Bundle{}, nil, &DecodeError{Path: ute.Field, Msg: "expected " + ute.Type.String() + ", found " + ute.Value}
		}
		return Bundle{}, nil, &DecodeError{Unreadable: true, Msg: jsonSyntaxMessage(data, err)}
	}
	switch {
	case in.Marker != BundleFormat:
		return Bundle{}, nil, &DecodeError{Path: BundleMarker, Unreadable: true,
			Msg: fmt.Sprintf("this is a version %d bundle; this pstab reads version %d, so update pstab", in.Marker, BundleFormat)}
	case in.Questionnaire != c.ID:
		return Bundle{}, nil, &DecodeError{Path: "questionnaire",
			Msg: fmt.Sprintf("the bundle holds %q answers, not %q ones", in.Questionnaire, c.ID)}
	}
	b := Bundle{
		Questionnaire:    in.Questionnaire,
		CatalogueVersion: in.CatalogueVersion,
		AppKey:           in.App.Key,
		AppName:          in.App.Name,
		Revision:         in.Revision,
		Answers:          Answers{Values: map[string]Value{}, Extra: in.Extra, Envelope: in.Envelope},
	}
	if in.SavedAt != nil {
		b.SavedAt = *in.SavedAt
	}
	if in.ExportedAt != nil {
		b.ExportedAt = *in.ExportedAt
	}
	var notes []string
	in.Answers, notes = c.UpgradeStored(in.Answers)
	review, reviewNotes, err := c.decodeReview(in.Review)
	if err != nil {
		return Bundle{}, nil, err
	}
	b.Review = review
	notes = append(notes, reviewNotes...)
	ids := make([]string, 0, len(in.Answers))
	for id := range in.Answers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		q := c.Question(id)
		if q == nil {
			notes = append(notes, fmt.Sprintf("answers.%s is not a question of this catalogue (version %s); it is kept as it is, but not shown, checked or sent", PathKey(id), c.Version))
			if b.Answers.Unknown == nil {
				b.Answers.Unknown = map[string]json.RawMessage{}
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, in.Answers[id]); err != nil {
				return Bundle{}, nil, &DecodeError{Path: "answers." + PathKey(id), Msg: err.Error()}
			}
			b.Answers.Unknown[id] = compact.Bytes()
			continue
		}
		v, err := UnmarshalValue(q, in.Answers[id])
		if err != nil {
			sub := ""
			if ve, ok := err.(*ValueError); ok {
				sub, err = ve.Sub, fmt.Errorf("%s", ve.Msg)
			}
			return Bundle{}, nil, &DecodeError{Path: "answers." + PathKey(id) + sub, Msg: err.Error()}
		}
		if !v.IsEmpty() {
			b.Answers.Values[id] = v
		}
	}
	return b, notes, nil
}

// marshalIndent writes v as indented JSON with a final newline, escaping every character
// that could act on a terminal if the file is printed.
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return EscapeJSONUnsafe(buf.Bytes()), nil
}

// EscapeJSONUnsafe rewrites, inside JSON text, the characters encoding/json leaves raw but
// a terminal may act on (DEL, C1 controls, bidi controls) as \uXXXX escapes. They can only
// occur inside strings, where the escape means the same character.
func EscapeJSONUnsafe(b []byte) []byte {
	clean := true
	for _, r := range string(b) {
		if jsonUnsafe(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 16)
	for _, r := range string(b) {
		if jsonUnsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

func jsonUnsafe(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) || r == 0x2028 || r == 0x2029
}
