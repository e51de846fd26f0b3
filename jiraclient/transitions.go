package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// Transitions lists the workflow transitions Jira offers for an issue now,
// each with its screen's fields (required resolution, allowed values), via
// expand=transitions.fields.
// GET /rest/api/{3|2}/issue/{key}/transitions
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get).
// An empty list means the user may not transition the issue.
func (c *Client) Transitions(ctx context.Context, key string) ([]Transition, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	path := c.api("issue", key, "transitions")
	if err := checkKey(http.MethodGet, path, key); err != nil {
		return nil, err
	}
	q := url.Values{"expand": {"transitions.fields"}}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: q}, &raw); err != nil {
		return nil, err
	}
	ts, err := decodeTransitions(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	return ts, nil
}

// TransitionInput is one transition to perform.
type TransitionInput struct {
	ID string
	// Fields are the transition screen's fields, sent as-is, e.g.
	// {"resolution": {"name": "Done"}}.
	Fields map[string]any
	// Comment is an optional comment in Markdown, added with the transition
	// (ADF on Cloud, wiki markup on Data Center).
	Comment string
	// Values are typed screen fields (Transition.Fields gives their
	// schemas), encoded by EncodeChanges like edit and create.
	Values []FieldChange
}

// DoTransition moves an issue through a transition, with the screen's
// fields and an optional comment in the same request. A field the
// transition requires but did not get comes back as an *Error whose
// FieldErrors name it.
// POST /rest/api/{3|2}/issue/{key}/transitions
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post).
func (c *Client) DoTransition(ctx context.Context, key string, in TransitionInput) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	path := c.api("issue", key, "transitions")
	if err := checkKey(http.MethodPost, path, key); err != nil {
		return err
	}
	if in.ID == "" {
		return invalidInput(http.MethodPost, path, "no transition chosen", "pick one of the transitions Jira offers for "+key)
	}
	body := map[string]any{"transition": map[string]string{"id": in.ID}}
	fields := make(map[string]any, len(in.Fields)+len(in.Values))
	for k, v := range in.Fields {
		fields[k] = v
	}
	update := map[string]any{}
	if len(in.Values) > 0 {
		vf, vu, err := EncodeChanges(f, in.Values)
		if err != nil {
			return err
		}
		for k, v := range vf {
			if _, dup := fields[k]; dup {
				return invalidInput(http.MethodPost, path, "the field "+k+" was given twice", "set "+k+" either in Values or in Fields, not both")
			}
			fields[k] = v
		}
		for k, v := range vu {
			update[k] = v
		}
	}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	if !isBlank(in.Comment) {
		if _, clash := fields["comment"]; clash {
			return invalidInput(http.MethodPost, path, "the comment was given twice", "pass the comment either in Comment or in Fields, not both")
		}
		update["comment"] = []any{map[string]any{"add": map[string]any{"body": encodeBody(f, in.Comment)}}}
	}
	if len(update) > 0 {
		body["update"] = update
	}
	return c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body, IssueKey: key}, nil)
}
