package questionnaire

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits on links and addresses.
const (
	maxURLLength   = 2048
	maxEmailLength = 254 // RFC 5321's path limit less the angle brackets
)

// URLProblem says what is wrong with a link a customer will be sent to, or returns "". A
// link must be https, name a host, carry no user name or password, and hold no spaces,
// controls, invisible characters, or host-name characters that imitate another site.
func URLProblem(s string) string {
	switch {
	case s == "":
		return "is empty; give an https link"
	case utf8.RuneCountInString(s) > maxURLLength:
		return fmt.Sprintf("is longer than %d characters; use a shorter link", maxURLLength)
	case strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\n\r"):
		return "contains a space; remove it (write a space in a link as %20)"
	case strings.ContainsAny(s, `\<>"{}|^`+"`"):
		return "contains a character links may not hold (one of \\ < > \" { } | ^ `); percent-encode it"
	}
	if p := TextProblem(s, false); p != "" {
		return p
	}
	if r, ok := hasInvisible(s); ok {
		return fmt.Sprintf("contains an invisible character (U+%04X) that hides where the link goes; remove it", r)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "is not a valid link; give a full address such as https://example.com/security"
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "":
		return "has no https:// at the start; write it as https://" + s
	case scheme == "http":
		return "uses http://; the listing only accepts https:// links"
	case scheme != "https":
		return fmt.Sprintf("is a %s: link; only https:// links are accepted", scheme)
	case u.Opaque != "" || u.Host == "":
		return "has no host name after https://"
	case u.User != nil:
		return "contains a user name or password; remove the part before @"
	}
	if p := HostProblem(u.Hostname()); p != "" {
		return p
	}
	return ""
}

// DomainLink returns the https link for a bare domain, such as sendgrid.com or
// www.example.com/privacy, and true; for anything else it returns s and false. The web form
// calls a sub-processor's link its domain, so partners type one; the listing links it, and
// a link must say https. Only a name made of letters, digits, dots and hyphens, with a dot
// and a top-level label of letters, counts: "mailto:x", "localhost" and "javascript:..."
// stay as they are, for URLProblem to refuse.
func DomainLink(s string) (string, bool) {
	if s == "" || strings.Contains(s, "://") || strings.ContainsAny(s, " \t\r\n") {
		return s, false
	}
	host := s
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		host = s[:i]
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return s, false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return s, false
		}
		for _, r := range l {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return s, false
			}
		}
	}
	top := labels[len(labels)-1]
	if !strings.HasPrefix(strings.ToLower(top), "xn--") {
		for _, r := range top {
			if !unicode.IsLetter(r) {
				return s, false
			}
		}
	}
	link := "https://" + s
	if URLProblem(link) != "" {
		return s, false
	}
	return link, true
}

// LinkDomains turns every bare domain given as an entry's link (see DomainLink) into its
// https link, and says what it changed, one note per link: "the link of entry 1,
// sendgrid.com, is kept as https://sendgrid.com". Other answers are returned as they are.
func (q *Question) LinkDomains(v Value) (Value, []string) {
	if q.Kind != KindEntities || len(v.Entities) == 0 {
		return v, nil
	}
	out := v
	var notes []string
	for _, f := range q.Fields {
		if f.Kind != KindURL {
			continue
		}
		for i, e := range v.Entities {
			fv, ok := e.Fields[f.Key]
			if !ok {
				continue
			}
			link, changed := DomainLink(fv.Text)
			if !changed {
				continue
			}
			if notes == nil {
				out = v.Clone() // the caller's value stays as it was
			}
			notes = append(notes, fmt.Sprintf("the %s of entry %d, %s, is kept as %s", strings.ToLower(f.Label), i+1, fv.Text, link))
			fv.Text = link
			out.Entities[i].Fields[f.Key] = fv
		}
	}
	return out, notes
}

