//go:build race

package soak

// raceSlowdown scales the soak's timing limits under the race detector,
// which makes CPU-bound drawing 10-30 times slower (measured: a 120x40
// list frame ~1 ms natively, 30-100 ms with -race on a loaded 2-core
// machine). The limits themselves are for the program users run.
const raceSlowdown = 6
