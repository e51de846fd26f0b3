package jiraclient

// The Agile REST API, /rest/agile/1.0: the same paths and payloads on Cloud
// (https://developer.atlassian.com/cloud/jira/software/rest/) and Data
// Center (https://docs.atlassian.com/jira-software/REST/9.12.0/). Only the
// epic calls differ: Cloud links an epic through the parent field, Data
// Center through the Epic Link custom field.
//
// Design note. Board pages reuse SearchPage and Cursor (StartAt paging with
// a total) so the issue store pages a board, a backlog, a sprint and a JQL
// search alike. Writes that Jira caps at 50 issues (move to a sprint, move
// to the backlog) are split here, in order, so a caller hands over any
// selection; when a later batch fails, the error's PartialError says which
// keys already moved.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// agileBatch is the most issues Jira accepts in one move or rank request.
const agileBatch = 50

// agilePath builds "/rest/agile/1.0/" + parts joined by "/", each part
// path-escaped.
func agilePath(parts ...string) string {
	var b strings.Builder
	b.WriteString("/rest/agile/1.0")
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

func pageSizeOr(n int) int {
	if n <= 0 {
		return defaultPageSize
	}
	return n
}

// Boards lists one page of the boards the user can see, in Jira's order.
// GET /rest/agile/1.0/board?startAt&maxResults&type&name&projectKeyOrId
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get).
func (c *Client) Boards(ctx context.Context, q BoardQuery, startAt int) (BoardPage, error) {
	path := agilePath("board")
	size := pageSizeOr(q.PageSize)
	v := url.Values{"startAt": {strconv.Itoa(startAt)}, "maxResults": {strconv.Itoa(size)}}
	if q.Type != "" {
		v.Set("type", q.Type)
	}
	if q.Name != "" {
		v.Set("name", q.Name)
	}
	if q.Project != "" {
		v.Set("projectKeyOrId", q.Project)
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: v}, &raw); err != nil {
		return BoardPage{}, err
	}
	page, err := decodeBoardPage(raw, startAt, size)
	if err != nil {
		return BoardPage{}, decodeError(http.MethodGet, path, err)
	}
	return page, nil
}

// AllBoards walks every page of the board list (up to 100 pages).
func (c *Client) AllBoards(ctx context.Context, q BoardQuery) ([]Board, error) {
	var all []Board
	start := 0
	for range maxListPages {
		p, err := c.Boards(ctx, q, start)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Boards...)
		if p.Last || len(p.Boards) == 0 {
			break
		}
		start = p.Next
	}
	return all, nil
}

// BoardConfiguration returns a board's columns (with the statuses mapped to
// each and their WIP limits), its constraint type, estimation field and
// rank field.
// GET /rest/agile/1.0/board/{boardId}/configuration
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-configuration-get).
func (c *Client) BoardConfiguration(ctx context.Context, boardID int) (*BoardConfig, error) {
	path := agilePath("board", strconv.Itoa(boardID), "configuration")
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path}, &raw); err != nil {
		return nil, err
	}
	cfg, err := decodeBoardConfig(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	return cfg, nil
}

// BoardIssues returns one page of a board's issues, in rank order: every
// issue the board's filter (and a kanban board's sub-query) selects,
// narrowed by q.JQL.
// GET /rest/agile/1.0/board/{boardId}/issue
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-issue-get).
func (c *Client) BoardIssues(ctx context.Context, boardID int, q AgileQuery, cur Cursor) (SearchPage, error) {
	return c.agileIssues(ctx, agilePath("board", strconv.Itoa(boardID), "issue"), q, cur)
}

// Backlog returns one page of a scrum board's backlog, in rank order: the
// board's issues that are in no active or future sprint and not in its
// done column.
// GET /rest/agile/1.0/board/{boardId}/backlog
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-backlog-get).
func (c *Client) Backlog(ctx context.Context, boardID int, q AgileQuery, cur Cursor) (SearchPage, error) {
	return c.agileIssues(ctx, agilePath("board", strconv.Itoa(boardID), "backlog"), q, cur)
}

// SprintIssues returns one page of a sprint's issues, in rank order. With
// boardID > 0 only the issues that board shows are returned
// (GET /rest/agile/1.0/board/{boardId}/sprint/{sprintId}/issue,
// https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-sprint-sprintid-issue-get);
// with 0, every issue of the sprint
// (GET /rest/agile/1.0/sprint/{sprintId}/issue,
// https://developer.atlassian.com/cloud/jira/software/rest/api-group-sprint/#api-rest-agile-1-0-sprint-sprintid-issue-get).
func (c *Client) SprintIssues(ctx context.Context, boardID, sprintID int, q AgileQuery, cur Cursor) (SearchPage, error) {
	path := agilePath("sprint", strconv.Itoa(sprintID), "issue")
	if boardID > 0 {
		path = agilePath("board", strconv.Itoa(boardID), "sprint", strconv.Itoa(sprintID), "issue")
	}
	return c.agileIssues(ctx, path, q, cur)
}

