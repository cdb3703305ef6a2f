package fakemarket

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const (
	v3Prefix    = "/marketplace"
	maxPutBody  = 1 << 20
	v2Wrapper   = "appTrustInformation"
	v3Wrapper   = "commonCloud"
	v3GetCommon = "common"
	v2AddonsDir = "/rest/2/addons/"
	v3Products  = v3Prefix + "/rest/3/privacy-and-security/products/"
	v3Software  = v3Prefix + "/rest/3/app-software/app-key/"
	v3Vendor    = v3Prefix + "/rest/3/developer-space/vendor/"
	v3Listings  = v3Prefix + "/rest/3/product-listing/developer-space/"
)

// route dispatches an authenticated (or anonymous) request.
func (s *Server) route(w http.ResponseWriter, r *http.Request, acct Account, entry *Request) {
	p := r.URL.Path
	one := func(prefix string) (string, bool) {
		rest, ok := strings.CutPrefix(p, prefix)
		return rest, ok && rest != "" && !strings.Contains(rest, "/")
	}
	switch {
	case strings.HasPrefix(p, v2AddonsDir) && strings.HasSuffix(p, "/privacy-and-security"):
		key := strings.TrimSuffix(strings.TrimPrefix(p, v2AddonsDir), "/privacy-and-security")
		if key == "" || strings.Contains(key, "/") {
			break
		}
		s.v2(w, r, acct, key, entry)
		return
	case strings.HasPrefix(p, v3Software):
		if key, ok := one(v3Software); ok {
			s.appSoftware(w, r, acct, key)
			return
		}
	case strings.HasPrefix(p, v3Vendor):
		if id, ok := one(v3Vendor); ok {
			s.developerSpace(w, r, acct, id)
			return
		}
	case strings.HasPrefix(p, v3Listings):
		if id, ok := one(v3Listings); ok {
			s.listings(w, r, acct, id)
			return
		}
	case strings.HasPrefix(p, v3Products):
		rest := strings.TrimPrefix(p, v3Products)
		id, action, _ := strings.Cut(rest, "/")
		if id == "" || (action != "" && action != "publish") {
			break
		}
		s.v3(w, r, acct, id, action == "publish", entry)
		return
	}
	writeError(w, http.StatusNotFound, "", "Not Found")
}

// lookup finds an app by key (v2) or product id (v3). An app-software id is not a
// product id: it finds nothing.
func (s *Server) lookup(key, productID string) *app {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		return s.apps[key]
	}
	for _, ap := range s.apps {
		if ap.ProductID == productID {
			return ap
		}
	}
	return nil
}

func (s *Server) v2(w http.ResponseWriter, r *http.Request, acct Account, key string, entry *Request) {
	ap := s.lookup(key, "")
	if ap == nil {
		writeError(w, http.StatusNotFound, "", "Add-on not found")
		return
	}
	manage := acct.Email != "" && !acct.NoManageApp
	switch r.Method {
	case http.MethodGet:
		state := r.URL.Query().Get("state")
		if state == "" { // the documented default: the draft for a manager when there is one
			state = "live"
			s.mu.Lock()
			if manage && ap.draft != nil {
				state = "draft"
			}
			s.mu.Unlock()
		}
		switch state {
		case "live":
			s.mu.Lock()
			doc := clone(ap.live)
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, doc)
		case "draft":
			if !s.mayManage(w, acct) {
				return
			}
			s.mu.Lock()
			doc := clone(ap.draft)
			s.mu.Unlock()
			if doc == nil {
				writeError(w, http.StatusNotFound, "", "No draft exists for this add-on")
				return
			}
			writeJSON(w, http.StatusOK, doc)
		default:
			writeErrors(w, http.StatusBadRequest, []Error{{Code: "INVALID_ENUM_VALUE", Message: "Invalid value for state. Must be LIVE or DRAFT"}})
		}
	case http.MethodPut:
		if !s.mayManage(w, acct) {
			return
		}
		info, ok := s.readBody(w, r, v2Wrapper, entry)
		if !ok {
			return
		}
		s.mu.Lock()
		ap.draft = s.normalise(info)
		s.stamp(ap.draft, "SAVED", acct.Email)
		s.mu.Unlock()
		w.Header().Set("Location", r.URL.Path+"?state=draft")
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT")
		writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
	}
}

