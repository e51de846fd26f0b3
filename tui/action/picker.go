package action

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// item is one entry of a picker.
type item struct {
	label  string      // shown and matched by the filter
	detail string      // shown after the label ("→ In Progress", an e-mail)
	color  color.Color // the detail's colour; nil is muted
	match  string      // extra text the filter matches (the detail by default)
}

// picker is a filterable list: typed text narrows it, the arrows move in
// it. The filter keeps Jira's order (a transition list's order is the
// workflow's), matching every word of the filter anywhere in the entry,
// case-insensitively: predictable for a dozen entries.
type picker struct {
	input    textinput.Model
	items    []item
	shown    []int // indices into items that pass the filter
	cursor   int   // index into shown
	offset   int   // first shown row drawn
	numbered bool  // draw 1-9 before the first entries
}

func newPicker(st common.Styles, placeholder string) picker {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = placeholder
	restyleInput(&in, st)
	in.Focus()
	return picker{input: in}
}

// restyleInput applies the shared styles to an input, with a cursor that
// does not blink (no timer runs while an overlay waits for a key).
func restyleInput(in *textinput.Model, st common.Styles) {
	s := st.TextInput()
	s.Focused.Prompt = st.Title
	s.Focused.Text = st.Text
	s.Focused.Placeholder = st.Muted
	s.Blurred = s.Focused
	s.Blurred.Prompt = st.Muted
	s.Cursor.Blink = false
	in.SetStyles(s)
}

// setItems replaces the entries, keeping the highlight on the same label
// when it is still there.
func (p *picker) setItems(items []item) {
	cur := ""
	if i := p.selected(); i >= 0 {
		cur = p.items[i].label
	}
	p.items = items
	p.refilter()
	for n, i := range p.shown {
		if p.items[i].label == cur {
			p.cursor = n
		}
	}
}

// refilter recomputes the shown entries for the filter text.
func (p *picker) refilter() {
	words := strings.Fields(strings.ToLower(p.input.Value()))
	p.shown = p.shown[:0]
	for i, it := range p.items {
		hay := strings.ToLower(it.label + " " + it.detail + " " + it.match)
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor, p.offset = 0, 0
}

// update hands msg to the filter input and refilters when the text changed.
func (p *picker) update(msg tea.Msg) tea.Cmd {
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.refilter()
	}
	return cmd
}

// filter is the typed filter text.
func (p picker) filter() string { return p.input.Value() }

// move moves the highlight by d, stopping at the ends.
func (p *picker) move(d int) {
	if len(p.shown) == 0 {
		return
	}
	p.cursor = max(0, min(len(p.shown)-1, p.cursor+d))
}

// selected is the highlighted entry's index into items, or -1.
func (p picker) selected() int {
	if p.cursor < 0 || p.cursor >= len(p.shown) {
		return -1
	}
	return p.shown[p.cursor]
}

// nth is the index into items of the n-th shown entry (1-based), or -1.
func (p picker) nth(n int) int {
	if n < 1 || n > len(p.shown) {
		return -1
	}
	return p.shown[n-1]
}

// view draws the filter line and up to rows entries in width cells.
func (p *picker) view(st common.Styles, width, rows int) string {
	rows = max(rows, 1)
	p.input.SetWidth(max(width-3, 1))
	lines := []string{p.input.View()}
	if len(p.shown) == 0 {
		msg := "nothing matches"
		if len(p.items) == 0 {
			msg = "nothing to choose from"
		}
		return strings.Join(append(lines, st.Muted.Render("  "+msg)), "\n")
	}
	if len(p.shown) > rows && rows > 1 {
		rows-- // room for the "… more" line
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(0, min(p.offset, len(p.shown)-rows))
	labelW := 0
	for _, i := range p.shown {
		labelW = max(labelW, lipgloss.Width(p.items[i].label))
	}
	prefix := 2
	if p.numbered {
		prefix = 4
	}
	labelW = min(labelW, max(width*3/5-prefix, 8))
	end := min(len(p.shown), p.offset+rows)
	for n := p.offset; n < end; n++ {
		it := p.items[p.shown[n]]
		mark := "  "
		if n == p.cursor {
			mark = "▸ "
		}
		num := ""
		if p.numbered {
			num = "  "
			if p.input.Value() == "" && n < 9 {
				num = strconv.Itoa(n+1) + " "
			}
		}
		label := ansi.Truncate(it.label, labelW, "…")
		label += strings.Repeat(" ", labelW-lipgloss.Width(label))
		detailW := width - prefix - labelW - 2
		detail := ""
		if it.detail != "" && detailW > 0 {
			detail = ansi.Truncate(it.detail, detailW, "…")
		}
		var line string
		if n == p.cursor {
			plain := mark + num + label + "  " + detail
			plain += strings.Repeat(" ", max(0, width-lipgloss.Width(plain)))
			line = st.Selected.Render(plain)
		} else {
			ds := st.Muted
			if it.color != nil {
				ds = lipgloss.NewStyle().Foreground(it.color)
			}
			line = mark + st.Muted.Render(num) + st.Text.Render(label) + "  " + ds.Render(detail)
		}
		lines = append(lines, line)
	}
	if more := len(p.shown) - end + p.offset; more > 0 {
		lines = append(lines, st.Muted.Render("  … "+strconv.Itoa(more)+" more (↑↓ or type to filter)"))
	}
	return strings.Join(lines, "\n")
}
