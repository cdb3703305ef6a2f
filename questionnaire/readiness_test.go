package questionnaire_test

import (
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

type answerChanges = map[string]questionnaire.Value

func TestReadyDraftIsReady(t *testing.T) {
	c := privacyCatalogue(t)
	a := readyDraft()
	if ps := c.Readiness(a); len(ps) != 0 {
		for _, p := range ps {
			t.Errorf("%s [%s] %s", p.Path, p.Check, p.Message)
		}
		t.Fatal("the ready draft is not ready; every readiness case below starts from it")
	}
	vis := c.Visible(a)
	for _, q := range c.Questions {
		if q.ID != "same-data-processed-stored" && q.ID != "processed-data-types" && !vis.Shows(q) {
			t.Errorf("the ready draft hides %s; it should show every question", q.ID)
		}
	}
}

// TestReadinessChecks has, for every readiness check in the catalogue, one draft that the
// check accepts (its subject is present, or the premise does not hold) and one it refuses,
// and asserts the check's ID, the question it points at, and that its message says what to
// change. Each case starts from readyDraft.
func TestReadinessChecks(t *testing.T) {
	c := privacyCatalogue(t)
	cases := []struct {
		check    string
		question string
		accept   answerChanges
		refuse   answerChanges
		says     string // what the message tells the partner to do
	}{
		{"encryption-at-rest", "disk-encryption",
			answerChanges{"stores-eud": noAnswer, "disk-encryption": noAnswer},
			answerChanges{"disk-encryption": noAnswer}, "then answer Yes"},
		{"security-contact", "security-contact",
			answerChanges{"security-contact": questionnaire.Text("psirt@example.com")},
			answerChanges{"security-contact": unset}, "Give an email address"},
		{"security-policy", "security-policy",
			answerChanges{"security-policy": questionnaire.Text("https://example.com/trust")},
			answerChanges{"security-policy": unset}, "Link to a public security policy page"},
		{"privacy-policy", "privacy-policy",
			answerChanges{"privacy-policy": questionnaire.Text("https://example.com/legal/privacy")},
			answerChanges{"privacy-policy": unset}, "add it in the listing and record it here"},
		{"sub-processors-listed", "sub-processors",
			answerChanges{"shares-eud": noAnswer, "sub-processors": unset, "logs-shared": noAnswer},
			answerChanges{"sub-processors": unset}, "Add each company"},
		{"residency-locations", "residency-locations",
			answerChanges{"data-residency": questionnaire.Text("APP_DOES_NOT_SUPPORT_DR"), "residency-locations": unset},
			answerChanges{"residency-locations": unset}, "Add each location"},
		{"residency-contradiction", "data-residency",
			answerChanges{"stores-eud": noAnswer, "data-residency": questionnaire.Text("STORED_IN_ATLASSIAN_N_DR_SUPPORTED")},
			answerChanges{"data-residency": questionnaire.Text("NOT_APPLICABLE")}, "Pick the answer that matches"},
		{"residency-outside-contradiction", "data-residency",
			answerChanges{"stores-eud": noAnswer, "data-residency": questionnaire.Text("STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED")},
			answerChanges{"stores-eud": noAnswer, "stored-data-types": unset}, "Pick the answer that matches"},
		{"dpa-link", "dpa-link",
			answerChanges{"dpa": questionnaire.Text("false"), "dpa-link": unset, "gdpr-processor": questionnaire.Text("false")},
			answerChanges{"dpa-link": unset}, "link to it"},
		{"eea-mechanism", "eea-mechanism-in-place",
			answerChanges{"eea-transfer": noAnswer, "eea-mechanism-in-place": noAnswer},
			answerChanges{"eea-mechanism-in-place": noAnswer}, "Put one in place"},
		{"eea-mechanism-named", "eea-mechanism",
			answerChanges{"eea-mechanism-in-place": noAnswer, "eea-mechanism": unset, "eea-transfer": noAnswer},
			answerChanges{"eea-mechanism": unset}, "Name the transfer mechanism"},
		{"stored-data-types", "stored-data-types",
			answerChanges{"stores-eud": noAnswer, "stored-data-types": unset},
			answerChanges{"stored-data-types": unset}, "List each type of data it stores"},
		{"processed-data-types", "processed-data-types",
			answerChanges{"same-data-processed-stored": yesAnswer, "processed-data-types": unset},
			answerChanges{"processed-data-types": unset}, "List each type of data it processes"},
		{"processor-needs-dpa", "dpa",
			answerChanges{"gdpr-processor": questionnaire.Text("FALSE"), "dpa": questionnaire.Text("FALSE")},
			answerChanges{"dpa": questionnaire.Text("FALSE")}, "Publish one for this app and answer Yes"},
		{"processor-data-types", "gdpr-processor-data-types",
			answerChanges{"gdpr-processor": questionnaire.Text("FALSE"), "gdpr-processor-data-types": unset},
			answerChanges{"gdpr-processor-data-types": unset}, "List the types of personal data"},
		{"outside-data-but-not-processor", "gdpr-processor",
			answerChanges{"stores-eud": noAnswer, "processes-eud": noAnswer, "gdpr-processor": questionnaire.Text("NOT_APPLICABLE")},
			answerChanges{"gdpr-processor": questionnaire.Text("NOT_APPLICABLE")}, "Check this with whoever owns privacy"},
		{"logs-shared-no-sub-processor", "shares-eud",
			answerChanges{"logs-shared": noAnswer, "shares-eud": noAnswer},
			answerChanges{"shares-eud": noAnswer}, "answer Yes and list it"},
		{"retention-period", "retention-period",
			answerChanges{"retains-after-uninstall": noAnswer, "retention-period": unset},
			answerChanges{"retention-period": unset}, "Give the minimum and maximum number of days"},
	}

	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.check] = true
		t.Run(tc.check+"/accept", func(t *testing.T) {
			for _, p := range c.Readiness(changed(readyDraft(), tc.accept)) {
				if p.Check == tc.check {
					t.Errorf("check %s fired on a draft it should accept: %s", tc.check, p.Message)
				}
			}
		})
		t.Run(tc.check+"/refuse", func(t *testing.T) {
			a := changed(readyDraft(), tc.refuse)
			var found []questionnaire.Problem
			for _, p := range c.Readiness(a) {
				if p.Check == tc.check {
					found = append(found, p)
				}
				if p.Check == "" && p.Question != nil && p.Question.ID == tc.question && p.Severity == questionnaire.Unanswered {
					t.Errorf("%s is reported as %q as well as by check %s; the check should replace it", tc.question, p.Message, tc.check)
				}
			}
			if len(found) != 1 {
				t.Fatalf("check %s fired %d times, want once", tc.check, len(found))
			}
			p := found[0]
			q := c.Question(tc.question)
			switch {
			case p.Question != q:
				t.Errorf("check %s points at %v, want %s", tc.check, p.Question.ID, tc.question)
			case p.Path != q.Path():
				t.Errorf("check %s has path %q, want %q", tc.check, p.Path, q.Path())
			case p.Severity != questionnaire.Advice:
				t.Errorf("check %s has severity %v, want advice", tc.check, p.Severity)
			case !strings.Contains(p.Message, tc.says):
				t.Errorf("check %s says %q; want it to say %q", tc.check, p.Message, tc.says)
			}
		})
	}
	for _, ch := range c.Checks {
		if !covered[ch.ID] {
			t.Errorf("check %s (line %d) has no accepting and refusing case here; add them", ch.ID, ch.Line)
		}
	}
	if len(cases) != len(c.Checks) {
		t.Errorf("%d cases for %d checks", len(cases), len(c.Checks))
	}
}

