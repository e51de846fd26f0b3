package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
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
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return SearchPage{}, err
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
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true}, &raw); err != nil {
		return SearchPage{}, err
	}
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
	return page, nil
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
	c    *Client
	q    SearchQuery
	cur  Cursor
	done bool
	seen map[string]struct{}
}

// Pages returns a Pager over q, starting at the first page.
func (c *Client) Pages(q SearchQuery) *Pager {
	return &Pager{c: c, q: q, seen: map[string]struct{}{}}
}

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
