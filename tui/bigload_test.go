package tui

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// bigSite is fakejira with n issues in one project (keys in order of
// creation, so allIssues lists them PROJ-1 .. PROJ-n).
func bigSite(t testing.TB, flavor string, n int) fakeSite {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 7, Projects: 1, Issues: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	fl := jiraclient.FlavorCloud
	if flavor == fakejira.FlavorDataCenter {
		cred, fl = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}, jiraclient.FlavorDataCenter
	}
	// The client's default throttle: the loading must stay under it.
	c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return fakeSite{srv: srv, url: url, client: c, stop: stop}
}

// bigRoot is a root over site's issues, 120x40, its first page in, and
// whatever it loads ahead of the cursor.
func bigRoot(t testing.TB, site fakeSite, db *cache.DB) *driver {
	t.Helper()
	d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now, Cache: db}))
	nm, _ := d.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.m = nm.(Model)
	d.run(d.m.Init())
	return d
}

// loads are the requests that load the list: searches and bulk fetches.
type loads struct {
	searches, keyPages, bulk int
	positions                int // positions asked for past the first page
}

func countLoads(t testing.TB, reqs []fakejira.Request, flavor string) loads {
	t.Helper()
	var l loads
	for _, r := range reqs {
		switch {
		case strings.HasSuffix(r.Path, "/issue/bulkfetch"):
			l.bulk++
			var b struct {
				Keys []string `json:"issueIdsOrKeys"`
			}
			if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
				t.Fatal(err)
			}
			l.positions += len(b.Keys)
		case strings.HasSuffix(r.Path, searchPath(flavor)):
			var b struct {
				Fields     []string `json:"fields"`
				StartAt    int      `json:"startAt"`
				MaxResults int      `json:"maxResults"`
			}
			if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
				t.Fatal(err)
			}
			if len(b.Fields) == 1 && b.Fields[0] == "key" {
				l.keyPages++
				continue
			}
			l.searches++
			if b.StartAt > 0 {
				l.positions += b.MaxResults
			}
		}
	}
	return l
}

// TestGLoadsEverything: one G loads all 10,000 issues of the query and
// lands on the last. Cloud: the first page, two key pages of 5,000 and
// bulk fetches of 100 (each issue fetched once); Data Center: the first
// page and startAt pages of up to 1,000 (each position asked once). The
// status bar counted the loading while it ran.
func TestGLoadsEverything(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			const n = 10_000
			site := bigSite(t, flavor, n)
			d := bigRoot(t, site, nil)
			last := site.srv.Keys()[n-1]
			d.send(press("G"))
			// Progress while it loads (the first chunks in, not all).
			if got := d.m.list.Loading(); got != "" {
				t.Fatalf("still loading after settle: %q", got)
			}
			if got := len(d.m.list.Issues()); got != n {
				t.Fatalf("%d issues loaded after G, want %d", got, n)
			}
			if cur := d.m.list.Current(); cur == nil || cur.Key != last {
				t.Fatalf("cursor on %v, want the last issue %s", cur, last)
			}
			if s := screen(d.m); !strings.Contains(s, last) || !strings.Contains(s, "10000/10000") {
				t.Fatalf("the last issue is not shown:\n%s", s)
			}
			l := countLoads(t, site.srv.Requests(), flavor)
			if l.positions != n-50 {
				t.Errorf("%d positions asked past the first page, want %d (each once)", l.positions, n-50)
			}
			if flavor == fakejira.FlavorCloud {
				// 2 chunks ahead of the cursor before G (174 issues), then
				// 98 (9,776).
				if l.searches != 1 || l.keyPages != 2 || l.bulk != 100 {
					t.Errorf("%+v; want 1 search, 2 key pages, 100 bulk fetches", l)
				}
			} else if l.searches != 12 || l.keyPages != 0 || l.bulk != 0 {
				// The first page, one chunk ahead, ten pages of up to 1,000.
				t.Errorf("%+v; want 12 searches and nothing else", l)
			}
			t.Logf("%s: %+v", flavor, l)
		})
	}
}

