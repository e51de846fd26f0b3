package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// AssignableUsers lists users who may be assigned the issue, matching query
// (a prefix of the name or e-mail; "" lists the first ones Jira picks).
// Cloud takes query=, Data Center username=.
// GET /rest/api/{3|2}/user/assignable/search
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-assignable-search-get).
// Cloud rate-limits user search per tenant; a 429 comes back as
// KindRateLimited with RetryAfter.
func (c *Client) AssignableUsers(ctx context.Context, key, query string) ([]User, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("user", "assignable", "search")
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, err
	}
	return c.findUsers(ctx, f, path, url.Values{"issueKey": {key}}, query)
}

// findUsers asks a user search endpoint at path for query (Cloud names it
// query=, Data Center username=) with the other parameters in q, and
// learns the people found (their display names for mentions).
func (c *Client) findUsers(ctx context.Context, f Flavor, path string, q url.Values, query string) ([]User, error) {
	if f == FlavorCloud {
		q.Set("query", query)
	} else {
		q.Set("username", query)
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q}, &raw); err != nil {
		return nil, err
	}
	us, err := decodeUsers(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	for i := range us {
		c.people.learn(&us[i])
	}
	return us, nil
}
