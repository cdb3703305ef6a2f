package questionnaire

import (
	"strings"
	"testing"
)

func TestURLProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  string
		want string // a part of the problem, or "" when the link is accepted
	}{
		{"https link", "https://example.com/security", ""},
		{"https link with port, query and fragment", "https://example.com:8443/a/b?c=d&e=f#g", ""},
		{"upper-case scheme and host", "HTTPS://EXAMPLE.COM/", ""},
		{"percent-encoded space", "https://example.com/a%20b", ""},
		{"internationalised host in xn-- form (Latin only)", "https://xn--bcher-kva.example/", ""},
		{"Greek host in xn-- form that imitates nothing", "https://xn--hxargifdar.gr/", ""},

		{"empty", "", "is empty; give an https link"},
		{"http", "http://example.com/security", "uses http://; the listing only accepts https:// links"},
		{"no scheme", "example.com/security", "has no https:// at the start; write it as https://example.com/security"},
		{"www without scheme", "www.example.com", "has no https://"},
		{"javascript", "javascript:alert(1)", "is a javascript: link; only https:// links are accepted"},
		{"data", "data:text/html;base64,PHNjcmlwdD4=", "is a data: link"},
		{"file", "file:///etc/passwd", "is a file: link"},
		{"ftp", "ftp://example.com/file", "is a ftp: link"},
		{"user and password", "https://user:secret@example.com/", "contains a user name or password; remove the part before @"},
		{"user only", "https://token@example.com/", "contains a user name or password"},
		{"host that hides behind a user name", "https://example.com@evil.example/", "contains a user name or password"},
		{"no host", "https://", "has no host name"},
		{"opaque https", "https:example.com", "has no host name"},
		{"space inside", "https://example.com/a b", "contains a space; remove it"},
		{"leading space", " https://example.com", "contains a space"},
		{"trailing newline", "https://example.com\n", "contains a space"},
		{"angle bracket", "https://example.com/<script>", "contains a character links may not hold"},
		{"backtick", "https://example.com/`x`", "contains a character links may not hold"},
		{"escape character", "https://example.com/\x1b[31m", "an escape character (U+001B)"},
		{"C1 control", "https://example.com/\u009b31m", "a control character (U+009B)"},
		{"bidi override", "https://example.com/\u202egpj.exe", "an invisible bidirectional control (U+202E)"},
		{"zero-width space", "https://exam\u200bple.com/", "contains an invisible character (U+200B)"},
		{"soft hyphen", "https://exam\u00adple.com/", "contains an invisible character (U+00AD)"},
		{"Cyrillic a in the host", "https://\u0430pple.com/", "has non-ASCII letters in its host name"},
		{"look-alike host in xn-- form (Cyrillic a + Latin)", "https://xn--pple-43d.com/", "whose letters imitate Latin ones"},
		{"look-alike host wholly Cyrillic", "https://xn--80ak6aa92e.com/", "whose letters imitate Latin ones"},
		{"malformed xn-- label", "https://xn--zz.com/", "malformed xn-- label"},
		{"underscore in host", "https://exa_mple.com/", `has '_' in its host name`},
		{"too long", "https://example.com/" + strings.Repeat("a", 2100), "is longer than 2048 characters"},
		{"invalid UTF-8", "https://example.com/\xff", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := URLProblem(tc.url)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("URLProblem(%q) = %q, want it accepted", tc.url, got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("URLProblem(%q) = %q, want it to say %q", tc.url, got, tc.want)
			}
			if got != "" {
				// It follows "The link" in Validate's sentence.
				assertSentence(t, "The link "+got+".")
			}
		})
	}
}

