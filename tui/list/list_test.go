package list

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/jql"
	"github.com/jiffy-tui/jiffy/tui/store"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newCommon(w, h int) *common.Common {
	clock := func() time.Time { return now }
	testStore = store.New(store.Options{Now: clock})
	return &common.Common{Width: w, Height: h, Styles: common.NewStyles(true), Now: clock, Issues: testStore}
}

var (
	types    = []string{"Bug", "Task", "Story", "Sub-task"}
	statuses = []jiraclient.Status{
		{Name: "To Do", Category: jiraclient.CategoryToDo},
		{Name: "In Progress", Category: jiraclient.CategoryInProgress},
		{Name: "Done", Category: jiraclient.CategoryDone},
		{Name: "In Review", Category: jiraclient.CategoryInProgress},
	}
	prios   = []string{"Highest", "High", "Medium", "Low"}
	people  = []string{"Ada Lovelace", "Grace Hopper", "Linus Torvalds", ""}
	phrases = []string{"Login fails after password reset", "Export to CSV drops unicode", "Flaky test in payment service", "Dark mode contrast on settings page", "Crash when the network drops mid-sync"}
)

// mkIssues makes n deterministic issues numbered from start.
func mkIssues(start, n int) []jiraclient.Issue {
	out := make([]jiraclient.Issue, n)
	for i := range out {
		k := start + i
		is := jiraclient.Issue{
			Key:      fmt.Sprintf("ABC-%d", k),
			Summary:  fmt.Sprintf("%s (%d)", phrases[k%len(phrases)], k),
			Type:     jiraclient.IssueType{Name: types[k%len(types)]},
			Status:   statuses[k%len(statuses)],
			Priority: &jiraclient.Priority{Name: prios[k%len(prios)]},
			Updated:  now.Add(-time.Duration(k*k+1) * 7 * time.Minute),
		}
		if p := people[k%len(people)]; p != "" {
			is.Assignee = &jiraclient.User{DisplayName: p}
		}
		out[i] = is
	}
	return out
}

func page(start, n int, last bool, total int) jiraclient.SearchPage {
	return jiraclient.SearchPage{Issues: mkIssues(start, n), Next: jiraclient.Cursor{StartAt: start + n}, Last: last, Total: total}
}

func key(s string) tea.KeyPressMsg {
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
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+j":
		return tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func send(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		m, _ = m.Update(msg)
	}
	return m
}

func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = send(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// loaded is a list of w x h showing the first page of a query of total issues.
func loaded(t *testing.T, w, h, n, total int, o Options) Model {
	t.Helper()
	c := newCommon(w, h)
	m := New(c, o)
	m.Init()
	m.SetSize(w, h)
	return send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Page: page(1, n, n >= total, total)})
}

// testStore is the store of the last newCommon (the tests in this package
// run one at a time).
var testStore *store.Store

// cmdMsgs runs cmd (and its batches) and returns the messages, skipping the
// ones that would wait for timers.
func cmdMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, cmdMsgs(c)...)
			}
			return out
		}
		if out, next, ok := testStore.Update(msg); ok {
			// The root's part: the store's answers become the views'.
			return append(out, cmdMsgs(next)...)
		}
		return []tea.Msg{msg}
	case <-time.After(50 * time.Millisecond):
		return nil // a timer (prefetch debounce, notices): not under test here
	}
}

func view(m Model) string { return ansi.Strip(m.View()) }

func TestDefaultJQL(t *testing.T) {
	m := New(newCommon(80, 24), Options{})
	if m.JQL() != DefaultJQL || len(m.Tabs()) != 1 {
		t.Fatalf("jql %q tabs %v", m.JQL(), m.Tabs())
	}
	m = New(newCommon(80, 24), Options{JQL: "project = X", Queries: []Tab{{Name: "Mine", JQL: "assignee = currentUser()"}}})
	if m.JQL() != "project = X" || len(m.Tabs()) != 3 || m.Active() != 0 || m.Tabs()[0].Name != "JQL" {
		t.Fatalf("jql %q tabs %v", m.JQL(), m.Tabs())
	}
}

