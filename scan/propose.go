package scan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The questions a scan answers or speaks about, by their catalogue IDs. A catalogue that
// lacks one simply gets no proposal for it.
const (
	qStores             = "stores-eud"
	qStoredTypes        = "stored-data-types"
	qProcesses          = "processes-eud"
	qProcessedTypes     = "processed-data-types"
	qLogs               = "logs-eud"
	qLogsOutside        = "logs-outside-atlassian"
	qLogsShared         = "logs-shared"
	qLogsIntegral       = "logs-sharing-integral"
	qShares             = "shares-eud"
	qSubProcessors      = "sub-processors"
	qResidency          = "data-residency"
	qResidencyLocations = "residency-locations"
	qResidencyMigration = "residency-migration"
	qRetains            = "retains-after-uninstall"
	qRetention          = "retention-period"
	qCustomRetention    = "custom-retention"
	qGDPRController     = "gdpr-controller"
	qGDPRProcessor      = "gdpr-processor"
	qCCPABusiness       = "ccpa-business"
	qCCPAService        = "ccpa-service-provider"
	qDPA                = "dpa"
	qEEA                = "eea-transfer"
	qDiskEncryption     = "disk-encryption"
	qJustification      = "permissions-justification"
)

// The data residency values a scan proposes, as Atlassian's published schema spells them.
const (
	ResidencyInAtlassian  = "STORED_IN_ATLASSIAN_N_DR_SUPPORTED"
	ResidencyExternal     = "STORED_EXTERNAL_TO_ATLASSIAN"
	ResidencyNotSupported = "APP_DOES_NOT_SUPPORT_DR"
	// ResidencyNotApplicable is for an app that stores no End-User Data anywhere.
	ResidencyNotApplicable = "NOT_APPLICABLE"
)

// Proposal is one answer the manifest supports, with the lines it rests on.
type Proposal struct {
	Question string
	Value    questionnaire.Value
	// Reason says in one sentence why the manifest supports the value.
	Reason   string
	Evidence []Evidence
	// Note is what is left for the partner (name and purpose of each sub-processor).
	Note string
	// Problem is why the catalogue cannot take the value (an option it does not have);
	// such a proposal is shown but never applied.
	Problem string
}

// Unknown is a group of questions the manifest cannot answer, with what to look at.
type Unknown struct {
	Questions []string
	Reason    string
	Evidence  []Evidence
}

// Report is what a scan says about a questionnaire: proposals in catalogue order, then
// what the manifest cannot tell.
type Report struct {
	Facts     Facts
	Proposals []Proposal
	Unknown   []Unknown
}

// dataKind reports the kinds of address through which End-User Data can leave Atlassian;
// images, media, fonts and styles only let the browser load content.
func dataKind(kind string) bool {
	switch kind {
	case AddrImages, AddrMedia, AddrFonts, AddrStyles:
		return false
	}
	return true
}

// egress returns the data addresses outside Atlassian: when eud is set, only those that
// may carry End-User Data (every one that does not declare inScopeEUD: false).
func (f Facts) egress(eud bool) []Address {
	var out []Address
	for _, a := range f.Addresses {
		if !dataKind(a.Kind) || a.Atlassian || eud && a.InScopeEUD != nil && !*a.InScopeEUD {
			continue
		}
		out = append(out, a)
	}
	return out
}

// remoteStorage returns the remotes that store in-scope End-User Data.
func (f Facts) remoteStorage() []Remote {
	var out []Remote
	for _, r := range f.Remotes {
		if r.StoresInScopeEUD() {
			out = append(out, r)
		}
	}
	return out
}

// forgeOnly reports a Forge app with no Connect descriptor: its code runs on Atlassian's
// platform, and Forge blocks calls to hosts the manifest does not declare.
func (f Facts) forgeOnly() bool { return f.Has(KindForge) && !f.Has(KindConnect) }

// byDomain returns the addresses' registrable domains, one per company, in order: two
// domains of one company pstab knows (sentry.io and sentry-cdn.com) count once, under the
// first.
func byDomain(as []Address) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range as {
		if a.Domain == "" || a.Domain == "*" {
			continue
		}
		company := a.Domain
		if p := providerOf(a.Domain); p != nil {
			company = p.name
		}
		if !seen[company] {
			seen[company] = true
			out = append(out, a.Domain)
		}
	}
	return out
}

// company returns the key two domains of one company share.
func company(domain string) string {
	if p := providerOf(domain); p != nil {
		return p.name
	}
	return domain
}

