package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// LinkType is a kind of issue link: Name "Blocks", Outward "blocks",
// Inward "is blocked by".
type LinkType struct {
	ID      string
	Name    string
	Inward  string
	Outward string
}

// LinkTypes lists the site's issue link types.
//
// Jira REST: GET /rest/api/{3|2}/issueLinkType
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/#api-rest-api-3-issuelinktype-get
func (c *Client) LinkTypes(ctx context.Context) ([]LinkType, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	p := c.api("issueLinkType")
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: p}, &raw); err != nil {
		return nil, err
	}
	types, err := decodeLinkTypes(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, p, err)
	}
	return types, nil
}

// decodeLinkTypes reads {"issueLinkTypes": [...]} (both flavours) or a
// bare array (as some client libraries' captures keep it).
func decodeLinkTypes(raw []byte) ([]LinkType, error) {
	type wireType struct {
		ID      flexString `json:"id"`
		Name    string     `json:"name"`
		Inward  string     `json:"inward"`
		Outward string     `json:"outward"`
	}
	var w struct {
		IssueLinkTypes []wireType `json:"issueLinkTypes"`
	}
	if b := strings.TrimSpace(string(raw)); strings.HasPrefix(b, "[") {
		if err := unmarshalLoose(raw, &w.IssueLinkTypes); err != nil {
			return nil, err
		}
	} else if err := unmarshalLoose(raw, &w); err != nil {
		return nil, err
	}
	out := make([]LinkType, 0, len(w.IssueLinkTypes))
	for _, t := range w.IssueLinkTypes {
		out = append(out, LinkType{ID: string(t.ID), Name: t.Name, Inward: t.Inward, Outward: t.Outward})
	}
	return out, nil
}

// LinkIssues links two issues so that "from <type.Outward> to" reads true:
// LinkIssues(ctx, "A-1", blocks, "B-2") makes A-1 block B-2. In Jira's
// body the source is "inwardIssue" and the target "outwardIssue" (the
// names describe the link's ends as seen from the other issue). The type
// is sent by id when known, else by name. Not retried once it may have
// reached Jira (a second POST adds a second link).
//
// Jira REST: POST /rest/api/{3|2}/issueLink
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/#api-rest-api-3-issuelink-post
func (c *Client) LinkIssues(ctx context.Context, from string, t LinkType, to string) error {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return err
	}
	p := c.api("issueLink")
	switch {
	case isBlank(from) || isBlank(to):
		return invalidInput(http.MethodPost, p, "both issues of the link are needed", "choose the issue to link to")
	case strings.EqualFold(strings.TrimSpace(from), strings.TrimSpace(to)):
		return invalidInput(http.MethodPost, p, "an issue cannot be linked to itself", "choose another issue")
	case isBlank(t.ID) && isBlank(t.Name):
		return invalidInput(http.MethodPost, p, "no link type given", "choose a link type")
	}
	typ := map[string]string{"name": t.Name}
	if t.ID != "" {
		typ = map[string]string{"id": t.ID}
	}
	body := map[string]any{
		"type":         typ,
		"inwardIssue":  map[string]string{"key": strings.TrimSpace(from)},
		"outwardIssue": map[string]string{"key": strings.TrimSpace(to)},
	}
	return c.call(ctx, request{Method: http.MethodPost, Path: p, Body: body, IssueKey: strings.TrimSpace(from)}, nil)
}

// DeleteLink removes an issue link (IssueLink.ID).
//
// Jira REST: DELETE /rest/api/{3|2}/issueLink/{linkId}
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/#api-rest-api-3-issuelink-linkid-delete
func (c *Client) DeleteLink(ctx context.Context, id string) error {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return err
	}
	p := c.api("issueLink", id)
	if isBlank(id) {
		return invalidInput(http.MethodDelete, p, "no link given", "choose a link first")
	}
	return c.call(ctx, request{Method: http.MethodDelete, Path: p}, nil)
}

// SubtaskType is the project's sub-task issue type from createmeta
// (the first type with Subtask set); KindNotSupported when the project
// has none (sub-tasks switched off).
//
// Jira REST: GET /rest/api/{3|2}/issue/createmeta/{projectIdOrKey}/issuetypes
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get
func (c *Client) SubtaskType(ctx context.Context, projectKey string) (IssueType, error) {
	types, err := c.CreateMetaIssueTypes(ctx, projectKey)
	if err != nil {
		return IssueType{}, err
	}
	for _, t := range types {
		if t.Subtask {
			return t, nil
		}
	}
	return IssueType{}, notSupported(c.Flavor(), http.MethodGet, c.api("issue", "createmeta", projectKey, "issuetypes"),
		"the project "+projectKey+" has no sub-task issue type", "ask a Jira admin to enable sub-tasks for the project")
}

// CreateSubtask creates a sub-task under parentKey, in the parent's
// project, with the project's sub-task type (from createmeta) unless
// in.IssueTypeID names one. in.Project is filled from the parent's key.
//
// Jira REST: POST /rest/api/{3|2}/issue with fields.parent
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
func (c *Client) CreateSubtask(ctx context.Context, parentKey string, in IssueCreate) (IssueRef, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return IssueRef{}, err
	}
	parentKey = strings.TrimSpace(parentKey)
	proj, _, ok := strings.Cut(parentKey, "-")
	if !ok || proj == "" {
		return IssueRef{}, invalidInput(http.MethodPost, c.api("issue"), "the parent "+strconvQuote(parentKey)+" is not an issue key", "choose the parent issue")
	}
	if in.Project == "" {
		in.Project = proj
	}
	if in.IssueTypeID == "" {
		t, err := c.SubtaskType(ctx, in.Project)
		if err != nil {
			return IssueRef{}, err
		}
		in.IssueTypeID = t.ID
	}
	in.Values = append(in.Values, FieldChange{ID: "parent", Schema: FieldSchema{Type: "issuelink", System: "parent"},
		Value: FieldValue{Kind: FieldIssue, Issue: &IssueRef{Key: parentKey}}})
	return c.CreateIssue(ctx, in)
}
