// Package jql is the one-line JQL prompt over the issue list: history with
// up/down, and Jira's own error text under the query when Jira refuses it,
// with the typed query kept so the user fixes it instead of retyping it.
//
// The prompt does not run queries. It emits SubmitMsg; the list runs the
// query and either closes the prompt (success) or calls SetError.
package jql

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/help"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// History is the saved JQL history; config.History satisfies it.
// Entries are newest first.
type History interface {
	Entries() []string
	Add(jql string)
	Save() error
}

// SubmitMsg asks the list to run JQL. Sent by the prompt on Enter.
type SubmitMsg struct{ JQL string }

// CancelMsg closes the prompt without running anything. Sent on Esc.
type CancelMsg struct{}

// Model is the prompt.
type Model struct {
	c       *common.Common
	km      keys.Prompt
	in      textinput.Model
	entries []string // history, newest first
	pos     int      // index into entries while browsing; -1 = the draft
	draft   string   // what was typed before browsing history
	err     string
	running bool
	width   int
}

// New returns a prompt holding query, with history (may be nil).
func New(c *common.Common, query string, h History) Model {
	in := textinput.New()
	// No CharLimit: it would cut a long query silently. Update refuses
	// typing and pastes past jiraclient.MaxJQL with a note instead.
	in.CharLimit = 0
	in.Prompt = "JQL ❯ "
	in.Placeholder = "project = ABC AND status = \"In Progress\""
	in.SetValue(query)
	in.CursorEnd()
	in.Focus()
	var entries []string
	if h != nil {
		entries = append(entries, h.Entries()...)
	}
	m := Model{c: c, km: keys.NewPrompt(c.Keys), in: in, entries: entries, pos: -1}
	m.applyStyles()
	return m
}

func (m *Model) applyStyles() {
	st := m.c.Styles
	s := st.TextInput()
	s.Focused.Prompt = st.Title
	s.Focused.Text = st.Text
	s.Focused.Placeholder = st.Muted
	s.Blurred = s.Focused
	m.in.SetStyles(s)
}

// Restyle picks up new styles after a background colour change.
func (m *Model) Restyle() { m.applyStyles() }

// Value is the typed query.
func (m Model) Value() string { return m.in.Value() }

// SetError shows Jira's refusal under the query and ends the running state.
func (m *Model) SetError(msg string) { m.err, m.running = msg, false }

// Err is the error shown, if any.
func (m Model) Err() string { return m.err }

// Running reports whether a submitted query is still out.
func (m Model) Running() bool { return m.running }

// SetSize sets the prompt's width.
func (m *Model) SetSize(w, _ int) {
	m.width = w
	m.in.SetWidth(max(1, w-lipgloss.Width(m.in.Prompt)-1))
}

// KeyMap is the prompt's bindings for help.
func (m Model) KeyMap() keys.Prompt { return m.km }

// Update handles keys and paste.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if p, ok := msg.(tea.PasteMsg); ok && len(m.in.Value())+len(p.Content) > jiraclient.MaxJQL {
		m.err = fmt.Sprintf("not pasted: the query would be %d characters, more than the %d jiffy sends", len(m.in.Value())+len(p.Content), jiraclient.MaxJQL)
		return m, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if ok && k.Text != "" && len(m.in.Value())+len(k.Text) > jiraclient.MaxJQL {
		m.err = fmt.Sprintf("the query has reached %d characters, the most jiffy sends", jiraclient.MaxJQL)
		return m, nil
	}
	if !ok {
		var cmd tea.Cmd
		m.in, cmd = m.in.Update(msg)
		return m, cmd
	}
	switch keys.PromptActionFor(m.km, k) {
	case keys.PromptSubmit:
		q := strings.TrimSpace(m.in.Value())
		if q == "" {
			m.err = "type a JQL query, or esc to go back"
			return m, nil
		}
		if len(q) > jiraclient.MaxJQL {
			m.err = fmt.Sprintf("the query is %d characters, more than the %d jiffy sends: shorten it", len(q), jiraclient.MaxJQL)
			return m, nil
		}
		m.running, m.err = true, ""
		return m, func() tea.Msg { return SubmitMsg{JQL: q} }
	case keys.PromptCancel:
		return m, func() tea.Msg { return CancelMsg{} }
	case keys.PromptPrev: // older
		if m.pos < len(m.entries)-1 {
			if m.pos == -1 {
				m.draft = m.in.Value()
			}
			m.pos++
			m.in.SetValue(m.entries[m.pos])
			m.in.CursorEnd()
		}
		return m, nil
	case keys.PromptNext: // newer, then back to what was typed
		if m.pos >= 0 {
			m.pos--
			if m.pos == -1 {
				m.in.SetValue(m.draft)
			} else {
				m.in.SetValue(m.entries[m.pos])
			}
			m.in.CursorEnd()
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	return m, cmd
}

// View draws the prompt: the input, then the error or a key hint. It is
// always Height() lines. Jira's error is wrapped, never cut: the part
// that names the bad token is often at its end.
func (m Model) View() string {
	st := m.c.Styles
	w := max(1, m.width)
	line := m.in.View()
	var second string
	switch {
	case m.err != "":
		lines := m.errLines()
		for i, l := range lines {
			lines[i] = st.Error.Render(l)
		}
		second = strings.Join(lines, "\n")
	case m.running:
		second = st.Muted.Render("running…")
	default:
		second = help.Short(m.c, m.km, w)
	}
	return line + "\n" + second
}

// maxErrLines bounds the error under the prompt, so a very long answer
// still leaves the list in sight.
const maxErrLines = 8

// errLines is the error wrapped to the prompt's width, the second and later
// lines indented under the text.
func (m Model) errLines() []string {
	w := max(10, m.width)
	text := lipgloss.Wrap(oneLine(m.err), w-2, " ")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if i == 0 {
			lines[i] = "✗ " + l
		} else {
			lines[i] = "  " + l
		}
	}
	if len(lines) > maxErrLines {
		lines = lines[:maxErrLines]
		lines[maxErrLines-1] = ansi.Truncate(lines[maxErrLines-1], w-1, "") + "…"
	}
	return lines
}

// Height is how many lines View takes: the input, and the error's lines
// or the hint.
func (m Model) Height() int {
	if m.err != "" {
		return 1 + len(m.errLines())
	}
	return 2
}

// oneLine puts Jira's message on one line, with no control characters
// reaching the terminal.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			return ' '
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return -1 // bidi overrides would reorder the screen
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Join(strings.Fields(s), " ")
}
