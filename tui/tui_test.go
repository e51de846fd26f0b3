package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"charm.land/bubbles/v2/help"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/store"
)

var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+e":
		return tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func upd(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		nm, _ := m.Update(msg)
		m = nm.(Model)
	}
	return m
}

// putIssue has the store take full as Jira's answer and routes what it
// says, as a fetch's answer would be.
func putIssue(t *testing.T, m Model, full jiraclient.Issue) Model {
	t.Helper()
	out, _ := m.c.Issues.Put(full)
	return upd(t, m, out...)
}

func testClient(t *testing.T) *jiraclient.Client {
	t.Helper()
	// Nothing listens here: unit tests feed results by hand and never run
	// the request commands.
	c, err := jiraclient.New("http://127.0.0.1:9", jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: "t"}, jiraclient.WithFlavor(jiraclient.FlavorDataCenter))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func issues(n int) []jiraclient.Issue {
	out := make([]jiraclient.Issue, n)
	for i := range out {
		out[i] = jiraclient.Issue{
			Key:      "ABC-" + string(rune('0'+i%10)) + string(rune('0'+i/10)),
			Summary:  "Issue number " + string(rune('A'+i%26)),
			Type:     jiraclient.IssueType{Name: "Task"},
			Status:   jiraclient.Status{Name: "To Do", Category: jiraclient.CategoryToDo},
			Priority: &jiraclient.Priority{Name: "Medium"},
			Updated:  fixedNow.Add(-time.Duration(i+1) * time.Hour),
		}
	}
	return out
}

