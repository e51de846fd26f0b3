package store

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// loadAll loads allJQL's first page and returns its keys.
func loadAll(t *testing.T, h *harness) []string {
	t.Helper()
	h.do(h.s.Load("list", 1, allJQL, 50))
	qs := queryMsgs(h.take())
	if len(qs) == 0 || qs[len(qs)-1].Err != nil || qs[len(qs)-1].Cached {
		t.Fatalf("no fresh page: %+v", qs)
	}
	keys, _, _, cached, ok := h.s.Result(allJQL)
	if !ok || cached || len(keys) != 50 {
		t.Fatalf("result: %d keys cached=%v ok=%v", len(keys), cached, ok)
	}
	return keys
}

func TestOpenFetchesOnceAndMergesDuplicates(t *testing.T) {
	each(t, func(t *testing.T, flavor string, lat time.Duration) {
		st := startSite(t, flavor, lat)
		h := newHarness(t, New(Options{Client: st.client}))
		keys := loadAll(t, h)
		k := keys[3]
		if h.s.Full(k) != nil || h.s.Fresh(k) {
			t.Fatal("a list row counts as a full issue")
		}
		st.srv.ResetRequests()
		h.do(tea.Batch(h.s.Open(k), h.s.Open(k), h.s.Fetch(k), h.s.Prefetch(k)))
		if n := count(st.srv.Requests(), "/issue/"+k); n != 1 {
			t.Fatalf("%d requests for %s, want 1 (duplicates merged)", n, k)
		}
		if ms := issueMsgs(h.take(), k); len(ms) != 1 || ms[0].Err != nil || ms[0].Cached {
			t.Fatalf("issue messages %+v", ms)
		}
		full := h.s.Full(k)
		if full == nil || full.Key != k || !h.s.Fresh(k) {
			t.Fatalf("not held fresh: %+v", full)
		}
		// Open again: no request.
		st.srv.ResetRequests()
		h.do(h.s.Open(k))
		if n := len(st.srv.Requests()); n != 0 {
			t.Fatalf("opening a fresh issue sent %d requests", n)
		}
		// A refresh with the issue unchanged keeps it fresh.
		h.do(h.s.Load("list", 2, allJQL, 50))
		if !h.s.Fresh(k) {
			t.Fatal("an unchanged row made the full issue stale")
		}
	})
}

func TestNewerRowMakesFullIssueStale(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	keys := loadAll(t, h)
	k := keys[0]
	h.do(h.s.Open(k))
	sum := "changed by someone else"
	if err := st.client.EditIssue(context.Background(), k, jiraclient.IssueEdit{Summary: &sum}); err != nil {
		t.Fatal(err)
	}
	h.do(h.s.Load("list", 2, allJQL, 50))
	if h.s.Fresh(k) {
		t.Fatal("a newer row left the old full issue fresh")
	}
	st.srv.ResetRequests()
	h.do(h.s.Open(k))
	if n := count(st.srv.Requests(), "/issue/"+k); n != 1 {
		t.Fatalf("%d requests", n)
	}
	if e, _ := h.s.Issue(k); e.Issue.Summary != sum || !e.Full {
		t.Fatalf("entry %+v", e)
	}
}

