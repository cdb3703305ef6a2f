package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The rules that turn facts into proposals, one method per part of the questionnaire:
// the permissions justification, storing and processing, third parties, data residency,
// and logs. Each proposes only what the manifest proves, and hands what it cannot decide
// to cannot, with the reason.

// justification drafts the "Integration permissions" answer: each scope with what it
// allows. Why the app needs it is the partner's to add.
func (p *proposer) justification() {
	q := p.cat.Question(qJustification)
	if q == nil {
		return
	}
	var ev []Evidence
	var lines, names, bare []string
	seen := map[string]bool{}
	for _, s := range p.f.Scopes {
		if seen[s.Name] {
			continue
		}
		seen[s.Name] = true
		ev = append(ev, s.Evidence)
		names = append(names, s.Name)
		line := "- " + s.Name
		if t := ScopeSentence(s); t != "" {
			line += ": lets the app " + t
		} else {
			bare = append(bare, s.Name)
		}
		if s.Impersonation {
			line += ", also as a user who is not using the app at the time (offline impersonation)"
		}
		lines = append(lines, line+".")
	}
	note := "Add why the app needs each permission: customers compare this with the scopes they approve at install."
	if len(bare) > 0 {
		note = fmt.Sprintf("pstab has no description for %s; say what %s and why the app needs each permission.",
			joinAnd(bare), questionnaire.PluralWord(len(bare), "it allows", "they allow"))
	}
	if len(names) == 0 {
		if p.f.ScopesLine == nil {
			return
		}
		p.add(Proposal{Question: qJustification, Value: questionnaire.Text("The app asks for no permissions (scopes) on Atlassian products."),
			Reason: "The manifest declares no scopes.", Evidence: []Evidence{*p.f.ScopesLine}})
		return
	}
	v := questionnaire.Text(strings.Join(lines, "\n"))
	if len(q.Check(v)) > 0 {
		// Too long to describe each one: the names alone still list what the app asks for.
		v = questionnaire.Text("The app asks for these permissions: " + strings.Join(names, ", ") + ".")
		note = "The list is too long to describe each permission within the field's limit; explain the main ones and why the app needs them."
		if len(q.Check(v)) > 0 {
			p.cannot(fmt.Sprintf("The manifest asks for %s, too many to name within the field's %d characters; explain the main ones and why the app needs them.",
				questionnaire.Plural(len(names), "scope"), q.TextLimit()), ev[:1], qJustification)
			return
		}
	}
	p.add(Proposal{Question: qJustification, Value: v, Evidence: ev, Note: note,
		Reason: fmt.Sprintf("The manifest asks for %s.", questionnaire.Plural(len(names), "scope"))})
}

