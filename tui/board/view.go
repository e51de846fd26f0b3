package board

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// topLines is the board's header: title, sprint (or filters) line, column
// headers, rule.
const topLines = 4

func (m Model) gridHeight() int { return m.h - topLines }

// View draws the board: header, then the grid lines on screen only.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(m.titleLine())
	b.WriteString("\n")
	b.WriteString(m.infoLine())
	b.WriteString("\n")
	n, cw := m.fit()
	switch {
	case m.err != nil:
		b.WriteString("\n\n" + st.Error.Render(ansi.Truncate(store.Describe(m.err), m.w, "…")))
		b.WriteString("\n" + st.Muted.Render("r tries again · b picks another board · esc goes back to the list"))
		return b.String()
	case n == 0 && m.loading > 0:
		b.WriteString("\n\n" + st.Muted.Render("loading the board…"))
		return b.String()
	case n == 0:
		b.WriteString("\n\n" + st.Muted.Render(errNoColumns.Error()))
		return b.String()
	}
	first, last := m.xoff, min(len(m.grid.cols), m.xoff+n)
	sep := st.Muted.Render("│")
	heads := make([]string, 0, n)
	for ci := first; ci < last; ci++ {
		heads = append(heads, m.columnHead(ci, cw))
	}
	b.WriteString(strings.Join(heads, sep))
	b.WriteString("\n")
	b.WriteString(st.Muted.Render(strings.Repeat("─", m.w)))
	h := m.gridHeight()
	switch {
	case m.grid.shown == 0 && m.loading > 0:
		b.WriteString("\n" + st.Muted.Render("loading issues…"))
		return b.String()
	case m.noSprint && m.mode == ModeBoard:
		b.WriteString("\n" + st.Muted.Render("no active sprint on this board: S picks a sprint, v shows the backlog"))
		return b.String()
	case m.grid.shown == 0:
		msg := "no issues on this board"
		if m.mine || m.filter.Value() != "" {
			msg = "no card matches the filters (M: only mine, /: filter)"
		}
		b.WriteString("\n" + st.Muted.Render(msg))
		return b.String()
	}
	for y := m.yoff; y < m.yoff+h && y < m.grid.lines; y++ {
		b.WriteString("\n")
		b.WriteString(m.gridLine(y, first, last, cw, sep))
	}
	return b.String()
}

// titleLine names the board and what it shows; ◀ ▶ say that columns are
// off screen.
func (m Model) titleLine() string {
	st := m.c.Styles
	name := safetext.Line(m.board.Name)
	if name == "" {
		name = "board"
	}
	t := st.Title.Render(name) + st.Muted.Render(" ("+m.board.Type+")")
	switch {
	case m.mode == ModeBacklog:
		t += " · " + st.Bold.Render("Backlog")
	case m.sprint != nil:
		t += " · " + st.Bold.Render(safetext.Line(m.sprint.Name))
		if d := sprintDates(*m.sprint); d != "" {
			t += st.Muted.Render(" " + d)
		}
		if m.sprint.State == jiraclient.SprintActive && !m.sprint.End.IsZero() {
			t += " · " + daysLeft(*m.sprint, m.c.Clock())
		}
		if m.sprint.State != jiraclient.SprintActive {
			t += st.Muted.Render(" (" + m.sprint.State + ")")
		}
	}
	if n, _ := m.fit(); n > 0 && n < len(m.grid.cols) {
		arrows := " "
		if m.xoff > 0 {
			arrows += "◀"
		}
		arrows += fmt.Sprintf("%d–%d/%d", m.xoff+1, m.xoff+n, len(m.grid.cols))
		if m.xoff+n < len(m.grid.cols) {
			arrows += "▶"
		}
		t += st.Muted.Render(arrows)
	}
	return ansi.Truncate(t, m.w, "…")
}

// infoLine is the filter being typed, or the sprint's goal and the quick
// filters on.
func (m Model) infoLine() string {
	st := m.c.Styles
	if m.typing {
		return m.filter.View()
	}
	var parts []string
	if m.mode == ModeBoard && m.sprint != nil && m.sprint.Goal != "" {
		parts = append(parts, "Goal: "+safetext.Line(m.sprint.Goal))
	}
	var flags []string
	if m.lanes != LanesNone {
		flags = append(flags, "lanes: "+m.lanes.String())
	}
	if m.mine {
		flags = append(flags, "only mine")
	}
	if f := m.filter.Value(); f != "" {
		flags = append(flags, "filter: "+safetext.Line(f))
	}
	if len(m.selected) > 0 {
		flags = append(flags, strconv.Itoa(len(m.selected))+" selected")
	}
	if m.more {
		flags = append(flags, "first "+strconv.Itoa(maxIssues)+" issues")
	}
	line := strings.Join(parts, " ")
	if len(flags) > 0 {
		if line != "" {
			line += "  "
		}
		line += st.Warning.Render("[" + strings.Join(flags, " · ") + "]")
	}
	return ansi.Truncate(line, m.w, "…")
}