// agileFields is the field list an agile page asks for.
func (q AgileQuery) fields() []string {
	base := q.Fields
	if len(base) == 0 {
		base = ListFields
	}
	out := make([]string, 0, len(base)+3)
	out = append(out, base...)
	add := func(f string) {
		for _, x := range out {
			if x == f {
				return
			}
		}
		out = append(out, f)
	}
	// The Agile API's own fields: the issue's open sprint and (Data
	// Center, and older Cloud projects) its epic.
	add("parent")
	add("sprint")
	add("epic")
	if q.EstimateField != "" {
		add(q.EstimateField)
	}
	if q.EpicField != "" {
		add(q.EpicField)
	}
	return out
}

func (c *Client) agileIssues(ctx context.Context, path string, q AgileQuery, cur Cursor) (SearchPage, error) {
	size := pageSizeOr(q.PageSize)
	v := url.Values{
		"startAt":    {strconv.Itoa(cur.StartAt)},
		"maxResults": {strconv.Itoa(size)},
		"fields":     {strings.Join(q.fields(), ",")},
	}
	if q.JQL != "" {
		v.Set("jql", q.JQL)
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: v}, &raw); err != nil {
		return SearchPage{}, err
	}
	page, err := decodeAgilePage(raw, cur, q.EstimateField, q.EpicField)
	if err != nil {
		return SearchPage{}, decodeError(http.MethodGet, path, err)
	}
	return page, nil
}

// BoardSprints returns one page of a board's sprints in the given states
// (SprintActive, SprintFuture, SprintClosed; none = all), in Jira's order
// (closed, active, future, each by sequence). A kanban board has no sprints
// and answers KindBadRequest.
// GET /rest/agile/1.0/board/{boardId}/sprint?state=
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-sprint-get).
func (c *Client) BoardSprints(ctx context.Context, boardID int, states []string, startAt int) (SprintPage, error) {
	path := agilePath("board", strconv.Itoa(boardID), "sprint")
	v := url.Values{"startAt": {strconv.Itoa(startAt)}, "maxResults": {strconv.Itoa(defaultPageSize)}}
	if len(states) > 0 {
		v.Set("state", strings.Join(states, ","))
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path, Query: v}, &raw); err != nil {
		return SprintPage{}, err
	}
	page, err := decodeSprintPage(raw, startAt, defaultPageSize)
	if err != nil {
		return SprintPage{}, decodeError(http.MethodGet, path, err)
	}
	return page, nil
}

// AllBoardSprints walks every page of BoardSprints.
func (c *Client) AllBoardSprints(ctx context.Context, boardID int, states ...string) ([]Sprint, error) {
	var all []Sprint
	start := 0
	for range maxListPages {
		p, err := c.BoardSprints(ctx, boardID, states, start)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Sprints...)
		if p.Last || len(p.Sprints) == 0 {
			break
		}
		start = p.Next
	}
	return all, nil
}

// RankIssues ranks issues before or after another one (at most 50; Jira
// refuses more). Jira answers 204 when all moved, or 207 with a status per
// issue: then the error is a *Error (Status 207) whose PartialError lists
// the issues that did not move and Jira's reasons.
// PUT /rest/agile/1.0/issue/rank
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-issue/#api-rest-agile-1-0-issue-rank-put).
func (c *Client) RankIssues(ctx context.Context, in RankInput) error {
	path := agilePath("issue", "rank")
	switch {
	case len(in.Issues) == 0:
		return invalidInput(http.MethodPut, path, "no issue to rank", "choose the issues to move first")
	case len(in.Issues) > agileBatch:
		return invalidInput(http.MethodPut, path, "Jira ranks at most 50 issues at once", "rank fewer issues")
	case (in.Before == "") == (in.After == ""):
		return invalidInput(http.MethodPut, path, "a rank needs exactly one issue to rank before or after", "this is a bug in jiffy; please report it")
	}
	body := struct {
		Issues            []string `json:"issues"`
		RankBeforeIssue   string   `json:"rankBeforeIssue,omitempty"`
		RankAfterIssue    string   `json:"rankAfterIssue,omitempty"`
		RankCustomFieldID int      `json:"rankCustomFieldId,omitempty"`
	}{in.Issues, in.Before, in.After, in.RankField}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPut, Path: path, Body: body, Idempotent: true}, &raw); err != nil {
		return err
	}
	if len(raw) == 0 {
		return nil
	}
	pe, err := decodePartial(raw, in.Issues)
	if err != nil {
		return decodeError(http.MethodPut, path, err)
	}
	if pe == nil {
		return nil
	}
	return partialFailure(http.MethodPut, path, "rank", pe)
}

