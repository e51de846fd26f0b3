package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Field is one field of the site, system or custom, as GET /field lists it.
type Field struct {
	ID     string // "summary", "customfield_10016"
	Name   string // display name ("Story point estimate")
	Custom bool
	Schema FieldSchema
	// ClauseNames are the names JQL knows the field by ("cf[10016]",
	// "Story point estimate").
	ClauseNames []string
	Navigable   bool
	Orderable   bool
	Searchable  bool
}

// Fields is the site's field list, indexed by id.
type Fields struct {
	List []Field // in the order Jira sent them
	byID map[string]int
}

// Get returns the field with id.
func (fs *Fields) Get(id string) (Field, bool) {
	if fs == nil {
		return Field{}, false
	}
	i, ok := fs.byID[id]
	if !ok {
		return Field{}, false
	}
	return fs.List[i], true
}

// Schema is the schema of field id; the zero schema (an unknown type,
// decoded as text) when the site has no such field.
func (fs *Fields) Schema(id string) FieldSchema {
	f, _ := fs.Get(id)
	return f.Schema
}

// Name is field id's display name, or id itself when unknown.
func (fs *Fields) Name(id string) string {
	if f, ok := fs.Get(id); ok && f.Name != "" {
		return f.Name
	}
	return id
}

// ByCustomType returns the ids of the custom fields whose schema.custom is
// plugin (e.g. "com.pyxis.greenhopper.jira:gh-sprint"), lowest id first.
func (fs *Fields) ByCustomType(plugin string) []string {
	if fs == nil {
		return nil
	}
	var out []string
	for _, f := range fs.List {
		if f.Schema.Custom == plugin {
			out = append(out, f.ID)
		}
	}
	sort.Slice(out, func(i, j int) bool { return fieldIDLess(out[i], out[j]) })
	return out
}

// ByName returns the ids of the fields named name (case-insensitive; two
// custom fields may share a name), lowest id first.
func (fs *Fields) ByName(name string) []string {
	if fs == nil {
		return nil
	}
	var out []string
	for _, f := range fs.List {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.ID)
		}
	}
	sort.Slice(out, func(i, j int) bool { return fieldIDLess(out[i], out[j]) })
	return out
}

// fieldIDLess orders customfield_9 before customfield_10.
func fieldIDLess(a, b string) bool {
	if len(a) != len(b) && strings.HasPrefix(a, "customfield_") && strings.HasPrefix(b, "customfield_") {
		return len(a) < len(b)
	}
	return a < b
}

// Well-known custom field types (schema.custom) jiffy looks fields up by.
const (
	SprintFieldType      = "com.pyxis.greenhopper.jira:gh-sprint"
	EpicLinkFieldType    = "com.pyxis.greenhopper.jira:gh-epic-link"
	StoryPointsFieldType = "com.pyxis.greenhopper.jira:jsw-story-points"
)

// fieldCache holds the site's field list once fetched. The list changes
// only when an admin adds a field, so one fetch per client (that is, per
// profile) serves the session; InvalidateFields forgets it.
type fieldCache struct {
	mu     sync.Mutex
	fields *Fields
}

// Fields returns every field of the site with its schema, fetched once per
// client and cached; concurrent first calls share one request.
//
// Jira REST: GET /rest/api/{3|2}/field
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
// (Data Center: https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/#api/2/field-getFields).
func (c *Client) Fields(ctx context.Context) (*Fields, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	c.fields.mu.Lock()
	defer c.fields.mu.Unlock()
	if c.fields.fields != nil {
		return c.fields.fields, nil
	}
	path := c.api("field")
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: path}, &raw); err != nil {
		return nil, err
	}
	fs, err := decodeFields(raw)
	if err != nil {
		return nil, decodeError(http.MethodGet, path, err)
	}
	c.fields.fields = fs
	return fs, nil
}

// CachedFields is the field list when a Fields call has fetched it, else
// nil. It never asks Jira: a read-back after a write uses it to decode
// what the detail shows without adding a request to the write.
func (c *Client) CachedFields() *Fields {
	c.fields.mu.Lock()
	defer c.fields.mu.Unlock()
	return c.fields.fields
}

// InvalidateFields forgets the cached field list, so the next Fields call
// asks Jira again (after an admin added a field, say).
func (c *Client) InvalidateFields() {
	c.fields.mu.Lock()
	c.fields.fields = nil
	c.fields.mu.Unlock()
}

type wireField struct {
	ID          string      `json:"id"`
	Key         string      `json:"key"`
	Name        string      `json:"name"`
	Custom      bool        `json:"custom"`
	Schema      FieldSchema `json:"schema"`
	ClauseNames []string    `json:"clauseNames"`
	Navigable   bool        `json:"navigable"`
	Orderable   bool        `json:"orderable"`
	Searchable  bool        `json:"searchable"`
}

// decodeFields reads GET /field: an array of fields. Entries without an id
// are dropped.
func decodeFields(data []byte) (*Fields, error) {
	var ws []wireField
	if err := unmarshalLoose(data, &ws); err != nil {
		return nil, err
	}
	fs := &Fields{byID: make(map[string]int, len(ws))}
	for _, w := range ws {
		id := firstNonEmpty(w.ID, w.Key)
		if id == "" {
			continue
		}
		if _, dup := fs.byID[id]; dup {
			continue
		}
		fs.byID[id] = len(fs.List)
		fs.List = append(fs.List, Field{ID: id, Name: w.Name, Custom: w.Custom, Schema: w.Schema,
			ClauseNames: w.ClauseNames, Navigable: w.Navigable, Orderable: w.Orderable, Searchable: w.Searchable})
	}
	return fs, nil
}

// fillValues sets Issue.Values from a search page's raw issues, in a
// second pass that only requests with Schemas pay for.
func fillValues(issues []Issue, data []byte, fs *Fields) {
	var w struct {
		Issues []struct {
			Fields map[string]json.RawMessage `json:"fields"`
		} `json:"issues"`
	}
	if unmarshalLoose(data, &w) != nil {
		return
	}
	for i := range issues {
		if i < len(w.Issues) {
			issues[i].Values = DecodeFieldValues(fs, w.Issues[i].Fields)
		}
	}
}

// fillValuesOne sets Issue.Values of one issue from its raw JSON.
func fillValuesOne(issues []Issue, data []byte, fs *Fields) {
	var w struct {
		Fields map[string]json.RawMessage `json:"fields"`
	}
	if unmarshalLoose(data, &w) == nil && len(issues) == 1 {
		issues[0].Values = DecodeFieldValues(fs, w.Fields)
	}
}

// Kind is the kind of value the field holds.
func (m FieldMeta) Kind() FieldKind { return kindOf(m.Schema) }

// CanSet reports whether the screen lets the field be set (operations
// include "set"; a field listed without operations is read-only there).
func (m FieldMeta) CanSet() bool {
	for _, op := range m.Operations {
		if op == "set" {
			return true
		}
	}
	return false
}

// Option is the allowed value as an option to write (by id).
func (a AllowedValue) Option() OptionValue {
	o := OptionValue{ID: a.ID, Value: firstNonEmpty(a.Value, a.Name), Disabled: a.Disabled}
	return o
}

// Ref is the allowed value as a reference to write (a version, component,
// priority ...: by id).
func (a AllowedValue) Ref() Ref { return Ref{ID: a.ID, Name: a.Name} }
