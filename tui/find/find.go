// Package find is the search over everything the user has seen (ctrl+f):
// an overlay that searches the summaries, descriptions and comments of
// every issue in the profile's persistent cache as the user types, offline
// as well, through the store (store.Find). Enter opens the highlighted
// issue.
package find

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// owner names the overlay's searches in the store: a new keystroke
// cancels the search before it.
const owner = "find"

// Keys are the overlay's bindings.
type Keys struct {
	Up, Down, Open, Close key.Binding
}

// ShortHelp is the one-line help.
func (k Keys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Open, k.Close} }

// FullHelp is the help screen's columns.
func (k Keys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// NewKeys returns the overlay's bindings.
func NewKeys(km *keys.Map) Keys {
	return Keys{
		Up:    km.Binding("find.up"),
		Down:  km.Binding("find.down"),
		Open:  km.Binding("find.open"),
		Close: km.Binding("find.close"),
	}
}

// Model is the search overlay.
type Model struct {
	c      *common.Common
	km     Keys
	in     textinput.Model
	hits   []cache.Hit
	text   string // the text the hits answer
	err    error
	cursor int
	w, h   int
}

// New returns the overlay, its input focused.
func New(c *common.Common) *Model {
	in := textinput.New()
	in.Prompt = "search seen issues: "
	in.Placeholder = "words from a summary, description or comment"
	in.Focus()
	return &Model{c: c, km: NewKeys(c.Keys), in: in}
}

// Init starts the cursor blinking.
func (m *Model) Init() tea.Cmd { return textinput.Blink }

// SetSize sets the area the overlay is drawn over.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.in.SetWidth(max(10, m.width()-lipgloss.Width(m.in.Prompt)-4))
}

// InputFocused: the overlay is a text input; printable keys are text.
func (m *Model) InputFocused() bool { return true }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Model) KeyView() string { return "find" }

// KeyMap is the overlay's help.
func (m *Model) KeyMap() help.KeyMap { return m.km }

// Hits are the issues found for the text typed.
func (m *Model) Hits() []cache.Hit { return m.hits }

func (m *Model) width() int { return max(20, min(m.w-4, 100)) }

// Update handles keys, typing and the store's answers.
func (m *Model) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case store.FoundMsg:
		if msg.Owner != owner || msg.Text != m.in.Value() {
			return m, nil // an older keystroke's answer
		}
		m.hits, m.text, m.err = msg.Hits, msg.Text, msg.Err
		m.cursor = min(m.cursor, max(0, len(m.hits)-1))
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.km.Close):
			m.c.Issues.Cancel(owner)
			return m, common.CloseOverlay
		case key.Matches(msg, m.km.Up):
			m.cursor = max(0, m.cursor-1)
			return m, nil
		case key.Matches(msg, m.km.Down):
			m.cursor = min(max(0, len(m.hits)-1), m.cursor+1)
			return m, nil
		case key.Matches(msg, m.km.Open):
			if m.cursor >= len(m.hits) {
				return m, nil
			}
			k := m.hits[m.cursor].Key
			m.c.Issues.Cancel(owner)
			return m, tea.Sequence(common.CloseOverlay, func() tea.Msg { return list.OpenMsg{Key: k} })
		}
	}
	before := m.in.Value()
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	if v := m.in.Value(); v != before {
		m.cursor = 0
		if strings.TrimSpace(v) == "" {
			m.c.Issues.Cancel(owner)
			m.hits, m.text, m.err = nil, v, nil
			return m, cmd
		}
		return m, tea.Batch(cmd, m.c.Issues.Find(owner, v))
	}
	return m, cmd
}

// View draws the input and the hits.
func (m *Model) View() string {
	st := m.c.Styles
	w := m.width()
	rows := max(3, min(m.h-6, 15))
	var b strings.Builder
	b.WriteString(m.in.View())
	b.WriteString("\n")
	switch {
	case m.err != nil:
		b.WriteString(st.Error.Render(ansi.Truncate(store.Describe(m.err), w, "…")))
	case m.c.Issues.Cache() == nil:
		b.WriteString(st.Muted.Render("no issue cache in this session (--no-cache, or the demo): nothing to search"))
	case strings.TrimSpace(m.in.Value()) == "":
		b.WriteString(st.Muted.Render("every issue you have seen, offline too"))
	case m.text == m.in.Value() && len(m.hits) == 0:
		b.WriteString(st.Muted.Render("no issue you have seen matches"))
	}
	first := max(0, m.cursor-rows+1)
	for i := first; i < len(m.hits) && i < first+rows; i++ {
		h := m.hits[i]
		line := st.Key.Render(safetext.Line(h.Key)) + " " + safetext.Line(h.Summary)
		line = ansi.Truncate(line, w, "…")
		if i == m.cursor {
			line = st.Selected.Render(ansi.Strip(line) + strings.Repeat(" ", max(0, w-ansi.StringWidth(line))))
		}
		b.WriteString("\n" + line)
	}
	return st.Dialog.Width(w + 4).Render(b.String())
}
