package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The readiness checks that compare answers with the manifest. Their IDs share a prefix,
// so that a report can tell them from the catalogue's own checks.
const (
	CheckPrefix           = "manifest-"
	checkRemoteStorage    = CheckPrefix + "remote-storage"
	checkEgress           = CheckPrefix + "egress"
	checkNoEgress         = CheckPrefix + "no-egress"
	checkShares           = CheckPrefix + "shares"
	checkSubProcessor     = CheckPrefix + "sub-processor"
	checkResidency        = CheckPrefix + "residency"
	checkScopeUnexplained = CheckPrefix + "scope-unexplained"
	checkLogService       = CheckPrefix + "log-service"
)

// where names the manifest line of a piece of evidence for a message: "manifest.yml
// line 18".
func where(e Evidence) string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d", e.File, e.Line)
	}
	return e.File
}

// Findings compares the answers with what the app's manifest declares, and returns a
// readiness finding (advice) at each answer the manifest contradicts, saying what to change.
// Hidden questions count as unanswered, as in every other check.
func Findings(cat *questionnaire.Catalogue, a questionnaire.Answers, f Facts) []questionnaire.Problem {
	vis := cat.Visible(a)
	shown := func(id string) (*questionnaire.Question, questionnaire.Value, bool) {
		q := cat.Question(id)
		if q == nil || !vis.Shows(q) {
			return q, questionnaire.Value{}, false
		}
		v, ok := a.Get(id)
		return q, v, ok
	}
	is := func(id string, want bool) (*questionnaire.Question, bool) {
		q, v, ok := shown(id)
		return q, ok && v.Bool != nil && *v.Bool == want
	}
	var out []questionnaire.Problem
	add := func(q *questionnaire.Question, check, format string, args ...any) {
		out = append(out, questionnaire.Problem{Question: q, Path: q.Path(), Item: -1, Severity: questionnaire.Advice,
			Message: fmt.Sprintf(format, args...), Check: check})
	}
	eud := f.egress(true)
	stores := f.remoteStorage()

	if q, no := is(qStores, false); no && len(stores) > 0 {
		r := stores[0]
		add(q, checkRemoteStorage, "You say the app stores no End-User Data outside Atlassian, but the manifest declares remote %s, which stores data (%s). Answer Yes, or declare the remote's operations without storage if it keeps nothing.",
			r.Key, where(r.Evidence))
	}
	if q, no := is(qProcesses, false); no && (len(eud) > 0 || f.Has(KindConnect)) {
		if len(eud) > 0 {
			add(q, checkEgress, "You say the app processes no End-User Data outside Atlassian, but the manifest lets it send data to %s (%s). Answer Yes, or remove that egress from the manifest.",
				hostList(eud[:1], 1), where(eud[0].Evidence))
		} else {
			add(q, checkEgress, "You say the app processes no End-User Data outside Atlassian, but it is a Connect app, whose own server receives the product's data. Answer Yes.")
		}
	}
	if f.forgeOnly() && len(f.egress(false)) == 0 && len(f.Remotes) == 0 {
		for _, id := range []string{qStores, qProcesses} {
			if q, yes := is(id, true); yes {
				add(q, checkNoEgress, "The manifest declares no remote back end and no outside address (%s), and Forge blocks calls to any other host, so the app cannot send End-User Data out of Atlassian. Answer No, or declare the egress the app really has.",
					where(f.noEgressEvidence()[0]))
			}
		}
		if q, v, ok := shown(qResidency); ok && v.Text == ResidencyExternal {
			add(q, checkNoEgress, "Your data residency answer says the data is stored outside Atlassian, but the manifest declares no remote back end and no outside address (%s), so the app can keep data only in Atlassian. Pick an answer for data stored in Atlassian.",
				where(f.noEgressEvidence()[0]))
		}
	}
	if q, no := is(qShares, false); no && len(eud) > 0 {
		add(q, checkShares, "You say the app shares no End-User Data with third parties, but the manifest lets it send data to %s (%s). Whoever runs those hosts receives the data: answer Yes and list them.",
			hostList(eud, 3), where(eud[0].Evidence))
	}
	if q := cat.Question(qSubProcessors); q != nil && vis.Shows(q) {
		v, _ := a.Get(qSubProcessors)
		name, link := fieldKeys(q)
		for _, d := range byDomain(eud) {
			covered := false
			for _, e := range v.Entities {
				if covers(e.Field(name).Text, e.Field(link).Text, d) {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
			var ev Evidence
			for _, a := range eud {
				if a.Domain != "" && company(a.Domain) == company(d) {
					ev = a.Evidence
					break
				}
			}
			hint := ""
			if h := Hint(d); h != "" {
				hint = ", " + h
			}
			add(q, checkSubProcessor, "No sub-processor covers %s, which the manifest lets the app send data to (%s%s). Add the company behind it, with https://%s as its link, or remove that egress from the manifest.",
				d, where(ev), hint, d)
		}
	}
	if q, v, ok := shown(qResidency); ok && len(stores) > 0 && (strings.HasPrefix(v.Text, "STORED_IN_ATLASSIAN") || v.Text == ResidencyNotApplicable) {
		said := "the data is stored in Atlassian"
		if v.Text == ResidencyNotApplicable {
			said = "the app stores no End-User Data"
		}
		add(q, checkResidency, "Your data residency answer says %s, but the manifest declares remote %s, which stores data (%s). Pick the answer for data stored outside Atlassian.",
			said, stores[0].Key, where(stores[0].Evidence))
	}
	if q, v, ok := shown(qJustification); ok {
		var missing []string
		var first Evidence
		for _, s := range f.Scopes {
			if !mentions(v.Text, s) && !slices.Contains(missing, s.Name) {
				if len(missing) == 0 {
					first = s.Evidence
				}
				missing = append(missing, s.Name)
			}
		}
		if len(missing) > 0 {
			list := missing
			if len(list) > 5 {
				list = append(list[:5:5], fmt.Sprintf("%d more", len(missing)-5))
			}
			add(q, checkScopeUnexplained, "Your justification does not mention %s, which the manifest asks for (%s). Customers compare it with the scopes they approve: say why the app needs each.",
				joinAnd(list), where(first))
		}
	}
	if _, logsEUD := is(qLogs, true); logsEUD {
		if q, no := is(qLogsShared, false); no {
			for _, a := range eud {
				if pr := providerOf(a.Domain); pr != nil && pr.logs {
					add(q, checkLogService, "You say logs with End-User Data go to no third party, but the manifest lets the app send data to %s, %s (%s). Answer Yes if those reports can hold End-User Data.",
						a.Host, Hint(a.Domain), where(a.Evidence))
					break
				}
			}
		}
	}
	return out
}

// fieldKeys returns the JSON keys of a sub-processor's name and link.
func fieldKeys(q *questionnaire.Question) (string, string) {
	name, link := "name", "link"
	if f := q.Field("name"); f != nil {
		name = f.Key
	}
	if f := q.Field("link"); f != nil {
		link = f.Key
	}
	return name, link
}

// mentions reports whether a justification speaks of a scope: by its name, or for a
// Connect scope (ACT_AS_USER) by its words ("act as user").
func mentions(text string, s Scope) bool {
	t := strings.ToLower(text)
	n := strings.ToLower(s.Name)
	if strings.Contains(t, n) {
		return true
	}
	return s.Connect && strings.Contains(t, strings.ReplaceAll(n, "_", " "))
}
