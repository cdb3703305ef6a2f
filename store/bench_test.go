package store

import "os"

// fixtureDirs are temporary folders benchmarks made outside t.TempDir (their fixtures are
// built once per process); TestMain removes them.
var fixtureDirs []string

func cleanupFixtures() {
	for _, d := range fixtureDirs {
		os.RemoveAll(d)
	}
}
