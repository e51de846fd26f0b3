//go:build race

package store

// entryIssues is how many issues TestMemoryPerEntry10k takes: fewer under
// the race detector, where fakejira's paging of 10,000 is slow; its
// allocations and fixed costs spread over fewer issues weigh more, so the
// bound is looser (2,000 rows under -race: 1,115 bytes with each row a
// whole Issue, 828 shared, 379 slim).
const (
	entryIssues   = 2_000
	maxEntryBytes = 550
)
