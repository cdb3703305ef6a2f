package embedded

import (
	"bytes"
	"testing"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

// Each built-in catalogue's encoding is the one its YAML makes now, so that pstab reads it
// instead of parsing the YAML.
func TestEncodingsAreCurrent(t *testing.T) {
	for _, name := range assets.Catalogues() {
		data, err := assets.Read(name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := questionnaire.EncodeCatalogue(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(assets.Encoded(name), want) {
			t.Errorf("%s is not the encoding of %s as it is now: run go generate ./assets", assets.EncodingName(name), name)
		}
	}
}

// The built-in catalogues as every command reads them, against parsing their YAML.
func BenchmarkCatalogues(b *testing.B) {
	load := func(b *testing.B, fn func(name string, data, enc []byte) error) {
		for b.Loop() {
			for _, name := range assets.Catalogues() {
				data, _ := assets.Read(name)
				if err := fn(name, data, assets.Encoded(name)); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("yaml", func(b *testing.B) {
		load(b, func(name string, data, _ []byte) error {
			_, err := questionnaire.Load(name, data)
			return err
		})
	})
	b.Run("encoded", func(b *testing.B) {
		load(b, func(name string, data, enc []byte) error {
			_, err := questionnaire.LoadEncoded(name, data, enc)
			return err
		})
	})
}
