package store

import (
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// IssueMsg says an issue changed in the store, or that fetching it failed.
// Views showing Key read the store again (Store.Issue); Err is set when a
// fetch failed, and then the entry (if any) is what was there before.
type IssueMsg struct {
	Key string
	// Cached: the entry was read from the persistent cache and Jira has
	// not answered for it yet in this session.
	Cached bool
	Err    error
}

// Failed is the fetch's error.
func (m IssueMsg) Failed() error { return m.Err }

// QueryMsg is a query's result: a page from Jira, or (Cached) the whole
// result as last fetched, read from the persistent cache. Tag is the
// caller's (the list's generation): a view drops a result whose tag is not
// its current one.
type QueryMsg struct {
	Tag    int
	JQL    string
	Cursor jiraclient.Cursor // the page asked for (zero: the first)
	Page   jiraclient.SearchPage
	// Rows are the store's own rows of Page.Issues, index by index, for
	// a view to hold instead of a copy of its own: nil where the issue
	// shown is not Jira's list row as the store holds it (a write pending
	// over it, a full issue), and nil as a whole for a cached result or
	// an error. Read only: the store replaces a changed issue's row,
	// never writes it.
	Rows []*Row
	// Cached: read from the persistent cache; Fetched is then when Jira
	// gave it (its age), and Page.Last is true (a cached result is not
	// paged further: Jira's answer replaces it).
	Cached  bool
	Fetched time.Time
	// Changes are the issues of the result that are new or updated since
	// the user last looked (first page and cached results only).
	Changes map[string]cache.Change
	// Limit is set (to MaxLoad) when the result is larger than the store
	// loads: Data Center's search pages no further than its result window.
	Limit int
	// Stop says why loading ended before Jira said "last" (a repeated page
	// token, a page adding no new issue), with the page that ends it.
	Stop jiraclient.PageStop
	// Gone are the keys of this chunk's positions Jira did not give
	// (Cloud: deleted or hidden from the user since the key page, or still
	// unavailable after one retry): left out, so the page has fewer
	// issues than its positions, and Page.Total counts them out.
	Gone []string
	// Shifted (Data Center) is how many issues the result gained or lost
	// since the load began, said once with the chunk that showed it: the
	// startAt pages after the change are shifted against those before, so
	// as many issues may be missing from the list (or shown after they
	// left it). A refresh lists the result as it is.
	Shifted int
	Err     error
}

// Failed is the search's error.
func (m QueryMsg) Failed() error { return m.Err }

// WriteSettledMsg says an optimistic write is over: confirmed (Err nil) or
// rolled back (Err is Jira's refusal).
type WriteSettledMsg struct {
	Token string
	Key   string
	Err   error
}

// LoginNeededMsg says a request met an expired login. The request is kept
// and Replay sends it again after the user signs in; Abandon hands the
// failures back if the user gives up. Sent once per expiry.
type LoginNeededMsg struct{ Err error }

// NetworkMsg says the store went offline (Jira could not be reached: the
// cached lists and issues stay browsable, writes are refused) or came back
// online (a request succeeded).
type NetworkMsg struct {
	Offline bool
	Err     error
}

// FoundMsg is the answer of Find: cached issues matching Text.
type FoundMsg struct {
	Owner string
	Text  string
	Hits  []cache.Hit
	Err   error
}

// RefreshMsg is the auto-refresh tick (see AutoRefresh): the view showing a
// query reloads it, keeping its cursor.
type RefreshMsg struct{}
