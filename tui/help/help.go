// Package help draws jiffy's help screen: the full key list of whatever view
// has the focus, built from that view's help.KeyMap so it never drifts from
// the bindings that actually work.
package help

import (
	"strconv"
	"strings"

	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// Model is the help screen. When the key list is taller than the screen
// it scrolls (j/k, arrows, pgup/pgdn, g/G) and says which lines are shown,
// so no key is out of reach on a small terminal.
type Model struct {
	c      *common.Common
	h      bhelp.Model
	title  string
	km     bhelp.KeyMap
	keys   keys.Help
	offset int // first body line shown
	w, h2  int // the area Update pages by (from SetSize)
}

// New returns a help screen.
func New(c *common.Common) Model {
	m := Model{c: c, h: bhelp.New(), keys: keys.NewHelp()}
	m.h.ShowAll = true
	return m
}

// Show sets whose keys are listed and the title over them, from the top.
func (m *Model) Show(title string, km bhelp.KeyMap) {
	m.title, m.km, m.offset = title, km, 0
}

// SetSize sets the area the help is drawn in, which Update pages by.
func (m *Model) SetSize(w, h int) { m.w, m.h2 = w, h }

// KeyMap is the help screen's own bindings (scrolling, closing).
func (m Model) KeyMap() bhelp.KeyMap { return m.keys }

// Update scrolls on the help screen's keys; the root closes it.
func (m Model) Update(msg tea.KeyPressMsg) Model {
	body := m.bodyLines(m.w)
	room := m.room(m.h2)
	page := max(1, room-1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.offset--
	case key.Matches(msg, m.keys.Down):
		m.offset++
	case key.Matches(msg, m.keys.PageUp):
		m.offset -= page
	case key.Matches(msg, m.keys.PageDown):
		m.offset += page
	case key.Matches(msg, m.keys.Top):
		m.offset = 0
	case key.Matches(msg, m.keys.Bottom):
		m.offset = len(body)
	}
	m.offset = clamp(m.offset, 0, max(0, len(body)-room))
	return m
}

// Offset is the first key-list line shown (for tests).
func (m Model) Offset() int { return m.offset }

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// room is how many body lines fit on an h-high screen: the frame, the
// title, two blank lines and the foot take the rest.
func (m Model) room(h int) int {
	_, frameH := m.c.Styles.Dialog.GetFrameSize()
	return max(1, h-frameH-4)
}

// bodyLines are the key columns laid out for a w-wide screen.
func (m Model) bodyLines(w int) []string {
	if m.km == nil {
		return nil
	}
	st := m.c.Styles
	m.h.Styles = stylesFrom(st)
	frameW, _ := st.Dialog.GetFrameSize()
	return strings.Split(m.columns(m.km.FullHelp(), max(10, w-frameW)), "\n")
}

// View draws the focused view's keys in a box centred in w x h. When they
// do not fit, a window of them is shown and the foot says which lines and
// how to scroll.
func (m Model) View(w, h int) string {
	st := m.c.Styles
	frameW, _ := st.Dialog.GetFrameSize()
	inner := max(10, w-frameW)
	lines := m.bodyLines(w)
	room := m.room(h)
	foot := st.Muted.Render("? or esc closes this help")
	if total := len(lines); total > room {
		off := clamp(m.offset, 0, total-room)
		lines = lines[off : off+room]
		pos := "lines " + strconv.Itoa(off+1) + "–" + strconv.Itoa(off+room) + " of " + strconv.Itoa(total)
		foot = pos + " · j/k pgup/pgdn scroll · ? or esc closes"
		if lipgloss.Width(foot) > inner {
			foot = pos + " · j/k scroll · esc closes"
		}
		if lipgloss.Width(foot) > inner {
			foot = strconv.Itoa(off+1) + "–" + strconv.Itoa(off+room) + "/" + strconv.Itoa(total) + " j/k · esc"
		}
		foot = st.Muted.Render(foot)
	}
	title := st.Title.Render(m.title)
	box := st.Dialog.MaxWidth(w).MaxHeight(max(1, h)).Render(lipgloss.JoinVertical(lipgloss.Left, title, "", strings.Join(lines, "\n"), "", foot))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

func stylesFrom(st common.Styles) bhelp.Styles {
	return bhelp.Styles{
		Ellipsis:       st.Muted,
		ShortKey:       st.Key,
		ShortDesc:      st.Muted,
		ShortSeparator: st.Muted,
		FullKey:        st.Key,
		FullDesc:       st.Text,
		FullSeparator:  st.Muted,
	}
}

// Short is the one-line help for a keymap, used under prompts.
func Short(c *common.Common, km bhelp.KeyMap, w int) string {
	h := bhelp.New()
	h.Styles = stylesFrom(c.Styles)
	h.SetWidth(w)
	return h.ShortHelpView(km.ShortHelp())
}

// columns lays help columns side by side, starting a new row of columns
// when the next would not fit in w, so no key is ever cut off.
func (m Model) columns(cols [][]key.Binding, w int) string {
	h := m.h
	h.SetWidth(0)
	var rows []string
	var group [][]key.Binding
	flush := func() {
		if len(group) > 0 {
			rows = append(rows, h.FullHelpView(group))
			group = nil
		}
	}
	for _, col := range cols {
		next := append(append([][]key.Binding(nil), group...), col)
		if len(group) > 0 && lipgloss.Width(h.FullHelpView(next)) > w {
			flush()
			next = [][]key.Binding{col}
		}
		group = next
	}
	flush()
	return lipgloss.JoinVertical(lipgloss.Left, intersperse(rows, "")...)
}

func intersperse(rows []string, sep string) []string {
	out := make([]string, 0, 2*len(rows))
	for i, r := range rows {
		if i > 0 {
			out = append(out, sep)
		}
		out = append(out, r)
	}
	return out
}

// Wrapped is the one-line help of bindings, continued on further lines
// instead of cut when it is wider than w: a dialog's hint must never hide
// its last key (usually how to close it). Disabled bindings, and those
// with no help key (the second of a pair shown as one, "↑↓ scroll"), are
// left out.
func Wrapped(s bhelp.Styles, bindings []key.Binding, w int) string {
	sep := s.ShortSeparator.Inline(true).Render(" • ")
	sepW := lipgloss.Width(sep)
	var lines []string
	var line strings.Builder
	lineW := 0
	for _, kb := range bindings {
		if !kb.Enabled() || kb.Help().Key == "" {
			continue
		}
		item := s.ShortKey.Inline(true).Render(kb.Help().Key) + " " + s.ShortDesc.Inline(true).Render(kb.Help().Desc)
		iw := lipgloss.Width(item)
		if lineW > 0 && lineW+sepW+iw > w {
			lines = append(lines, line.String())
			line.Reset()
			lineW = 0
		}
		if lineW > 0 {
			line.WriteString(sep)
			lineW += sepW
		}
		line.WriteString(item)
		lineW += iw
	}
	if lineW > 0 {
		lines = append(lines, line.String())
	}
	return strings.Join(lines, "\n")
}
