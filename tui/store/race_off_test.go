//go:build !race

package store

// entryIssues is how many issues TestMemoryPerEntry10k takes, and
// maxEntryBytes the most the store may keep per list row: the entry with its
// slim row (~200 bytes, intern.go) and the row's own key, id and summary,
// with the values rows repeat shared. 10,000 rows measured: 1,001 bytes
// with each row a whole Issue and nothing shared, 767 shared, 320 slim.
const (
	entryIssues   = 10_000
	maxEntryBytes = 450
)
