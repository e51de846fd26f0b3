package activity

import (
	"context"
	"strconv"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// WatchersKeys are the watchers overlay's keys.
type WatchersKeys struct {
	Toggle key.Binding
	Close  key.Binding
}

// ShortHelp is the footer.
func (k WatchersKeys) ShortHelp() []key.Binding { return []key.Binding{k.Toggle, k.Close} }

// FullHelp is the help screen.
func (k WatchersKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Watchers is the overlay listing who watches an issue (key w in the
// detail); w or space watches or stops watching it.
type Watchers struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	issue jiraclient.Issue
	km    WatchersKeys
	w, h  int

	data *jiraclient.Watchers
	err  error
	busy bool // a load or a toggle is under way
	seq  int  // the answer awaited; older ones are dropped
}

// watchersMsg is a watcher list loaded or changed, for the overlay that
// asked (seq). After a toggle, issue is the issue read back.
type watchersMsg struct {
	seq   int
	data  *jiraclient.Watchers
	issue *jiraclient.Issue
	note  string
	err   error
}

// NewWatchers returns the watchers overlay for is; Init loads the list.
func NewWatchers(c *common.Common, is jiraclient.Issue) *Watchers {
	return &Watchers{c: c, owner: common.Owner("watchers"), issue: is, busy: true, km: WatchersKeys{
		Toggle: c.Keys.Binding("watchers.toggle"),
		Close:  c.Keys.Binding("watchers.close"),
	}}
}

// Init loads the watchers.
func (m *Watchers) Init() tea.Cmd { return m.load("", false) }

// InputFocused: the overlay has no text input, so the root's keys work.
func (m *Watchers) InputFocused() bool { return false }

// SetSize sets the screen size the dialog is drawn for.
func (m *Watchers) SetSize(w, h int) { m.w, m.h = w, h }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Watchers) KeyView() string { return "watchers" }

// KeyMap is the keys that work now.
func (m *Watchers) KeyMap() help.KeyMap {
	k := m.km
	k.Toggle.SetEnabled(!m.busy && m.data != nil)
	if m.data != nil && m.data.Watching {
		k.Toggle.SetHelp(k.Toggle.Help().Key, "stop watching")
	}
	return k
}

// load fetches the list; with toggle set it first watches (watch) or
// stops watching (!watch), then reads the issue back for the detail.
func (m *Watchers) load(op string, watch bool) tea.Cmd {
	m.seq++
	m.busy = true
	seq, key := m.seq, m.issue.Key
	fn := func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return watchersMsg{seq: seq, err: errNoClient}, nil
		}
		var note string
		if op != "" {
			var err error
			if watch {
				err, note = cl.Watch(ctx, key), "watching "+key
			} else {
				err, note = cl.Unwatch(ctx, key), "stopped watching "+key
			}
			if err != nil {
				return watchersMsg{seq: seq, err: err}, err
			}
		}
		data, err := cl.Watchers(ctx, key)
		msg := watchersMsg{seq: seq, data: data, err: err, note: note}
		if op != "" {
			msg.issue, _ = common.ReadBack(ctx, cl, key)
		}
		return msg, err
	}
	if op != "" {
		return m.c.Write(fn, func(err error) tea.Msg { return watchersMsg{seq: seq, err: err} })
	}
	return m.c.Do(m.owner, fn)
}

// Update handles keys and answers.
func (m *Watchers) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case watchersMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.busy = false
		m.err = msg.err
		if msg.data != nil {
			m.data = msg.data
		}
		if msg.note != "" && msg.err == nil {
			return m, func() tea.Msg {
				return common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
			}
		}
	case tea.KeyPressMsg:
		k := m.KeyMap().(WatchersKeys)
		switch {
		case key.Matches(msg, k.Close):
			return m, common.CloseOverlay
		case key.Matches(msg, k.Toggle):
			return m, m.load("toggle", !m.data.Watching)
		}
	}
	return m, nil
}

// Watching says whether the signed-in user watches the issue, as last
// loaded (for tests and the root).
func (m *Watchers) Watching() bool { return m.data != nil && m.data.Watching }

// Busy says whether a load or a write is under way.
func (m *Watchers) Busy() bool { return m.busy }

// View draws the dialog.
func (m *Watchers) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	head := []string{title(st, "Watchers of", m.issue.Key), ""}
	var body []string
	switch {
	case m.data == nil && m.err == nil:
		body = append(body, st.Muted.Render("Loading the watchers…"))
	case m.data != nil:
		n := m.data.Count
		word := " people watch this issue."
		if n == 1 {
			word = " person watches this issue."
		}
		you := "You do not watch it."
		if m.data.Watching {
			you = "You watch it."
		}
		body = append(body, st.Text.Render(strconv.Itoa(n)+word+" ")+st.Bold.Render(you), "")
		for _, u := range m.data.Users {
			body = append(body, "  "+st.Text.Render(userName(u)))
		}
		if len(m.data.Users) < n {
			body = append(body, st.Muted.Render("  and "+strconv.Itoa(n-len(m.data.Users))+" you may not see"))
		}
	}
	if m.err != nil {
		body = append(body, "")
		body = append(body, errorLines(st, m.err, w)...)
	}
	if m.busy && m.data != nil {
		body = append(body, "", st.Muted.Render("Saving…"))
	}
	foot := []string{"", keyHelp(st, m.KeyMap().(WatchersKeys).ShortHelp()...)}
	return frame(st, w, innerHeight(st, m.h), head, body, foot)
}

// Close cancels the loads still out (common.Closer); a write goes on.
func (m *Watchers) Close() { m.c.Cancel(m.owner) }