// TestGShowsProgressAndEscCancels: while G loads, the status bar says how
// far ("loading 3,400 of 10,000"); Esc cancels the requests still out
// (their contexts: fakejira sees them go) and keeps what came.
func TestGShowsProgressAndEscCancels(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			const n = 3000
			site := bigSite(t, flavor, n)
			d := bigRoot(t, site, nil)
			// Late enough that every request G sends is still out when esc
			// comes.
			site.srv.SetFaults(fakejira.Faults{Latency: 5 * time.Second})
			before := len(site.srv.Requests())
			nm, cmd := d.m.Update(press("G"))
			d.m = nm.(Model)
			d.spawn(cmd)
			d.until("G's requests sent, the loading counted in the status bar", func() bool {
				s := screen(d.m)
				return len(site.srv.Requests()) > before && strings.Contains(s, "loading 150 of") && strings.Contains(s, "3,000 (esc stops)")
			})
			d.send(press("esc"))
			got := len(d.m.list.Issues())
			if got >= 3000 || d.m.list.Loading() != "" {
				t.Fatalf("after esc: %d issues, loading %q", got, d.m.list.Loading())
			}
			cancelled := 0
			for _, r := range site.srv.Requests() {
				if r.Status == 0 {
					cancelled++
				}
			}
			if cancelled == 0 {
				t.Errorf("no request was cancelled by esc: %v", site.srv.Requests())
			}
			// What loaded stays, and the next G loads the rest.
			site.srv.SetFaults(fakejira.Faults{})
			d.send(press("G"))
			if n := len(d.m.list.Issues()); n != 3000 || d.m.list.Current().Key != site.srv.Keys()[2999] {
				t.Fatalf("second G: %d issues, cursor on %s", n, d.m.list.Current().Key)
			}
		})
	}
}

// TestLoadsAheadOfCursor: the issues past the cursor are loaded before
// the user reaches them: after the first page, and after every move, at
// least two screens are loaded below the cursor (or the result's end).
// Replaces the list's old page-near-the-end test (one page of 50 when the
// cursor was ten rows from the end).
func TestLoadsAheadOfCursor(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := bigSite(t, flavor, 600)
			d := bigRoot(t, site, nil)
			rows := 40
			for i := 0; ; i++ {
				n, cur := len(d.m.list.Issues()), d.m.list.Current()
				idx := 0
				for j, is := range d.m.list.Issues() {
					if is.Key == cur.Key {
						idx = j
					}
				}
				if n < 600 && n-idx < 2*rows {
					t.Fatalf("after %d pages down: cursor on row %d of %d loaded", i, idx+1, n)
				}
				if idx == 599 {
					break
				}
				if i > 30 {
					t.Fatalf("the cursor never reached the end: row %d of %d", idx+1, n)
				}
				d.send(press("pgdown"))
			}
		})
	}
}

