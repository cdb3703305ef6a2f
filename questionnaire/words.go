package questionnaire

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The small helpers that word facts in English. The TUI, the prompter and the commands
// all use these, so that one fact reads the same wherever it is shown.

// Plural counts a noun: "1 question", "3 questions", "2 entries".
func Plural(n int, noun string) string {
	return strconv.Itoa(n) + " " + PluralWord(n, noun, pluralOf(noun))
}

// PluralWord picks the singular or the plural form for a count.
func PluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pluralOf is the regular English plural: "entry" -> "entries", "question" -> "questions".
func pluralOf(noun string) string {
	if stem, ok := strings.CutSuffix(noun, "y"); ok && stem != "" && !strings.ContainsAny(stem[len(stem)-1:], "aeiou") {
		return stem + "ies"
	}
	return noun + "s"
}

// Sentence makes a message read as a sentence: a capital first letter and a full stop. A
// first word that is an identifier keeps its case, since its spelling is what the reader
// types: one with a character other than a letter (security-policy, com.example.app, a
// path, "file.json:"), and pstab itself, which starts a command line ("pstab rm takes
// one app KEY"). Identifiers made only of letters (rm, certifications) cannot be told
// from words, so messages do not start with them: they start with the command line, or
// with words that name them ("Not saved: certifications takes…").
func Sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	first, _, _ := strings.Cut(msg, " ")
	if first != "pstab" && strings.IndexFunc(first, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return EndSentence(msg)
}

// EndSentence adds a full stop unless the text already ends a sentence.
func EndSentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// LowerFirst lowers the first letter, so that a sentence can go on after a colon; "I"
// stays as it is.
func LowerFirst(s string) string {
	if s == "" || s == "I" || strings.HasPrefix(s, "I ") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Ago says how long ago t was, as a list of recent changes shows it: "just now",
// "12 min ago", "5 h ago", "3 days ago", then the date. A zero time is "never".
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h ago"
	case d < 14*24*time.Hour:
		n := int(d.Hours() / 24)
		return strconv.Itoa(n) + " " + PluralWord(n, "day", "days") + " ago"
	}
	// t.Format("2 Jan 2006") without its parsing of the layout, once per line of the app
	// list.
	y, m, day := t.Local().Date()
	return strconv.Itoa(day) + " " + m.String()[:3] + " " + strconv.Itoa(y)
}

// OneLine cleans text and puts it on one line, with single spaces.
func OneLine(s string) string { return strings.Join(strings.Fields(CleanText(s, true)), " ") }

// ByteSize words a file's size as a person reads it: "512 bytes", "20.0 KB", "1.5 MB".
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