// mayManage answers 401 or 403 and returns false when the account may not manage apps.
func (s *Server) mayManage(w http.ResponseWriter, acct Account) bool {
	switch {
	case acct.Email == "":
		writeError(w, http.StatusUnauthorized, "", "Authentication required")
		return false
	case acct.NoManageApp:
		writeError(w, http.StatusForbidden, "", "You do not have permission to manage this app")
		return false
	}
	return true
}

// readBody reads and checks a PUT body against the published schema, answering 400 with
// every error (or 413/415) itself when it is wrong, and returns the object inside the
// wrapper.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, wrapper string, entry *Request) (map[string]any, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "", "Content-Type must be application/json")
		return nil, false
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxPutBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "", "Could not read the request body")
		return nil, false
	}
	if len(data) > maxPutBody {
		writeError(w, http.StatusRequestEntityTooLarge, "", "Request body too large")
		return nil, false
	}
	entry.Body = string(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		writeErrors(w, http.StatusBadRequest, []Error{{Code: "INVALID_JSON", Message: "Malformed JSON in the request body"}})
		return nil, false
	}
	if errs := ValidateBody(doc, wrapper); len(errs) > 0 {
		writeErrors(w, http.StatusBadRequest, errs)
		return nil, false
	}
	return clone(doc.(map[string]any)[wrapper].(map[string]any)), true
}

// appSoftware lists an app's app software, one entry per hosting, as the published
// schema describes it: an appSoftwareId (not the product id) and the hosting.
func (s *Server) appSoftware(w http.ResponseWriter, r *http.Request, acct Account, key string) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
		return
	}
	if acct.Email == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []any{map[string]any{
			"status": "401", "code": "UNAUTHORIZED", "title": "Authentication required", "detail": "Authentication required for API access"}}})
		return
	}
	ap := s.lookup(key, "")
	if ap == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": []any{map[string]any{
			"status": "404", "code": "APP_KEY_NOT_FOUND", "title": "App key not found",
			"detail": "No app software found for the specified app key '" + key + "'"}}})
		return
	}
	list := []any{}
	for _, h := range ap.Hostings {
		e := map[string]any{"appSoftwareId": ap.softwareIDs[h], "hosting": h, "complianceBoundaries": nil}
		if h == "cloud" {
			e["complianceBoundaries"] = []any{"commercial"}
		}
		list = append(list, e)
	}
	writeJSON(w, http.StatusOK, list)
}

// developerSpace answers the developer id of a vendor.
func (s *Server) developerSpace(w http.ResponseWriter, r *http.Request, acct Account, vendorID string) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
		return
	}
	if acct.Email == "" {
		writeError(w, http.StatusUnauthorized, "", "Unauthorised")
		return
	}
	s.mu.Lock()
	dev, ok := s.vendors[vendorID]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "", "The resource does not exist")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"developerId": dev})
}

