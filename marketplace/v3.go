package marketplace

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Product names an app on the v3 API: its app key (for messages) and its product id.
// Resolve the id once with ResolveProduct and keep it; it changes only when the app is
// re-listed, and then the v3 calls answer 404 (ErrNotFound) and it must be resolved again.
type Product struct {
	AppKey string
	ID     string
}

func (p Product) check() error {
	if err := checkKey("app key", p.AppKey); err != nil {
		return err
	}
	return checkKey("product id", p.ID)
}

func (c *Client) v3Path(p Product) string {
	return c.v3.Path + "/rest/3/privacy-and-security/products/" + p.ID
}

// ResolveProduct finds the v3 product id of an app's cloud hosting
// (GET /rest/3/app-software/app-key/{appKey}, which lists one entry per hosting). When
// the app has no cloud entry the error matches ErrNoCloudHosting; an unknown app matches
// ErrNotFound.
func (c *Client) ResolveProduct(ctx context.Context, appKey string) (Product, error) {
	if err := checkKey("app key", appKey); err != nil {
		return Product{}, err
	}
	rq := request{method: http.MethodGet, path: c.v3.Path + "/rest/3/app-software/app-key/" + appKey, appKey: appKey, notFound: ErrNotFound}
	body, err := c.do(ctx, call{request: rq, base: c.v3})
	if err != nil {
		return Product{}, err
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		_, err := c.decodeObject(rq, body) // for its message naming the endpoint
		return Product{}, err
	}
	entries, ok := softwareEntries(doc)
	if !ok {
		return Product{}, &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
			Message: fmt.Sprintf("%s %s sent app software in a shape pstab does not know; find the product id in the partner console and set it by hand", rq.method, rq.path)}
	}
	return c.pickCloud(rq, entries)
}

// softwareEntry is one hosting of an app, as the app-software endpoint lists it.
type softwareEntry struct {
	hosting    string
	id         string
	archived   bool
	boundaries []string
}

// softwareEntries reads the app-software response, whose shape is only partly known: a
// list of entries, an object holding such a list (under items, values, results, ... or
// _embedded), or a single entry.
func softwareEntries(doc any) ([]softwareEntry, bool) {
	switch v := doc.(type) {
	case []any:
		var out []softwareEntry
		for _, item := range v {
			obj, ok := item.(map[string]any)
			if !ok {
				return nil, false
			}
			out = append(out, entryOf(obj))
		}
		return out, true
	case map[string]any:
		if firstString(v, "hosting", "hostingType") != "" {
			return []softwareEntry{entryOf(v)}, true
		}
		for _, k := range []string{"items", "values", "results", "appSoftware", "entries", "data", "_embedded"} {
			if inner, ok := v[k]; ok {
				if out, ok := softwareEntries(inner); ok {
					return out, true
				}
			}
		}
		keys := slices.Sorted(maps.Keys(v))
		for _, k := range keys {
			if list, ok := v[k].([]any); ok {
				if out, ok := softwareEntries(list); ok && len(out) > 0 {
					return out, true
				}
			}
		}
	}
	return nil, false
}

func entryOf(obj map[string]any) softwareEntry {
	e := softwareEntry{
		hosting: firstString(obj, "hosting", "hostingType"),
		// productId is what the Privacy & Security path asks for; the entries seen so far
		// carry appSoftwareId.
		id: firstString(obj, "productId", "appSoftwareId", "id"),
	}
	e.archived, _ = obj["archived"].(bool)
	if list, ok := obj["complianceBoundaries"].([]any); ok {
		for _, b := range list {
			if s, ok := b.(string); ok {
				e.boundaries = append(e.boundaries, strings.ToLower(s))
			}
		}
	}
	return e
}

