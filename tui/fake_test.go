package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/login"
)

// driver runs a root model like the Bubble Tea loop does: every command
// runs in its own goroutine and its message comes back into Update, in the
// test's goroutine. settle returns once no message arrived for idle, so
// long timers (notices) are simply left behind, while the prefetch debounce
// and loopback requests complete.
type driver struct {
	t    *testing.T
	m    Model
	msgs chan tea.Msg
	stop chan struct{}
	// quits counts the tea.Quit messages that came back.
	quits int
}

// idle is how long settle waits for the next message: longer than the
// prefetch debounce plus a loopback request.
const idle = 300 * time.Millisecond

func newDriver(t *testing.T, m Model) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64), stop: make(chan struct{})}
	t.Cleanup(func() { close(d.stop) })
	return d
}

func (d *driver) spawn(c tea.Cmd) {
	if c == nil {
		return
	}
	go func() {
		msg := c()
		select {
		case d.msgs <- msg:
		case <-d.stop:
		}
	}()
}

// spawnInOrder runs cmds one after another, like tea.Sequence.
func (d *driver) spawnInOrder(cmds []tea.Cmd) {
	go func() {
		for _, c := range cmds {
			if c == nil {
				continue
			}
			select {
			case d.msgs <- c():
			case <-d.stop:
				return
			}
		}
	}()
}

var cmdsType = reflect.TypeOf([]tea.Cmd(nil))

// sequence unpacks tea.Sequence's message (an unexported []Cmd type).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type() == reflect.TypeOf(tea.BatchMsg(nil)) || !v.Type().ConvertibleTo(cmdsType) {
		return nil, false
	}
	return v.Convert(cmdsType).Interface().([]tea.Cmd), true
}

func (d *driver) settle() {
	d.t.Helper()
	start := time.Now()
	for {
		select {
		case msg := <-d.msgs:
			switch msg := msg.(type) {
			case tea.QuitMsg:
				d.quits++
			case nil, spinner.TickMsg:
				// Spinners would tick for ever; nothing else to do.
			case tea.BatchMsg:
				for _, c := range msg {
					d.spawn(c)
				}
			default:
				if cs, ok := sequence(msg); ok {
					d.spawnInOrder(cs)
					continue
				}
				nm, next := d.m.Update(msg)
				d.m = nm.(Model)
				d.spawn(next)
			}
		case <-time.After(idle):
			// Quiet, but a request may just be slow on a busy machine.
			if !d.busy() || time.Since(start) > 20*time.Second {
				if testing.Verbose() {
					d.t.Logf("settled after %v busy=%v list=%q wait=%q inflight=%v", time.Since(start), d.busy(), d.m.list.Loading(), d.m.waitKey, d.m.list.Inflight())
				}
				return
			}
		}
	}
}

// busy reports whether the model waits for a request.
func (d *driver) busy() bool {
	return (d.m.listOn && d.m.list.Loading() != "") || d.m.waitKey != "" || len(d.m.list.Inflight()) > 0
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	d.spawn(cmd)
	d.settle()
}

func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	for _, msg := range msgs {
		nm, cmd := d.m.Update(msg)
		d.m = nm.(Model)
		d.spawn(cmd)
	}
	d.settle()
}

type fakeSite struct {
	srv    *fakejira.Server
	url    string
	client *jiraclient.Client
}

func startFake(t *testing.T, flavor string) fakeSite {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 7, Issues: 160})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return fakeSite{srv: srv, url: url, client: newFakeClient(t, flavor, url, fakejira.Token)}
}

func newFakeClient(t *testing.T, flavor, url, token string) *jiraclient.Client {
	t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: token}
	fl := jiraclient.FlavorCloud
	if flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: token}
		fl = jiraclient.FlavorDataCenter
	}
	// The flavour is known (as from the site cache) so the request counts
	// are the list's own.
	c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
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

const allIssues = "created >= -5000d ORDER BY key ASC"

