//go:build !race

package store

// entryIssues is how many issues TestMemoryPerEntry10k takes, and
// maxEntryBytes the most the store may keep per list row: the entry and its
// Issue (~640 bytes) and the row's own key, id and summary, with the values
// rows repeat shared. Without the sharing a row cost ~1,000 bytes (10,000 rows: 1,001 measured, 767 with it).
const (
	entryIssues   = 10_000
	maxEntryBytes = 900
)
