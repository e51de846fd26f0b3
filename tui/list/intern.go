package list

// Design note: a list row costs memory per loaded issue, and a backlog
// runs to tens of thousands. A row is not a jiraclient.Issue (528 bytes,
// most of it fields the columns never show) but a listRow of what the
// columns show (112 bytes), rebuilt into an Issue when one is asked for
// (the highlighted row, the rows drawn). Decoded from JSON, every issue
// carries its own copy of its status, type and priority and its own
// assignee, though a site has a few dozen of each; rows point to one shared
// copy (interned as they arrive). The filter's haystack ("KEY summary") is
// one string, and the row's Key and Summary are slices of it. The heavy
// fields of a full issue (description, comments, links...) are never kept
// in a row: the detail cache holds the full issue. Any other field an
// issue came with (a row put back after a write has them all) is kept
// aside in rest.

import (
	"reflect"
	"time"
	"unique"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// interner holds one copy of each user, priority, issue type and status
// the rows point to.
// It belongs to one list and only grows with distinct values (a site's
// people and priorities), never with the issues.
type interner struct {
	users    map[jiraclient.User]*jiraclient.User
	prios    map[jiraclient.Priority]*jiraclient.Priority
	types    map[jiraclient.IssueType]*jiraclient.IssueType
	statuses map[jiraclient.Status]*jiraclient.Status
}

func newInterner() *interner {
	return &interner{users: map[jiraclient.User]*jiraclient.User{}, prios: map[jiraclient.Priority]*jiraclient.Priority{},
		types: map[jiraclient.IssueType]*jiraclient.IssueType{}, statuses: map[jiraclient.Status]*jiraclient.Status{}}
}

// listRow is one loaded issue as the list keeps it (see the design note).
// Its pointers are shared between rows: replace them, never write through
// them.
type listRow struct {
	Key, Summary string // slices of the row's haystack
	ID           string
	Type         *jiraclient.IssueType
	Status       *jiraclient.Status
	Priority     *jiraclient.Priority
	Assignee     *jiraclient.User
	Updated      time.Time
	rest         *jiraclient.Issue // the issue's other fields, nil when it had none
}

// issue is the row as a jiraclient.Issue.
func (r *listRow) issue() jiraclient.Issue {
	var is jiraclient.Issue
	if r.rest != nil {
		is = *r.rest
	}
	is.ID, is.Key, is.Summary, is.Updated = r.ID, r.Key, r.Summary, r.Updated
	if r.Type != nil {
		is.Type = *r.Type
	}
	if r.Status != nil {
		is.Status = *r.Status
	}
	is.Priority, is.Assignee = r.Priority, r.Assignee
	return is
}

func (in *interner) issueType(t jiraclient.IssueType) *jiraclient.IssueType {
	if p, ok := in.types[t]; ok {
		return p
	}
	c := jiraclient.IssueType{ID: str(t.ID), Name: str(t.Name), Subtask: t.Subtask}
	in.types[c] = &c
	return &c
}

func (in *interner) status(s jiraclient.Status) *jiraclient.Status {
	if p, ok := in.statuses[s]; ok {
		return p
	}
	c := jiraclient.Status{ID: str(s.ID), Name: str(s.Name), Category: str(s.Category)}
	in.statuses[c] = &c
	return &c
}

// str is s's canonical copy (unique keeps one per distinct string and
// frees it once no row uses it).
func str(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

func (in *interner) user(u *jiraclient.User) *jiraclient.User {
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

func (in *interner) prio(p *jiraclient.Priority) *jiraclient.Priority {
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

// row is is as the list keeps it, and its haystack for the filter.
func (in *interner) row(is jiraclient.Issue) (listRow, string) {
	hay := is.Key + " " + is.Summary
	r := listRow{
		Key: hay[:len(is.Key)], Summary: hay[len(is.Key)+1:], ID: is.ID, Updated: is.Updated,
		Type: in.issueType(is.Type), Status: in.status(is.Status),
		Priority: in.prio(is.Priority), Assignee: in.user(is.Assignee),
	}
	rest := is
	rest.ID, rest.Key, rest.Summary, rest.Updated = "", "", "", time.Time{}
	rest.Type, rest.Status, rest.Priority, rest.Assignee = jiraclient.IssueType{}, jiraclient.Status{}, nil, nil
	rest.Description, rest.Comments, rest.Links, rest.Subtasks = "", nil, nil, nil
	rest.Attachments, rest.Transitions, rest.Names, rest.Raw = nil, nil, nil, nil
	if !reflect.ValueOf(rest).IsZero() {
		rest.Project, rest.Resolution, rest.Reporter = str(rest.Project), str(rest.Resolution), in.user(rest.Reporter)
		r.rest = &rest
	}
	return r, hay
}
