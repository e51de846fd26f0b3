// Package tui is jiffy's terminal UI: a thin root model that owns the shared
// Common value, a state (login, list, detail), the children, an overlay slot
// for pickers and editors, the help screen and the status bar.
//
// The root decides only what is on screen; each child handles its own keys
// and results. Every request goes through the store's request helper
// (common.Common Do and Write), which reads its error: a failed login
// (jiraclient.IsAuth) holds the request and sends store.LoginNeededMsg, the
// root opens the login view over the current screen and, once signed in
// again, swaps the client and the store replays what was held, so nothing
// the user was doing is lost. Results that carry an error may also
// implement Failed() error, for anything outside the store.
package tui

import (
	"context"
	"strings"

	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/board"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/fields"
	"github.com/jiffy-tui/jiffy/tui/find"
	helpview "github.com/jiffy-tui/jiffy/tui/help"
	"github.com/jiffy-tui/jiffy/tui/jql"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/profiles"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
	"github.com/jiffy-tui/jiffy/tui/usercmd"
)

// Query is a saved query tab.
type Query struct {
	Name string
	JQL  string
}

// History is the saved JQL history (config.History satisfies it); entries
// are newest first.
type History = jql.History

// Options configure the UI. main fills them from flags and the config.
type Options struct {
	// Client talks to Jira; nil opens the login view first.
	Client *jiraclient.Client
	// Site is the site URL shown in the status bar; Me the signed-in user.
	Site string
	Me   *jiraclient.User
	// JQL is a query to start on (--jql); empty starts on the first tab.
	JQL string
	// DefaultJQL is the first tab's query (the profile's default_jql);
	// empty means list.DefaultJQL.
	DefaultJQL string
	// Queries are the saved query tabs.
	Queries []Query
	// History keeps the JQL prompt's history; may be nil.
	History History
	// Demo marks a session against the built-in demo Jira; with no Client
	// it starts the demo at once through StartDemo.
	Demo bool
	// StartDemo starts the demo Jira. It runs inside a Cmd (it may take a
	// moment) when the login view asks for the demo.
	StartDemo func() (*jiraclient.Client, *jiraclient.User, error)
	// LoginOptions are passed to the login view.
	LoginOptions login.Options
	// Now is the clock for relative times; nil means time.Now.
	Now func() time.Time
	// Events delivers the client's throttle and retry events (see
	// EventSink); nil means none are shown.
	Events <-chan jiraclient.Event
	// Drafts keeps unsent comments, descriptions and create forms across
	// failures and restarts; nil keeps them in memory. DraftsFor, when
	// set, is asked instead for the drafts of the site signed in to (and
	// again after a sign-in to another site), so drafts stay per site.
	Drafts    compose.DraftStore
	DraftsFor func(site string) compose.DraftStore
	// Learned is called (from a Cmd, off the UI loop) when a start with a
	// client but no Me has learnt who the user is, so main can keep it in
	// the site cache and the next start asks for nothing before the search.
	Learned func(flavor jiraclient.Flavor, me *jiraclient.User)
	// Warning is shown in the status bar at start (a state file that
	// could not be read and was moved aside).
	Warning string
	// Editor is the command ctrl+e runs in the editors; "" means $VISUAL,
	// then $EDITOR.
	Editor string
	// Cache is the profile's persistent cache (tui/store/cache); nil keeps
	// issues in memory only (--no-cache, the demo, tests).
	Cache *cache.DB
	// RefreshMinutes, when above zero, reloads the shown query that often
	// (the profile's refresh_minutes).
	RefreshMinutes int
	// Open is the issue to show at start (jiffy ABC-123); back goes to
	// the list of the start query.
	Open string
	// Dir is where B looks for the git branch; "" is the current directory.
	Dir string
	// Commands are the user's own keys, bound by usercmd.Bind against
	// BuiltinKeys.
	Commands []*usercmd.Command
	// Keys is the keymap in force: keys.Default() with the config's [keys]
	// laid over it (keys.Map.Rebind); nil is the defaults.
	Keys *keys.Map
	// Hyperlinks turns issue keys and URLs in descriptions and comments
	// into OSC 8 links (see Hyperlinks).
	Hyperlinks bool
	// Theme is the colours ([theme] in the config and NO_COLOR; see
	// Theme); the zero value follows the terminal's background.
	Theme common.Theme
	// HideFields are the fields the detail leaves out (hide_fields).
	HideFields []string
	// Columns are the list's columns (columns); empty: the built-in ones.
	Columns []string
	// Profiles are the profiles the picker (P) offers, Profile the one in
	// use (see tui/profiles and profile.go). OpenProfile opens another in
	// a command: the Options of that profile (Client, Me, Site, Cache,
	// DefaultJQL, Queries, HideFields, RefreshMinutes, Learned,
	// LoginOptions.Prefill, Drafts); no Client means it has no login yet,
	// and the login view opens for it.
	Profiles    []profiles.Entry
	Profile     profiles.Entry
	OpenProfile func(ctx context.Context, e profiles.Entry) (Options, error)
	// Board is a board (name or id) to start on (--board).
	Board string
	// Boards remembers the last board opened (per profile); may be nil.
	Boards board.Memory
}

