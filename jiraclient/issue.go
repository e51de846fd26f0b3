package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// GetIssueOptions says what GetIssue asks for.
type GetIssueOptions struct {
	// Fields to return; nil means DetailFields plus the sprint field.
	Fields []string
	// Transitions also returns the transitions Jira offers now, with their
	// screen fields, saving a request when opening a transition picker.
	Transitions bool
	// Names also returns field display names (Issue.Names) of the returned
	// fields. That is how a Data Center site's sprint field is found: ask
	// once with Fields {"*navigable"} and Names, pass Issue.Names to
	// SprintFieldFromNames and cache the id for SprintField. When names
	// reveal a sprint field among the returned ones, Issue.Sprint is filled
	// from it.
	Names bool
	// SprintField is the site's sprint custom field. Empty means
	// CloudSprintField on Cloud and none on Data Center.
	SprintField string
	// Raw keeps the issue's JSON as Jira sent it in Issue.Raw.
	Raw bool
	// Schemas, when set (from Client.Fields), fills Issue.Values with every
	// returned field decoded by its schema: ask Fields {"*all"} for a
	// detail that shows every field.
	Schemas *Fields
}

// sprintField is the sprint field to ask for on this flavour.
func (o GetIssueOptions) sprintField(f Flavor) string {
	if o.SprintField != "" {
		return o.SprintField
	}
	if f == FlavorCloud {
		return CloudSprintField
	}
	return ""
}

// GetIssue fetches one issue with the fields a detail view shows, in one
// request: GET /rest/api/{3|2}/issue/{key}
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get).
// The description and the comments (the issue's "comment" field: the first
// page, with CommentTotal) come back as Markdown. Jira may answer with
// another key than asked (a moved issue); Issue.Key is the one it sent.
func (c *Client) GetIssue(ctx context.Context, key string, o GetIssueOptions) (*Issue, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("issue", key)
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, err
	}
	sprint := o.sprintField(f)
	fields := o.Fields
	if fields == nil {
		fields = append(append([]string(nil), DetailFields...), sprint)
		if sprint == "" {
			fields = fields[:len(fields)-1]
		}
	}
	q := url.Values{}
	q.Set("fields", strings.Join(fields, ","))
	var expand []string
	if o.Names {
		expand = append(expand, "names")
	}
	if o.Transitions {
		expand = append(expand, "transitions", "transitions.fields")
	}
	if len(expand) > 0 {
		q.Set("expand", strings.Join(expand, ","))
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q}, &raw); err != nil {
		return nil, err
	}
	is, err := decodeIssue(raw, sprintFieldIn(fields, sprint))
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	if o.Raw {
		is.Raw = raw
	}
	c.nameIssueMentions(ctx, &is)
	if o.Schemas != nil {
		one := []Issue{is}
		fillValuesOne(one, raw, o.Schemas)
		is = one[0]
	}
	return &is, nil
}
