package questionnaire

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// UpgradeStored brings answers saved under an earlier version of the catalogue, keyed by
// question ID in the JSON form MarshalValue writes (as a review bundle or the drafts file
// keeps them), into this one, without losing any: the items of a retired question join
// the list question that took it over (Question.Formerly), after its own items and
// without repeats, and a value that meant nothing on its own there (an "Other" tick box)
// is dropped. A value an earlier catalogue spelled differently needs nothing here:
// reading it gives the current spelling. It returns the upgraded answers and a sentence
// for each change.
func (c *Catalogue) UpgradeStored(raw map[string]json.RawMessage) (map[string]json.RawMessage, []string) {
	var notes []string
	out := raw
	cloned := false
	for _, q := range c.Questions {
		f := q.Formerly
		if f == nil {
			continue
		}
		var moved []string
		var sources []string
		for _, old := range f.Questions {
			v, ok := raw[old]
			if !ok {
				continue
			}
			items, err := decodeStrings(v)
			if err != nil {
				// Not a list: an earlier catalogue never wrote that here. Leave it, so that
				// nothing is lost; the draft simply does not show it.
				continue
			}
			moved = append(moved, items...)
			sources = append(sources, old)
		}
		own, hasOwn := raw[q.ID]
		var list []string
		if hasOwn {
			var err error
			if list, err = decodeStrings(own); err != nil {
				continue // the answer is read (and refused) as it is
			}
		}
		dropped := 0
		kept := list[:0:0]
		for _, s := range list {
			if slices.Contains(f.Dropped, s) {
				dropped++
				continue
			}
			kept = append(kept, s)
		}
		if len(sources) == 0 && dropped == 0 {
			continue
		}
		for _, s := range moved {
			if !containsFold(kept, s) {
				kept = append(kept, s)
			}
		}
		if !cloned {
			out = make(map[string]json.RawMessage, len(raw))
			for k, v := range raw {
				out[k] = v
			}
			cloned = true
		}
		for _, old := range sources {
			delete(out, old)
		}
		if len(kept) == 0 {
			delete(out, q.ID)
		} else {
			b, _ := json.Marshal(kept)
			out[q.ID] = b
		}
		if len(sources) > 0 {
			notes = append(notes, fmt.Sprintf("the answers to %s, a question of an earlier catalogue, joined %s", strings.Join(sources, " and "), q.ID))
		}
	}
	return out, notes
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}