// state is what fills the screen.
type state int

const (
	stateLogin state = iota
	stateList
	stateDetail
	stateStarting // the demo Jira is starting
	stateBoard
)

func (s state) String() string { return [...]string{"login", "list", "detail", "starting", "board"}[s] }

// Model is the root model. It implements tea.Model.
type Model struct {
	c    *common.Common
	o    Options
	gk   keys.Global
	ak   keys.Actions
	fq   key.Binding // ctrl+c: quits even while typing
	deps compose.Deps

	state state
	// reauth is set while the login view is open over prevState because
	// the session expired.
	reauth    bool
	prevState state
	// accepted is set once Jira has answered a request of this session:
	// a failed login before that is a credential Jira never took (a first
	// start with a revoked token), not a session that expired.
	accepted bool
	// abandoning is set while the requests held for a sign-in the user
	// cancelled are answered with their failures: they must not open the
	// login again.
	abandoning bool

	login   login.Model
	list    list.Model
	listOn  bool // the list was built (after sign-in)
	detail  detail.Model
	waitKey string   // the detail waits for this issue's fetch
	back    []string // issues opened from the detail (links), for BackMsg
	board   board.Model
	home    state // where back from the detail goes: the list or the board

	// first is the list's first commands, its search already sent by New
	// (store.Store.Early); start is the first command New prepared
	// (opening Options.Open or Options.Board).
	first, start tea.Cmd

	overlay  Overlay
	helpOpen bool
	help     helpview.Model
	status   statusbar.Model

	// prof is the profiles: the one in use, those opened, the switch
	// under way (profile.go).
	prof profileState
}

// New builds the root model. With a client, the first search (and the
// start's other requests) leave at once, before the rest of the model is
// built and before Bubble Tea sets the terminal up: Init hands their
// answers to the program (store.Store.Early).
func New(o Options) Model {
	c := &common.Common{
		Styles: o.Theme.Styles(true),
		Theme:  o.Theme,
		Client: o.Client,
		Site:   o.Site,
		Me:     o.Me,
		Now:    o.Now,
		Issues: store.New(store.Options{Client: o.Client, Cache: o.Cache, Now: o.Now, GetIssue: common.GetIssue, Columns: o.Columns}),

		Hyperlinks: o.Hyperlinks,
		HideFields: o.HideFields,
		Keys:       o.Keys,
		Columns:    o.Columns,
	}
	if c.Site == "" && o.Client != nil {
		c.Site = o.Client.BaseURL()
	}
	if o.DraftsFor != nil && o.Client != nil {
		o.Drafts = o.DraftsFor(o.Client.BaseURL())
	}
	m := Model{
		c:    c,
		o:    o,
		gk:   keys.NewGlobal(c.Keys),
		ak:   keys.NewActions(c.Keys),
		fq:   keys.ForceQuit(c.Keys),
		deps: compose.Deps{Drafts: o.Drafts, Editor: o.Editor, Now: o.Now},
		home: stateList,
		prof: profileState{cur: o.Profile},
	}
	c.Profile = m.profileLabel(o.Profile)
	if o.Client != nil {
		m.state = stateList
		m.buildList()
		m.first = c.Issues.Early(m.list.Init)
	}
	m.detail = detail.New(c)
	m.board = board.New(c, o.Boards)
	m.help = helpview.New(c)
	m.status = statusbar.New(c)
	switch {
	case o.Client != nil:
		if o.Open != "" {
			// Straight to the issue; the list of the start query loads
			// beside it, for back.
			m.start = c.Issues.Early(func() tea.Cmd { return m.openDetail(o.Open, nil) })
			m.o.Open = ""
		} else if o.Board != "" {
			m.start = c.Issues.Early(m.startBoard)
		}
	case o.Demo && o.StartDemo != nil:
		m.state = stateStarting
		m.login = login.New(c, o.LoginOptions) // if the demo cannot start
	default:
		m.state = stateLogin
		m.login = login.New(c, o.LoginOptions)
	}
	if o.Demo && c.Site == "" {
		c.Site = "demo"
	}
	return m
}

