package questionnaire

import (
	"fmt"
	"strings"
	"testing"
)

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

func subProcessors(es ...Entity) Value { return Value{Entities: es} }

func sp(name, link, purpose string, countries ...string) Entity {
	f := map[string]Value{}
	if name != "" {
		f["name"] = Text(name)
	}
	if link != "" {
		f["link"] = Text(link)
	}
	if purpose != "" {
		f["purpose"] = Text(purpose)
	}
	if countries != nil {
		f["thirdPartyCountries"] = List(countries...)
	}
	return entity(f)
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d", prefix, i+1)
	}
	return out
}

func TestQuestionCheck(t *testing.T) {
	c := ps(t)
	tooManyEntities := make([]Entity, 101)
	for i := range tooManyEntities {
		tooManyEntities[i] = sp(fmt.Sprintf("Company %d", i), "", "Hosting")
	}
	for _, tc := range []struct {
		name     string
		question string
		value    Value
		want     []string // parts of the problems in order; none when accepted
		path     string   // the first problem's path, when it matters
	}{
		// Day ranges.
		{"day range 0 to 30", "retention-period", Days(0, 30), nil, ""},
		{"day range up to ten years", "retention-period", Days(30, 3650), nil, ""},
		{"day range of one day", "retention-period", Days(1, 1), nil, ""},
		{"indefinite", "retention-period", Indefinitely(), nil, ""},
		{"indefinite written false with days", "retention-period", Value{Days: &DayRange{Min: intp(0), Max: intp(5), Indefinite: boolp(false)}}, nil, ""},
		{"min above max", "retention-period", Days(40, 10), []string{"The minimum (40 days) is more than the maximum (10 days); swap them."}, "dataRetention.retentionDurationInDays"},
		{"negative min", "retention-period", Days(-1, 10), []string{"The minimum is -1 days; give 0 or more."}, ""},
		{"negative min and max", "retention-period", Days(-5, -1), []string{"give 0 or more"}, ""},
		{"negative max after a good min", "retention-period", Days(0, -30), []string{"The maximum is -30 days; give 0 or more."}, ""},
		{"max missing", "retention-period", Value{Days: &DayRange{Min: intp(0)}}, []string{"The maximum number of days is missing; give both a minimum and a maximum."}, ""},
		{"min missing", "retention-period", Value{Days: &DayRange{Max: intp(30)}}, []string{"The minimum number of days is missing"}, ""},
		{"indefinite and days", "retention-period", Value{Days: &DayRange{Min: intp(0), Max: intp(30), Indefinite: boolp(true)}}, []string{"either for a number of days or indefinitely, not both"}, ""},
		{"above ten years", "retention-period", Days(0, 3651), []string{"The maximum is 3651 days; above 3650 (ten years), say the data is kept indefinitely."}, ""},

		// Lists.
		{"list", "stored-data-types", List("Issue keys", "Page content"), nil, ""},
		{"list at the item limit", "stored-data-types", List(numbered("Type", 100)...), nil, ""},
		{"empty item", "stored-data-types", List("Issue keys", "  "), []string{"Item 2 is empty; remove it."}, "dataAccessAndStorage.typesOfDataStored[1]"},
		{"duplicate item, other case", "stored-data-types", List("Issue keys", "ISSUE KEYS "), []string{`Item 2 repeats item 1 ("ISSUE KEYS "); remove one.`}, "dataAccessAndStorage.typesOfDataStored[1]"},
		{"too many items", "stored-data-types", List(numbered("Type", 101)...), []string{"There are 101 items; at most 100 are accepted, so remove 1."}, "dataAccessAndStorage.typesOfDataStored"},
		{"item at the length limit", "pets", List(strings.Repeat("a", 200)), nil, ""},
		{"item too long", "pets", List(strings.Repeat("a", 201)), []string{"Item 1 is 201 characters long; shorten it to at most 200."}, ""},
		{"item with a newline", "pets", List("a\nb"), []string{"Item 1 contains a line break"}, ""},
		{"item with an escape", "residency-locations", List("EU", "\x1b[2J"), []string{"Item 2 contains an escape character"}, ""},

		// Entities.
		{"sub-processors", "sub-processors", subProcessors(sp("Amazon Web Services, Inc.", "https://aws.amazon.com", "Hosting", "United States"), sp("Postmark", "", "Email")), nil, ""},
		{"sub-processor without a name", "sub-processors", subProcessors(sp("AWS", "", "Hosting"), sp("", "", "Email")),
			[]string{"Entry 2 has no name; fill it in or remove the entry."}, "thirdPartyInformation.thirdPartyDetails[1].name"},
		{"sub-processor without a purpose", "sub-processors", subProcessors(sp("AWS", "", "")),
			[]string{"Entry 1 has no purpose; fill it in or remove the entry."}, "thirdPartyInformation.thirdPartyDetails[0].purpose"},
		{"sub-processor whose name is blank", "sub-processors", subProcessors(sp("   ", "", "Hosting")), []string{"Entry 1 has no name"}, ""},
		{"sub-processor with an http link", "sub-processors", subProcessors(sp("AWS", "http://aws.amazon.com", "Hosting")),
			[]string{"The link of entry 1 uses http://; the listing only accepts https:// links."}, "thirdPartyInformation.thirdPartyDetails[0].link"},
		{"sub-processor with a javascript link", "sub-processors", subProcessors(sp("AWS", "javascript:alert(1)", "Hosting")), []string{"The link of entry 1 is a javascript: link"}, ""},
		{"sub-processor with a control in its name", "sub-processors", subProcessors(sp("AWS\x1b[31m", "", "Hosting")), []string{"The name of entry 1 contains an escape character"}, ""},
		{"sub-processor with a duplicate country", "sub-processors", subProcessors(sp("AWS", "", "Hosting", "United States", "united states")),
			[]string{`Countries of entry 1: Item 2 repeats item 1`}, "thirdPartyInformation.thirdPartyDetails[0].thirdPartyCountries"},
		{"sub-processor with a name too long", "sub-processors", subProcessors(sp(strings.Repeat("n", 501), "", "Hosting")), []string{"The name of entry 1 is 501 characters long; shorten it to at most 500."}, ""},
		{"too many sub-processors", "sub-processors", subProcessors(tooManyEntities...), []string{"There are 101 entries; at most 100 are accepted, so remove 1."}, ""},

		// Text and long text.
		{"text at the length limit", "eea-mechanism", Text(strings.Repeat("x", 500)), nil, ""},
		{"text too long", "eea-mechanism", Text(strings.Repeat("x", 501)), []string{"The answer is 501 characters long; shorten it to at most 500."}, "privacy.gdpr.dataTransfer.transferComplianceMechanismsAdhered"},
		{"text too long counts characters, not bytes", "eea-mechanism", Text(strings.Repeat("é", 500)), nil, ""},
		{"newline in one-line text", "eea-mechanism", Text("SCCs\nand more"), []string{"The answer contains a line break, which this one-line answer cannot hold, at character 5; remove it."}, ""},
		{"long text with CRLF", "permissions-justification", Text("read:jira-work, to show issues.\r\nwrite:jira-work, to link them."), nil, ""},
		{"long text with a lone CR", "permissions-justification", Text("read:jira-work\rwrite"), []string{"The answer contains a control character (U+000D) at character 15; remove it."}, ""},
		{"long text with ESC", "permissions-justification", Text("ok \x1b]52;c;aGk=\x07"), []string{"The answer contains an escape character"}, ""},
		{"long text with C1 CSI", "permissions-justification", Text("ok \u009b2J"), []string{"The answer contains a control character (U+009B)"}, ""},
		{"long text with a bidi override", "permissions-justification", Text("scope \u202e"), []string{"The answer contains an invisible bidirectional control (U+202E)"}, ""},
		{"long text too long", "permissions-justification", Text(strings.Repeat("x", 5001)), []string{"The answer is 5001 characters long; shorten it to at most 5000."}, ""},

		// Links and addresses.
		{"https security policy", "security-policy", Text("https://example.com/security"), nil, ""},
		{"http security policy", "security-policy", Text("http://example.com/security"), []string{"The link uses http://; the listing only accepts https:// links."}, "security.publicSecurityPoliciesLink"},
		{"security policy with credentials", "security-policy", Text("https://u:p@example.com/"), []string{"The link contains a user name or password; remove the part before @."}, ""},
		{"look-alike privacy policy host", "privacy-policy", Text("https://xn--pple-43d.com/privacy"), []string{"whose letters imitate Latin ones"}, "privacy-policy"},
		{"security contact", "security-contact", Text("security@example.com"), nil, ""},
		{"security contact with a name", "security-contact", Text("Security <security@example.com>"), []string{"The address is not a plain email address; write only the address, such as security@example.com."}, "security.securityContact"},

		// Options.
		{"tri-state TRUE", "gdpr-controller", Text("TRUE"), nil, ""},
		{"tri-state in the server's other spelling", "gdpr-controller", Text("not_applicable"), nil, ""},
		{"tri-state as a JSON boolean", "gdpr-controller", yes, nil, ""},
		{"unknown tri-state value", "gdpr-controller", Text("MAYBE"), []string{`"MAYBE" is not one of the answers the Marketplace accepts (true, false, "NOT_APPLICABLE"); pick one of them.`}, "privacy.gdpr.dataController.isAppDataController"},
		{"choice", "data-residency", Text("APP_DOES_NOT_SUPPORT_DR"), nil, ""},
		{"unknown choice", "data-residency", Text("STORED_ON_THE_MOON"), []string{`"STORED_ON_THE_MOON" is not one of the options ("STORED_IN_ATLASSIAN_N_DR_SUPPORTED", "STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED", "STORED_EXTERNAL_TO_ATLASSIAN", "APP_DOES_NOT_SUPPORT_DR", "NOT_APPLICABLE"); pick one, or add it to the catalogue`}, ""},
		{"choice in the wrong case", "data-residency", Text("app_does_not_support_dr"), []string{"is not one of the options"}, ""},
		{"the value earlier catalogues wrote for outside Atlassian", "data-residency", Text("STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED"), nil, ""},
		{"a list with suggestions takes the suggestions", "certifications", List("SOC2", "ISO27001"), nil, ""},
		{"a list with suggestions takes any other name", "certifications", List("SOC2", "ISO9001"), nil, ""},
		{"a certification listed twice", "certifications", List("HIPAA", "hipaa"), []string{`Item 2 repeats item 1 ("hipaa"); remove one.`}, "security.compliantCertifications[1]"},
		{"yes/no holding text", "stores-eud", Text("yes"), []string{"The saved answer does not fit this yes/no question; answer it again."}, ""},
		{"choice holding a boolean", "data-residency", yes, []string{"does not fit this choice question"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := c.Question(tc.question)
			if q == nil {
				t.Fatalf("no question %s", tc.question)
			}
			problems := q.Check(tc.value)
			if len(problems) != len(tc.want) {
				t.Fatalf("%d problems, want %d: %v", len(problems), len(tc.want), messages(problems))
			}
			for i, p := range problems {
				if !strings.Contains(p.Message, tc.want[i]) {
					t.Errorf("problem %d: %q, want it to say %q", i, p.Message, tc.want[i])
				}
				if p.Severity != Blocking || p.Question != q {
					t.Errorf("problem %d: severity %v, question %v", i, p.Severity, p.Question.ID)
				}
				assertSentence(t, p.Message)
			}
			if tc.path != "" && problems[0].Path != tc.path {
				t.Errorf("path %q, want %q", problems[0].Path, tc.path)
			}
		})
	}
}

