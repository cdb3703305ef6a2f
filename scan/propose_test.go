package scan

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
)

func cat(t testing.TB) *questionnaire.Catalogue {
	t.Helper()
	cats, err := embedded.Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	return cats.PrivacySecurity
}

// short writes a value in a few words, for comparing proposals.
func short(v questionnaire.Value) string {
	switch {
	case v.Bool != nil && *v.Bool:
		return "yes"
	case v.Bool != nil:
		return "no"
	case len(v.Entities) > 0:
		var links []string
		for _, e := range v.Entities {
			links = append(links, e.Field("link").Text)
		}
		return strings.Join(links, " ")
	case len(v.List) > 0:
		return strings.Join(v.List, " ")
	}
	return v.Text
}

func proposals(r Report) map[string]string {
	out := map[string]string{}
	for _, p := range r.Proposals {
		out[p.Question] = short(p.Value)
	}
	return out
}

func unknowns(r Report) []string {
	var out []string
	for _, u := range r.Unknown {
		out = append(out, u.Questions...)
	}
	slices.Sort(out)
	return out
}

// TestProposals checks, for each shape of app, which questions the scan answers and how,
// and that the questions it cannot answer are said to be so, not guessed.
func TestProposals(t *testing.T) {
	c := cat(t)
	justification := "*" // any text
	legal := []string{qCCPABusiness, qCCPAService, qDPA, qGDPRController, qGDPRProcessor}
	logs := []string{qLogs, qLogsOutside, qLogsShared, qLogsIntegral}
	retention := []string{qRetains, qRetention, qCustomRetention}
	types := []string{qStoredTypes, qProcessedTypes}
	for name, tc := range map[string]struct {
		want    map[string]string
		unknown [][]string
	}{
		"forge-storage-only": {
			want: map[string]string{qStores: "no", qProcesses: "no", qShares: "no", qDiskEncryption: "yes",
				qResidency: ResidencyInAtlassian, qResidencyMigration: "yes", qJustification: justification},
			unknown: [][]string{{qResidencyLocations}, logs, retention, legal}},
		"forge-no-egress": {
			want: map[string]string{qStores: "no", qProcesses: "no", qShares: "no", qDiskEncryption: "yes",
				qResidency: ResidencyNotApplicable, qJustification: "The app asks for no permissions (scopes) on Atlassian products."},
			unknown: [][]string{logs, retention, legal}},
		"forge-ai-errors": {
			want: map[string]string{qProcesses: "yes", qShares: "yes", qSubProcessors: "https://openai.com https://sentry.io",
				qLogsOutside: "yes", qLogsShared: "yes", qJustification: justification},
			unknown: [][]string{{qStores, qResidency, qLogs, qLogsIntegral, qEEA}, retention, legal, types}},
		"forge-remote": {
			want: map[string]string{qStores: "yes", qProcesses: "yes", qShares: "yes", qSubProcessors: "https://riskscore.example",
				qResidency: ResidencyExternal, qResidencyLocations: "EU US", qResidencyMigration: "yes",
				qLogsOutside: "yes", qJustification: justification},
			unknown: [][]string{{qLogs, qLogsShared, qLogsIntegral, qEEA}, retention, legal, types}},
		"forge-remote-split": {
			want: map[string]string{qStores: "yes", qProcesses: "yes", qShares: "yes", qSubProcessors: "https://acme-reports.io",
				qResidencyMigration: "yes", qJustification: justification},
			unknown: [][]string{{qResidency, qResidencyLocations, qEEA}, logs, retention, legal, types}},
		"forge-legacy": {
			want:    map[string]string{qProcesses: "yes", qShares: "yes", qSubProcessors: "https://deepl.com", qJustification: justification},
			unknown: [][]string{{qStores, qResidency, qEEA}, logs, retention, legal, types}},
		"connect": {
			want: map[string]string{qProcesses: "yes", qShares: "yes", qSubProcessors: "https://example.com https://example.net",
				qResidency: ResidencyExternal, qResidencyLocations: "EU US", qResidencyMigration: "yes", qJustification: justification},
			unknown: [][]string{{qStores, qEEA}, logs, retention, legal, types}},
		"connect-template": {
			want:    map[string]string{qProcesses: "yes", qShares: "yes", qJustification: justification},
			unknown: [][]string{{qStores, qSubProcessors, qResidency, qEEA}, logs, retention, legal, types}},
		"connect-on-forge": {
			want: map[string]string{qStores: "yes", qProcesses: "yes", qShares: "yes", qSubProcessors: "https://example.org",
				qResidency: ResidencyNotSupported, qJustification: justification},
			unknown: [][]string{{qEEA}, logs, retention, legal, types}},
	} {
		t.Run(name, func(t *testing.T) {
			r := Propose(c, mustRead(t, name))
			got := proposals(r)
			for q, want := range tc.want {
				if want == justification {
					if got[q] == "" {
						t.Errorf("no %s proposal", q)
					}
					continue
				}
				if got[q] != want {
					t.Errorf("%s: proposed %q, want %q", q, got[q], want)
				}
			}
			for q := range got {
				if _, ok := tc.want[q]; !ok {
					t.Errorf("unexpected proposal %s = %q", q, got[q])
				}
			}
			var want []string
			for _, g := range tc.unknown {
				want = append(want, g...)
			}
			slices.Sort(want)
			if u := unknowns(r); !slices.Equal(u, want) {
				t.Errorf("cannot tell %q, want %q", u, want)
			}
			// Every proposal rests on evidence from the file, and none touches a question
			// the scan also says it cannot tell.
			for _, p := range r.Proposals {
				if len(p.Evidence) == 0 || p.Reason == "" {
					t.Errorf("%s has no evidence or reason: %+v", p.Question, p)
				}
				for _, e := range p.Evidence {
					if e.File == "" || strings.ContainsAny(e.Entry, "\n\x1b") {
						t.Errorf("%s: evidence %+v", p.Question, e)
					}
				}
				if slices.Contains(unknowns(r), p.Question) {
					t.Errorf("%s is both proposed and said to be unknown", p.Question)
				}
			}
		})
	}
}