func TestAgainstFakeJira(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			site := startFake(t, flavor)
			d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now}))
			d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
			d.run(d.m.Init())

			// Opening: one search request (+ the approximate count on
			// Cloud, asked alongside), drawn from the real client.
			reqs := site.srv.Requests()
			if n := count(reqs, searchPath(flavor)); n != 1 {
				t.Fatalf("opening sent %d search requests", n)
			}
			wantCount := 0
			if flavor == fakejira.FlavorCloud {
				wantCount = 1
			}
			if n := count(reqs, "/search/approximate-count"); n != wantCount {
				t.Fatalf("opening sent %d approximate counts, want %d", n, wantCount)
			}
			got := d.m.list.Issues()
			if len(got) != list.PageSize {
				t.Fatalf("first page has %d issues", len(got))
			}
			if total, _ := d.m.list.Total(); total != 160 {
				t.Fatalf("total %d", total)
			}
			s := screen(d.m)
			if !strings.Contains(s, got[0].Key) || !strings.Contains(s, got[0].Summary[:10]) {
				t.Fatalf("first issue not drawn:\n%s", s)
			}
			if !strings.Contains(s, "of 160") && !strings.Contains(s, "of ~160") {
				t.Fatalf("no total drawn:\n%s", s)
			}

			// The first issue was prefetched while the cursor rested on it:
			// opening it costs no request.
			if n := count(reqs, "/issue/"+got[0].Key); n != 1 {
				t.Fatalf("prefetch sent %d requests for %s", n, got[0].Key)
			}
			site.srv.ResetRequests()
			d.send(press("enter"))
			if d.m.state != stateDetail || d.m.detail.Issue() == nil || d.m.detail.Key() != got[0].Key {
				t.Fatalf("detail not shown at once: state %v key %q", d.m.state, d.m.detail.Key())
			}
			if reqs := site.srv.Requests(); len(reqs) != 0 {
				t.Fatalf("opening a prefetched issue sent %d requests: %+v", len(reqs), reqs[0])
			}
			// n in the detail steps through the list (fetching the next one).
			d.send(press("n"))
			if d.m.detail.Key() != got[1].Key || d.m.detail.Issue() == nil {
				t.Fatalf("n: detail %q", d.m.detail.Key())
			}
			d.send(press("esc"))
			if d.m.state != stateList {
				t.Fatal("esc did not return to the list")
			}

			// G goes to the last issue: the pages left load, one request
			// each.
			site.srv.ResetRequests()
			d.send(press("G"))
			if n := len(d.m.list.Issues()); n != 160 {
				t.Fatalf("after G: %d issues", n)
			}
			if n, want := count(site.srv.Requests(), searchPath(flavor)), (160+list.PageSize-1)/list.PageSize-1; n != want {
				t.Fatalf("the pages after the first took %d search requests, want %d", n, want)
			}
			if d.m.list.Issues()[list.PageSize].Key == got[0].Key {
				t.Fatal("second page repeats the first")
			}

			// Jira refuses a bad query: its words show, the query stays.
			d.send(press(":"))
			var typing []tea.Msg
			for range len(allIssues) {
				typing = append(typing, press("backspace"))
			}
			for _, r := range "project = NOPE" {
				typing = append(typing, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			d.send(typing...)
			d.send(press("enter"))
			s = screen(d.m)
			if !d.m.list.InputFocused() || !strings.Contains(s, "project = NOPE") || !strings.Contains(strings.ToLower(s), "nope") {
				t.Fatalf("bad JQL:\n%s", s)
			}
			if len(d.m.list.Issues()) != 160 {
				t.Fatal("bad JQL lost the results")
			}
			d.send(press("esc"))

			// Mid-session expiry: the login opens over the list, and after
			// signing in again the refresh goes through.
			site.srv.ExpireToken()
			d.send(press("r"))
			if d.m.state != stateLogin || !d.m.reauth {
				t.Fatalf("expired token: state %v", d.m.state)
			}
			site.srv.SetToken("fresh-token")
			d.send(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: &jiraclient.User{DisplayName: "Ada Lovelace"}})
			if d.m.state != stateList || d.m.list.Loading() != "" {
				t.Fatalf("after re-login: state %v loading %q", d.m.state, d.m.list.Loading())
			}
			if len(d.m.list.Issues()) < list.PageSize {
				t.Fatalf("after re-login: %d issues", len(d.m.list.Issues()))
			}
		})
	}
}