// Saved queries add tabs after the default one, never replace it; the
// profile's default_jql is the "Default" tab, a --jql query a "JQL" tab.
func TestHomeTab(t *testing.T) {
	names := func(m Model) string {
		var out []string
		for _, tb := range m.Tabs() {
			out = append(out, tb.Name)
		}
		return strings.Join(out, ",")
	}
	qs := []Tab{{Name: "Bugs", JQL: "type = Bug"}, {Name: "Team", JQL: "project = ABC"}}
	cases := []struct {
		o            Options
		tabs, active string
	}{
		{Options{Queries: qs}, "Assigned to me,Bugs,Team", DefaultJQL},
		{Options{Default: "project = ABC AND sprint in openSprints()", Queries: qs}, "Default,Bugs,Team", "project = ABC AND sprint in openSprints()"},
		{Options{Default: "project = ABC AND sprint in openSprints()"}, "Default", "project = ABC AND sprint in openSprints()"},
		{Options{Queries: append([]Tab{{Name: "Mine", JQL: DefaultJQL}}, qs...)}, "Mine,Bugs,Team", DefaultJQL},
		{Options{JQL: "type = Bug", Queries: qs}, "Assigned to me,Bugs,Team", "type = Bug"},
		{Options{JQL: "labels = x", Default: "project = ABC ORDER BY rank", Queries: qs}, "JQL,Default,Bugs,Team", "labels = x"},
	}
	for _, c := range cases {
		m := New(newCommon(80, 24), c.o)
		if got := names(m); got != c.tabs || m.JQL() != c.active {
			t.Errorf("%+v: tabs %q on %q, want %q on %q", c.o, got, m.JQL(), c.tabs, c.active)
		}
	}
}

func TestStaleResultDropped(t *testing.T) {
	m := loaded(t, 80, 24, 10, 10, Options{JQL: "a", Queries: []Tab{{Name: "A", JQL: "a"}, {Name: "B", JQL: "b"}}})
	old := m.gen
	m = send(t, m, key("tab"))
	if m.JQL() != "b" || m.state != stateLoading {
		t.Fatalf("tab: %q %v", m.JQL(), m.state)
	}
	// The first tab's late answer must not land in the second tab.
	m = send(t, m, PageMsg{Gen: old, JQL: "a", Page: page(500, 3, true, 3)})
	if len(m.Issues()) != 0 || m.state != stateLoading {
		t.Fatalf("stale page taken: %d issues", len(m.Issues()))
	}
	m = send(t, m, CountMsg{Gen: old, Count: 999})
	if _, approx := m.Total(); approx {
		t.Fatal("stale count taken")
	}
	m = send(t, m, PageMsg{Gen: m.gen, JQL: "b", Page: page(1, 4, true, 4)})
	if len(m.Issues()) != 4 || m.Issues()[0].Key != "ABC-1" {
		t.Fatalf("fresh page not taken: %d", len(m.Issues()))
	}
}

func TestTabSwitching(t *testing.T) {
	m := loaded(t, 80, 24, 10, 10, Options{Queries: []Tab{{Name: "A", JQL: "a"}, {Name: "B", JQL: "b"}}})
	m = send(t, m, FiltersMsg{Filters: []jiraclient.Filter{{ID: "1", Name: "Team bugs", JQL: "type = Bug"}, {ID: "2", Name: "Dup", JQL: "a"}}})
	if len(m.Tabs()) != 4 || !m.Tabs()[3].Filter {
		t.Fatalf("tabs %+v", m.Tabs())
	}
	m = send(t, m, key("4"))
	if m.JQL() != "type = Bug" || m.Active() != 3 {
		t.Fatalf("4: %q", m.JQL())
	}
	m = send(t, m, key("tab"))
	if m.Active() != 0 {
		t.Fatalf("tab wraps: %d", m.Active())
	}
	m = send(t, m, key("shift+tab"))
	if m.Active() != 3 {
		t.Fatalf("shift+tab wraps: %d", m.Active())
	}
	m = send(t, m, key("9"))
	if m.Active() != 3 {
		t.Fatal("9 with 4 tabs moved")
	}
}

