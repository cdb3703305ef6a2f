package fakemarket

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
)

const (
	v3Prefix    = "/marketplace"
	maxPutBody  = 1 << 20
	v2Wrapper   = "appTrustInformation"
	v3Wrapper   = "commonCloud"
	v2AddonsDir = "/rest/2/addons/"
	v3Products  = v3Prefix + "/rest/3/privacy-and-security/products/"
	v3Software  = v3Prefix + "/rest/3/app-software/app-key/"
)

// route dispatches an authenticated (or anonymous) request.
func (s *Server) route(w http.ResponseWriter, r *http.Request, acct Account) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, v2AddonsDir) && strings.HasSuffix(p, "/privacy-and-security"):
		key := strings.TrimSuffix(strings.TrimPrefix(p, v2AddonsDir), "/privacy-and-security")
		if key == "" || strings.Contains(key, "/") {
			break
		}
		s.v2(w, r, acct, key)
		return
	case strings.HasPrefix(p, v3Software):
		key := strings.TrimPrefix(p, v3Software)
		if key == "" || strings.Contains(key, "/") {
			break
		}
		s.appSoftware(w, r, acct, key)
		return
	case strings.HasPrefix(p, v3Products):
		rest := strings.TrimPrefix(p, v3Products)
		id, action, _ := strings.Cut(rest, "/")
		if id == "" || (action != "" && action != "publish") {
			break
		}
		s.v3(w, r, acct, id, action == "publish")
		return
	}
	writeError(w, http.StatusNotFound, strings.HasPrefix(p, v3Prefix), "", "Not Found")
}

// lookup finds an app by key (v2) or product id (v3).
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

func (s *Server) v2(w http.ResponseWriter, r *http.Request, acct Account, key string) {
	ap := s.lookup(key, "")
	if ap == nil {
		writeError(w, http.StatusNotFound, false, "", "Add-on not found")
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
			if !s.mayManage(w, acct, false) {
				return
			}
			s.mu.Lock()
			doc := clone(ap.draft)
			s.mu.Unlock()
			if doc == nil {
				writeError(w, http.StatusNotFound, false, "", "No draft exists for this add-on")
				return
			}
			writeJSON(w, http.StatusOK, doc)
		default:
			writeError(w, http.StatusBadRequest, false, "state", "state must be live or draft")
		}
	case http.MethodPut:
		if !s.mayManage(w, acct, false) {
			return
		}
		info, ok := readBody(w, r, v2Wrapper, false)
		if !ok {
			return
		}
		s.mu.Lock()
		ap.draft = info
		s.mu.Unlock()
		w.Header().Set("Location", r.URL.Path+"?state=draft")
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT")
		writeError(w, http.StatusMethodNotAllowed, false, "", "Method Not Allowed")
	}
}

// mayManage answers 401 or 403 and returns false when the account may not manage apps.
func (s *Server) mayManage(w http.ResponseWriter, acct Account, v3 bool) bool {
	switch {
	case acct.Email == "":
		writeError(w, http.StatusUnauthorized, v3, "", "Authentication required")
		return false
	case acct.NoManageApp:
		writeError(w, http.StatusForbidden, v3, "", "You do not have permission to manage this app")
		return false
	}
	return true
}

// readBody reads and checks a PUT body, answering 400/415 itself when it is wrong, and
// returns the TrustInfo object inside the wrapper without server-owned fields.
func readBody(w http.ResponseWriter, r *http.Request, wrapper string, v3 bool) (map[string]any, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, v3, "", "Content-Type must be application/json")
		return nil, false
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxPutBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, v3, "", "Could not read the request body")
		return nil, false
	}
	if len(data) > maxPutBody {
		writeError(w, http.StatusRequestEntityTooLarge, v3, "", "Request body too large")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		writeError(w, http.StatusBadRequest, v3, "", "Malformed JSON in the request body")
		return nil, false
	}
	if fe := checkBody(doc, wrapper, v3); fe != nil {
		writeError(w, http.StatusBadRequest, v3, fe.path, fe.msg)
		return nil, false
	}
	info := clone(doc.(map[string]any)[wrapper].(map[string]any))
	if props, ok := info["properties"].(map[string]any); ok {
		delete(props, "formStatus") // server-owned
	}
	delete(info, "hasRestAPIExtension")
	delete(info, "supportsConfigurableEgress")
	return info, true
}

func (s *Server) appSoftware(w http.ResponseWriter, r *http.Request, acct Account, key string) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, true, "", "Method Not Allowed")
		return
	}
	if acct.Email == "" {
		writeError(w, http.StatusUnauthorized, true, "", "Authentication required")
		return
	}
	ap := s.lookup(key, "")
	if ap == nil {
		writeError(w, http.StatusNotFound, true, "", "App software not found")
		return
	}
	var list []any
	for i, h := range ap.Hostings {
		e := map[string]any{"hosting": h, "archived": false, "complianceBoundaries": nil}
		if h == "cloud" {
			e["appSoftwareId"] = ap.ProductID
			e["complianceBoundaries"] = []any{"commercial"}
		} else {
			e["appSoftwareId"] = ap.ProductID[:len(ap.ProductID)-1] + string(rune('a'+i))
		}
		list = append(list, e)
	}
	if list == nil {
		list = []any{}
	}
	s.mu.Lock()
	wrapped := s.wrapped
	s.mu.Unlock()
	if wrapped {
		writeJSON(w, http.StatusOK, map[string]any{"items": list, "links": map[string]any{"self": r.URL.Path}})
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) v3(w http.ResponseWriter, r *http.Request, acct Account, id string, publish bool) {
	if acct.Email == "" {
		writeError(w, http.StatusUnauthorized, true, "", "Authentication required")
		return
	}
	ap := s.lookup("", id)
	if ap == nil {
		writeError(w, http.StatusNotFound, true, "", "Product not found")
		return
	}
	if publish {
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, true, "", "Method Not Allowed")
			return
		}
		if !s.mayManage(w, acct, true) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if ap.draft == nil {
			writeError(w, http.StatusNotFound, true, "", "No draft to publish")
			return
		}
		ap.live = ap.draft
		ap.draft = nil
		setFormStatus(ap.live, "SUBMITTED")
		w.WriteHeader(http.StatusNoContent)
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
			if !s.mayManage(w, acct, true) {
				return
			}
			s.mu.Lock()
			doc = clone(ap.draft)
			s.mu.Unlock()
			if doc == nil {
				writeError(w, http.StatusNotFound, true, "", "No draft exists for this product")
				return
			}
		default:
			writeError(w, http.StatusBadRequest, true, "state", "must be live or draft")
			return
		}
		doc["hasRestAPIExtension"] = false
		doc["supportsConfigurableEgress"] = false
		writeJSON(w, http.StatusOK, map[string]any{v3Wrapper: doc})
	case http.MethodPut:
		if !s.mayManage(w, acct, true) {
			return
		}
		info, ok := readBody(w, r, v3Wrapper, true)
		if !ok {
			return
		}
		s.mu.Lock()
		ap.draft = info
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		if !s.mayManage(w, acct, true) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if ap.draft == nil {
			writeError(w, http.StatusNotFound, true, "", "No draft exists for this product")
			return
		}
		ap.draft = nil
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, true, "", "Method Not Allowed")
	}
}