// Store is the model's issue store (shared by every copy of the model):
// tests wait on its outstanding work (store.Store.Pending).
func (m Model) Store() *store.Store { return m.c.Issues }

// buildList makes the list for the current client.
func (m *Model) buildList() {
	tabs := make([]list.Tab, len(m.o.Queries))
	for i, q := range m.o.Queries {
		tabs[i] = list.Tab{Name: q.Name, JQL: q.JQL}
	}
	m.list = list.New(m.c, list.Options{JQL: m.o.JQL, Default: m.o.DefaultJQL, Queries: tabs, History: m.o.History})
	m.list.SetSize(m.c.Width, m.contentHeight())
	m.listOn = true
}

// Init asks for the background colour, starts loading and listening.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, listen(m.o.Events), m.start}
	if m.o.Warning != "" {
		cmds = append(cmds, common.Notice(common.NoticeWarning, m.o.Warning))
	}
	cmds = append(cmds, cacheNote(m.c.Issues), store.AutoRefresh(m.refreshEvery()))
	switch {
	case m.state == stateList, (m.state == stateDetail || m.state == stateBoard) && m.listOn:
		cmds = append(cmds, m.first)
		if m.c.Me == nil {
			// Alongside the search, not before it, and yielding to it.
			cmds = append(cmds, learnMe(m.c.Issues, m.o.Learned, m.list.FirstSearch()))
		}
	case m.state == stateLogin:
		cmds = append(cmds, m.login.Init())
	case m.state == stateStarting:
		// The screen itself says the demo is starting (Init cannot keep
		// a status-bar task: it has no model to return).
		cmds = append(cmds, startDemo(m.o.StartDemo))
	}
	return tea.Batch(cmds...)
}

// cacheNote shows the persistent cache's problem, if it met one, once its
// opening (in the background: cache.Options.Background) is over; the
// command waits for it, the UI loop does not.
func cacheNote(s *store.Store) tea.Cmd {
	db := s.Cache()
	if db == nil {
		return nil
	}
	return func() tea.Msg {
		if err := db.Note(); err != nil {
			return common.NoticeMsg{Level: common.NoticeWarning, Text: err.Error()}
		}
		return nil
	}
}

// contentHeight is the height above the status bar.
func (m Model) contentHeight() int { return max(1, m.c.Height-1) }

// demoStartedMsg is the demo Jira, started by startDemo.
type demoStartedMsg struct {
	client *jiraclient.Client
	me     *jiraclient.User
	err    error
}

func startDemo(start func() (*jiraclient.Client, *jiraclient.User, error)) tea.Cmd {
	return func() tea.Msg {
		c, me, err := start()
		return demoStartedMsg{client: c, me: me, err: err}
	}
}

// failer is a result that may carry an error; the root looks for expired
// logins in it.
type failer interface{ Failed() error }

// settledWrite reports whether msg settles a write: every write goes
// through the store's request helper, which held it and asked for the
// login itself (store.LoginNeededMsg); an expired login in its rollback
// comes from a sign-in the user cancelled and must not reopen it.
func settledWrite(msg tea.Msg) bool {
	_, ok := msg.(common.IssueRollbackMsg)
	return ok
}