func TestFilter(t *testing.T) {
	m := loaded(t, 80, 24, 30, 30, Options{})
	m = send(t, m, key("/"))
	if !m.InputFocused() {
		t.Fatal("/ did not focus the filter")
	}
	m = typeText(t, m, "unicode")
	if m.rowCount() != 6 {
		t.Fatalf("rows %d", m.rowCount())
	}
	for i := 0; i < m.rowCount(); i++ {
		if !strings.Contains(m.issueAt(i).Summary, "unicode") {
			t.Fatalf("row %d %q does not match", i, m.issueAt(i).Summary)
		}
	}
	// Keys: "ABC-12" matches by key.
	m = send(t, m, key("esc"))
	if m.rowCount() != 30 || m.InputFocused() {
		t.Fatal("esc did not clear")
	}
	m = send(t, m, key("/"))
	m = typeText(t, m, "ABC-27")
	if m.Current() == nil || m.Current().Key != "ABC-27" {
		t.Fatalf("key match: %v", m.Current())
	}
	// Enter keeps the filter and gives the keys back to the list.
	m = send(t, m, key("enter"))
	if m.InputFocused() || m.rowCount() == 30 {
		t.Fatal("enter lost the filter")
	}
	m = send(t, m, key("esc"))
	if m.rowCount() != 30 {
		t.Fatal("esc in list did not clear the filter")
	}
}

type memHistory struct {
	e     []string
	saved int
}

func (h *memHistory) Entries() []string { return h.e }
func (h *memHistory) Add(q string)      { h.e = append([]string{q}, h.e...) } // newest first
func (h *memHistory) Save() error       { h.saved++; return nil }

func TestJQLErrorKeepsQuery(t *testing.T) {
	h := &memHistory{e: []string{"project = OLD"}}
	m := loaded(t, 100, 24, 10, 10, Options{History: h})
	m = send(t, m, key(":"))
	if !m.InputFocused() {
		t.Fatal(": did not open the prompt")
	}
	// Up recalls history, down returns to the draft.
	m = send(t, m, key("up"))
	if m.prompt.Value() != "project = OLD" {
		t.Fatalf("history: %q", m.prompt.Value())
	}
	m = send(t, m, key("down"))
	if m.prompt.Value() != DefaultJQL {
		t.Fatalf("draft: %q", m.prompt.Value())
	}
	for range len(DefaultJQL) {
		m = send(t, m, key("backspace"))
	}
	m = typeText(t, m, "project = NOPE")
	m, cmd := m.Update(key("enter"))
	var submit jql.SubmitMsg
	for _, msg := range cmdMsgs(cmd) {
		if s, ok := msg.(jql.SubmitMsg); ok {
			submit = s
		}
	}
	if submit.JQL != "project = NOPE" {
		t.Fatalf("submit %+v", submit)
	}
	m = send(t, m, submit)
	bad := &jiraclient.Error{Kind: jiraclient.KindBadRequest, Status: 400, Messages: []string{"The value 'NOPE' does not exist for the field 'project'."}}
	m = send(t, m, PageMsg{Gen: m.gen, JQL: submit.JQL, Err: bad})
	if !m.InputFocused() || m.prompt.Value() != "project = NOPE" {
		t.Fatalf("prompt lost: open=%v %q", m.promptOpen, m.prompt.Value())
	}
	if !strings.Contains(m.prompt.Err(), "does not exist for the field 'project'") {
		t.Fatalf("error %q", m.prompt.Err())
	}
	if len(m.Issues()) != 10 || m.JQL() != DefaultJQL {
		t.Fatal("the old results were lost")
	}
	if !strings.Contains(view(m), "does not exist") {
		t.Fatal("error not drawn")
	}
	if len(h.e) != 1 {
		t.Fatal("a refused query went into history")
	}
	// Fix it and run again: results replace, prompt closes, history saved.
	for range len("NOPE") {
		m = send(t, m, key("backspace"))
	}
	m = typeText(t, m, "ABC")
	m = send(t, m, key("enter"), jql.SubmitMsg{JQL: "project = ABC"})
	m = send(t, m, PageMsg{Gen: m.gen, JQL: "project = ABC", Page: page(100, 5, true, 5)})
	if m.InputFocused() || m.JQL() != "project = ABC" || len(m.Issues()) != 5 {
		t.Fatalf("after fix: open=%v %q %d", m.promptOpen, m.JQL(), len(m.Issues()))
	}
	if h.saved != 1 || h.e[0] != "project = ABC" {
		t.Fatalf("history %+v", h)
	}
	if tab := m.Tabs()[m.Active()]; !tab.AdHoc || tab.JQL != "project = ABC" {
		t.Fatalf("tab %+v", tab)
	}
}

