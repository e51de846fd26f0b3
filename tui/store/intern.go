package store

// Design note: a list row the store holds costs memory per loaded issue,
// and a query loads up to MaxLoad of them. Decoded from JSON, every row
// carries its own copy of its assignee, reporter and priority (pointers)
// and of its status, type and project names, though a site has a few dozen
// of each: at 10,000 rows those copies were about a third of the heap a
// loaded list keeps alive. takeRows points every row to one shared copy of
// each value instead (the strings through unique, which the list's rows use
// too, so the store and the list share them). The shared values are never
// written through: a write replaces the pointer (patch.apply returns a new
// Issue).

import (
	"unique"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// maxInterned bounds the shared values kept: past it the maps start again
// (rows already holding a value keep it; only sharing with later rows is
// lost), so a long session over many sites cannot grow them without end.
const maxInterned = 4096

// interner holds one copy of each user and priority rows point to.
type interner struct {
	users map[jiraclient.User]*jiraclient.User
	prios map[jiraclient.Priority]*jiraclient.Priority
}

// row is is with its repeated values shared (see the design note).
func (in *interner) row(is jiraclient.Issue) jiraclient.Issue {
	if len(in.users)+len(in.prios) > maxInterned || in.users == nil {
		in.users, in.prios = map[jiraclient.User]*jiraclient.User{}, map[jiraclient.Priority]*jiraclient.Priority{}
	}
	is.Project, is.Resolution = str(is.Project), str(is.Resolution)
	is.Type = jiraclient.IssueType{ID: str(is.Type.ID), Name: str(is.Type.Name), Subtask: is.Type.Subtask}
	is.Status = jiraclient.Status{ID: str(is.Status.ID), Name: str(is.Status.Name), Category: str(is.Status.Category)}
	is.Assignee, is.Reporter = in.user(is.Assignee), in.user(is.Reporter)
	if p := is.Priority; p != nil {
		if q, ok := in.prios[*p]; ok {
			is.Priority = q
		} else {
			c := jiraclient.Priority{ID: str(p.ID), Name: str(p.Name)}
			in.prios[c] = &c
			is.Priority = &c
		}
	}
	return is
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

// str is s's canonical copy (unique keeps one per distinct string and
// frees it once nothing uses it).
func str(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}