// Update routes a message. One method per kind of message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if out, cmd, ok := m.c.Issues.Update(msg); ok {
		// The store's own answer: what it means for the views comes out
		// as its typed messages, routed here in the same Update, so when
		// the store's outstanding work reads zero the views have it all.
		var model tea.Model = m
		cmds := []tea.Cmd{cmd}
		for _, o := range out {
			var c tea.Cmd
			model, c = model.(Model).Update(o)
			cmds = append(cmds, c)
		}
		return model, tea.Batch(cmds...)
	}
	if cmd, ok := m.settleLeftWrite(msg); ok {
		return m, cmd
	}
	var cmds []tea.Cmd
	// The status bar owns its spinner ticks and clear timers.
	var cmd tea.Cmd
	m.status, cmd = m.status.Update(msg)
	cmds = append(cmds, cmd)

	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		m.c.Styles = m.c.Theme.Styles(msg.IsDark())
		if m.listOn {
			m.list.Restyle()
		}
		m.board.Restyle()
	case eventMsg:
		cmds = append(cmds, m.onEvent(msg.ev), listen(m.o.Events))
	case common.NoticeMsg:
		cmds = append(cmds, m.status.SetNotice(msg.Level, msg.Text))
	case common.OpenOverlayMsg:
		m.setOverlay(msg.Overlay)
		m.overlay.SetSize(m.c.Width, m.contentHeight())
	case common.CloseOverlayMsg:
		m.setOverlay(nil)
	case fields.FullEditMsg:
		cmds = append(cmds, m.onFullEdit(msg))
	case common.CreateSubtaskMsg:
		cmds = append(cmds, m.onSubtask(msg))
	case common.IssuePatchMsg:
		cmds = append(cmds, m.onPatch(msg), m.toOverlay(msg))
	case common.IssueConfirmedMsg:
		cmds = append(cmds, m.onConfirmed(msg), m.toOverlay(msg))
	case common.IssueRollbackMsg:
		cmds = append(cmds, m.onRollback(msg), m.toOverlay(msg))
	case common.IssueCreatedMsg:
		cmds = append(cmds, m.onCreated(msg))
	case action.BulkDoneMsg:
		if m.listOn {
			m.list.SetSelection(msg.Failed)
		}
		m.board.SetSelection(msg.Failed)
	case tea.KeyPressMsg:
		cmds = append(cmds, m.onKey(msg))
	case tea.PasteMsg:
		// Only the focused input gets a paste.
		switch {
		case m.state == stateLogin:
			m.login, cmd = m.login.Update(msg)
		case m.overlay != nil:
			o, c := m.overlay.Update(msg)
			m.setOverlay(o)
			cmd = c
		case m.state == stateList:
			m.list, cmd = m.list.Update(msg)
		case m.state == stateBoard:
			m.board, cmd = m.board.Update(msg)
		}
		cmds = append(cmds, cmd)
	case tea.MouseClickMsg:
		// A click selects a row or shows a tab (mouse capture is on for
		// it); over an overlay or help it does nothing.
		if m.state == stateList && m.listOn && m.overlay == nil && !m.helpOpen {
			m.list, cmd = m.list.Update(msg)
			cmds = append(cmds, cmd)
		}
	case tea.MouseWheelMsg:
		if m.state == stateList && m.overlay == nil && !m.helpOpen {
			m.list, cmd = m.list.Update(msg)
			cmds = append(cmds, cmd)
		} else if m.state == stateDetail {
			m.detail, cmd = m.detail.Update(msg)
			cmds = append(cmds, cmd)
		}
	case login.DoneMsg:
		if m.prof.signIn != nil {
			cmds = append(cmds, m.onProfileSignedIn(msg))
			break
		}
		m.noteProfile(msg)
		cmds = append(cmds, m.signedIn(msg.Client, msg.Me, msg.Site))
	case profiles.PickedMsg:
		cmds = append(cmds, m.onPicked(msg.Entry))
	case profileOpenedMsg:
		cmds = append(cmds, m.onProfileOpened(msg))
	case login.DemoMsg:
		if m.o.StartDemo == nil {
			cmds = append(cmds, m.status.SetNotice(statusbar.Error, "the demo is not available in this build"))
		} else {
			cmds = append(cmds, m.status.StartTask("demo", "starting the demo Jira"), startDemo(m.o.StartDemo))
		}
	case learnedMsg:
		if msg.err == nil && msg.me != nil {
			m.c.Me = msg.me
		}
	case demoStartedMsg:
		m.status.EndTask("demo")
		if msg.err != nil {
			if m.state == stateStarting {
				m.state = stateLogin
				cmds = append(cmds, m.login.Init())
			}
			cmds = append(cmds, m.status.SetNotice(statusbar.Error, "could not start the demo: "+msg.err.Error()))
		} else {
			m.o.Demo = true
			cmds = append(cmds, m.signedIn(msg.client, msg.me, "demo"))
		}
	case login.CancelMsg:
		if m.prof.signIn != nil {
			cmds = append(cmds, m.onProfileSignInCancelled())
			break
		}
		if !m.reauth {
			return m, tea.Quit
		}
		m.reauth, m.state = false, m.prevState
		// What waited for the login fails now, each in its own view.
		m.abandoning = true
		cmds = append(cmds, m.routeAll(m.c.Issues.Abandon()))
		m.abandoning = false
		cmds = append(cmds, m.status.SetNotice(statusbar.Warning, "still signed out: Jira requests will fail until you sign in (press r to retry)"))
	case list.OpenMsg:
		m.back = nil
		switch m.state {
		case stateBoard:
			m.home = stateBoard // ctrl+f from the board
		case stateList:
			m.home = stateList
		}
		cmds = append(cmds, m.openDetail(msg.Key, msg.Issue))
	case board.OpenMsg, board.BackMsg, board.ChosenMsg, board.LabelsMsg:
		cmds = append(cmds, m.onBoardMsg(msg))
	case detail.OpenIssueMsg:
		if k := m.detail.Key(); k != "" {
			m.back = append(m.back, k)
		}
		cmds = append(cmds, m.openDetail(msg.Key, nil))
	case detail.BackMsg:
		if n := len(m.back); n > 0 {
			k := m.back[n-1]
			m.back = m.back[:n-1]
			cmds = append(cmds, m.openDetail(k, nil))
			break
		}
		m.state, m.waitKey = m.home, ""
	case detail.ReloadMsg:
		m.detail = m.detail.SetLoading(msg.Key)
		m.waitKey = msg.Key
		cmds = append(cmds, m.detail.Init(), m.c.Issues.Fetch(msg.Key))
	case detail.StepMsg:
		cmds = append(cmds, m.step(msg.Delta))
	case branchMsg:
		cmds = append(cmds, m.onBranch(msg))
	case usercmd.DoneMsg:
		cmds = append(cmds, m.onCommandDone(msg))
	case store.IssueMsg:
		cmds = append(cmds, m.onIssue(msg))
	case store.QueryMsg:
		if m.listOn {
			m.list, cmd = m.list.Update(msg)
			cmds = append(cmds, cmd)
		}
	case store.LoginNeededMsg:
		cmds = append(cmds, m.openReauth())
	case store.NetworkMsg:
		cmds = append(cmds, m.onNetwork(msg))
	case store.RefreshMsg:
		cmds = append(cmds, m.autoRefresh())
	case store.FoundMsg:
		cmds = append(cmds, m.toOverlay(msg))
	default:
		cmds = append(cmds, m.forward(msg))
	}
	if f, ok := msg.(failer); ok && !cachedAnswer(msg) && !settledWrite(msg) {
		switch err := f.Failed(); {
		case err == nil:
			m.accepted = true
		case jiraclient.IsAuth(err) && !m.abandoning:
			cmds = append(cmds, m.openReauth())
		}
	}
	// The status bar's spinner starts with the first task: its tick is a
	// command like any other and must reach the loop.
	cmds = append(cmds, m.loadChildren(), m.syncTasks())
	m.status.SetHelpKey(m.globalKeys().Help.Help().Key)
	m.status.SetState(m.storeState())
	return m, tea.Batch(cmds...)
}