// ready is a root on the list with n issues loaded, w x h.
func ready(t *testing.T, w, h, n int, o Options) Model {
	t.Helper()
	if o.Client == nil {
		o.Client = testClient(t)
	}
	o.Now = func() time.Time { return fixedNow }
	m := New(o)
	m = upd(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m.Init()
	m = upd(t, m, list.PageMsg{Gen: 1, JQL: m.list.JQL(), Page: jiraclient.SearchPage{Issues: issues(n), Last: true, Total: n}})
	return m
}

func screen(m Model) string { return ansi.Strip(m.View().Content) }

func TestViewModes(t *testing.T) {
	m := ready(t, 80, 24, 5, Options{})
	v := m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatalf("alt %v mouse %v", v.AltScreen, v.MouseMode)
	}
	lines := strings.Split(screen(m), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	if !strings.Contains(lines[23], "? help") {
		t.Fatalf("status bar: %q", lines[23])
	}
}

func TestNoClientStartsWithLogin(t *testing.T) {
	m := New(Options{})
	if m.state != stateLogin {
		t.Fatalf("state %v", m.state)
	}
	// Esc on the first login leaves the program.
	_, cmd := m.Update(login.CancelMsg{})
	if cmd == nil {
		t.Fatal("no quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("cancel on first login did not quit")
	}
}

func TestAuthErrorOpensLoginAndReturns(t *testing.T) {
	m := ready(t, 100, 30, 20, Options{Site: "https://acme.atlassian.net", Me: &jiraclient.User{DisplayName: "Ada", Email: "ada@example.com"}})
	for range 4 {
		m = upd(t, m, press("j"))
	}
	m = upd(t, m, press("r"))
	gen := 2
	expired := &jiraclient.Error{Kind: jiraclient.KindAuth, Status: 401}
	m = upd(t, m, list.PageMsg{Gen: gen, JQL: m.list.JQL(), Err: expired})
	if m.state != stateLogin || !m.reauth || m.prevState != stateList {
		t.Fatalf("state %v reauth %v", m.state, m.reauth)
	}
	if p := m.prefill(); p.Email != "ada@example.com" || p.URL == "" {
		t.Fatalf("prefill %+v", p)
	}
	// A second failure does not open a second login.
	before := m.login
	m = upd(t, m, list.CountMsg{Gen: gen, Err: expired})
	if m.login.View() != before.View() || m.state != stateLogin {
		t.Fatal("login reopened")
	}
	// Signing in again swaps the client and returns with nothing lost.
	nc := testClient(t)
	nm, cmd := m.Update(login.DoneMsg{Client: nc, Me: &jiraclient.User{DisplayName: "Ada"}, Site: "https://acme.atlassian.net"})
	m = nm.(Model)
	if m.state != stateList || m.reauth || m.c.Client != nc {
		t.Fatalf("after login: %v %v", m.state, m.reauth)
	}
	if cmd == nil {
		t.Fatal("nothing retried")
	}
	if len(m.list.Issues()) != 20 || m.list.Current().Key != issues(20)[4].Key {
		t.Fatalf("lost the list: %d %v", len(m.list.Issues()), m.list.Current())
	}
}

func TestAuthErrorInDetailReturnsToDetail(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	m = upd(t, m, list.OpenMsg{Key: "ABC-00"})
	if m.state != stateDetail || m.waitKey != "ABC-00" {
		t.Fatalf("state %v wait %q", m.state, m.waitKey)
	}
	m = upd(t, m, store.LoginNeededMsg{Err: &jiraclient.Error{Kind: jiraclient.KindAuth, Status: 401}})
	if m.state != stateLogin {
		t.Fatal("login not opened")
	}
	m = upd(t, m, login.DoneMsg{Client: testClient(t)})
	if m.state != stateDetail || m.waitKey != "ABC-00" {
		t.Fatalf("state %v wait %q", m.state, m.waitKey)
	}
	full := issues(1)[0]
	full.Description = "the body"
	m = putIssue(t, m, full)
	if m.detail.Issue() == nil || m.waitKey != "" {
		t.Fatal("detail not filled")
	}
}

func TestOpenCachedAndStep(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	full := issues(2)[1]
	m = putIssue(t, m, full)
	m = upd(t, m, list.OpenMsg{Key: full.Key, Issue: &full})
	if m.state != stateDetail || m.detail.Issue() == nil || m.waitKey != "" {
		t.Fatal("cached issue not shown at once")
	}
	m = upd(t, m, detail.StepMsg{Delta: 1})
	if m.list.Current().Key != issues(2)[1].Key || m.detail.Key() != full.Key {
		t.Fatalf("step: list on %s, detail %s", m.list.Current().Key, m.detail.Key())
	}
	m = upd(t, m, detail.OpenIssueMsg{Key: "XYZ-1"})
	if m.detail.Key() != "XYZ-1" || len(m.back) != 1 {
		t.Fatal("link not opened")
	}
	m = upd(t, m, detail.BackMsg{})
	if m.detail.Key() != full.Key || m.state != stateDetail {
		t.Fatalf("back to %s", m.detail.Key())
	}
	m = upd(t, m, detail.BackMsg{})
	if m.state != stateList {
		t.Fatal("back to list")
	}
}

func TestTabSwitchingFromRoot(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{Queries: []Query{{Name: "Mine", JQL: "assignee = currentUser()"}, {Name: "Bugs", JQL: "type = Bug"}}})
	m = upd(t, m, press("3")) // after the default tab and Mine
	if m.list.JQL() != "type = Bug" {
		t.Fatalf("jql %q", m.list.JQL())
	}
	if !strings.Contains(screen(m), "loading issues") {
		t.Fatal("no loading task in the status bar")
	}
	m = upd(t, m, press("tab"))
	if m.list.JQL() != list.DefaultJQL {
		t.Fatalf("jql %q", m.list.JQL())
	}
}

func TestKeysGoToInputs(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	m = upd(t, m, press("/"), press("q"), press("?"))
	if m.helpOpen {
		t.Fatal("? opened help while typing a filter")
	}
	if _, cmd := m.Update(press("q")); cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("q quit while typing")
		}
	}
	m = upd(t, m, press("esc"), press("?"))
	if !m.helpOpen {
		t.Fatal("? did not open help")
	}
	m = upd(t, m, press("esc"))
	if m.helpOpen {
		t.Fatal("esc did not close help")
	}
}

