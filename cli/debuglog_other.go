//go:build !unix

package cli

// oNoFollow has no equivalent off Unix.
const oNoFollow = 0

func isLoop(error) bool { return false }
