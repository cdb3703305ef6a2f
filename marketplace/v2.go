package marketplace

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// v2Path is the Privacy & Security resource of an app on the v2 API.
func v2Path(appKey string) string {
	return "/rest/2/addons/" + appKey + "/privacy-and-security"
}

func checkState(state State) (State, error) {
	switch state {
	case "":
		return Live, nil
	case Live, Draft:
		return state, nil
	}
	return "", fmt.Errorf("%q is not a state: use live or draft", cleanText(string(state), 50))
}

// GetV2 reads the live or draft Privacy & Security version of an app from the v2 API
// (GET /rest/2/addons/{appKey}/privacy-and-security?state=...). An empty state means
// Live. Reading the live version needs no credentials; reading the draft needs Manage App
// permission. A 404 matches ErrNotFound for live and ErrNoDraft for draft.
func (c *Client) GetV2(ctx context.Context, appKey string, state State) (*Document, error) {
	if err := checkKey("app key", appKey); err != nil {
		return nil, err
	}
	state, err := checkState(state)
	if err != nil {
		return nil, err
	}
	rq := request{method: http.MethodGet, path: c.v2.Path + v2Path(appKey), appKey: appKey, notFound: ErrNotFound}
	if state == Draft {
		rq.notFound = ErrNoDraft
	}
	// v2 returns the TrustInfo object itself; a body wrapped like the PUT is accepted too.
	return c.getDocument(ctx, call{request: rq, base: c.v2, query: url.Values{"state": {string(state)}}}, state, v2PutKey)
}

// getDocument sends a GET and reads its body as a TrustInfo object, bare or wrapped in the
// first of keys it holds.
func (c *Client) getDocument(ctx context.Context, cl call, state State, keys ...string) (*Document, error) {
	body, found, err := c.doRedacted(ctx, cl)
	if err != nil {
		return nil, err
	}
	obj, err := c.decodeObject(cl.request, body)
	if err != nil {
		return nil, err
	}
	info, ok := unwrap(obj, keys...)
	if !ok {
		return nil, c.shapeError(cl.request, keys[0])
	}
	return &Document{State: state, TrustInfo: info, Raw: body, Redacted: found}, nil
}

// PutDraftV2 creates or replaces the draft of an app on the v2 API (PUT
// /rest/2/addons/{appKey}/privacy-and-security with {"appTrustInformation": info}). The
// server answers 204; it does not publish. Read the draft back with GetV2 and compare with
// Mismatches before telling the user it landed.
func (c *Client) PutDraftV2(ctx context.Context, appKey string, info map[string]any) error {
	if err := checkKey("app key", appKey); err != nil {
		return err
	}
	body, err := encodeBody(v2PutKey, info)
	if err != nil {
		return err
	}
	rq := request{method: http.MethodPut, path: c.v2.Path + v2Path(appKey), appKey: appKey, notFound: ErrNotFound}
	_, err = c.do(ctx, call{request: rq, base: c.v2, body: body})
	return err
}

func (c *Client) shapeError(rq request, key string) error {
	return &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
		Message: fmt.Sprintf("%s %s sent a %q that is not an object; the Marketplace may have changed its API", rq.method, rq.path, key)}
}
