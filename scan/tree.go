package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/pstab/pstab/questionnaire"
	"gopkg.in/yaml.v3"
)

// A manifest is read into one small tree, whichever its format, so that the Forge and the
// Connect readers walk the same shape and every value keeps the line it was written on.
// Both parsers are bounded: a manifest is untrusted input, and a hostile one (an alias
// bomb, nesting a million levels deep, a key repeated to hide another) must end in one
// sentence naming the file and the line, not in a hang or a guess.

// Limits on what a manifest may hold. Forge refuses manifests over 200 KB; a megabyte
// leaves room for generous comments while keeping every read cheap.
const (
	maxFileSize = 1 << 20
	maxDepth    = 64
	maxNodes    = 200_000
	// maxEntries bounds each list the scan keeps (scopes, addresses, hooks), so that the
	// facts stored with a draft stay small whatever the manifest says.
	maxEntries = 2000
)

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	listNode
	nullNode
)

// node is one value of a manifest: a scalar (text as written), a mapping with its keys in
// order, or a list.
type node struct {
	kind  nodeKind
	line  int
	text  string // scalar text as written
	str   bool   // the scalar is a string (quoted, or plain text that is not a number or boolean)
	keys  []string
	kline []int // the line of each key
	vals  []*node
	items []*node
}

// get returns the value under key, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// getAny returns the value under the first of the keys the mapping has, with the key
// found: manifests in the wild use more than one spelling (baseUrl and baseURL).
func (n *node) getAny(keys ...string) (*node, string) {
	for _, k := range keys {
		if v := n.get(k); v != nil {
			return v, k
		}
	}
	return nil, ""
}

// keyLine returns the line of key in a mapping, or the mapping's own line.
func (n *node) keyLine(key string) int {
	if n == nil {
		return 0
	}
	for i, k := range n.keys {
		if k == key {
			return n.kline[i]
		}
	}
	return n.line
}

// scalar returns the text of a scalar node.
func (n *node) scalar() (string, bool) {
	if n == nil || n.kind != scalarNode {
		return "", false
	}
	return n.text, true
}

// boolean returns the value of a true/false scalar.
func (n *node) boolean() (bool, bool) {
	s, ok := n.scalar()
	if !ok || n.str && !strings.EqualFold(s, "true") && !strings.EqualFold(s, "false") {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// list returns the items of a list node; a lone scalar counts as a list of one, as
// people write `operations: storage` for `operations: [storage]`.
func (n *node) list() []*node {
	switch {
	case n == nil:
		return nil
	case n.kind == listNode:
		return n.items
	case n.kind == scalarNode:
		return []*node{n}
	}
	return nil
}

// Error is a manifest pstab cannot read: the file, the line (0 when it is the whole file)
// and what is wrong, as one sentence.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func errAt(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// checkBytes refuses what neither parser should see: an empty or huge file, invalid UTF-8.
func checkBytes(file string, data []byte) error {
	switch {
	case len(data) > maxFileSize:
		return errAt(file, 0, "the file is %s; a manifest is at most %s, so this is not one", questionnaire.ByteSize(int64(len(data))), questionnaire.ByteSize(maxFileSize))
	case len(bytes.TrimSpace(data)) == 0:
		return errAt(file, 0, "the file is empty")
	}
	if i := questionnaire.InvalidUTF8(data); i >= 0 {
		return errAt(file, lineAt(data, i), "the file holds bytes that are not UTF-8 text; save it as UTF-8")
	}
	// Neither YAML nor JSON allows control characters in the text itself; saying which
	// one and where beats the parsers' "control characters are not allowed".
	for i, r := range string(data) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			what := fmt.Sprintf("a control character (U+%04X)", r)
			if r == 0x1b {
				what = "an escape character (U+001B), which can take over a terminal"
			}
			return errAt(file, lineAt(data, i), "the file holds %s; a manifest is plain text, so remove it", what)
		}
	}
	return nil
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// parseYAML reads a YAML document (a Forge manifest) into a tree.
func parseYAML(file string, data []byte) (root *node, err error) {
	if err := checkBytes(file, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	// The YAML parser is third-party code on hostile input: a panic in it must end as a
	// message, not a crash.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, errAt(file, 0, "the YAML parser gave up on this file (%v); check that it is a manifest", r)
		}
	}()
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := splitYAMLError(err)
		return nil, errAt(file, problemLine(data, line, msg), "this is not valid YAML: %s", msg)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, errAt(file, 0, "the file holds no YAML document")
	}
	c := &yamlConverter{file: file}
	return c.convert(doc.Content[0], 0)
}

type yamlConverter struct {
	file  string
	nodes int
}