// TestJustificationNamesEveryScope checks the draft text: every scope, each with what it
// allows where pstab knows it, within the field's limit even for a huge list.
func TestJustificationNamesEveryScope(t *testing.T) {
	c := cat(t)
	r := Propose(c, mustRead(t, "forge-remote"))
	var text string
	for _, p := range r.Proposals {
		if p.Question == qJustification {
			text = p.Value.Text
		}
	}
	for _, want := range []string{
		"- read:jira-work: lets the app read Jira projects and issues", "offline impersonation",
		"- write:jira-work: lets the app create, edit and delete Jira issues",
		"- read:app-user-token: lets the app give its remote back end a token",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("justification lacks %q:\n%s", want, text)
		}
	}
	var many []Scope
	for i := 0; i < 400; i++ {
		many = append(many, Scope{Name: "read:thing-" + strings.Repeat("x", i%7) + "-" + string(rune('a'+i%26)) + strings.Repeat("y", i/26) + ":jira"})
	}
	r = Propose(c, Facts{Version: FactsVersion, Sources: []Source{{Kind: KindForge, File: ForgeFile}}, Scopes: many})
	for _, p := range r.Proposals {
		if p.Question == qJustification && (p.Problem != "" || len([]rune(p.Value.Text)) > 5000) {
			t.Errorf("a long scope list gives a justification the catalogue refuses: %d characters, %q", len(p.Value.Text), p.Problem)
		}
	}
}

// TestProposalsTheCatalogueRefuses are kept, with the catalogue's reason, not dropped or
// changed to a value it happens to have.
func TestProposalsTheCatalogueRefuses(t *testing.T) {
	c := cat(t)
	r := Propose(c, mustRead(t, "forge-remote"))
	for _, p := range r.Proposals {
		if p.Question != qResidency {
			continue
		}
		q := c.Question(qResidency)
		if q.Option(ResidencyExternal) == nil && p.Problem == "" {
			t.Errorf("the catalogue has no %s, but the proposal has no problem", ResidencyExternal)
		}
		if q.Option(ResidencyExternal) != nil && p.Problem != "" {
			t.Errorf("the catalogue has %s, but the proposal says %q", ResidencyExternal, p.Problem)
		}
		return
	}
	t.Error("no data residency proposal")
}