func TestRefreshKeepsCursor(t *testing.T) {
	m := loaded(t, 80, 24, 20, 20, Options{})
	for range 5 {
		m = send(t, m, key("j"))
	}
	if m.Current().Key != "ABC-6" {
		t.Fatalf("cursor on %s", m.Current().Key)
	}
	m = send(t, m, key("r"))
	if len(m.Issues()) != 20 {
		t.Fatal("refresh blanked the list")
	}
	// Two new issues arrive on top: the cursor follows ABC-6.
	p := jiraclient.SearchPage{Issues: append(mkIssues(90, 2), mkIssues(1, 20)...), Last: true, Total: 22}
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Page: p})
	if m.Current().Key != "ABC-6" || m.cursor != 7 {
		t.Fatalf("cursor on %s at %d", m.Current().Key, m.cursor)
	}
}

func TestAuthErrorKeepsState(t *testing.T) {
	m := loaded(t, 80, 24, 20, 40, Options{})
	m = send(t, m, key("r"))
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Err: &jiraclient.Error{Kind: jiraclient.KindAuth, Status: 401}})
	if len(m.Issues()) != 20 || m.state == stateError {
		t.Fatal("auth failure lost the list")
	}
	cmd := m.Retry()
	if cmd == nil {
		t.Fatal("nothing to retry")
	}
	if m.Retry() != nil {
		t.Fatal("retry twice")
	}
}

func TestSelection(t *testing.T) {
	m := loaded(t, 80, 24, 10, 10, Options{})
	m = send(t, m, key("space"))
	if got := m.Selected(); len(got) != 1 || got[0] != "ABC-1" || m.Current().Key != "ABC-2" {
		t.Fatalf("space: %v", got)
	}
	m = send(t, m, key("j"), key("V"), key("j"), key("j"), key("V"))
	if got := strings.Join(m.Selected(), ","); got != "ABC-1,ABC-3,ABC-4,ABC-5" {
		t.Fatalf("range: %s", got)
	}
	m = send(t, m, key("*"))
	if len(m.Selected()) != 10 {
		t.Fatal("* did not select all")
	}
	m = send(t, m, key("*"))
	if len(m.Selected()) != 0 {
		t.Fatal("* again did not clear")
	}
}

func TestPrefetchAndOpen(t *testing.T) {
	m := loaded(t, 80, 24, 10, 10, Options{})
	before := m.c.Issues.Pending()
	m, cmd := m.Update(key("j"))
	if cmd == nil || m.c.Issues.Pending() != before+1 {
		t.Fatalf("no prefetch scheduled in the store (%d outstanding, %d before)", m.c.Issues.Pending(), before)
	}
	// The store holds ABC-2 in full: Enter opens it with the issue.
	full := mkIssues(2, 1)[0]
	full.Description = "all the details"
	out, _ := m.c.Issues.Put(full)
	for _, msg := range out {
		m = send(t, m, msg)
	}
	m, cmd = m.Update(key("enter"))
	msgs := cmdMsgs(cmd)
	if len(msgs) != 1 {
		t.Fatalf("enter: %v", msgs)
	}
	o := msgs[0].(OpenMsg)
	if o.Key != "ABC-2" || o.Issue == nil || o.Issue.Description != "all the details" {
		t.Fatalf("open %+v", o)
	}
	// A change in the store reaches the row.
	full.Summary = "renamed in the store"
	out, _ = m.c.Issues.Put(full)
	for _, msg := range out {
		m = send(t, m, msg)
	}
	if is, _ := m.Issue("ABC-2"); is.Summary != "renamed in the store" {
		t.Fatalf("row not synced: %q", is.Summary)
	}
}

func TestStep(t *testing.T) {
	m := loaded(t, 80, 24, 3, 3, Options{})
	k, _, ok := m.Step(1)
	if !ok || k != "ABC-2" {
		t.Fatal(k)
	}
	if _, _, ok := m.Step(5); ok {
		t.Fatal("stepped past the end")
	}
}

func TestErrorState(t *testing.T) {
	c := newCommon(80, 24)
	m := New(c, Options{})
	m.SetSize(80, 24)
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Err: &jiraclient.Error{Kind: jiraclient.KindServer, Status: 500, Err: errors.New("boom")}})
	if m.state != stateError || !strings.Contains(view(m), "Could not load issues") {
		t.Fatal(view(m))
	}
}

func TestRelative(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "now", 3 * time.Minute: "3m", 2 * time.Hour: "2h", 5 * 24 * time.Hour: "5d",
		21 * 24 * time.Hour: "3w", 100 * 24 * time.Hour: "3mo", 800 * 24 * time.Hour: "2y",
	} {
		if got := Relative(now, now.Add(-d)); got != want {
			t.Errorf("%v: %q want %q", d, got, want)
		}
	}
}

