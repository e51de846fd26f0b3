package jiraclient

import (
	"context"
	"net/http"
)

// IssueEdit is a change to an issue's fields. Nil and empty members are
// left alone.
type IssueEdit struct {
	Summary     *string
	Description *string // Markdown; sent as ADF on Cloud, wiki markup on DC
	PriorityID  *string
	// AddLabels and RemoveLabels change labels one by one (update.labels),
	// so a label someone else added meanwhile is kept.
	AddLabels, RemoveLabels []string
	// Fields are raw extra fields, sent as-is under "fields".
	Fields map[string]any
}

// EditIssue changes an issue's fields: Summary, Description and PriorityID
// (and raw Fields) go under "fields", label changes under "update.labels"
// as add/remove operations. Jira rejects a field named in both, so that is
// refused here before sending. An edit with nothing in it sends nothing.
// PUT /rest/api/{3|2}/issue/{key}
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put).
func (c *Client) EditIssue(ctx context.Context, key string, e IssueEdit) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	path := c.api("issue", key)
	if err := checkKey(http.MethodPut, path, key); err != nil {
		return err
	}
	fields := make(map[string]any, len(e.Fields)+3)
	for k, v := range e.Fields {
		fields[k] = v
	}
	typed := func(name string, v any) error {
		if _, dup := e.Fields[name]; dup {
			return invalidInput(http.MethodPut, path, "the field "+name+" was given twice", "set "+name+" either through its own member or in Fields, not both")
		}
		fields[name] = v
		return nil
	}
	if e.Summary != nil {
		if isBlank(*e.Summary) {
			return invalidInput(http.MethodPut, path, "the summary is empty", "every issue needs a summary: type one")
		}
		if err := typed("summary", *e.Summary); err != nil {
			return err
		}
	}
	if e.Description != nil {
		var v any
		if !isBlank(*e.Description) {
			v = encodeBody(f, *e.Description)
		} // an empty description clears it: Jira takes null
		if err := typed("description", v); err != nil {
			return err
		}
	}
	if e.PriorityID != nil {
		if err := typed("priority", map[string]string{"id": *e.PriorityID}); err != nil {
			return err
		}
	}
	var ops []map[string]string
	for _, l := range e.AddLabels {
		ops = append(ops, map[string]string{"add": l})
	}
	for _, l := range e.RemoveLabels {
		ops = append(ops, map[string]string{"remove": l})
	}
	body := map[string]any{}
	if len(ops) > 0 {
		if _, dup := fields["labels"]; dup {
			return invalidInput(http.MethodPut, path, "labels were both set and changed", "use AddLabels/RemoveLabels or Fields[\"labels\"], not both")
		}
		body["update"] = map[string]any{"labels": ops}
	}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	if len(body) == 0 {
		return nil
	}
	return c.call(ctx, request{Method: http.MethodPut, Path: path, Body: body, IssueKey: key, Idempotent: true}, nil)
}

// Assign sets an issue's assignee; nil unassigns it. Cloud identifies the
// user by accountId, Data Center by username (User.ID gives the right one).
// PUT /rest/api/{3|2}/issue/{key}/assignee
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-assignee-put).
func (c *Client) Assign(ctx context.Context, key string, u *User) error {
	var id *string
	if u != nil {
		s := u.ID()
		if s == "" {
			return invalidInput(http.MethodPut, c.api("issue", key, "assignee"), "the user has no account id or username", "pick the user from the assignable-users list")
		}
		id = &s
	}
	return c.assign(ctx, key, id)
}

// AssignDefault gives the issue to the project's default assignee (Jira's
// "-1" convention, the same on both flavours).
// PUT /rest/api/{3|2}/issue/{key}/assignee.
func (c *Client) AssignDefault(ctx context.Context, key string) error {
	s := "-1"
	return c.assign(ctx, key, &s)
}

func (c *Client) assign(ctx context.Context, key string, id *string) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	path := c.api("issue", key, "assignee")
	if err := checkKey(http.MethodPut, path, key); err != nil {
		return err
	}
	prop := "name"
	if f == FlavorCloud {
		prop = "accountId"
	}
	body := map[string]*string{prop: id} // nil marshals as null: unassign
	return c.call(ctx, request{Method: http.MethodPut, Path: path, Body: body, IssueKey: key, Idempotent: true}, nil)
}
