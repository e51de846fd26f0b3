package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// until handles messages until cond holds (a named fact), failing after
// settleLimit.
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(settleLimit)
	for !cond() {
		select {
		case e := <-d.msgs:
			d.handle(e)
		case <-deadline:
			d.t.Fatalf("%s: not after %v\n%s", what, settleLimit, screen(d.m))
		}
	}
}

func openTestCache(t *testing.T, dir string) *cache.DB {
	t.Helper()
	db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "test"})
	if err := db.Note(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// session starts a root over site and db, sized, with Init running.
func session(t *testing.T, site fakeSite, db *cache.DB) *driver {
	t.Helper()
	d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now, Cache: db}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	d.spawn(d.m.Init())
	return d
}

// TestCachedStartThenFresh: the second start draws the last result from
// the cache, marked with its age, before Jira has answered anything; then
// Jira's answer replaces it with the cursor on the same issue.
func TestCachedStartThenFresh(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			site := startFake(t, flavor)
			db := openTestCache(t, t.TempDir())
			d1 := session(t, site, db)
			d1.settle()
			first := d1.m.list.Issues()
			d1.send(press("j"), press("j"))
			cur := d1.m.list.Current().Key
			d1.m.c.Issues.Leave()

			site.srv.SetFaults(fakejira.Faults{Latency: 2 * time.Second})
			site.srv.ResetRequests()
			d := session(t, site, db)
			d.until("the cached list", func() bool { return strings.Contains(screen(d.m), first[0].Key) })
			for _, r := range site.srv.Requests() {
				if r.Status != 0 {
					t.Fatalf("Jira answered %s before the cached list was drawn", r.Path)
				}
			}
			s := screen(d.m)
			if !strings.Contains(s, "cached") || !strings.Contains(s, "ago") {
				t.Fatalf("no age on the cached list:\n%s", s)
			}
			// The user moves while Jira is slow; Jira's answer keeps the
			// cursor on that issue.
			d.send(press("j"), press("j"))
			if d.m.list.Current().Key != cur {
				t.Fatalf("cursor on %s, want %s", d.m.list.Current().Key, cur)
			}
			site.srv.SetFaults(fakejira.Faults{})
			d.settle()
			if !d.m.list.CachedAt().IsZero() || strings.Contains(screen(d.m), "cached") {
				t.Fatalf("still the cached result:\n%s", screen(d.m))
			}
			if d.m.list.Current().Key != cur {
				t.Fatalf("after Jira's answer the cursor is on %s, want %s", d.m.list.Current().Key, cur)
			}
		})
	}
}