func (c *yamlConverter) convert(y *yaml.Node, depth int) (*node, error) {
	c.nodes++
	switch {
	case c.nodes > maxNodes:
		return nil, errAt(c.file, y.Line, "the file holds more than %d values (aliases count each time they are used), far more than a manifest has", maxNodes)
	case depth > maxDepth:
		return nil, errAt(c.file, y.Line, "values are nested more than %d levels deep, far more than a manifest has", maxDepth)
	}
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, errAt(c.file, y.Line, "an alias points to nothing")
		}
		n, err := c.convert(y.Alias, depth+1)
		if err != nil {
			return nil, err
		}
		// The value was written where the anchor is; the line that uses it is where a
		// reader looks.
		relined := *n
		relined.line = y.Line
		return &relined, nil
	case yaml.ScalarNode:
		if y.Tag == "!!null" {
			return &node{kind: nullNode, line: y.Line}, nil
		}
		isStr := y.Tag == "!!str" || y.Tag == "" || y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
		return &node{kind: scalarNode, line: y.Line, text: y.Value, str: isStr}, nil
	case yaml.SequenceNode:
		n := &node{kind: listNode, line: y.Line}
		for _, item := range y.Content {
			v, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
		return n, nil
	case yaml.MappingNode:
		n := &node{kind: mapNode, line: y.Line}
		var merges []*node
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			val, err := c.convert(v, depth+1)
			if err != nil {
				return nil, err
			}
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, val)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, errAt(c.file, k.Line, "a key is not plain text; manifests use text keys")
			}
			n.keys = append(n.keys, k.Value)
			n.kline = append(n.kline, k.Line)
			n.vals = append(n.vals, val)
		}
		// A merge key (<<: *defaults) adds the keys the mapping does not set itself.
		var have map[string]bool
		if len(merges) > 0 {
			have = make(map[string]bool, len(n.keys))
			for _, k := range n.keys {
				have[k] = true
			}
		}
		for _, m := range merges {
			for _, src := range m.list() {
				if src.kind != mapNode {
					continue
				}
				for i, k := range src.keys {
					if !have[k] {
						have[k] = true
						n.keys = append(n.keys, k)
						n.kline = append(n.kline, src.kline[i])
						n.vals = append(n.vals, src.vals[i])
					}
				}
			}
		}
		return n, nil
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{kind: nullNode, line: y.Line}, nil
		}
		return c.convert(y.Content[0], depth)
	}
	return nil, errAt(c.file, y.Line, "a value of a kind manifests do not use")
}

// parseJSON reads a JSON document (a Connect descriptor) into a tree, with the line of
// every value. A key repeated in one object is refused: JSON readers disagree on which
// copy wins, so a descriptor that repeats baseUrl could show pstab one host and Atlassian
// another.
func parseJSON(file string, data []byte) (*node, error) {
	if err := checkBytes(file, data); err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &jsonParser{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, errAt(file, p.line(), "there is more after the JSON value ends; a descriptor is one JSON object")
	}
	return n, nil
}

type jsonParser struct {
	file  string
	data  []byte
	dec   *json.Decoder
	nodes int
	lines []int // offsets of the newlines, for line numbers
}

// line is the line of the token just read: the decoder's offset is just past it, and no
// JSON token spans a line break.
func (p *jsonParser) line() int {
	if p.lines == nil {
		p.lines = []int{}
		for i, c := range p.data {
			if c == '\n' {
				p.lines = append(p.lines, i)
			}
		}
	}
	off := int(p.dec.InputOffset()) - 1
	return sort.SearchInts(p.lines, off) + 1
}

func (p *jsonParser) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errAt(p.file, lineAt(p.data, int(se.Offset)), "this is not valid JSON: %s", se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errAt(p.file, lineAt(p.data, len(p.data)), "the JSON ends before it is complete")
	}
	return errAt(p.file, 0, "this is not valid JSON: %v", err)
}

func (p *jsonParser) value(depth int) (*node, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	return p.from(tok, depth)
}

func (p *jsonParser) from(tok json.Token, depth int) (*node, error) {
	line := p.line()
	p.nodes++
	switch {
	case p.nodes > maxNodes:
		return nil, errAt(p.file, line, "the file holds more than %d values, far more than a descriptor has", maxNodes)
	case depth > maxDepth:
		return nil, errAt(p.file, line, "values are nested more than %d levels deep, far more than a descriptor has", maxDepth)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: mapNode, line: line}
			seen := map[string]bool{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.syntax(err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, errAt(p.file, p.line(), "an object key is not a string")
				}
				kl := p.line()
				if seen[key] {
					return nil, errAt(p.file, kl, "%q appears twice in one object; keep one, since readers disagree on which counts", clip(key))
				}
				seen[key] = true
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.kline = append(n.kline, kl)
				n.vals = append(n.vals, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntax(err)
			}
			return n, nil
		case '[':
			n := &node{kind: listNode, line: line}
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntax(err)
			}
			return n, nil
		}
	case string:
		return &node{kind: scalarNode, line: line, text: t, str: true}, nil
	case json.Number:
		return &node{kind: scalarNode, line: line, text: t.String()}, nil
	case bool:
		return &node{kind: scalarNode, line: line, text: strconv.FormatBool(t)}, nil
	case nil:
		return &node{kind: nullNode, line: line}, nil
	}
	return nil, errAt(p.file, line, "an unexpected JSON token")
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
