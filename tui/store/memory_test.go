package store

import (
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestMemoryPerEntry10k takes 10,000 of fakejira's issues as list rows,
// decoded by the client from pages with the list's fields (as a load's
// chunks are), and checks the heap the store keeps per issue once the
// pages are dropped. Each decoded row carries its own copy of its
// assignee, priority, status and type; the store shares one of each.
func TestMemoryPerEntry10k(t *testing.T) {
	n := entryIssues
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: n})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithLimits(jiraclient.Limits{ReadRPS: math.Inf(1), MaxInFlight: 4}))
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Client: c})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	pages := c.Pages(jiraclient.SearchQuery{JQL: "created >= -5000d ORDER BY key ASC", Fields: jiraclient.ListFields, PageSize: 100})
	for pages.More() {
		p, err := pages.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		s.Rows(p.Issues)
	}
	pages = nil
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(s.issues) != n {
		t.Fatalf("%d issues held, want %d", len(s.issues), n)
	}
	per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
	t.Logf("store with %d decoded rows: %.0f bytes per issue (%.1f MiB)", n, per, per*float64(n)/(1<<20))
	if per > maxEntryBytes {
		t.Errorf("%.0f bytes per issue, want under %d", per, maxEntryBytes)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(c)
}