// forward hands a message the root does not handle to the children: the
// list and the detail get their results whatever is on screen.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	var cmd tea.Cmd
	if m.state == stateLogin || m.reauth {
		m.login, cmd = m.login.Update(msg)
		cmds = append(cmds, cmd)
	}
	if m.listOn {
		m.list, cmd = m.list.Update(msg)
		cmds = append(cmds, cmd)
	}
	m.detail, cmd = m.detail.Update(msg)
	cmds = append(cmds, cmd)
	m.board, cmd = m.board.Update(msg)
	cmds = append(cmds, cmd)
	if m.overlay != nil {
		o, c := m.overlay.Update(msg)
		m.setOverlay(o)
		cmd = c
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// onKey routes a key to whatever has the focus. Text fields own the
// keyboard: while a text input has the focus (globalKeys), a key that
// types a character goes to it and never to a root action; help is then
// on f1, and the status bar says so.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	m.status.ClearNotice()
	if key.Matches(msg, m.fq) {
		return m.quit()
	}
	var cmd tea.Cmd
	if m.helpOpen {
		var closed bool
		if m.help, closed = m.help.Update(msg); closed {
			m.helpOpen = false
		}
		return nil
	}
	gk := m.globalKeys()
	if m.state != stateStarting && key.Matches(msg, gk.Help) {
		m.helpOpen = true
		m.help.Show(m.helpTitle(), m.helpSections())
		m.help.SetSize(m.c.Width, m.contentHeight())
		return nil
	}
	if m.state != stateLogin && m.state != stateStarting && m.overlay == nil && key.Matches(msg, gk.Find) {
		return m.open(find.New(m.c))
	}
	if m.state == stateLogin {
		// Before the overlay: a login opened over an editor because the
		// session expired must get the keys (the token), never the editor.
		m.login, cmd = m.login.Update(msg)
		return cmd
	}
	if m.overlay != nil {
		d, ok := m.overlay.(doner)
		if !ok || !d.Done() {
			o, c := m.overlay.Update(msg)
			m.setOverlay(o)
			cmd = c
			return cmd
		}
		// A result box closes on any key; a key that means more than
		// "close" (r, C, j) then does its work.
		m.setOverlay(nil)
		if key.Matches(msg, m.c.Keys.Binding("result.close")) {
			return nil
		}
	}
	if m.state == stateStarting {
		if key.Matches(msg, m.gk.Quit) {
			return m.quit()
		}
		return nil
	}
	// q quits from the list; in the detail view it means back.
	if m.state == stateList && key.Matches(msg, gk.Quit) {
		return m.quit()
	}
	if !m.inputFocused() {
		if key.Matches(msg, gk.Profiles) {
			return m.openPicker()
		}
		if cmd, ok := m.onBoardKey(msg); ok {
			return cmd
		}
		if act := keys.ActionFor(m.ak, msg); act != keys.ActNone {
			return m.onAction(act)
		}
		if cmd, ok := m.onOwnKey(msg); ok {
			return cmd
		}
	}
	switch m.state {
	case stateDetail:
		m.detail, cmd = m.detail.Update(msg)
	case stateBoard:
		m.board, cmd = m.board.Update(msg)
	default:
		m.list, cmd = m.list.Update(msg)
	}
	return cmd
}