func TestNarrowDropsColumns(t *testing.T) {
	cw := colWidths{key: 7, typ: 8, prio: 7, status: 11, assignee: 14}
	wide := layoutFor(cw, 200)
	if len(wide.cols) != 7 {
		t.Fatalf("wide %v", wide.cols)
	}
	narrow := layoutFor(cw, 50)
	for _, c := range narrow.cols {
		if c == colPrio || c == colType {
			t.Fatalf("narrow kept %v", narrow.cols)
		}
	}
	tiny := layoutFor(cw, 30)
	if tiny.cols[0] != colKey || tiny.cols[len(tiny.cols)-1] != colSummary {
		t.Fatalf("tiny %v", tiny.cols)
	}
	for _, w := range []int{30, 50, 80, 120, 200} {
		m := loaded(t, w, 10, 5, 5, Options{})
		for i, l := range strings.Split(view(m), "\n") {
			if ansi.StringWidth(l) > w {
				t.Fatalf("w=%d line %d is %d wide: %q", w, i, ansi.StringWidth(l), l)
			}
		}
	}
}

// Golden views. Regenerate with: go test ./tui/list -run Golden -update
func TestGolden80x24(t *testing.T) {
	golden.RequireEqual(t, view(loaded(t, 80, 24, 50, 120, Options{Queries: []Tab{{Name: "Mine", JQL: DefaultJQL}, {Name: "Team", JQL: "project = ABC"}}})))
}

func TestGolden200x60(t *testing.T) {
	m := loaded(t, 200, 60, 50, 50, Options{})
	m = send(t, m, CountMsg{Gen: m.gen, Count: 50}, key("j"), key("space"))
	golden.RequireEqual(t, view(m))
}

func TestGoldenFilter(t *testing.T) {
	m := loaded(t, 80, 24, 50, 50, Options{})
	m = send(t, m, key("/"))
	m = typeText(t, m, "crash")
	golden.RequireEqual(t, view(m))
}

func TestGoldenJQLError(t *testing.T) {
	m := loaded(t, 100, 20, 10, 10, Options{})
	m = send(t, m, key(":"), jql.SubmitMsg{JQL: m.query})
	m.prompt.Update(key("enter"))
	p, _ := m.prompt.Update(key("enter"))
	m.prompt = &p
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Err: &jiraclient.Error{Kind: jiraclient.KindBadRequest, Status: 400, Messages: []string{"Error in the JQL Query: The character '=' is a reserved JQL character."}}})
	golden.RequireEqual(t, view(m))
}

func TestGoldenPreviewRight(t *testing.T) {
	m := loaded(t, 160, 30, 20, 20, Options{})
	m = send(t, m, key("p"))
	golden.RequireEqual(t, view(m))
}

func TestGoldenPreviewBelow(t *testing.T) {
	m := loaded(t, 100, 30, 20, 20, Options{})
	m = send(t, m, key("p"))
	golden.RequireEqual(t, view(m))
}

func TestGoldenEmpty(t *testing.T) {
	golden.RequireEqual(t, view(loaded(t, 80, 12, 0, 0, Options{})))
}

func TestGoldenLoading(t *testing.T) {
	m := New(newCommon(80, 12), Options{})
	m.SetSize(80, 12)
	golden.RequireEqual(t, view(m))
}

// FuzzCell: a cell is exactly its width whatever the text.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"", "ABC-1", "日本語のテキスト", "tab\there", "\x1b[31mred", "é́́"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		if w < 1 || w > 300 {
			return
		}
		if got := ansi.StringWidth(cell(s, w)); got != w {
			t.Fatalf("cell(%q, %d) is %d wide", s, w, got)
		}
	})
}

