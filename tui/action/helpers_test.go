package action

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
)

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// site is a fake Jira with a signed-in Common.
type site struct {
	srv    *fakejira.Server
	url    string
	flavor string
	c      *common.Common
}

// startSite starts a fake Jira of flavor. The client does not retry unless
// retry is given, so a scripted fault is seen once.
func startSite(t *testing.T, flavor string, retry ...jiraclient.RetryPolicy) *site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Issues: 60})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s := &site{srv: srv, url: url, flavor: flavor}
	me := srv.Me()
	s.c = &common.Common{
		Styles: common.NewStyles(true),
		Client: s.client(t, fakejira.Token, retry...),
		Me:     &jiraclient.User{AccountID: me.AccountID, Name: me.Name, Key: me.Key, DisplayName: me.DisplayName, Email: me.Email, Active: true},
	}
	return s
}

// client signs in to the site with token.
func (s *site) client(t *testing.T, token string, retry ...jiraclient.RetryPolicy) *jiraclient.Client {
	t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: token}
	fl := jiraclient.FlavorCloud
	if s.flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: token}
		fl = jiraclient.FlavorDataCenter
	}
	p := jiraclient.RetryPolicy{}
	if len(retry) > 0 {
		p = retry[0]
	}
	cl, err := jiraclient.New(s.url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(p))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// issues are the first n issues in status (and, when assigned is not
// nil, with or without an assignee), as the list has them.
func (s *site) issues(t *testing.T, n int, status string) []jiraclient.Issue {
	t.Helper()
	var out []jiraclient.Issue
	for _, k := range s.srv.Keys() {
		snap, _ := s.srv.Issue(k)
		if snap.Status != status || snap.Type == "Epic" {
			continue
		}
		is, err := s.c.Client.GetIssue(context.Background(), k, jiraclient.GetIssueOptions{Fields: jiraclient.ListFields})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *is)
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d issues in %q", len(out), status)
	return nil
}

func (s *site) snap(t *testing.T, key string) fakejira.IssueSnapshot {
	t.Helper()
	sn, ok := s.srv.Issue(key)
	if !ok {
		t.Fatalf("no issue %s", key)
	}
	return sn
}

// count is how many recorded requests are method on a path ending in suffix.
func (s *site) count(method, suffix string) int {
	n := 0
	for _, r := range s.srv.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// runner drives an overlay the way the root does, with every Cmd run in
// the test: Batch members run concurrently and their messages come back in
// order, Sequence members one after another; spinner ticks are dropped.
// Outcome messages are handed back to the overlay as the root does, and
// everything the root would see is recorded.
type runner struct {
	t      *testing.T
	o      common.Overlay
	seen   []tea.Msg
	closed bool
	// park, when set, holds back the Cmd the overlay returns for the
	// messages it accepts (a rate-limit wait), so a test can look at the
	// overlay meanwhile and run them later with unpark.
	park   func(tea.Msg) bool
	parked []tea.Cmd
}

func newRunner(t *testing.T, o common.Overlay, w, h int) *runner {
	t.Helper()
	o.SetSize(w, h)
	r := &runner{t: t, o: o}
	if i, ok := o.(interface{ Init() tea.Cmd }); ok {
		r.do(i.Init())
	}
	return r
}

// exec runs cmd and returns its messages, Batch and Sequence expanded.
func exec(cmd tea.Cmd) []tea.Msg { return overlaytest.Exec(cmd) }

// do runs cmd and feeds its messages back until nothing is left.
func (r *runner) do(cmd tea.Cmd) {
	r.t.Helper()
	for _, msg := range exec(cmd) {
		r.feed(msg)
	}
}

func (r *runner) feed(msg tea.Msg) {
	r.t.Helper()
	switch msg.(type) {
	case spinner.TickMsg:
		return
	case common.CloseOverlayMsg:
		r.seen = append(r.seen, msg)
		r.closed = true
		return
	case common.IssuePatchMsg, BulkDoneMsg, common.NoticeMsg:
		r.seen = append(r.seen, msg)
		return
	case common.IssueConfirmedMsg, common.IssueRollbackMsg:
		r.seen = append(r.seen, msg)
	}
	var cmd tea.Cmd
	r.o, cmd = r.o.Update(msg)
	if r.park != nil && r.park(msg) {
		r.parked = append(r.parked, cmd)
		return
	}
	r.do(cmd)
}

// unpark stops parking and runs what was parked, concurrently as the
// runtime would.
func (r *runner) unpark() {
	r.t.Helper()
	cmds := r.parked
	r.park, r.parked = nil, nil
	r.do(tea.Batch(cmds...))
}

// typeFast types s the way a quick typist does: every key reaches the
// overlay before any Cmd a key returned has run (a debounce's timer is
// still ticking when the next key comes), then the Cmds run together.
func (r *runner) typeFast(s string) {
	r.t.Helper()
	var msgs []tea.Msg
	for _, c := range s {
		msgs = append(msgs, tea.KeyPressMsg{Code: c, Text: string(c)})
	}
	r.fast(msgs...)
}

// keysFast presses the keys named as quickly as typeFast types.
func (r *runner) keysFast(names ...string) {
	r.t.Helper()
	var msgs []tea.Msg
	for _, n := range names {
		msgs = append(msgs, press(n))
	}
	r.fast(msgs...)
}

func (r *runner) fast(msgs ...tea.Msg) {
	r.t.Helper()
	var cmds []tea.Cmd
	for _, m := range msgs {
		var cmd tea.Cmd
		r.o, cmd = r.o.Update(m)
		cmds = append(cmds, cmd)
	}
	r.do(tea.Batch(cmds...))
}

// send delivers msgs (keys) one by one, running what each returns.
func (r *runner) send(msgs ...tea.Msg) {
	r.t.Helper()
	for _, m := range msgs {
		r.feed(m)
	}
}

// keys presses each key named ("enter", "esc", "t", "ctrl+s", ...).
func (r *runner) keys(names ...string) {
	r.t.Helper()
	for _, n := range names {
		r.send(press(n))
	}
}

// typ types text one key at a time.
func (r *runner) typ(s string) {
	r.t.Helper()
	for _, c := range s {
		r.send(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// last returns the last seen message of type T.
func last[T any](r *runner) (T, bool) {
	var zero T
	for i := len(r.seen) - 1; i >= 0; i-- {
		if m, ok := r.seen[i].(T); ok {
			return m, true
		}
	}
	return zero, false
}

// all returns every seen message of type T, in order.
func all[T any](r *runner) []T {
	var out []T
	for _, m := range r.seen {
		if x, ok := m.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

// screen is the overlay's view without styles.
func (r *runner) screen() string { return ansi.Strip(r.o.View()) }

// phase is the overlay's phase name.
func (r *runner) phase() string {
	return r.o.(interface{ Phase() string }).Phase()
}

// wantPhase fails unless the overlay is in phase p.
func (r *runner) wantPhase(p string) {
	r.t.Helper()
	if got := r.phase(); got != p {
		r.t.Fatalf("phase %q, want %q\n%s", got, p, r.screen())
	}
}

// quick is a retry policy that retries fast (429 tests).
var quick = jiraclient.RetryPolicy{MaxRetries: 2, Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond}