// columnHead is a column's name, count and WIP limits; a broken limit is
// marked (and coloured).
func (m Model) columnHead(ci, w int) string {
	st := m.c.Styles
	c := m.grid.cols[ci]
	count := strconv.Itoa(c.count)
	limit := ""
	switch {
	case c.max > 0 && c.min > 0:
		limit = fmt.Sprintf(" min %d max %d", c.min, c.max)
	case c.max > 0:
		limit = fmt.Sprintf(" max %d", c.max)
	case c.min > 0:
		limit = fmt.Sprintf(" min %d", c.min)
	}
	switch {
	case c.over:
		limit = " ▲ over" + limit
	case c.under:
		limit = " ▼ under" + limit
	}
	name := safetext.Line(c.name)
	text := ansi.Truncate(name+" "+count+limit, w, "…")
	style := st.Header
	if c.over || c.under {
		style = st.Error.Bold(true)
	}
	if ci == m.col {
		style = style.Underline(true)
	}
	return pad(style.Render(text), w)
}

// gridLine draws grid line y for columns first..last-1.
func (m Model) gridLine(y, first, last, cw int, sep string) string {
	st := m.c.Styles
	for _, l := range m.grid.lanes {
		end := l.y + m.headerLines() + max(1, l.rows)*cardH
		if y < l.y || y >= end {
			continue
		}
		if y < l.y+m.headerLines() {
			n := 0
			for _, keys := range l.cols {
				n += len(keys)
			}
			head := "▸ " + l.name + " (" + strconv.Itoa(n) + ")"
			return ansi.Truncate(st.Label.Render(head), m.w, "…")
		}
		off := y - l.y - m.headerLines()
		idx, part := off/cardH, off%cardH
		cells := make([]string, 0, last-first)
		for ci := first; ci < last; ci++ {
			cell := blank(cw)
			if idx < len(l.cols[ci]) && part < cardH-1 {
				cell = m.cardLine(l.cols[ci][idx], part, cw, ci == m.col)
			}
			cells = append(cells, cell)
		}
		return strings.Join(cells, sep)
	}
	return ""
}

// cardLine is line part of key's card: key, priority and estimate; the
// summary; the assignee; a gap. A card's lines are drawn once per layout
// and width (the cache is emptied by regroup, which every change to the
// issues runs), so a frame mostly copies strings.
func (m Model) cardLine(key string, part, w int, curCol bool) string {
	if part >= cardH-1 {
		return ""
	}
	lines, ok := m.cards[key]
	if !ok || lines.w != w {
		lines = m.drawCard(key, w)
		if m.cards != nil {
			m.cards[key] = lines
		}
	}
	s := lines.l[part]
	if curCol && key == m.cur {
		plain := ansi.Strip(s)
		return m.c.Styles.Selected.Render(plain + strings.Repeat(" ", max(0, w-ansi.StringWidth(plain))))
	}
	return s
}

// card is a card's drawn lines for a width.
type card struct {
	w int
	l [cardH - 1]string
}

func (m Model) drawCard(key string, w int) card {
	st := m.c.Styles
	out := card{w: w}
	is, ok := m.issue(key)
	if !ok {
		return out
	}
	mark := " "
	if m.selected[key] {
		mark = "●"
	}
	s := mark + st.Key.Render(safetext.Line(is.Key))
	if p := priorityMark(is.Priority); p != "" {
		s += " " + p
	}
	if is.Estimate != nil {
		s += " " + st.Muted.Render("("+strconv.FormatFloat(*is.Estimate, 'f', -1, 64)+")")
	}
	if e, ok := m.c.Issues.Issue(key); ok && e.Writing {
		s += " " + st.Muted.Render("…")
	}
	if m.mode == ModeBacklog {
		s += " " + st.Status(safetext.Line(is.Status.Name), is.Status.Category)
	}
	out.l[0] = s
	out.l[1] = " " + st.Text.Render(safetext.Line(is.Summary))
	a := "unassigned"
	if is.Assignee != nil {
		a = safetext.Line(is.Assignee.DisplayName)
	}
	out.l[2] = " " + st.Muted.Render(a)
	for i := range out.l {
		out.l[i] = pad(ansi.Truncate(out.l[i], w, "…"), w)
	}
	return out
}

// priorityMark is a short sign for a priority.
func priorityMark(p *jiraclient.Priority) string {
	if p == nil {
		return ""
	}
	switch strings.ToLower(p.Name) {
	case "highest", "blocker":
		return "⇈"
	case "high", "critical", "major":
		return "↑"
	case "medium":
		return "="
	case "low", "minor":
		return "↓"
	case "lowest", "trivial":
		return "⇊"
	}
	r := []rune(safetext.Line(p.Name))
	if len(r) == 0 {
		return ""
	}
	return string(r[0])
}

// sprintDates is "1 Dec – 14 Dec".
func sprintDates(s jiraclient.Sprint) string {
	if s.Start.IsZero() || s.End.IsZero() {
		return ""
	}
	return s.Start.Format("2 Jan") + " – " + s.End.Format("2 Jan")
}

// daysLeft is an active sprint's time left ("3 days left"), or how long
// ago its end date passed.
func daysLeft(s jiraclient.Sprint, now time.Time) string {
	if !s.End.After(now) {
		over := int(now.Sub(s.End) / (24 * time.Hour))
		switch over {
		case 0:
			return "ended today"
		case 1:
			return "ended 1 day ago"
		}
		return fmt.Sprintf("ended %d days ago", over)
	}
	if n := s.DaysLeft(now); n != 1 {
		return fmt.Sprintf("%d days left", n)
	}
	return "1 day left"
}

// blank is w spaces.
func blank(w int) string { return strings.Repeat(" ", w) }

// pad makes s exactly w cells wide.
func pad(s string, w int) string {
	sw := ansi.StringWidth(s)
	switch {
	case sw > w:
		return ansi.Truncate(s, w, "")
	case sw < w:
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

var _ = lipgloss.Width
