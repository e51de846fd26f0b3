package jiraclient

import (
	"context"
	"net/http"
)

// IssueCreate is a new issue. Description is Markdown. Fields are raw extra
// fields sent as-is (what the create screen from CreateMetaFields asks).
type IssueCreate struct {
	Project     string // project key
	IssueTypeID string
	Summary     string
	Description string
	Fields      map[string]any
	// Values are typed field values (custom fields of any type), encoded
	// by EncodeChanges: sets go under "fields", adds under "update".
	Values []FieldChange
}

// CreateIssue creates an issue and returns its id and key.
// POST /rest/api/{3|2}/issue
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post).
// Not retried once it may have reached Jira, since a second POST would
// create a second issue.
func (c *Client) CreateIssue(ctx context.Context, in IssueCreate) (IssueRef, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return IssueRef{}, err
	}
	path := c.api("issue")
	switch {
	case isBlank(in.Project):
		return IssueRef{}, invalidInput(http.MethodPost, path, "no project given", "choose the project to create the issue in")
	case isBlank(in.IssueTypeID):
		return IssueRef{}, invalidInput(http.MethodPost, path, "no issue type given", "choose an issue type")
	case isBlank(in.Summary):
		return IssueRef{}, invalidInput(http.MethodPost, path, "the summary is empty", "every issue needs a summary: type one")
	}
	fields := make(map[string]any, len(in.Fields)+4)
	for k, v := range in.Fields {
		fields[k] = v
	}
	fields["project"] = map[string]string{"key": in.Project}
	fields["issuetype"] = map[string]string{"id": in.IssueTypeID}
	fields["summary"] = in.Summary
	if !isBlank(in.Description) {
		fields["description"] = encodeBody(f, in.Description)
	}
	body := map[string]any{"fields": fields}
	if len(in.Values) > 0 {
		vf, vu, err := EncodeChanges(f, in.Values)
		if err != nil {
			return IssueRef{}, err
		}
		for k, v := range vf {
			if _, dup := fields[k]; dup {
				return IssueRef{}, invalidInput(http.MethodPost, path, "the field "+k+" was given twice", "set "+k+" either in Values or elsewhere, not both")
			}
			fields[k] = v
		}
		if len(vu) > 0 {
			body["update"] = vu
		}
	}
	var out struct {
		ID  flexString `json:"id"`
		Key string     `json:"key"`
	}
	if err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body}, &out); err != nil {
		return IssueRef{}, err
	}
	return IssueRef{ID: string(out.ID), Key: out.Key, Summary: in.Summary}, nil
}
