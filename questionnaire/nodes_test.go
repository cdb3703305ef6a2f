package questionnaire

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pstab/pstab/assets"
)

// builtinSources returns each built-in catalogue's YAML and a fresh encoding of it.
func builtinSources(t *testing.T) map[string][2][]byte {
	t.Helper()
	out := map[string][2][]byte{}
	for _, name := range assets.Catalogues() {
		data, err := assets.Read(name)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := EncodeCatalogue(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = [2][]byte{data, enc}
	}
	return out
}

// withoutComments is n's tree as the encoding keeps it.
func withoutComments(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Content = nil
	for _, k := range n.Content {
		c.Content = append(c.Content, withoutComments(k))
	}
	return &c
}

func TestEncodingHoldsTheParsedNodes(t *testing.T) {
	for name, src := range builtinSources(t) {
		want, err := (&loader{file: name}).parse(src[0])
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeNodes(src[1], src[0])
		if !ok {
			t.Fatalf("%s: its own encoding was not decoded", name)
		}
		if !reflect.DeepEqual(withoutComments(got), withoutComments(want)) {
			t.Errorf("%s: the decoded nodes differ from yaml.v3's", name)
		}
	}
}

func TestLoadEncodedIsLoad(t *testing.T) {
	for name, src := range builtinSources(t) {
		want, err := Load(name, src[0])
		if err != nil {
			t.Fatal(err)
		}
		got, err := LoadEncoded(name, src[0], src[1])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the catalogue from the encoding differs from the one from YAML", name)
		}
	}
}

// An edited catalogue is read from its YAML until its encoding is made again: the edit
// shows, and a mistake in it is refused with Load's message.
func TestLoadEncodedReadsEditedYAML(t *testing.T) {
	src := builtinSources(t)[assets.PrivacySecurity]
	title := "title: " + ps(t).Title
	if !bytes.Contains(src[0], []byte(title)) {
		t.Fatalf("the catalogue has no line %q", title)
	}
	edited := bytes.Replace(src[0], []byte(title), []byte("title: Edited since it was encoded"), 1)
	c, err := LoadEncoded("x.yaml", edited, src[1])
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Edited since it was encoded" {
		t.Errorf("title %q: the stale encoding was used", c.Title)
	}

	broken := bytes.Replace(src[0], []byte("kind: yesno"), []byte("kind: maybe"), 1)
	_, want := Load("x.yaml", broken)
	_, got := LoadEncoded("x.yaml", broken, src[1])
	var ce *CatalogueError
	if want == nil || got == nil || !errors.As(got, &ce) || got.Error() != want.Error() {
		t.Errorf("broken edit: got %v, want Load's %v", got, want)
	}
}

// A damaged or cut encoding is never used: every change to it gives the catalogue the YAML
// holds, and none panics.
func TestDamagedEncodingIsNotUsed(t *testing.T) {
	src := builtinSources(t)[assets.SelfAssessment]
	data, enc := src[0], src[1]
	want, err := Load("x.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	// Reading the YAML instead is checked for one in a hundred; for the rest, that the
	// encoding is refused (reading the YAML each time took 18 s under the race detector).
	loads := 0
	check := func(what string, damaged []byte) {
		t.Helper()
		if _, ok := decodeNodes(damaged, data); ok {
			t.Fatalf("%s: decoded", what)
		}
		if loads++; loads%100 != 1 {
			return
		}
		got, err := LoadEncoded("x.yaml", data, damaged)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: not the YAML's catalogue (%v)", what, err)
		}
	}
	check("nothing", nil)
	for n := 0; n < len(enc); n += 1 + n/50 {
		check("cut", enc[:n])
	}
	for i := 0; i < len(enc); i += 1 + i/40 {
		for _, bit := range []byte{0x01, 0x80} {
			d := bytes.Clone(enc)
			d[i] ^= bit
			check("flipped", d)
		}
	}
	check("longer", append(bytes.Clone(enc), 0))
}

// The decoder checks what it reads even where the sum matches: an encoding made by hand
// with a sum over a malformed body is refused, not followed.
func TestMalformedBodyIsRefused(t *testing.T) {
	data := []byte("x")
	for _, body := range [][]byte{
		{},                                     // no string table
		{5, 'a'},                               // table longer than the body
		{0, 0},                                 // no nodes
		{0, 200, 1},                            // more nodes than bytes
		{1, 'a', 1, 8, 0, 0, 1, 0, 0, 1, 1, 0}, // a scalar, not a document
		{0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 5},      // a document with children it does not hold
		{0, 2, 1, 0, 0, 0, 0, 0, 1, 1, 1, 8, 0, 0, 9, 0, 0, 1, 1, 0},  // a tag past the table
		{0, 2, 1, 0, 0, 0, 0, 0, 1, 1, 1, 16, 0, 0, 0, 0, 0, 1, 1, 0}, // an alias
	} {
		sum := encodingSum(data, body)
		enc := append(append([]byte(nodesMagic), sum[:]...), body...)
		if doc, ok := decodeNodes(enc, data); ok {
			t.Errorf("body %v: decoded %+v", body, doc)
		}
	}
	// The smallest well-formed body decodes, so the cases above fail for what they hold.
	body := []byte{0, 2, 1, 0, 0, 0, 0, 0, 1, 1, 1, 8, 0, 0, 0, 0, 0, 1, 1, 0}
	sum := encodingSum(data, body)
	if _, ok := decodeNodes(append(append([]byte(nodesMagic), sum[:]...), body...), data); !ok {
		t.Error("a document holding one scalar was not decoded")
	}
}

func TestEncodeRefusesWhatItCannotKeep(t *testing.T) {
	data, err := assets.Read(assets.SelfAssessment)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeCatalogue("x.yaml", []byte("id: [")); err == nil {
		t.Error("broken YAML was encoded")
	}
	anchored := strings.Replace(string(data), "title: ", "title: &t ", 1)
	if _, err := Load("x.yaml", []byte(anchored)); err != nil {
		t.Fatalf("the anchored catalogue should load: %v", err)
	}
	_, err = EncodeCatalogue("x.yaml", []byte(anchored))
	if err == nil || !strings.Contains(err.Error(), "anchors and aliases") {
		t.Errorf("an anchor was encoded: %v", err)
	}
}
