//go:build !unix

package cli

import (
	"io/fs"
	"os"
)

// oNoFollow has no equivalent off Unix.
const oNoFollow = 0

func isLoop(error) bool { return false }

// narrowOpen does nothing off Unix, where modes do not govern who reads a file.
func narrowOpen(*os.File, fs.FileMode, bool) (from, to fs.FileMode, err error) { return 0, 0, nil }