// A long JQL error is wrapped under the prompt and in the error pane, so its
// end (where Jira names the bad token) can be read at 80 columns.
func TestJQLErrorWraps(t *testing.T) {
	long := "Error in the JQL Query: Expecting operator but got 'assignee'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 93)"
	jerr := &jiraclient.Error{Kind: jiraclient.KindBadRequest, Status: 400, Messages: []string{long}}
	flat := func(v string) string { return strings.Join(strings.Fields(v), " ") }

	m := loaded(t, 80, 24, 10, 10, Options{})
	m = send(t, m, key(":"))
	p, _ := m.prompt.Update(key("enter"))
	m.prompt = &p
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Err: jerr})
	v := view(m)
	if !strings.Contains(flat(v), "(line 1, character 93)") {
		t.Fatalf("the prompt's error is cut:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("line wider than the screen: %q", l)
		}
	}
	if n := len(strings.Split(v, "\n")); n != 24 {
		t.Fatalf("%d lines", n)
	}
	golden.RequireEqual(t, v)

	m = New(newCommon(80, 24), Options{})
	m.SetSize(80, 24)
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Err: jerr})
	if v := view(m); !strings.Contains(flat(v), "(line 1, character 93)") {
		t.Fatalf("the error pane cuts Jira's message:\n%s", v)
	}
}

// At 80 columns six tabs do not fit: the active tab and its neighbours are
// shown whole and the line says how many are hidden on each side.
func TestTabsScrollToActive(t *testing.T) {
	qs := []Tab{{Name: "Assigned to me", JQL: DefaultJQL}, {Name: "My open bugs", JQL: "type = Bug"}, {Name: "Team backlog", JQL: "project = ABC"},
		{Name: "In review", JQL: `status = "In Review"`}, {Name: "Recently updated", JQL: "updated > -1d"}, {Name: "Release blockers", JQL: "labels = release-blocker"}}
	m := loaded(t, 80, 24, 50, 120, Options{Queries: qs})
	first := strings.Split(view(m), "\n")[0]
	if !strings.Contains(first, "1 Assigned to me") || !strings.Contains(first, "›") {
		t.Fatalf("tab line does not say more tabs follow: %q", first)
	}
	m = send(t, m, key("5"))
	m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Page: page(1, 50, false, 120)})
	first = strings.Split(view(m), "\n")[0]
	for _, want := range []string{"4 In review", "5 Recently updated", "6 Release blockers", "‹", "1/50 of 120"} {
		if !strings.Contains(first, want) {
			t.Errorf("tab line lacks %q: %q", want, first)
		}
	}
	if w := ansi.StringWidth(first); w != 80 {
		t.Errorf("tab line is %d wide", w)
	}
	golden.RequireEqual(t, first+"\n")
}

// TestHugeSummariesCapped: a 100 KB summary is kept (and matched by the
// filter, and drawn) as its first 255 characters and a "…".
func TestHugeSummariesCapped(t *testing.T) {
	m := hugeSummaries(t)
	for i, is := range m.Issues() {
		if n := utf8.RuneCountInString(is.Summary); n != maxSummary+1 || !strings.HasSuffix(is.Summary, "…") {
			t.Fatalf("issue %d keeps a summary of %d characters", i, n)
		}
		if len(m.hay[i]) > len(is.Key)+1+len(is.Summary) {
			t.Fatalf("the filter matches over %d bytes", len(m.hay[i]))
		}
	}
	// A patch (an edit made here) is capped the same way.
	is := m.Issues()[0]
	is.Summary = strings.Repeat("é", 10_000)
	m.setRow(0, is)
	if n := utf8.RuneCountInString(m.Issues()[0].Summary); n != maxSummary+1 {
		t.Fatalf("patched summary kept %d characters", n)
	}
}

// TestChunkFailureFurtherOnEndsLoading: the store answers a failed load
// at the chunk that failed, which may lie past the next one expected; the
// list still ends its loading and says why (else "loading" stays for ever).
func TestChunkFailureFurtherOnEndsLoading(t *testing.T) {
	m := loaded(t, 80, 24, PageSize, 3000, Options{})
	m.loadingMore, m.asked, m.toEnd = true, 3000, true
	var cmd tea.Cmd
	m, cmd = m.Update(store.QueryMsg{Tag: m.gen, JQL: m.query, Cursor: jiraclient.Cursor{StartAt: m.pos + 1000}, Err: errors.New("HTTP 500")})
	if m.Loading() != "" {
		t.Fatalf("still loading: %q", m.Loading())
	}
	if cmd == nil {
		t.Fatal("no notice of the failure")
	}
	// A chunk that is not the next one, without an error, is not taken.
	m.loadingMore = true
	m, _ = m.Update(store.QueryMsg{Tag: m.gen, JQL: m.query, Cursor: jiraclient.Cursor{StartAt: m.pos + 100}, Page: page(200, 10, false, 3000)})
	if len(m.Issues()) != PageSize {
		t.Fatalf("a chunk out of order was taken: %d issues", len(m.Issues()))
	}
}