// TestRefreshKeepsPlace: after paging down, r keeps every loaded issue and
// the cursor on its issue, asks Jira for no more than what was loaded in
// as few requests as the flavour allows, and marks the issue edited
// meanwhile as updated.
func TestRefreshKeepsPlace(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := bigSite(t, flavor, 1000)
			d := bigRoot(t, site, openTestCache(t, t.TempDir()))
			for range 6 {
				d.send(press("pgdown"))
			}
			loaded := len(d.m.list.Issues())
			cur := d.m.list.Current().Key
			if loaded <= 250 || d.m.list.Current() == nil {
				t.Fatalf("paging down loaded %d issues", loaded)
			}
			edited := d.m.list.Issues()[loaded-20].Key
			s := "Edited while the list was open"
			if err := site.client.EditIssue(context.Background(), edited, jiraclient.IssueEdit{Summary: &s}); err != nil {
				t.Fatal(err)
			}
			site.srv.ResetRequests()
			d.send(press("r"))
			if got := len(d.m.list.Issues()); got != loaded {
				t.Fatalf("%d issues after r, want the %d loaded", got, loaded)
			}
			if got := d.m.list.Current().Key; got != cur {
				t.Fatalf("cursor on %s after r, want %s", got, cur)
			}
			if d.m.c.Issues.Change(edited) != cache.Updated {
				t.Errorf("%s edited meanwhile is not marked updated", edited)
			}
			l := countLoads(t, site.srv.Requests(), flavor)
			if flavor == fakejira.FlavorCloud {
				// The first 100 with the list's fields, the keys, and what
				// was updated since: every other row is the store's.
				if l.searches != 2 || l.keyPages != 1 || l.bulk != 0 {
					t.Errorf("%+v for %d issues; want 2 searches (the first rows, what changed), 1 key page, no bulk fetch", l, loaded)
				}
			} else if l.searches != 1 || l.bulk != 0 || l.keyPages != 0 {
				t.Errorf("%+v for %d issues; want one search", l, loaded)
			}
		})
	}
}

// TestFilterFindsUnloaded: the filter covers every issue of the query:
// typing loads the rest behind and finds an issue that was not loaded
// when typing began.
func TestFilterFindsUnloaded(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := bigSite(t, flavor, 2000)
			key, err := site.srv.AddIssue(fakejira.NewIssue{Summary: "Quokka migration checklist"})
			if err != nil {
				t.Fatal(err)
			}
			d := bigRoot(t, site, nil)
			for _, is := range d.m.list.Issues() {
				if is.Key == key {
					t.Fatalf("%s loaded before the filter; the test needs it not to be", key)
				}
			}
			d.send(press("/"))
			d.send(typed("quokka")...)
			if cur := d.m.list.Current(); cur == nil || cur.Key != key {
				t.Fatalf("the filter is on %v, want %s:\n%s", cur, key, screen(d.m))
			}
			if got := len(d.m.list.Issues()); got != 2001 {
				t.Errorf("%d issues searched, want all 2,001", got)
			}
		})
	}
}

// TestDCResultWindowSaid: a Data Center query larger than the search
// platform's window loads its first 10,000 issues (no page reaches past
// it, so Jira refuses none) and the user is told why the rest is not
// there.
func TestDCResultWindowSaid(t *testing.T) {
	site := bigSite(t, fakejira.FlavorDataCenter, 10_050)
	d := bigRoot(t, site, nil)
	d.send(press("G"))
	if n := len(d.m.list.Issues()); n != 10_000 {
		t.Fatalf("%d issues loaded, want the window's 10,000", n)
	}
	for _, r := range site.srv.Requests() {
		if r.Status != 200 && r.Status != 0 {
			t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
		}
	}
	want := "showing the first 10,000 of 10,050 issues: Jira Data Center's search pages no further"
	if _, note := d.m.status.Notice(); !strings.Contains(note, want) {
		t.Fatalf("status bar says %q, want %q", note, want)
	}
}

