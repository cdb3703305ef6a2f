//go:build !linux

package store

import "testing"

// mountReadOnly: read-only bind mounts are a Linux feature; elsewhere the test is skipped.
func mountReadOnly(t *testing.T, _ string) string {
	t.Skip("read-only bind mounts need Linux")
	return ""
}

// mountReadOnlyOrNil: no read-only copy off Linux.
func mountReadOnlyOrNil(*testing.T, string) string { return "" }
