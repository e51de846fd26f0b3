package tui

import (
	"cmp"
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/profiles"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// Several sites and users, live. P opens the picker (tui/profiles); the
// profile picked is opened in a command (Options.OpenProfile: its keyring
// item, its cache, its queries) and the root switches to it:
//
//   - the old profile's store is detached: its requests are cancelled,
//     and any answer still on its way goes back to that store alone
//     (store.Store.Update), never to the new one or its views; the optimistic
//     writes of tui/action, which answer outside the store, are settled in the
//     store they were patched into (profileState.writes);
//   - a new store over the profile's cache: the list draws the cached
//     result first, then Jira's;
//   - the profile's drafts, queries, hidden fields and refresh period;
//   - a profile with no login opens the login view for it; esc there goes
//     back to the profile in use, which kept running behind.
//
// A profile opened once keeps its client and cache for the session
// (sessions), so going back costs no keyring read.

// profileOpenTimeout bounds opening a profile (keyring read, cache open).
const profileOpenTimeout = 30 * time.Second

// profileState is the root's record of the profiles.
type profileState struct {
	// cur is the profile in use.
	cur profiles.Entry
	// sessions are the profiles opened in this session, by Entry.ID,
	// the one in use excluded (it lives in the root's fields).
	sessions map[string]Options
	// opening is the ID of the profile being opened; an answer for
	// another (the user picked again meanwhile) is dropped.
	opening string
	// signIn is the profile waiting for the login view (no login yet).
	signIn *profileOpenedMsg
	// writes are the stores the optimistic writes in flight were patched
	// into, by token: their outcome settles there, whichever profile is
	// in use when it comes.
	writes map[string]*store.Store
	// opened are the caches profile switches opened, closed by Close
	// (main closes Options.Cache).
	opened []*cache.DB
	// demoDrafts keep each demo profile's drafts in memory.
	demoDrafts map[string]compose.DraftStore
}

// profileOpenedMsg is a profile opened by Options.OpenProfile.
type profileOpenedMsg struct {
	entry profiles.Entry
	o     Options
	err   error
}

// Profile is the profile in use.
func (m Model) Profile() profiles.Entry { return m.prof.cur }

// Close closes the caches that profile switches opened (main closes the
// start profile's own, Options.Cache). Call it after the program ends.
func (m Model) Close() {
	for _, db := range m.prof.opened {
		_ = db.Close()
	}
}

// profileLabel is the status bar's name for e: shown when there are
// several profiles.
func (m Model) profileLabel(e profiles.Entry) string {
	if len(m.o.Profiles) < 2 {
		return ""
	}
	return e.Label()
}

// openPicker shows the profile picker.
func (m *Model) openPicker() tea.Cmd {
	if len(m.o.Profiles) == 0 {
		return m.status.SetNotice(statusbar.Info, "no other profile: jiffy login --url <site> adds one")
	}
	return m.open(profiles.New(m.c, m.o.Profiles, m.prof.cur))
}

// onPicked starts switching to the profile picked.
func (m *Model) onPicked(e profiles.Entry) tea.Cmd {
	if e.ID() == m.prof.cur.ID() {
		return m.status.SetNotice(statusbar.Info, "already on "+e.Label())
	}
	if o, ok := m.prof.sessions[e.ID()]; ok && o.Client != nil {
		return m.switchProfile(e, o)
	}
	if m.o.OpenProfile == nil {
		return m.status.SetNotice(statusbar.Error, "profiles cannot be switched in this session")
	}
	m.prof.opening = e.ID()
	open := m.o.OpenProfile
	return tea.Batch(m.status.StartTask("profile", "opening "+e.Label()), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), profileOpenTimeout)
		defer cancel()
		o, err := open(ctx, e)
		return profileOpenedMsg{entry: e, o: o, err: err}
	})
}

// onProfileOpened switches to the profile opened, or opens the login
// view for it when it has no login yet.
func (m *Model) onProfileOpened(msg profileOpenedMsg) tea.Cmd {
	m.status.EndTask("profile")
	if msg.entry.ID() != m.prof.opening {
		if msg.o.Cache != nil {
			_ = msg.o.Cache.Close() // picked again meanwhile
		}
		return nil
	}
	m.prof.opening = ""
	if msg.o.Cache != nil {
		m.prof.opened = append(m.prof.opened, msg.o.Cache)
	}
	if msg.err != nil {
		return m.status.SetNotice(statusbar.Error, "could not open "+msg.entry.Label()+": "+store.Short(msg.err))
	}
	if msg.o.Client != nil {
		return m.switchProfile(msg.entry, msg.o)
	}
	// No login yet: the login view, for that profile; the profile in use
	// goes on behind it until the user signs in or goes back.
	lo := m.o.LoginOptions
	lo.Prefill = msg.o.LoginOptions.Prefill
	lo.ForProfile, lo.Reauth, lo.Rejected, lo.OfferDemo = msg.entry.Name, false, false, false
	m.login = login.New(m.c, lo).SetSize(m.c.Width, m.contentHeight())
	m.prof.signIn = &msg
	m.prevState, m.state = m.state, stateLogin
	return tea.Batch(m.login.Init(), m.status.SetNotice(statusbar.Warning, msg.entry.Label()+" has no login yet: sign in to it, or esc to stay on "+m.prof.cur.Label()))
}

// onProfileSignedIn switches to the profile the login view signed in to.
func (m *Model) onProfileSignedIn(msg login.DoneMsg) tea.Cmd {
	p := *m.prof.signIn
	m.prof.signIn = nil
	p.o.Client, p.o.Me = msg.Client, msg.Me
	if msg.Site != "" {
		p.o.Site = msg.Site
	}
	return m.switchProfile(p.entry, p.o)
}

