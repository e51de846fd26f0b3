//go:build race

package cache

// Bounds of TestPutListRowAllocs under the race detector, which allocates
// more and makes sync.Pool drop writers now and then (their buffers grow
// again): 3.2-3.4 KB in 28-34 allocations a row measured; 7.3 KB in 88-98
// before the writer.
const (
	maxRowWriteBytes  = 4_500
	maxRowWriteAllocs = 45
)
