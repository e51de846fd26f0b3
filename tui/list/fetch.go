package list

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// PageSize is how many issues one search request asks for.
const PageSize = 50

// PrefetchDelay is how long the cursor must rest on an issue before its
// detail is fetched, so scrolling through a list costs no requests.
const PrefetchDelay = 150 * time.Millisecond

// requestTimeout bounds one background request; the client has its own
// per-request deadline, this one covers retries too.
const requestTimeout = 2 * time.Minute

// PageMsg is one page of search results. Sent by the search command; Gen is
// the query generation it was asked for, and a result whose Gen is not the
// list's current one is dropped (the user moved on).
type PageMsg struct {
	Gen    int
	JQL    string
	Cursor jiraclient.Cursor // the cursor this page was asked with (zero = first page)
	Page   jiraclient.SearchPage
	Err    error
}

// Failed is the error the page carries (the root looks for auth failures).
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

// DetailMsg is a full issue fetched for the preview and the detail view
// (by the prefetch or on demand). The list caches it; the root also hands
// it to the detail view when that view waits for Key.
type DetailMsg struct {
	Key   string
	Issue *jiraclient.Issue
	Err   error
}

// Failed is the error the fetch carries.
func (m DetailMsg) Failed() error { return m.Err }

// prefetchMsg fires PrefetchDelay after the cursor moved; only the latest
// (seq) counts.
type prefetchMsg struct {
	seq int
	key string
}

var errNoClient = errors.New("not signed in: no Jira client")

// searchCmd fetches one page. It captures everything it needs: it must not
// read the model from the command's goroutine.
func searchCmd(c *jiraclient.Client, gen int, jql string, cur jiraclient.Cursor) tea.Cmd {
	return func() tea.Msg {
		if c == nil {
			return PageMsg{Gen: gen, JQL: jql, Cursor: cur, Err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		q := jiraclient.SearchQuery{JQL: jql, Fields: jiraclient.ListFields, PageSize: PageSize}
		p, err := c.Search(ctx, q, cur)
		return PageMsg{Gen: gen, JQL: jql, Cursor: cur, Page: p, Err: err}
	}
}

// countCmd asks Cloud for the approximate count of a query. It yields to
// the search (see jiraclient.Yield): under a 429 or 503 it waits for first
// and is retried once at most.
func countCmd(c *jiraclient.Client, gen int, jql string, first <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if c == nil {
			return CountMsg{Gen: gen, Err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		ctx = jiraclient.Yield(ctx, first)
		n, err := c.ApproximateCount(ctx, jql)
		return CountMsg{Gen: gen, Count: n, Err: err}
	}
}

// filtersCmd loads the favourite filters, yielding to the first search
// like countCmd.
func filtersCmd(c *jiraclient.Client, first <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if c == nil {
			return FiltersMsg{Err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		ctx = jiraclient.Yield(ctx, first)
		f, err := c.FavouriteFilters(ctx)
		return FiltersMsg{Filters: f, Err: err}
	}
}

// gate is closed once, when a generation's first search has finished
// (with issues or an error); the side requests sent beside it wait on it
// after a 429 or 503.
type gate struct {
	once sync.Once
	ch   chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) close() { g.once.Do(func() { close(g.ch) }) }

// detailCmd fetches one issue with the detail view's fields.
func detailCmd(c *jiraclient.Client, key string) tea.Cmd {
	return func() tea.Msg {
		if c == nil {
			return DetailMsg{Key: key, Err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		is, err := common.GetIssue(ctx, c, key)
		return DetailMsg{Key: key, Issue: is, Err: err}
	}
}

// errorText is what the user reads for a failed request: Jira's messages on
// a refused query, else the error with its hint.
func errorText(err error) string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		if je.Kind == jiraclient.KindBadRequest && (len(je.Messages) > 0 || len(je.FieldErrors) > 0) {
			s := ""
			for _, m := range je.Messages {
				if s != "" {
					s += " "
				}
				s += m
			}
			fields := make([]string, 0, len(je.FieldErrors))
			for f := range je.FieldErrors {
				fields = append(fields, f)
			}
			sort.Strings(fields)
			for _, f := range fields {
				if s != "" {
					s += " "
				}
				s += je.FieldErrors[f]
			}
			return s
		}
	}
	return err.Error()
}

// noticeCmd is a short alias for views in this package.
func noticeCmd(level common.NoticeLevel, text string) tea.Cmd { return common.Notice(level, text) }
