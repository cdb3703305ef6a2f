package scan

import (
	"fmt"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The Connect descriptor as Atlassian documents it (app descriptor, scopes for Connect
// apps, data residency for Connect): key, baseUrl, regionBaseUrls, scopes, lifecycle
// callbacks (installed, uninstalled, enabled, disabled, dare-migration) and
// modules.webhooks. Scope names may be upper or lower case. Templates such as
// atlassian-connect-express's {{localBaseUrl}} are kept as "set at deploy time".

func readConnect(f *Facts, src Source, data []byte) error {
	root, err := parseJSON(src.File, data)
	if err != nil {
		return err
	}
	r := &forgeReader{f: f, file: src.File}
	if root.kind != mapNode {
		return errAt(src.File, root.line, "this is not a Connect descriptor: it should be one JSON object")
	}
	base := root.get("baseUrl")
	if base == nil {
		if root.get("modules") == nil && root.get("key") == nil {
			return errAt(src.File, root.line, "this is not a Connect descriptor: it has no key, baseUrl or modules")
		}
		return errAt(src.File, root.line, "this Connect descriptor has no baseUrl, so pstab cannot tell where the app runs")
	}
	if k := root.get("key"); k != nil {
		s, err := r.text(k, "key")
		if err != nil {
			return err
		}
		src.App, src.Line = s, k.line
	}
	f.Sources = append(f.Sources, src)
	u, err := r.text(base, "baseUrl")
	if err != nil {
		return err
	}
	if err := r.address(AddrConnectBase, u, "", base.line, "baseUrl: "+u, nil, false); err != nil {
		return err
	}
	appHost := f.Addresses[len(f.Addresses)-1].Host
	if regions := root.get("regionBaseUrls"); regions != nil {
		if regions.kind != mapNode {
			return errAt(src.File, regions.line, "regionBaseUrls should map each region to its base URL")
		}
		for i, region := range regions.keys {
			if p := questionnaire.TextProblem(region, false); p != "" {
				return errAt(src.File, regions.kline[i], "a region name %s", p)
			}
			ru, err := r.text(regions.vals[i], "regionBaseUrls."+region)
			if err != nil {
				return err
			}
			if err := r.address(AddrConnectRegion, ru, "", regions.vals[i].line, fmt.Sprintf("regionBaseUrls.%s: %s", region, ru), nil, false); err != nil {
				return err
			}
			f.Regions = append(f.Regions, Region{Name: strings.ToUpper(region), Evidence: r.ev(regions.kline[i], "regionBaseUrls."+region)})
		}
	}
	if scopes := root.get("scopes"); scopes != nil {
		ev := r.ev(root.keyLine("scopes"), "scopes")
		f.ScopesLine = &ev
		if scopes.kind != listNode {
			return errAt(src.File, scopes.line, "scopes should be a list, such as [\"READ\", \"WRITE\"]")
		}
		for _, s := range scopes.items {
			name, err := r.text(s, "a scope")
			if err != nil {
				return err
			}
			if !scopeName.MatchString(name) {
				return errAt(src.File, s.line, "%q is not a scope name", clip(name))
			}
			f.Scopes = append(f.Scopes, Scope{Name: name, Connect: true, Evidence: r.ev(s.line, "scopes: "+name)})
		}
	} else {
		ev := r.ev(root.line, "scopes (none declared)")
		f.ScopesLine = &ev
	}
	if lc := root.get("lifecycle"); lc != nil {
		if lc.kind != mapNode {
			return errAt(src.File, lc.line, "lifecycle should map each event (installed, uninstalled...) to a URL")
		}
		for i, event := range lc.keys {
			if p := questionnaire.TextProblem(event, false); p != "" {
				return errAt(src.File, lc.kline[i], "a lifecycle event's name %s", p)
			}
			hookURL, err := r.text(lc.vals[i], "lifecycle."+event)
			if err != nil {
				return err
			}
			h := Hook{Kind: "lifecycle", Event: event, URL: hookURL, Evidence: r.ev(lc.vals[i].line, fmt.Sprintf("lifecycle.%s: %s", event, hookURL))}
			f.Hooks = append(f.Hooks, h)
			if event == "dare-migration" {
				e := h.Evidence
				f.Migration = &e
			}
			if err := r.hookAddress(hookURL, appHost, h.Evidence); err != nil {
				return err
			}
		}
	}
	mods := root.get("modules")
	for _, w := range mods.get("webhooks").list() {
		event, _ := w.get("event").scalar()
		hookURL, _ := w.get("url").scalar()
		for _, s := range []string{event, hookURL} {
			if p := questionnaire.TextProblem(s, false); p != "" {
				return errAt(src.File, w.line, "a webhook %s", p)
			}
		}
		exclude, _ := w.get("excludeBody").boolean()
		h := Hook{Kind: "webhook", Event: event, URL: hookURL, ExcludeBody: exclude,
			Evidence: r.ev(w.line, clipEntry(fmt.Sprintf("modules.webhooks: %s → %s", event, hookURL)))}
		f.Hooks = append(f.Hooks, h)
		if err := r.hookAddress(hookURL, appHost, h.Evidence); err != nil {
			return err
		}
	}
	return checkLimits(f, src.File)
}

// hookAddress records a hook URL on another host than the app's base URL: Atlassian then
// sends the data there.
func (r *forgeReader) hookAddress(u, appHost string, ev Evidence) error {
	if !strings.Contains(u, "://") || placeholder(u) {
		return nil // relative to the base URL
	}
	host, problem := parseHost(u)
	if problem != "" {
		return errAt(r.file, ev.Line, "%q %s", clip(u), problem)
	}
	if host == appHost {
		return nil
	}
	return r.address(AddrConnectHook, u, "", ev.Line, ev.Entry, nil, false)
}
