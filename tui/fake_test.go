package tui

import (
	"encoding/json"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// driver runs a root model like the Bubble Tea loop does: every command
// runs in its own goroutine and its message comes back into Update, in the
// test's goroutine. settle returns on a fact, not after quiet: the store's
// outstanding work (requests, cache reads and writes, prefetch debounces)
// is zero and every command that is not a timer has answered. Timers
// (tea.Tick: notice and spinner clocks, overlay debounces) are not waited
// for; their messages are handled whenever they come.
type driver struct {
	t    testing.TB
	m    Model
	msgs chan envelope
	stop chan struct{}
	// running counts the commands started and not yet answered, timers
	// left out.
	running int
	// names are the running commands' functions, for a failure message.
	names map[string]int
	// quits counts the tea.Quit messages that came back.
	quits int
}

// envelope is a command's answer; timer says the command was a tea.Tick.
type envelope struct {
	msg   tea.Msg
	timer bool
	name  string
}

// timers are the commands that wait on a clock: tea.Tick's closure, and
// the text cursor's blink (a context deadline). They are not waited for.
var timers = map[string]bool{
	funcName(tea.Tick(time.Hour, func(time.Time) tea.Msg { return nil })): true,
	"charm.land/bubbles/v2/cursor.(*Model).Blink.func1":                   true,
}

func funcName(c tea.Cmd) string { return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name() }

// settleLimit bounds a settle: past it the test fails, saying what waits.
// It is a guard against a hang, not a speed limit: a G over 10,000 issues
// under -race on a busy 2-core machine took over 30 s (all requests were
// still being answered), so the guard sits well above that.
const settleLimit = 2 * time.Minute

func newDriver(t testing.TB, m Model) *driver {
	d := &driver{t: t, m: m, msgs: make(chan envelope, 64), stop: make(chan struct{}), names: map[string]int{}}
	t.Cleanup(func() { close(d.stop) })
	return d
}

func (d *driver) spawn(c tea.Cmd) {
	if c == nil {
		return
	}
	name := funcName(c)
	timer := timers[name]
	if !timer {
		d.running++
		d.names[name]++
	}
	go func() {
		msg := c()
		select {
		case d.msgs <- envelope{msg: msg, timer: timer, name: name}:
		case <-d.stop:
		}
	}()
}

// spawnInOrder runs cmds one after another, like tea.Sequence; the whole
// sequence counts as one running command.
func (d *driver) spawnInOrder(cmds []tea.Cmd) {
	d.running++
	go func() {
		for _, c := range cmds {
			if c == nil {
				continue
			}
			select {
			// Not the end of the sequence: counts as a timer's answer.
			case d.msgs <- envelope{msg: c(), timer: true}:
			case <-d.stop:
				return
			}
		}
		select {
		case d.msgs <- envelope{msg: nil}: // the sequence is over
		case <-d.stop:
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

// settled is the fact settle waits for.
func (d *driver) settled() bool {
	return d.m.c.Issues.Pending() == 0 && d.running == 0 && len(d.msgs) == 0
}

func (d *driver) settle() {
	d.t.Helper()
	deadline := time.After(settleLimit)
	for !d.settled() {
		select {
		case e := <-d.msgs:
			d.handle(e)
		case <-deadline:
			d.t.Fatalf("not settled after %v: %d outstanding in the store, %d commands running %v, list %q, waiting for %q",
				settleLimit, d.m.c.Issues.Pending(), d.running, d.names, d.m.list.Loading(), d.m.waitKey)
		}
	}
}

// handle takes one command's answer.
func (d *driver) handle(e envelope) {
	if !e.timer {
		d.running--
		if d.names[e.name]--; d.names[e.name] <= 0 {
			delete(d.names, e.name)
		}
	}
	switch msg := e.msg.(type) {
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
			return
		}
		nm, next := d.m.Update(msg)
		d.m = nm.(Model)
		d.spawn(next)
	}
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
	stop   func() // stops the server (it is stopped at the end anyway)
}

// lateness is how late every fakejira of startFake answers: 0, or
// JIFFY_LATE for the whole suite (JIFFY_LATE=400ms go test ./tui), or what
// TestKeyScenariosLate sets while it runs. A test that sets its own faults
// replaces it.
var lateness atomic.Int64

func init() {
	if v := os.Getenv("JIFFY_LATE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			panic("JIFFY_LATE=" + v + ": want a duration such as 400ms")
		}
		lateness.Store(int64(d))
	}
}

func startFake(t *testing.T, flavor string) fakeSite {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 7, Issues: 160})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(lateness.Load()); d > 0 {
		srv.SetFaults(fakejira.Faults{Latency: d})
	}
	t.Cleanup(stop)
	return fakeSite{srv: srv, url: url, client: newFakeClient(t, flavor, url, fakejira.Token), stop: stop}
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

// firstPages is how many searches asked for a result's first rows with
// the list's fields (not a keys page, not a later page, not a refresh's
// search for what was updated): one per load or refresh of the list.
func firstPages(t testing.TB, reqs []fakejira.Request, flavor string) int {
	t.Helper()
	n := 0
	for _, r := range reqs {
		if !strings.HasSuffix(r.Path, searchPath(flavor)) {
			continue
		}
		var b struct {
			JQL           string   `json:"jql"`
			Fields        []string `json:"fields"`
			StartAt       int      `json:"startAt"`
			NextPageToken string   `json:"nextPageToken"`
		}
		if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
			t.Fatal(err)
		}
		changed := strings.HasPrefix(b.JQL, "updated >= -") // a refresh's "what was updated since"
		if b.StartAt == 0 && b.NextPageToken == "" && !(len(b.Fields) == 1 && b.Fields[0] == "key") && !changed {
			n++
		}
	}
	return n
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

// TestAgainstFakeJira drives the root against fakejira of both flavours,
// answering at once and 400 ms late: the same checks pass unchanged,
// since the driver waits on the store's outstanding work, not on quiet.
func TestAgainstFakeJira(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		for _, late := range []time.Duration{0, 400 * time.Millisecond} {
			name := flavor
			if late > 0 {
				name += "/late"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				againstFakeJira(t, flavor, late)
			})
		}
	}
}

