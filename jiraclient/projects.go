package jiraclient

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// projectPageSize is the most Cloud's project search serves per page.
const projectPageSize = 100

// Projects lists the projects the user can see whose key or name contains
// query (case-insensitive; "" lists all).
// Cloud: GET /rest/api/3/project/search?query= (a PageBean, every page)
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get).
// Data Center: GET /rest/api/2/project, a plain array filtered here
// (https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/#api/2/project-getAllProjects).
func (c *Client) Projects(ctx context.Context, query string) ([]Project, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	var ws []wireNamed
	if f == FlavorCloud {
		q := url.Values{}
		if query != "" {
			q.Set("query", query)
		}
		ws, err = pageAll[wireNamed](ctx, c, c.api("project", "search"), q, projectPageSize)
	} else {
		err = c.call(ctx, request{Method: http.MethodGet, Path: c.api("project")}, &ws)
	}
	if err != nil {
		return nil, err
	}
	needle := strings.ToLower(strings.TrimSpace(query))
	out := make([]Project, 0, len(ws))
	for _, w := range ws {
		// Cloud matched query itself (its own rules, e.g. on key and
		// name); DC sends everything, so match here.
		if f != FlavorCloud && needle != "" && !strings.Contains(strings.ToLower(w.Key), needle) && !strings.Contains(strings.ToLower(w.Name), needle) {
			continue
		}
		out = append(out, Project{ID: string(w.ID), Key: w.Key, Name: line(w.Name)})
	}
	return out, nil
}

// FavouriteFilters lists the user's starred filters with their JQL.
// GET /rest/api/{3|2}/filter/favourite
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-filters/#api-rest-api-3-filter-favourite-get).
func (c *Client) FavouriteFilters(ctx context.Context) ([]Filter, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	var ws []wireNamed
	if err := c.call(ctx, request{Method: http.MethodGet, Path: c.api("filter", "favourite")}, &ws); err != nil {
		return nil, err
	}
	out := make([]Filter, len(ws))
	for i, w := range ws {
		out[i] = Filter{ID: string(w.ID), Name: line(w.Name), JQL: w.JQL}
	}
	return out, nil
}

// Priorities lists the site's priorities, in Jira's order (highest first).
// GET /rest/api/{3|2}/priority
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-priorities/#api-rest-api-3-priority-get).
// Cloud marks it deprecated in favour of per-scheme lists but still serves
// it; the priorities one issue accepts are in EditMeta's allowed values.
func (c *Client) Priorities(ctx context.Context) ([]Priority, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	var ws []wireNamed
	if err := c.call(ctx, request{Method: http.MethodGet, Path: c.api("priority")}, &ws); err != nil {
		return nil, err
	}
	out := make([]Priority, len(ws))
	for i, w := range ws {
		out[i] = Priority{ID: string(w.ID), Name: line(w.Name)}
	}
	return out, nil
}

// labelPageSize is Cloud's default (and useful maximum) for GET /label.
const labelPageSize = 1000

// Labels suggests labels starting with prefix, for completion.
// Both flavours: GET /rest/api/{3|2}/jql/autocompletedata/suggestions?fieldName=labels&fieldValue=prefix
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-jql/#api-rest-api-3-jql-autocompletedata-suggestions-get).
// On Cloud an empty prefix lists the site's labels instead: GET /rest/api/3/label
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-labels/#api-rest-api-3-label-get).
func (c *Client) Labels(ctx context.Context, prefix string) ([]string, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	if f == FlavorCloud && prefix == "" {
		return pageAll[string](ctx, c, c.api("label"), nil, labelPageSize)
	}
	q := url.Values{"fieldName": {"labels"}, "fieldValue": {prefix}}
	var out struct {
		Results []struct {
			Value string `json:"value"`
		} `json:"results"`
	}
	if err := c.call(ctx, request{Method: http.MethodGet, Path: c.api("jql", "autocompletedata", "suggestions"), Query: q}, &out); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	labels := make([]string, 0, len(out.Results))
	for _, r := range out.Results {
		if r.Value != "" && !seen[r.Value] {
			seen[r.Value] = true
			labels = append(labels, r.Value)
		}
	}
	sort.Strings(labels)
	return labels, nil
}
