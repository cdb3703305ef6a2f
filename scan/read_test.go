package scan

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func fixture(name string) string { return filepath.Join("testdata", name) }

func mustRead(t *testing.T, name string) Facts {
	t.Helper()
	f, err := Read(fixture(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func hosts(f Facts, kinds ...string) []string {
	var out []string
	for _, a := range f.Addresses {
		if len(kinds) == 0 || slices.Contains(kinds, a.Kind) {
			h := a.Host
			if h == "" {
				h = a.Address
			}
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return out
}

// TestReadShapes reads each fixture, written in the shapes real Forge and Connect apps
// use, and checks the facts with the lines they were found on.
func TestReadShapes(t *testing.T) {
	type want struct {
		kinds     []string
		runtime   string
		scopes    []string
		backend   []string // fetch.backend hosts
		client    []string
		content   []string // images, fonts...
		remotes   []string
		stores    []string // remotes that store in-scope EUD
		storage   []string
		regions   []string
		migration bool
		notes     int
		lines     map[string]int // an entry's text -> its line
	}
	for name, w := range map[string]want{
		"forge-storage-only": {kinds: []string{KindForge}, runtime: "nodejs22.x",
			scopes:  []string{"read:confluence-content.summary", "read:page:confluence", "storage:app"},
			storage: []string{StoreEntities, StoreKVS},
			lines:   map[string]int{"app.storage.entities: page-note": 10, "permissions.scopes: storage:app": 35}},
		"forge-remote": {kinds: []string{KindForge}, runtime: "nodejs20.x",
			scopes:  []string{"read:jira-work", "write:jira-work", "read:app-user-token", "read:app-system-token"},
			backend: []string{"api.riskscore.example", "eu.api.riskscore.example", "us.api.riskscore.example"},
			client:  []string{"api.riskscore.example", "eu.api.riskscore.example", "us.api.riskscore.example"},
			remotes: []string{"risk-backend", "audit-log"}, stores: []string{"risk-backend"},
			regions: []string{"EU", "US"}, migration: true,
			lines: map[string]int{"remotes: audit-log baseURL: https://logs.riskscore.example": 48,
				"permissions.scopes: read:jira-work (allowImpersonation: true)": 53,
				"modules.migration:dataResidency":                               21}},
		"forge-remote-split": {kinds: []string{KindForge}, runtime: "nodejs20.x",
			scopes:  []string{"read:confluence-content.all", "write:confluence-content"},
			backend: []string{"api.acme-reports.io", "eu.api.acme-reports.io", "au.api.acme-reports.io", "db.acme-reports.io"},
			remotes: []string{"backend", "store"}, stores: []string{"store"}, storage: []string{StoreSQL},
			regions: []string{"AU", "EU"}, migration: true,
			lines: map[string]int{"remotes: backend baseUrl.EU": 10, "modules.migration:dataResidency": 21}},
		"forge-ai-errors": {kinds: []string{KindForge}, runtime: "nodejs22.x",
			scopes:  []string{"read:jira-work", "read:jira-user", "storage:app"},
			backend: []string{"api.openai.com", "*.ingest.sentry.io", "in.accoil.com"},
			client:  []string{"*.ingest.sentry.io"},
			content: []string{"fonts.gstatic.com", "*.gravatar.example"},
			storage: []string{StoreKVS},
			lines: map[string]int{"permissions.external.fetch.backend: in.accoil.com (category: analytics, inScopeEUD: false)": 29,
				"permissions.external.fetch.client: https://*.ingest.sentry.io": 33}},
		"forge-legacy": {kinds: []string{KindForge}, scopes: []string{"read:jira-work"},
			backend: []string{"api-free.deepl.com"}, lines: map[string]int{"permissions.external.fetch.backend: api-free.deepl.com": 20}},
		"forge-no-egress": {kinds: []string{KindForge}, runtime: "nodejs24.x",
			lines: map[string]int{"permissions.scopes": 20}},
		"connect": {kinds: []string{KindConnect}, scopes: []string{"read", "WRITE", "ACT_AS_USER"},
			regions: []string{"EU", "US"}, migration: true,
			lines: map[string]int{"baseUrl: https://timesheets.example.com": 6, "lifecycle.uninstalled: /lifecycle/uninstalled": 15,
				"modules.webhooks: jira:issue_deleted → https://hooks.queue.example.net/issue-deleted": 23}},
		"connect-template": {kinds: []string{KindConnect}, scopes: []string{"READ"}, notes: 1},
		"connect-on-forge": {kinds: []string{KindForge, KindConnect}, runtime: "nodejs22.x",
			scopes:  []string{"read:connect-confluence", "write:connect-confluence", "storage:app", "READ", "WRITE"},
			remotes: []string{"connect"}, stores: []string{"connect"}, storage: []string{StoreKVS}},
	} {
		t.Run(name, func(t *testing.T) {
			f := mustRead(t, name)
			var kinds []string
			rt := ""
			for _, s := range f.Sources {
				kinds = append(kinds, s.Kind)
				if s.Runtime != "" {
					rt = s.Runtime
				}
				if len(s.Hash) != 64 || !filepath.IsAbs(s.Path) {
					t.Errorf("source %+v: want an absolute path and a sha256", s)
				}
			}
			check := func(what string, got, want []string) {
				t.Helper()
				if !slices.Equal(got, want) {
					t.Errorf("%s: got %q, want %q", what, got, want)
				}
			}
			check("kinds", kinds, w.kinds)
			if rt != w.runtime {
				t.Errorf("runtime %q, want %q", rt, w.runtime)
			}
			var scopes, remotes, stores, storage, regions []string
			for _, s := range f.Scopes {
				scopes = append(scopes, s.Name)
			}
			for _, r := range f.Remotes {
				remotes = append(remotes, r.Key)
				if r.StoresInScopeEUD() {
					stores = append(stores, r.Key)
				}
			}
			for _, s := range f.Storage {
				storage = append(storage, s.Kind)
			}
			regions = sortedRegions(f.Regions)
			check("scopes", scopes, w.scopes)
			check("fetch.backend", hosts(f, AddrFetchBackend), w.backend)
			check("fetch.client", hosts(f, AddrFetchClient), w.client)
			check("content", hosts(f, AddrImages, AddrFonts, AddrMedia, AddrStyles), w.content)
			check("remotes", remotes, w.remotes)
			check("storing remotes", stores, w.stores)
			check("storage", storage, w.storage)
			check("regions", regions, w.regions)
			if (f.Migration != nil) != w.migration {
				t.Errorf("migration hook %v, want %v", f.Migration, w.migration)
			}
			if len(f.Notes) != w.notes {
				t.Errorf("notes %q, want %d", f.Notes, w.notes)
			}
			found := map[string]int{}
			for _, e := range allEvidence(f) {
				found[e.Entry] = e.Line
			}
			for entry, line := range w.lines {
				if found[entry] != line {
					t.Errorf("%q: found at line %d, want %d (have %v)", entry, found[entry], line, found)
				}
			}
		})
	}
}

func allEvidence(f Facts) []Evidence {
	var out []Evidence
	for _, s := range f.Scopes {
		out = append(out, s.Evidence)
	}
	for _, a := range f.Addresses {
		out = append(out, a.Evidence)
	}
	for _, r := range f.Remotes {
		out = append(out, r.Evidence)
	}
	for _, s := range f.Storage {
		out = append(out, s.Evidence)
	}
	for _, h := range f.Hooks {
		out = append(out, h.Evidence)
	}
	for _, r := range f.Regions {
		out = append(out, r.Evidence)
	}
	if f.Migration != nil {
		out = append(out, *f.Migration)
	}
	if f.ScopesLine != nil {
		out = append(out, *f.ScopesLine)
	}
	return out
}

// TestAnalyticsAndAtlassianHosts checks what each address is taken to be: an analytics
// entry declared without in-scope End-User Data, Atlassian's own host, a content source.
func TestAnalyticsAndAtlassianHosts(t *testing.T) {
	f, err := FromBytes("manifest.yml", []byte(`app:
  id: ari:cloud:ecosystem::app/x
permissions:
  scopes: [read:jira-work]
  external:
    fetch:
      backend:
        - address: in.accoil.com
          category: ANALYTICS
          inScopeEUD: false
        - https://api.media.atlassian.com
    images:
      - address: "*.example.com"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.egress(true); len(got) != 0 {
		t.Errorf("End-User Data egress %+v, want none (analytics without in-scope EUD, Atlassian, an image)", got)
	}
	if got := hosts(Facts{Addresses: f.egress(false)}); !slices.Equal(got, []string{"in.accoil.com"}) {
		t.Errorf("data egress %q, want the analytics host only", got)
	}
	if !f.Addresses[0].Analytics || f.Addresses[1].Domain != "atlassian.com" || !f.Addresses[1].Atlassian {
		t.Errorf("addresses %+v", f.Addresses)
	}
}

// TestBadInput feeds what a manifest must not be: each ends in one sentence naming the
// file and, where there is one, the line.
func TestBadInput(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 8; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	bomb += "app: {id: x}\n"
	// A missing key 600 lines into one block: the parser names the line before the block.
	long := "app:\n  id: x\nmodules:\n  function:\n"
	for i := range 300 {
		long += "    - key: f" + strconv.Itoa(i) + "\n      handler: index.f\n"
	}
	long += "  : broken\n"
	many := "permissions:\n  external:\n    fetch:\n      backend:\n"
	for i := 0; i <= maxEntries; i++ {
		many += "        - h" + strconv.Itoa(i) + ".example.com\n"
	}
	for _, tc := range []struct {
		name, file, data string
		line             int
		says             string
	}{
		{"not yaml", "manifest.yml", "app:\n  id: x\n   bad: [\n", 3, "not valid YAML"},
		{"tab indent", "manifest.yml", "app:\n\tid: x\n", 2, "not valid YAML"},
		{"missing key far into a block", "manifest.yml", long, 605, "not valid YAML"},
		{"key without a name", "manifest.yml", "app:\n  id: x\n  : [unclosed\n", 3, "not valid YAML"},
		{"stray line in a list", "manifest.yml", "permissions:\n  scopes:\n    - read:jira-work\n    oops\n    - write:jira-work\n", 4, "not valid YAML"},
		{"missing colon deep in a file", "manifest.yml", "app:\n  id: x\nmodules:\n  function:\n    - key: a\n      handler: index.a\n    - key b\n      handler: index.b\n", 8, "not valid YAML"},
		{"not a mapping", "manifest.yml", "- app\n- modules\n", 1, "not a Forge manifest"},
		{"unknown shape", "manifest.yml", "name: my-chart\nversion: 1.0.0\n", 1, "no app, modules or permissions"},
		{"empty", "manifest.yml", "   \n", 0, "empty"},
		{"permissions list", "manifest.yml", "app: {id: x}\npermissions:\n  - read:jira-work\n", 3, "permissions should be a section"},
		{"scopes scalar", "manifest.yml", "permissions:\n  scopes: read:jira-work\n", 2, "should be a list"},
		{"escape in scope", "manifest.yml", "permissions:\n  scopes:\n    - \"read:jira-work\\e[2J\"\n", 3, "escape character"},
		{"bidi in host", "manifest.yml", "permissions:\n  external:\n    fetch:\n      backend:\n        - \"api.openai.com\u202e\"\n", 5, "bidirectional"},
		{"javascript url", "manifest.yml", "permissions:\n  external:\n    fetch:\n      backend:\n        - \"javascript:alert(1)\"\n", 5, "javascript: address"},
		{"look-alike host", "manifest.yml", "permissions:\n  external:\n    fetch:\n      backend:\n        - \"аpple.com\"\n", 5, ""},
		{"scope with space", "manifest.yml", "permissions:\n  scopes:\n    - read jira\n", 3, "not a scope name"},
		{"entry without address", "manifest.yml", "permissions:\n  external:\n    fetch:\n      backend:\n        - category: analytics\n", 5, "neither an address nor a remote"},
		{"remotes not a list", "manifest.yml", "app: {id: x}\nremotes:\n  key: x\n", 3, "remotes should be a list"},
		{"alias bomb", "manifest.yml", bomb, 1, "more than"},
		{"too many hosts", "manifest.yml", many, maxEntries + 5, "more than 2000 outside addresses"},
		{"deep nesting", "manifest.yml", "app: " + deep + "\n", 1, "nested more than"},
		{"invalid utf-8", "manifest.yml", "app:\n  id: \xff\xfe\n", 2, "not UTF-8"},
		{"not json", ConnectFile, "{\"baseUrl\": \"https://x.example.com\",\n  \"key\": }\n", 2, "not valid JSON"},
		{"truncated json", ConnectFile, "{\"baseUrl\": \"https://x.example.com\",\n", 2, "ends before"},
		{"json twice", ConnectFile, "{\"key\": \"a\", \"baseUrl\": \"https://a.example.com\"}\n{}\n", 2, "more after"},
		{"duplicate key", ConnectFile, "{\n  \"key\": \"a\",\n  \"baseUrl\": \"https://a.example.com\",\n  \"baseUrl\": \"https://b.example.com\"\n}\n", 4, "appears twice"},
		{"no baseUrl", ConnectFile, "{\"key\": \"a\", \"scopes\": [\"READ\"]}\n", 1, "no baseUrl"},
		{"not a descriptor", ConnectFile, "{\"name\": \"a\"}\n", 1, "not a Connect descriptor"},
		{"json array", ConnectFile, "[1, 2]\n", 1, "one JSON object"},
		{"control char in json", ConnectFile, "{\"key\": \"a\\u001b]0;x\\u0007\", \"baseUrl\": \"https://a.example.com\"}\n", 1, "escape character"},
		{"json deep", ConnectFile, "{\"key\": \"a\", \"baseUrl\": \"https://a.example.com\", \"x\": " + deep + "}\n", 1, "nested more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromBytes(tc.file, []byte(tc.data))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v (%T), want a *scan.Error", err, err)
			}
			msg := err.Error()
			if se.File != tc.file || se.Line != tc.line {
				t.Errorf("%q: file %q line %d, want %q line %d", msg, se.File, se.Line, tc.file, tc.line)
			}
			if strings.Contains(msg, "\n") || questionnaire.TextProblem(msg, false) != "" {
				t.Errorf("message is not one clean line: %q", msg)
			}
			if tc.says != "" && !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
		})
	}
}

// TestHugeFile is refused before it is read whole.
func TestHugeFile(t *testing.T) {
	dir := t.TempDir()
	big := append([]byte("app:\n  id: x\n# "), make([]byte, maxFileSize)...)
	for i := range big[15:] {
		big[15+i] = 'x'
	}
	if err := os.WriteFile(filepath.Join(dir, ForgeFile), big, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir)
	var se *Error
	if !errors.As(err, &se) || se.File != ForgeFile || !strings.Contains(err.Error(), "at most 1.0 MB") {
		t.Fatalf("got %v", err)
	}
}

func TestReadFindsTheFiles(t *testing.T) {
	if _, err := Read(t.TempDir()); !errors.Is(err, ErrNoManifest) {
		t.Errorf("empty folder: %v", err)
	}
	// A file given by name is read whatever it is called; .json means Connect.
	dir := t.TempDir()
	p := filepath.Join(dir, "descriptor.json")
	if err := os.WriteFile(p, []byte(`{"key": "k", "baseUrl": "https://k.example.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Read(p)
	if err != nil || !f.Has(KindConnect) || f.Sources[0].File != "descriptor.json" {
		t.Errorf("read %s: %+v, %v", p, f.Sources, err)
	}
	// manifest.yaml is the Forge manifest when there is no manifest.yml.
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.yaml"), []byte("app: {id: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := Read(dir); err != nil || f.Sources[0].File != "manifest.yaml" {
		t.Errorf("manifest.yaml: %+v, %v", f.Sources, err)
	}
}

func TestHostsAndDomains(t *testing.T) {
	for _, tc := range []struct{ addr, host, domain, problem string }{
		{"api.openai.com", "api.openai.com", "openai.com", ""},
		{"https://API.OpenAI.com/v1/chat", "api.openai.com", "openai.com", ""},
		{"*.ingest.sentry.io", "*.ingest.sentry.io", "sentry.io", ""},
		{"wss://*.example.co.uk:443", "*.example.co.uk", "example.co.uk", ""},
		{"abc.execute-api.eu-west-1.amazonaws.com", "abc.execute-api.eu-west-1.amazonaws.com", "amazonaws.com", ""},
		{"my-fn.azurewebsites.net/api", "my-fn.azurewebsites.net", "azurewebsites.net", ""},
		{"*", "*", "*", ""},
		{"10.0.0.8", "10.0.0.8", "10.0.0.8", ""},
		{"ftp://files.example.com", "", "", "not a web address"},
		{"exa*mple.com", "", "", "wildcard"},
		{"bad host!.com", "", "", "cannot have"},
	} {
		host, problem := parseHost(tc.addr)
		if host != tc.host || (problem == "") != (tc.problem == "") || !strings.Contains(problem, tc.problem) {
			t.Errorf("parseHost(%q) = %q, %q; want %q, %q", tc.addr, host, problem, tc.host, tc.problem)
		}
		if host != "" && registrable(host) != tc.domain {
			t.Errorf("registrable(%q) = %q, want %q", host, registrable(host), tc.domain)
		}
	}
}

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		name, link, domain string
		want               bool
	}{
		{"", "https://openai.com", "openai.com", true},
		{"", "https://platform.openai.com/privacy", "openai.com", true},
		{"OpenAI, L.L.C.", "", "openai.com", true},
		{"Functional Software, Inc. (Sentry)", "", "sentry.io", true},
		{"", "https://sentry.io", "sentry-cdn.com", true}, // one company, two domains
		{"Google LLC", "", "googleapis.com", true},
		{"Amazon Web Services, Inc.", "https://aws.amazon.com", "amazonaws.com", true},
		{"Acme Hosting", "https://acme.example", "openai.com", false},
		{"", "", "openai.com", false},
		{"Anything", "https://x.example", "*", false},
	} {
		if got := covers(tc.name, tc.link, tc.domain); got != tc.want {
			t.Errorf("covers(%q, %q, %q) = %v, want %v", tc.name, tc.link, tc.domain, got, tc.want)
		}
	}
}

func TestScopeSentences(t *testing.T) {
	for _, tc := range []struct {
		s    Scope
		want string
	}{
		{Scope{Name: "read:jira-work"}, "read Jira projects and issues"},
		{Scope{Name: "read:page:confluence"}, "read pages in Confluence"},
		{Scope{Name: "write:issue.property:jira"}, "create and change issue properties in Jira"},
		{Scope{Name: "delete:comment:confluence"}, "delete comments in Confluence"},
		{Scope{Name: "read:connect-jira"}, "view, browse and read information in the product (Connect's READ scope)"},
		{Scope{Name: "act_as_user", Connect: true}, "act as a user"},
		{Scope{Name: "frobnicate:widgets"}, ""},
	} {
		if got := ScopeSentence(tc.s); !strings.HasPrefix(got, tc.want) || tc.want == "" && got != "" {
			t.Errorf("ScopeSentence(%s) = %q, want %q...", tc.s.Name, got, tc.want)
		}
	}
}

func TestFactsRoundTripAndChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ForgeFile)
	if err := os.WriteFile(path, []byte("app: {id: x}\npermissions: {scopes: [storage:app]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeFacts(raw)
	if err != nil || len(back.Scopes) != 1 || back.Sources[0].Hash != f.Sources[0].Hash {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if c := back.Changed(); len(c) != 0 {
		t.Errorf("unchanged file reported as changed: %v", c)
	}
	if err := os.WriteFile(path, []byte("app: {id: y}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c := back.Changed(); !slices.Equal(c, []string{ForgeFile}) {
		t.Errorf("changed file: %v", c)
	}
	if _, err := DecodeFacts([]byte(`{"version": 99}`)); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("a later version's facts: %v", err)
	}
}