// TestCachedOpenDrawsBeforeAnyRequest: a second session opens an issue
// the first one fetched: it is there (Cached) before any request is sent,
// then refreshed from Jira behind.
func TestCachedOpenDrawsBeforeAnyRequest(t *testing.T) {
	each(t, func(t *testing.T, flavor string, lat time.Duration) {
		st := startSite(t, flavor, lat)
		dir := cacheDir(t)
		db := openCache(t, dir)
		h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
		keys := loadAll(t, h1)
		k := keys[5]
		h1.do(h1.s.Open(k))
		want := h1.s.Full(k)

		// A new session: nothing in memory.
		h2 := newHarness(t, New(Options{Client: st.client, Cache: db}))
		st.srv.ResetRequests()
		// The moment each message starts being handled: the refresh is
		// started by handling the cache's answer, so it may reach Jira
		// before this test looks; what counts is that nothing reached Jira
		// before the cached issue was handed over.
		var handling time.Time
		h2.hold = func(tea.Msg) bool { handling = time.Now(); return false }
		h2.spawn(h2.s.Open(k))
		h2.until("the cached issue", func() bool { return len(issueMsgs(h2.out, k)) > 0 })
		h2.hold = nil
		first := issueMsgs(h2.take(), k)[0]
		if !first.Cached || first.Err != nil {
			t.Fatalf("first answer %+v, want the cached issue", first)
		}
		for _, r := range st.srv.Requests() {
			if r.Time.Before(handling) {
				t.Fatalf("%s %s reached Jira before the cached issue was there", r.Method, r.Path)
			}
		}
		got := h2.s.Full(k)
		if got == nil || got.Summary != want.Summary || got.Description != want.Description {
			t.Fatalf("cached issue %+v", got)
		}
		if e, _ := h2.s.Issue(k); !e.Cached {
			t.Fatal("not marked cached")
		}
		h2.settle()
		if n := count(st.srv.Requests(), "/issue/"+k); n != 1 {
			t.Fatalf("refresh behind sent %d requests", n)
		}
		if ms := issueMsgs(h2.take(), k); len(ms) != 1 || ms[0].Cached || !h2.s.Fresh(k) {
			t.Fatalf("no fresh answer: %+v", ms)
		}
	})
}

// TestCachedResultFirstThenJira: a second session's Load answers the
// last result from the cache, with its age, before Jira's.
func TestCachedResultFirstThenJira(t *testing.T) {
	each(t, func(t *testing.T, flavor string, lat time.Duration) {
		st := startSite(t, flavor, lat)
		db := openCache(t, cacheDir(t))
		h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
		keys := loadAll(t, h1)
		_, _, fetched, _, _ := h1.s.Result(allJQL)

		h2 := newHarness(t, New(Options{Client: st.client, Cache: db}))
		// Jira's answer is held until the cache's is in, whatever the
		// timing (the other order is TestCachedResultDroppedWhenJiraAnsweredFirst).
		h2.hold = func(m tea.Msg) bool { _, ok := m.(doneMsg); return ok }
		h2.spawn(h2.s.Load("list", 7, allJQL, 50))
		h2.until("the cached result", func() bool { return len(queryMsgs(h2.out)) == 1 })
		h2.release()
		h2.settle()
		qs := queryMsgs(h2.take())
		if len(qs) != 2 {
			t.Fatalf("%d query answers, want the cached one then Jira's", len(qs))
		}
		c, f := qs[0], qs[1]
		if !c.Cached || c.Tag != 7 || len(c.Page.Issues) != len(keys) || c.Page.Issues[0].Key != keys[0] || !c.Page.Last {
			t.Fatalf("cached answer %+v", c)
		}
		if f.Cached || f.Err != nil || len(f.Page.Issues) != 50 {
			t.Fatalf("fresh answer %+v", f)
		}
		// The hold keeps Jira's answer from the store, not its cache write:
		// the search's command writes the result before it answers, so the
		// cache may already hold this session's fetch when it is read. The
		// age is then that fetch's; any other time is wrong.
		if !c.Fetched.Equal(fetched.Truncate(time.Millisecond)) && !c.Fetched.Equal(f.Fetched.Truncate(time.Millisecond)) {
			t.Fatalf("cached age from %v, want %v (the first session's fetch) or %v (this one's, written first)", c.Fetched, fetched, f.Fetched)
		}
	})
}

func TestCachedResultDroppedWhenJiraAnsweredFirst(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	db := openCache(t, cacheDir(t))
	h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
	loadAll(t, h1)
	h2 := newHarness(t, New(Options{Client: st.client, Cache: db}))
	h2.hold = func(m tea.Msg) bool { _, ok := m.(cacheDoneMsg); return ok }
	h2.spawn(h2.s.Load("list", 1, allJQL, 50))
	h2.until("Jira's page", func() bool { return len(queryMsgs(h2.out)) == 1 })
	h2.release()
	h2.settle()
	for _, q := range queryMsgs(h2.take()) {
		if q.Cached {
			t.Fatal("a cached result arriving after Jira's was shown over it")
		}
	}
}