// doner is an overlay whose work can be over, leaving only its summary.
type doner interface{ Done() bool }

// inputFocuser is a view that may have a text input focused; an overlay
// without the method counts as always typing.
type inputFocuser interface{ InputFocused() bool }

// inputFocused reports whether a text input has the focus: the login's
// fields, an overlay's, the list's filter or JQL prompt.
func (m Model) inputFocused() bool {
	switch {
	case m.state == stateLogin:
		return m.login.InputFocused()
	case m.overlay != nil:
		f, ok := m.overlay.(inputFocuser)
		return !ok || f.InputFocused()
	case m.state == stateBoard:
		return m.board.InputFocused()
	}
	return m.state == stateList && m.listOn && m.list.InputFocused()
}

// globalKeys are the root's own keys as they work now: without their
// text keys while an input has the focus.
func (m Model) globalKeys() keys.Global {
	if m.inputFocused() {
		return m.gk.ForInput()
	}
	return m.gk
}

// keyViewer is a view that names its registry view (tui/keys), so help
// is generated from the registry: every overlay does.
type keyViewer interface{ KeyView() string }

// helpSections are the keys help lists: those of the registry view that
// has the focus and the views live with it, as bound now, and in the list
// and the detail the user's own commands. An overlay that names no
// registry view is listed from its keymap.
func (m Model) helpSections() []helpview.Section {
	km := m.c.Keys
	switch {
	case m.state == stateLogin:
		return helpview.For(km, "login")
	case m.overlay != nil:
		if kv, ok := m.overlay.(keyViewer); ok {
			return helpview.For(km, kv.KeyView())
		}
		return helpview.FromKeyMap("Keys", m.overlay.KeyMap())
	case m.state == stateDetail:
		return append(helpview.For(km, "detail"), m.ownSection("detail")...)
	case m.state == stateBoard:
		return helpview.For(km, "board")
	}
	view := m.list.KeyView()
	if view != "list" {
		return helpview.For(km, view)
	}
	return append(helpview.For(km, view), m.ownSection("list")...)
}

func (m Model) helpTitle() string {
	switch m.state {
	case stateLogin:
		return "Sign in — keys"
	case stateDetail:
		return "Issue — keys"
	case stateBoard:
		return "Board — keys"
	}
	return "Issue list — keys"
}

// resize reflows everything.
func (m *Model) resize(w, h int) {
	m.c.Width, m.c.Height = w, h
	ch := m.contentHeight()
	if m.listOn {
		m.list.SetSize(w, ch)
	}
	m.detail = m.detail.SetSize(w, ch)
	m.board.SetSize(w, ch)
	m.login = m.login.SetSize(w, ch)
	m.help.SetSize(w, ch)
	if m.overlay != nil {
		m.overlay.SetSize(w, ch)
	}
}

