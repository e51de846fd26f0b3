package list

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
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
		// Jira's message is wrapped, not cut: what it names as wrong is
		// often at its end.
		out = append(out, cell("", w), st.Error.Render(cell("  Could not load issues", w)))
		text := lipgloss.Wrap(clean(errorText(m.err)), max(w-4, 10), " ")
		for _, l := range strings.Split(text, "\n") {
			if len(out) >= n-2 {
				break
			}
			out = append(out, st.Text.Render(cell("  "+strings.TrimRight(l, " "), w)))
		}
		out = append(out, cell("", w),
			st.Muted.Render(cell("  r retry · : edit the JQL · tab another query", w)))
	case m.rowCount() == 0:
		msg := "  No issues match this query."
		if m.matches != nil {
			msg = "  No loaded issue matches the filter (esc clears it)."
			if m.loadingMore || m.scanning() {
				msg = "  No issue matches the filter yet: searched " + m.filterProgress() + "."
			}
		}
		out = append(out, cell("", w), st.Text.Render(cell(msg, w)), st.Muted.Render(cell("  "+m.query, w)))
	default:
		l := layoutWith(m.widths, w, m.columns())
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
		b.WriteString(cell(l.title(c), l.widths[c]))
	}
	return m.c.Styles.Header.Render(cell(b.String(), w))
}

