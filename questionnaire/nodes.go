package questionnaire

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"gopkg.in/yaml.v3"
)

// A catalogue's encoding is its YAML document already parsed: the nodes the loader reads,
// in a compact binary form made beforehand (for the built-in catalogues, by go generate in
// assets), so that a command starting does not parse YAML: yaml.v3 took 4.1 of the 5.2 ms
// the built-in catalogues cost to load, and both load from their encodings in 1.2 ms
// (BenchmarkCatalogues in assets/embedded).
//
// It holds what the loader reads of a node (kind, style, tag, value, line and column,
// children), not comments. It is bound to the YAML it came from, and to itself, by one
// SHA-256 of the YAML followed by the encoding's body (73 KB for the larger catalogue;
// SHA-256 hashes 88 KB in 71 us here). LoadEncoded uses it only for that YAML and only
// whole, so a catalogue edited without regenerating is still read, from its YAML, and so
// is one whose encoding was damaged.
//
// Layout: nodesMagic, the 32-byte SHA-256, then the body: the string table (a uvarint
// length and its bytes), the number of nodes, then each node in pre-order as uvarints:
// kind, style, tag offset and length, value offset and length (both in the string table),
// line, column, number of children.
const nodesMagic = "pstab catalogue nodes 1\n"

// maxNodeDepth bounds the nesting a decoding follows; catalogues nest a few levels.
const maxNodeDepth = 64

// EncodeCatalogue checks a catalogue as Load does and returns its encoding. It refuses YAML
// with anchors or aliases, which the encoding does not keep.
func EncodeCatalogue(name string, data []byte) ([]byte, error) {
	l := &loader{file: name}
	doc, err := l.parse(data)
	if err != nil {
		return nil, err
	}
	// The loader reads the nodes without changing them (TestEncodingHoldsTheParsedNodes
	// compares the encoding with a fresh parse).
	if _, err := l.result(l.fromDoc(doc)); err != nil {
		return nil, err
	}
	e := nodeEncoder{at: map[string]int{}}
	if err := e.count(doc, 0); err != nil {
		return nil, &CatalogueError{File: name, Line: e.line, Msg: err.Error()}
	}
	nodes := binary.AppendUvarint(nil, uint64(e.nodes))
	nodes = e.node(nodes, doc)
	body := binary.AppendUvarint(nil, uint64(len(e.strs)))
	body = append(append(body, e.strs...), nodes...)
	sum := encodingSum(data, body)
	return append(append([]byte(nodesMagic), sum[:]...), body...), nil
}

