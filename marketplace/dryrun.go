package marketplace

import "net/http"

// DraftRequestV2 returns the method, URL and exact body PutDraftV2 would send for an app,
// without sending anything (pstab push --dry-run).
func (c *Client) DraftRequestV2(appKey string, info map[string]any) (method, url string, body []byte, err error) {
	if err := checkKey("app key", appKey); err != nil {
		return "", "", nil, err
	}
	body, err = encodeBody(v2PutKey, info)
	return http.MethodPut, c.v2.Scheme + "://" + c.v2.Host + c.v2.Path + v2Path(appKey), body, err
}

// DraftRequestV3 returns the method, URL and exact body PutDraftV3 would send. A product
// without an id (not resolved yet) shows {productId} in the URL.
func (c *Client) DraftRequestV3(p Product, info map[string]any) (method, url string, body []byte, err error) {
	if p.ID == "" {
		p.ID = "{productId}"
	}
	body, err = encodeBody(v3Key, info)
	return http.MethodPut, c.v3.Scheme + "://" + c.v3.Host + c.v3Path(p), body, err
}
