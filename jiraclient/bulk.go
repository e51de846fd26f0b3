package jiraclient

// Design note: loading a big result at the wire's speed.
//
// A search page carries the list's fields for 50 issues (Cloud gives at
// most 100 with fields), and Cloud's enhanced search pages by token, so
// pages cannot be asked for in parallel. Atlassian's advice for throughput
// is two steps: collect the keys in sequence (enhanced search returns up to
// 5,000 per page when only id/key are asked), then hydrate them in parallel
// with POST /issue/bulkfetch (up to 100 issues a request). Data Center
// gives the total with the first page, so the remaining startAt pages can
// be asked for at once; its search platform refuses any page reaching past
// its result window (10,000 by default). The parallel requests all go
// through the client's throttle, which keeps them under its rate and
// in-flight cap; the callers only decide what to ask for.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
)

// Limits of the bulk endpoints, as Jira documents them.
const (
	// MaxKeyPage is the most keys one Cloud enhanced-search page returns
	// when only id/key are asked.
	MaxKeyPage = 5000
	// MaxBulkFetch is the most issues one POST /issue/bulkfetch returns.
	MaxBulkFetch = 100
	// MaxDCPage is Data Center's default cap on a search page
	// (jira.search.views.default.max); a site may set it lower, and the
	// page then says what it gave.
	MaxDCPage = 1000
	// ResultWindow is how far Data Center's search platform pages
	// (max_result_window): a page reaching past it fails with "Search limit
	// exceeded", so nothing past it can be loaded by startAt.
	ResultWindow = 10_000
)

// KeyPage is one page of a keys-only search.
type KeyPage struct {
	Keys  []string
	Next  Cursor
	Last  bool
	Total int // -1 on Cloud
}

// SearchKeys returns one page of the keys jql matches, in Jira's order,
// asking for no field so the page is as large as Jira allows: up to
// MaxKeyPage on Cloud (POST /rest/api/3/search/jql with fields ["key"],
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post),
// up to MaxDCPage on Data Center (POST /rest/api/2/search, capped by the
// result window). max 0 means the largest. Keys that are not issue keys
// are left out (ValidKey).
func (c *Client) SearchKeys(ctx context.Context, jql string, cur Cursor, max int) (KeyPage, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return KeyPage{}, err
	}
	limit := MaxKeyPage
	if f != FlavorCloud {
		limit = min(MaxDCPage, ResultWindow-cur.StartAt)
		if limit <= 0 {
			return KeyPage{Last: true, Total: -1}, nil
		}
	}
	if max <= 0 || max > limit {
		max = limit
	}
	raw, f, path, err := c.search(ctx, SearchQuery{JQL: jql, Fields: []string{"key"}, PageSize: max}, cur)
	if err != nil {
		return KeyPage{}, err
	}
	// Only the keys are decoded (not 5,000 Issues), and the page's own
	// list of them is kept: the keys that are not issue keys are dropped in
	// place.
	kp, err := decodeKeyPage(raw, f, cur)
	if err != nil {
		return KeyPage{}, decodeError(http.MethodPost, path, err)
	}
	keys := kp.Keys[:0]
	for _, k := range kp.Keys {
		// A key that is not an issue key can be neither fetched nor acted
		// on (checkKey): it is left out here rather than failing the bulk
		// fetch of the 99 beside it.
		if ValidKey(k) {
			keys = append(keys, k)
		}
	}
	kp.Keys = keys
	return kp, nil
}

// IssueError is an issue bulkfetch could not return for a reason Jira
// says may pass ("a retriable error or payload constraint").
type IssueError struct {
	ID      string
	Message string
}

// BulkResult is what BulkFetch returns: the issues in the order asked
// (Jira returns them by ascending id), the ones Jira could not return now,
// and the keys asked for that came back as neither (deleted, moved out of
// sight, or no longer visible to the user).
type BulkResult struct {
	Issues  []Issue
	Errors  []IssueError
	Missing []string
}

// BulkFetch returns up to MaxBulkFetch issues with fields (nil means
// ListFields) in one request: POST /rest/api/3/issue/bulkfetch
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-bulkfetch-post).
// Cloud only: Data Center has no such endpoint (an *Error of
// KindNotSupported; page its search instead). Keys are checked before
// anything is sent; none, or more than MaxBulkFetch, is refused.
func (c *Client) BulkFetch(ctx context.Context, keys []string, fields []string) (BulkResult, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return BulkResult{}, err
	}
	path := c.api("issue", "bulkfetch")
	if f != FlavorCloud {
		return BulkResult{}, notSupported(f, http.MethodPost, path, f.Title()+" has no bulk issue fetch", "page the search instead")
	}
	if len(keys) == 0 || len(keys) > MaxBulkFetch {
		return BulkResult{}, invalidInput(http.MethodPost, path, "a bulk fetch takes 1 to "+strconv.Itoa(MaxBulkFetch)+" issues, not "+strconv.Itoa(len(keys)), "ask for the issues in batches")
	}
	for _, k := range keys {
		if err := checkKey(http.MethodPost, path, k); err != nil {
			return BulkResult{}, err
		}
	}
	if len(fields) == 0 {
		fields = ListFields
	}
	body := struct {
		Keys   []string `json:"issueIdsOrKeys"`
		Fields []string `json:"fields"`
	}{keys, fields}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true}, &raw); err != nil {
		return BulkResult{}, err
	}
	page, err := decodeSearchPage(raw, FlavorCloud, Cursor{}, sprintFieldIn(fields, CloudSprintField))
	if err != nil {
		return BulkResult{}, decodeError(http.MethodPost, path, err)
	}
	var w struct {
		IssueErrors []struct {
			ID           flexString `json:"id"`
			ErrorMessage string     `json:"errorMessage"`
		} `json:"issueErrors"`
	}
	if bytes.Contains(raw, []byte(`"errorMessage"`)) { // a second pass only when there are errors to read
		_ = unmarshalLoose(raw, &w) // the issues decoded: an odd error list must not hide them
	}
	var out BulkResult
	for _, e := range w.IssueErrors {
		out.Errors = append(out.Errors, IssueError{ID: string(e.ID), Message: e.ErrorMessage})
	}
	// Jira answers by ascending id and may answer a moved issue under its
	// new key: put them back in the order asked, by key, then by id.
	byKey := make(map[string]int, len(page.Issues))
	for i := range page.Issues {
		byKey[page.Issues[i].Key] = i
		c.meetIssue(&page.Issues[i])
	}
	used := make([]bool, len(page.Issues))
	out.Issues = make([]Issue, 0, len(page.Issues))
	for _, k := range keys {
		i, ok := byKey[k]
		if !ok {
			i, ok = byID(page.Issues, k)
		}
		if !ok || used[i] {
			out.Missing = append(out.Missing, k)
			continue
		}
		used[i] = true
		out.Issues = append(out.Issues, page.Issues[i])
	}
	for i := range page.Issues {
		if !used[i] { // found under another key (moved): keep it at the end
			out.Issues = append(out.Issues, page.Issues[i])
		}
	}
	return out, nil
}

func byID(issues []Issue, id string) (int, bool) {
	for i := range issues {
		if issues[i].ID == id {
			return i, true
		}
	}
	return 0, false
}
