//go:build race

package store

// raceEnabled says the tests run under the race detector, which instruments SQLite's
// transpiled C code too: every open is several times slower, and on a loaded machine
// slower still, so a wall-clock aim meant for pstab as built cannot be judged there.
const raceEnabled = true