// signedIn takes a new client from the login view or the demo.
func (m *Model) signedIn(c *jiraclient.Client, me *jiraclient.User, site string) tea.Cmd {
	m.c.Client, m.c.Me = c, me
	m.c.Issues.SetClient(c)
	switch {
	case m.o.Demo:
		m.deps.Drafts = nil // the demo's drafts live in memory only
	case m.o.DraftsFor != nil && c != nil:
		m.deps.Drafts = m.o.DraftsFor(c.BaseURL())
	}
	switch {
	case site != "":
		m.c.Site = site
	case c != nil:
		m.c.Site = c.BaseURL()
	}
	if m.reauth {
		// Back to where the user was; retry what failed for lack of a login.
		m.reauth, m.state = false, m.prevState
		var cmds []tea.Cmd
		if m.listOn {
			cmds = append(cmds, m.list.Retry())
		}
		if r, ok := m.overlay.(retrier); ok {
			// The overlay's write or load that failed on the old login.
			cmds = append(cmds, r.Retry())
		}
		// The store's requests held for the login (searches, fetches).
		cmds = append(cmds, m.c.Issues.Replay())
		cmds = append(cmds, m.status.SetNotice(statusbar.Success, "signed in again"))
		return tea.Batch(cmds...)
	}
	m.state = stateList
	m.buildList()
	var open tea.Cmd
	if m.o.Open != "" {
		// jiffy ABC-123 before the first login: the issue once signed in.
		open = m.openDetail(m.o.Open, nil)
		m.o.Open = ""
	} else if m.o.Board != "" {
		open = m.startBoard()
	}
	welcome := "Welcome, " + displayName(me) + ": signed in to " + m.c.Site
	if m.o.Demo {
		welcome = "This is the demo Jira: try t, a, c on an issue; nothing leaves this machine. ? lists every key"
	}
	return tea.Batch(m.list.Init(), open, m.status.SetNotice(statusbar.Success, welcome))
}

func displayName(u *jiraclient.User) string {
	switch {
	case u == nil:
		return "you"
	case u.DisplayName != "":
		return u.DisplayName
	}
	return u.ID()
}

// learnedMsg says who the user is, learnt at start (see Options.Learned).
type learnedMsg struct {
	me  *jiraclient.User
	err error
}

// Failed lets an expired token found here open the login view.
func (m learnedMsg) Failed() error { return m.err }

func learnMe(st *store.Store, learned func(jiraclient.Flavor, *jiraclient.User), first <-chan struct{}) tea.Cmd {
	if st.Client() == nil {
		return nil
	}
	return st.Do("", func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return learnedMsg{err: store.ErrNoClient}, store.ErrNoClient
		}
		ctx = jiraclient.Yield(ctx, first)
		me, err := c.Myself(ctx)
		if err == nil && learned != nil {
			learned(c.Flavor(), me)
		}
		return learnedMsg{me: me, err: err}, err
	})
}

// openReauth opens the login view over the current screen, once.
func (m *Model) openReauth() tea.Cmd {
	if m.reauth || m.state == stateLogin {
		return nil
	}
	o := m.o.LoginOptions
	o.Reauth = true
	o.Rejected = !m.accepted
	o.Prefill = m.prefill()
	m.login = login.New(m.c, o).SetSize(m.c.Width, m.contentHeight())
	m.prevState, m.state, m.reauth = m.state, stateLogin, true
	note := "your Jira session expired: sign in again to carry on"
	if o.Rejected {
		note = "Jira did not accept the saved credential: sign in again to carry on"
	}
	return tea.Batch(m.login.Init(), m.status.SetNotice(statusbar.Warning, note))
}

// prefill is the current site and user, for the re-login form.
func (m Model) prefill() login.Prefill {
	p := m.o.LoginOptions.Prefill
	if m.c.Client != nil {
		p.URL = m.c.Client.BaseURL()
		p.Flavor = m.c.Client.Flavor()
	}
	// The profile's own email or username wins: /myself may give another
	// address (or none) for the same account, and the login the profile
	// stores is the one to ask for again.
	if m.c.Me != nil {
		if m.c.Me.Email != "" && p.Email == "" {
			p.Email = m.c.Me.Email
		}
		if m.c.Me.Name != "" && p.User == "" {
			p.User = m.c.Me.Name
		}
	}
	return p
}

