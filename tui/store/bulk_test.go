package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

func TestJQLWhere(t *testing.T) {
	for in, want := range map[string]string{
		"project = A ORDER BY key":                   "project = A ",
		"project = A order   by rank":                "project = A ",
		"summary ~ \"order by\" ORDER BY created":    "summary ~ \"order by\" ",
		"summary ~ 'x\\' order by y' and a = b":      "summary ~ 'x\\' order by y' and a = b",
		"ORDER BY key":                               "",
		"reorder = 1 AND bordered = 2":               "reorder = 1 AND bordered = 2",
		"project = A ORDER BYX":                      "project = A ORDER BYX",
		"assignee = currentUser() ORDER\nBY updated": "assignee = currentUser() ",
	} {
		if got := jqlWhere(in); got != want {
			t.Errorf("jqlWhere(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReloadFetchesRowsNotKnownCurrent (Cloud): a refresh bulk-fetches
// only the rows the store cannot vouch for (here: rows last fetched before
// the result was, so the search for what was updated since would not show
// their changes), takes the others from the store, and answers all of them
// in Jira's order as one first page.
func TestReloadFetchesRowsNotKnownCurrent(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	s := New(Options{Client: st.client})
	h := newHarness(t, s)
	const jql = "created >= -5000d ORDER BY key ASC"
	h.do(s.Load("list", 1, jql, 50))
	h.do(s.LoadTo("list", 1, jql, 120))
	keys, _, _, _, _ := s.Result(jql)
	if len(keys) != 120 {
		t.Fatalf("%d loaded, want 120", len(keys))
	}
	stale := []string{keys[60], keys[61], keys[110]}
	for _, k := range stale {
		s.issues[k].fetched = time.Time{}
	}
	h.out = nil
	st.srv.ResetRequests()
	h.do(s.Reload("list", 2, jql, 50, 120))
	var bulk []string
	for _, r := range st.srv.Requests() {
		if strings.HasSuffix(r.Path, "/bulkfetch") {
			bulk = append(bulk, r.Body)
		}
	}
	if len(bulk) != 1 || !strings.Contains(bulk[0], `"issueIdsOrKeys":["`+stale[2]+`"]`) {
		// Positions 0-99 come with the first page; of 100-119 only the
		// stale one is fetched.
		t.Errorf("bulk fetches %v, want one of %s alone", bulk, stale[2])
	}
	var pages []QueryMsg
	for _, m := range h.out {
		if q, ok := m.(QueryMsg); ok {
			pages = append(pages, q)
		}
	}
	if len(pages) != 1 || pages[0].Cursor != (jiraclient.Cursor{}) || len(pages[0].Page.Issues) != 120 {
		var got []string
		for _, p := range pages {
			got = append(got, fmt.Sprintf("%d issues at %+v", len(p.Page.Issues), p.Cursor))
		}
		t.Fatalf("answers %v, want one first page of 120", got)
	}
	for i, is := range pages[0].Page.Issues {
		if is.Key != keys[i] || is.Summary == "" {
			t.Fatalf("row %d: %s %q, want %s with its fields", i, is.Key, is.Summary, keys[i])
		}
	}
}
