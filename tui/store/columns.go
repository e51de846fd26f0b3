package store

import (
	"context"
	"strings"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Design note: the list's columns are configurable per profile
// (`columns = [...]`): the built-in ones by name (key, type, priority,
// status, assignee, summary, updated) and any other field by id
// ("customfield_10016", "duedate", "fixVersions") or by its name ("Story
// point estimate", "Sprint"). The search then asks Jira for exactly the
// fields those columns show (plus summary, status and updated, which the
// list and the change marks need), and decodes the others into
// Issue.Values with the field list's schemas. No columns configured keeps
// jiraclient.ListFields.

// Columns is a resolved column configuration.
type Columns struct {
	// Builtin are the built-in columns shown, by their canonical name:
	// key, type, priority, status, assignee, summary, updated.
	Builtin map[string]bool
	// Extra are the other fields shown, in the configured order.
	Extra []Column
	// Unknown are configured names that match no field.
	Unknown []string
}

// Column is one configured field column.
type Column struct {
	ID, Title string
}

// builtinFields are the built-in columns' search fields.
var builtinFields = map[string]string{
	"key": "", "type": "issuetype", "priority": "priority", "status": "status",
	"assignee": "assignee", "summary": "summary", "updated": "updated",
}

var builtinAliases = map[string]string{"prio": "priority", "issuetype": "type", "upd": "updated"}

// ResolveColumns reads the configured columns against the site's field
// list (nil: names of other fields cannot be resolved yet, ids still can).
// Key and summary are always shown.
func ResolveColumns(cfg []string, fs *jiraclient.Fields) Columns {
	c := Columns{Builtin: map[string]bool{"key": true, "summary": true}}
	seen := map[string]bool{}
	for _, raw := range cfg {
		name := strings.TrimSpace(raw)
		low := strings.ToLower(name)
		if a, ok := builtinAliases[low]; ok {
			low = a
		}
		if _, ok := builtinFields[low]; ok {
			c.Builtin[low] = true
			continue
		}
		id := ""
		if f, ok := fs.Get(name); ok {
			id = f.ID
		} else if ids := fs.ByName(name); len(ids) > 0 {
			id = ids[0]
		} else if strings.HasPrefix(low, "customfield_") || fs == nil {
			id = name
		}
		if id == "" {
			c.Unknown = append(c.Unknown, name)
			continue
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		title := fs.Name(id)
		if title == "" {
			title = name
		}
		c.Extra = append(c.Extra, Column{ID: id, Title: title})
	}
	return c
}

// Fields are the search fields the columns need.
func (c Columns) Fields() []string {
	out := []string{"summary", "status", "updated"}
	for _, n := range []string{"type", "priority", "assignee"} {
		if c.Builtin[n] {
			out = append(out, builtinFields[n])
		}
	}
	for _, x := range c.Extra {
		out = append(out, x.ID)
	}
	return out
}

// listQuery is the search for a list page with the configured columns:
// SearchQuery's when none is configured; else exactly the columns' fields,
// the others decoded by the field list's schemas (fetched once per client;
// if that fails the list still loads, without them).
func listQuery(ctx context.Context, c *jiraclient.Client, jql string, pageSize int, cfg []string) jiraclient.SearchQuery {
	q := SearchQuery(jql, pageSize)
	if len(cfg) == 0 {
		return q
	}
	fs, err := c.Fields(ctx)
	if err != nil {
		fs = nil
	}
	cols := ResolveColumns(cfg, fs)
	q.Fields = cols.Fields()
	if len(cols.Extra) > 0 && fs != nil {
		q.Schemas = fs
	}
	return q
}
