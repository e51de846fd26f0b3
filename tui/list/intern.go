package list

// Design note: a list row costs memory per loaded issue, and a backlog
// runs to tens of thousands. A row is a store.Row (tui/store/intern.go):
// the fields the columns show, its repeated values (status, type,
// priority, assignee) shared, its Key a slice of the filter's haystack
// ("KEY summary", Row.Hay), rebuilt into an Issue when one is asked for
// (the highlighted row, the rows drawn). A row the store gave with a page
// (store.QueryMsg.Rows) is held as it is, the store's own: each issue is
// then kept once, not once in the store and once in the list. The heavy fields of a full issue
// (description, comments, links...) are never kept in a list row: the
// detail cache holds the full issue. Any other field an issue came with (a
// row put back after a write has them all) is kept aside in the row.

import (
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// listRow is is as the list keeps it: the detail's fields dropped.
func listRow(in *store.Interner, is jiraclient.Issue) *store.Row {
	is.Description, is.Comments, is.Links, is.Subtasks = "", nil, nil, nil
	is.Attachments, is.Transitions, is.Names, is.Raw = nil, nil, nil, nil
	r := in.Row(is)
	return &r
}
