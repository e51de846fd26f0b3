package jiraclient

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// SearchUsers finds users by a prefix of their name or e-mail, for a user
// field's picker (any user, not only assignable ones). Cloud takes query=,
// Data Center username=; an empty query asks nothing and returns none.
// GET /rest/api/{3|2}/user/search
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get).
// Cloud rate-limits user search per tenant; a 429 comes back as
// KindRateLimited with RetryAfter.
func (c *Client) SearchUsers(ctx context.Context, query string) ([]User, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("user", "search")
	us, err := c.findUsers(ctx, f, path, url.Values{"maxResults": {"20"}}, query)
	if err != nil {
		return nil, err
	}
	out := us[:0]
	for i := range us {
		if us[i].Active {
			out = append(out, us[i]) // an inactive user cannot be set
		}
	}
	return out, nil
}

// Group is a group found by FindGroups: its name, and on Cloud its id.
type Group struct {
	Name string
	ID   string // Cloud's groupId; "" on Data Center
}

// FindGroups finds groups whose name contains query ("" lists the first
// ones), for a group field's picker.
// GET /rest/api/{3|2}/groups/picker
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-groups/#api-rest-api-3-groups-picker-get).
func (c *Client) FindGroups(ctx context.Context, query string) ([]Group, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	path := c.api("groups", "picker")
	q := url.Values{"query": {strings.TrimSpace(query)}, "maxResults": {"20"}, "caseInsensitive": {"true"}}
	var out struct {
		Groups []struct {
			Name    string `json:"name"`
			GroupID string `json:"groupId"`
		} `json:"groups"`
	}
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q}, &out); err != nil {
		return nil, err
	}
	gs := make([]Group, 0, len(out.Groups))
	for _, g := range out.Groups {
		gs = append(gs, Group{Name: g.Name, ID: g.GroupID})
	}
	return gs, nil
}