func TestEmailProblem(t *testing.T) {
	for _, tc := range []struct {
		name, addr, want string
	}{
		{"plain address", "security@example.com", ""},
		{"plus and subdomain", "sec+apps@mail.example.co.uk", ""},
		{"xn-- domain that imitates nothing", "security@xn--bcher-kva.example", ""},

		{"empty", "", "is empty; give an email address"},
		{"display name", "Security Team <security@example.com>", "is not a plain email address"},
		{"angle brackets", "<security@example.com>", "is not a plain email address"},
		{"mailto", "mailto:security@example.com", "is not a plain email address"},
		{"two addresses", "a@example.com, b@example.com", "is not a plain email address"},
		{"no at", "security.example.com", "is not a plain email address"},
		{"domain without a dot", "security@localhost", "needs a domain with a dot"},
		{"IP literal", "security@[192.0.2.1]", "needs a domain with a dot"},
		{"non-ASCII local part", "sécurité@example.com", "contains characters outside ASCII; write the domain in its xn-- form"},
		{"non-ASCII domain", "security@ex\u0430mple.com", "contains characters outside ASCII"},
		{"look-alike xn-- domain", "security@xn--pple-43d.com", "whose letters imitate Latin ones"},
		{"zero-width space", "secu\u200brity@example.com", "contains an invisible character (U+200B)"},
		{"newline", "security@example.com\nBcc: x@example.com", "a line break"},
		{"escape character", "security@example.com\x1b]8;;", "an escape character"},
		{"space", "secu rity@example.com", "is not a plain email address"},
		{"too long", strings.Repeat("a", 250) + "@example.com", "is longer than 254 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EmailProblem(tc.addr)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("EmailProblem(%q) = %q, want it accepted", tc.addr, got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("EmailProblem(%q) = %q, want it to say %q", tc.addr, got, tc.want)
			}
		})
	}
}

func TestHostProblem(t *testing.T) {
	for _, tc := range []struct {
		host, want string
	}{
		{"example.com", ""},
		{"xn--mnchen-3ya.de", ""},
		{"", "has no host name"},
		{"xn--pple-43d.com", "imitate Latin ones"},
		{"xn--a.com", "decodes to an invisible or control character (U+0080)"},
		{"XN--PPLE-43D.COM", "imitate Latin ones"},
		{"paypal.xn--l-7sba6dbr.com", "imitate Latin ones"},
		{"\u0430pple.com", "has non-ASCII letters"},
		{"exam\u200bple.com", "has an invisible character (U+200B)"},
		{"exa mple.com", `has ' ' in its host name`},
	} {
		t.Run(tc.host, func(t *testing.T) {
			got := HostProblem(tc.host)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("HostProblem(%q) = %q, want %q", tc.host, got, tc.want)
			}
		})
	}
}

func TestDomainLink(t *testing.T) {
	for in, want := range map[string]string{
		"sendgrid.com":              "https://sendgrid.com",
		"www.example.co.uk/privacy": "https://www.example.co.uk/privacy",
		"Mail-Gun.com?x=1":          "https://Mail-Gun.com?x=1",
		"xn--bcher-kva.example":     "https://xn--bcher-kva.example",
	} {
		if got, ok := DomainLink(in); !ok || got != want {
			t.Errorf("DomainLink(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "https://sendgrid.com", "http://sendgrid.com", "localhost", "mailto:a@b.com",
		"javascript:alert(1)//x.com", "a b.com", "-bad.com", "x..com", "10.0.0.1", "sendgrid.com\u202e", "аpple.com", "user@host.com"} {
		if got, ok := DomainLink(in); ok || got != in {
			t.Errorf("DomainLink(%q) = %q, %v; want it left alone", in, got, ok)
		}
	}
}

func TestLinkDomainsSaysWhatItChanged(t *testing.T) {
	q := ps(t).Question("sub-processors")
	in := subProcessors(sp("SendGrid", "sendgrid.com", "Email"), sp("AWS", "https://aws.amazon.com", "Hosting"))
	got, notes := q.LinkDomains(in)
	if l := got.Entities[0].Field("link").Text; l != "https://sendgrid.com" {
		t.Errorf("entry 1 link = %q", l)
	}
	if l := got.Entities[1].Field("link").Text; l != "https://aws.amazon.com" {
		t.Errorf("entry 2 link = %q", l)
	}
	if len(notes) != 1 || notes[0] != "the link of entry 1, sendgrid.com, is kept as https://sendgrid.com" {
		t.Errorf("notes %q", notes)
	}
	if l := in.Entities[0].Field("link").Text; l != "sendgrid.com" {
		t.Errorf("the caller's value changed to %q", l)
	}
	if ps := q.Check(got); len(ps) != 0 {
		t.Errorf("the https link is still a problem: %v", ps)
	}
	if v := CleanValue(q, in); v.Entities[0].Field("link").Text != "https://sendgrid.com" {
		t.Errorf("CleanValue left the bare domain: %+v", v.Entities[0])
	}
}