// storage decides storing and processing outside Atlassian.
func (p *proposer) storage() {
	f := p.f
	eud := f.egress(true)
	stores := f.remoteStorage()
	hosted := evidenceOf(f.Storage)
	switch {
	case len(stores) > 0:
		p.add(Proposal{Question: qStores, Value: questionnaire.Bool(true), Evidence: evidenceOf(stores),
			Reason: "The manifest declares a remote back end that stores data: its operations include storage, or it declares none, which Forge treats as storing End-User Data."})
	case f.forgeOnly() && len(eud) == 0:
		p.add(Proposal{Question: qStores, Value: questionnaire.Bool(false), Evidence: append(hosted, f.noEgressEvidence()...),
			Reason: "The app can keep data only in Atlassian: it declares no remote back end and no outside address that may carry End-User Data, and Forge blocks calls to any other host."})
	case f.Has(KindConnect):
		p.cannot(fmt.Sprintf("A Connect app runs on its own server (%s), which keeps at least each installation's record; whether it keeps End-User Data the descriptor cannot tell.", hostList(f.connectHosts(), 2)),
			evidenceOf(f.connectHosts()), qStores)
	default:
		p.cannot(fmt.Sprintf("The app may send End-User Data to %s; whether %s the manifest cannot tell.", hostList(eud, 4),
			questionnaire.PluralWord(len(byDomain(eud)), "that service keeps it", "those services keep it")),
			evidenceOf(eud), qStores)
	}
	switch {
	case len(eud) > 0 || f.Has(KindConnect):
		reason := "The manifest lets the app send data outside Atlassian, so End-User Data can be processed there."
		if f.Has(KindConnect) {
			reason = "A Connect app's server receives the product's data (page and panel requests, lifecycle callbacks, webhooks), so End-User Data is processed outside Atlassian."
		}
		ev := evidenceOf(eud)
		for _, h := range f.Hooks {
			if h.Kind == "webhook" && !h.ExcludeBody {
				ev = append(ev, h.Evidence)
			}
		}
		p.add(Proposal{Question: qProcesses, Value: questionnaire.Bool(true), Evidence: ev, Reason: reason})
	case f.forgeOnly():
		pr := Proposal{Question: qProcesses, Value: questionnaire.Bool(false), Evidence: f.noEgressEvidence(),
			Reason: "The app's code runs only on Atlassian's platform: the manifest declares no remote back end and no outside address that may carry End-User Data."}
		if weak := f.egress(false); len(weak) > 0 {
			pr.Evidence = append(pr.Evidence, evidenceOf(weak)...)
			pr.Note = fmt.Sprintf("%s %s declared to receive no in-scope End-User Data; if anything sent there is End-User Data (account IDs count), answer Yes.",
				hostList(weak, 3), questionnaire.PluralWord(len(byDomain(weak)), "is", "are"))
		}
		p.add(pr)
	}
	if f.forgeOnly() && len(eud) == 0 && len(stores) == 0 {
		reason := "The app stores nothing outside Atlassian; for such an app Yes is the expected answer."
		if len(hosted) > 0 {
			reason = "The app stores nothing outside Atlassian, and Forge hosted storage encrypts data on disk; Yes is the expected answer."
		}
		p.add(Proposal{Question: qDiskEncryption, Value: questionnaire.Bool(true), Evidence: append(hosted, f.noEgressEvidence()...), Reason: reason})
	}
}

// allPinned reports whether every remote that stores data has region-specific base URLs.
func allPinned(rs []Remote) bool {
	for _, r := range rs {
		if len(r.Regions) == 0 {
			return false
		}
	}
	return len(rs) > 0
}

// writes reports whether a scope lets the app write to the product (write:, manage:,
// delete:, or a Connect scope above READ), where it could keep data in product properties.
func (f Facts) writes() bool {
	for _, s := range f.Scopes {
		name := strings.ToLower(s.Name)
		if s.Connect {
			if name != "read" && name != "none" && name != "access_email_addresses" {
				return true
			}
			continue
		}
		for _, verb := range []string{"write:", "manage:", "delete:", "admin:"} {
			if strings.HasPrefix(name, verb) {
				return true
			}
		}
	}
	return false
}

// connectHosts returns a Connect app's own base URLs.
func (f Facts) connectHosts() []Address {
	var out []Address
	for _, a := range f.Addresses {
		if a.Kind == AddrConnectBase || a.Kind == AddrConnectRegion {
			out = append(out, a)
		}
	}
	return out
}

// sharing proposes sharing with third parties and one sub-processor per company the app
// may send End-User Data to.
func (p *proposer) sharing() {
	f := p.f
	eud := f.egress(true)
	domains := byDomain(eud)
	anyHost := slices.ContainsFunc(eud, func(a Address) bool { return a.Host == "*" })
	switch {
	case len(eud) > 0:
		p.add(Proposal{Question: qShares, Value: questionnaire.Bool(true), Evidence: evidenceOf(eud),
			Reason: "The manifest lets the app send data to hosts outside Atlassian; whoever runs them (your own cloud host included) receives End-User Data."})
	case f.forgeOnly() && len(f.egress(false)) == 0:
		p.add(Proposal{Question: qShares, Value: questionnaire.Bool(false), Evidence: f.noEgressEvidence(),
			Reason: "The manifest declares no outside host at all, so no third party can receive data from the app."})
	case len(f.egress(false)) > 0:
		weak := f.egress(false)
		p.cannot(fmt.Sprintf("The app may send data to %s, declared to receive no in-scope End-User Data; if what it sends includes End-User Data (account IDs count), each is a sub-processor.", hostList(weak, 3)),
			evidenceOf(weak), qShares, qSubProcessors)
	}
	q := p.cat.Question(qSubProcessors)
	if q == nil || len(domains) == 0 {
		var unknownHosts []Address
		for _, a := range eud {
			if a.Host == "" {
				unknownHosts = append(unknownHosts, a)
			}
		}
		switch {
		case anyHost:
			p.cannot("The manifest lets the app call any host (*), so it cannot tell who receives data; list each company yourself.", evidenceOf(eud), qSubProcessors)
		case len(unknownHosts) > 0:
			p.cannot("The app's hosts are set at deploy time, so the manifest cannot tell who runs them; list the company that hosts each, and every service they pass data to.", evidenceOf(unknownHosts), qSubProcessors)
		}
		return
	}
	link := "link"
	if fl := q.Field("link"); fl != nil {
		link = fl.Key
	}
	var ents []questionnaire.Entity
	var ev []Evidence
	for _, d := range domains {
		ents = append(ents, questionnaire.Entity{Fields: map[string]questionnaire.Value{link: questionnaire.Text("https://" + d)}})
		for _, a := range eud {
			if a.Domain != "" && company(a.Domain) == company(d) && !slices.Contains(ev, a.Evidence) {
				ev = append(ev, a.Evidence)
			}
		}
	}
	note := fmt.Sprintf("Give each entry the company's name and what it does for the app: %s.", hostList(eud, 6))
	if anyHost {
		note += " The manifest also allows any host (*): add every other company the app sends data to."
	}
	p.add(Proposal{Question: qSubProcessors, Value: questionnaire.Value{Entities: ents}, Evidence: ev, Note: note,
		Reason: fmt.Sprintf("The manifest lets the app send data to %s outside Atlassian; each is a sub-processor candidate, with its domain as the link.", questionnaire.Plural(len(domains), "company"))})
}