// TestNewAndUpdatedMarks: what was added to and changed in a query since
// the user last looked is marked; opening an issue clears its mark.
func TestNewAndUpdatedMarks(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			st := startSite(t, flavor, 0)
			db := openCache(t, cacheDir(t))
			h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			keys := loadAll(t, h1)
			if a, u := h1.s.Changes(allJQL); a != 0 || u != 0 {
				t.Fatalf("first look: %d new, %d updated", a, u)
			}
			h1.s.Leave()

			sum := "changed since you looked"
			for _, k := range keys[1:3] {
				if err := st.client.EditIssue(context.Background(), k, jiraclient.IssueEdit{Summary: &sum}); err != nil {
					t.Fatal(err)
				}
			}
			h2 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			h2.do(h2.s.Load("list", 1, allJQL, 50))
			if a, u := h2.s.Changes(allJQL); a != 0 || u != 2 {
				t.Fatalf("after two edits: %d new, %d updated, want 0 and 2", a, u)
			}
			if e, _ := h2.s.Issue(keys[1]); e.Change != cache.Updated {
				t.Fatalf("%s: %v", keys[1], e.Change)
			}
			h2.do(h2.s.Open(keys[1]))
			if e, _ := h2.s.Issue(keys[1]); e.Change != cache.Unchanged {
				t.Fatal("opening did not clear the mark")
			}
			if _, u := h2.s.Changes(allJQL); u != 1 {
				t.Fatalf("%d updated after opening one", u)
			}
			h2.s.Leave()

			// New: a query whose result gains an issue.
			proj := keys[0][:len(keys[0])-len(keys[0][indexDash(keys[0]):])]
			q := "project = " + proj + " ORDER BY created DESC"
			h3 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			h3.do(h3.s.Load("list", 1, q, 50))
			h3.s.Leave()
			nk, err := st.srv.AddIssue(fakejira.NewIssue{Project: proj, Summary: "brand new"})
			if err != nil {
				t.Fatal(err)
			}
			h4 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			h4.do(h4.s.Load("list", 1, q, 50))
			if a, _ := h4.s.Changes(q); a != 1 {
				t.Fatalf("%d new, want 1 (%s)", a, nk)
			}
			if e, _ := h4.s.Issue(nk); e.Change != cache.New {
				t.Fatalf("%s: %v", nk, e.Change)
			}
			// A refresh marks what was shown as seen.
			h4.do(h4.s.Load("list", 2, q, 50))
			if a, _ := h4.s.Changes(q); a != 0 {
				t.Fatalf("after a refresh: %d new", a)
			}
		})
	}
}

func indexDash(k string) int {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == '-' {
			return i
		}
	}
	return 0
}

func TestPrefetchDebouncedAndCancelled(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			st := startSite(t, flavor, 0)
			h := newHarness(t, New(Options{Client: st.client, PrefetchDelay: time.Millisecond}))
			keys := loadAll(t, h)
			st.srv.ResetRequests()
			// Three rests in a row: only the last is fetched.
			h.do(tea.Batch(h.s.Prefetch(keys[0]), h.s.Prefetch(keys[1]), h.s.Prefetch(keys[2])))
			reqs := st.srv.Requests()
			if len(reqs) != 1 || count(reqs, "/issue/"+keys[2]) != 1 {
				t.Fatalf("requests %+v, want only %s", reqs, keys[2])
			}

			// A prefetch in flight is cancelled when the cursor rests on
			// another issue: its answer never comes.
			// Jira would answer far later than the test runs: the request
			// can only end by being cancelled.
			st.srv.SetFaults(fakejira.Faults{Latency: time.Minute})
			h.spawn(h.s.Prefetch(keys[10]))
			h.until("the prefetch to start", func() bool { return h.s.Fetching(keys[10]) && h.s.Pending() == 1 })
			h.hold = func(m tea.Msg) bool { _, ok := m.(doneMsg); return ok }
			h.spawn(h.s.Prefetch(keys[11]))
			h.until("the second prefetch to start", func() bool { return h.s.Fetching(keys[11]) })
			if h.s.Fetching(keys[10]) {
				t.Fatal("the first prefetch is still wanted")
			}
			h.until("the cancelled request to end", func() bool { return len(h.held) == 1 })
			if d := h.held[0].(doneMsg); !isCanceled(d.err) {
				t.Fatalf("the first prefetch ended with %v, not cancelled", d.err)
			}
			h.release()
			// Nobody waits for the second one either: released, its
			// request is cancelled too (it would answer in a minute).
			h.s.Release(keys[11])
			h.settle()
			if h.s.Fetching(keys[11]) {
				t.Fatal("a released fetch is still in flight")
			}
			if ms := issueMsgs(h.take(), keys[10]); len(ms) != 0 {
				t.Fatalf("a cancelled prefetch answered: %+v", ms)
			}
		})
	}
}

