package fakemarket

import (
	"encoding/json"
	"fmt"
)

// stamp sets a version's properties after a save, a publish or a review: the form status,
// who did it, and a new updatedAt, later than any before. s.mu is held.
func (s *Server) stamp(info map[string]any, status, by string) map[string]any {
	props, _ := info["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		info["properties"] = props
	}
	ms := max(s.clock().UnixMilli(), s.lastMS+1)
	s.lastMS = ms
	props["formStatus"] = status
	props["updatedAt"] = json.Number(fmt.Sprint(ms))
	if by != "" {
		props["updatedBy"] = by
	}
	return props
}

// normalise stores a TrustInfo object as the server keeps it: without nulls, and with
// tri-states as upper-case strings. s.mu may be held.
func (s *Server) normalise(info map[string]any) map[string]any {
	if info == nil || s.raw {
		return info
	}
	dropNulls(info)
	for _, f := range Schema() {
		if f.Type != TypeTri {
			continue
		}
		parent, key := lookupParent(info, f.Path)
		if parent == nil {
			continue
		}
		switch v := parent[key].(type) {
		case bool:
			if v {
				parent[key] = "TRUE"
			} else {
				parent[key] = "FALSE"
			}
		}
	}
	return info
}

func dropNulls(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			dropNulls(x)
		case []any:
			for _, item := range x {
				if obj, ok := item.(map[string]any); ok {
					dropNulls(obj)
				}
			}
		}
	}
}

// lookupParent returns the object holding the last key of a dotted path, and that key.
func lookupParent(root map[string]any, path string) (map[string]any, string) {
	obj := root
	start := 0
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		next, ok := obj[path[start:i]].(map[string]any)
		if !ok {
			return nil, ""
		}
		obj, start = next, i+1
	}
	return obj, path[start:]
}
