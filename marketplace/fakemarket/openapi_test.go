package fakemarket_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pstab/pstab/marketplace/fakemarket"
)

// openAPIName is Atlassian's OpenAPI description of the Privacy & Security paths, kept
// beside the repository (not in it). PSTAB_OPENAPI_FILE names another copy.
const openAPIName = "marketplace-openapi-privacy.json"

// openAPI reads the published OpenAPI document, or skips the test when it is not at hand
// (a CI clone has only the repository).
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	path := os.Getenv("PSTAB_OPENAPI_FILE")
	if path == "" {
		path = findShared(t)
	}
	if path == "" {
		t.Skipf("%s is not beside the repository (../shared) and PSTAB_OPENAPI_FILE is not set; nothing to compare the schema with", openAPIName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	return doc
}

// findShared looks for shared/<openAPIName> beside the repository root, or beside the
// folders above it (a git worktree sits one level deeper than the main checkout).
func findShared(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
	for i := 0; i < 3 && filepath.Dir(dir) != dir; i++ {
		dir = filepath.Dir(dir)
		if p := filepath.Join(dir, "shared", openAPIName); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// flatSchema is the published schema of one object, field by field, in the fake's terms.
type flatSchema map[string]fakemarket.Field

// flatten walks an OpenAPI schema (following $ref) and records every field under prefix.
func flatten(t *testing.T, schemas map[string]any, s map[string]any, prefix string, out flatSchema, depth int) {
	t.Helper()
	if depth > 20 {
		t.Fatalf("the schema nests deeper than 20 at %s", prefix)
	}
	s = deref(t, schemas, s)
	props, _ := s["properties"].(map[string]any)
	for _, name := range sortedKeys(props) {
		p := deref(t, schemas, props[name].(map[string]any))
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		f := fakemarket.Field{Path: path}
		f.Format, _ = p["format"].(string)
		typ, _ := p["type"].(string)
		if typ == "" && p["properties"] != nil {
			typ = "object"
		}
		switch typ {
		case "boolean":
			f.Type = fakemarket.TypeBool
		case "integer":
			f.Type = fakemarket.TypeInt
			f.Format = "" // int32
		case "number":
			f.Type = fakemarket.TypeNumber
			f.Format = "" // int64
		case "string":
			f.Type = fakemarket.TypeString
			if enum, ok := p["enum"].([]any); ok {
				f.Enum = enum
				for _, e := range enum {
					if _, isBool := e.(bool); isBool {
						f.Type = fakemarket.TypeTri // "type": "string" with true and false in its enum
					}
				}
			}
		case "object":
			f.Type = fakemarket.TypeObject
			out[path] = f
			flatten(t, schemas, p, path, out, depth+1)
			continue
		case "array":
			items := deref(t, schemas, p["items"].(map[string]any))
			switch it, _ := items["type"].(string); {
			case it == "string":
				f.Type = fakemarket.TypeStrings
				if f.Format == "" {
					f.Format, _ = items["format"].(string)
				}
			case it == "object" || items["properties"] != nil:
				f.Type = fakemarket.TypeObjects
				out[path] = f
				flatten(t, schemas, items, path+"[]", out, depth+1)
				continue
			default:
				t.Fatalf("%s: an array of %q, which the fake does not know", path, it)
			}
		default:
			t.Fatalf("%s: type %q, which the fake does not know", path, typ)
		}
		out[path] = f
	}
}

func deref(t *testing.T, schemas map[string]any, s map[string]any) map[string]any {
	t.Helper()
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	name := strings.TrimPrefix(ref, "#/components/schemas/")
	target, ok := schemas[name].(map[string]any)
	if !ok {
		t.Fatalf("the schema refers to %s, which it does not define", ref)
	}
	return target
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func describe(f fakemarket.Field) string {
	enum := make([]string, len(f.Enum))
	for i, e := range f.Enum {
		enum[i] = fmt.Sprint(e)
	}
	sort.Strings(enum)
	return fmt.Sprintf("%s %s enum[%s] format %q", f.Path, f.Type, strings.Join(enum, ","), f.Format)
}

// TestSchemaMatchesTheOpenAPI compares the fake's schema, field by field, with the one
// Atlassian publishes: the PUT body's object, and the GET's read-only properties.
func TestSchemaMatchesTheOpenAPI(t *testing.T) {
	doc := openAPI(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)

	// The PUT body is {"commonCloud": AppTrustInformation}, commonCloud required.
	body := schemas["AppPrivacyAndSecurity"].(map[string]any)
	if req, _ := body["required"].([]any); len(req) != 1 || req[0] != "commonCloud" {
		t.Errorf("the PUT body requires %v, want [commonCloud]", req)
	}
	put := flatSchema{}
	flatten(t, schemas, body["properties"].(map[string]any)["commonCloud"].(map[string]any), "", put, 0)
	var groups []string
	for p := range put {
		if !strings.Contains(p, ".") {
			groups = append(groups, p)
		}
	}
	sort.Strings(groups)
	want := slices.Clone(fakemarket.Groups)
	sort.Strings(want)
	if !slices.Equal(groups, want) {
		t.Errorf("the PUT body's groups are %v, the fake's %v", groups, want)
	}
	compare := func(what string, published flatSchema, ours []fakemarket.Field) {
		mine := flatSchema{}
		for _, f := range ours {
			if f.Extra {
				if _, documented := published[f.Path]; documented {
					t.Errorf("%s: %s is marked as newer than the schema, but the schema has it", what, f.Path)
				}
				continue
			}
			mine[f.Path] = f
		}
		for _, p := range sortedFields(published) {
			f, ok := mine[p]
			switch {
			case !ok:
				t.Errorf("%s: the published schema has %s; the fake does not", what, describe(published[p]))
			case describe(f) != describe(published[p]):
				t.Errorf("%s: published %s\n\tthe fake's %s", what, describe(published[p]), describe(f))
			}
		}
		for _, p := range sortedFields(mine) {
			if _, ok := published[p]; !ok {
				t.Errorf("%s: the fake has %s, which the published schema does not", what, p)
			}
		}
	}
	compare("PUT body", put, fakemarket.Schema())

	// The GET's TrustInfo wraps CommonTrustInfo in "common": the seven groups and the
	// read-only properties.
	get := flatSchema{}
	flatten(t, schemas, schemas["TrustInfo"].(map[string]any)["properties"].(map[string]any)["common"].(map[string]any), "", get, 0)
	props := flatSchema{}
	for p, f := range get {
		if p == "properties" || strings.HasPrefix(p, "properties.") {
			props[p] = f
			continue
		}
		if _, ok := put[p]; !ok {
			t.Errorf("the GET has %s, which the PUT body does not", p)
		}
	}
	compare("GET properties", props, fakemarket.PropertiesSchema())
}

func sortedFields(m flatSchema) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestPathsMatchTheOpenAPI checks the paths the fake serves, and the facts about them the
// client relies on, against the published description.
func TestPathsMatchTheOpenAPI(t *testing.T) {
	doc := openAPI(t)
	paths := doc["paths"].(map[string]any)
	for _, tc := range []struct {
		path    string
		methods []string
	}{
		{"/rest/3/privacy-and-security/products/{productId}", []string{"delete", "get", "put"}},
		{"/rest/3/privacy-and-security/products/{productId}/publish", []string{"post"}},
		{"/rest/3/developer-space/vendor/{vendorId}", []string{"get"}},
		{"/rest/3/product-listing/developer-space/{developerId}", []string{"get"}},
		{"/rest/3/app-software/app-key/{appKey}", []string{"get"}},
	} {
		p, ok := paths[tc.path].(map[string]any)
		if !ok {
			t.Errorf("the published description has no %s", tc.path)
			continue
		}
		var got []string
		for k := range p {
			if k != "servers" && k != "parameters" {
				got = append(got, k)
			}
		}
		sort.Strings(got)
		if !slices.Equal(got, tc.methods) {
			t.Errorf("%s: methods %v, want %v", tc.path, got, tc.methods)
		}
	}
	ps := paths["/rest/3/privacy-and-security/products/{productId}"].(map[string]any)
	param := ps["get"].(map[string]any)["parameters"].([]any)[0].(map[string]any)
	if param["name"] != "productId" || param["schema"].(map[string]any)["format"] != "uuid" {
		t.Errorf("the product id parameter: %v", param)
	}
	responses := func(method string) []string {
		var codes []string
		for code := range ps[method].(map[string]any)["responses"].(map[string]any) {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		return codes
	}
	if got := responses("put"); !slices.Equal(got, []string{"200", "201", "400", "403", "404"}) {
		t.Errorf("PUT answers %v", got)
	}
	errDoc := doc["components"].(map[string]any)["schemas"].(map[string]any)["JsonError"].(map[string]any)["properties"].(map[string]any)
	for _, k := range []string{"message", "path", "code"} {
		if _, ok := errDoc[k]; !ok {
			t.Errorf("the error entries have no %s", k)
		}
	}
	listing := paths["/rest/3/product-listing/developer-space/{developerId}"].(map[string]any)["get"].(map[string]any)
	names := map[string]map[string]any{}
	for _, p := range listing["parameters"].([]any) {
		pm := p.(map[string]any)
		names[pm["name"].(string)] = pm["schema"].(map[string]any)
	}
	if names["limit"]["maximum"] != float64(50) || names["cursor"] == nil || names["includePrivate"] == nil {
		t.Errorf("listing parameters: %v", names)
	}
}