// residency proposes where the data is stored for data residency, and the locations and
// migration that follow.
func (p *proposer) residency() {
	f := p.f
	eud := f.egress(true)
	stores := f.remoteStorage()
	var hostedDR []Storage
	otherStore := false
	for _, s := range f.Storage {
		if s.Kind == StoreOther {
			otherStore = true
		} else {
			hostedDR = append(hostedDR, s)
		}
	}
	// locations are the regions the data is pinned to, when the residency proposal says
	// the app supports data residency outside Atlassian; regions of a remote that only
	// computes say nothing about where data is kept.
	var locations []Region
	regionsOf := func(keep func(Region) bool) []Region {
		var out []Region
		for _, r := range f.Regions {
			if keep(r) {
				out = append(out, r)
			}
		}
		return out
	}
	connectRegions := regionsOf(func(r Region) bool { return r.Remote == "" })
	var unpinned []Remote
	for _, r := range stores {
		if len(r.Regions) == 0 {
			unpinned = append(unpinned, r)
		}
	}
	switch {
	case len(stores) > 0 && allPinned(stores):
		locations = regionsOf(func(r Region) bool {
			return slices.ContainsFunc(stores, func(s Remote) bool { return s.Key == r.Remote })
		})
		p.add(Proposal{Question: qResidency, Value: questionnaire.Text(ResidencyExternal), Evidence: append(evidenceOf(stores), evidenceOf(locations)...),
			Reason: "The app stores data on a remote back end outside Atlassian, with a base URL per region, so each installation's data is kept in the location its product is in."})
	case len(stores) > 0 && f.Migration != nil:
		p.cannot(fmt.Sprintf("Remote %s stores data through one base URL for every installation, yet the manifest declares the data residency migration hook: if your back end keeps each customer's data in the location they chose, the app supports data residency outside Atlassian (list those locations); if not, it does not support it.", unpinned[0].Key),
			append(evidenceOf(unpinned), *f.Migration), qResidency, qResidencyLocations)
	case len(stores) > 0:
		p.add(Proposal{Question: qResidency, Value: questionnaire.Text(ResidencyNotSupported), Evidence: evidenceOf(unpinned),
			Reason: "The app stores data on a remote back end outside Atlassian with one base URL for every installation, so customers cannot choose where it is kept (Forge pins a remote only by region-specific base URLs)."})
	case f.Has(KindConnect) && len(connectRegions) > 0:
		locations = connectRegions
		p.add(Proposal{Question: qResidency, Value: questionnaire.Text(ResidencyExternal), Evidence: append(evidenceOf(f.connectHosts()), evidenceOf(locations)...),
			Reason: "A Connect app keeps its data on its own servers, and this one pins installations to regions (regionBaseUrls)."})
	case f.forgeOnly() && len(eud) == 0 && len(hostedDR) > 0 && !otherStore:
		p.add(Proposal{Question: qResidency, Value: questionnaire.Text(ResidencyInAtlassian), Evidence: evidenceOf(hostedDR),
			Reason: "The app keeps its data only in Forge hosted storage, which Atlassian hosts, pins and migrates to the location the customer chooses."})
		p.add(Proposal{Question: qResidencyMigration, Value: questionnaire.Bool(true), Evidence: evidenceOf(hostedDR),
			Reason: "Forge moves an app's hosted storage when the customer moves their product to another location."})
		// The answer needs locations, and a manifest names none: Forge pins hosted storage
		// wherever the customer's product is, so the list is Atlassian's, product by product.
		p.cannot("Forge keeps hosted storage in the location each customer's product is pinned to, so the manifest names no location; list those Atlassian offers your product's customers, in its region names (Global, EU, US, AU, DE, SG, CA, IN, KR, JP, GB, CH).",
			evidenceOf(hostedDR), qResidencyLocations)
	case f.Has(KindConnect):
		p.cannot("A Connect app keeps its data on its own servers, and this descriptor declares no regionBaseUrls, so Atlassian does not pin its installations to a region: if the server stores End-User Data, the app does not support data residency unless you pin the data another way.",
			evidenceOf(f.connectHosts()), qResidency)
	case otherStore:
		p.cannot("The app uses a kind of Forge storage that may be in an early access stage, which may not support data residency yet; check Atlassian's data residency page for it.",
			evidenceOf(f.Storage), qResidency)
	case f.forgeOnly() && len(eud) == 0 && !f.writes():
		p.add(Proposal{Question: qResidency, Value: questionnaire.Text(ResidencyNotApplicable), Evidence: append(evidenceOf(f.Scopes), f.noEgressEvidence()...),
			Reason: "The app can store no End-User Data anywhere: it declares no Forge storage, no scope that writes to the product, no remote back end and no egress."})
	case f.forgeOnly() && len(eud) == 0:
		p.cannot("The manifest declares no Forge storage, but scopes that let the app write to the product; data it keeps in product properties stays with the product (stored in Atlassian), and if it keeps none, the not-applicable answer fits.",
			f.noEgressEvidence(), qResidency)
	default:
		p.cannot(fmt.Sprintf("The app may send End-User Data to %s; whether and where %s the manifest cannot tell.", hostList(eud, 3),
			questionnaire.PluralWord(len(byDomain(eud)), "that service keeps it", "those services keep it")),
			evidenceOf(eud), qResidency)
	}
	if regions := sortedRegions(locations); len(regions) > 0 {
		p.add(Proposal{Question: qResidencyLocations, Value: questionnaire.List(regions...), Evidence: evidenceOf(locations),
			Reason: "The manifest gives a base URL per region, so installations are pinned to these locations."})
	}
	if f.Migration != nil && !p.said[qResidencyMigration] {
		p.add(Proposal{Question: qResidencyMigration, Value: questionnaire.Bool(true), Evidence: []Evidence{*f.Migration},
			Reason: "The manifest declares the data residency migration hook, through which Atlassian asks the app to move a customer's data."})
	}
}

// logging proposes where logs go when the manifest points at a log or error service.
func (p *proposer) logging() {
	var services []Address
	for _, a := range p.f.egress(true) {
		if pr := providerOf(a.Domain); pr != nil && pr.logs {
			services = append(services, a)
		}
	}
	var other []Remote
	for _, r := range p.f.Remotes {
		if r.Has("other") {
			other = append(other, r)
		}
	}
	if len(services) == 0 && len(other) == 0 {
		return
	}
	ev := append(evidenceOf(services), evidenceOf(other)...)
	note := "This applies once logs-eud is Yes: whether the logs hold End-User Data depends on what your code sends."
	p.add(Proposal{Question: qLogsOutside, Value: questionnaire.Bool(true), Evidence: ev, Note: note,
		Reason: "The manifest lets the app send logs or error reports outside Atlassian: to a logging or error-tracking service, or to a remote declared for logging (operations: other)."})
	if len(services) > 0 {
		p.add(Proposal{Question: qLogsShared, Value: questionnaire.Bool(true), Evidence: evidenceOf(services), Note: note,
			Reason: fmt.Sprintf("The manifest lets the app send data to %s, a third party.", hostList(services, 3))})
	}
}
