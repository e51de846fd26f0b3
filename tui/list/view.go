package list

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/detail"
)

// WideWidth is the width from which the preview sits right of the list
// instead of below it.
const WideWidth = 140

// previewRight reports where the preview goes at the current width.
func (m Model) previewRight() bool { return m.width >= WideWidth }

// chrome is how many lines above the rows are taken (tabs, prompt, filter,
// column header).
func (m Model) chrome() int {
	n := 2 // tabs, header
	if m.promptOpen && m.prompt != nil {
		n += m.prompt.Height()
	}
	if m.filterTyping || m.filterIn.Value() != "" {
		n++
	}
	return n
}

// previewHeight is the preview's height when it sits below.
func (m Model) previewHeight() int { return max(6, m.height*2/5) }

// listRows is how many issue rows fit.
func (m Model) listRows() int {
	h := m.height - m.chrome()
	if m.preview && !m.previewRight() {
		h -= m.previewHeight() + 1
	}
	return max(1, h)
}

// listWidth is the width of the table.
func (m Model) listWidth() int {
	if m.preview && m.previewRight() {
		return m.width - m.width*2/5 - 1
	}
	return m.width
}

// previewWidth is the preview pane's width.
func (m Model) previewWidth() int {
	if m.previewRight() {
		return m.width - m.listWidth() - 2
	}
	return m.width
}

// View draws the list in exactly its height. It only touches the rows it
// draws.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lw := m.listWidth()
	var b strings.Builder
	b.Grow(m.width * (m.height + 1) * 2)
	lines := 0
	put := func(s string) {
		if lines > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
		lines++
	}
	put(m.tabsLine(m.width))
	if m.promptOpen && m.prompt != nil {
		for _, l := range strings.Split(m.prompt.View(), "\n") {
			put(ansi.Truncate(l, m.width, ""))
		}
	}
	if m.filterTyping || m.filterIn.Value() != "" {
		put(ansi.Truncate(m.filterIn.View(), m.width, ""))
	}
	body := m.body(lw, m.listRows()+1)
	if m.preview && m.previewRight() {
		pw := m.width - lw - 2
		pv := m.previewView(pw, len(body))
		div := m.c.Styles.Muted.Render("│") + " "
		for i, l := range body {
			var p string
			if i < len(pv) {
				p = pv[i]
			}
			put(l + div + p)
		}
	} else {
		for _, l := range body {
			put(l)
		}
		if m.preview {
			put(m.c.Styles.Muted.Render(strings.Repeat("─", m.width)))
			for _, l := range m.previewView(m.width, m.previewHeight()) {
				put(l)
			}
		}
	}
	for lines < m.height {
		put("")
	}
	return b.String()
}

// body is the header and rows (or the state in their place) as n lines of
// width w.
func (m Model) body(w, n int) []string {
	st := m.c.Styles
	out := make([]string, 0, n)
	switch {
	case m.state == stateLoading && len(m.issues) == 0:
		out = append(out, cell("", w), st.Muted.Render(cell("  Loading issues…", w)), st.Muted.Render(cell("  "+m.pendingJQL, w)))
	case m.state == stateError:
		out = append(out, cell("", w),
			st.Error.Render(cell("  Could not load issues", w)),
			st.Text.Render(cell("  "+errorText(m.err), w)),
			cell("", w),
			st.Muted.Render(cell("  r retry · : edit the JQL · tab another query", w)))
	case m.rowCount() == 0:
		msg := "  No issues match this query."
		if m.matches != nil {
			msg = "  No loaded issue matches the filter (esc clears it)."
		}
		out = append(out, cell("", w), st.Text.Render(cell(msg, w)), st.Muted.Render(cell("  "+m.query, w)))
	default:
		l := layoutFor(m.widths, w)
		out = append(out, m.header(l, w))
		end := min(m.rowCount(), m.offset+n-1)
		for i := m.offset; i < end; i++ {
			out = append(out, m.row(l, i, w))
		}
	}
	for len(out) < n {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}

func (m Model) header(l layout, w int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markW))
	for i, c := range l.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c == colUpdated {
			b.WriteString(rightCell("Upd", l.widths[c]))
			continue
		}
		b.WriteString(cell(colTitles[c], l.widths[c]))
	}
	return m.c.Styles.Header.Render(cell(b.String(), w))
}