// LinkDomains applies Question.LinkDomains to every answer, for answers read from a file:
// it returns the answers with https links and the notes, each naming its question.
func (c *Catalogue) LinkDomains(a Answers) (Answers, []string) {
	var notes []string
	for _, q := range c.Questions {
		v, ok := a.Values[q.ID]
		if !ok {
			continue
		}
		nv, ns := q.LinkDomains(v)
		if len(ns) == 0 {
			continue
		}
		if notes == nil {
			a = a.Clone()
		}
		a.Values[q.ID] = nv
		for _, n := range ns {
			notes = append(notes, q.ID+": "+n)
		}
	}
	return a, notes
}

// EmailProblem says what is wrong with an email address, or returns "". Only a bare
// address is accepted: no display name, no angle brackets, and an ASCII domain with a dot.
func EmailProblem(s string) string {
	if s == "" {
		return "is empty; give an email address"
	}
	if len(s) > maxEmailLength {
		return fmt.Sprintf("is longer than %d characters", maxEmailLength)
	}
	if p := TextProblem(s, false); p != "" {
		return p
	}
	if r, ok := hasInvisible(s); ok {
		return fmt.Sprintf("contains an invisible character (U+%04X); remove it", r)
	}
	for _, r := range s {
		if r > unicode.MaxASCII {
			return "contains characters outside ASCII; write the domain in its xn-- form"
		}
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "is not a plain email address; write only the address, such as security@example.com"
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "needs a domain with a dot, such as example.com"
	}
	return HostProblem(domain)
}

// HostProblem says why a host name could mislead a reader, or returns "". Host names must
// be ASCII (internationalised names in their xn-- form), and an xn-- label must not mix
// Latin with look-alike Cyrillic or Greek letters, nor be made wholly of Cyrillic letters
// that look Latin (the "аpple.com" trick).
func HostProblem(host string) string {
	if host == "" {
		return "has no host name"
	}
	for _, r := range host {
		if r > unicode.MaxASCII {
			if isInvisible(r) || unicode.Is(unicode.Cf, r) {
				return fmt.Sprintf("has an invisible character (U+%04X) in its host name", r)
			}
			return "has non-ASCII letters in its host name, which can imitate another site; write it in its xn-- form if it is really meant"
		}
		if !(r == '.' || r == '-' || r == ':' || r == '[' || r == ']' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return fmt.Sprintf("has %q in its host name", r)
		}
	}
	for _, label := range strings.Split(strings.ToLower(host), ".") {
		if !strings.HasPrefix(label, "xn--") {
			continue
		}
		uni, err := idna.Punycode.ToUnicode(label)
		if err != nil {
			return "has a malformed xn-- label in its host name"
		}
		for _, r := range uni {
			if unicode.IsControl(r) || isInvisible(r) || unicode.Is(unicode.Cf, r) {
				return fmt.Sprintf("has a host name label (%s) that decodes to an invisible or control character (U+%04X); check the link", label, r)
			}
		}
		if lookAlike(uni) {
			return fmt.Sprintf("has a host name label (%s, shown as %q) whose letters imitate Latin ones; check the link is the site you mean", label, uni)
		}
	}
	return ""
}

// latinLookalikes are Cyrillic and Greek letters drawn like Latin ones.
const latinLookalikes = "аеорсухіјѕԁԛԝһӏѵүΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριυνκτ"

// lookAlike reports a label that mixes Latin with Cyrillic or Greek, or is made only of
// Cyrillic or Greek letters that look Latin.
func lookAlike(label string) bool {
	var latin, other, allLookalike = false, false, true
	for _, r := range label {
		if r == '-' || unicode.IsDigit(r) {
			continue
		}
		if isInvisible(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r):
			other = true
			if !strings.ContainsRune(latinLookalikes, r) {
				allLookalike = false
			}
		default:
			allLookalike = false
		}
	}
	return (latin && other) || (other && !latin && allLookalike)
}
