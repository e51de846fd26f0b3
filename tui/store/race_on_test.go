//go:build race

package store

// entryIssues is how many issues TestMemoryPerEntry10k takes: fewer under
// the race detector, where fakejira's paging of 10,000 is slow; its
// allocations and fixed costs spread over fewer issues weigh more, so the
// bound is looser (2,000 rows under -race: 828 bytes shared, 1,115 not).
const (
	entryIssues   = 2_000
	maxEntryBytes = 1000
)