// partialFailure is the *Error of a bulk call that changed only some issues.
func partialFailure(method, path, verb string, pe *PartialError) *Error {
	e := &Error{Kind: KindBadRequest, Status: http.StatusMultiStatus, Method: method, Path: path, Err: pe}
	worst := 0
	for _, f := range pe.Failed {
		for _, m := range f.Errors {
			e.Messages = append(e.Messages, firstNonEmpty(f.Key, f.ID)+": "+m)
		}
		if f.Status > worst {
			worst = f.Status
		}
	}
	switch worst {
	case http.StatusForbidden:
		e.Kind = KindForbidden
	case http.StatusNotFound:
		e.Kind = KindNotFound
	}
	if worst >= 500 {
		e.Kind = KindServer
	}
	// What() adds Jira's per-issue reasons (Messages) after this.
	e.what = "Jira did not " + verb + " " + strconv.Itoa(len(pe.Failed)) + " of " + strconv.Itoa(len(pe.Failed)+len(pe.Done)) + " issues"
	e.hint = "the other issues moved; reload the board to see where each one is"
	return e
}

// MoveToSprint moves issues into an open (future) or active sprint, in
// requests of at most 50 issues in the given order; Before/After, when set,
// rank them there. Jira refuses a closed sprint (KindBadRequest with its
// reason). If a later request fails, the error's PartialError says which
// keys already moved.
// POST /rest/agile/1.0/sprint/{sprintId}/issue
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-sprint/#api-rest-agile-1-0-sprint-sprintid-issue-post).
func (c *Client) MoveToSprint(ctx context.Context, sprintID int, keys []string, before, after string) error {
	path := agilePath("sprint", strconv.Itoa(sprintID), "issue")
	if len(keys) == 0 {
		return invalidInput(http.MethodPost, path, "no issue to move", "choose the issues to move first")
	}
	return c.moveBatches(ctx, path, keys, func(batch []string) any {
		return struct {
			Issues          []string `json:"issues"`
			RankBeforeIssue string   `json:"rankBeforeIssue,omitempty"`
			RankAfterIssue  string   `json:"rankAfterIssue,omitempty"`
		}{batch, before, after}
	})
}

// MoveToBacklog takes issues out of every active and future sprint, in
// requests of at most 50 issues; see MoveToSprint for partial failures.
// POST /rest/agile/1.0/backlog/issue
// (https://developer.atlassian.com/cloud/jira/software/rest/api-group-backlog/#api-rest-agile-1-0-backlog-issue-post).
func (c *Client) MoveToBacklog(ctx context.Context, keys []string) error {
	path := agilePath("backlog", "issue")
	if len(keys) == 0 {
		return invalidInput(http.MethodPost, path, "no issue to move", "choose the issues to move first")
	}
	return c.moveBatches(ctx, path, keys, func(batch []string) any {
		return struct {
			Issues []string `json:"issues"`
		}{batch}
	})
}

// moveBatches posts keys in batches of agileBatch. Moving an issue where it
// already is changes nothing, so a retried batch is safe: the requests are
// marked idempotent.
func (c *Client) moveBatches(ctx context.Context, path string, keys []string, body func([]string) any) error {
	for start := 0; start < len(keys); start += agileBatch {
		end := min(start+agileBatch, len(keys))
		err := c.call(ctx, request{Method: http.MethodPost, Path: path, Body: body(keys[start:end]), Idempotent: true}, nil)
		if err == nil {
			continue
		}
		if start == 0 {
			return err
		}
		e, ok := err.(*Error)
		if !ok {
			return err
		}
		pe := &PartialError{Done: append([]string(nil), keys[:start]...)}
		reason := e.What()
		for _, k := range keys[start:] {
			pe.Failed = append(pe.Failed, IssueFailure{Key: k, Status: e.Status, Errors: []string{reason}})
		}
		if e.Err == nil {
			e.Err = pe
		}
		return e
	}
	return nil
}

// epicLinkSchema is the custom field type of Data Center's Epic Link.
const epicLinkSchema = "com.pyxis.greenhopper.jira:gh-epic-link"

