package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// EditMeta describes the fields the user may edit on an issue now, keyed by
// field id, with their operations and allowed values.
// GET /rest/api/{3|2}/issue/{key}/editmeta
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-editmeta-get).
func (c *Client) EditMeta(ctx context.Context, key string) (map[string]FieldMeta, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	path := c.api("issue", key, "editmeta")
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path}, &raw); err != nil {
		return nil, err
	}
	m, err := decodeEditMeta(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	return m, nil
}

// metaPageSize is the largest page the createmeta endpoints serve (200 on
// Cloud; DC caps lower and simply returns fewer).
const metaPageSize = 200

// maxListPages bounds paging through a list endpoint, so a server that
// never says "last" cannot keep jiffy fetching forever.
const maxListPages = 100

// pageAll fetches every page of a startAt-paged list (a PageBean on Cloud,
// the paged createmeta on DC 9+).
func pageAll[T any](ctx context.Context, c *Client, path string, q url.Values, size int) ([]T, error) {
	var all []T
	start := 0
	for range maxListPages {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("startAt", strconv.Itoa(start))
		qq.Set("maxResults", strconv.Itoa(size))
		var p wirePage[T]
		if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: qq}, &p); err != nil {
			return nil, err
		}
		items := p.items()
		all = append(all, items...)
		if p.last(start, size) || len(items) == 0 {
			// An empty page that does not say it is the last would
			// only be asked for again: stop rather than loop.
			break
		}
		start += len(items)
	}
	return all, nil
}

// CreateMetaIssueTypes lists the issue types the user may create in a
// project, all pages of them.
// GET /rest/api/{3|2}/issue/createmeta/{projectIdOrKey}/issuetypes
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get);
// the older one-shot /issue/createmeta is deprecated on Cloud.
func (c *Client) CreateMetaIssueTypes(ctx context.Context, projectKey string) ([]IssueType, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	path := c.api("issue", "createmeta", projectKey, "issuetypes")
	if isBlank(projectKey) {
		return nil, invalidInput(http.MethodGet, path, "no project given", "choose the project to create the issue in")
	}
	ws, err := pageAll[wireIssueType](ctx, c, path, nil, metaPageSize)
	if err != nil {
		return nil, err
	}
	out := make([]IssueType, len(ws))
	for i := range ws {
		out[i] = ws[i].issueType()
	}
	return out, nil
}

// CreateMetaFields lists the fields of the create screen for one issue
// type in a project, all pages of them.
// GET /rest/api/{3|2}/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get).
func (c *Client) CreateMetaFields(ctx context.Context, projectKey, issueTypeID string) ([]FieldMeta, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	path := c.api("issue", "createmeta", projectKey, "issuetypes", issueTypeID)
	if isBlank(projectKey) || isBlank(issueTypeID) {
		return nil, invalidInput(http.MethodGet, path, "no project or issue type given", "choose the project and the issue type first")
	}
	ws, err := pageAll[wireFieldMeta](ctx, c, path, nil, metaPageSize)
	if err != nil {
		return nil, err
	}
	out := make([]FieldMeta, len(ws))
	for i := range ws {
		out[i] = ws[i].meta("")
	}
	return out, nil
}
