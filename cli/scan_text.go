package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/scan"
)

// How pstab scan prints for people: what was read, each proposal with its evidence, and
// what the manifest cannot tell. The text is plain, wrapped to the terminal (80 columns
// when it is not one), and goes through the terminal filter like everything else.

// renderScan prints a report.
func renderScan(cat *questionnaire.Catalogue, r scan.Report, width int) string {
	var b strings.Builder
	writeSources(&b, r.Facts, width)
	if len(r.Proposals) > 0 {
		fmt.Fprintf(&b, "\nProposed answers (%d)\n\n", len(r.Proposals))
		for _, p := range r.Proposals {
			writeProposal(&b, cat, p, width)
			b.WriteString("\n")
		}
	} else {
		b.WriteString("\nThe manifest proves no answer by itself.\n\n")
	}
	writeUnknown(&b, r.Unknown, width)
	if len(r.Facts.Notes) > 0 {
		b.WriteString("Notes\n")
		for _, n := range r.Facts.Notes {
			b.WriteString(wrap(n, width, "  ", "  "))
		}
		b.WriteString("\n")
	}
	if len(r.Proposals) > 0 {
		b.WriteString("Apply them to a draft with: pstab scan DIR --into KEY\n")
	}
	return b.String()
}

// writeSources says which files were read and what they declare, in one paragraph.
func writeSources(b *strings.Builder, f scan.Facts, width int) {
	for _, s := range f.Sources {
		line := "Scanned " + s.File + ": "
		if s.Kind == scan.KindForge {
			line += "a Forge app"
		} else {
			line += "a Connect app"
		}
		if s.App != "" {
			line += " (" + s.App + ")"
		}
		switch {
		case s.Runtime != "":
			line += ", runtime " + s.Runtime
		case s.Kind == scan.KindForge:
			line += ", no runtime named (the legacy Forge runtime)"
		}
		b.WriteString(wrap(line+".", width, "", "  "))
	}
	var found []string
	if n := len(f.Scopes); n > 0 {
		found = append(found, questionnaire.Plural(n, "scope"))
	}
	hosts := map[string]bool{}
	for _, a := range f.Addresses {
		if !a.Atlassian {
			hosts[a.Host+a.Address] = true
		}
	}
	if n := len(hosts); n > 0 {
		found = append(found, fmt.Sprintf("%d outside %s", n, questionnaire.PluralWord(n, "address", "addresses")))
	}
	if n := len(f.Remotes); n > 0 {
		found = append(found, questionnaire.Plural(n, "remote back end"))
	}
	kinds := map[string]bool{}
	for _, s := range f.Storage {
		kinds[s.Kind] = true
	}
	if len(kinds) > 0 {
		var ks []string
		for k := range kinds {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		found = append(found, "Forge hosted storage ("+strings.Join(ks, ", ")+")")
	}
	var hooks int
	for _, h := range f.Hooks {
		if h.Kind == "webhook" {
			hooks++
		}
	}
	if hooks > 0 {
		found = append(found, questionnaire.Plural(hooks, "webhook"))
	}
	if len(found) == 0 {
		found = append(found, "no scopes, outside addresses or storage")
	}
	b.WriteString(wrap("It declares "+joinWords(found)+".", width, "", "  "))
}

// writeProposal prints one proposal: the question, the value, why, and the evidence.
func writeProposal(b *strings.Builder, cat *questionnaire.Catalogue, p scan.Proposal, width int) {
	q := cat.Question(p.Question)
	b.WriteString(clipLine(p.Question+"  "+questionnaire.OneLine(q.Prompt), width) + "\n")
	value := displayValue(q, p.Value)
	if strings.Contains(value, "\n") || q.Kind == questionnaire.KindLongText || q.Kind == questionnaire.KindEntities {
		b.WriteString("  Proposed:\n")
		for _, line := range strings.Split(value, "\n") {
			b.WriteString(wrap(line, width, "    ", "      "))
		}
	} else {
		b.WriteString(wrap("Proposed: "+value, width, "  ", "    "))
	}
	b.WriteString(wrap(p.Reason, width, "  ", "  "))
	for _, e := range p.Evidence {
		b.WriteString(clipLine("    "+e.String(), width) + "\n")
	}
	if p.Note != "" {
		b.WriteString(wrap("Left for you: "+p.Note, width, "  ", "  "))
	}
	if p.Problem != "" {
		b.WriteString(wrap("Not applied: this catalogue cannot take it: "+questionnaire.LowerFirst(p.Problem), width, "  ", "  "))
	}
}

// writeUnknown prints what the manifest cannot tell.
func writeUnknown(b *strings.Builder, us []scan.Unknown, width int) {
	if len(us) == 0 {
		return
	}
	fmt.Fprintf(b, "What the manifest cannot tell (%s)\n\n", questionnaire.Plural(countQuestions(us), "question"))
	for _, u := range us {
		b.WriteString(wrap(strings.Join(u.Questions, ", "), width, "", "  "))
		b.WriteString(wrap(u.Reason, width, "  ", "  "))
		for _, e := range u.Evidence {
			b.WriteString(clipLine("    "+e.String(), width) + "\n")
		}
		b.WriteString("\n")
	}
}

func countQuestions(us []scan.Unknown) int {
	n := 0
	for _, u := range us {
		n += len(u.Questions)
	}
	return n
}

// displayValue is a proposed value as a reader sees it. A sub-processor entry shows its
// link, since its name is what the partner fills in.
func displayValue(q *questionnaire.Question, v questionnaire.Value) string {
	switch q.Kind {
	case questionnaire.KindEntities:
		name, link := "name", "link"
		if f := q.Field("name"); f != nil {
			name = f.Key
		}
		if f := q.Field("link"); f != nil {
			link = f.Key
		}
		var lines []string
		for _, e := range v.Entities {
			line := "- "
			if n := e.Field(name).Text; n != "" {
				line += n + ", "
			}
			line += e.Field(link).Text
			if e.Field(name).IsEmpty() {
				line += " (name and purpose to fill in)"
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n")
	case questionnaire.KindLongText:
		return v.Text
	}
	return questionnaire.OneLine(q.Display(v))
}

// shortValue is a proposed value in a few words, for one line of a report.
func shortValue(q *questionnaire.Question, v questionnaire.Value) string {
	switch q.Kind {
	case questionnaire.KindEntities:
		_, link := "", "link"
		if f := q.Field("link"); f != nil {
			link = f.Key
		}
		var links []string
		for _, e := range v.Entities {
			links = append(links, e.Field(link).Text)
		}
		return fmt.Sprintf("%s (%s)", questionnaire.Plural(len(v.Entities), "entry"), strings.Join(links, ", "))
	case questionnaire.KindLongText:
		first, _, more := strings.Cut(v.Text, "\n")
		if more {
			first += " …"
		}
		return clipLine(first, 60)
	}
	return questionnaire.OneLine(q.Display(v))
}

// renderInto reports what scan --into did.
func renderInto(cat *questionnaire.Catalogue, key string, savePoint int, applied []scan.Proposal, left []scan.Left, unknown []scan.Unknown, findings []questionnaire.Problem, width int) string {
	var b strings.Builder
	if len(applied) == 0 {
		b.WriteString(wrap(fmt.Sprintf("Applied nothing to %s; the manifest's facts are kept with the draft for pstab check.", key), width, "", ""))
	} else {
		b.WriteString(wrap(fmt.Sprintf("Applied %s to %s as save point %d:", questionnaire.Plural(len(applied), "answer"), key, savePoint), width, "", ""))
		for _, p := range applied {
			q := cat.Question(p.Question)
			b.WriteString(wrap(fmt.Sprintf("✓ %s: %s (from %s)", p.Question, shortValue(q, p.Value), evidenceSource(p.Evidence)), width, "  ", "    "))
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(&b, "Left %d:\n", len(left))
		for _, l := range left {
			b.WriteString(wrap(fmt.Sprintf("· %s: %s", l.Proposal.Question, l.Why), width, "  ", "    "))
		}
	}
	if n := countQuestions(unknown); n > 0 {
		var ids []string
		for _, u := range unknown {
			ids = append(ids, u.Questions...)
		}
		b.WriteString(wrap(fmt.Sprintf("The manifest cannot tell %s: %s; pstab scan without --into says why.",
			questionnaire.PluralWord(n, "this one", "these "+fmt.Sprint(n)), strings.Join(ids, ", ")), width, "", "  "))
	}
	if len(findings) > 0 {
		fmt.Fprintf(&b, "Contradictions with the manifest (%d), also in pstab check %s:\n", len(findings), key)
		for _, f := range findings {
			b.WriteString(wrap("! "+f.Question.ID+": "+f.Message, width, "  ", "    "))
		}
	}
	return b.String()
}

// wrap fills text to width: the first line after first, the others after rest. Words
// longer than a line stay whole.
func wrap(text string, width int, first, rest string) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return first + "\n"
	}
	var b strings.Builder
	line := first
	empty := true
	for _, w := range words {
		if !empty && len([]rune(line))+1+len([]rune(w)) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// clipLine cuts a line to width, keeping its spacing (oneLine would fold it).
func clipLine(s string, width int) string {
	if r := []rune(s); len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}

// joinWords joins phrases: "a", "a and b", "a, b and c".
func joinWords(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
