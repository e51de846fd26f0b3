//go:build race

package markup

// raceEnabled slows the timing test's budget: the race detector makes this
// package's code 5-10x slower.
const raceEnabled = true