// openDetail shows key in the detail view: at once when the store holds
// the full issue (perhaps from the persistent cache), else loading; the
// store refreshes it behind unless it is fresh.
func (m *Model) openDetail(key string, full *jiraclient.Issue) tea.Cmd {
	if prev := m.waitKey; prev != "" && prev != key {
		m.c.Issues.Release(prev) // nobody waits for it any more
	}
	m.state = stateDetail
	m.detail = m.detail.SetSize(m.c.Width, m.contentHeight())
	if err := jiraclient.CheckKey(key); err != nil {
		// No fetch could answer for it (an empty key, a key with a newline
		// in it): say so rather than load for ever.
		m.detail = m.detail.SetError(key, err)
		m.waitKey = ""
		return nil
	}
	if full == nil {
		full = m.c.Issues.Full(key)
	}
	open := m.c.Issues.Open(key)
	if full != nil {
		m.detail = m.detail.SetIssue(full)
		m.waitKey = ""
		return open
	}
	m.detail = m.detail.SetLoading(key)
	m.waitKey = key
	return tea.Batch(m.detail.Init(), open)
}

// step moves to the next or previous issue of the list from the detail.
func (m *Model) step(delta int) tea.Cmd {
	if m.home == stateBoard {
		key, ok := m.board.Step(delta)
		if !ok {
			return m.status.SetNotice(statusbar.Info, "no more cards in this column")
		}
		m.back = nil
		return m.openDetail(key, nil)
	}
	if !m.listOn {
		return nil
	}
	key, cmd, ok := m.list.Step(delta)
	if !ok {
		return m.status.SetNotice(statusbar.Info, "no more issues in the list")
	}
	m.back = nil
	return tea.Batch(cmd, m.openDetail(key, nil))
}

// syncTasks mirrors what the children wait for into the status bar. It
// returns the spinner's first tick when a task starts an idle bar.
func (m *Model) syncTasks() tea.Cmd {
	var cmds []tea.Cmd
	if m.listOn {
		if l := m.list.Loading(); l != "" {
			cmds = append(cmds, m.status.StartTask("list", l))
		} else {
			m.status.EndTask("list")
		}
	}
	if l := m.board.Loading(); l != "" {
		cmds = append(cmds, m.status.StartTask("board", l))
	} else {
		m.status.EndTask("board")
	}
	if m.waitKey != "" {
		cmds = append(cmds, m.status.StartTask("detail", "loading "+m.waitKey))
	} else {
		m.status.EndTask("detail")
	}
	return tea.Batch(cmds...)
}

// View draws the screen: the focused view, help or an overlay over it, and
// the status bar.
func (m Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "jiffy"
	if m.c.Width <= 0 || m.c.Height <= 0 {
		return v
	}
	w, h := m.c.Width, m.contentHeight()
	var content string
	switch m.state {
	case stateStarting:
		content = m.c.Styles.Muted.Render("Starting the demo Jira…")
	case stateLogin:
		content = m.login.View()
	case stateDetail:
		content = m.detail.View()
	case stateBoard:
		content = m.board.View()
	default:
		content = m.list.View()
	}
	content = fitBlock(content, w, h)
	switch {
	case m.helpOpen:
		content = m.help.View(w, h)
	case m.overlay != nil && m.state != stateLogin:
		// The login (a re-login over an editor) hides the overlay until
		// the user is signed in again.
		content = drawOver(content, m.overlay.View(), w, h)
	}
	v.SetContent(content + "\n" + m.status.View())
	return v
}

// fitBlock makes s exactly w x h: long lines cut, short ones padded, extra
// lines dropped, missing ones added. Views mostly fit already, so this is a
// cheap check per line rather than a lipgloss render of the whole screen.
func fitBlock(s string, w, h int) string {
	var b strings.Builder
	b.Grow(len(s) + h)
	n := 0
	for line := range strings.Lines(s) {
		if n == h {
			break
		}
		line = strings.TrimSuffix(line, "\n")
		if n > 0 {
			b.WriteByte('\n')
		}
		lw := ansi.StringWidth(line)
		switch {
		case lw > w:
			b.WriteString(ansi.Truncate(line, w, ""))
		case lw < w:
			b.WriteString(line)
			b.WriteString(strings.Repeat(" ", w-lw))
		default:
			b.WriteString(line)
		}
		n++
	}
	for ; n < h; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat(" ", w))
	}
	return b.String()
}
