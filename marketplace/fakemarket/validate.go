package fakemarket

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Error is one error of a refused body, in the documented shape: a JSON Pointer into the
// object inside the wrapper ("/security/securityContact"), a stable code, and a message.
// The codes the published examples use are FIELD_REQUIRED, INVALID_EMAIL_FORMAT,
// INVALID_URL_FORMAT, INVALID_ENUM_VALUE and INVALID_ARRAY_VALUE; for what they do not
// cover the fake says INVALID_TYPE (a value of the wrong JSON type) and
// UNRECOGNIZED_FIELD (a key beside the seven groups).
type Error struct {
	Path    string `json:"path,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ValidateBody checks a decoded PUT body against the published schema: one key, the
// wrapper, holding an object of the seven groups only, whose known fields have the
// schema's types, enums and formats. Fields the schema does not name inside a group are
// accepted (the schema is older than the live form). It returns every error, not the first.
func ValidateBody(doc any, wrapper string) []Error {
	top, ok := doc.(map[string]any)
	if !ok {
		return []Error{{Code: "INVALID_TYPE", Message: "The request body must be a JSON object"}}
	}
	var errs []Error
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if k != wrapper {
			errs = append(errs, Error{Path: "/" + pointerEscape(k), Code: "UNRECOGNIZED_FIELD",
				Message: fmt.Sprintf("Unrecognized field '%s'; the body holds only '%s'", k, wrapper)})
		}
	}
	inner, present := top[wrapper]
	if !present || inner == nil {
		return append(errs, Error{Code: "FIELD_REQUIRED", Message: fmt.Sprintf("Field '%s' is required", wrapper)})
	}
	info, ok := inner.(map[string]any)
	if !ok {
		return append(errs, Error{Code: "INVALID_TYPE", Message: fmt.Sprintf("Invalid type for %s: expected an object", wrapper)})
	}
	return append(errs, ValidateTrustInfo(info)...)
}

// ValidateTrustInfo checks the object inside a PUT body's wrapper.
func ValidateTrustInfo(info map[string]any) []Error {
	var errs []Error
	for _, k := range slices.Sorted(maps.Keys(info)) {
		v := info[k]
		switch {
		case slices.Contains(ReadOnly, k):
			errs = append(errs, Error{Path: "/" + k, Code: "UNRECOGNIZED_FIELD",
				Message: fmt.Sprintf("Field '%s' is read-only and cannot be sent", k)})
		case !slices.Contains(Groups, k):
			errs = append(errs, Error{Path: "/" + pointerEscape(k), Code: "UNRECOGNIZED_FIELD",
				Message: fmt.Sprintf("Unrecognized field '%s'", k)})
		case v != nil:
			errs = append(errs, checkValue(k, "/"+k, v)...)
		}
	}
	return errs
}

// checkValue checks one value at schema path schema and JSON Pointer ptr, and what is
// inside it.
func checkValue(schema, ptr string, v any) []Error {
	if v == nil {
		return nil // null is no answer
	}
	f, known := fieldsByPath[schema]
	name := schema[strings.LastIndexAny(schema, ".]")+1:]
	if !known {
		return nil // a field the schema does not name: accepted as it is
	}
	wrongType := func(want string) []Error {
		return []Error{{Path: ptr, Code: "INVALID_TYPE", Message: fmt.Sprintf("Invalid type for %s: expected %s", name, want)}}
	}
	switch f.Type {
	case TypeBool:
		if _, ok := v.(bool); !ok {
			return wrongType("a boolean")
		}
	case TypeTri:
		if !slices.Contains(f.Enum, v) {
			return []Error{{Path: ptr, Code: "INVALID_ENUM_VALUE",
				Message: fmt.Sprintf("Invalid value %s for %s. Must be one of: true, false, NOT_APPLICABLE", shown(v), name)}}
		}
	case TypeString, TypeText:
		s, ok := v.(string)
		if !ok {
			if _, isObj := v.(map[string]any); isObj && f.Type == TypeText {
				return nil // rich text: a document object
			}
			return wrongType("a string")
		}
		return checkString(f, name, ptr, s)
	case TypeInt:
		n, ok := v.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil || i > math.MaxInt32 || i < math.MinInt32 {
			return wrongType("a whole number (int32)")
		}
	case TypeStrings:
		list, ok := v.([]any)
		if !ok {
			return wrongType("a list of strings")
		}
		var errs []Error
		for i, item := range list {
			if _, ok := item.(string); !ok {
				errs = append(errs, Error{Path: ptr + "/" + strconv.Itoa(i), Code: "INVALID_ARRAY_VALUE",
					Message: fmt.Sprintf("Invalid item %s in %s: expected a string", shown(item), name)})
			}
		}
		return errs
	case TypeObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongType("an object")
		}
		var errs []Error
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			errs = append(errs, checkValue(schema+"."+k, ptr+"/"+pointerEscape(k), obj[k])...)
		}
		return errs
	case TypeObjects:
		list, ok := v.([]any)
		if !ok {
			return wrongType("a list of objects")
		}
		var errs []Error
		for i, item := range list {
			obj, ok := item.(map[string]any)
			if !ok {
				errs = append(errs, Error{Path: ptr + "/" + strconv.Itoa(i), Code: "INVALID_ARRAY_VALUE",
					Message: fmt.Sprintf("Invalid item %s in %s: expected an object", shown(item), name)})
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				errs = append(errs, checkValue(schema+"[]."+k, fmt.Sprintf("%s/%d/%s", ptr, i, pointerEscape(k)), obj[k])...)
			}
		}
		return errs
	}
	return nil
}

// checkString checks a string's enum and format. The security contact is checked as an
// email address: the published example of a refused PUT does so.
func checkString(f Field, name, ptr, s string) []Error {
	switch {
	case f.Enum != nil && !slices.Contains(f.Enum, any(s)):
		vals := make([]string, len(f.Enum))
		for i, e := range f.Enum {
			vals[i] = fmt.Sprint(e)
		}
		return []Error{{Path: ptr, Code: "INVALID_ENUM_VALUE",
			Message: fmt.Sprintf("Invalid value %s for %s. Must be one of: %s", shown(s), name, strings.Join(vals, ", "))}}
	case f.Format == "uri" && s != "" && !isURI(s):
		return []Error{{Path: ptr, Code: "INVALID_URL_FORMAT", Message: "Invalid URL format for " + name}}
	case f.Path == "security.securityContact" && s != "" && !isEmail(s):
		return []Error{{Path: ptr, Code: "INVALID_EMAIL_FORMAT", Message: "Invalid email format for " + name}}
	}
	return nil
}

// isURI reports an absolute URI with a scheme and a host, as format uri asks.
func isURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// isEmail reports a plain address: one @, something before it, a dotted domain after it.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>\t\r\n") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func shown(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	if len(b) > 60 {
		b = append(b[:57], "..."...)
	}
	return "'" + strings.Trim(string(b), `"`) + "'"
}

// pointerEscape escapes a key for a JSON Pointer.
func pointerEscape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}
