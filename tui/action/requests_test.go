package action

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// endpoint names a recorded request without its issue key or API version.
var (
	apiPrefix = regexp.MustCompile(`^/rest/api/[0-9]+/`)
	issueKey  = regexp.MustCompile(`/[A-Z][A-Z0-9]+-[0-9]+(/|$)`)
)

func endpoint(r fakejira.Request) string {
	p := apiPrefix.ReplaceAllString(r.Path, "")
	p = issueKey.ReplaceAllString("/"+p, "/{key}$1")
	return r.Method + " " + strings.TrimPrefix(p, "/")
}

// tally is the requests Jira saw since the last reset, by endpoint.
func tally(s *site) (int, string) {
	reqs := s.srv.Requests()
	by := map[string]int{}
	for _, r := range reqs {
		by[endpoint(r)]++
	}
	var parts []string
	for e, n := range by {
		parts = append(parts, fmt.Sprintf("%d× %s", n, e))
	}
	sort.Strings(parts)
	return len(reqs), strings.Join(parts, ", ")
}

// What each action costs in requests, from opening it to Jira's
// confirmation (the re-read issue included), with the bounds a change
// must not exceed without a reason. The figures are logged (go test -v
// -run TestRequestsPerAction) so they can be quoted and compared.
func TestRequestsPerAction(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			measure := func(name string, bound int, act func()) {
				t.Helper()
				s.srv.ResetRequests()
				act()
				n, detail := tally(s)
				t.Logf("%-42s %2d requests: %s", name, n, detail)
				if n > bound {
					t.Errorf("%s: %d requests, more than %d", name, n, bound)
				}
			}

			todo := s.notMine(t, 11, "To Do")
			inProgress := s.issues(t, 1, "In Progress")

			// Load the transitions, send, re-read the issue.
			measure("(a) transition, no screen", 3, func() {
				r := newRunner(t, NewTransition(s.c, todo[0]), 100, 30)
				r.typ("progress")
				r.keys("enter")
				if !r.closed {
					t.Fatal("not done")
				}
			})
			// The screen's fields come with the transitions (expand): no
			// extra request for the form.
			measure("(b) transition, resolution screen", 3, func() {
				r := newRunner(t, NewTransition(s.c, inProgress[0]), 100, 30)
				r.typ("done")
				r.keys("enter", "enter", "ctrl+s")
				if !r.closed {
					t.Fatal("not done")
				}
			})
			// The write and the re-read: who "me" is is known already.
			measure("(c) assign to me (i)", 2, func() {
				msgs := exec(AssignToMe(s.c, todo[1]))
				if len(msgs) != 2 {
					t.Fatalf("messages %+v", msgs)
				}
			})
			// The first users on opening, one search for the name typed
			// quickly, the write, the re-read.
			measure("(d) assign, 5 characters typed to search", 4, func() {
				r := newRunner(t, NewAssign(s.c, todo[2]), 100, 30)
				r.typeFast("grace")
				r.keys("enter")
				if !r.closed {
					t.Fatal("not done")
				}
			})
			// Per issue: its transitions, the write, the re-read.
			measure("(e) bulk transition of 10 issues", 30, func() {
				r := newRunner(t, NewBulk(s.c, todo[1:11], BulkTransition), 100, 30)
				r.typ("progress")
				r.keys("enter")
				if d := doneMsg(t, r); len(d.Failed) != 0 {
					t.Fatalf("failed %q", d.Failed)
				}
			})
		})
	}
}
