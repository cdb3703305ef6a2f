// Command encode writes the encoding of each built-in catalogue beside its YAML, so that
// pstab reads the catalogues without parsing YAML at start-up. Run it with
// go generate ./assets after editing a catalogue; until then pstab reads the edited YAML
// (the encoding is bound to the YAML it came from), and a test says the encoding is stale.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

func main() {
	for _, name := range assets.Catalogues() {
		// go generate runs this in the assets folder: the files on disk, not the embedded
		// copies, which are the ones from before the edit.
		data, err := os.ReadFile(name)
		if err == nil {
			err = write(name, data)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "encode:", err)
			os.Exit(1)
		}
	}
}

func write(name string, data []byte) error {
	enc, err := questionnaire.EncodeCatalogue(name, data)
	if err != nil {
		return err
	}
	out := assets.EncodingName(name)
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, enc) {
		return nil
	}
	if err := os.WriteFile(out, enc, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", out, len(enc))
	return nil
}