func TestResizeReflows(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{})
	m = upd(t, m, tea.WindowSizeMsg{Width: 60, Height: 10})
	lines := strings.Split(screen(m), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
	}
}

func TestBackgroundColourRestyles(t *testing.T) {
	m := ready(t, 80, 24, 3, Options{})
	dark := m.c.Styles.Palette.Fg
	m = upd(t, m, tea.BackgroundColorMsg{Color: ansiWhite{}})
	if m.c.Styles.Palette.Fg == dark {
		t.Fatal("styles not rebuilt for a light background")
	}
}

type ansiWhite struct{}

func (ansiWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestEventText(t *testing.T) {
	tests := []struct {
		ev   jiraclient.Event
		want string
	}{
		{jiraclient.Event{Kind: jiraclient.EventRetrying, Wait: 3200 * time.Millisecond, Attempt: 2, MaxRetries: 4, Status: 429, Reason: "rate limited"}, "waiting 4 s (Jira rate limit) · retry 2/4"},
		{jiraclient.Event{Kind: jiraclient.EventRetrying, Wait: time.Second, Attempt: 1, MaxRetries: 4, Reason: "connection dropped"}, "waiting 1 s (connection dropped) · retry 1/4"},
		{jiraclient.Event{Kind: jiraclient.EventThrottled, Wait: 400 * time.Millisecond}, "waiting 0.4 s (pacing requests to Jira)"},
		{jiraclient.Event{Kind: jiraclient.EventRecovered}, ""},
	}
	for _, tt := range tests {
		if got, _ := EventText(tt.ev); got != tt.want {
			t.Errorf("%+v: %q want %q", tt.ev, got, tt.want)
		}
	}
}

func TestEventsReachStatusBar(t *testing.T) {
	ch := make(chan jiraclient.Event, 4)
	sink := EventSink(ch)
	m := ready(t, 100, 20, 3, Options{Events: ch})
	done := make(chan struct{})
	go func() { // the observer runs on transport goroutines
		sink(jiraclient.Event{Kind: jiraclient.EventRetrying, Wait: 4 * time.Second, Attempt: 2, MaxRetries: 4, Status: 429})
		close(done)
	}()
	<-done
	msg := listen(ch)()
	m = upd(t, m, msg)
	if !strings.Contains(screen(m), "waiting 4 s (Jira rate limit) · retry 2/4") {
		t.Fatal(screen(m))
	}
	m = upd(t, m, jiraclientRecovered())
	if strings.Contains(screen(m), "waiting 4 s") {
		t.Fatal("not cleared on recovery")
	}
	// A full channel drops rather than blocks the transport.
	for range 10 {
		sink(jiraclient.Event{Kind: jiraclient.EventThrottled})
	}
}

func jiraclientRecovered() tea.Msg {
	return eventMsg{jiraclient.Event{Kind: jiraclient.EventRecovered}}
}

type testOverlay struct {
	w, h int
	keys []string
}

func (o *testOverlay) Update(msg tea.Msg) (Overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		o.keys = append(o.keys, k.String())
		if k.String() == "esc" {
			return o, common.CloseOverlay
		}
	}
	return o, nil
}
func (o *testOverlay) View() string {
	return "╭────────╮\n│ picker │\n╰────────╯"
}
func (o *testOverlay) SetSize(w, h int)    { o.w, o.h = w, h }
func (o *testOverlay) KeyMap() help.KeyMap { return keys.NewHelp(nil) }

