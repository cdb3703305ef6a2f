package marketplace

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The v3 product id of an app is its listing's productId. It is found from the partner's
// vendor id: GET /rest/3/developer-space/vendor/{vendorId} gives the developer space's id,
// and GET /rest/3/product-listing/developer-space/{developerId}?includePrivate=true lists
// the developer's listings (a page at a time, following links.next), each with its
// productId and appKey.

// listingPageSize is how many listings one page asks for: the most the API allows.
const listingPageSize = 50

// maxListingPages bounds how many pages ResolveProduct follows, so that a server whose
// links.next never ends cannot keep it busy: 200 pages are 10,000 listings.
const maxListingPages = 200

// vendorPattern is what a Marketplace vendor id looks like: a number.
var vendorPattern = regexp.MustCompile(`^[0-9]{1,19}$`)

// CheckVendorID refuses a vendor id that is not the number the Marketplace uses.
func CheckVendorID(id string) error {
	if !vendorPattern.MatchString(id) {
		return fmt.Errorf("%q is not a Marketplace vendor id: it is a number, such as 1234567", cleanText(id, 40))
	}
	return nil
}

// uuidPattern is the form of a v3 product id.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// CheckProductID refuses a product id that is not a UUID, the form the v3 Privacy &
// Security path takes.
func CheckProductID(id string) error {
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("%q is not a Marketplace product id: it is a UUID such as 12345678-1234-1234-1234-123456789abc", cleanText(id, 60))
	}
	return nil
}

// Listing is what an app's listing says that the Privacy & Security tab shows: facts the
// partner does not answer in the form.
type Listing struct {
	ProductID   string
	AppKey      string
	DeveloperID string
	Name        string
	// PrivacyURL is the listing's privacy policy link (developerLinks.privacy), or "".
	PrivacyURL string
	// BugBounty says whether the cloud app is enrolled in the Marketplace Bug Bounty
	// program (enrolledPrograms holds bugBountyParticipant for CLOUD with status
	// APPROVED); nil when the listing does not list its programs at all.
	BugBounty *bool
}

// DeveloperID returns the id of the developer space of a Marketplace vendor. An unknown
// vendor matches ErrNotFound.
func (c *Client) DeveloperID(ctx context.Context, vendorID string) (string, error) {
	if err := CheckVendorID(vendorID); err != nil {
		return "", err
	}
	rq := request{method: http.MethodGet, path: c.v3.Path + "/rest/3/developer-space/vendor/" + vendorID,
		notFound: ErrNotFound, what: "vendor " + vendorID}
	body, err := c.do(ctx, call{request: rq, base: c.v3})
	if err != nil {
		return "", err
	}
	obj, err := c.decodeObject(rq, body)
	if err != nil {
		return "", err
	}
	id, _ := obj["developerId"].(string)
	if err := checkKey("developer id", id); err != nil {
		return "", &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
			Message: fmt.Sprintf("%s %s sent no usable developerId for vendor %s", rq.method, rq.path, vendorID)}
	}
	return id, nil
}

// ResolveProduct finds the listing of an app among the listings of a vendor's developer
// space, private ones included, and returns its product and what the listing says. An app
// the vendor does not list matches ErrNotFound.
func (c *Client) ResolveProduct(ctx context.Context, vendorID, appKey string) (Product, Listing, error) {
	if err := checkKey("app key", appKey); err != nil {
		return Product{}, Listing{}, err
	}
	devID, err := c.DeveloperID(ctx, vendorID)
	if err != nil {
		return Product{}, Listing{}, err
	}
	path := c.v3.Path + "/rest/3/product-listing/developer-space/" + url.PathEscape(devID)
	cursor := ""
	seen := map[string]bool{}
	listed := 0
	for page := 0; page < maxListingPages; page++ {
		q := url.Values{"includePrivate": {"true"}, "limit": {strconv.Itoa(listingPageSize)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		rq := request{method: http.MethodGet, path: path, notFound: ErrNotFound, what: "developer space " + devID}
		body, err := c.do(ctx, call{request: rq, base: c.v3, query: q})
		if err != nil {
			return Product{}, Listing{}, err
		}
		var doc struct {
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			_, err := c.decodeObject(rq, body)
			if err == nil {
				err = &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
					Message: fmt.Sprintf("%s %s sent listings in a shape pstab does not know; give the product id with --product-id", rq.method, rq.path)}
			}
			return Product{}, Listing{}, err
		}
		for _, raw := range doc.Items {
			l, ok := listingOf(raw)
			if !ok {
				continue
			}
			listed++
			if l.AppKey != appKey {
				continue
			}
			if err := checkKey("product id", l.ProductID); err != nil {
				return Product{}, Listing{}, &APIError{Method: rq.method, Path: rq.path, Status: 200, kind: ErrMalformed,
					Message: fmt.Sprintf("%s %s listed %s without a usable productId", rq.method, rq.path, appKey)}
			}
			return Product{AppKey: appKey, ID: l.ProductID}, l, nil
		}
		next := nextCursor(doc.Links.Next)
		if next == "" || seen[next] {
			break
		}
		seen[next] = true
		cursor = next
	}
	return Product{}, Listing{}, &APIError{Method: http.MethodGet, Path: path, Status: 200, kind: ErrNotFound,
		Message: fmt.Sprintf("vendor %s lists no app %s (%d %s seen, private ones included); check the app key and the vendor id, or give the product id with --product-id",
			vendorID, appKey, listed, plural(listed, "listing", "listings"))}
}

// nextCursor reads the cursor of a links.next URL. Only the cursor is taken: the next
// request is built against the configured API, so that a link cannot send it, and the
// token, anywhere else.
func nextCursor(next string) string {
	if strings.TrimSpace(next) == "" {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil {
		return ""
	}
	return u.Query().Get("cursor")
}

// listingOf reads one item of a listing page.
func listingOf(raw json.RawMessage) (Listing, bool) {
	var item struct {
		ProductID      string `json:"productId"`
		AppKey         string `json:"appKey"`
		DeveloperID    string `json:"developerId"`
		AppName        string `json:"appName"`
		DeveloperLinks struct {
			Privacy string `json:"privacy"`
		} `json:"developerLinks"`
		EnrolledPrograms *[]struct {
			ID          string `json:"id"`
			HostingType string `json:"hostingType"`
			Status      string `json:"status"`
		} `json:"enrolledPrograms"`
	}
	if json.Unmarshal(raw, &item) != nil || item.AppKey == "" {
		return Listing{}, false
	}
	l := Listing{ProductID: item.ProductID, AppKey: item.AppKey, DeveloperID: item.DeveloperID,
		Name: cleanText(item.AppName, 200), PrivacyURL: item.DeveloperLinks.Privacy}
	if item.EnrolledPrograms != nil {
		enrolled := false
		for _, p := range *item.EnrolledPrograms {
			approved := p.Status == "" || strings.EqualFold(p.Status, "APPROVED")
			if p.ID == "bugBountyParticipant" && strings.EqualFold(p.HostingType, "cloud") && approved {
				enrolled = true
			}
		}
		l.BugBounty = &enrolled
	}
	return l, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