func answers(t *testing.T, c *questionnaire.Catalogue, set map[string][]string) questionnaire.Answers {
	t.Helper()
	a := questionnaire.NewAnswers()
	for _, id := range slices.Sorted(maps.Keys(set)) {
		v, err := questionnaire.ParseValue(c.Question(id), set[id])
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		a.Set(id, v)
	}
	return a
}

func checks(ps []questionnaire.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Question.ID+":"+strings.TrimPrefix(p.Check, CheckPrefix))
	}
	return out
}

// TestFindings compares answers with the manifest: each contradiction is one finding at
// the answer to change, and consistent answers get none.
func TestFindings(t *testing.T) {
	c := cat(t)
	subs := func(s ...string) []string { return s }
	for _, tc := range []struct {
		name, fixture string
		set           map[string][]string
		want          []string
	}{
		{"remote storage but stores No", "forge-remote",
			map[string][]string{"stores-eud": {"no"}, "processes-eud": {"yes"}, "shares-eud": {"yes"},
				"sub-processors": subs(`{"name":"RiskScore Ltd","purpose":"Hosting","link":"https://riskscore.example"}`)},
			[]string{"stores-eud:remote-storage"}},
		{"egress but processes No", "forge-legacy", map[string][]string{"stores-eud": {"no"}, "processes-eud": {"no"}},
			[]string{"processes-eud:egress"}},
		{"Connect but processes No", "connect-template", map[string][]string{"stores-eud": {"yes"}, "processes-eud": {"no"}},
			[]string{"processes-eud:egress"}},
		{"no egress but stores Yes", "forge-no-egress", map[string][]string{"stores-eud": {"yes"}},
			[]string{"stores-eud:no-egress"}},
		{"shares No with an AI provider", "forge-ai-errors", map[string][]string{"stores-eud": {"no"}, "processes-eud": {"yes"}, "shares-eud": {"no"}},
			[]string{"shares-eud:shares"}},
		{"a host no sub-processor covers", "forge-ai-errors",
			map[string][]string{"processes-eud": {"yes"}, "shares-eud": {"yes"},
				"sub-processors": subs(`{"name":"OpenAI, L.L.C.","purpose":"Summaries"}`)},
			[]string{"sub-processors:sub-processor"}},
		{"every host covered", "forge-ai-errors",
			map[string][]string{"processes-eud": {"yes"}, "shares-eud": {"yes"},
				"sub-processors": subs(`{"name":"OpenAI","purpose":"Summaries"}`, `{"name":"Functional Software (Sentry)","purpose":"Errors","link":"https://sentry.io"}`)},
			nil},
		{"residency in Atlassian with remote storage", "forge-remote",
			map[string][]string{"stores-eud": {"yes"}, "data-residency": {"STORED_IN_ATLASSIAN_N_DR_SUPPORTED"}},
			[]string{"data-residency:residency"}},
		{"residency not applicable with remote storage", "forge-remote",
			map[string][]string{"data-residency": {"NOT_APPLICABLE"}},
			[]string{"data-residency:residency"}},
		{"residency outside Atlassian with remote storage", "forge-remote",
			map[string][]string{"data-residency": {"STORED_EXTERNAL_TO_ATLASSIAN"}},
			nil},
		{"residency outside Atlassian with no egress", "forge-storage-only",
			map[string][]string{"data-residency": {"STORED_EXTERNAL_TO_ATLASSIAN"}},
			[]string{"data-residency:no-egress"}},
		{"justification missing a scope", "forge-storage-only",
			map[string][]string{"permissions-justification": {"read:confluence-content.summary shows the page title; storage:app keeps notes."}},
			[]string{"permissions-justification:scope-unexplained"}},
		{"Connect justification in words", "connect-template",
			map[string][]string{"permissions-justification": {"Read: the app reads issues."}},
			nil},
		{"logs shared No with Sentry", "forge-ai-errors",
			map[string][]string{"logs-eud": {"yes"}, "logs-shared": {"no"}},
			[]string{"logs-shared:log-service"}},
		{"consistent storage-only app", "forge-storage-only",
			map[string][]string{"stores-eud": {"no"}, "processes-eud": {"no"}},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Findings(c, answers(t, c, tc.set), mustRead(t, tc.fixture))
			if ids := checks(got); !slices.Equal(ids, tc.want) {
				t.Errorf("findings %q, want %q", ids, tc.want)
				for _, p := range got {
					t.Log(p.Message)
				}
			}
			for _, p := range got {
				if p.Severity != questionnaire.Advice || !strings.HasSuffix(p.Message, ".") || !strings.Contains(p.Message, "line") && !strings.Contains(p.Message, "Connect") {
					t.Errorf("finding %+v: want advice, one sentence naming the manifest line", p)
				}
			}
		})
	}
}