func TestDateCheck(t *testing.T) {
	q := ssa(t).Question("ssa-approved-on")
	if ps := q.Check(Text("2026-03-31")); len(ps) != 0 {
		t.Errorf("a valid date is refused: %v", messages(ps))
	}
	for _, bad := range []string{"2026-02-30", "31/03/2026", "2026-3-31", "yesterday"} {
		ps := q.Check(Text(bad))
		if len(ps) != 1 || !strings.Contains(ps[0].Message, "is not a date; write it as YYYY-MM-DD") {
			t.Errorf("%q: %v", bad, messages(ps))
			continue
		}
		assertSentence(t, ps[0].Message)
	}
}

func messages(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Path + ": " + p.Message
	}
	return out
}

func TestValidate(t *testing.T) {
	c := ps(t)
	a := ans(map[string]Value{
		"stores-eud": yes, "stored-data-types": List("Issue keys"), "processes-eud": no,
		"shares-eud": yes, "sub-processors": subProcessors(sp("AWS", "https://aws.amazon.com", "Hosting"), sp("Mailer", "", "")),
		"security-policy":    Text("http://example.com/security"),
		"has-certifications": yes, "certifications": List("Cyber Essentials", "cyber essentials"),
		"eea-mechanism": Text("hidden, so never checked\x1b"),
	})
	problems := c.Validate(a)
	if !HasBlocking(problems) {
		t.Fatal("HasBlocking is false with three wrong answers")
	}
	var blocking []string
	unanswered := map[string]bool{}
	for _, p := range problems {
		switch p.Severity {
		case Blocking:
			blocking = append(blocking, p.Path+": "+p.Message)
		case Unanswered:
			unanswered[p.Question.ID] = true
			if p.Message != "Not answered yet." || p.Item != -1 {
				t.Errorf("unanswered %s: %q item %d", p.Question.ID, p.Message, p.Item)
			}
		default:
			t.Errorf("Validate gives advice: %v", p)
		}
	}
	want := []string{
		"thirdPartyInformation.thirdPartyDetails[1].purpose: Entry 2 has no purpose; fill it in or remove the entry.",
		"security.publicSecurityPoliciesLink: The link uses http://; the listing only accepts https:// links.",
		"security.compliantCertifications[1]: Item 2 repeats item 1 (\"cyber essentials\"); remove one.",
	}
	if strings.Join(blocking, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocking problems:\n%s\nwant:\n%s", strings.Join(blocking, "\n"), strings.Join(want, "\n"))
	}
	for _, id := range []string{"logs-eud", "data-residency", "security-contact", "privacy-policy"} {
		if !unanswered[id] {
			t.Errorf("%s is not reported unanswered", id)
		}
	}
	// Optional questions are never reported unanswered, nor are hidden ones.
	for _, id := range []string{"residency-data-types", "eea-mechanism", "same-data-processed-stored", "processed-data-types"} {
		if unanswered[id] {
			t.Errorf("%s is reported unanswered", id)
		}
	}
	// Only unanswered questions: nothing blocking.
	if HasBlocking(c.Validate(NewAnswers())) {
		t.Error("an empty draft has blocking problems")
	}
}
