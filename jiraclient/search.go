package jiraclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ListFields are the fields the issue list shows; ask for no more, since
// Cloud returns fewer issues per page the more fields a search asks for.
var ListFields = []string{"summary", "issuetype", "priority", "status", "assignee", "updated"}

// DetailFields are the fields the issue detail shows. GetIssue adds the
// site's sprint field to them (see GetIssueOptions.SprintField).
var DetailFields = []string{
	"summary", "issuetype", "priority", "status", "assignee", "updated",
	"reporter", "created", "labels", "components", "fixVersions", "parent",
	"description", "comment", "issuelinks", "subtasks", "attachment",
	"resolution", "project",
}

// CloudSprintField is the sprint custom field on nearly every Jira Cloud
// site (Jira Software creates it as customfield_10020). It is used on Cloud
// unless the caller names another; Data Center sites number it differently,
// so there it must be found through names (SprintFieldFromNames).
const CloudSprintField = "customfield_10020"

// defaultPageSize is Jira's own default page size for search.
const defaultPageSize = 50

// SearchQuery is a JQL search. Fields nil means ListFields.
type SearchQuery struct {
	JQL      string
	Fields   []string
	PageSize int      // 0 = 50
	Expand   []string // e.g. "names"
	// SprintField is the sprint custom field among Fields whose value fills
	// Issue.Sprint. Empty means CloudSprintField on Cloud and none on Data
	// Center (whose sprint field id differs per site).
	SprintField string
	// Raw keeps each issue's JSON as Jira sent it in Issue.Raw.
	Raw bool
	// Schemas, when set (from Client.Fields), fills Issue.Values with every
	// returned field decoded by its schema: list columns of any field.
	Schemas *Fields
}

// Cursor is where a page starts: Token on Cloud, StartAt on Data Center.
// The zero Cursor is the first page.
type Cursor struct {
	Token   string
	StartAt int
}

// SearchPage is one page of search results.
type SearchPage struct {
	Issues []Issue
	Next   Cursor // cursor of the following page
	Last   bool   // no more pages
	Total  int    // -1 when Jira gives none (Cloud /search/jql); DC gives it
	// AnsweredAt is the startAt Jira's answer says it starts at (Data
	// Center), -1 when it says none: a page answered at another offset
	// than asked is not the page asked for.
	AnsweredAt int
}

func (q SearchQuery) fields() []string {
	if len(q.Fields) == 0 {
		return ListFields
	}
	return q.Fields
}

func (q SearchQuery) pageSize() int {
	if q.PageSize <= 0 {
		return defaultPageSize
	}
	return q.PageSize
}

// sprintFieldIn returns want when fields asks for it ("" otherwise), so
// the sprint is decoded only when it was requested.
func sprintFieldIn(fields []string, want string) string {
	if want == "" {
		return ""
	}
	for _, f := range fields {
		if f == want || f == "*all" || f == "*navigable" {
			return want
		}
	}
	return ""
}

// Search runs one page of a JQL search.
//
// Cloud uses the enhanced search, POST /rest/api/3/search/jql
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post):
// it pages by nextPageToken and gives no total, so Total is -1 and Last is
// isLast (or no token). The old /rest/api/3/search answers 410 there.
// Data Center uses POST /rest/api/2/search
// (https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/#api/2/search-searchUsingSearchRequest):
// offset paging with a total; Last when startAt+len >= total or a page is
// empty.
//
// Both are POSTs because JQL and field lists outgrow a URL; they are reads,
// so they are marked idempotent and retried like GETs.
func (c *Client) Search(ctx context.Context, q SearchQuery, cur Cursor) (SearchPage, error) {
	raw, f, path, err := c.search(ctx, q, cur)
	if err != nil {
		return SearchPage{}, err
	}
	fields := q.fields()
	sprint := q.SprintField
	if sprint == "" && f == FlavorCloud {
		sprint = CloudSprintField
	}
	page, err := decodeSearchPage(raw, f, cur, sprintFieldIn(fields, sprint))
	if err == nil && q.Schemas != nil {
		fillValues(page.Issues, raw, q.Schemas)
	}
	if err != nil {
		return SearchPage{}, decodeError(http.MethodPost, path, err)
	}
	if q.Raw {
		var w struct {
			Issues []json.RawMessage `json:"issues"`
		}
		if err := json.Unmarshal(raw, &w); err != nil || len(w.Issues) != len(page.Issues) {
			return SearchPage{}, decodeError(http.MethodPost, path, errors.New("the issues could not be kept as sent"))
		}
		for i := range page.Issues {
			page.Issues[i].Raw = w.Issues[i]
		}
	}
	for i := range page.Issues {
		c.meetIssue(&page.Issues[i]) // names for the mentions of issues opened later
	}
	return page, nil
}

// search sends one search request (the flavour's endpoint, q's fields and
// page size, cur's position) and returns Jira's answer undecoded, with the
// flavour and path it was sent to.
func (c *Client) search(ctx context.Context, q SearchQuery, cur Cursor) (json.RawMessage, Flavor, string, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, f, "", err
	}
	fields := q.fields()
	var body any
	var path string
	if f == FlavorCloud {
		b := struct {
			JQL           string   `json:"jql"`
			Fields        []string `json:"fields"`
			MaxResults    int      `json:"maxResults"`
			NextPageToken string   `json:"nextPageToken,omitempty"`
			Expand        string   `json:"expand,omitempty"`
		}{q.JQL, fields, q.pageSize(), cur.Token, strings.Join(q.Expand, ",")}
		body, path = b, c.api("search", "jql")
	} else {
		b := struct {
			JQL        string   `json:"jql"`
			StartAt    int      `json:"startAt"`
			MaxResults int      `json:"maxResults"`
			Fields     []string `json:"fields"`
			Expand     []string `json:"expand,omitempty"`
		}{q.JQL, cur.StartAt, q.pageSize(), fields, q.Expand}
		body, path = b, c.api("search")
	}
	if err := checkJQL(http.MethodPost, path, q.JQL); err != nil {
		return nil, f, path, err
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true}, &raw); err != nil {
		return nil, f, path, err
	}
	return raw, f, path, nil
}

