package tui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/profiles"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// twoProfiles is a root on profile "alpha" (site a, Jira Cloud) that can
// switch to "beta" (site b, Data Center): two fakejira servers, each
// profile with its own cache.
type twoProfiles struct {
	a, b     fakeSite
	dbA, dbB *cache.DB
	alpha    profiles.Entry
	beta     profiles.Entry
	opened   atomic.Int32 // OpenProfile calls
	drafts   *config.Drafts
}

func newTwoProfiles(t *testing.T) *twoProfiles {
	t.Helper()
	p := &twoProfiles{a: startFake(t, fakejira.FlavorCloud), b: startFake(t, fakejira.FlavorDataCenter)}
	p.dbA = openNamedCache(t, "alpha")
	p.dbB = openNamedCache(t, "beta")
	p.alpha = profiles.Entry{Name: "alpha", URL: p.a.url, User: fakejira.Email}
	p.beta = profiles.Entry{Name: "beta", URL: p.b.url, User: "admin"}
	d, err := config.LoadDrafts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p.drafts = d
	return p
}

func openNamedCache(t *testing.T, profile string) *cache.DB {
	t.Helper()
	db := cache.Open(context.Background(), cache.Options{Dir: t.TempDir(), Profile: profile})
	if err := db.Note(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// options are the root's options on alpha.
func (p *twoProfiles) options() Options {
	return Options{
		Client: p.a.client, Cache: p.dbA, DefaultJQL: allIssues, Now: p.a.srv.Now,
		Queries:  []Query{{Name: "Alpha tab", JQL: "project = ALPHA"}},
		Profiles: []profiles.Entry{p.alpha, p.beta}, Profile: p.alpha,
		DraftsFor: func(site string) compose.DraftStore { return p.drafts.ForSite(site) },
		OpenProfile: func(_ context.Context, e profiles.Entry) (Options, error) {
			p.opened.Add(1)
			if e.ID() != p.beta.ID() {
				return Options{}, errors.New("unknown profile " + e.ID())
			}
			return Options{Client: p.b.client, Cache: p.dbB, DefaultJQL: allIssues, Queries: []Query{{Name: "Beta tab", JQL: "project = BETA"}}}, nil
		},
	}
}

func (p *twoProfiles) start(t *testing.T) *driver {
	t.Helper()
	d := newDriver(t, New(p.options()))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	d.run(d.m.Init())
	return d
}

// key hands a key to the root without waiting for what it starts.
func (d *driver) key(k string) {
	nm, cmd := d.m.Update(press(k))
	d.m = nm.(Model)
	d.spawn(cmd)
}

// pick opens the picker (P) and picks the entry with label; the switch
// goes on in the driver's loop (until, settle).
func pick(t *testing.T, d *driver, label string) {
	t.Helper()
	d.key("P")
	pk, ok := d.m.overlay.(*profiles.Model)
	if !ok {
		t.Fatalf("P opened %T", d.m.overlay)
	}
	want := -1
	for i, e := range d.m.o.Profiles {
		if e.Label() == label {
			want = i
		}
	}
	if want < 0 {
		t.Fatalf("no profile %q", label)
	}
	// The picker's cursor starts on the profile in use.
	for pk.Cursor() < want {
		d.key("j")
	}
	for pk.Cursor() > want {
		d.key("k")
	}
	d.key("enter")
}

// screenLine is the first line of the screen holding all of parts.
func screenLine(m Model, parts ...string) string {
	for _, l := range strings.Split(screen(m), "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return l
		}
	}
	return ""
}

func statusLine(m Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

// TestProfileSwitchShowsCachedListThenFresh: P switches to another site
// without a restart: its list shows from its own cache first (no answer
// from its Jira yet), then fresh; the status bar names the profile and
// the site; going back reuses the first profile's login.
func TestProfileSwitchShowsCachedListThenFresh(t *testing.T) {
	p := newTwoProfiles(t)
	// beta was used before: its cache holds its list.
	prev := newDriver(t, New(Options{Client: p.b.client, Cache: p.dbB, DefaultJQL: allIssues, Now: p.b.srv.Now}))
	prev.m = upd(t, prev.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	prev.run(prev.m.Init())
	bKeys := prev.m.list.Issues()
	prev.m.c.Issues.Leave()
	// Since then beta's first issue changed in Jira, and beta is slow.
	fresh := "changed in beta since the cache"
	if err := p.b.client.EditIssue(context.Background(), bKeys[0].Key, jiraclient.IssueEdit{Summary: &fresh}); err != nil {
		t.Fatal(err)
	}
	aSummary := "only alpha has this"
	if err := p.a.client.EditIssue(context.Background(), bKeys[0].Key, jiraclient.IssueEdit{Summary: &aSummary}); err != nil {
		t.Fatal(err)
	}

	d := p.start(t)
	if s := statusLine(d.m); !strings.Contains(s, "alpha") || !strings.Contains(s, profiles.Host(p.a.url)) {
		t.Fatalf("status bar does not name the profile and site: %q", s)
	}
	if !strings.Contains(screen(d.m), aSummary) || !strings.Contains(screen(d.m), "Alpha tab") {
		t.Fatalf("alpha's list:\n%s", screen(d.m))
	}
	p.b.srv.SetFaults(fakejira.Faults{Latency: 2 * time.Second})
	p.b.srv.ResetRequests()
	pick(t, d, "beta")
	d.until("beta's cached list", func() bool {
		return d.m.Profile().ID() == p.beta.ID() && strings.Contains(screen(d.m), bKeys[0].Summary) && strings.Contains(statusLine(d.m), "cached")
	})
	for _, r := range p.b.srv.Requests() {
		if r.Status != 0 {
			t.Fatalf("beta's Jira answered %s before its cached list was drawn", r.Path)
		}
	}
	s := screen(d.m)
	if strings.Contains(s, aSummary) || strings.Contains(s, fresh) {
		t.Fatalf("beta's cached list shows another text:\n%s", s)
	}
	if st := statusLine(d.m); !strings.Contains(st, "beta") || !strings.Contains(st, profiles.Host(p.b.url)) {
		t.Fatalf("status bar after the switch: %q", st)
	}
	// beta's own saved queries.
	if tabs := strings.SplitN(s, "\n", 2)[0]; !strings.Contains(tabs, "Beta tab") || strings.Contains(tabs, "Alpha tab") {
		t.Fatalf("beta's tabs: %q", tabs)
	}
	p.b.srv.SetFaults(fakejira.Faults{})
	d.until("beta's fresh list", func() bool { return strings.Contains(screen(d.m), fresh) })
	d.settle()
	if strings.Contains(statusLine(d.m), "cached") || strings.Contains(screen(d.m), aSummary) {
		t.Fatalf("after Jira answered:\n%s", screen(d.m))
	}
	if n := p.opened.Load(); n != 1 {
		t.Fatalf("OpenProfile called %d times", n)
	}

	// Back to alpha: its login is kept (no OpenProfile), its list shows.
	pick(t, d, "alpha")
	d.until("alpha's list", func() bool { return strings.Contains(screen(d.m), aSummary) })
	d.settle()
	if n := p.opened.Load(); n != 1 {
		t.Fatalf("going back opened the profile again (%d calls)", n)
	}
	if d.m.c.Client != p.a.client || !strings.Contains(statusLine(d.m), profiles.Host(p.a.url)) {
		t.Fatalf("not back on alpha: %q", statusLine(d.m))
	}
}

// TestProfileSwitchDropsOldAnswers: what the old profile asked for before
// the switch never lands in the new profile's store or on its screen: a
// search and a fetch still running (cancelled), and an optimistic write
// that settles after the switch (settled in the old store; its failure
// opens no login for the new profile).
func TestProfileSwitchDropsOldAnswers(t *testing.T) {
	p := newTwoProfiles(t)
	d := p.start(t)
	key := d.m.list.Issues()[0].Key
	aSummary := "only alpha has this"
	if err := p.a.client.EditIssue(context.Background(), key, jiraclient.IssueEdit{Summary: &aSummary}); err != nil {
		t.Fatal(err)
	}
	// A write on alpha, patched at once, still unsettled at the switch.
	d.send(common.IssuePatchMsg{Token: "w1", Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue {
		is.Summary = "patched on alpha"
		return is
	}})
	if !strings.Contains(screen(d.m), "patched on alpha") {
		t.Fatalf("patch not shown:\n%s", screen(d.m))
	}
	// alpha becomes slow; a refresh and a reload are on their way.
	p.a.srv.SetFaults(fakejira.Faults{Latency: 5 * time.Second})
	p.a.srv.ResetRequests()
	d.key("r")
	d.spawn(d.m.c.Issues.Fetch(key))
	oldStore := d.m.c.Issues
	if oldStore.Pending() == 0 {
		t.Fatal("nothing in flight on alpha")
	}
	pick(t, d, "beta")
	d.until("beta", func() bool { return d.m.Profile().ID() == p.beta.ID() })
	// The write's outcome comes now, on beta's screen: Jira's answer,
	// with alpha's text.
	d.send(common.IssueConfirmedMsg{Token: "w1", Key: key, Issue: &jiraclient.Issue{Key: key, Summary: aSummary, Updated: time.Now().Add(time.Hour)}})
	d.settle()
	d.until("alpha's requests answered", func() bool { return oldStore.Pending() == 0 })
	// They were cancelled: alpha's Jira saw each connection dropped.
	for _, r := range p.a.srv.Requests() {
		if r.Status != 0 {
			t.Fatalf("alpha's %s %s was not cancelled by the switch (status %d)", r.Method, r.Path, r.Status)
		}
	}
	if st := d.m.state; st != stateList || d.m.reauth {
		t.Fatalf("state %v reauth %v", st, d.m.reauth)
	}
	s := screen(d.m)
	if strings.Contains(s, aSummary) || strings.Contains(s, "patched on alpha") {
		t.Fatalf("alpha's answer reached beta's screen:\n%s", s)
	}
	if e, ok := d.m.c.Issues.Issue(key); ok && (e.Issue.Summary == aSummary || e.Issue.Summary == "patched on alpha") {
		t.Fatalf("alpha's issue landed in beta's store: %q", e.Issue.Summary)
	}
	// The confirmed write was settled in alpha's store.
	if oldStore.Writing() != 0 {
		t.Fatalf("alpha's store still has %d writes unsettled", oldStore.Writing())
	}

	// A write of alpha refused for an expired login after the switch
	// opens no login over beta.
	d2 := p.start(t)
	d2.send(common.IssuePatchMsg{Token: "w3", Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue { return is }})
	pick(t, d2, "beta")
	d2.until("beta", func() bool { return d2.m.Profile().ID() == p.beta.ID() })
	d2.settle()
	d2.send(common.IssueRollbackMsg{Token: "w3", Key: key, Err: &jiraclient.Error{Status: 401, Kind: jiraclient.KindAuth}})
	if d2.m.state != stateList || d2.m.reauth {
		t.Fatalf("alpha's expired login opened the login over beta: state %v", d2.m.state)
	}
}

// TestDraftsPerProfile: a comment draft written on one profile is not
// offered on the other, and is there again after switching back.
func TestDraftsPerProfile(t *testing.T) {
	p := newTwoProfiles(t)
	d := p.start(t)
	key := d.m.list.Issues()[0].Key
	d.send(press("c"))
	var typing []tea.Msg
	for _, r := range "draft on alpha" {
		typing = append(typing, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	d.send(typing...)
	d.send(press("esc"))
	if d.m.overlay != nil {
		t.Fatalf("editor still open:\n%s", screen(d.m))
	}

	pick(t, d, "beta")
	d.until("beta", func() bool { return d.m.Profile().ID() == p.beta.ID() })
	d.settle()
	if got := d.m.list.Issues()[0].Key; got != key {
		t.Fatalf("beta's first issue %s, want the same key %s", got, key)
	}
	d.send(press("c"))
	if s := screen(d.m); strings.Contains(s, "draft on alpha") {
		t.Fatalf("alpha's draft offered on beta:\n%s", s)
	}
	d.send(press("esc"))

	pick(t, d, "alpha")
	d.until("alpha", func() bool { return d.m.Profile().ID() == p.alpha.ID() })
	d.settle()
	d.send(press("c"))
	if s := screen(d.m); !strings.Contains(s, "draft on alpha") {
		t.Fatalf("alpha's draft lost:\n%s", s)
	}
}

// TestProfileWithoutLogin: a profile with no token opens the login view
// for it; esc goes back to the profile in use, which kept its list.
func TestProfileWithoutLogin(t *testing.T) {
	p := newTwoProfiles(t)
	o := p.options()
	o.OpenProfile = func(context.Context, profiles.Entry) (Options, error) {
		var o Options
		o.LoginOptions.Prefill.URL = p.b.url
		return o, nil
	}
	d := newDriver(t, New(o))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	d.run(d.m.Init())
	before := d.m.list.Issues()[0].Summary
	pick(t, d, "beta")
	d.until("the login for beta", func() bool { return d.m.state == stateLogin })
	d.settle()
	if s := screen(d.m); !strings.Contains(s, "Sign in to profile beta") || !strings.Contains(s, p.b.url) {
		t.Fatalf("login view:\n%s", s)
	}
	d.send(press("esc"))
	if d.m.state != stateList || d.m.Profile().ID() != p.alpha.ID() || !strings.Contains(screen(d.m), before) {
		t.Fatalf("esc did not go back to alpha: state %v\n%s", d.m.state, screen(d.m))
	}

	// Again, and this time signing in: beta is in use, with its list.
	pick(t, d, "beta")
	d.until("the login for beta", func() bool { return d.m.state == stateLogin })
	d.settle()
	d.send(login.DoneMsg{Client: p.b.client, Me: &jiraclient.User{Name: "admin", DisplayName: "Beta Admin"}, Profile: "beta", Site: p.b.url})
	d.settle()
	if d.m.state != stateList || d.m.Profile().ID() != p.beta.ID() || d.m.c.Client != p.b.client {
		t.Fatalf("after signing in: state %v profile %q", d.m.state, d.m.Profile().ID())
	}
	if st := statusLine(d.m); !strings.Contains(st, "beta") || !strings.Contains(st, profiles.Host(p.b.url)) || !strings.Contains(st, "Beta Admin") {
		t.Fatalf("status bar: %q", st)
	}
	if len(d.m.list.Issues()) == 0 {
		t.Fatalf("beta's list:\n%s", screen(d.m))
	}
}