// TestOptimisticWrites: patches show at once; a rollback takes off its own
// patch only; a confirmation keeps the change.
func TestOptimisticWrites(t *testing.T) {
	st := startSite(t, fakejira.FlavorDataCenter, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	keys := loadAll(t, h)
	k := keys[0]
	h.do(h.s.Open(k))
	orig := *h.s.Full(k)
	setSummary := func(is jiraclient.Issue) jiraclient.Issue { is.Summary = "patched"; return is }
	addLabel := func(is jiraclient.Issue) jiraclient.Issue {
		is.Labels = append(append([]string(nil), is.Labels...), "urgent")
		return is
	}
	if out := h.s.Patch("t1", k, setSummary); len(out) != 1 {
		t.Fatalf("patch answered %+v", out)
	}
	h.s.Patch("t2", k, addLabel)
	e, _ := h.s.Issue(k)
	if e.Issue.Summary != "patched" || len(e.Issue.Labels) != len(orig.Labels)+1 || !e.Writing {
		t.Fatalf("patches not shown: %+v", e)
	}
	out := h.s.Rollback("t1", k, errors.New("refused"))
	if len(out) != 2 || out[1].(WriteSettledMsg).Err == nil {
		t.Fatalf("rollback answered %+v", out)
	}
	e, _ = h.s.Issue(k)
	if e.Issue.Summary != orig.Summary || len(e.Issue.Labels) != len(orig.Labels)+1 {
		t.Fatalf("rollback of t1 undid t2 or kept t1: %+v", e.Issue)
	}
	// A fetch while t2 is pending: the patch stays on top.
	h.do(h.s.Fetch(k))
	if e, _ := h.s.Issue(k); len(e.Issue.Labels) != len(orig.Labels)+1 {
		t.Fatal("a fetch dropped the unsettled patch")
	}
	out, cmd := h.s.Confirm("t2", k, nil)
	h.do(cmd)
	e, _ = h.s.Issue(k)
	if len(out) != 2 || e.Writing || len(e.Issue.Labels) != len(orig.Labels)+1 {
		t.Fatalf("confirm: %+v", e)
	}
	if h.s.Fresh(k) {
		t.Fatal("a write confirmed without read-back left the issue fresh")
	}
	// Confirmed with the issue read back: that is what is shown.
	back := orig
	back.Summary = "as Jira has it"
	h.s.Patch("t3", k, setSummary)
	_, cmd = h.s.Confirm("t3", k, &back)
	h.do(cmd)
	if e, _ := h.s.Issue(k); e.Issue.Summary != "as Jira has it" || e.Writing || !h.s.Fresh(k) {
		t.Fatalf("read-back not taken: %+v", e)
	}
	if h.s.Writing() != 0 {
		t.Fatalf("%d writes left", h.s.Writing())
	}
}

// TestExpiredLoginHeldAndReplayed: requests that meet an expired login ask
// for a sign-in once, and are sent again after it.
func TestExpiredLoginHeldAndReplayed(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			st := startSite(t, flavor, 0)
			h := newHarness(t, New(Options{Client: st.client}))
			keys := loadAll(t, h)
			st.srv.ExpireToken()
			h.do(tea.Batch(
				h.s.Open(keys[0]),
				h.s.Load("list", 2, allJQL, 50),
				h.s.Do("overlay", func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
					// The message does not report its error: the store
					// sees it all the same.
					_, err := c.Priorities(ctx)
					return silentMsg{ok: err == nil}, err
				}),
			))
			out := h.take()
			logins := 0
			for _, m := range out {
				switch m.(type) {
				case LoginNeededMsg:
					logins++
				case IssueMsg, QueryMsg, silentMsg:
					t.Fatalf("a request failed on the login was answered: %#v", m)
				}
			}
			if logins != 1 {
				t.Fatalf("%d LoginNeededMsg, want 1", logins)
			}
			st.srv.SetToken("fresh-token")
			h.s.SetClient(newClient(t, flavor, st.url, "fresh-token"))
			h.do(h.s.Replay())
			out = h.take()
			if ms := issueMsgs(out, keys[0]); len(ms) != 1 || ms[0].Err != nil {
				t.Fatalf("issue not replayed: %+v", out)
			}
			if qs := queryMsgs(out); len(qs) != 1 || qs[0].Err != nil || qs[0].Tag != 2 {
				t.Fatalf("query not replayed: %+v", out)
			}
			got := 0
			for _, m := range out {
				if f, ok := m.(silentMsg); ok && f.ok {
					got++
				}
			}
			if got != 1 {
				t.Fatalf("the overlay's request was not replayed: %+v", out)
			}
		})
	}
}

