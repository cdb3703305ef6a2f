package marketplace

import (
	"context"
	"net/http"
	"net/url"
)

// Product names an app on the v3 API: its app key (for messages) and its product id, the
// listing's productId (not the appSoftwareId that app-software/app-key gives, which the
// Privacy & Security path does not take). Resolve the id once with ResolveProduct and
// keep it; it changes only when the app is re-listed, and then the v3 calls answer 404
// (ErrNotFound) and it must be resolved again.
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
	return c.getDocument(ctx, call{request: rq, base: c.v3, query: q}, state, v3Key, v3GetKey)
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
