package questionnaire

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendJSONTree writes a decoded JSON tree (maps, lists, strings, booleans, json.Number,
// nil) as indented JSON with sorted keys and a final newline: the bytes marshalIndent
// writes, escapes included, without reflection or a second pass. Encoding a payload is on
// the wizard's path after every answer, and marshalIndent took three quarters of its time.
// ok is false for a value of any other type; the caller then uses marshalIndent.
func appendJSONTree(buf []byte, v any) (out []byte, ok bool) {
	buf, ok = appendTreeValue(buf, v, 0)
	return append(buf, '\n'), ok
}

func appendTreeValue(buf []byte, v any, depth int) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), true
	case bool:
		return strconv.AppendBool(buf, x), true
	case string:
		return appendJSONString(buf, x), true
	case json.Number:
		if x == "" || (x[0] != '-' && (x[0] < '0' || x[0] > '9')) || !json.Valid([]byte(x)) {
			return buf, false
		}
		return append(buf, x...), true
	case []any:
		if len(x) == 0 {
			return append(buf, "[]"...), true
		}
		buf = append(buf, '[')
		for i, sub := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendNewlineIndent(buf, depth+1)
			var ok bool
			if buf, ok = appendTreeValue(buf, sub, depth+1); !ok {
				return buf, false
			}
		}
		return append(appendNewlineIndent(buf, depth), ']'), true
	case map[string]any:
		if len(x) == 0 {
			return append(buf, "{}"...), true
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendNewlineIndent(buf, depth+1)
			buf = append(appendJSONString(buf, k), ':', ' ')
			var ok bool
			if buf, ok = appendTreeValue(buf, x[k], depth+1); !ok {
				return buf, false
			}
		}
		return append(appendNewlineIndent(buf, depth), '}'), true
	}
	return buf, false
}

func appendNewlineIndent(buf []byte, depth int) []byte {
	buf = append(buf, '\n')
	for range depth {
		buf = append(buf, ' ', ' ')
	}
	return buf
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping, and also escapes
// what EscapeJSONUnsafe escapes (DEL, C1 controls, bidi controls).
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\b':
				buf = append(buf, '\\', 'b')
			case c == '\f':
				buf = append(buf, '\\', 'f')
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20 || c == 0x7f:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case jsonUnsafe(r):
			buf = append(buf, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