// BenchmarkGLoads10k is one G with 10,000 issues in the query and fakejira
// 100 ms away (each answer 100 ms late), the client's default throttle (50
// requests a second per endpoint, burst 10, 6 in flight): from the key to
// all 10,000 in the list and the cursor on the last (what runs after that
// is left out of the time: the result's cache write, the memory given
// back). Before this work G
// walked 199 pages of 50 one after another: 23.3 s at 100 ms.
func BenchmarkGLoads10k(b *testing.B) {
	const before = 23.3 // seconds, paging by 50 in sequence (the issue's figure)
	for _, run := range []struct {
		flavor string
		cache  bool // with the persistent cache (as the program runs): every chunk is written to it
	}{{fakejira.FlavorCloud, false}, {fakejira.FlavorDataCenter, false}, {fakejira.FlavorCloud, true}, {fakejira.FlavorDataCenter, true}} {
		flavor := run.flavor
		name := flavor
		if run.cache {
			name += "-cache"
		}
		b.Run(name, func(b *testing.B) {
			const n = 10_000
			site := bigSite(b, flavor, n)
			last := site.srv.Keys()[n-1]
			var total time.Duration
			var reqs, peak int
			for range b.N {
				b.StopTimer()
				site.srv.SetFaults(fakejira.Faults{})
				var db *cache.DB
				if run.cache {
					db = cache.Open(context.Background(), cache.Options{Dir: b.TempDir(), Profile: "bench"})
				}
				d := bigRoot(b, site, db)
				site.srv.SetFaults(fakejira.Faults{Latency: 100 * time.Millisecond})
				site.srv.ResetRequests()
				b.StartTimer()
				start := time.Now()
				nm, cmd := d.m.Update(press("G"))
				d.m = nm.(Model)
				d.spawn(cmd)
				d.until("the cursor on the last issue", func() bool {
					c := d.m.list.Current()
					return c != nil && c.Key == last
				})
				took := time.Since(start)
				b.StopTimer()
				// What follows the last row (the result's cache write, the
				// memory a big load gives back) is not G's time.
				d.settle()
				if got := len(d.m.list.Issues()); got != n || d.m.list.Current().Key != last {
					b.Fatalf("G loaded %d issues, cursor on %s", got, d.m.list.Current().Key)
				}
				total += took
				rs := site.srv.Requests()
				reqs = 0
				for _, r := range rs {
					if strings.Contains(r.Path, "/search") || strings.HasSuffix(r.Path, "/bulkfetch") {
						reqs++
					}
				}
				peak = max(peak, peakPerSecond(rs))
				if db != nil {
					_ = db.Close()
				}
				b.StartTimer()
			}
			sec := total.Seconds() / float64(b.N)
			b.ReportMetric(sec, "s/G")
			b.ReportMetric(float64(reqs), "requests/G")
			b.ReportMetric(float64(peak), "peak-req/s")
			b.Logf("%s: all 10,000 issues after one G at 100 ms latency: %.2f s in %d requests (before: %.1f s, 199 pages in sequence); busiest second of one endpoint: %d requests (throttle: 50/s, burst 10)",
				name, sec, reqs, before, peak)
		})
	}
}

// peakPerSecond is the most requests one endpoint (method and path, issue
// keys left in) received within any one second.
func peakPerSecond(rs []fakejira.Request) int {
	by := map[string][]time.Time{}
	for _, r := range rs {
		k := r.Method + " " + r.Path
		if strings.Contains(r.Path, "/issue/") && !strings.HasSuffix(r.Path, "/bulkfetch") {
			k = r.Method + " /issue/{}"
		}
		by[k] = append(by[k], r.Time)
	}
	peak := 0
	for _, ts := range by {
		j := 0
		for i := range ts {
			for ts[i].Sub(ts[j]) >= time.Second {
				j++
			}
			peak = max(peak, i-j+1)
		}
	}
	return peak
}

// TestGOnCappedDCPages: a Data Center site whose admin caps search pages
// lower than the 1,000 asked (jira.search.views.default.max = 300) answers
// fewer per page; the rest of each chunk is asked again in pages of that
// size, all at once, so G still loads every issue once, in Jira's order.
func TestGOnCappedDCPages(t *testing.T) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorDataCenter, Seed: 7, Projects: 1, Issues: 2000, SearchMax: 300})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	site := fakeSite{srv: srv, url: url, client: newFakeClient(t, fakejira.FlavorDataCenter, url, fakejira.Token), stop: stop}
	d := bigRoot(t, site, nil)
	d.send(press("G"))
	got := d.m.list.Issues()
	keys := srv.Keys()
	if len(got) != len(keys) {
		t.Fatalf("%d issues loaded, want %d", len(got), len(keys))
	}
	for i := range got {
		if got[i].Key != keys[i] {
			t.Fatalf("row %d is %s, want %s", i, got[i].Key, keys[i])
		}
	}
	// The first page, 100 ahead, then G's two chunks (1,000 and 850) each
	// answered 300 and their rest asked at once in pages of 300:
	// 2 + (1 + 3) + (1 + 2).
	if l := countLoads(t, srv.Requests(), fakejira.FlavorDataCenter); l.searches != 9 {
		t.Errorf("%+v, want 9 searches", l)
	}
}