func TestReadinessUnansweredAndDedupe(t *testing.T) {
	c := privacyCatalogue(t)
	// caiq-lite has no check: it is reported plainly as unanswered. security-contact has a
	// check that explains it, which replaces the plain "Not answered yet.".
	a := changed(readyDraft(), answerChanges{"caiq-lite": unset, "security-contact": unset})
	byQuestion := map[string][]questionnaire.Problem{}
	for _, p := range c.Readiness(a) {
		byQuestion[p.Question.ID] = append(byQuestion[p.Question.ID], p)
	}
	if got := byQuestion["caiq-lite"]; len(got) != 1 || got[0].Severity != questionnaire.Unanswered || got[0].Check != "" || got[0].Message != "Not answered yet." {
		t.Errorf("caiq-lite: got %+v, want one plain unanswered problem", got)
	}
	if got := byQuestion["security-contact"]; len(got) != 1 || got[0].Check != "security-contact" {
		t.Errorf("security-contact: got %+v, want only the check's problem", got)
	}
	if len(byQuestion) != 2 {
		t.Errorf("problems for %d questions, want 2: %v", len(byQuestion), byQuestion)
	}
	// Validate alone still says the question is unanswered: only Readiness dedupes.
	unanswered := 0
	for _, p := range c.Validate(a) {
		if p.Question.ID == "security-contact" && p.Severity == questionnaire.Unanswered {
			unanswered++
		}
	}
	if unanswered != 1 {
		t.Errorf("Validate reports security-contact unanswered %d times, want 1", unanswered)
	}
}

