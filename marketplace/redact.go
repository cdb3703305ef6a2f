package marketplace

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// redactBody takes the credentials out of a successful response before anything reads
// it: a hostile or broken server that echoes them back (in properties.updatedBy, a
// listing's name, anywhere) would otherwise have them saved in the drafts file, shown
// and exported. Every string and every key that holds a form of the token or of the
// Basic credential has that form replaced with [REDACTED]; the paths where it was found
// are returned so that the response can be flagged. A body that holds none comes back as
// it was, byte for byte.
//
// The decoded text is searched, not only the bytes, since JSON may spell the token with
// escapes (\/ for /, \u0041 for A); the bytes are searched too, for a copy in a place the
// decoded tree loses (a duplicate key). A body that is not JSON is redacted as text.
func (c *Client) redactBody(body []byte) ([]byte, []string) {
	if c.creds.IsZero() {
		return body, nil
	}
	forms := secretForms(c.creds)
	inBytes := false
	for _, f := range forms {
		if bytes.Contains(body, []byte(f)) {
			inBytes = true
			break
		}
	}
	if !inBytes && !bytes.Contains(body, []byte(`\`)) {
		return body, nil // no copy as bytes, and no escape that could hide one
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		if !inBytes {
			return body, nil
		}
		s := string(body)
		for _, f := range forms {
			s = strings.ReplaceAll(s, f, redacted)
		}
		return []byte(s), []string{"(the body)"}
	}
	var found []string
	v = redactTree(v, "", forms, &found)
	if len(found) == 0 && inBytes {
		found = append(found, "(a duplicate key)")
	}
	if len(found) == 0 {
		return body, nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return []byte("{}"), found
	}
	slices.Sort(found)
	return out, slices.Compact(found)
}

// redactTree replaces every form of the credentials in the strings and keys of a decoded
// JSON tree, appending the path of each place it was found to found.
func redactTree(v any, path string, forms []string, found *[]string) any {
	clean := func(s, at string) string {
		out := s
		for _, f := range forms {
			out = strings.ReplaceAll(out, f, redacted)
		}
		if out != s {
			*found = append(*found, orRoot(at))
		}
		return out
	}
	switch t := v.(type) {
	case string:
		return clean(t, path)
	case []any:
		for i := range t {
			t[i] = redactTree(t[i], path+"["+strconv.Itoa(i)+"]", forms, found)
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, sub := range t {
			key := k
			at := pathKey(k)
			if path != "" {
				at = path + "." + at
			}
			if ck := clean(k, path); ck != k {
				key, at = ck, strings.TrimPrefix(path+"."+redacted, ".")
				for n := 2; exists(out, key); n++ {
					key = ck + " " + strconv.Itoa(n) // two keys redacted alike stay apart
				}
			}
			out[key] = redactTree(sub, at, forms, found)
		}
		return out
	}
	return v
}

func exists(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// pathKey renders a key of a server's response for a path shown to the partner: as it is
// when it is plain ASCII letters, digits, '_', '-' and '@', quoted with Go escapes
// otherwise, so that a key cannot act on a terminal and is named exactly.
func pathKey(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '@') {
			return strconv.QuoteToASCII(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}
