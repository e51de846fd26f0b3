//go:build race

package list

// memoryIssues is how many issues TestMemoryPerRow10k loads: fewer under
// the race detector, where fakejira's paging of 10,000 takes half a
// minute. maxRowBytes is then the aim itself (1 KiB): the detector's
// allocations, and fixed costs spread over fewer issues, measure 356
// bytes where a plain run of 10,000 measures 260.
const (
	memoryIssues = 2_000
	maxRowBytes  = 1024
	// maxStoreAndListBytes: TestMemoryWithStore10k's bound, loose as
	// maxRowBytes is.
	maxStoreAndListBytes = 2048
)
