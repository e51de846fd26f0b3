package store

// Design note: a list row costs memory per loaded issue, and a query
// loads up to MaxLoad of them; the store's entries and the list's rows
// both keep one per issue, as the one Row type below (made by one
// Interner).
//
//   - A Row is not a jiraclient.Issue (536 bytes, most of it fields only
//     the detail fills) but the fields a list row shows (112 bytes);
//     whatever else the issue came with (a configured column's value, the
//     detail's description and comments) is kept aside in rest, which a
//     list row of the default columns does not have. Row.Issue gives the
//     Issue back, equal to the one taken.
//   - The list's filter searches "KEY summary" (Row.Hay): a row holds that
//     one string, its Key and its summary being slices of it.
//   - Decoded from JSON, every row carries its own copy of its assignee,
//     reporter and priority and of its status, type and project names,
//     though a site has a few dozen of each: rows point to one shared copy
//     of each value instead (the strings through unique, so rows of
//     different Interners share them too). The shared values are never
//     written through: a write replaces the pointer (patch.apply returns a
//     new Issue), and a changed issue is a new Row.

import (
	"reflect"
	"time"
	"unique"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// maxInterned bounds the shared values kept: past it the maps start again
// (rows already holding a value keep it; only sharing with later rows is
// lost), so a long session over many sites cannot grow them without end.
const maxInterned = 4096

// Interner makes Rows, holding one copy of each user, priority, type and
// status they point to. Its zero value is ready; it is not safe for
// concurrent use (the store's is under the store's lock, a list's on the
// UI goroutine).
type Interner struct {
	users    map[jiraclient.User]*jiraclient.User
	prios    map[jiraclient.Priority]*jiraclient.Priority
	types    map[jiraclient.IssueType]*jiraclient.IssueType
	statuses map[jiraclient.Status]*jiraclient.Status
}

// Row is one loaded issue as the store and the list keep it (see the
// design note), made by Interner.Row. It is read only: its pointers are
// shared between rows and Key is a slice of the haystack; a changed issue
// is a new Row, never a Row written through.
type Row struct {
	Key      string // the first len(Key) bytes of hay
	hay      string // "KEY summary"
	ID       string
	Type     *jiraclient.IssueType
	Status   *jiraclient.Status
	Priority *jiraclient.Priority
	Assignee *jiraclient.User
	Updated  time.Time
	rest     *jiraclient.Issue // the issue's other fields, nil when it has none
}

// Hay is "KEY summary", the string the list's filter searches.
func (r *Row) Hay() string { return r.hay }

// Summary is the issue's summary.
func (r *Row) Summary() string {
	if len(r.hay) <= len(r.Key) {
		return ""
	}
	return r.hay[len(r.Key)+1:]
}

// Value is the issue's value of the field id (a configured column), zero
// when it came without one.
func (r *Row) Value(id string) jiraclient.FieldValue {
	if r.rest == nil {
		return jiraclient.FieldValue{}
	}
	return r.rest.Values[id]
}

// Issue is the row as the jiraclient.Issue it was made from.
func (r *Row) Issue() jiraclient.Issue {
	var is jiraclient.Issue
	if r.rest != nil {
		is = *r.rest
	}
	is.ID, is.Key, is.Summary, is.Updated = r.ID, r.Key, r.Summary(), r.Updated
	if r.Type != nil {
		is.Type = *r.Type
	}
	if r.Status != nil {
		is.Status = *r.Status
	}
	is.Priority, is.Assignee = r.Priority, r.Assignee
	return is
}

// Row is is as a Row, its repeated values shared.
func (in *Interner) Row(is jiraclient.Issue) Row {
	if in.users == nil || len(in.users)+len(in.prios)+len(in.types)+len(in.statuses) > maxInterned {
		in.users, in.prios = map[jiraclient.User]*jiraclient.User{}, map[jiraclient.Priority]*jiraclient.Priority{}
		in.types, in.statuses = map[jiraclient.IssueType]*jiraclient.IssueType{}, map[jiraclient.Status]*jiraclient.Status{}
	}
	hay := is.Key + " " + is.Summary
	r := Row{Key: hay[:len(is.Key)], hay: hay, ID: is.ID, Updated: is.Updated,
		Type: in.issueType(is.Type), Status: in.status(is.Status), Priority: in.prio(is.Priority), Assignee: in.user(is.Assignee)}
	rest := is
	rest.ID, rest.Key, rest.Summary, rest.Updated = "", "", "", time.Time{}
	rest.Type, rest.Status, rest.Priority, rest.Assignee = jiraclient.IssueType{}, jiraclient.Status{}, nil, nil
	if !reflect.ValueOf(rest).IsZero() {
		rest.Project, rest.Resolution, rest.Reporter = str(rest.Project), str(rest.Resolution), in.user(rest.Reporter)
		kept := rest // only a row with other fields puts them on the heap
		r.rest = &kept
	}
	return r
}

func (in *Interner) issueType(t jiraclient.IssueType) *jiraclient.IssueType {
	if p, ok := in.types[t]; ok {
		return p
	}
	c := jiraclient.IssueType{ID: str(t.ID), Name: str(t.Name), Subtask: t.Subtask}
	in.types[c] = &c
	return &c
}

func (in *Interner) status(s jiraclient.Status) *jiraclient.Status {
	if p, ok := in.statuses[s]; ok {
		return p
	}
	c := jiraclient.Status{ID: str(s.ID), Name: str(s.Name), Category: str(s.Category)}
	in.statuses[c] = &c
	return &c
}

func (in *Interner) prio(p *jiraclient.Priority) *jiraclient.Priority {
	if p == nil {
		return nil
	}
	if q, ok := in.prios[*p]; ok {
		return q
	}
	c := jiraclient.Priority{ID: str(p.ID), Name: str(p.Name)}
	in.prios[c] = &c
	return &c
}

func (in *Interner) user(u *jiraclient.User) *jiraclient.User {
	if u == nil {
		return nil
	}
	if p, ok := in.users[*u]; ok {
		return p
	}
	c := jiraclient.User{AccountID: str(u.AccountID), Name: str(u.Name), Key: str(u.Key), DisplayName: str(u.DisplayName),
		Email: str(u.Email), Active: u.Active, TimeZone: str(u.TimeZone)}
	in.users[c] = &c
	return &c
}

// str is s's canonical copy (unique keeps one per distinct string and
// frees it once nothing uses it).
func str(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}
