package questionnaire

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// What a draft holds that is not sent, and where a server's complaint points.

// HiddenAnswers returns the questions that hold an answer while other answers hide them,
// in catalogue order. Their answers are kept in the draft, should the questions be shown
// again, but are not sent, previewed or checked.
func (c *Catalogue) HiddenAnswers(a Answers) []*Question {
	vis := c.Visible(a)
	var out []*Question
	for _, q := range c.Questions {
		if _, ok := a.Get(q.ID); ok && !vis.shown[q.Index] {
			out = append(out, q)
		}
	}
	return out
}

// UnsentKeys returns the top-level keys of the payload pstab keeps but never sends
// because they are neither one of the seven answer groups nor a read-only server key
// (which are expected, and shown for what they say), sorted.
func UnsentKeys(a Answers) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a.Extra)) {
		if !IsAnswerGroup(k) && !IsReadOnlyKey(k) {
			out = append(out, k)
		}
	}
	return out
}

// Location is where in the answers a server's error points: the question, and the entry
// and field inside a list of records, when it says.
type Location struct {
	Question *Question
	Item     int    // the index in a list or entities answer, or -1
	Field    string // the key of an entity's field, or ""
}

// QuestionAt finds the question whose answer a field path points into. The path may be a
// JSON Pointer ("/security/securityContact", "/thirdPartyInformation/thirdPartyDetails/1/name"),
// a dotted path, or either with a list index in brackets ("compliantCertifications[1]"),
// with or without the body's wrapper (appTrustInformation, commonCloud). ok is false when
// no question asks the field.
func (c *Catalogue) QuestionAt(path string) (Location, bool) {
	segs := pathSegments(path)
	if len(segs) > 0 {
		switch segs[0] {
		case V2PutKey, V3Key, V3GetKey, "body":
			segs = segs[1:]
		}
	}
	var keys []string
	rest := segs
	for len(rest) > 0 {
		if _, err := strconv.Atoi(rest[0]); err == nil {
			break
		}
		keys = append(keys, rest[0])
		rest = rest[1:]
	}
	dotted := strings.Join(keys, ".")
	for _, q := range c.Questions {
		for _, p := range q.API.paths() {
			if p != dotted && !strings.HasPrefix(dotted, p+".") {
				continue
			}
			loc := Location{Question: q, Item: -1}
			if len(rest) > 0 && p == dotted {
				loc.Item, _ = strconv.Atoi(rest[0])
				if len(rest) > 1 && q.Kind == KindEntities {
					loc.Field = rest[1]
				}
			}
			return loc, true
		}
	}
	return Location{Item: -1}, false
}

// pathSegments splits a JSON Pointer or a dotted path into its keys and indexes.
func pathSegments(path string) []string {
	path = strings.TrimSpace(path)
	path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), "#")
	var parts []string
	if strings.HasPrefix(path, "/") {
		for _, p := range strings.Split(path[1:], "/") {
			parts = append(parts, strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~"))
		}
	} else {
		parts = strings.Split(strings.TrimPrefix(path, "."), ".")
	}
	var out []string
	for _, p := range parts {
		// "name[1]" is a key and an index.
		for p != "" {
			i := strings.IndexByte(p, '[')
			if i < 0 {
				out = append(out, p)
				break
			}
			if i > 0 {
				out = append(out, p[:i])
			}
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				out = append(out, p[i+1:])
				break
			}
			out = append(out, p[i+1:i+j])
			p = p[i+j+1:]
		}
	}
	return out
}
