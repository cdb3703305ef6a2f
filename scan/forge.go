package scan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The Forge manifest as Atlassian documents it (manifest reference: permissions, remotes,
// runtime, storage) and as apps in the wild write it. Both spellings are read where they
// differ: baseUrl and baseURL, scopes as a list or as a map (allowImpersonation), an
// external entry as a string, {address: ...} or {remote: key}, a base URL as a string or
// per region, remotes at the top level or (as one of Atlassian's own examples has it)
// under modules, custom entities under app.storage or modules.storage.

// externalKinds are the lists permissions.external may hold.
var externalKinds = []string{AddrImages, AddrMedia, AddrScripts, AddrStyles, AddrFrames, AddrFonts}

// forgeReader collects the facts of one manifest.
type forgeReader struct {
	f    *Facts
	file string
}

func (r *forgeReader) ev(line int, entry string) Evidence {
	return Evidence{File: r.file, Line: line, Entry: entry}
}

// text returns a scalar as text, refusing control characters: a value pstab prints or
// keeps must be safe to show.
func (r *forgeReader) text(n *node, what string) (string, error) {
	s, ok := n.scalar()
	if !ok {
		return "", errAt(r.file, n.line, "%s should be a single value", what)
	}
	if p := questionnaire.TextProblem(s, false); p != "" {
		return "", errAt(r.file, n.line, "%s %s", what, p)
	}
	return s, nil
}

func readForge(f *Facts, src Source, data []byte) error {
	root, err := parseYAML(src.File, data)
	if err != nil {
		return err
	}
	if root.kind != mapNode {
		return errAt(src.File, root.line, "this is not a Forge manifest: it should be a mapping with app, modules and permissions sections")
	}
	if root.get("app") == nil && root.get("modules") == nil && root.get("permissions") == nil {
		return errAt(src.File, root.line, "this is not a Forge manifest: it has no app, modules or permissions section")
	}
	r := &forgeReader{f: f, file: src.File}
	if err := r.app(root, &src); err != nil {
		return err
	}
	f.Sources = append(f.Sources, src)
	remotes := root.get("remotes")
	modules := root.get("modules")
	if remotes == nil {
		remotes = modules.get("remotes")
	}
	if err := r.remotes(remotes); err != nil {
		return err
	}
	if err := r.permissions(root); err != nil {
		return err
	}
	if err := r.modules(modules); err != nil {
		return err
	}
	return r.limits()
}

// app reads app.id, app.runtime and app.storage.
func (r *forgeReader) app(root *node, src *Source) error {
	app := root.get("app")
	if app == nil {
		return nil
	}
	if app.kind != mapNode {
		return errAt(r.file, app.line, "app should be a section with id and runtime, not a single value")
	}
	if id := app.get("id"); id != nil {
		s, err := r.text(id, "app.id")
		if err != nil {
			return err
		}
		src.App, src.Line = s, id.line
	}
	if rt := app.get("runtime"); rt != nil {
		if name := rt.get("name"); name != nil {
			s, err := r.text(name, "app.runtime.name")
			if err != nil {
				return err
			}
			src.Runtime = s
		}
	}
	return r.entities(app.get("storage"), "app.storage.entities")
}

// entities reads custom entity declarations.
func (r *forgeReader) entities(storage *node, where string) error {
	ents := storage.get("entities")
	for _, e := range ents.list() {
		name := e.get("name")
		if name == nil {
			name = e.get("key") // an older draft of the feature called it key
		}
		s := ""
		if name != nil {
			var err error
			if s, err = r.text(name, where+" name"); err != nil {
				return err
			}
		}
		r.f.Storage = append(r.f.Storage, Storage{Kind: StoreEntities, Name: s, Evidence: r.ev(e.line, where+": "+s)})
	}
	return nil
}

// remotes reads the remote back ends.
func (r *forgeReader) remotes(n *node) error {
	if n == nil {
		return nil
	}
	if n.kind != listNode {
		return errAt(r.file, n.line, "remotes should be a list of remote back ends, each with a key and a baseUrl")
	}
	for _, item := range n.items {
		if item.kind != mapNode {
			return errAt(r.file, item.line, "each remote should have a key and a baseUrl")
		}
		rm := Remote{}
		if k := item.get("key"); k != nil {
			s, err := r.text(k, "a remote's key")
			if err != nil {
				return err
			}
			rm.Key = s
		}
		if ops := item.get("operations"); ops != nil {
			rm.OperationsDeclared = true
			for _, op := range ops.list() {
				s, err := r.text(op, "remote "+rm.Key+"'s operation")
				if err != nil {
					return err
				}
				rm.Operations = append(rm.Operations, strings.ToLower(s))
			}
		}
		if st := item.get("storage"); st != nil {
			if b, ok := st.get("inScopeEUD").boolean(); ok {
				rm.StorageInScopeEUD = &b
			}
		}
		if auth := item.get("auth"); auth != nil {
			rm.UserToken, _ = auth.get("appUserToken").get("enabled").boolean()
			rm.SystemToken, _ = auth.get("appSystemToken").get("enabled").boolean()
		}
		entry := "remotes: " + rm.Key
		rm.Evidence = r.ev(item.line, entry)
		base, spelled := item.getAny("baseUrl", "baseURL", "baseurl")
		if base == nil {
			r.f.Notes = append(r.f.Notes, fmt.Sprintf("Remote %s (%s line %d) has no baseUrl, so pstab cannot tell its host.", rm.Key, r.file, item.line))
		}
		switch {
		case base == nil:
		case base.kind == mapNode:
			for i, region := range base.keys {
				u, err := r.text(base.vals[i], "remote "+rm.Key+"'s "+spelled+"."+region)
				if err != nil {
					return err
				}
				if err := r.address(AddrRemote, u, rm.Key, base.vals[i].line, fmt.Sprintf("remotes: %s %s.%s: %s", rm.Key, spelled, region, u), nil, false); err != nil {
					return err
				}
				if !strings.EqualFold(region, "default") {
					if p := questionnaire.TextProblem(region, false); p != "" {
						return errAt(r.file, base.kline[i], "a region name %s", p)
					}
					rm.Regions = append(rm.Regions, region)
					r.f.Regions = append(r.f.Regions, Region{Name: strings.ToUpper(region), Remote: rm.Key,
						Evidence: r.ev(base.kline[i], fmt.Sprintf("remotes: %s %s.%s", rm.Key, spelled, region))})
				}
			}
		default:
			u, err := r.text(base, "remote "+rm.Key+"'s "+spelled)
			if err != nil {
				return err
			}
			if err := r.address(AddrRemote, u, rm.Key, base.line, fmt.Sprintf("remotes: %s %s: %s", rm.Key, spelled, u), nil, false); err != nil {
				return err
			}
		}
		r.f.Remotes = append(r.f.Remotes, rm)
	}
	return nil
}

// permissions reads permissions.scopes and permissions.external.
func (r *forgeReader) permissions(root *node) error {
	perms := root.get("permissions")
	if perms == nil {
		return nil
	}
	if perms.kind != mapNode {
		return errAt(r.file, perms.line, "permissions should be a section with scopes and external, not a list or a single value")
	}
	scopes := perms.get("scopes")
	line := perms.keyLine("scopes")
	if scopes == nil {
		line = root.keyLine("permissions")
	}
	ev := r.ev(line, "permissions.scopes")
	r.f.ScopesLine = &ev
	switch {
	case scopes == nil || scopes.kind == nullNode:
	case scopes.kind == listNode:
		for _, s := range scopes.items {
			if err := r.scope(s, false); err != nil {
				return err
			}
		}
	case scopes.kind == mapNode:
		// The map form lets a scope say allowImpersonation: true (offline impersonation).
		for i, name := range scopes.keys {
			imp, _ := scopes.vals[i].get("allowImpersonation").boolean()
			k := &node{kind: scalarNode, line: scopes.kline[i], text: name, str: true}
			if err := r.scope(k, imp); err != nil {
				return err
			}
		}
	default:
		return errAt(r.file, scopes.line, "permissions.scopes should be a list of scopes")
	}
	ext := perms.get("external")
	if ext == nil {
		return nil
	}
	if ext.kind != mapNode {
		return errAt(r.file, ext.line, "permissions.external should be a section (fetch, images, scripts...), not a list or a single value")
	}
	for i, kind := range ext.keys {
		v := ext.vals[i]
		switch {
		case kind == "fetch":
			for j, side := range v.keys {
				k := "fetch." + side
				if k != AddrFetchBackend && k != AddrFetchClient {
					r.f.Notes = append(r.f.Notes, fmt.Sprintf("permissions.external.fetch.%s (%s line %d) is not a fetch list pstab knows; its addresses are read as fetch addresses.", side, r.file, v.kline[j]))
				}
				if err := r.externalList(k, v.vals[j]); err != nil {
					return err
				}
			}
		case kind == "configurable":
			if on, ok := v.get("enabled").boolean(); ok && on {
				e := r.ev(v.keyLine("enabled"), "permissions.external.configurable.enabled: true")
				r.f.ConfigurableEgress = &e
			}
		case slices.Contains(externalKinds, kind):
			if err := r.externalList(kind, v); err != nil {
				return err
			}
		default:
			r.f.Notes = append(r.f.Notes, fmt.Sprintf("permissions.external.%s (%s line %d) is not a kind pstab knows; its addresses are treated as data leaving Atlassian.", kind, r.file, ext.kline[i]))
			if err := r.externalList(AddrUnknownExternal+"."+kind, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *forgeReader) scope(n *node, impersonation bool) error {
	if len(r.f.Scopes) >= maxEntries {
		return errAt(r.file, n.line, "the file declares more than %d scopes, far more than an app has; pstab stops reading here", maxEntries)
	}
	name, err := r.text(n, "a scope")
	if err != nil {
		return err
	}
	if !scopeName.MatchString(name) {
		return errAt(r.file, n.line, "%q is not a scope name", clip(name))
	}
	entry := "permissions.scopes: " + name
	if impersonation {
		entry += " (allowImpersonation: true)"
	}
	// Connect on Forge lists Connect's scopes here too; they are named in capitals or as
	// the Connect words.
	_, connect := connectScopeText[strings.ToUpper(name)]
	sc := Scope{Name: name, Connect: connect && !strings.Contains(name, ":"), Impersonation: impersonation, Evidence: r.ev(n.line, entry)}
	r.f.Scopes = append(r.f.Scopes, sc)
	if name == "storage:app" {
		// The key-value store (and the legacy storage API) needs this scope, so it is what
		// says the app keeps data in Forge hosted storage.
		r.f.Storage = append(r.f.Storage, Storage{Kind: StoreKVS, Evidence: sc.Evidence})
	}
	return nil
}

// externalList reads one list of permissions.external: strings, {address, category,
// inScopeEUD} objects, or {remote: key} references.
func (r *forgeReader) externalList(kind string, n *node) error {
	where := "permissions.external." + kind
	if n == nil || n.kind == nullNode {
		return nil
	}
	if n.kind != listNode {
		return errAt(r.file, n.line, "%s should be a list of addresses", where)
	}
	for _, item := range n.items {
		switch item.kind {
		case scalarNode:
			s, err := r.text(item, "an address in "+where)
			if err != nil {
				return err
			}
			if err := r.address(kind, s, "", item.line, where+": "+s, nil, false); err != nil {
				return err
			}
		case mapNode:
			if rk := item.get("remote"); rk != nil {
				key, err := r.text(rk, "a remote in "+where)
				if err != nil {
					return err
				}
				if err := r.remoteRef(kind, key, item.line, where+": remote "+key); err != nil {
					return err
				}
				continue
			}
			an := item.get("address")
			if an == nil {
				return errAt(r.file, item.line, "an entry of %s has neither an address nor a remote", where)
			}
			s, err := r.text(an, "an address in "+where)
			if err != nil {
				return err
			}
			var inScope *bool
			if b, ok := item.get("inScopeEUD").boolean(); ok {
				inScope = &b
			}
			analytics := false
			if c, ok := item.get("category").scalar(); ok && strings.EqualFold(c, "analytics") {
				analytics = true
			}
			entry := where + ": " + s
			if analytics {
				entry += " (category: analytics"
				if inScope != nil {
					entry += fmt.Sprintf(", inScopeEUD: %t", *inScope)
				}
				entry += ")"
			} else if inScope != nil {
				entry += fmt.Sprintf(" (inScopeEUD: %t)", *inScope)
			}
			if err := r.address(kind, s, "", item.line, entry, inScope, analytics); err != nil {
				return err
			}
		default:
			return errAt(r.file, item.line, "an entry of %s should be an address", where)
		}
	}
	return nil
}

// remoteRef records a fetch entry that names a remote: it reaches the remote's hosts.
func (r *forgeReader) remoteRef(kind, key string, line int, entry string) error {
	found := false
	for _, a := range slices.Clone(r.f.Addresses) {
		if a.Kind == AddrRemote && a.Remote == key {
			found = true
			if err := r.address(kind, a.Address, key, line, entry, nil, false); err != nil {
				return err
			}
		}
	}
	if !found {
		r.f.Notes = append(r.f.Notes, fmt.Sprintf("%s (%s line %d) names remote %s, which the manifest does not declare.", entry, r.file, line, key))
	}
	return nil
}

// address records one outside address, with its host and registrable domain.
func (r *forgeReader) address(kind, addr, remote string, line int, entry string, inScope *bool, analytics bool) error {
	if len(r.f.Addresses) >= maxEntries {
		return errAt(r.file, line, "the file declares more than %d outside addresses, far more than an app has; pstab stops reading here", maxEntries)
	}
	a := Address{Kind: kind, Address: addr, Remote: remote, InScopeEUD: inScope, Analytics: analytics,
		Evidence: r.ev(line, clipEntry(entry))}
	if placeholder(addr) {
		r.f.Notes = append(r.f.Notes, fmt.Sprintf("%s (%s line %d) is set at deploy time, so pstab cannot tell its host.", clipEntry(entry), r.file, line))
	} else {
		host, problem := parseHost(addr)
		if problem != "" {
			return errAt(r.file, line, "%q %s", clip(addr), problem)
		}
		a.Host, a.Domain = host, registrable(host)
		a.Atlassian = isAtlassian(a.Domain)
	}
	r.f.Addresses = append(r.f.Addresses, a)
	return nil
}

// modules reads the modules that bear on data: custom entities and SQL (Forge hosted
// storage), the data residency migration hook, and remote endpoints.
func (r *forgeReader) modules(mods *node) error {
	if mods == nil {
		return nil
	}
	if mods.kind != mapNode {
		return errAt(r.file, mods.line, "modules should be a section of module lists, not a list or a single value")
	}
	for i, kind := range mods.keys {
		v := mods.vals[i]
		switch kind {
		case "sql":
			for _, item := range v.list() {
				name := ""
				if k, ok := item.get("key").scalar(); ok {
					name = k
				}
				if p := questionnaire.TextProblem(name, false); p != "" {
					return errAt(r.file, item.line, "the SQL module's key %s", p)
				}
				r.f.Storage = append(r.f.Storage, Storage{Kind: StoreSQL, Name: name, Evidence: r.ev(item.line, "modules.sql: "+name)})
			}
		case "storage":
			if err := r.entities(v, "modules.storage.entities"); err != nil {
				return err
			}
		case "migration:dataResidency":
			e := r.ev(mods.kline[i], "modules.migration:dataResidency")
			r.f.Migration = &e
		default:
			if strings.Contains(strings.ToLower(kind), "objectstore") || strings.Contains(strings.ToLower(kind), "object-store") {
				r.f.Storage = append(r.f.Storage, Storage{Kind: StoreOther, Name: kind, Evidence: r.ev(mods.kline[i], "modules."+kind)})
			}
		}
	}
	return nil
}

// limits refuses a manifest whose lists are far longer than any app's.
func (r *forgeReader) limits() error {
	return checkLimits(r.f, r.file)
}

func checkLimits(f *Facts, file string) error {
	for what, n := range map[string]int{"scopes": len(f.Scopes), "outside addresses": len(f.Addresses),
		"remotes": len(f.Remotes), "hooks": len(f.Hooks), "notes": len(f.Notes)} {
		if n > maxEntries {
			return errAt(file, 0, "the file declares %d %s; pstab reads at most %d, far more than an app has", n, what, maxEntries)
		}
	}
	return nil
}

// clipEntry keeps evidence short enough for one line.
func clipEntry(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:117]) + "..."
	}
	return s
}

// sortedRegions returns the region names, each once, sorted.
func sortedRegions(rs []Region) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rs {
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out
}