func evidenceOf[T interface{ ev() Evidence }](items []T) []Evidence {
	var out []Evidence
	for _, it := range items {
		e := it.ev()
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func (a Address) ev() Evidence { return a.Evidence }
func (r Remote) ev() Evidence  { return r.Evidence }
func (s Storage) ev() Evidence { return s.Evidence }
func (s Scope) ev() Evidence   { return s.Evidence }
func (h Hook) ev() Evidence    { return h.Evidence }
func (r Region) ev() Evidence  { return r.Evidence }

// noEgressEvidence is the evidence for what a Forge manifest does not declare.
func (f Facts) noEgressEvidence() []Evidence {
	var out []Evidence
	for _, s := range f.Sources {
		if s.Kind == KindForge {
			out = append(out, Evidence{File: s.File, Line: f.scopesLine(s.File), Entry: "no remotes and no outside address that may carry End-User Data"})
		}
	}
	return out
}

func (f Facts) scopesLine(file string) int {
	if f.ScopesLine != nil && f.ScopesLine.File == file {
		return f.ScopesLine.Line
	}
	return 0
}

// hostList names hosts for a sentence, with what pstab knows of each.
func hostList(as []Address, max int) string {
	var parts []string
	seen := map[string]bool{}
	for _, a := range as {
		name := a.Host
		if name == "" {
			name = a.Address + " (set at deploy time)"
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		if h := Hint(a.Domain); h != "" {
			name += " (" + h + ")"
		}
		parts = append(parts, name)
	}
	if len(parts) > max {
		parts = append(parts[:max], fmt.Sprintf("%d more", len(parts)-max))
	}
	return joinAnd(parts)
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Propose says what the facts prove about the catalogue's questions.
func Propose(cat *questionnaire.Catalogue, f Facts) Report {
	p := &proposer{cat: cat, f: f}
	p.justification()
	p.storage()
	p.sharing()
	p.residency()
	p.logging()
	p.unknowns()
	sort.SliceStable(p.out, func(i, j int) bool {
		return cat.Question(p.out[i].Question).Index < cat.Question(p.out[j].Question).Index
	})
	return Report{Facts: f, Proposals: p.out, Unknown: p.unknown}
}

type proposer struct {
	cat     *questionnaire.Catalogue
	f       Facts
	out     []Proposal
	unknown []Unknown
	// said are the questions a proposal or an unknown already covers.
	said map[string]bool
}

// add records a proposal for a question the catalogue has, with the catalogue's verdict
// on its value.
func (p *proposer) add(pr Proposal) {
	q := p.cat.Question(pr.Question)
	if q == nil {
		return
	}
	pr.Value = questionnaire.CleanValue(q, pr.Value)
	// Evidence reads top to bottom, file by file.
	files := map[string]int{}
	for _, s := range p.f.Sources {
		files[s.File] = len(files)
	}
	sort.SliceStable(pr.Evidence, func(i, j int) bool {
		a, b := pr.Evidence[i], pr.Evidence[j]
		if files[a.File] != files[b.File] {
			return files[a.File] < files[b.File]
		}
		return a.Line < b.Line
	})
	for _, prob := range q.Check(pr.Value) {
		if prob.Field != "" && prob.Item >= 0 && pr.Value.Entities[prob.Item].Field(prob.Field).IsEmpty() {
			continue // a field left for the partner to fill in
		}
		pr.Problem = prob.Message
		break
	}
	p.mark(pr.Question)
	p.out = append(p.out, pr)
}

// cannot records questions the manifest cannot answer.
func (p *proposer) cannot(reason string, ev []Evidence, ids ...string) {
	var have []string
	for _, id := range ids {
		if p.cat.Question(id) != nil && !p.said[id] {
			have = append(have, id)
			p.mark(id)
		}
	}
	if len(have) > 0 {
		p.unknown = append(p.unknown, Unknown{Questions: have, Reason: reason, Evidence: ev})
	}
}

// proposed reports whether a yes/no proposal says want for a question.
func (p *proposer) proposed(id string, want bool) bool {
	for _, pr := range p.out {
		if pr.Question == id && pr.Value.Bool != nil && *pr.Value.Bool == want {
			return true
		}
	}
	return false
}

func (p *proposer) mark(id string) {
	if p.said == nil {
		p.said = map[string]bool{}
	}
	p.said[id] = true
}

// unknowns says what the manifest cannot tell, so that the partner knows what is left.
func (p *proposer) unknowns() {
	f := p.f
	var logHint []Evidence
	for _, a := range f.egress(true) {
		if pr := providerOf(a.Domain); pr != nil && pr.logs {
			logHint = append(logHint, a.Evidence)
		}
	}
	logs := "Whether log lines hold End-User Data depends on what your code logs, which no manifest says."
	if f.Has(KindForge) {
		logs += " Forge keeps function logs in Atlassian's developer console."
	}
	if len(logHint) > 0 {
		logs += " The manifest does point at a logging or error-tracking service (below): error reports often quote content."
	}
	p.cannot(logs, logHint, qLogs, qLogsOutside, qLogsShared, qLogsIntegral)

	retention := "How long data stays after uninstall is not in the manifest."
	var retEv []Evidence
	if len(f.Storage) > 0 {
		retention += " Forge hosted storage keeps an uninstalled app's data for 28 days, then deletes it (Atlassian's storage overview); count that if your app relies on it."
		retEv = evidenceOf(f.Storage)
	}
	if len(f.remoteStorage()) > 0 || f.Has(KindConnect) {
		retention += " Data on your own servers stays as long as your code and backups keep it."
	}
	for _, h := range f.Hooks {
		if h.Kind == "lifecycle" && h.Event == "uninstalled" {
			retention += " The app is told when it is uninstalled (below); say what it deletes then."
			retEv = append(retEv, h.Evidence)
		}
	}
	p.cannot(retention, retEv, qRetains, qRetention, qCustomRetention)

	p.cannot("Your company's roles under GDPR and the CCPA, and whether you offer a DPA, are legal judgements the manifest says nothing about; ask whoever owns privacy at your company.",
		nil, qGDPRController, qGDPRProcessor, qCCPABusiness, qCCPAService, qDPA)

	if eud := f.egress(true); len(eud) > 0 {
		n := len(byDomain(eud))
		p.cannot(fmt.Sprintf("Where %s %s data is not in the manifest; if %s outside the EEA, EEA residents' data leaves it.", hostList(eud, 3),
			questionnaire.PluralWord(n, "processes", "process"), questionnaire.PluralWord(n, "it is", "any of them is")),
			evidenceOf(eud), qEEA)
	}

	if len(f.Scopes) > 0 && !(p.proposed(qStores, false) && p.proposed(qProcesses, false)) {
		p.cannot("The scopes show what the app may read, not which of it leaves Atlassian; list the data your code sends or keeps outside, such as issue summaries or account IDs.",
			evidenceOf(f.Scopes), qStoredTypes, qProcessedTypes)
	}
}