func againstFakeJira(t *testing.T, flavor string, late time.Duration) {
	{
		{
			site := startFake(t, flavor)
			site.srv.SetFaults(fakejira.Faults{Latency: late})
			d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now}))
			d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
			d.run(d.m.Init())

			// Opening: one search request for the first screenful (+ the
			// approximate count on Cloud, asked alongside), drawn from the
			// real client; then one chunk ahead of the cursor.
			reqs := site.srv.Requests()
			if n := firstPages(t, reqs, flavor); n != 1 {
				t.Fatalf("opening sent %d first-page searches", n)
			}
			wantCount := 0
			if flavor == fakejira.FlavorCloud {
				wantCount = 1
			}
			if n := count(reqs, "/search/approximate-count"); n != wantCount {
				t.Fatalf("opening sent %d approximate counts, want %d", n, wantCount)
			}
			got := d.m.list.Issues()
			if len(got) != list.PageSize+store.LoadChunk {
				t.Fatalf("the first page and the chunk ahead have %d issues", len(got))
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
			// (An epic's page asks for its child issues: that search is
			// the page's own content, not the issue's fetch.)
			var sent []fakejira.Request
			for _, r := range site.srv.Requests() {
				if !(strings.Contains(r.Path, "/search") && strings.Contains(r.Body+r.RawQuery, got[0].Key)) {
					sent = append(sent, r)
				}
			}
			if len(sent) != 0 {
				t.Fatalf("opening a prefetched issue sent %d requests: %+v", len(sent), sent[0])
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

			// G goes to the last issue: the ten left load in one request
			// (a bulk fetch of the keys known on Cloud, a page on Data
			// Center).
			site.srv.ResetRequests()
			d.send(press("G"))
			if n := len(d.m.list.Issues()); n != 160 {
				t.Fatalf("after G: %d issues", n)
			}
			if n := count(site.srv.Requests(), searchPath(flavor)) + count(site.srv.Requests(), "/issue/bulkfetch"); n != 1 {
				t.Fatalf("the issues after the first 150 took %d requests, want 1", n)
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
		}
	}
}

// TestKeyScenariosLate runs the root's key scenarios with every fakejira
// answering 400 ms late: triage from the list, a refused write rolled
// back, writes and loads held through an expired login and replayed once,
// an overlay's load cancelled when it closes, a new query. They pass unchanged because the driver waits on facts (the
// store's outstanding work reaching zero, every command answered), never
// on quiet. The whole suite runs so with JIFFY_LATE=400ms.
func TestKeyScenariosLate(t *testing.T) {
	if lateness.Load() > 0 {
		t.Skip("the whole suite runs late already (JIFFY_LATE)")
	}
	lateness.Store(int64(400 * time.Millisecond))
	t.Cleanup(func() { lateness.Store(0) })
	for _, sc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"TriageKeysFromTheList", TestTriageKeysFromTheList},
		{"RefusedWriteRollsBack", TestRefusedWriteRollsBack},
		{"CommentSentAfterRelogin", TestCommentSentAfterRelogin},
		{"AssignToMeAfterRelogin", TestAssignToMeAfterRelogin},
		{"PickerLoadReplayedAfterRelogin", TestPickerLoadReplayedAfterRelogin},
		{"CancelledReloginAnswersTheHeldRequests", TestCancelledReloginAnswersTheHeldRequests},
		{"ClosingAnOverlayCancelsItsLoad", TestClosingAnOverlayCancelsItsLoad},
		{"NewQueryStartsAtTop", TestNewQueryStartsAtTop},
	} {
		t.Run(sc.name, sc.run)
	}
}
