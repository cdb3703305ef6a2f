package questionnaire

import (
	"fmt"
	"strings"
)

// Sheet writes an answer sheet for a partner who enters the answers by hand in the
// Marketplace web form: every shown question in the web form's order, with the exact option
// label to pick or the text to type. Questions the API does not carry are marked, since
// the web form is the only place to give them. title names the app.
func (c *Catalogue) Sheet(a Answers, title string) string { return c.SheetMarked(a, title, nil) }

// SheetMarked is Sheet for a draft with blocking problems that is written anyway: the
// sheet opens by saying so, each answer with a problem is marked as needing a fix, with
// the problem, and problems of answers the sheet does not show are listed at the start.
func (c *Catalogue) SheetMarked(a Answers, title string, problems []Problem) string {
	vis := c.Visible(a)
	fixes := map[*Question][]string{}
	var elsewhere []string
	for _, p := range problems {
		if p.Severity != Blocking {
			continue
		}
		if p.Question != nil && vis.Shows(p.Question) {
			fixes[p.Question] = append(fixes[p.Question], p.Message)
			continue
		}
		where := p.Path
		if p.Question != nil {
			where = p.Question.ID
		}
		elsewhere = append(elsewhere, where+": "+p.Message)
	}
	var b strings.Builder
	head := c.Title + " answer sheet"
	if title != "" {
		head += ": " + clean(title)
	}
	b.WriteString(head + "\n" + strings.Repeat("=", runeLen(head)) + "\n\n")
	if c.Level == "app" {
		b.WriteString("Enter these answers in the Marketplace web form: Manage partner account > your app >\n" +
			"Privacy and Security > Edit responses. Questions follow the form's order; follow-up\n" +
			"questions appear in the form as you answer, as they do here. Finish with Save and\n" +
			"preview, compare with `pstab preview`, then Submit and publish.\n\n")
	}
	if n := len(fixes) + len(elsewhere); n > 0 {
		what := PluralWord(n, "the answer marked NEEDS A FIX in pstab before you enter it",
			fmt.Sprintf("the %d answers marked NEEDS A FIX in pstab before you enter them", n))
		fmt.Fprintf(&b, "%s\n\n", wrapIndent("This draft has blocking problems: fix "+what+" (pstab check lists every problem).", "", 0))
		for _, e := range elsewhere {
			fmt.Fprintf(&b, "  NEEDS A FIX: %s\n", wrapIndent(e, "    ", 15))
		}
		if len(elsewhere) > 0 {
			b.WriteString("\n")
		}
	}
	for si, s := range c.Sections {
		qs := vis.SectionQuestions(s)
		if len(qs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%d. %s\n\n", si+1, strings.ToUpper(s.Title))
		for qi, q := range qs {
			num := fmt.Sprintf("%d.%d ", si+1, qi+1)
			fmt.Fprintf(&b, "%s%s\n", num, wrapIndent(q.Prompt, "    ", len(num)))
			v, ok := a.Get(q.ID)
			if q.FromListing() {
				// Not a field of the form: the tab shows it from the listing.
				b.WriteString("    " + wrapIndent("Not in this form: Atlassian shows it from your app's listing. Check it there"+
					listingWhere(q)+".", "    ", 4) + "\n")
				if ok {
					fmt.Fprintf(&b, "    Your draft records: %s\n", clean(q.Display(v)))
				}
				b.WriteString("\n")
				continue
			}
			if q.Local() && c.Level == "app" {
				b.WriteString("    (Only in the web form: the API does not carry this answer.)\n")
			}
			if !ok {
				b.WriteString("    Not answered yet: leave it, or answer it in pstab first.\n\n")
				continue
			}
			if why := q.FirstProblem(v); why != "" && len(fixes[q]) == 0 {
				// A value that is not valid yet stays in the draft, not in the form. A sheet
				// written anyway (marked) shows it as typed, with what needs a fix.
				b.WriteString("    " + wrapIndent("Leave it for now: the draft's answer has a problem, so it is not sent. "+
					why+" Fix it in pstab first.", "    ", 4) + "\n\n")
				continue
			}
			b.WriteString(q.sheetAnswer(v))
			for _, msg := range fixes[q] {
				fmt.Fprintf(&b, "    NEEDS A FIX: %s\n", wrapIndent(msg, "      ", 17))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (q *Question) sheetAnswer(v Value) string {
	const in = "    "
	var b strings.Builder
	switch q.Kind {
	case KindYesNo, KindTriState, KindChoice:
		fmt.Fprintf(&b, "%sSelect: %q\n", in, clean(q.Display(v)))
	case KindMultiChoice:
		labels := make([]string, len(v.List))
		for i, s := range v.List {
			labels[i] = fmt.Sprintf("%q", clean(q.OptionLabel(s)))
		}
		fmt.Fprintf(&b, "%sTick: %s\n", in, strings.Join(labels, ", "))
	case KindList:
		fmt.Fprintf(&b, "%sAdd each item (Add more):\n", in)
		for _, item := range v.List {
			fmt.Fprintf(&b, "%s  - %s\n", in, clean(item))
		}
	case KindDayRange:
		d := v.Days
		if d.IsIndefinite() {
			fmt.Fprintf(&b, "%sSelect: kept indefinitely\n", in)
		} else {
			if d.Min != nil {
				fmt.Fprintf(&b, "%sMinimum days: %d\n", in, *d.Min)
			}
			if d.Max != nil {
				fmt.Fprintf(&b, "%sMaximum days: %d\n", in, *d.Max)
			}
		}
	case KindLongText:
		fmt.Fprintf(&b, "%sType:\n", in)
		for _, line := range strings.Split(strings.ReplaceAll(v.Text, "\r\n", "\n"), "\n") {
			fmt.Fprintf(&b, "%s\n", strings.TrimRight(in+"  | "+clean(line), " "))
		}
	case KindEntities:
		fmt.Fprintf(&b, "%sAdd %d %s (Add more):\n", in, len(v.Entities), PluralWord(len(v.Entities), "entry", "entries"))
		width := 0
		for _, f := range q.Fields {
			width = max(width, runeLen(f.Label))
		}
		for i, e := range v.Entities {
			fmt.Fprintf(&b, "%s  Entry %d\n", in, i+1)
			for _, f := range q.Fields {
				fv := e.Fields[f.Key]
				text := clean(fv.Text)
				if f.Kind == KindList {
					items := make([]string, len(fv.List))
					for j, s := range fv.List {
						items[j] = clean(s)
					}
					text = strings.Join(items, "; ")
					if text != "" {
						text += " (pick each one)"
					}
				}
				if text == "" {
					text = "(leave empty)"
				}
				fmt.Fprintf(&b, "%s    %-*s  %s\n", in, width+1, f.Label+":", text)
			}
		}
	default:
		fmt.Fprintf(&b, "%sType: %s\n", in, clean(v.Text))
	}
	return b.String()
}

// listingWhere says where in the listing a listing fact is kept.
func listingWhere(q *Question) string {
	switch q.Listing {
	case ListingBugBounty:
		return " (your enrolment in the Marketplace Bug Bounty Program)"
	case ListingPrivacy:
		return " (the privacy policy link in your listing's details)"
	}
	return ""
}

// clean keeps text printable for a plain-text sheet.
func clean(s string) string { return CleanText(s, false) }

func runeLen(s string) int { return len([]rune(s)) }

// wrapIndent wraps text at about 88 columns, indenting continuation lines.
func wrapIndent(s, indent string, first int) string {
	words := strings.Fields(clean(s))
	var b strings.Builder
	col := first
	for i, w := range words {
		if i > 0 {
			if col+1+runeLen(w) > 92 {
				b.WriteString("\n" + indent)
				col = len(indent)
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += runeLen(w)
	}
	return b.String()
}