// row draws row i. The highlighted row is drawn plain inside the selection
// style, since inner colours would cut the selection's background.
func (m Model) row(l layout, i, w int) string {
	st := m.c.Styles
	is := m.rowAt(i) // the row itself: no Issue is built per drawn row
	cur := i == m.cursor
	marked := m.marked(i, is.Key)
	var b strings.Builder
	b.Grow(w + 64)
	// The mark column says "highlighted" and "selected" in characters, not
	// only colours, so it reads on any terminal.
	// Beside it, what changed since the user last looked: + new, ~ updated
	// (a selection's ● wins).
	change := " "
	switch m.c.Issues.Change(is.Key) {
	case cache.New:
		change = "+"
	case cache.Updated:
		change = "~"
	}
	switch {
	case cur && marked:
		b.WriteString("▌●")
	case cur:
		b.WriteString("▌" + change)
	case marked:
		b.WriteString(m.paint.marked.on(" ●"))
	case change != " ":
		b.WriteString(" " + m.paint.marked.on(change))
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
				v = m.marks(v, m.paint.key)
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
			v = cell(is.Summary(), cw)
			if !cur {
				v = m.marks(v, m.paint.txt)
			}
		case colUpdated:
			v = rightCell(Relative(now, is.Updated), cw)
			if !cur {
				v = m.paint.muted.on(v)
			}
		default: // a configured field column
			v = cell(is.Value(l.extra[c-colExtra].ID).Format(), cw)
			if !cur {
				v = m.paint.txt.on(v)
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

// marked reports whether row i (issue key) shows as selected: selected,
// or inside a V range being drawn (from its anchor to the cursor), which
// V again selects.
func (m Model) marked(i int, key string) bool {
	if m.selected[key] {
		return true
	}
	return m.anchor >= 0 && i >= min(m.anchor, m.cursor) && i <= max(m.anchor, m.cursor)
}

// markedCount is how many issues show as selected, a V range being drawn
// included.
func (m Model) markedCount() int {
	n := len(m.selected)
	if m.anchor >= 0 {
		for i := min(m.anchor, m.cursor); i <= max(m.anchor, m.cursor); i++ {
			if is := m.issueAt(i); is != nil && !m.selected[is.Key] {
				n++
			}
		}
	}
	return n
}

// tabsLine is the tabs on the left and the counts on the right.
func (m Model) tabsLine(w int) string {
	r := m.tabsRight()
	rw := lipgloss.Width(r)
	avail := w - rw - 1
	if avail < 1 {
		return ansi.Truncate(r, w, "")
	}
	l := m.tabStrip(avail)
	pad := w - lipgloss.Width(l) - rw
	return l + strings.Repeat(" ", max(0, pad)) + r
}

// maxTabName bounds one tab's name, so one long filter name cannot push
// every other tab off the line.
const maxTabName = 24

// tabStrip draws the tabs in at most w cells. When they do not all fit, it
// shows the active tab and as many of its neighbours as fit, and says how
// many are hidden on each side ("‹2 more", "3 more›"): tab and shift+tab reach them.
func (m Model) tabStrip(w int) string {
	tw := m.tabWindow(w)
	out := tw.left + strings.Join(tw.cells[tw.lo:tw.hi], "") + tw.right
	return ansi.Truncate(out, w, "…")
}

// tabWin is the part of the tab bar that fits: tabs [lo, hi) drawn as
// cells, between the markers that count the hidden ones.
type tabWin struct {
	cells       []string
	widths      []int
	lo, hi      int
	left, right string
}

// tabWindow chooses which tabs the bar shows in w cells; tabStrip draws it
// and tabSpans maps clicks through it, so the two cannot disagree.
func (m Model) tabWindow(w int) tabWin {
	st := m.c.Styles
	tw := tabWin{cells: make([]string, len(m.tabs)), widths: make([]int, len(m.tabs))}
	total := 0
	for i, t := range m.tabs {
		name := clean(t.Name) // filter names come from Jira
		if t.Filter {
			name = "★ " + name
		}
		name = ansi.Truncate(name, maxTabName, "…")
		if i < 9 {
			name = strconv.Itoa(i+1) + " " + name
		}
		if i == m.active {
			tw.cells[i] = st.ActiveTab.Render(name)
		} else {
			tw.cells[i] = st.Tab.Render(name)
		}
		tw.widths[i] = lipgloss.Width(tw.cells[i])
		total += tw.widths[i]
	}
	if total <= w {
		tw.hi = len(m.tabs)
		return tw
	}
	marker := func(n int, left bool) string {
		if n == 0 {
			return ""
		}
		if left {
			return st.Muted.Render("‹" + strconv.Itoa(n) + " more ")
		}
		return st.Muted.Render(" " + strconv.Itoa(n) + " more›")
	}
	active := max(0, min(m.active, len(m.tabs)-1))
	lo, hi := active, active+1 // the shown tabs are [lo, hi)
	used := tw.widths[active]
	fits := func(lo, hi, used int) bool {
		return used+lipgloss.Width(marker(lo, true))+lipgloss.Width(marker(len(m.tabs)-hi, false)) <= w
	}
	// Grow toward the side with more hidden tabs first, so the active tab
	// keeps neighbours on both sides.
	for {
		grew := false
		for _, right := range []bool{len(m.tabs)-hi >= lo, len(m.tabs)-hi < lo} {
			if right && hi < len(m.tabs) && fits(lo, hi+1, used+tw.widths[hi]) {
				used += tw.widths[hi]
				hi++
				grew = true
			} else if !right && lo > 0 && fits(lo-1, hi, used+tw.widths[lo-1]) {
				lo--
				used += tw.widths[lo]
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	tw.lo, tw.hi = lo, hi
	tw.left, tw.right = marker(lo, true), marker(len(m.tabs)-hi, false)
	return tw
}

// tabsRight is the tab bar's right side: the selection and the counts.
func (m Model) tabsRight() string {
	st := m.c.Styles
	var right []string
	if n := m.markedCount(); n > 0 {
		right = append(right, st.Marked.Render(strconv.Itoa(n)+" selected"))
	}
	if m.anchor >= 0 {
		right = append(right, st.Marked.Render("V range"))
	}
	if c := m.countText(); c != "" {
		right = append(right, st.Muted.Render(c))
	}
	return strings.Join(right, st.Muted.Render(" · "))
}

// tabSpan is the columns [from, to) tab i takes on the tab bar.
type tabSpan struct{ i, from, to int }

// tabSpans are the tabs the bar shows, with their columns, for mouse
// clicks; a hidden tab gets none.
func (m Model) tabSpans() []tabSpan {
	avail := m.width - lipgloss.Width(m.tabsRight()) - 1
	if avail < 1 {
		return nil
	}
	tw := m.tabWindow(avail)
	x := lipgloss.Width(tw.left)
	var out []tabSpan
	for i := tw.lo; i < tw.hi; i++ {
		if x+tw.widths[i] > avail {
			break
		}
		out = append(out, tabSpan{i, x, x + tw.widths[i]})
		x += tw.widths[i]
	}
	return out
}

// countText is "12 of 345", "12 of ~345", "50+" or "3 / 50 loaded".
func (m Model) countText() string {
	if m.state != stateReady {
		return ""
	}
	loaded := len(m.issues)
	if m.matches != nil {
		if m.loadingMore || m.scanning() {
			return thousands(len(m.matches)) + " / searched " + m.filterProgress()
		}
		return thousands(len(m.matches)) + " / " + thousands(loaded) + " loaded"
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