// TestRefreshFollowsJiraOrder (Cloud): an issue that joined the result
// inside the loaded range comes with the search for what was updated
// since (it was created since), the other rows from the store: no bulk
// fetch; the rows are in Jira's new order and the cursor on its issue.
// (The store's TestReloadFetchesRowsNotKnownCurrent covers the rows it
// must fetch.)
func TestRefreshFollowsJiraOrder(t *testing.T) {
	const jql = "created >= -5000d ORDER BY summary ASC, key ASC"
	site := bigSite(t, fakejira.FlavorCloud, 600)
	d := newDriver(t, New(Options{Client: site.client, JQL: jql, Now: site.srv.Now}))
	nm, _ := d.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.m = nm.(Model)
	d.run(d.m.Init())
	for range 4 {
		d.send(press("pgdown"))
	}
	loaded := d.m.list.Issues()
	cur := d.m.list.Current().Key
	added, err := site.srv.AddIssue(fakejira.NewIssue{Summary: loaded[200].Summary})
	if err != nil {
		t.Fatal(err)
	}
	site.srv.ResetRequests()
	d.send(press("r"))
	got := d.m.list.Issues()
	if d.m.list.Current().Key != cur {
		t.Errorf("cursor on %s after r, want %s", d.m.list.Current().Key, cur)
	}
	want, err := site.client.SearchKeys(context.Background(), jql, jiraclient.Cursor{}, len(loaded))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(loaded) {
		t.Fatalf("%d issues after r, want %d", len(got), len(loaded))
	}
	for i := range got {
		if got[i].Key != want.Keys[i] {
			t.Fatalf("row %d is %s, Jira's is %s", i, got[i].Key, want.Keys[i])
		}
	}
	var bulk []string
	for _, r := range site.srv.Requests() {
		if strings.HasSuffix(r.Path, "/bulkfetch") {
			bulk = append(bulk, r.Body)
		}
	}
	if len(bulk) != 0 {
		t.Errorf("bulk fetches %v, want none", bulk)
	}
	if got[201].Key != added {
		t.Errorf("row 202 is %s, want the new %s", got[201].Key, added)
	}
}

// TestGFailureEndsTheLoading: a chunk Jira refuses (here a 500 on the
// first request G sends) ends the loading with the error in the status
// bar, whichever chunk it was; nothing is left "loading", and the next G
// loads the rest.
func TestGFailureEndsTheLoading(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := bigSite(t, flavor, 3000)
			d := bigRoot(t, site, nil)
			site.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
			d.send(press("G"))
			if got := d.m.list.Loading(); got != "" {
				t.Fatalf("still loading after a refused chunk: %q", got)
			}
			if _, note := d.m.status.Notice(); !strings.Contains(note, "could not load more issues") {
				t.Fatalf("status bar says %q", note)
			}
			if n := len(d.m.list.Issues()); n >= 3000 {
				t.Fatalf("%d issues loaded although a chunk failed", n)
			}
			d.send(press("G"))
			if n := len(d.m.list.Issues()); n != 3000 || d.m.list.Current().Key != site.srv.Keys()[2999] {
				t.Fatalf("G after the failure: %d issues, cursor on %s", n, d.m.list.Current().Key)
			}
		})
	}
}
