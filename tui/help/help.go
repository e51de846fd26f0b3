// Package help draws jiffy's help screen: the keys of whatever has the
// focus, generated from the keymap registry (tui/keys) as it is bound now,
// so help never drifts from the keys that work and shows the user's own
// bindings. Each row gives the keys, what they do and the action's name
// (what the config's [keys] table rebinds). Typing filters the rows; the
// list scrolls when it is taller than the screen.
package help

import (
	"fmt"
	"strconv"
	"strings"

	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// Row is one line of help: keys, what they do, the action's name ("" for
// the user's own commands).
type Row struct {
	Keys, Help, Name string
}

// Section is a titled group of rows: one registry view.
type Section struct {
	Title string
	Rows  []Row
}

// For is help for a registry view as bound in km: the view's own actions,
// then those of the views it lists in With (whole views in their own
// section, single actions together under "Everywhere").
func For(km *keys.Map, view string) []Section {
	var v keys.View
	for _, x := range km.Views() {
		if x.Name == view {
			v = x
		}
	}
	out := []Section{section(km.Title(view), km.Actions(view))}
	var single []keys.Bound
	for _, w := range v.With {
		if name, _, dotted := strings.Cut(w, "."); dotted {
			for _, b := range km.Actions(name) {
				if b.Name == w {
					single = append(single, b)
				}
			}
			continue
		}
		out = append(out, section(km.Title(w), km.Actions(w)))
	}
	if len(single) > 0 {
		out = append(out, section(km.Title("global"), single))
	}
	return out
}

func section(title string, bs []keys.Bound) Section {
	s := Section{Title: title}
	for _, b := range bs {
		label := b.Label
		if label == "" || label == "-" {
			label = keys.Label(b.Keys)
		}
		if len(b.Keys) == 0 {
			label = "(none)"
		}
		s.Rows = append(s.Rows, Row{Keys: label, Help: b.Help, Name: b.Name})
	}
	return s
}

// FromKeyMap is help for a keymap outside the registry's views: its
// enabled bindings, as its FullHelp groups them.
func FromKeyMap(title string, km bhelp.KeyMap) []Section {
	s := Section{Title: title}
	for _, col := range km.FullHelp() {
		for _, b := range col {
			if b.Enabled() && b.Help().Key != "" {
				s.Rows = append(s.Rows, Row{Keys: b.Help().Key, Help: b.Help().Desc})
			}
		}
	}
	return []Section{s}
}

// Commands is a section of bindings that are not jiffy's (the user's
// [[commands]]).
func Commands(title string, bs []key.Binding) Section {
	s := Section{Title: title}
	for _, b := range bs {
		s.Rows = append(s.Rows, Row{Keys: b.Help().Key, Help: b.Help().Desc})
	}
	return s
}

// Model is the help screen. When the key list is taller than the screen
// it scrolls (arrows, pgup/pgdn, home/end) and says which lines are shown,
// so no key is out of reach on a small terminal. Its filter has the
// focus: a key that types a character filters.
type Model struct {
	c        *common.Common
	title    string
	sections []Section
	keys     keys.Help
	filter   textinput.Model
	offset   int // first body line shown
	w, h2    int // the area Update pages by (from SetSize)
	// laid is the last layout of the sections (View draws every frame;
	// the layout changes only with the width, the filter or the colours).
	laid *layout
}

type layout struct {
	w             int
	filter, style string
	lines         []string
}

// New returns a help screen.
func New(c *common.Common) Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "type to filter"
	in.CharLimit = 64
	m := Model{c: c, keys: keys.NewHelp(c.Keys), filter: in}
	return m
}

// Show sets whose keys are listed and the title over them, from the top,
// with an empty filter.
func (m *Model) Show(title string, sections []Section) {
	m.title, m.sections, m.offset, m.laid = title, sections, 0, &layout{}
	m.filter.SetValue("")
	st := m.c.Styles.TextInput()
	st.Cursor.Blink = false
	m.filter.SetStyles(st)
	m.filter.Focus()
}

// SetSize sets the area the help is drawn in, which Update pages by.
func (m *Model) SetSize(w, h int) { m.w, m.h2 = w, h }

// KeyMap is the help screen's own bindings (scrolling, closing).
func (m Model) KeyMap() bhelp.KeyMap { return m.keys }

// Filter is the text typed to filter the rows.
func (m Model) Filter() string { return m.filter.Value() }

// Update scrolls on the help screen's keys and filters on typed text.
// closed says the help is to close: its close key with an empty filter
// (with text in the filter, the close key clears it first).
func (m Model) Update(msg tea.KeyPressMsg) (_ Model, closed bool) {
	body := m.bodyLines(m.w)
	room := m.room(m.h2)
	page := max(1, room-1)
	switch {
	case key.Matches(msg, m.keys.Close):
		if m.filter.Value() == "" {
			return m, true
		}
		m.filter.SetValue("")
		m.offset = 0
		return m, false
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
	default:
		before := m.filter.Value()
		m.filter, _ = m.filter.Update(msg) // no blink: no command to run
		if m.filter.Value() != before {
			m.offset = 0
		}
		return m, false
	}
	m.offset = clamp(m.offset, 0, max(0, len(body)-room))
	return m, false
}

