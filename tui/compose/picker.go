package compose

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// pickItem is one choice of a picker.
type pickItem struct {
	id, label, detail string
}

// picker is a list to choose one item from, narrowed by typing.
type picker struct {
	title  string
	items  []pickItem
	filter textinput.Model
	shown  []int // indexes into items matching the filter
	cur    int   // index into shown
	km     pickerKeys
}

func newPicker(c *common.Common, title string, items []pickItem, selected string) picker {
	p := picker{title: title, items: items, filter: newInput(c, "type to filter"), km: newPickerKeys(c.Keys)}
	// Without a width the input shows one character of its placeholder.
	p.filter.SetWidth(32)
	p.filter.Focus()
	p.refilter()
	for i, ix := range p.shown {
		if items[ix].id == selected {
			p.cur = i
		}
	}
	return p
}

func (p *picker) refilter() {
	q := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	p.shown = p.shown[:0]
	for i, it := range p.items {
		if q == "" || strings.Contains(strings.ToLower(it.label), q) || strings.Contains(strings.ToLower(it.detail), q) {
			p.shown = append(p.shown, i)
		}
	}
	p.cur = min(p.cur, max(len(p.shown)-1, 0))
}

// key handles a key: chosen is the item picked with enter, back is esc;
// cmd is the filter input's own (ctrl+v reads the clipboard in one).
func (p *picker) key(msg tea.KeyPressMsg) (chosen *pickItem, back bool, cmd tea.Cmd) {
	switch {
	case key.Matches(msg, p.km.Back):
		return nil, true, nil
	case key.Matches(msg, p.km.Up):
		if len(p.shown) > 0 {
			p.cur = (p.cur + len(p.shown) - 1) % len(p.shown)
		}
		return nil, false, nil
	case key.Matches(msg, p.km.Down):
		if len(p.shown) > 0 {
			p.cur = (p.cur + 1) % len(p.shown)
		}
		return nil, false, nil
	case key.Matches(msg, p.km.Choose):
		if len(p.shown) == 0 {
			return nil, false, nil
		}
		it := p.items[p.shown[p.cur]]
		return &it, false, nil
	}
	before := p.filter.Value()
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() != before {
		p.cur = 0 // the best match of the new filter
		p.refilter()
	}
	return nil, false, cmd
}

// view draws at most height lines.
func (p *picker) view(s common.Styles, width, height int) string {
	lines := []string{s.Bold.Render(p.title), s.Muted.Render("filter: ") + p.filter.View()}
	room := max(height-len(lines), 1)
	start := 0
	if p.cur >= room {
		start = p.cur - room + 1
	}
	if len(p.shown) == 0 {
		lines = append(lines, s.Muted.Render("  nothing matches"))
	}
	for i := start; i < len(p.shown) && i < start+room; i++ {
		it := p.items[p.shown[i]]
		row := it.label
		if it.detail != "" {
			row += "  " + s.Muted.Render(it.detail)
		}
		if i == p.cur {
			lines = append(lines, s.Selected.Render(truncate("› "+it.label, width))+truncate(detailSuffix(s, it), max(width-len(it.label)-2, 0)))
		} else {
			lines = append(lines, truncate("  "+row, width))
		}
	}
	return strings.Join(lines, "\n")
}

func detailSuffix(s common.Styles, it pickItem) string {
	if it.detail == "" {
		return ""
	}
	return "  " + s.Muted.Render(it.detail)
}
