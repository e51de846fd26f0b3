package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// Watchers is who watches an issue. Users may be fewer than Count when the
// caller may not see every watcher's profile.
type Watchers struct {
	Count    int
	Watching bool // the logged-in user watches it
	Users    []User
}

// Watchers lists an issue's watchers.
//
// Jira REST: GET /rest/api/{3|2}/issue/{key}/watchers
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-watchers/#api-rest-api-3-issue-issueidorkey-watchers-get
func (c *Client) Watchers(ctx context.Context, key string) (*Watchers, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	p := c.api("issue", key, "watchers")
	if err := checkKey(http.MethodGet, p, key); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: p}, &raw); err != nil {
		return nil, err
	}
	var w struct {
		IsWatching bool    `json:"isWatching"`
		WatchCount flexInt `json:"watchCount"`
		Watchers   []User  `json:"watchers"`
	}
	if err := unmarshalLoose(raw, &w); err != nil {
		return nil, decodeError(http.MethodGet, p, err)
	}
	n := int(w.WatchCount)
	if n < len(w.Watchers) {
		n = len(w.Watchers)
	}
	return &Watchers{Count: n, Watching: w.IsWatching, Users: w.Watchers}, nil
}

// self is the logged-in user, asked once per client (Myself) and kept:
// watching needs the caller's own accountId (Cloud) or username (DC).
func (c *Client) self(ctx context.Context) (*User, error) {
	if u := c.me.Load(); u != nil {
		return u, nil
	}
	u, err := c.Myself(ctx)
	if err != nil {
		return nil, err
	}
	c.me.Store(u)
	return u, nil
}

// Watch adds the logged-in user to an issue's watchers. The body names
// the user explicitly (a JSON string: accountId on Cloud, username on Data
// Center); the logged-in user is found once with Myself and remembered.
//
// Jira REST: POST /rest/api/{3|2}/issue/{key}/watchers
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-watchers/#api-rest-api-3-issue-issueidorkey-watchers-post
func (c *Client) Watch(ctx context.Context, key string) error {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return err
	}
	p := c.api("issue", key, "watchers")
	if err := checkKey(http.MethodPost, p, key); err != nil {
		return err
	}
	me, err := c.self(ctx)
	if err != nil {
		return err
	}
	// Adding a watcher twice changes nothing, so a lost answer may be retried.
	return c.call(ctx, request{Method: http.MethodPost, Path: p, Body: me.ID(), IssueKey: key, Idempotent: true}, nil)
}

// Unwatch removes the logged-in user from an issue's watchers: the user is
// a query parameter, accountId on Cloud, username on Data Center.
//
// Jira REST: DELETE /rest/api/{3|2}/issue/{key}/watchers?accountId=... (DC: ?username=...)
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-watchers/#api-rest-api-3-issue-issueidorkey-watchers-delete
func (c *Client) Unwatch(ctx context.Context, key string) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	p := c.api("issue", key, "watchers")
	if err := checkKey(http.MethodDelete, p, key); err != nil {
		return err
	}
	me, err := c.self(ctx)
	if err != nil {
		return err
	}
	q := url.Values{}
	if f == FlavorCloud {
		q.Set("accountId", me.AccountID)
	} else {
		q.Set("username", me.Name)
	}
	return c.call(ctx, request{Method: http.MethodDelete, Path: p, Query: q, IssueKey: key}, nil)
}