// EpicLinkField returns the id of Data Center's Epic Link custom field
// (e.g. "customfield_10100"), found once through the field list and kept
// on the client. On Cloud it returns "" without a request: Cloud links
// epics through parent.
// GET /rest/api/2/field
// (https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/#api/2/field-getFields).
func (c *Client) EpicLinkField(ctx context.Context) (string, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return "", err
	}
	if f == FlavorCloud {
		return "", nil
	}
	if p := c.epicLink.Load(); p != nil {
		return *p, nil
	}
	path := c.api("field")
	fs, err := c.Fields(ctx) // the site's field list, shared with every other field lookup
	if err != nil {
		return "", err
	}
	ids := fs.ByCustomType(epicLinkSchema)
	if len(ids) == 0 {
		return "", notSupported(f, http.MethodGet, path, "this Jira has no Epic Link field", "ask an admin whether Jira Software is installed")
	}
	id := ids[0]
	c.epicLink.Store(&id)
	return id, nil
}

// EpicChildrenQuery is the search for an epic's child issues: JQL
// "parent = KEY" on Cloud, "cf[N] = KEY" over the Epic Link field on Data
// Center. Page it with Search or Pages.
func (c *Client) EpicChildrenQuery(ctx context.Context, epicKey string, fields []string) (SearchQuery, error) {
	path := agilePath("epic", epicKey, "issue")
	if isBlank(epicKey) {
		return SearchQuery{}, invalidInput(http.MethodGet, path, "no epic given", "choose an epic first")
	}
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return SearchQuery{}, err
	}
	q := SearchQuery{Fields: fields, PageSize: 100}
	if f == FlavorCloud {
		q.JQL = "parent = " + jqlQuote(epicKey) + " ORDER BY rank ASC"
		return q, nil
	}
	id, err := c.EpicLinkField(ctx)
	if err != nil {
		return SearchQuery{}, err
	}
	q.JQL = "cf[" + strings.TrimPrefix(id, "customfield_") + "] = " + jqlQuote(epicKey) + " ORDER BY rank ASC"
	return q, nil
}

// epicChildrenMax bounds EpicChildren: an epic of more is a project, and
// its progress line is still right within the first thousand.
const epicChildrenMax = 1000

// EpicChildren returns an epic's child issues (up to 1000) in rank order,
// with their status, for the epic's detail and its progress line. Fields nil
// means ListFields.
func (c *Client) EpicChildren(ctx context.Context, epicKey string, fields []string) ([]Issue, error) {
	q, err := c.EpicChildrenQuery(ctx, epicKey, fields)
	if err != nil {
		return nil, err
	}
	var out []Issue
	p := c.Pages(q)
	for p.More() && len(out) < epicChildrenMax {
		page, err := p.Next(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Issues...)
	}
	if len(out) > epicChildrenMax {
		out = out[:epicChildrenMax]
	}
	ref := IssueRef{Key: epicKey}
	for i := range out {
		out[i].Epic = &ref
	}
	return out, nil
}

// Progress counts how many of issues are done (status category done).
func Progress(issues []Issue) EpicProgress {
	p := EpicProgress{Total: len(issues)}
	for _, is := range issues {
		if is.Status.Category == CategoryDone {
			p.Done++
		}
	}
	return p
}

// SetEpic puts an issue in an epic; epicKey "" takes it out. Cloud sets the
// parent field ({"key": ...}; {} clears it), Data Center the Epic Link field
// (its key, or null).
// PUT /rest/api/{3|2}/issue/{key}
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put;
// clearing: https://developer.atlassian.com/cloud/jira/software/rest/api-group-epic/#api-rest-agile-1-0-epic-none-issue-post).
func (c *Client) SetEpic(ctx context.Context, key, epicKey string) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	if err := checkKey(http.MethodPut, c.api("issue", key), key); err != nil {
		return err
	}
	epicKey = strings.TrimSpace(epicKey)
	fields := map[string]any{}
	if f == FlavorCloud {
		if epicKey == "" {
			fields["parent"] = map[string]any{}
		} else {
			fields["parent"] = map[string]string{"key": epicKey}
		}
	} else {
		id, err := c.EpicLinkField(ctx)
		if err != nil {
			return err
		}
		if epicKey == "" {
			fields[id] = nil
		} else {
			fields[id] = epicKey
		}
	}
	return c.EditIssue(ctx, key, IssueEdit{Fields: fields})
}

// jqlQuote quotes a value for JQL unless it is a plain issue key.
func jqlQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