// Offset is the first key-list line shown (for tests).
func (m Model) Offset() int { return m.offset }

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// room is how many body lines fit on an h-high screen: the frame, the
// title, the filter, three blank lines and the foot take the rest.
func (m Model) room(h int) int {
	_, frameH := m.c.Styles.Dialog.GetFrameSize()
	return max(1, h-frameH-6)
}

// shown are the sections with the rows the filter matches (the keys,
// the words or the action's name, any case); empty sections are left out.
func (m Model) shown() []Section {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	if q == "" {
		return m.sections
	}
	var out []Section
	for _, s := range m.sections {
		f := Section{Title: s.Title}
		for _, r := range s.Rows {
			if strings.Contains(strings.ToLower(r.Keys+"\x00"+r.Help+"\x00"+r.Name), q) {
				f.Rows = append(f.Rows, r)
			}
		}
		if len(f.Rows) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// bodyLines are the sections laid out for a w-wide screen (from the last
// layout when nothing it depends on changed).
func (m Model) bodyLines(w int) []string {
	style := fmt.Sprint(m.c.Styles.Palette)
	if l := m.laid; l != nil && l.w == w && l.filter == m.filter.Value() && l.style == style {
		return l.lines
	}
	lines := m.layOut(w)
	if m.laid != nil {
		*m.laid = layout{w: w, filter: m.filter.Value(), style: style, lines: lines}
	}
	return lines
}

func (m Model) layOut(w int) []string {
	frameW, _ := m.c.Styles.Dialog.GetFrameSize()
	inner := max(10, w-frameW)
	secs := m.shown()
	if len(secs) == 0 {
		if len(m.sections) == 0 {
			return nil
		}
		return []string{m.c.Styles.Muted.Render("no key matches “" + m.filter.Value() + "”")}
	}
	blocks := make([]string, len(secs))
	for i, s := range secs {
		blocks[i] = m.block(s, inner)
	}
	return strings.Split(flow(blocks, inner), "\n")
}

// block draws one section: its title, then a row per action with the
// keys, the words and the action's name in aligned columns; on a screen
// too narrow for the names, without them.
func (m Model) block(s Section, w int) string {
	st := m.c.Styles
	kw, hw, nw := 0, 0, 0
	for _, r := range s.Rows {
		kw = max(kw, lipgloss.Width(r.Keys))
		hw = max(hw, lipgloss.Width(r.Help))
		nw = max(nw, lipgloss.Width(r.Name))
	}
	names := kw+2+hw+2+nw <= w
	lines := []string{st.Bold.Render(s.Title)}
	for _, r := range s.Rows {
		line := st.Key.Render(pad(r.Keys, kw)) + "  " + st.Text.Render(pad(r.Help, hw))
		if names && r.Name != "" {
			line += "  " + st.Muted.Render(r.Name)
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lipgloss.NewStyle().MaxWidth(w).Render(strings.Join(lines, "\n"))
}

func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-lipgloss.Width(s))) }

// flow lays blocks side by side while they fit in w, starting a new row
// of blocks (after a blank line) when the next would not.
func flow(blocks []string, w int) string {
	const gap = "   "
	var rows []string
	var group []string
	flush := func() {
		if len(group) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, group...))
			group = nil
		}
	}
	for _, b := range blocks {
		next := b
		if len(group) > 0 {
			next = lipgloss.JoinHorizontal(lipgloss.Top, append(append([]string(nil), group...), gap, b)...)
			if lipgloss.Width(next) > w {
				flush()
			} else {
				group = append(group, gap)
			}
		}
		group = append(group, b)
	}
	flush()
	return strings.Join(rows, "\n\n")
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
	closeKey := m.keys.Close.Help().Key
	closes := "type to filter · " + closeKey + " closes"
	foot := st.Muted.Render(closes + " this help")
	if m.filter.Value() != "" {
		closes = closeKey + " clears the filter"
		foot = st.Muted.Render(closes)
	}
	if total := len(lines); total > room {
		off := clamp(m.offset, 0, total-room)
		lines = lines[off : off+room]
		pos := "lines " + strconv.Itoa(off+1) + "–" + strconv.Itoa(off+room) + " of " + strconv.Itoa(total)
		foot = pos + " · ↑↓ pgup/pgdn scroll · " + closes
		if lipgloss.Width(foot) > inner {
			foot = pos + " · ↑↓ scroll · " + closeKey + " closes"
		}
		if lipgloss.Width(foot) > inner {
			foot = strconv.Itoa(off+1) + "–" + strconv.Itoa(off+room) + "/" + strconv.Itoa(total) + " ↑↓ · " + closeKey
		}
		foot = st.Muted.Render(foot)
	}
	m.filter.SetWidth(max(4, inner-len("Filter: ")-1))
	filter := st.Label.Render("Filter: ") + m.filter.View()
	title := st.Title.Render(m.title)
	box := st.Dialog.MaxWidth(w).MaxHeight(max(1, h)).Render(lipgloss.JoinVertical(lipgloss.Left, title, "", filter, "", strings.Join(lines, "\n"), "", foot))
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
