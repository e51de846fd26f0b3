package store

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// loadEvery loads jql page by page to its end.
func loadEvery(t *testing.T, h *harness, jql string) int {
	t.Helper()
	h.do(h.s.Load("list", 1, jql, 50))
	for {
		var last QueryMsg
		for _, q := range queryMsgs(h.take()) {
			if !q.Cached {
				last = q
			}
		}
		if last.Err != nil {
			t.Fatal(last.Err)
		}
		if last.Page.Last {
			keys, _, _, _, _ := h.s.Result(jql)
			return len(keys)
		}
		h.do(h.s.More("list", 1, jql, last.Page.Next, 50))
	}
}

// TestRefreshUnchangedListRequests counts what a new session costs over a
// 500-issue list nothing changed in, where the last session opened 20 of
// its issues: the pages of the list and the 20 issues opened again. Without
// the persistent cache (as before the store) each issue is asked again;
// with it, Jira's rows confirm the cached issues and opening them asks
// nothing.
func TestRefreshUnchangedListRequests(t *testing.T) {
	for _, flavor := range flavors {
		for _, withCache := range []bool{false, true} {
			name := flavor + "/memory"
			if withCache {
				name = flavor + "/cache"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 5, Issues: 500, Projects: 1})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(stop)
				client := newClient(t, flavor, url, fakejira.Token)
				var db *cache.DB
				if withCache {
					db = openCache(t, cacheDir(t))
				}
				jql := allJQL
				h1 := newHarness(t, New(Options{Client: client, Cache: db}))
				if n := loadEvery(t, h1, jql); n != 500 {
					t.Fatalf("%d issues", n)
				}
				keys, _, _, _, _ := h1.s.Result(jql)
				opened := keys[:20]
				var cmds []tea.Cmd
				for _, k := range opened {
					cmds = append(cmds, h1.s.Open(k))
				}
				h1.do(tea.Batch(cmds...))
				h1.s.Leave()

				srv.ResetRequests()
				h2 := newHarness(t, New(Options{Client: client, Cache: db}))
				loadEvery(t, h2, jql)
				searches := len(srv.Requests())
				cmds = nil
				for _, k := range opened {
					cmds = append(cmds, h2.s.Open(k))
				}
				h2.do(tea.Batch(cmds...))
				gets := 0
				for _, r := range srv.Requests() {
					if strings.Contains(r.Path, "/issue/") {
						gets++
					}
				}
				for _, k := range opened {
					if !h2.s.Fresh(k) {
						t.Fatalf("%s not fresh", k)
					}
				}
				t.Logf("%s: %d search requests for 500 rows, %d issue requests for the 20 opened again", name, searches, gets)
				want := 20
				if withCache {
					want = 0
				}
				if gets != want {
					t.Fatalf("%d issue requests, want %d", gets, want)
				}
			})
		}
	}
}