// TestCandidatesAndResolve: only unanswered questions unless overwrite, a value the
// catalogue refuses never, and follow-ups the result hides are left.
func TestCandidatesAndResolve(t *testing.T) {
	c := cat(t)
	r := Propose(c, mustRead(t, "forge-ai-errors"))
	current := answers(t, c, map[string][]string{"shares-eud": {"no"}, "processes-eud": {"yes"},
		"sub-processors": {`{"name":"OpenAI","purpose":"Summaries","link":"https://openai.com"}`}})
	apply, left := Candidates(c, current, r.Proposals, false)
	var ids []string
	for _, p := range apply {
		ids = append(ids, p.Question)
	}
	if want := []string{qLogsOutside, qLogsShared, qJustification}; !slices.Equal(ids, want) {
		t.Errorf("candidates %q, want %q (sub-processors and shares-eud are answered)", ids, want)
	}
	whys := map[string]string{}
	for _, l := range left {
		whys[l.Proposal.Question] = l.Why
	}
	if !strings.Contains(whys[qShares], "--overwrite") || whys[qProcesses] != "already says so" {
		t.Errorf("left: %q", whys)
	}
	after, final, hidden := Resolve(c, current, apply)
	for _, p := range final {
		if p.Question == qLogsShared || p.Question == qLogsOutside {
			t.Errorf("%s applied while logs-eud is not Yes", p.Question)
		}
	}
	if len(hidden) != 2 || !strings.Contains(hidden[0].Why, "follow-up of logs-eud") {
		t.Errorf("hidden follow-ups: %+v", hidden)
	}
	if _, ok := after.Get(qJustification); !ok {
		t.Error("the justification was not applied")
	}

	// --overwrite keeps the entry written by hand and adds the company it does not cover.
	apply, _ = Candidates(c, current, r.Proposals, true)
	for _, p := range apply {
		if p.Question != qSubProcessors {
			continue
		}
		if len(p.Value.Entities) != 2 || p.Value.Entities[0].Field("name").Text != "OpenAI" ||
			p.Value.Entities[1].Field("link").Text != "https://sentry.io" {
			t.Errorf("merged sub-processors: %+v", p.Value.Entities)
		}
		return
	}
	t.Error("--overwrite did not propose the merged sub-processors")
}

func catForFuzz(f *testing.F) *questionnaire.Catalogue {
	cats, err := embedded.Catalogues()
	if err != nil {
		f.Fatal(err)
	}
	return cats.PrivacySecurity
}

// TestResidencyOfAnAppThatMayWriteToTheProduct: no storage and no egress, but a scope
// that writes to the product, could keep data in product properties: the manifest cannot
// tell between "stored in Atlassian" and "not applicable".
func TestResidencyOfAnAppThatMayWriteToTheProduct(t *testing.T) {
	f, err := FromBytes(ForgeFile, []byte("app: {id: x, runtime: {name: nodejs22.x}}\npermissions:\n  scopes: [read:jira-work, write:jira-work]\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Propose(cat(t), f)
	if got := proposals(r)[qResidency]; got != "" {
		t.Errorf("proposed %s = %q; the manifest cannot tell", qResidency, got)
	}
	if !slices.Contains(unknowns(r), qResidency) {
		t.Errorf("%s is not among what the manifest cannot tell: %q", qResidency, unknowns(r))
	}
}