// noteProfile takes the profile a first sign-in (or a new login over an
// expired one) saved: it is the one in use, and the picker offers it.
func (m *Model) noteProfile(msg login.DoneMsg) {
	if msg.Profile == "" || m.prof.cur.Env || m.prof.cur.Demo != "" {
		return
	}
	e := profiles.Entry{Name: msg.Profile, URL: msg.Site}
	if msg.Me != nil {
		e.User = cmp.Or(msg.Me.Email, msg.Me.Name)
	}
	m.prof.cur = e
	for _, p := range m.o.Profiles {
		if p.ID() == e.ID() {
			return
		}
	}
	m.o.Profiles = append(m.o.Profiles, e)
	m.c.Profile = m.profileLabel(e)
}

// onProfileSignInCancelled goes back to the profile in use.
func (m *Model) onProfileSignInCancelled() tea.Cmd {
	m.prof.signIn = nil
	m.state = m.prevState
	return m.status.SetNotice(statusbar.Info, "still on "+m.prof.cur.Label())
}

// current is the profile in use as Options, to come back to.
func (m Model) current() Options {
	o := m.o
	o.Client, o.Me, o.Site, o.Cache = m.c.Client, m.c.Me, m.c.Site, m.c.Issues.Cache()
	o.Drafts = m.deps.Drafts
	o.HideFields = m.c.HideFields
	return o
}

// switchProfile leaves the profile in use for e, opened as o.
func (m *Model) switchProfile(e profiles.Entry, o Options) tea.Cmd {
	old := m.c.Issues
	if m.prof.sessions == nil {
		m.prof.sessions = map[string]Options{}
	}
	m.prof.sessions[m.prof.cur.ID()] = m.current()
	delete(m.prof.sessions, e.ID())
	// The results shown count as seen; nothing of the old profile's may
	// reach the new one's views.
	old.Leave()
	old.Detach()
	if m.overlay != nil {
		_ = compose.SaveDraft(m.overlay)
		m.setOverlay(nil)
	}

	m.prof.cur = e
	m.c.Issues = store.New(store.Options{Client: o.Client, Cache: o.Cache, Now: m.o.Now, GetIssue: common.GetIssue})
	m.c.Client, m.c.Me = o.Client, o.Me
	m.c.Site = o.Site
	if m.c.Site == "" && o.Client != nil {
		m.c.Site = o.Client.BaseURL()
	}
	if e.Demo != "" {
		m.c.Site = "demo"
	}
	m.c.HideFields, m.c.Columns = o.HideFields, o.Columns
	m.c.Profile = m.profileLabel(e)
	m.deps.Drafts = m.draftsFor(e, o)

	hadRefresh := m.o.RefreshMinutes > 0
	m.o.Demo = e.Demo != ""
	m.o.DefaultJQL, m.o.Queries, m.o.HideFields = o.DefaultJQL, o.Queries, o.HideFields
	m.o.RefreshMinutes, m.o.Learned, m.o.Cache = o.RefreshMinutes, o.Learned, o.Cache
	m.o.LoginOptions.Prefill = o.LoginOptions.Prefill
	m.o.JQL, m.o.Open = "", "" // --jql and jiffy KEY were the first profile's

	m.state, m.reauth, m.accepted = stateList, false, false
	m.back, m.waitKey = nil, ""
	m.detail = detail.New(m.c).SetSize(m.c.Width, m.contentHeight())
	m.status.EndTask("detail")
	m.buildList()

	cmds := []tea.Cmd{m.list.Init(), m.status.SetNotice(statusbar.Success, "switched to "+e.Label()+" ("+profiles.Host(m.c.Site)+")")}
	if m.c.Me == nil {
		cmds = append(cmds, learnMe(m.c.Issues, m.o.Learned, m.list.FirstSearch()))
	}
	cmds = append(cmds, cacheNote(m.c.Issues))
	if !hadRefresh {
		cmds = append(cmds, store.AutoRefresh(m.refreshEvery()))
	}
	return tea.Batch(cmds...)
}

// draftsFor is where e's drafts live: on disk per site (DraftsFor), in
// memory per demo profile.
func (m *Model) draftsFor(e profiles.Entry, o Options) compose.DraftStore {
	switch {
	case o.Drafts != nil:
		return o.Drafts
	case e.Demo != "" || m.o.DraftsFor == nil || o.Client == nil:
		if m.prof.demoDrafts == nil {
			m.prof.demoDrafts = map[string]compose.DraftStore{}
		}
		d, ok := m.prof.demoDrafts[e.ID()]
		if !ok {
			d = compose.MemoryDrafts()
			m.prof.demoDrafts[e.ID()] = d
		}
		return d
	}
	return m.o.DraftsFor(o.Client.BaseURL())
}

// settleLeftWrite settles, in its own store, the outcome of a write made
// under a profile no longer in use: it reaches no view, no overlay, and
// its failure (an expired login there) opens no login here.
func (m *Model) settleLeftWrite(msg tea.Msg) (tea.Cmd, bool) {
	var token string
	switch msg := msg.(type) {
	case common.IssueConfirmedMsg:
		token = msg.Token
	case common.IssueRollbackMsg:
		token = msg.Token
	default:
		return nil, false
	}
	st, ok := m.prof.writes[token]
	if !ok || st == m.c.Issues {
		return nil, false
	}
	delete(m.prof.writes, token)
	switch msg := msg.(type) {
	case common.IssueConfirmedMsg:
		_, cmd := st.Confirm(msg.Token, msg.Key, msg.Issue)
		return cmd, true
	case common.IssueRollbackMsg:
		st.Rollback(msg.Token, msg.Key, msg.Err)
	}
	return nil, true
}