// encodingSum binds an encoding's body to the YAML it came from.
func encodingSum(data, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write(data)
	h.Write(body)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// LoadEncoded is Load for a catalogue with an encoding made by EncodeCatalogue. When enc was
// made from data, the catalogue is read from its nodes; otherwise (enc is stale, damaged or
// missing) it is read from data, as Load reads it. Either way the catalogue, and any
// message refusing it, are the same.
func LoadEncoded(name string, data, enc []byte) (*Catalogue, error) {
	doc, ok := decodeNodes(enc, data)
	if !ok {
		return Load(name, data)
	}
	l := &loader{file: name}
	return l.result(l.fromDoc(doc))
}

type nodeEncoder struct {
	strs  []byte
	at    map[string]int // offset of a string already in strs
	nodes int
	line  int // where count found what the encoding cannot keep
}

// count counts the nodes and refuses what the encoding does not keep.
func (e *nodeEncoder) count(n *yaml.Node, depth int) error {
	switch {
	case n.Anchor != "" || n.Alias != nil || n.Kind == yaml.AliasNode:
		e.line = n.Line
		return fmt.Errorf("anchors and aliases are not supported in a built-in catalogue")
	case depth > maxNodeDepth:
		e.line = n.Line
		return fmt.Errorf("nested more than %d levels deep", maxNodeDepth)
	}
	e.nodes++
	for _, c := range n.Content {
		if err := e.count(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (e *nodeEncoder) str(b []byte, s string) []byte {
	off, ok := e.at[s]
	if !ok {
		off = len(e.strs)
		e.strs = append(e.strs, s...)
		e.at[s] = off
	}
	b = binary.AppendUvarint(b, uint64(off))
	return binary.AppendUvarint(b, uint64(len(s)))
}

func (e *nodeEncoder) node(b []byte, n *yaml.Node) []byte {
	b = binary.AppendUvarint(b, uint64(n.Kind))
	b = binary.AppendUvarint(b, uint64(n.Style))
	b = e.str(b, n.Tag)
	b = e.str(b, n.Value)
	b = binary.AppendUvarint(b, uint64(n.Line))
	b = binary.AppendUvarint(b, uint64(n.Column))
	b = binary.AppendUvarint(b, uint64(len(n.Content)))
	for _, c := range n.Content {
		b = e.node(b, c)
	}
	return b
}

// decodeNodes returns the document enc holds if enc is an encoding of data, whole; it
// checks what it reads all the same, and never panics.
func decodeNodes(enc, data []byte) (*yaml.Node, bool) {
	rest, ok := bytes.CutPrefix(enc, []byte(nodesMagic))
	if !ok || len(rest) < sha256.Size {
		return nil, false
	}
	body := rest[sha256.Size:]
	if sum := encodingSum(data, body); !bytes.Equal(rest[:sha256.Size], sum[:]) {
		return nil, false
	}
	r := nodeReader{b: body}
	strLen := r.uvarint()
	if r.bad || strLen > uint64(len(r.b)) {
		return nil, false
	}
	// One string for the table; every tag and value is a slice of it.
	r.strs = string(r.b[:strLen])
	r.b = r.b[strLen:]
	count := r.uvarint()
	// Each node takes at least 9 bytes, which bounds what a damaged count can allocate.
	if r.bad || count == 0 || count > uint64(len(r.b))/9+1 {
		return nil, false
	}
	r.nodes = make([]yaml.Node, count)
	r.kids = make([]*yaml.Node, 0, count-1)
	doc := r.node(0)
	if r.bad || r.next != len(r.nodes) || len(r.b) != 0 || doc.Kind != yaml.DocumentNode {
		return nil, false
	}
	return doc, true
}

type nodeReader struct {
	b     []byte
	bad   bool
	strs  string
	nodes []yaml.Node  // all the nodes, in pre-order
	next  int          // the next of nodes to fill
	kids  []*yaml.Node // every node's children, each node's in one run
}

func (r *nodeReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *nodeReader) str() string {
	off, n := r.uvarint(), r.uvarint()
	if r.bad || off > uint64(len(r.strs)) || n > uint64(len(r.strs))-off {
		r.bad = true
		return ""
	}
	return r.strs[off : off+n]
}

func (r *nodeReader) small() int {
	v := r.uvarint()
	if v > 1<<31 {
		r.bad = true
		return 0
	}
	return int(v)
}

func (r *nodeReader) node(depth int) *yaml.Node {
	if r.bad || r.next == len(r.nodes) || depth > maxNodeDepth {
		r.bad = true
		return nil
	}
	n := &r.nodes[r.next]
	r.next++
	n.Kind = yaml.Kind(r.small())
	n.Style = yaml.Style(r.small())
	n.Tag = r.str()
	n.Value = r.str()
	n.Line = r.small()
	n.Column = r.small()
	kids := r.small()
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode, yaml.MappingNode, yaml.ScalarNode:
	default:
		r.bad = true
	}
	if r.bad || kids > cap(r.kids)-len(r.kids) {
		r.bad = true
		return nil
	}
	if kids == 0 {
		return n
	}
	// The children's places are taken before they are read, so that theirs follow.
	start := len(r.kids)
	r.kids = r.kids[:start+kids]
	n.Content = r.kids[start : start+kids : start+kids]
	for i := range n.Content {
		if n.Content[i] = r.node(depth + 1); r.bad {
			return nil
		}
	}
	return n
}
