//go:build !unix

package store

import (
	"io/fs"
	"os"
)

// oNoFollow has no equivalent off Unix.
const oNoFollow = 0

// access has no cheap kernel check off Unix; the mode bits and SQLite's own errors cover
// the common cases.
func access(_ string, info fs.FileInfo) writeAccess {
	if info.Mode().Perm()&0o222 == 0 {
		return cannotWrite
	}
	return canWrite
}

// othersMayWrite: modes say nothing of other users off Unix.
func othersMayWrite(fs.FileInfo) bool { return false }

// chmodPrivate does nothing off Unix, where modes do not govern who reads a file.
func chmodPrivate(string, fs.FileMode, bool) (from, to fs.FileMode, err error) { return 0, 0, nil }

// NarrowMode does nothing off Unix, where modes do not govern who reads a file.
func NarrowMode(*os.File, fs.FileMode, bool) (from, to fs.FileMode, err error) { return 0, 0, nil }
