package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// The commands that make other answers the whole draft (import, copy, revert, pull) share
// one rule: on a draft with answers, they show what will change and ask first, or need
// --yes without a terminal; the answers they replace stay in a save point.

// maxListedChanges is how many changed answers the question before a replace lists.
const maxListedChanges = 12

// confirmReplace shows on stderr how incoming answers would change key's draft, and asks
// before they replace it. A draft with no answers, or one the incoming answers leave as it
// is, is replaced without asking. what names the command's doing ("Importing f.json").
// It reports whether the draft had answers that change.
func (a *App) confirmReplace(cat *questionnaire.Catalogue, key string, current, incoming questionnaire.Answers, what string, yes bool) (bool, error) {
	if current.IsEmpty() {
		return false, nil
	}
	changes := cat.Diff(current, incoming)
	extra := cat.DiffExtra(current.Extra, incoming.Extra)
	unknown := unknownChanges(current, incoming)
	n := len(changes) + unknown
	if n == 0 && len(extra) == 0 {
		return false, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s replaces the answers of %s: %s would change.\n", what, key, questionnaire.Plural(n, "answer"))
	for i, ch := range changes {
		if i == maxListedChanges {
			fmt.Fprintf(&b, "  … and %d more\n", len(changes)-i)
			break
		}
		fmt.Fprintf(&b, "  %s: %s\n", ch.Question.ID, oneLine(ch.Summary, 70))
	}
	if unknown > 0 {
		fmt.Fprintf(&b, "  and %s to questions this catalogue does not have\n", questionnaire.Plural(unknown, "answer"))
	}
	if len(extra) > 0 {
		fmt.Fprintf(&b, "  and %s pstab does not ask about\n", questionnaire.Plural(len(extra), "field"))
	}
	b.WriteString("The current answers stay in a save point; pstab revert brings them back.\n")
	fmt.Fprint(a.Err, termsafe.Filter(b.String()))
	return true, a.confirm(yes, fmt.Sprintf("Replace the answers of %s?", key))
}

// unknownChanges counts the answers to unknown questions that differ.
func unknownChanges(a, b questionnaire.Answers) int {
	n := 0
	for id, raw := range a.Unknown {
		if other, ok := b.Unknown[id]; !ok || !bytes.Equal(raw, other) {
			n++
		}
	}
	for id := range b.Unknown {
		if _, ok := a.Unknown[id]; !ok {
			n++
		}
	}
	return n
}

// keptAs says where the answers a replace took away are, when it changed any: the save
// point made of unsaved changes just before the new one, or the latest save point when
// there were none.
func keptAs(changed bool, before store.Draft, made store.Revision, key string) string {
	n := replacedRev(changed, before, made)
	if n < 1 {
		return ""
	}
	return fmt.Sprintf(" The answers it replaced are save point %d (pstab revert %s %d brings them back).", n, key, n)
}

// replacedRev is the save point that holds the answers a replace changed, or 0.
func replacedRev(changed bool, before store.Draft, made store.Revision) int {
	if !changed {
		return 0
	}
	if before.Dirty {
		return made.Number - 1
	}
	return before.Revision
}