type failMsg struct{ err error }

// silentMsg is a view's answer that carries no error of its own.
type silentMsg struct{ ok bool }

func (m failMsg) Failed() error { return m.err }

func TestAbandonedLoginAnswersTheFailures(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	keys := loadAll(t, h)
	st.srv.ExpireToken()
	h.do(h.s.Open(keys[0]))
	h.take()
	out := h.s.Abandon()
	if len(out) != 1 || !jiraclient.IsAuth(out[0].(IssueMsg).Err) {
		t.Fatalf("abandon answered %+v", out)
	}
}

// TestOffline: with Jira gone, the cached result and issue are still
// there, the store says offline, and a write is refused at once.
func TestOffline(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			st := startSite(t, flavor, 0)
			db := openCache(t, cacheDir(t))
			h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			keys := loadAll(t, h1)
			h1.do(h1.s.Open(keys[2]))
			st.stop()

			h := newHarness(t, New(Options{Client: st.client, Cache: db}))
			h.do(tea.Batch(h.s.Load("list", 1, allJQL, 50), h.s.Open(keys[2])))
			out := h.take()
			var cached, failed, offline int
			for _, m := range out {
				switch m := m.(type) {
				case QueryMsg:
					if m.Cached {
						cached++
					} else if jiraclient.KindOf(m.Err) == jiraclient.KindNetwork {
						failed++
					}
				case NetworkMsg:
					if m.Offline {
						offline++
					}
				}
			}
			if cached != 1 || failed != 1 || offline != 1 || !h.s.Offline() {
				t.Fatalf("cached %d, failed %d, offline %d: %+v", cached, failed, offline, out)
			}
			if full := h.s.Full(keys[2]); full == nil {
				t.Fatal("the cached issue is gone")
			}
			sent := false
			refused := h.s.Write("compose", func(context.Context, *jiraclient.Client) (tea.Msg, error) {
				sent = true
				return nil, nil
			}, func(err error) tea.Msg { return failMsg{err} })
			if h.s.Pending() != 0 {
				t.Fatal("a refused write counts as outstanding")
			}
			if m := refused().(failMsg); !errors.Is(m.err, ErrOffline) || sent {
				t.Fatalf("write not refused: %+v sent=%v", m, sent)
			}
		})
	}
}

func TestBackOnline(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	loadAll(t, h)
	st.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Drop: true}}})
	h.do(h.s.Load("list", 2, allJQL, 50))
	if !h.s.Offline() {
		t.Fatal("a dropped connection did not put the store offline")
	}
	h.take()
	h.do(h.s.Load("list", 3, allJQL, 50))
	if h.s.Offline() {
		t.Fatal("still offline after Jira answered")
	}
	found := false
	for _, m := range h.take() {
		if n, ok := m.(NetworkMsg); ok && !n.Offline {
			found = true
		}
	}
	if !found {
		t.Fatal("no NetworkMsg back online")
	}
}

