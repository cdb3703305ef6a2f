package questionnaire

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// NotProvided is what the listing shows for a question the partner did not answer.
const NotProvided = "Response not provided by the partner"

// What the preview says under a row Atlassian takes from the app's listing.
const (
	FromListingNote    = "From the app's listing, not from the Privacy & Security form."
	FromListingUnknown = "Shown from the app's listing; this draft does not record it yet."
)

// Views selects which view of the listing tab Markdown writes: "default", "expanded", or
// "all" for both, one after the other.
type Views string

// The selections Markdown accepts.
const (
	ViewsDefault  Views = "default"
	ViewsExpanded Views = "expanded"
	ViewsAll      Views = "all"
)

// ParseViews reads a --view value.
func ParseViews(s string) (Views, error) {
	switch Views(s) {
	case ViewsDefault, ViewsExpanded, ViewsAll:
		return Views(s), nil
	case "":
		return ViewsAll, nil
	}
	return "", fmt.Errorf("unknown view %q: use default, expanded or all", s)
}

// MarkdownOptions are the parts of the preview that do not come from the answers.
type MarkdownOptions struct {
	Views Views
	Title string // shown after "Privacy & Security:"; usually the app's name
	Note  string // one line under the title, e.g. which revision this is
}

// Markdown writes the listing tab as customers see it, as plain Markdown: the default view
// (questions the Marketplace shows first) and the expanded view (every shown question),
// section by section. Every shown question without an answer reads "Response not provided
// by the partner"; hidden questions do not appear. All text from answers and catalogue is
// escaped, so that it cannot form a link, HTML, an entity or a heading; a link is written
// only for an https URL that passes URLProblem.
func (c *Catalogue) Markdown(a Answers, opts MarkdownOptions) string {
	vis := c.Visible(a)
	var b strings.Builder
	// A title or note that is nothing once escaped (only control characters, say) is left
	// out rather than written as a dangling ": " or a bare "**".
	title := EscapeMarkdown(c.Title)
	if t := strings.TrimSpace(EscapeMarkdown(shorten(opts.Title, DefaultTextLimit))); t != "" {
		title += ": " + t
	}
	b.WriteString("# " + title + "\n\n")
	if note := strings.TrimSpace(EscapeMarkdown(shorten(opts.Note, DefaultTextLimit))); note != "" {
		b.WriteString("*" + note + "*\n\n")
	}
	if r := c.Retired; r != nil {
		b.WriteString("> **Retired program, kept as a record.** " + EscapeMarkdown(r.Note) + "\n\n")
	}
	if c.Level != "app" {
		// A partner-level questionnaire (the self-assessment) is not a listing tab: it has
		// no default and expanded views, so each shown question is written once.
		c.writeView(&b, a, vis, func(*Question) bool { return true })
		return b.String()
	}
	views := opts.Views
	if views == "" {
		views = ViewsAll
	}
	if views == ViewsDefault || views == ViewsAll {
		b.WriteString("## Default view\n\n")
		c.writeView(&b, a, vis, func(q *Question) bool { return q.View == ViewDefault || c.Level != "app" })
	}
	if views == ViewsExpanded || views == ViewsAll {
		b.WriteString("## Expanded view\n\n")
		c.writeView(&b, a, vis, func(q *Question) bool { return true })
	}
	if c.Level == "app" {
		b.WriteString("---\n\nThe partner is responsible for the responses on this tab.\n")
	}
	return b.String()
}

func (c *Catalogue) writeView(b *strings.Builder, a Answers, vis Visibility, include func(*Question) bool) {
	for _, s := range c.Sections {
		var qs []*Question
		for _, q := range vis.SectionQuestions(s) {
			if include(q) {
				qs = append(qs, q)
			}
		}
		if len(qs) == 0 {
			continue
		}
		b.WriteString("### " + EscapeMarkdown(s.Title) + "\n\n")
		for _, q := range qs {
			b.WriteString("**" + EscapeMarkdown(q.Prompt) + "**\n\n")
			v, ok := a.Get(q.ID)
			if q.FromListing() {
				// Atlassian takes this row from the listing, not from the form: say so, and
				// do not claim the partner left it unanswered.
				if !ok {
					b.WriteString("*" + FromListingUnknown + "*\n\n")
					continue
				}
				b.WriteString(q.markdownAnswer(v) + "\n*" + FromListingNote + "*\n\n")
				continue
			}
			if !ok {
				b.WriteString("*" + NotProvided + "*\n\n")
				continue
			}
			block := q.markdownAnswer(v)
			if strings.TrimSpace(block) == "" {
				// Nothing is left once control characters are dropped.
				block = "*" + NotProvided + "*\n"
			}
			b.WriteString(block)
			b.WriteString("\n")
		}
	}
}

