package scan

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// BenchmarkRead compares reading a manifest into facts and proposals with the YAML
// parser's own reading of the same bytes into nodes, the least any reader must do: the
// ratio is what pstab adds (line tracking, limits, facts, proposals).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "forge-remote", ForgeFile))
	if err != nil {
		b.Fatal(err)
	}
	c := cat(b)
	b.Run("reference=yaml.Node", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			f, err := FromBytes(ForgeFile, data)
			if err != nil {
				b.Fatal(err)
			}
			if r := Propose(c, f); len(r.Proposals) == 0 {
				b.Fatal("no proposals")
			}
		}
	})
}