func TestFindSearchesTheCache(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	db := openCache(t, cacheDir(t))
	h := newHarness(t, New(Options{Client: st.client, Cache: db}))
	keys := loadAll(t, h)
	h.do(h.s.Open(keys[4]))
	is := h.s.Full(keys[4])
	st.stop() // offline: the search needs no Jira
	h.do(h.s.Find("find", is.Summary))
	var hits []cache.Hit
	for _, m := range h.take() {
		if f, ok := m.(FoundMsg); ok {
			hits = f.Hits
		}
	}
	if len(hits) == 0 || hits[0].Key != keys[4] {
		t.Fatalf("hits %+v, want %s first", hits, keys[4])
	}
	if h.s.Offline() {
		t.Fatal("a cache search changed the network state")
	}
}

func TestCancelDropsTheAnswer(t *testing.T) {
	h := newHarness(t, New(Options{}))
	started := make(chan struct{})
	cmd := h.s.Do("overlay", func(ctx context.Context, _ *jiraclient.Client) (tea.Msg, error) {
		close(started)
		<-ctx.Done()
		return failMsg{ctx.Err()}, ctx.Err()
	})
	h.spawn(cmd)
	<-started
	h.s.Cancel("overlay")
	h.settle()
	if len(h.take()) != 0 {
		t.Fatal("a cancelled request answered")
	}
}

func TestIDsAreUnique(t *testing.T) {
	s := New(Options{})
	a, b := s.NextID(), s.NextID()
	if a == b || a == 0 {
		t.Fatalf("ids %d %d", a, b)
	}
}

// TestRefreshConfirmsCachedIssues: in a new session, after Jira's list
// says an issue is unchanged, opening it reads the cache and asks Jira
// nothing; a changed one is fetched.
func TestRefreshConfirmsCachedIssues(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			st := startSite(t, flavor, 0)
			db := openCache(t, cacheDir(t))
			h1 := newHarness(t, New(Options{Client: st.client, Cache: db}))
			keys := loadAll(t, h1)
			h1.do(tea.Batch(h1.s.Open(keys[0]), h1.s.Open(keys[1])))
			sum := "changed"
			if err := st.client.EditIssue(context.Background(), keys[1], jiraclient.IssueEdit{Summary: &sum}); err != nil {
				t.Fatal(err)
			}

			h := newHarness(t, New(Options{Client: st.client, Cache: db}))
			h.do(h.s.Load("list", 1, allJQL, 50))
			if h.s.Full(keys[0]) != nil {
				t.Fatal("a cached list row counts as a full issue")
			}
			st.srv.ResetRequests()
			h.do(h.s.Open(keys[0]))
			if n := len(st.srv.Requests()); n != 0 || !h.s.Fresh(keys[0]) || h.s.Full(keys[0]).Description == "" && h.s.Full(keys[0]).Summary == "" {
				t.Fatalf("unchanged cached issue: %d requests, fresh=%v", n, h.s.Fresh(keys[0]))
			}
			h.do(h.s.Open(keys[1]))
			if n := count(st.srv.Requests(), "/issue/"+keys[1]); n != 1 {
				t.Fatalf("changed issue: %d requests", n)
			}
			if h.s.Full(keys[1]).Summary != sum {
				t.Fatal("changed issue not refreshed")
			}
		})
	}
}

// TestFullIssuesBeyondTheCapComeBackFromTheCache: past MaxFull the least
// recently opened full issues drop to their rows; opening one again reads
// it from the cache and asks Jira nothing.
func TestFullIssuesBeyondTheCapComeBackFromTheCache(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	db := openCache(t, cacheDir(t))
	h := newHarness(t, New(Options{Client: st.client, Cache: db, MaxFull: 5}))
	keys := loadAll(t, h)
	for _, k := range keys[:6] {
		h.do(h.s.Open(k))
	}
	full := 0
	for _, k := range keys[:6] {
		if h.s.Full(k) != nil {
			full++
		}
	}
	if full > 5 || h.s.Full(keys[0]) != nil || h.s.Full(keys[5]) == nil {
		t.Fatalf("%d full issues held; oldest %v, newest %v", full, h.s.Full(keys[0]) != nil, h.s.Full(keys[5]) != nil)
	}
	st.srv.ResetRequests()
	h.do(h.s.Open(keys[0]))
	if n := len(st.srv.Requests()); n != 0 || h.s.Full(keys[0]) == nil || h.s.Full(keys[0]).Description == "" {
		t.Fatalf("reopening a dropped issue: %d requests, full %v", n, h.s.Full(keys[0]) != nil)
	}
}
