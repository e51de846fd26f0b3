package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// TestFirstRequestLeavesInNew: with a client, New itself sends the start's
// first request (the list's search; with Open, the issue's fetch), before
// Init is called, i.e. before Bubble Tea sets the terminal up and runs the
// model, and beside a persistent cache still opening in the background.
// Init then hands the answer over: the search is not sent twice and the
// list shows its rows. Without the early start New sends nothing and the
// wait below fails.
func TestFirstRequestLeavesInNew(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := startFake(t, flavor)
			me := site.srv.Me()
			db := cache.Open(context.Background(), cache.Options{Dir: t.TempDir(), Profile: "work", Background: true})
			t.Cleanup(func() { db.Close() })
			m := New(Options{Client: site.client, Me: &jiraclient.User{AccountID: me.AccountID, Name: me.Name}, JQL: allIssues, Now: site.srv.Now, Cache: db})
			waitRequest(t, site.srv, "the list's search", func(r fakejira.Request) bool { return strings.HasSuffix(r.Path, searchPath(flavor)) })

			d := newDriver(t, m)
			d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
			d.run(d.m.Init())
			if n := firstPages(t, site.srv.Requests(), flavor); n != 1 {
				t.Fatalf("%d first-page searches; want 1 (the one New sent, handed over by Init)", n)
			}
			got := d.m.list.Issues()
			if len(got) == 0 || !strings.Contains(screen(d.m), got[0].Key) {
				t.Fatalf("the early search's rows are not drawn:\n%s", screen(d.m))
			}
			// The answer was written to the cache once it had opened.
			if r, ok, err := db.Result(context.Background(), allIssues); err != nil || !ok || len(r.Keys) == 0 {
				t.Fatalf("cache result = %+v, %v, %v; want the first page", r, ok, err)
			}
		})
	}
	t.Run("open", func(t *testing.T) {
		site := startFake(t, fakejira.FlavorCloud)
		key := site.srv.Keys()[0]
		m := New(Options{Client: site.client, Me: &jiraclient.User{AccountID: site.srv.Me().AccountID}, JQL: allIssues, Now: site.srv.Now, Open: key})
		waitRequest(t, site.srv, "the fetch of "+key, func(r fakejira.Request) bool { return strings.HasSuffix(r.Path, "/issue/"+key) })
		d := newDriver(t, m)
		d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
		d.run(d.m.Init())
		if n := count(site.srv.Requests(), "/issue/"+key); n != 1 {
			t.Fatalf("%d fetches of %s; want 1", n, key)
		}
		if s := screen(d.m); !strings.Contains(s, key) {
			t.Fatalf("%s not shown:\n%s", key, s)
		}
	})
}

// waitRequest waits until fakejira has received a request matching want,
// failing after 10 s.
func waitRequest(t *testing.T, srv *fakejira.Server, what string, want func(fakejira.Request) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := srv.AwaitRequest(ctx, want); err != nil {
		t.Fatalf("New sent no request for %s before Init (requests: %d)", what, len(srv.Requests()))
	}
}