// listings answers one page of a developer's listings, ordered by app key. The cursor is
// opaque to clients: here the base64 of the offset.
func (s *Server) listings(w http.ResponseWriter, r *http.Request, acct Account, developerID string) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
		return
	}
	if acct.Email == "" {
		writeError(w, http.StatusForbidden, "", "Forbidden - insufficient permissions to access this resource")
		return
	}
	q := r.URL.Query()
	limit := 10
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			writeError(w, http.StatusBadRequest, "", "limit must be between 1 and 50")
			return
		}
		limit = n
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		b, err := base64.StdEncoding.DecodeString(c)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "", "invalid cursor")
			return
		}
		offset = n
	}
	private := q.Get("includePrivate") == "true"
	s.mu.Lock()
	known := false
	var vendor string
	for v, d := range s.vendors {
		if d == developerID {
			known, vendor = true, v
		}
	}
	var mine []*app
	for _, ap := range s.apps {
		if ap.Vendor == vendor && (private || !ap.Private) {
			mine = append(mine, ap)
		}
	}
	s.mu.Unlock()
	if !known {
		writeError(w, http.StatusNotFound, "", "Developer not found")
		return
	}
	slices.SortFunc(mine, func(a, b *app) int { return strings.Compare(a.Key, b.Key) })
	self := v3Listings[len(v3Prefix):] + developerID
	page := map[string]any{"self": fmt.Sprintf("%s?limit=%d", self, limit)}
	items := []any{}
	for i := offset; i < len(mine) && i < offset+limit; i++ {
		items = append(items, listingItem(mine[i], developerID))
	}
	if offset+limit < len(mine) {
		page["next"] = fmt.Sprintf("%s?limit=%d&cursor=%s", self, limit, base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(offset+limit))))
	}
	writeJSON(w, http.StatusOK, map[string]any{"links": page, "items": items})
}

func listingItem(ap *app, developerID string) map[string]any {
	state := "PUBLIC"
	if ap.Private {
		state = "PRIVATE"
	}
	status := "NON_PARTICIPANT"
	if ap.BugBounty {
		status = "APPROVED"
	}
	item := map[string]any{
		"productId": ap.ProductID, "appKey": ap.Key, "developerId": developerID, "appName": ap.Name,
		"communityEnabled": false, "state": state, "approvalStatus": "APPROVED", "slug": ap.Key,
		"cloudComplianceBoundary": false,
		"enrolledPrograms": []any{map[string]any{"id": "bugBountyParticipant", "name": "Bug Bounty Participant Program",
			"hostingType": "CLOUD", "status": status}},
	}
	if ap.PrivacyURL != "" {
		item["developerLinks"] = map[string]any{"privacy": ap.PrivacyURL}
	}
	return item
}

func (s *Server) v3(w http.ResponseWriter, r *http.Request, acct Account, id string, publish bool, entry *Request) {
	ap := s.lookup("", id)
	if ap == nil {
		w.WriteHeader(http.StatusNotFound) // the documented 404 has no body
		return
	}
	if publish {
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
			return
		}
		if !s.mayManage(w, acct) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if ap.draft == nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		ap.live = ap.draft
		ap.draft = nil
		props := s.stamp(ap.live, "SUBMITTED", acct.Email)
		delete(props, "jiraLinks")
		w.WriteHeader(http.StatusOK)
		return
	}
	switch r.Method {
	case http.MethodGet:
		var doc map[string]any
		switch r.URL.Query().Get("state") {
		case "", "live":
			s.mu.Lock()
			doc = clone(ap.live)
			s.mu.Unlock()
		case "draft":
			if !s.mayManage(w, acct) {
				return
			}
			s.mu.Lock()
			doc = clone(ap.draft)
			s.mu.Unlock()
			if doc == nil {
				w.WriteHeader(http.StatusNotFound)
				return
			}
		default:
			writeErrors(w, http.StatusBadRequest, []Error{{Code: "INVALID_ENUM_VALUE", Message: "Invalid value for state. Must be LIVE or DRAFT"}})
			return
		}
		doc["hasRestAPIExtension"] = false
		doc["supportsConfigurableEgress"] = false
		s.mu.Lock()
		wrapper := v3Wrapper
		if s.common {
			wrapper = v3GetCommon
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{wrapper: doc})
	case http.MethodPut:
		if !s.mayManage(w, acct) {
			return
		}
		info, ok := s.readBody(w, r, v3Wrapper, entry)
		if !ok {
			return
		}
		s.mu.Lock()
		created := ap.draft == nil
		ap.draft = s.normalise(info)
		s.stamp(ap.draft, "SAVED", acct.Email)
		s.mu.Unlock()
		if created {
			w.WriteHeader(http.StatusCreated)
		} else {
			w.WriteHeader(http.StatusOK)
		}
	case http.MethodDelete:
		if !s.mayManage(w, acct) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if ap.draft == nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		ap.draft = nil
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "", "Method Not Allowed")
	}
}
