package jiraclient

// Design note: a write whose answer never came, or came as a 5xx, may or
// may not be in Jira. Sending it again blindly stores a comment twice or
// tries a transition from a status the issue has already left. So a caller
// asks OutcomeUnknown first and, when it is true, reads the issue back
// before offering a resend:
//
//   - an edit, an assignment or a transition shows in the issue itself
//     (GetIssue, compared by the caller, which knows what it changed);
//   - a comment is looked for with FindComment: the same body, by the same
//     author, created since the send. "Since" is measured on Jira's clock
//     (the Date header of the read-back's answer minus the time that passed
//     here since the send), so a client clock that is off does not matter;
//   - a created issue is looked for with FindCreated: JQL on the project,
//     reporter = currentUser() and "created >= -Nm", where the relative
//     date is again Jira's own clock, then the exact summary.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// OutcomeUnknown reports whether err leaves it unknown if a write took
// effect: the request was sent and the answer was a 5xx, never came (the
// deadline passed), or the connection broke. Read the issue back before
// offering to send it again. It is false for refusals (4xx), for failures
// before anything was sent, for reads and for a cancel.
func OutcomeUnknown(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.unsure
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// readBackSlack widens "since the send" for the time the request spent
// queued, retried and in flight before Jira stamped it.
const readBackSlack = 2 * time.Minute

// FindComment looks among an issue's newest comments for one with the
// body markdown (as Jira would give it back), written by author (matched
// by account ID on Cloud, by name or key on Data Center; nil matches
// anyone) and created at most since ago (plus a slack for the send
// itself), measured on Jira's clock. It returns nil and no error when
// there is none.
// GET /rest/api/{3|2}/issue/{key}/comment?orderBy=-created
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get).
func (c *Client) FindComment(ctx context.Context, key, markdown string, author *User, since time.Duration) (*Comment, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("issue", key, "comment")
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, err
	}
	q := url.Values{"orderBy": {"-created"}, "maxResults": {"50"}}
	var raw json.RawMessage
	var h http.Header
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q, Header: &h}, &raw); err != nil {
		return nil, err
	}
	cs, _, err := decodeCommentPage(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	now := c.s.clock.Now()
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		now = d
	}
	from := now.Add(-since - readBackSlack)
	want := sameText(asRead(f, markdown))
	for i := range cs {
		cm := cs[i]
		if cm.Created.Before(from) || !sameAuthor(cm.Author, author) {
			continue
		}
		if sameText(cm.Body) == want {
			return &cm, nil
		}
	}
	return nil, nil
}

// FindCreated looks for an issue in project with exactly summary, reported
// by the signed-in user at most since ago (plus a slack), on Jira's clock.
// It returns a zero IssueRef and no error when there is none.
// GET /rest/api/3/search/jql (Cloud) or /rest/api/2/search (Data Center).
func (c *Client) FindCreated(ctx context.Context, project, summary string, since time.Duration) (IssueRef, error) {
	mins := int((since+readBackSlack)/time.Minute) + 1
	jql := "project = " + quoteJQL(project) + " AND reporter = currentUser() AND created >= \"-" + strconv.Itoa(mins) + "m\" ORDER BY created DESC"
	page, err := c.Search(ctx, SearchQuery{JQL: jql, Fields: []string{"summary", "status", "issuetype"}, PageSize: 50}, Cursor{})
	if err != nil {
		return IssueRef{}, err
	}
	want := sameText(summary)
	for _, is := range page.Issues {
		if sameText(is.Summary) == want {
			return IssueRef{ID: is.ID, Key: is.Key, Summary: is.Summary}, nil
		}
	}
	return IssueRef{}, nil
}

// quoteJQL quotes a value for JQL.
func quoteJQL(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// asRead is markdown as Jira gives it back after storing it: encoded the
// way AddComment sends it and decoded the way Comments reads it.
func asRead(f Flavor, markdown string) string {
	b, err := json.Marshal(map[string]any{"body": encodeBody(f, markdown)})
	if err != nil {
		return markdown
	}
	var w wireComment
	if err := json.Unmarshal(b, &w); err != nil {
		return markdown
	}
	return w.comment().Body
}

// sameText folds what Jira may reflow: runs of white space.
func sameText(s string) string { return strings.Join(strings.Fields(s), " ") }

func sameAuthor(got User, want *User) bool {
	switch {
	case want == nil:
		return true
	case want.AccountID != "":
		return got.AccountID == want.AccountID
	case want.Name != "" || want.Key != "":
		return (want.Name != "" && got.Name == want.Name) || (want.Key != "" && got.Key == want.Key)
	}
	return true
}
