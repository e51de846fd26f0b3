package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestSideRequestsYieldAt429: when Jira answers everything with 429 at
// start, the search is retried as the policy allows, while the count, the
// favourite filters and myself are sent once beside it and retried once
// at most, and only after the search has finished.
func TestSideRequestsYieldAt429(t *testing.T) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 7, Issues: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	srv.SetFaults(fakejira.Faults{Rate429: 1})
	c, err := jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud),
		jiraclient.WithRetry(jiraclient.RetryPolicy{MaxRetries: 4, Initial: time.Millisecond, Max: 10 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, New(Options{Client: c, JQL: toDo, Now: srv.Now, Learned: func(jiraclient.Flavor, *jiraclient.User) {}}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	d.run(d.m.Init())
	reqs := srv.Requests()
	lastSearch := -1
	for i, r := range reqs {
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("%s %s answered %d, want 429 throughout", r.Method, r.Path, r.Status)
		}
		if strings.HasSuffix(r.Path, searchPath(fakejira.FlavorCloud)) {
			lastSearch = i
		}
	}
	if n := count(reqs, searchPath(fakejira.FlavorCloud)); n != 5 {
		t.Errorf("%d searches, want 5 (the first and 4 retries)", n)
	}
	for _, side := range []string{"/search/approximate-count", "/filter/favourite", "/myself"} {
		var at []int
		for i, r := range reqs {
			if strings.HasSuffix(r.Path, side) {
				at = append(at, i)
			}
		}
		if len(at) != 2 {
			t.Errorf("%s sent %d times, want 2 (once beside the search, one retry)", side, len(at))
			continue
		}
		if at[1] < lastSearch {
			t.Errorf("%s retried (request %d) before the search's last try (request %d)", side, at[1], lastSearch)
		}
	}
	if t.Failed() {
		for i, r := range reqs {
			t.Logf("%2d %s %s %d", i, r.Method, r.Path, r.Status)
		}
	}
}
