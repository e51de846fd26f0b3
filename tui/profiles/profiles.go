// Package profiles is the profile picker (P): the Jira sites and users
// jiffy knows (the config's profiles, the credentials of the environment,
// or the demo's two flavours), drawn over the current view. Picking one
// sends PickedMsg; the root then opens the profile (its keyring item, its
// cache, its queries and drafts) in a command and switches to it without
// a restart (see tui.Options.OpenProfile).
package profiles

import (
	"net/url"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// Entry is one profile the picker offers.
type Entry struct {
	// Name is the profile's name in the config file; "" for the
	// environment's credentials and the demo.
	Name string
	// Env: the credentials come from JIRA_URL, JIRA_API_TOKEN (and
	// JIRA_EMAIL); EnvVars names the variables set.
	Env     bool
	EnvVars []string
	// Demo is the flavour of a demo profile ("cloud", "datacenter").
	Demo string
	// URL is the site; User the email or username signed in with.
	URL  string
	User string
}

// ID tells entries apart: the environment, a demo flavour, or a profile
// of the config file (whose names are unique).
func (e Entry) ID() string {
	switch {
	case e.Env:
		return "env"
	case e.Demo != "":
		return "demo:" + e.Demo
	}
	return "profile:" + e.Name
}

// Label is the profile's name as the status bar shows it.
func (e Entry) Label() string {
	switch {
	case e.Env:
		return "environment"
	case e.Demo == "datacenter":
		return "demo Data Center"
	case e.Demo != "":
		return "demo Cloud"
	}
	return safetext.Line(e.Name)
}

// Source says where the profile's credential is kept.
func (e Entry) Source() string {
	switch {
	case e.Env:
		vars := e.EnvVars
		if len(vars) == 0 {
			vars = []string{"JIRA_URL", "JIRA_API_TOKEN"}
		}
		return "set in the environment (" + strings.Join(vars, ", ") + ")"
	case e.Demo != "":
		return "built in, nothing leaves this machine"
	}
	return "keyring"
}

// Host is a site URL as the status bar names it: the host and any context
// path, without the scheme.
func Host(site string) string {
	if site == "" {
		return ""
	}
	u, err := url.Parse(site)
	if err != nil || u.Host == "" {
		return safetext.Line(site)
	}
	return safetext.Line(u.Host + strings.TrimRight(u.Path, "/"))
}

// PickedMsg is the user's choice: the root switches to Entry.
type PickedMsg struct{ Entry Entry }

// Keys are the picker's bindings.
type Keys struct {
	Up, Down, Pick, Close key.Binding
}

// ShortHelp is the one-line help.
func (k Keys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Pick, k.Close} }

// FullHelp is the help screen's columns.
func (k Keys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// NewKeys returns the picker's bindings.
func NewKeys(km *keys.Map) Keys {
	return Keys{
		Up:    km.Binding("profiles.up"),
		Down:  km.Binding("profiles.down"),
		Pick:  km.Binding("profiles.pick"),
		Close: km.Binding("profiles.close"),
	}
}

// Model is the picker overlay.
type Model struct {
	c       *common.Common
	km      Keys
	entries []Entry
	current string // the ID of the profile in use
	cursor  int
	w, h    int
}

// New returns the picker over entries, the cursor on current's entry.
func New(c *common.Common, entries []Entry, current Entry) *Model {
	m := &Model{c: c, km: NewKeys(c.Keys), entries: entries, current: current.ID()}
	for i, e := range entries {
		if e.ID() == m.current {
			m.cursor = i
		}
	}
	return m
}

// SetSize sets the area the picker is drawn over.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// InputFocused: the picker has no text input; its letters are keys.
func (m *Model) InputFocused() bool { return false }

// KeyMap is the picker's help.
func (m *Model) KeyMap() help.KeyMap { return m.km }

// Cursor is the highlighted entry's index.
func (m *Model) Cursor() int { return m.cursor }

// Update moves the cursor, picks or closes.
func (m *Model) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, m.km.Close):
		return m, common.CloseOverlay
	case key.Matches(k, m.km.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(k, m.km.Down):
		m.cursor = min(len(m.entries)-1, m.cursor+1)
	case key.Matches(k, m.km.Pick):
		if m.cursor >= len(m.entries) {
			return m, nil
		}
		e := m.entries[m.cursor]
		return m, tea.Sequence(common.CloseOverlay, func() tea.Msg { return PickedMsg{Entry: e} })
	}
	return m, nil
}

func (m *Model) width() int { return max(20, min(m.w-4, 90)) }

// View draws one line per profile: a mark on the one in use, its name,
// its site, its user and where its credential is kept.
func (m *Model) View() string {
	st := m.c.Styles
	w := m.width()
	var b strings.Builder
	b.WriteString(st.Title.Render("Switch profile"))
	if len(m.entries) == 0 {
		b.WriteString("\n" + st.Muted.Render("no profile: log in to add one (jiffy login)"))
	}
	// Columns: the cursor, the mark of the profile in use, name, site,
	// user, where the credential is kept.
	lw, hw, uw := 0, 0, 0
	for _, e := range m.entries {
		lw = max(lw, ansi.StringWidth(e.Label()))
		hw = max(hw, ansi.StringWidth(site(e)))
		uw = max(uw, ansi.StringWidth(safetext.Line(e.User)))
	}
	for i, e := range m.entries {
		cur, mark := "  ", "  "
		if i == m.cursor {
			cur = "› "
		}
		if e.ID() == m.current {
			mark = "● "
		}
		line := cur + mark + pad(e.Label(), lw) + "  " + pad(site(e), hw) + "  " + pad(safetext.Line(e.User), uw) + "  " + e.Source()
		line = ansi.Truncate(line, w, "…")
		if i == m.cursor {
			line = st.Selected.Render(line + strings.Repeat(" ", max(0, w-ansi.StringWidth(line))))
		} else if e.ID() == m.current {
			line = st.Bold.Render(line)
		}
		b.WriteString("\n" + line)
	}
	b.WriteString("\n" + st.Muted.Render(ansi.Truncate("enter switches · the list shows from the profile's cache, then fresh", w, "…")))
	return st.Dialog.Width(w + 4).Render(b.String())
}

// site is the entry's site as the picker shows it.
func site(e Entry) string {
	if e.Demo != "" {
		return "demo"
	}
	return Host(e.URL)
}

func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) }
