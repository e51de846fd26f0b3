//go:build !race

package list

// memoryIssues is how many issues TestMemoryPerRow10k loads. maxRowBytes
// is what one loaded issue may cost the list: the row, the key index and
// the filter's haystack together (live heap after a GC). The aim is under
// 1 KiB; rows measure 260 bytes (1,070 as whole jiraclient.Issues, 790
// interned), and the bound sits between, so rows that grow back to whole
// Issues fail here.
const (
	memoryIssues = 10_000
	maxRowBytes  = 512
	// maxStoreAndListBytes is what one issue may cost the store and the
	// list together (TestMemoryWithStore10k): 430 bytes measured with the
	// list holding the store's rows, 570 with a row of its own beside the
	// store's.
	maxStoreAndListBytes = 500
)
