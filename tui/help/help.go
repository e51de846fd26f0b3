// Package help draws jiffy's help screen: the full key list of whatever view
// has the focus, built from that view's help.KeyMap so it never drifts from
// the bindings that actually work.
package help

import (
	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// Model is the help screen.
type Model struct {
	c     *common.Common
	h     bhelp.Model
	title string
	km    bhelp.KeyMap
}

// New returns a help screen.
func New(c *common.Common) Model {
	m := Model{c: c, h: bhelp.New()}
	m.h.ShowAll = true
	return m
}

// Show sets whose keys are listed and the title over them.
func (m *Model) Show(title string, km bhelp.KeyMap) {
	m.title, m.km = title, km
}

// KeyMap is the help screen's own bindings (how to close it).
func (m Model) KeyMap() bhelp.KeyMap { return keys.NewHelp() }

// View draws the focused view's keys in a box centred in w x h.
func (m Model) View(w, h int) string {
	st := m.c.Styles
	m.h.Styles = stylesFrom(st)
	frameW, _ := st.Dialog.GetFrameSize()
	m.h.SetWidth(max(10, w-frameW))
	body := ""
	if m.km != nil {
		body = m.columns(m.km.FullHelp(), max(10, w-frameW))
	}
	title := st.Title.Render(m.title)
	foot := st.Muted.Render("? or esc closes this help")
	box := st.Dialog.MaxWidth(w).MaxHeight(max(1, h)).Render(lipgloss.JoinVertical(lipgloss.Left, title, "", body, "", foot))
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