func TestReadinessIncludesBlockingProblemsFirst(t *testing.T) {
	c := privacyCatalogue(t)
	a := changed(readyDraft(), answerChanges{
		"security-policy": questionnaire.Text("http://example.com/security"),
		"disk-encryption": noAnswer,
	})
	ps := c.Readiness(a)
	if len(ps) != 2 {
		t.Fatalf("got %d problems, want 2: %+v", len(ps), ps)
	}
	if p := ps[0]; p.Severity != questionnaire.Blocking || p.Path != "security.publicSecurityPoliciesLink" || !strings.Contains(p.Message, "only accepts https://") {
		t.Errorf("first problem %+v, want the blocking http link", p)
	}
	if p := ps[1]; p.Check != "encryption-at-rest" {
		t.Errorf("second problem %+v, want the encryption-at-rest check", p)
	}
	for _, p := range ps {
		if p.Check == "security-policy" {
			t.Error("the security-policy check fired on an answered (if wrong) link")
		}
	}
}

// TestLinkRules has one accepted and one refused value for every rule of URLProblem,
// EmailProblem and HostProblem; each refusal must say what to change.
func TestLinkRules(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 2048-len("https://example.com/"))
	cases := []struct {
		rule   string
		check  func(string) string
		accept string
		refuse string
		says   string
	}{
		{"url/empty", questionnaire.URLProblem, "https://example.com", "", "give an https link"},
		{"url/length", questionnaire.URLProblem, long, long + "a", "use a shorter link"},
		{"url/space", questionnaire.URLProblem, "https://example.com/a%20b", "https://example.com/a b", "write a space in a link as %20"},
		{"url/surrounding-space", questionnaire.URLProblem, "https://example.com/", " https://example.com/", "remove it"},
		{"url/forbidden-character", questionnaire.URLProblem, "https://example.com/a%3Cb", "https://example.com/a<b", "percent-encode it"},
		{"url/backslash", questionnaire.URLProblem, "https://example.com/a%5Cb", `https://example.com\@evil.example`, "percent-encode it"},
		{"url/control", questionnaire.URLProblem, "https://example.com/%1B", "https://example.com/\x1b[2J", "remove it"},
		{"url/bidi", questionnaire.URLProblem, "https://example.com/txt.exe", "https://example.com/\u202etxt.exe", "remove it"},
		{"url/invalid-utf8", questionnaire.URLProblem, "https://example.com/%FF", "https://example.com/\xff", "save the text as UTF-8"},
		{"url/invisible", questionnaire.URLProblem, "https://example.com/é", "https://exa\u200bmple.com/", "remove it"},
		{"url/unparsable", questionnaire.URLProblem, "https://example.com/%20", "https://example.com/%zz", "give a full address"},
		{"url/no-scheme", questionnaire.URLProblem, "https://example.com/security", "example.com/security", "write it as https://example.com/security"},
		{"url/http", questionnaire.URLProblem, "HTTPS://example.com/", "http://example.com/", "only accepts https:// links"},
		{"url/javascript", questionnaire.URLProblem, "https://example.com/javascript:alert(1)", "javascript:alert(1)", "only https:// links are accepted"},
		{"url/data", questionnaire.URLProblem, "https://example.com/data:x", "data:text/html;base64,PHNjcmlwdD4=", "only https:// links are accepted"},
		{"url/file", questionnaire.URLProblem, "https://example.com/file", "file:///etc/passwd", "only https:// links are accepted"},
		{"url/no-host", questionnaire.URLProblem, "https://example.com/path", "https:///path", "has no host name"},
		{"url/opaque", questionnaire.URLProblem, "https://example.com/opaque", "https:opaque", "has no host name"},
		{"url/credentials", questionnaire.URLProblem, "https://example.com/@user", "https://user:pw@example.com/", "remove the part before @"},
		{"url/user-only", questionnaire.URLProblem, "https://example.com/?u=user@", "https://user@example.com/", "remove the part before @"},
		{"url/non-ascii-host", questionnaire.URLProblem, "https://xn--bcher-kva.example/", "https://аpple.com/", "write it in its xn-- form"},
		{"url/lookalike-host", questionnaire.URLProblem, "https://xn--bcher-kva.example/", "https://xn--pple-43d.com/", "check the link is the site you mean"},

		{"email/empty", questionnaire.EmailProblem, "security@example.com", "", "give an email address"},
		{"email/length", questionnaire.EmailProblem, strings.Repeat("a", 64) + "@" + strings.Repeat("b", 60) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b.", 95) + "com", "longer than 254"},
		{"email/control", questionnaire.EmailProblem, "security+1@example.com", "secu\x07rity@example.com", "remove it"},
		{"email/invisible", questionnaire.EmailProblem, "security@example.com", "secu\u200brity@example.com", "remove it"},
		{"email/non-ascii", questionnaire.EmailProblem, "security@xn--bcher-kva.example", "security@bücher.example", "xn-- form"},
		{"email/display-name", questionnaire.EmailProblem, "security@example.com", "Security <security@example.com>", "such as security@example.com"},
		{"email/angle-brackets", questionnaire.EmailProblem, "security@example.com", "<security@example.com>", "such as security@example.com"},
		{"email/domain-dot", questionnaire.EmailProblem, "security@example.com", "security@localhost", "a domain with a dot"},
		{"email/domain-literal", questionnaire.EmailProblem, "security@example.com", "security@[192.168.0.1]", "a domain with a dot"},
		{"email/lookalike-domain", questionnaire.EmailProblem, "security@xn--bcher-kva.example", "security@xn--pple-43d.com", "check the link is the site you mean"},

		{"host/empty", questionnaire.HostProblem, "example.com", "", "has no host name"},
		{"host/invisible", questionnaire.HostProblem, "example.com", "exa\u200bmple.com", "invisible character"},
		{"host/non-ascii", questionnaire.HostProblem, "xn--bcher-kva.example", "аррӏе.com", "write it in its xn-- form"},
		{"host/character", questionnaire.HostProblem, "exa-mple.com", "exa_mple.com", `'_'`},
		{"host/malformed-punycode", questionnaire.HostProblem, "xn--bcher-kva.example", "xn--0.com", "malformed xn-- label"},
		{"host/mixed-scripts", questionnaire.HostProblem, "xn--bcher-kva.example", "xn--pple-43d.com", "imitate Latin"},
		{"host/all-lookalike", questionnaire.HostProblem, "xn--e1afmkfd.example", "xn--80ak6aa92e.com", "imitate Latin"},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			if p := tc.check(tc.accept); p != "" {
				t.Errorf("refused %q: %s", tc.accept, p)
			}
			p := tc.check(tc.refuse)
			if p == "" {
				t.Fatalf("accepted %q", tc.refuse)
			}
			if !strings.Contains(p, tc.says) {
				t.Errorf("refused %q with %q; want it to say %q", tc.refuse, p, tc.says)
			}
		})
	}
}