// row draws row i. The highlighted row is drawn plain inside the selection
// style, since inner colours would cut the selection's background.
func (m Model) row(l layout, i, w int) string {
	st := m.c.Styles
	is := m.rowAt(i) // the row itself: no Issue is built per drawn row
	cur := i == m.cursor
	var b strings.Builder
	b.Grow(w + 64)
	// The mark column says "highlighted" and "selected" in characters, not
	// only colours, so it reads on any terminal.
	switch {
	case cur && m.selected[is.Key]:
		b.WriteString("▌●")
	case cur:
		b.WriteString("▌ ")
	case m.selected[is.Key]:
		b.WriteString(m.paint.marked.on(" ●"))
	default:
		b.WriteString("  ")
	}
	now := m.c.Clock()
	for j, c := range l.cols {
		if j > 0 {
			b.WriteByte(' ')
		}
		cw := l.widths[c]
		var v string
		switch c {
		case colKey:
			v = cell(is.Key, cw)
			if !cur {
				v = m.paint.key.on(v)
			}
		case colType:
			v = cell(is.Type.Name, cw)
			if !cur {
				v = m.paint.muted.on(v)
			}
		case colPrio:
			p := ""
			if is.Priority != nil {
				p = is.Priority.Name
			}
			v = cell(p, cw)
			if !cur {
				v = m.paint.muted.on(v)
			}
		case colStatus:
			v = cell(is.Status.Name, cw)
			if !cur {
				v = m.paint.status(is.Status.Category).on(v)
			}
		case colAssignee:
			v = cell(assigneeName(is.Assignee), cw)
			if !cur && is.Assignee == nil {
				v = m.paint.muted.on(v)
			}
		case colSummary:
			v = cell(is.Summary, cw)
			if !cur {
				v = m.paint.txt.on(v)
			}
		case colUpdated:
			v = rightCell(Relative(now, is.Updated), cw)
			if !cur {
				v = m.paint.muted.on(v)
			}
		}
		b.WriteString(v)
	}
	s := b.String()
	if cur {
		return st.Selected.Render(cell(s, w))
	}
	return s
}

// tabsLine is the tabs on the left and the counts on the right.
func (m Model) tabsLine(w int) string {
	st := m.c.Styles
	var right []string
	if n := len(m.selected); n > 0 {
		right = append(right, st.Marked.Render(strconv.Itoa(n)+" selected"))
	}
	if m.anchor >= 0 {
		right = append(right, st.Marked.Render("V range"))
	}
	if c := m.countText(); c != "" {
		right = append(right, st.Muted.Render(c))
	}
	r := strings.Join(right, st.Muted.Render(" · "))
	rw := lipgloss.Width(r)
	var tabs strings.Builder
	for i, t := range m.tabs {
		name := clean(t.Name) // filter names come from Jira
		if t.Filter {
			name = "★ " + name
		}
		if i < 9 {
			name = strconv.Itoa(i+1) + " " + name
		}
		if i == m.active {
			tabs.WriteString(st.ActiveTab.Render(name))
		} else {
			tabs.WriteString(st.Tab.Render(name))
		}
	}
	l := tabs.String()
	avail := w - rw - 1
	if avail < 1 {
		return ansi.Truncate(r, w, "")
	}
	l = ansi.Truncate(l, avail, "…")
	pad := w - lipgloss.Width(l) - rw
	return l + strings.Repeat(" ", max(0, pad)) + r
}

// countText is "12 of 345", "12 of ~345", "50+" or "3 / 50 loaded".
func (m Model) countText() string {
	if m.state != stateReady {
		return ""
	}
	loaded := len(m.issues)
	if m.matches != nil {
		return strconv.Itoa(len(m.matches)) + " / " + strconv.Itoa(loaded) + " loaded"
	}
	n, approx := m.Total()
	pos := ""
	if loaded > 0 {
		pos = strconv.Itoa(m.cursor+1) + "/"
	}
	switch {
	case m.last:
		return pos + strconv.Itoa(loaded)
	case n >= 0 && approx:
		return pos + strconv.Itoa(loaded) + " of ~" + strconv.Itoa(n)
	case n >= 0:
		return pos + strconv.Itoa(loaded) + " of " + strconv.Itoa(n)
	}
	return pos + strconv.Itoa(loaded) + "+"
}

// previewView is the highlighted issue's preview in w x h, as h lines.
func (m Model) previewView(w, h int) []string {
	out := make([]string, 0, h)
	is := m.Current()
	if is != nil && w > 0 && h > 0 {
		if full := m.Cached(is.Key); full != nil {
			is = full
		}
		s := detail.Preview(m.c, is, w, h, m.previewOffset)
		for _, l := range strings.Split(s, "\n") {
			if len(out) == h {
				break
			}
			out = append(out, styledCell(l, w))
		}
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", max(0, w)))
	}
	return out
}