// markdownAnswer writes one answer as a Markdown block ending in a newline. An answer
// over its limits is shortened (see forDisplay).
func (q *Question) markdownAnswer(v Value) string {
	v, more := q.forDisplay(v)
	if more != "" {
		return q.markdownBlock(v) + "\n" + EscapeMarkdown(more) + "\n"
	}
	return q.markdownBlock(v)
}

func (q *Question) markdownBlock(v Value) string {
	switch q.Kind {
	case KindList:
		return bullets(v.List, func(s string) string { return EscapeMarkdown(s) })
	case KindMultiChoice:
		return bullets(v.List, func(s string) string { return EscapeMarkdown(q.OptionLabel(s)) })
	case KindURL:
		return MarkdownLink(v.Text) + "\n"
	case KindLongText:
		var paras []string
		for _, line := range strings.Split(strings.ReplaceAll(v.Text, "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(EscapeMarkdown(line)); line != "" {
				paras = append(paras, line)
			}
		}
		return strings.Join(paras, "\n\n") + "\n"
	case KindEntities:
		return q.markdownTable(v.Entities)
	}
	return EscapeMarkdown(q.Display(v)) + "\n"
}

func bullets(items []string, format func(string) string) string {
	var b strings.Builder
	for _, item := range items {
		if s := strings.TrimSpace(format(strings.TrimSpace(item))); s != "" {
			b.WriteString("- " + s + "\n") // an empty bullet would read as a stray dash
		}
	}
	return b.String()
}