// TestOfflineBrowseAndRefusedWrite: with Jira gone the cached list and an
// issue stay browsable, marked offline.
func TestOfflineBrowse(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	db := openTestCache(t, t.TempDir())
	d1 := session(t, site, db)
	d1.settle()
	key := d1.m.list.Issues()[0].Key
	d1.send(press("enter"))
	if d1.m.detail.Issue() == nil {
		t.Fatal("issue not opened")
	}
	d1.m.c.Issues.Leave()

	c := newFakeClient(t, fakejira.FlavorCloud, "http://127.0.0.1:1", fakejira.Token)
	d := newDriver(t, New(Options{Client: c, JQL: allIssues, Now: site.srv.Now, Cache: db}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.m.Init())
	s := screen(d.m)
	if !strings.Contains(s, key) || !strings.Contains(s, "offline") {
		t.Fatalf("offline start:\n%s", s)
	}
	d.send(press("enter"))
	if d.m.state != stateDetail || d.m.detail.Issue() == nil || d.m.detail.Key() != key {
		t.Fatalf("cached issue not browsable offline: state %v key %q", d.m.state, d.m.detail.Key())
	}
	if !d.m.c.Issues.Offline() {
		t.Fatal("not offline")
	}
	// The refresh failed: the cached issue stays, with its age.
	if s := screen(d.m); !strings.Contains(s, "cached") || !strings.Contains(s, "ago") || !strings.Contains(s, "offline") {
		t.Fatalf("no age on the cached issue:\n%s", s)
	}
	// A write is refused at once, with no request and nothing patched.
	before := d.m.detail.Issue().Assignee
	d.send(press("i"))
	if s := screen(d.m); !strings.Contains(s, "offline: Jira cannot be reached") {
		t.Fatalf("write not refused:\n%s", s)
	}
	if d.m.overlay != nil || d.m.detail.Issue().Assignee != before || d.m.c.Issues.Writing() != 0 {
		t.Fatal("an offline write went ahead")
	}
}

// TestNewAndUpdatedInStatusBar: an issue changed since the last look is
// counted in the status bar; opening it clears its mark.
func TestNewAndUpdatedInStatusBar(t *testing.T) {
	site := startFake(t, fakejira.FlavorDataCenter)
	db := openTestCache(t, t.TempDir())
	d1 := session(t, site, db)
	d1.settle()
	keys := d1.m.list.Issues()
	d1.m.c.Issues.Leave()
	sum := "changed meanwhile"
	for _, is := range keys[:2] {
		if err := site.client.EditIssue(context.Background(), is.Key, jiraclient.IssueEdit{Summary: &sum}); err != nil {
			t.Fatal(err)
		}
	}
	d := session(t, site, db)
	d.settle()
	if s := screen(d.m); !strings.Contains(s, "2 updated") {
		t.Fatalf("no change count:\n%s", s)
	}
	d.send(press("enter"))
	d.send(press("esc"))
	if s := screen(d.m); !strings.Contains(s, "1 updated") {
		t.Fatalf("opening did not clear the mark:\n%s", s)
	}
	_ = list.PageSize
}

// TestFindOverlaySearchesSeenIssues: ctrl+f searches every cached issue,
// offline, as the user types; enter opens the issue.
func TestFindOverlaySearchesSeenIssues(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	db := openTestCache(t, t.TempDir())
	d := session(t, site, db)
	d.settle()
	target := d.m.list.Issues()[7]
	site.stop() // offline: the search reads only the cache
	d.send(tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
	if d.m.overlay == nil {
		t.Fatal("ctrl+f opened nothing")
	}
	var typing []tea.Msg
	for _, r := range target.Summary {
		typing = append(typing, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	d.send(typing...)
	if s := screen(d.m); !strings.Contains(s, target.Key) {
		t.Fatalf("%s not found:\n%s", target.Key, s)
	}
	d.send(press("enter"))
	if d.m.overlay != nil || d.m.state != stateDetail || d.m.detail.Key() != target.Key {
		t.Fatalf("enter: overlay %v state %v key %q", d.m.overlay != nil, d.m.state, d.m.detail.Key())
	}
}

// TestCancelledReloginAnswersTheHeldRequests: when the user gives up the
// sign-in, what the store held for it fails in its own view, and the
// login does not open again over it.
func TestCancelledReloginAnswersTheHeldRequests(t *testing.T) {
	site := startFake(t, fakejira.FlavorDataCenter)
	d := session(t, site, nil)
	d.settle()
	site.srv.ExpireToken()
	d.send(press("r"))
	if d.m.state != stateLogin || !d.m.reauth {
		t.Fatalf("expired login: state %v", d.m.state)
	}
	if d.m.c.Issues.Pending() != 0 {
		t.Fatal("the held refresh counts as outstanding")
	}
	d.send(login.CancelMsg{})
	if d.m.state != stateList || d.m.reauth {
		t.Fatalf("after cancel: state %v reauth %v", d.m.state, d.m.reauth)
	}
	if d.m.list.Loading() != "" {
		t.Fatalf("the list still waits: %q", d.m.list.Loading())
	}
}

// TestAutoRefresh: with refresh_minutes set, each tick reloads the shown
// query, keeping the cursor's issue; with it unset there is no tick.
func TestAutoRefresh(t *testing.T) {
	if New(Options{}).refreshEvery() != 0 {
		t.Fatal("auto-refresh on by default")
	}
	site := startFake(t, fakejira.FlavorCloud)
	d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now, RefreshMinutes: 5}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	if d.m.refreshEvery() != 5*time.Minute {
		t.Fatalf("period %v", d.m.refreshEvery())
	}
	d.run(d.m.Init())
	d.send(press("j"), press("j"))
	cur := d.m.list.Current().Key
	site.srv.ResetRequests()
	d.send(store.RefreshMsg{})
	if n := firstPages(t, site.srv.Requests(), fakejira.FlavorCloud); n != 1 {
		t.Fatalf("the tick sent %d searches", n)
	}
	if d.m.list.Current().Key != cur {
		t.Fatalf("cursor moved to %s from %s", d.m.list.Current().Key, cur)
	}
}

// TestPickerLoadReplayedAfterRelogin: the transition picker's load meets
// an expired login; the login opens over it, and after signing in again
// the store sends the load again and the picker lists the transitions.
func TestPickerLoadReplayedAfterRelogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			d, site, _ := triageRoot(t, flavor)
			d.cursorTo(1)
			site.srv.ExpireToken()
			d.send(press("t"))
			if d.m.state != stateLogin || !d.m.reauth {
				t.Fatalf("no login after the expired token: state %v", d.m.state)
			}
			site.srv.SetToken("fresh-token")
			site.srv.ResetRequests()
			d.send(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: d.m.c.Me})
			if n := count(site.srv.Requests(), "/transitions"); n != 1 {
				t.Fatalf("the load was sent %d times after the re-login, want 1", n)
			}
			if d.m.overlay == nil || d.m.state != stateList {
				t.Fatalf("after the re-login: overlay %T state %v", d.m.overlay, d.m.state)
			}
			p, ok := d.m.overlay.(interface{ Phase() string })
			if !ok || p.Phase() != "pick" {
				t.Fatalf("the picker did not load after the re-login (%T):\n%s", d.m.overlay, screen(d.m))
			}
		})
	}
}

// TestClosingAnOverlayCancelsItsLoad: t opens the transition picker while
// Jira takes a minute to answer its load; esc closes it, and the load is
// cancelled (common.Closer, the store's owner), so the store's count of
// outstanding work reaches zero at once instead of after Jira's minute.
// Without the cancel the settle waits for the answer and fails at its
// bound.
func TestClosingAnOverlayCancelsItsLoad(t *testing.T) {
	d, site, _ := triageRoot(t, fakejira.FlavorCloud)
	d.cursorTo(1)
	site.srv.ResetRequests()
	site.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Delay: time.Minute}}})
	nm, cmd := d.m.Update(press("t"))
	d.m = nm.(Model)
	d.spawn(cmd)
	if d.m.overlay == nil || d.m.c.Issues.Pending() != 1 {
		t.Fatalf("the picker's load is not out: overlay %T, pending %d", d.m.overlay, d.m.c.Issues.Pending())
	}
	d.send(press("esc"))
	if d.m.overlay != nil {
		t.Fatalf("esc left %T open", d.m.overlay)
	}
	if n := count(site.srv.Requests(), "/transitions"); n > 1 {
		t.Fatalf("transitions asked %d times, want at most 1", n)
	}
	// A load that ran to its deadline instead would have made the store
	// call Jira unreachable.
	if d.m.c.Issues.Offline() {
		t.Fatal("the closed picker's load ran to its deadline: the store is offline")
	}
}
