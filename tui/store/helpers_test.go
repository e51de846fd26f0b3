package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// site is a fakejira of one flavour and a client signed in to it.
type site struct {
	flavor string
	srv    *fakejira.Server
	url    string
	client *jiraclient.Client
	stop   func()
}

func startSite(t *testing.T, flavor string, latency time.Duration) *site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 3, Issues: 120})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	if latency > 0 {
		srv.SetFaults(fakejira.Faults{Latency: latency})
	}
	return &site{flavor: flavor, srv: srv, url: url, client: newClient(t, flavor, url, fakejira.Token), stop: stop}
}

func newClient(t *testing.T, flavor, url, token string) *jiraclient.Client {
	t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: token}
	fl := jiraclient.FlavorCloud
	if flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: token}
		fl = jiraclient.FlavorDataCenter
	}
	c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openCache opens a cache in dir (one per test: a profile's database
// shared by the "sessions" of a test).
func openCache(t *testing.T, dir string) *cache.DB {
	t.Helper()
	db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "test"})
	if err := db.Note(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// harness drives a Store like the Bubble Tea loop does: each command runs
// in its own goroutine, its message comes back to the test's goroutine and
// goes through Update. What the store answers for the views is kept in
// out. settle waits on the fact that matters, Pending reaching zero.
type harness struct {
	t    *testing.T
	s    *Store
	msgs chan tea.Msg
	stop chan struct{}
	out  []tea.Msg
	// hold, when set, keeps back a message it returns true for (delivered
	// by release), to order answers deterministically.
	hold func(tea.Msg) bool
	held []tea.Msg
}

func newHarness(t *testing.T, s *Store) *harness {
	h := &harness{t: t, s: s, msgs: make(chan tea.Msg, 64), stop: make(chan struct{})}
	t.Cleanup(func() { close(h.stop); _ = s.Close() })
	return h
}

func (h *harness) spawn(c tea.Cmd) {
	if c == nil {
		return
	}
	go func() {
		m := c()
		select {
		case h.msgs <- m:
		case <-h.stop:
		}
	}()
}

// do runs cmd and settles.
func (h *harness) do(cmd tea.Cmd) {
	h.t.Helper()
	h.spawn(cmd)
	h.settle()
}

// step handles one message (blocking for it); it reports false when the
// deadline passed.
func (h *harness) step(deadline <-chan time.Time) bool {
	select {
	case m := <-h.msgs:
		h.handle(m)
		return true
	case <-deadline:
		return false
	}
}

func (h *harness) handle(m tea.Msg) {
	if b, ok := m.(tea.BatchMsg); ok {
		for _, c := range b {
			h.spawn(c)
		}
		return
	}
	if h.hold != nil && h.hold(m) {
		h.held = append(h.held, m)
		return
	}
	out, cmd, ok := h.s.Update(m)
	if !ok {
		h.out = append(h.out, m)
		return
	}
	h.out = append(h.out, out...)
	h.spawn(cmd)
}

// settle handles messages until the store's outstanding work is zero.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.After(30 * time.Second)
	for h.s.Pending()-len(h.held) > 0 {
		if !h.step(deadline) {
			h.t.Fatalf("still %d outstanding after 30 s", h.s.Pending())
		}
	}
}

// until handles messages until cond holds.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		if !h.step(deadline) {
			h.t.Fatalf("%s: not after 30 s", what)
		}
	}
}

// release delivers the held messages.
func (h *harness) release() {
	held := h.held
	h.held, h.hold = nil, nil
	for _, m := range held {
		h.handle(m)
	}
}

// take returns and forgets what the store answered so far.
func (h *harness) take() []tea.Msg {
	out := h.out
	h.out = nil
	return out
}

func issueMsgs(out []tea.Msg, key string) []IssueMsg {
	var r []IssueMsg
	for _, m := range out {
		if im, ok := m.(IssueMsg); ok && im.Key == key {
			r = append(r, im)
		}
	}
	return r
}

func queryMsgs(out []tea.Msg) []QueryMsg {
	var r []QueryMsg
	for _, m := range out {
		if q, ok := m.(QueryMsg); ok {
			r = append(r, q)
		}
	}
	return r
}

// count is how many recorded requests have a path ending in suffix.
func count(reqs []fakejira.Request, suffix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

func searchPath(flavor string) string {
	if flavor == fakejira.FlavorCloud {
		return "/rest/api/3/search/jql"
	}
	return "/rest/api/2/search"
}

const allJQL = "created >= -5000d ORDER BY key ASC"

func cacheDir(t *testing.T) string { return filepath.Join(t.TempDir(), "cache") }

// each runs f for both flavours, at once and with Jira 400 ms late.
func each(t *testing.T, f func(t *testing.T, flavor string, latency time.Duration)) {
	for _, fl := range flavors {
		for _, lat := range []time.Duration{0, 400 * time.Millisecond} {
			t.Run(fl+"/"+lat.String(), func(t *testing.T) {
				t.Parallel()
				f(t, fl, lat)
			})
		}
	}
}