func (q *Question) markdownTable(entities []Entity) string {
	var b strings.Builder
	b.WriteString("|")
	for _, f := range q.Fields {
		b.WriteString(" " + EscapeMarkdown(f.Label) + " |")
	}
	b.WriteString("\n|")
	for range q.Fields {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, e := range entities {
		b.WriteString("|")
		for _, f := range q.Fields {
			fv := e.Fields[f.Key]
			var cell string
			switch {
			case fv.IsEmpty():
				cell = "–"
			case f.Kind == KindURL:
				cell = MarkdownLink(fv.Text)
			case f.Kind == KindList:
				items := make([]string, len(fv.List))
				for i, s := range fv.List {
					items[i] = EscapeMarkdown(strings.TrimSpace(s))
				}
				cell = strings.Join(items, ", ")
			default:
				cell = EscapeMarkdown(fv.Text)
			}
			if strings.TrimSpace(cell) == "" {
				cell = "–"
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// MarkdownLink writes a link to an https URL that passes URLProblem as an autolink, and any
// other text as escaped plain text, so that no unsafe link reaches the listing. A URL
// holding "&#" is written as text too: CommonMark keeps an autolink's characters as they
// are, but older renderers copy &#27; into the HTML, where it decodes to a control.
func MarkdownLink(u string) string {
	if URLProblem(u) == "" && !strings.Contains(u, "&#") {
		// URLProblem refuses spaces, < > and controls, so the URL cannot leave the autolink.
		return "<" + u + ">"
	}
	return EscapeMarkdown(u)
}

// Display returns an answer as the words a reader sees: option labels, "Yes"/"No", a day
// range in words, list items joined by commas.
func (q *Question) Display(v Value) string {
	if v.IsEmpty() {
		return ""
	}
	switch q.Kind {
	case KindYesNo:
		if v.Bool == nil {
			return ""
		}
		if *v.Bool {
			return "Yes"
		}
		return "No"
	case KindTriState:
		return q.OptionLabel(triText(v))
	case KindChoice:
		return q.OptionLabel(v.Text)
	case KindMultiChoice:
		labels := make([]string, len(v.List))
		for i, s := range v.List {
			labels[i] = q.OptionLabel(s)
		}
		return strings.Join(labels, ", ")
	case KindList:
		return strings.Join(v.List, ", ")
	case KindDayRange:
		return displayDays(v.Days)
	case KindEntities:
		names := make([]string, 0, len(v.Entities))
		for _, e := range v.Entities {
			name := e.Fields[q.Fields[0].Key].Text
			if name == "" {
				name = "(unnamed)"
			}
			names = append(names, name)
		}
		return strings.Join(names, ", ")
	}
	return v.Text
}

// OptionLabel returns the label of the option with value v, or v itself when no option
// matches (a value the server knows and this catalogue does not).
func (q *Question) OptionLabel(v string) string {
	if o := q.Option(v); o != nil {
		return o.Label
	}
	return v
}

func displayDays(d *DayRange) string {
	switch {
	case d == nil:
		return ""
	case d.IsIndefinite():
		return "Indefinitely"
	case d.Min != nil && d.Max != nil:
		if *d.Min == *d.Max {
			return Plural(*d.Max, "day")
		}
		return strconv.Itoa(*d.Min) + " to " + Plural(*d.Max, "day")
	case d.Max != nil:
		return "Up to " + Plural(*d.Max, "day")
	case d.Min != nil:
		return "At least " + Plural(*d.Min, "day")
	}
	return ""
}

// EscapeMarkdown makes text safe to embed in Markdown as plain words. It writes an & that
// could start an entity as &amp; (so no entity such as &#27; can decode to a control
// byte); backslash-escapes the characters that make inline structure (emphasis, links,
// HTML, tables, code) and, at the start, those that begin a block (heading, list, quote,
// a definition list's ":"); and
// writes as numeric entities the few that goldmark, the parser glamour uses, would turn
// into structure but does not unescape cleanly: "~" (strikethrough), a ":" before "//"
// and the "." of "www." (bare links), "@" (bare email links), and a leading "=". Leading
// spaces are dropped, so the text cannot become a code block; line breaks become spaces,
// since the caller decides layout; control and bidi characters are dropped (CleanText).
func EscapeMarkdown(s string) string {
	s = strings.TrimLeft(CleanText(s, false), " \t")
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	digits := 0 // how many digits the text starts with, for "1." and "1)" list markers
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&' && i+1 < len(s) && (s[i+1] == '#' || isASCIIAlnum(s[i+1])):
			// Only an & that could start an entity (&name, &#n) needs escaping; a lone
			// "&", as in "Privacy & Security", stays readable in the plain Markdown.
			b.WriteString("&amp;")
		case strings.IndexByte("\\`*_[]<>|", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case i == 0 && strings.IndexByte("#-+:", c) >= 0,
			i == digits && digits > 0 && (c == '.' || c == ')'):
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '~':
			b.WriteString("&#126;")
		case c == '=' && i == 0:
			b.WriteString("&#61;")
		case c == '@':
			b.WriteString("&#64;")
		case c == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteString("&#58;")
		case c == '\n' || c == '\r':
			b.WriteByte(' ')
		case (c == 'w' || c == 'W') && len(s)-i >= 4 && strings.EqualFold(s[i:i+4], "www."):
			b.WriteString(s[i : i+3])
			b.WriteString("&#46;")
			i += 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Validate refuses an answer over its limits, but a draft holding one (a 1 MB paste, an
// imported file) must still preview promptly, and glamour's word wrapping takes time that
// grows with the square of a word's length: a megabyte-long word would freeze the preview
// for hours. So the Markdown shows at most the limit of each text, and of each list, and
// says what it left out.

// forDisplay returns v with each text cut to its limit and each list or entities answer
// cut to its item limit, and a sentence saying how many items were left out, or "".
func (q *Question) forDisplay(v Value) (Value, string) {
	out := v
	out.Text = shorten(v.Text, q.TextLimit())
	var more string
	if len(v.List) > 0 {
		out.List, more = shortenList(v.List, q.ItemLimit(), q.TextLimit())
	}
	if len(v.Entities) > 0 {
		entities := v.Entities
		if len(entities) > q.ItemLimit() {
			more = fmt.Sprintf("… and %d more entries, over the limit of %d.", len(entities)-q.ItemLimit(), q.ItemLimit())
			entities = entities[:q.ItemLimit()]
		}
		out.Entities = make([]Entity, len(entities))
		for i, e := range entities {
			fields := make(map[string]Value, len(e.Fields))
			for _, f := range q.Fields {
				fv, ok := e.Fields[f.Key]
				if !ok {
					continue
				}
				fv.Text = shorten(fv.Text, f.textLimit())
				if len(fv.List) > 0 {
					var fmore string
					fv.List, fmore = shortenList(fv.List, q.ItemLimit(), DefaultItemLimit)
					if fmore != "" {
						fv.List = append(fv.List, fmore)
					}
				}
				fields[f.Key] = fv
			}
			out.Entities[i] = Entity{Fields: fields}
		}
	}
	return out, more
}

// textLimit returns the most characters a field of a record may hold.
func (f Field) textLimit() int { return textLimit(f.Kind, f.MaxLength) }

// shorten returns s cut to limit characters, saying so, or s itself when it fits.
func shorten(s string, limit int) string {
	if len(s) <= limit {
		return s // no more bytes than the limit, so no more characters either
	}
	n := 0
	for i := range s {
		if n == limit {
			return s[:i] + fmt.Sprintf(" … (shortened here: %d characters, over the limit of %d)", utf8.RuneCountInString(s), limit)
		}
		n++
	}
	return s
}

// shortenList cuts a list to maxItems items of at most limit characters each, and says
// how many items it left out, or returns "".
func shortenList(items []string, maxItems, limit int) ([]string, string) {
	var more string
	if len(items) > maxItems {
		more = fmt.Sprintf("… and %d more items, over the limit of %d.", len(items)-maxItems, maxItems)
		items = items[:maxItems]
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = shorten(s, limit)
	}
	return out, more
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
