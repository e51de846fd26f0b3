package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Comments lists an issue's comments, oldest first, from startAt (0-based);
// max <= 0 leaves the page size to Jira (100 on Cloud). It returns the
// comments as Markdown and the issue's total comment count.
// GET /rest/api/{3|2}/issue/{key}/comment
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get).
func (c *Client) Comments(ctx context.Context, key string, startAt, max int) ([]Comment, int, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, 0, err
	}
	path := c.api("issue", key, "comment")
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, 0, err
	}
	q := url.Values{}
	if startAt > 0 {
		q.Set("startAt", strconv.Itoa(startAt))
	}
	if max > 0 {
		q.Set("maxResults", strconv.Itoa(max))
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q}, &raw); err != nil {
		return nil, 0, err
	}
	cs, total, err := decodeCommentPage(raw)
	if err != nil {
		return nil, 0, decodeError(http.MethodGet, path, err)
	}
	bodies := make([]*string, len(cs))
	for i := range cs {
		c.people.learn(&cs[i].Author)
		bodies[i] = &cs[i].Body
	}
	c.nameMentions(ctx, bodies...)
	return cs, total, nil
}

// AddComment adds a comment written in Markdown, sent as ADF on Cloud and as
// wiki markup on Data Center, and returns the comment Jira created (201).
// POST /rest/api/{3|2}/issue/{key}/comment
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post).
// Not retried after the request may have reached Jira: a second POST would
// add the comment twice.
func (c *Client) AddComment(ctx context.Context, key, markdown string) (*Comment, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("issue", key, "comment")
	if err := checkKey(http.MethodPost, path, key); err != nil {
		return nil, err
	}
	if isBlank(markdown) {
		return nil, invalidInput(http.MethodPost, path, "the comment is empty", "write some text before sending")
	}
	body := map[string]any{"body": encodeBody(f, markdown)}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, IssueKey: key}, &raw); err != nil {
		return nil, err
	}
	cm, err := decodeComment(raw)
	if err != nil {
		return nil, decodeError(http.MethodPost, path, err)
	}
	return &cm, nil
}
