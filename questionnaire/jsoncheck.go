package questionnaire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Bounds on a JSON document read from outside (a payload or bundle file, a pulled
// response). A real payload nests five or six levels deep, holds lists of tens of items
// and a few hundred values; the bounds are far above that and far below what makes an
// export or a preview grow out of proportion to the file (each level of nesting indents
// every line inside it, so 10,000 levels in 20 KB once exported as 200 MB).
const (
	// MaxJSONDepth is how deeply objects and lists may nest.
	MaxJSONDepth = 64
	// MaxJSONListItems is how many items one list may hold.
	MaxJSONListItems = 10_000
	// MaxJSONValues is how many values (objects, lists, strings, numbers, booleans,
	// nulls) the whole document may hold.
	MaxJSONValues = 200_000
)

// CheckJSON refuses, in valid JSON, what a reader of the file and pstab could take
// differently or what would make pstab's work grow out of proportion to the file: nesting
// deeper than MaxJSONDepth, a list longer than MaxJSONListItems, more than MaxJSONValues
// values, an object that holds the same key twice (encoding/json keeps the last, a person
// reading the file may well see the first), and a \u escape that is half of a UTF-16
// surrogate pair (encoding/json quietly turns it into U+FFFD). The error names the path
// of the offending value, rendered with PathKey. Text that is not valid JSON is left to the
// decoder, which says where it breaks.
func CheckJSON(data []byte) *DecodeError {
	if !json.Valid(data) {
		return nil
	}
	s := jsonChecker{data: data}
	s.space()
	if err := s.value(0); err != nil {
		return err
	}
	return nil
}

// jsonChecker walks text already known to be valid JSON, so it checks only the bounds.
type jsonChecker struct {
	data   []byte
	i      int
	values int
	path   []step // one per level, rendered only when something is refused
}

// step is one level of the path being read: an object's key, or a list's index when
// inList is set.
type step struct {
	key     string
	index   int
	inList  bool
	pending bool // an object's key not read yet
}

func (s *jsonChecker) fail(format string, args ...any) *DecodeError {
	var b strings.Builder
	for _, st := range s.path {
		if st.pending {
			continue
		}
		if st.inList {
			b.WriteString("[" + strconv.Itoa(st.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(PathKey(st.key))
	}
	return &DecodeError{Path: b.String(), Unreadable: true, Msg: fmt.Sprintf(format, args...)}
}

func (s *jsonChecker) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonChecker) value(depth int) *DecodeError {
	s.values++
	if s.values > MaxJSONValues {
		// The whole file is too big in this sense, not one place in it.
		return &DecodeError{Unreadable: true, Msg: fmt.Sprintf("the file holds more than %d values; a payload holds a few hundred, so this is not one", MaxJSONValues)}
	}
	switch s.data[s.i] {
	case '{':
		if depth >= MaxJSONDepth {
			return s.fail("the file nests objects and lists more than %d levels deep here; a payload nests a few, so this is not one", MaxJSONDepth)
		}
		return s.object(depth + 1)
	case '[':
		if depth >= MaxJSONDepth {
			return s.fail("the file nests objects and lists more than %d levels deep here; a payload nests a few, so this is not one", MaxJSONDepth)
		}
		return s.list(depth + 1)
	case '"':
		_, err := s.str()
		return err
	}
	// A number, true, false or null: skip to the next delimiter.
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return nil
		}
		s.i++
	}
	return nil
}

func (s *jsonChecker) object(depth int) *DecodeError {
	s.i++ // {
	s.space()
	if s.data[s.i] == '}' {
		s.i++
		return nil
	}
	seen := make(map[string]bool, 8)
	s.path = append(s.path, step{pending: true})
	for {
		s.path[len(s.path)-1].pending = true
		key, err := s.str()
		if err != nil {
			return err
		}
		if seen[key] {
			s.path = s.path[:len(s.path)-1]
			return s.fail("the key %s appears twice in the same object; keep one, since a person reading the file and pstab could otherwise take different answers from it", PathKey(key))
		}
		seen[key] = true
		s.path[len(s.path)-1] = step{key: key}
		s.space()
		s.i++ // :
		s.space()
		if err := s.value(depth); err != nil {
			return err
		}
		s.space()
		c := s.data[s.i]
		s.i++
		if c == '}' {
			s.path = s.path[:len(s.path)-1]
			return nil
		}
		s.space() // after ,
	}
}

func (s *jsonChecker) list(depth int) *DecodeError {
	s.i++ // [
	s.space()
	if s.data[s.i] == ']' {
		s.i++
		return nil
	}
	s.path = append(s.path, step{inList: true})
	for n := 0; ; n++ {
		s.path[len(s.path)-1].index = n
		if n >= MaxJSONListItems {
			return s.fail("the list holds more than %d items; a payload's lists hold tens, so this is not one", MaxJSONListItems)
		}
		if err := s.value(depth); err != nil {
			return err
		}
		s.space()
		c := s.data[s.i]
		s.i++
		if c == ']' {
			s.path = s.path[:len(s.path)-1]
			return nil
		}
		s.space()
	}
}

// str reads a string at s.i and returns it decoded, refusing half a surrogate pair.
func (s *jsonChecker) str() (string, *DecodeError) {
	start := s.i
	s.i++ // opening quote
	escaped := false
	for {
		c := s.data[s.i]
		if c == '"' {
			break
		}
		if c == '\\' {
			escaped = true
			if s.data[s.i+1] == 'u' {
				r := hex4(s.data[s.i+2 : s.i+6])
				switch {
				case utf16.IsSurrogate(r) && r < 0xdc00:
					// A high surrogate must be followed by \u and a low one.
					if s.i+12 > len(s.data) || s.data[s.i+6] != '\\' || s.data[s.i+7] != 'u' ||
						!(hex4(s.data[s.i+8:s.i+12]) >= 0xdc00 && hex4(s.data[s.i+8:s.i+12]) <= 0xdfff) {
						return "", s.fail("the text holds \\u%04x, half of a UTF-16 surrogate pair, which is no character; write the character itself or the whole pair", r)
					}
					s.i += 12
					continue
				case utf16.IsSurrogate(r):
					return "", s.fail("the text holds \\u%04x, half of a UTF-16 surrogate pair, which is no character; write the character itself or the whole pair", r)
				}
				s.i += 6
				continue
			}
			s.i += 2
			continue
		}
		s.i++
	}
	s.i++ // closing quote
	raw := s.data[start:s.i]
	if !escaped {
		return string(raw[1 : len(raw)-1]), nil
	}
	var out string
	if json.Unmarshal(raw, &out) != nil {
		return string(raw), nil
	}
	return out, nil
}

// hex4 reads four hex digits (valid JSON guarantees them).
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

// PathKey renders one key of a JSON path so that it can be shown anywhere and read one
// way: as it is when it is made of ASCII letters, digits, '_', '-', '@' and '$' (every key
// of the Marketplace schema and every question ID is), otherwise quoted with Go escapes
// and in ASCII, so that a key holding a control, an escape sequence, a dot or a look-alike
// letter is named exactly and cannot act on a terminal.
func PathKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '@' || c == '$') {
			return strconv.QuoteToASCII(k)
		}
	}
	return k
}
