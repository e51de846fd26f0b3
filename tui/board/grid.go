package board

import (
	"strings"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// cardH is a card's height in lines: key line, summary, assignee, gap.
const cardH = 4

// column is a board column as shown: its name, the statuses mapped to it,
// how many issues it holds (before the quick filters: a WIP limit counts
// every issue) and whether that breaks a limit.
type column struct {
	name        string
	statuses    []string
	count       int
	over, under bool
	min, max    int
}

// lane is a swimlane: per column, its cards' keys in rank order.
type lane struct {
	name string
	cols [][]string
	rows int // the tallest column, in cards
	y    int // the first grid line (its header when lanes are shown)
}

// grid is the board laid out: computed by regroup when the data or a
// filter changes, read by View and the cursor.
type grid struct {
	cols  []column
	lanes []lane
	flat  [][]string // per column, every card in lane order (the cursor's)
	lines int        // grid lines in all
	shown int        // cards after the quick filters
}

// headerLines is how many lines a lane's header takes.
func (m Model) headerLines() int {
	if m.lanes == LanesNone {
		return 0
	}
	return 1
}

// regroup lays the loaded issues out in columns and lanes, keeping the
// cursor on its card when the card is still there.
func (m *Model) regroup() {
	var g grid
	switch {
	case m.mode == ModeBacklog && m.board.Type == jiraclient.BoardScrum:
		g.cols = []column{{name: "Backlog"}}
	case m.cfg != nil:
		for _, c := range m.cfg.Columns {
			g.cols = append(g.cols, column{name: c.Name, statuses: c.StatusIDs, min: c.Min, max: c.Max})
		}
	}
	colOf := func(is jiraclient.Issue) int {
		if m.mode == ModeBacklog {
			return 0
		}
		if m.cfg == nil {
			return -1
		}
		return m.cfg.ColumnOf(is.Status.ID)
	}
	laneIdx := map[string]int{}
	var lanes []lane
	var last *lane // "Unassigned" / "No epic", kept for the end
	filter := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	for _, k := range m.keys {
		is, ok := m.issue(k)
		if !ok {
			continue
		}
		ci := colOf(is)
		if ci < 0 || ci >= len(g.cols) {
			continue // a status no column maps: the board does not show it
		}
		g.cols[ci].count++
		if m.mine && !m.isMine(is) || filter != "" && !matches(is, filter) {
			continue
		}
		g.shown++
		id, name := m.laneOf(is)
		var l *lane
		switch {
		case id == "":
			if last == nil {
				last = &lane{name: name, cols: make([][]string, len(g.cols))}
			}
			l = last
		default:
			i, ok := laneIdx[id]
			if !ok {
				i = len(lanes)
				laneIdx[id] = i
				lanes = append(lanes, lane{name: name, cols: make([][]string, len(g.cols))})
			}
			l = &lanes[i]
		}
		l.cols[ci] = append(l.cols[ci], k)
	}
	if last != nil {
		lanes = append(lanes, *last)
	}
	if len(lanes) == 0 {
		lanes = []lane{{cols: make([][]string, len(g.cols))}}
	}
	if m.cfg != nil && m.mode == ModeBoard {
		for i := range g.cols {
			g.cols[i].over, g.cols[i].under = m.cfg.OverLimit(i, g.cols[i].count)
		}
	}
	g.flat = make([][]string, len(g.cols))
	y := 0
	for i := range lanes {
		l := &lanes[i]
		l.y = y
		for ci, keys := range l.cols {
			l.rows = max(l.rows, len(keys))
			g.flat[ci] = append(g.flat[ci], keys...)
		}
		y += m.headerLines() + max(1, l.rows)*cardH
	}
	g.lanes, g.lines = lanes, y
	m.grid = g
	m.place()
}

// place puts the cursor back on its card (or as near as it can).
func (m *Model) place() {
	g := &m.grid
	if len(g.cols) == 0 {
		m.col, m.row, m.cur = 0, 0, ""
		return
	}
	if m.cur != "" {
		for ci, keys := range g.flat {
			for ri, k := range keys {
				if k == m.cur {
					m.col, m.row = ci, ri
					m.scroll()
					return
				}
			}
		}
	}
	m.col = min(max(0, m.col), len(g.cols)-1)
	m.setRow(m.row)
}

// setRow highlights card r of the current column (clamped).
func (m *Model) setRow(r int) {
	if m.col >= len(m.grid.flat) {
		m.row, m.cur = 0, ""
		return
	}
	keys := m.grid.flat[m.col]
	if len(keys) == 0 {
		m.row, m.cur = 0, ""
		m.scroll()
		return
	}
	m.row = min(max(0, r), len(keys)-1)
	m.cur = keys[m.row]
	m.scroll()
}

// moveCol highlights a card of the column d away, at about the same row.
func (m *Model) moveCol(d int) {
	if len(m.grid.cols) == 0 {
		return
	}
	m.col = min(max(0, m.col+d), len(m.grid.cols)-1)
	m.setRow(m.row)
}

// cardY is the grid line where the highlighted card starts.
func (m Model) cardY() int {
	if m.cur == "" {
		return 0
	}
	for _, l := range m.grid.lanes {
		for i, k := range l.cols[m.col] {
			if k == m.cur {
				return l.y + m.headerLines() + i*cardH
			}
		}
	}
	return 0
}

// colWidth is a column's width and how many columns fit: at least
// minColW wide, so a narrow terminal scrolls the columns sideways.
const minColW = 24

func (m Model) fit() (n, w int) {
	cols := len(m.grid.cols)
	if cols == 0 || m.w <= 0 {
		return 0, 0
	}
	n = max(1, min(cols, (m.w+1)/(minColW+1)))
	return n, (m.w - (n - 1)) / n
}

// scroll keeps the highlighted card on screen, both ways.
func (m *Model) scroll() {
	n, _ := m.fit()
	if n > 0 {
		if m.col < m.xoff {
			m.xoff = m.col
		}
		if m.col >= m.xoff+n {
			m.xoff = m.col - n + 1
		}
		m.xoff = min(max(0, m.xoff), max(0, len(m.grid.cols)-n))
	}
	h := m.gridHeight()
	if h <= 0 {
		return
	}
	y := m.cardY()
	top := y - m.headerLines()
	if m.lanes != LanesNone {
		// Show the card's lane header with it when it fits.
		for _, l := range m.grid.lanes {
			if y >= l.y && y < l.y+m.headerLines()+max(1, l.rows)*cardH && y-l.y < h-cardH {
				top = l.y
			}
		}
	}
	if top < m.yoff {
		m.yoff = top
	}
	if y+cardH > m.yoff+h {
		m.yoff = y + cardH - h
	}
	m.yoff = min(max(0, m.yoff), max(0, m.grid.lines-h))
}

// isMine reports whether the signed-in user is is's assignee.
func (m Model) isMine(is jiraclient.Issue) bool {
	me, a := m.c.Me, is.Assignee
	if me == nil || a == nil {
		return false
	}
	switch {
	case me.AccountID != "" && a.AccountID != "":
		return me.AccountID == a.AccountID
	case me.Name != "" && a.Name != "":
		return me.Name == a.Name
	case me.Key != "" && a.Key != "":
		return me.Key == a.Key
	}
	return false
}

// laneOf is the lane is falls in: an id ("" for the catch-all lane shown
// last) and its header.
func (m Model) laneOf(is jiraclient.Issue) (id, name string) {
	switch m.lanes {
	case LanesAssignee:
		if is.Assignee == nil {
			return "", "Unassigned"
		}
		n := is.Assignee.DisplayName
		if n == "" {
			n = is.Assignee.ID()
		}
		return "u:" + is.Assignee.ID(), safetext.Line(n)
	case LanesEpic:
		if is.Epic == nil {
			return "", "No epic"
		}
		n := is.Epic.Key
		if is.Epic.Summary != "" {
			n += " " + is.Epic.Summary
		}
		return "e:" + is.Epic.Key, safetext.Line(n)
	}
	return "all", ""
}

// matches reports whether the card filter f (lower case) is in the key,
// summary, assignee, status or a label.
func matches(is jiraclient.Issue, f string) bool {
	if strings.Contains(strings.ToLower(is.Key), f) || strings.Contains(strings.ToLower(is.Summary), f) ||
		strings.Contains(strings.ToLower(is.Status.Name), f) {
		return true
	}
	if is.Assignee != nil && strings.Contains(strings.ToLower(is.Assignee.DisplayName), f) {
		return true
	}
	for _, l := range is.Labels {
		if strings.Contains(strings.ToLower(l), f) {
			return true
		}
	}
	return false
}
