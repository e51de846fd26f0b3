//go:build !race

package cache

// Bounds of TestPutListRowAllocs (1.0-1.2 KB in 21-27 allocations a row
// measured; 4.8 KB in 80-90 before the writer).
const (
	maxRowWriteBytes  = 2_000
	maxRowWriteAllocs = 35
)
