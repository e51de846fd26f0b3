package list

// Design note: a list row costs memory per loaded issue, and a backlog
// runs to tens of thousands. Decoded from JSON, every issue carries its own
// copy of its status, type and priority names and its own assignee, though
// a site has a few dozen of each; rows keep one shared copy of those
// (interned as they arrive). The filter's haystack ("KEY summary") is one
// string, and the row's Key and Summary are slices of it rather than copies.
// The heavy fields of a full issue (description, comments, links...) are
// never kept in a row: the detail cache holds the full issue.

import (
	"unique"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// interner holds one copy of each user and priority the rows point to.
// It belongs to one list and only grows with distinct values (a site's
// people and priorities), never with the issues.
type interner struct {
	users map[jiraclient.User]*jiraclient.User
	prios map[jiraclient.Priority]*jiraclient.Priority
}

func newInterner() *interner {
	return &interner{users: map[jiraclient.User]*jiraclient.User{}, prios: map[jiraclient.Priority]*jiraclient.Priority{}}
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
func (in *interner) row(is jiraclient.Issue) (jiraclient.Issue, string) {
	hay := is.Key + " " + is.Summary
	is.Key, is.Summary = hay[:len(is.Key)], hay[len(is.Key)+1:]
	is.Project = str(is.Project)
	is.Type = jiraclient.IssueType{ID: str(is.Type.ID), Name: str(is.Type.Name), Subtask: is.Type.Subtask}
	is.Status = jiraclient.Status{ID: str(is.Status.ID), Name: str(is.Status.Name), Category: str(is.Status.Category)}
	is.Priority = in.prio(is.Priority)
	is.Assignee = in.user(is.Assignee)
	is.Reporter = in.user(is.Reporter)
	is.Resolution = str(is.Resolution)
	is.Description, is.Comments, is.Links, is.Subtasks = "", nil, nil, nil
	is.Attachments, is.Transitions, is.Names, is.Raw = nil, nil, nil, nil
	return is, hay
}