func TestOverlay(t *testing.T) {
	m := ready(t, 60, 12, 3, Options{})
	ov := &testOverlay{}
	m = upd(t, m, common.OpenOverlayMsg{Overlay: ov})
	if ov.w != 60 || ov.h != 11 {
		t.Fatalf("overlay size %dx%d", ov.w, ov.h)
	}
	m = upd(t, m, press("j"))
	if len(ov.keys) != 1 || m.list.Current().Key != issues(1)[0].Key {
		t.Fatal("key did not go to the overlay only")
	}
	s := screen(m)
	if !strings.Contains(s, "│ picker │") || !strings.Contains(s, "Assigned to me") {
		t.Fatalf("overlay not drawn over the list:\n%s", s)
	}
	nm, cmd := m.Update(press("esc"))
	m = upd(t, nm.(Model), cmd())
	if m.overlay != nil {
		t.Fatal("overlay not closed")
	}
}

// Golden: the help screen over the list. Regenerate with -update.
func TestGoldenHelp(t *testing.T) {
	m := ready(t, 100, 30, 5, Options{Site: "https://acme.atlassian.net", Me: &jiraclient.User{DisplayName: "Ada Lovelace"}})
	m = upd(t, m, press("?"))
	golden.RequireEqual(t, screen(m))
}

func TestGoldenLoadingRoot(t *testing.T) {
	o := Options{Client: testClient(t), Site: "https://jira.example.com", Now: func() time.Time { return fixedNow }}
	m := New(o)
	m.Init()
	// The size starts the "loading issues" task; the golden frame is the
	// spinner after its first tick, so a frozen spinner shows as a diff.
	nm, cmd := m.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	m = nm.(Model)
	tick := await(t, cmd, isTick)
	if tick == nil {
		t.Fatal("no spinner tick scheduled")
	}
	m = upd(t, m, tick)
	golden.RequireEqual(t, screen(m))
}

func TestFitBlock(t *testing.T) {
	tests := []struct {
		in   string
		w, h int
		want string
	}{
		{"ab\ncdef", 3, 3, "ab \ncde\n   "},
		{"a\nb\nc\nd", 2, 2, "a \nb "},
		{"", 2, 1, "  "},
		{"\x1b[31mred\x1b[m", 2, 1, "re"},
	}
	for _, tt := range tests {
		if got := ansi.Strip(fitBlock(tt.in, tt.w, tt.h)); got != tt.want {
			t.Errorf("fitBlock(%q, %d, %d) = %q, want %q", tt.in, tt.w, tt.h, got, tt.want)
		}
	}
}

// At 60x15 the list's keys do not fit: help scrolls with the arrows and
// pgup/pgdn and every key can be read on some page.
func TestHelpScrollsOnSmallScreen(t *testing.T) {
	m := ready(t, 60, 15, 5, Options{Site: "https://acme.atlassian.net", Me: &jiraclient.User{DisplayName: "Ada Lovelace"}})
	m = upd(t, m, press("?"))
	var want []string
	for _, s := range m.helpSections() {
		for _, r := range s.Rows {
			want = append(want, r.Help)
		}
	}
	seen := map[string]bool{}
	look := func() {
		for _, d := range want {
			if strings.Contains(screen(m), d) {
				seen[d] = true
			}
		}
	}
	look()
	for range 80 {
		m = upd(t, m, tea.KeyPressMsg{Code: tea.KeyDown})
		look()
	}
	for _, d := range want {
		if !seen[d] {
			t.Errorf("help never shows %q at 60x15", d)
		}
	}
	if !strings.Contains(screen(m), "of ") {
		t.Errorf("help does not say which lines are shown:\n%s", screen(m))
	}
	// pgup goes back to the top; pgdn a page down.
	for range 20 {
		m = upd(t, m, tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	if m.help.Offset() != 0 {
		t.Fatalf("pgup left the help at line %d", m.help.Offset())
	}
	m = upd(t, m, tea.KeyPressMsg{Code: tea.KeyPgDown})
	if m.help.Offset() == 0 {
		t.Fatal("pgdn did not scroll the help")
	}
	golden.RequireEqual(t, screen(m))
}