// pickCloud chooses the cloud entry: not archived before archived, the commercial
// compliance boundary before others, then the first listed.
func (c *Client) pickCloud(rq request, entries []softwareEntry) (Product, error) {
	var cloud []softwareEntry
	var others []string
	for _, e := range entries {
		if strings.EqualFold(e.hosting, "cloud") {
			cloud = append(cloud, e)
		} else if h := cleanText(strings.ToLower(e.hosting), 30); h != "" && !slices.Contains(others, h) {
			others = append(others, h)
		}
	}
	if len(cloud) == 0 {
		found := "no hosting at all"
		if len(others) > 0 {
			found = "only " + strings.Join(others, " and ")
		}
		return Product{}, &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrNoCloudHosting,
			Message: fmt.Sprintf("%s has no cloud version on the Marketplace (it lists %s), and the Privacy & Security tab exists only for cloud apps", rq.appKey, found)}
	}
	score := func(e softwareEntry) int {
		s := 0
		if !e.archived {
			s += 2
		}
		if slices.Contains(e.boundaries, "commercial") {
			s++
		}
		return s
	}
	best := cloud[0]
	for _, e := range cloud[1:] {
		if score(e) > score(best) {
			best = e
		}
	}
	p := Product{AppKey: rq.appKey, ID: best.id}
	if err := checkKey("product id", p.ID); err != nil {
		return Product{}, &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
			Message: fmt.Sprintf("%s %s listed a cloud entry for %s without a usable product id", rq.method, rq.path, rq.appKey)}
	}
	return p, nil
}

// GetV3 reads the live or draft version from the v3 API
// (GET /rest/3/privacy-and-security/products/{productId}, with ?state=draft for the
// draft). An empty state means Live. With no draft, the error matches ErrNoDraft.
func (c *Client) GetV3(ctx context.Context, p Product, state State) (*Document, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	state, err := checkState(state)
	if err != nil {
		return nil, err
	}
	rq := request{method: http.MethodGet, path: c.v3Path(p), appKey: p.AppKey, productID: p.ID, notFound: ErrNotFound}
	var q url.Values
	if state == Draft {
		q = url.Values{"state": {string(Draft)}}
		rq.notFound = ErrNoDraft
	}
	return c.getDocument(ctx, call{request: rq, base: c.v3, query: q}, state, v3Key)
}

// PutDraftV3 creates or replaces the whole draft on the v3 API (PUT with
// {"commonCloud": info}). It does not publish.
func (c *Client) PutDraftV3(ctx context.Context, p Product, info map[string]any) error {
	if err := p.check(); err != nil {
		return err
	}
	body, err := encodeBody(v3Key, info)
	if err != nil {
		return err
	}
	rq := request{method: http.MethodPut, path: c.v3Path(p), appKey: p.AppKey, productID: p.ID, notFound: ErrNotFound}
	_, err = c.do(ctx, call{request: rq, base: c.v3, body: body})
	return err
}

// DeleteDraftV3 deletes the draft on the v3 API; the live version is untouched. With no
// draft, the error matches ErrNoDraft.
func (c *Client) DeleteDraftV3(ctx context.Context, p Product) error {
	if err := p.check(); err != nil {
		return err
	}
	rq := request{method: http.MethodDelete, path: c.v3Path(p), appKey: p.AppKey, productID: p.ID, notFound: ErrNoDraft}
	_, err := c.do(ctx, call{request: rq, base: c.v3})
	return err
}

// PublishV3 publishes the current draft (POST .../publish). Read the live version
// afterwards for its formStatus. A publish is never repeated after it may have reached
// the server: a network error after sending, a 502 or a 504 is returned, not retried.
func (c *Client) PublishV3(ctx context.Context, p Product) error {
	if err := p.check(); err != nil {
		return err
	}
	rq := request{method: http.MethodPost, path: c.v3Path(p) + "/publish", appKey: p.AppKey, productID: p.ID, notFound: ErrNoDraft}
	_, err := c.do(ctx, call{request: rq, base: c.v3})
	return err
}