// MaxPages is the most pages one paged search fetches (Pager, and the
// list's own paging): 200 pages of 50 is 10,000 issues, more than a
// terminal list is for, and a bound on a server that never says "last".
const MaxPages = 200

// PageStop says why paging stopped although Jira did not mark a page as
// the last. Paging always ends: Jira repeating its page token, a page that
// adds no issue not already seen (empty pages with isLast false, a Data
// Center total of a billion over the same page again) or MaxPages pages.
type PageStop int

// The reasons paging stops early; PageGoOn means it need not.
const (
	PageGoOn PageStop = iota
	PageRepeated
	PageNoProgress
	PageLimit
)

// String says why, in words for a status line.
func (s PageStop) String() string {
	switch s {
	case PageRepeated:
		return "Jira sent the same page token again"
	case PageNoProgress:
		return "Jira's next page added no new issue"
	case PageLimit:
		return "reached the limit of " + strconv.Itoa(MaxPages) + " pages"
	}
	return ""
}

// CheckPaging decides whether paging stops after page, which was asked for
// with cur, added added issues not seen before and was page number pages
// (1-based). A page Jira marks as the last needs no check.
func CheckPaging(cur Cursor, page SearchPage, added, pages int) PageStop {
	switch {
	case page.Last:
		return PageGoOn
	case page.Next == cur || (page.Next.Token != "" && page.Next.Token == cur.Token):
		return PageRepeated
	case added == 0:
		return PageNoProgress
	case pages >= MaxPages:
		return PageLimit
	}
	return PageGoOn
}

// Pager walks a search page by page over either flavour:
//
//	p := c.Pages(q)
//	for p.More() {
//		page, err := p.Next(ctx)
//		...
//	}
//
// A Pager is not safe for concurrent use.
type Pager struct {
	c       *Client
	q       SearchQuery
	cur     Cursor
	done    bool
	seen    map[string]struct{}
	tokens  map[string]struct{}
	pages   int
	stopped PageStop
}

// Pages returns a Pager over q, starting at the first page.
func (c *Client) Pages(q SearchQuery) *Pager {
	return &Pager{c: c, q: q, seen: map[string]struct{}{}, tokens: map[string]struct{}{}}
}

// Stopped says why paging ended before Jira marked a page as the last
// (PageGoOn when it did not, or has not ended).
func (p *Pager) Stopped() PageStop { return p.stopped }

// More reports whether Next has a page to fetch.
func (p *Pager) More() bool { return !p.done }

// Next fetches the following page. Issues already returned by an earlier
// page are dropped: on DC offsets shift when issues change under a running
// search, and a repeated key would show twice in the list. After an error,
// More stays true so the caller may retry the same page.
func (p *Pager) Next(ctx context.Context) (SearchPage, error) {
	if p.done {
		return SearchPage{Last: true, Total: -1}, nil
	}
	page, err := p.c.Search(ctx, p.q, p.cur)
	if err != nil {
		return SearchPage{}, err
	}
	kept := page.Issues[:0]
	for _, is := range page.Issues {
		if _, dup := p.seen[is.Key]; dup {
			continue
		}
		p.seen[is.Key] = struct{}{}
		kept = append(kept, is)
	}
	page.Issues = kept
	p.pages++
	stop := CheckPaging(p.cur, page, len(kept), p.pages)
	if _, again := p.tokens[page.Next.Token]; stop == PageGoOn && again && page.Next.Token != "" && !page.Last {
		stop = PageRepeated // a cycle of tokens, not only the last one again
	}
	p.tokens[page.Next.Token] = struct{}{}
	if stop != PageGoOn {
		p.stopped = stop
		page.Last, page.Next = true, Cursor{}
	}
	p.cur, p.done = page.Next, page.Last
	return page, nil
}

// ApproximateCount is how many issues jql matches, as Jira Cloud estimates
// it: POST /rest/api/3/search/approximate-count
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-approximate-count-post).
// Data Center has no such endpoint (its search gives a total instead): there
// it returns an *Error of KindNotSupported.
func (c *Client) ApproximateCount(ctx context.Context, jql string) (int, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return 0, err
	}
	path := c.api("search", "approximate-count")
	if f != FlavorCloud {
		return 0, notSupported(f, http.MethodPost, path, f.Title()+" has no approximate issue count", "use the total of a search instead")
	}
	if err := checkJQL(http.MethodPost, path, jql); err != nil {
		return 0, err
	}
	var out struct {
		Count int `json:"count"`
	}
	body := struct {
		JQL string `json:"jql"`
	}{jql}
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true}, &out); err != nil {
		return 0, err
	}
	return out.Count, nil
}

// MaxJQL is the longest query jiffy sends, in bytes. Jira documents no
// limit, but a query this long is a paste gone wrong, not a search: it
// would be sent on every page and kept in the history.
const MaxJQL = 10_000

// checkJQL refuses a query over MaxJQL before anything is sent.
func checkJQL(method, path, jql string) error {
	if len(jql) <= MaxJQL {
		return nil
	}
	return invalidInput(method, path, fmt.Sprintf("the JQL query is %d characters long, more than the %d jiffy sends", len(jql), MaxJQL), "shorten the query")
}
