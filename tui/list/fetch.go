package list

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// PageSize is how many issues one search request asks for.
const PageSize = 50

// PrefetchDelay is how long the cursor must rest on an issue before its
// detail is fetched (the store's debounce).
const PrefetchDelay = store.PrefetchDelay

// The list's request owners in the store: a new query cancels the old
// one's search and count.
const (
	listOwner  = "list"
	countOwner = "list-count"
)

// PageMsg is one page of search results for generation Gen (the list
// makes it from the store's QueryMsg); a result whose Gen is not the
// list's current one is dropped (the user moved on).
type PageMsg struct {
	Gen     int
	JQL     string
	Cursor  jiraclient.Cursor // the cursor this page was asked with (zero = first page)
	Page    jiraclient.SearchPage
	Rows    []*store.Row        // the store's rows of Page.Issues, nil where it has none (store.QueryMsg.Rows)
	Limit   int                 // the result is larger than this, all that loads (store.QueryMsg.Limit)
	Stop    jiraclient.PageStop // why loading ended before Jira said "last" (store.QueryMsg.Stop)
	Gone    int                 // issues of this page's positions Jira did not give: left out (store.QueryMsg.Gone)
	Shifted int                 // the result changed by this many issues while it loaded (store.QueryMsg.Shifted)
	Err     error
}

// Failed is the error the page carries.
func (m PageMsg) Failed() error { return m.Err }

// CountMsg is Cloud's approximate count for a query, asked in parallel with
// the first page. Sent by the count command; dropped when Gen is stale.
type CountMsg struct {
	Gen   int
	Count int
	Err   error
}

// Failed is the error the count carries.
func (m CountMsg) Failed() error { return m.Err }

// FiltersMsg carries the user's favourite filters, loaded in the background
// at start to become tabs.
type FiltersMsg struct {
	Filters []jiraclient.Filter
	Err     error
}

// Failed is the error the filters request carries.
func (m FiltersMsg) Failed() error { return m.Err }

var errNoClient = store.ErrNoClient

// countCmd asks Cloud for the approximate count of the pending query. It
// yields to the search (see jiraclient.Yield): under a 429 or 503 it waits
// for the first page and is retried once at most.
func (m Model) countCmd() tea.Cmd {
	gen, q, first := m.gen, m.pendingJQL, m.FirstSearch()
	return m.c.Issues.Do(countOwner, func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return CountMsg{Gen: gen, Err: errNoClient}, errNoClient
		}
		ctx = jiraclient.Yield(ctx, first)
		n, err := c.ApproximateCount(ctx, q)
		return CountMsg{Gen: gen, Count: n, Err: err}, err
	})
}

// filtersCmd loads the favourite filters, yielding to the first search
// like countCmd.
func (m Model) filtersCmd() tea.Cmd {
	first := m.FirstSearch()
	return m.c.Issues.Do("", func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return FiltersMsg{Err: errNoClient}, errNoClient
		}
		ctx = jiraclient.Yield(ctx, first)
		f, err := c.FavouriteFilters(ctx)
		return FiltersMsg{Filters: f, Err: err}, err
	})
}

// onCached draws a query's last result read from the persistent cache
// while Jira is asked: only while the list has nothing newer to show.
func (m Model) onCached(msg store.QueryMsg) (Model, tea.Cmd) {
	if msg.Tag != m.gen || m.state == stateReady || (m.promptOpen && m.prompt != nil && m.prompt.Running()) {
		return m, nil
	}
	// Loading: Jira's answer replaces it, keeping the cursor. Failed (no
	// network, say): the cached rows are better than the error screen; the
	// status bar keeps saying what failed.
	m.refreshing = m.state == stateLoading
	m.query = msg.JQL
	m.state, m.err = stateReady, nil
	m.dropRows()
	m.widths = colWidths{}
	m.total = -1
	m.appendPage(msg.Page, msg.Rows)
	m.cachedAt = msg.Fetched
	m.cursor, m.offset = 0, 0
	if m.filterIn.Value() != "" {
		return m, m.refilter("")
	}
	m.fix()
	return m, m.schedulePrefetch()
}

// onIssue takes an issue that changed in the store: its row, and the
// preview's Markdown laid out off the UI goroutine when it is highlighted.
func (m Model) onIssue(msg store.IssueMsg) (Model, tea.Cmd) {
	if msg.Err != nil {
		return m, nil
	}
	m.Sync(msg.Key)
	if is := m.Current(); m.preview && is != nil && is.Key == msg.Key {
		if full := m.c.Issues.Full(msg.Key); full != nil {
			return m, detail.Prerender(m.c, full, m.previewWidth())
		}
	}
	return m, nil
}

// gate is closed once, when a generation's first search has finished
// (with issues or an error, as the list learns it from the store, or when
// a newer generation starts); the side requests sent beside it wait on it
// after a 429 or 503.
type gate struct {
	once sync.Once
	ch   chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) close() {
	if g != nil {
		g.once.Do(func() { close(g.ch) })
	}
}

// errorText is what the user reads for a failed request.
func errorText(err error) string { return store.Describe(err) }

// noticeCmd is a short alias for views in this package.
func noticeCmd(level common.NoticeLevel, text string) tea.Cmd { return common.Notice(level, text) }
