package list

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// colWidths are the widest values loaded so far per column, capped, so a
// frame lays out without looking at rows it does not draw.
type colWidths struct {
	key, typ, prio, status, assignee int
	// extra are the configured field columns' widths by field id (only
	// issues searched with those columns carry their Values).
	extra map[string]int
}

// listValueFields are the fields the built-in columns draw from their own
// Issue fields, not from Values.
var listValueFields = map[string]bool{"summary": true, "status": true, "updated": true, "issuetype": true, "priority": true, "assignee": true}

// Column caps: long values are cut with "…" beyond these.
const (
	capKey, capType, capPrio, capStatus, capAssignee = 14, 10, 8, 14, 16
	capExtra                                         = 16
	updatedW                                         = 4
	minSummary                                       = 30
	markW                                            = 2
)

func (w *colWidths) fit(is *jiraclient.Issue) {
	w.key = max(w.key, min(capKey, textWidth(is.Key)))
	w.typ = max(w.typ, min(capType, textWidth(is.Type.Name)))
	if is.Priority != nil {
		w.prio = max(w.prio, min(capPrio, textWidth(is.Priority.Name)))
	}
	w.status = max(w.status, min(capStatus, textWidth(is.Status.Name)))
	w.assignee = max(w.assignee, min(capAssignee, textWidth(assigneeName(is.Assignee))))
	for id, v := range is.Values {
		if listValueFields[id] {
			continue
		}
		if w.extra == nil {
			w.extra = map[string]int{}
		}
		w.extra[id] = max(w.extra[id], min(capExtra, textWidth(v.Format())))
	}
}

// column is one laid-out column.
type column int

const (
	colKey column = iota
	colType
	colPrio
	colStatus
	colAssignee
	colSummary
	colUpdated
)

var colTitles = [...]string{"Key", "Type", "Prio", "Status", "Assignee", "Summary", "Updated"}

// colExtra is the first configured field column: column colExtra+i is
// layout.extra[i].
const colExtra = colUpdated + 1

// layout is the columns shown at a width and their widths.
type layout struct {
	cols   []column
	widths []int // by column
	extra  []store.Column
}

// title is column c's header.
func (l layout) title(c column) string {
	if c >= colExtra {
		return l.extra[c-colExtra].Title
	}
	return colTitles[c]
}

// dropOrder is which columns go first as the terminal narrows: the summary
// and the key always stay; status says most after them. Configured field
// columns go before any of these, the last first.
var dropOrder = []column{colPrio, colType, colAssignee, colUpdated, colStatus}

// allBuiltin is the default configuration: every built-in column.
var allBuiltin = store.Columns{Builtin: map[string]bool{"key": true, "type": true, "priority": true, "status": true, "assignee": true, "summary": true, "updated": true}}

var builtinName = [...]string{colKey: "key", colType: "type", colPrio: "priority", colStatus: "status", colAssignee: "assignee", colSummary: "summary", colUpdated: "updated"}

// layoutFor lays the default columns out in width w.
func layoutFor(cw colWidths, w int) layout { return layoutWith(cw, w, allBuiltin) }

// layoutWith lays the configured columns out in width w: the built-in ones
// in their order, the field columns before the summary.
func layoutWith(cw colWidths, w int, cfg store.Columns) layout {
	l := layout{widths: make([]int, int(colExtra)+len(cfg.Extra)), extra: cfg.Extra}
	l.widths[colKey] = max(cw.key, 3)
	l.widths[colType] = max(cw.typ, 4)
	l.widths[colPrio] = max(cw.prio, 3)
	l.widths[colStatus] = max(cw.status, 6)
	l.widths[colAssignee] = max(cw.assignee, 8)
	l.widths[colUpdated] = updatedW
	shown := map[column]bool{}
	for c := colKey; c <= colUpdated; c++ {
		shown[c] = cfg.Builtin[builtinName[c]]
	}
	drop := []column{}
	for i, x := range cfg.Extra {
		c := colExtra + column(i)
		shown[c] = true
		l.widths[c] = max(cw.extra[x.ID], min(textWidth(x.Title), capExtra), 3)
		drop = append([]column{c}, drop...)
	}
	fixed := func() int {
		n := markW
		for c := range column(len(l.widths)) {
			if shown[c] && c != colSummary {
				n += l.widths[c] + 1
			}
		}
		return n
	}
	for _, c := range append(drop, dropOrder...) {
		if fixed()+minSummary <= w {
			break
		}
		shown[c] = false
	}
	l.widths[colSummary] = max(1, w-fixed())
	order := []column{colKey, colType, colPrio, colStatus, colAssignee}
	for i := range cfg.Extra {
		order = append(order, colExtra+column(i))
	}
	for _, c := range append(order, colSummary, colUpdated) {
		if shown[c] {
			l.cols = append(l.cols, c)
		}
	}
	return l
}

func assigneeName(u *jiraclient.User) string {
	if u == nil {
		return "Unassigned"
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.ID()
}

// cell is a plain value cut or padded to exactly w cells.
func cell(s string, w int) string {
	s = clean(s)
	sw := textWidth(s)
	if sw > w {
		if isASCIIPrint(s) && w > 0 {
			return s[:w-1] + "…"
		}
		// A wide character that does not fit leaves a cell to pad.
		t := ansi.Truncate(s, w, "…")
		return exact(t+strings.Repeat(" ", max(0, w-ansi.StringWidth(t))), w)
	}
	if sw == w {
		return s
	}
	if isASCIIPrint(s) {
		return s + strings.Repeat(" ", w-sw)
	}
	return exact(s+strings.Repeat(" ", w-sw), w)
}

// exact makes a non-ASCII cell exactly w wide. Widths do not always add
// up: a "prepend" character at the end of s (U+070F, U+0600…) joins the
// padding's first space into one grapheme, so the joined text is
// narrower than its parts; one more space makes it up.
func exact(s string, w int) string {
	for range 4 {
		switch sw := ansi.StringWidth(s); {
		case sw < w:
			s += strings.Repeat(" ", w-sw)
		case sw > w:
			t := ansi.Truncate(s, w, "")
			s = t + strings.Repeat(" ", max(0, w-ansi.StringWidth(t)))
		default:
			return s
		}
	}
	return s
}

// rightCell is cell, aligned right.
func rightCell(s string, w int) string {
	s = clean(s)
	sw := textWidth(s)
	if sw >= w {
		t := ansi.Truncate(s, w, "")
		return strings.Repeat(" ", max(0, w-ansi.StringWidth(t))) + t
	}
	return strings.Repeat(" ", w-sw) + s
}

// Relative says how long ago t was in at most four cells: "now", "3m",
// "2h", "5d", "3w", "4mo", "2y"; a time ahead of now by more than a minute
// reads "+5d"; one a century or more away, its year ("2400"). Durations
// saturate near 292 years, so far dates are never negated into "now".
func Relative(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if y := t.Year() - now.Year(); y >= 100 || y <= -100 {
		return strconv.Itoa(t.Year())
	}
	d := now.Sub(t)
	if d < -time.Minute {
		ahead := t.Sub(now) // not -d: the negation of a saturated duration overflows
		if r := "+" + Relative(now, now.Add(-ahead)); len(r) <= 4 {
			return r
		}
		return "+" + strconv.Itoa(max(1, int((ahead+182*24*time.Hour)/(365*24*time.Hour)))) + "y" // "+10mo" would take five cells
	}
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 14*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(7*24*time.Hour))) + "w"
	case d < 365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo"
	}
	return strconv.Itoa(int(d/(365*24*time.Hour))) + "y"
}

// styledCell fits an already styled line (the preview's) to w cells.
func styledCell(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "")
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(0, w-sw))
}

// columns are the profile's configured columns (all built-in ones when
// none is configured), resolved against the field list already fetched.
func (m Model) columns() store.Columns {
	if len(m.c.Columns) == 0 {
		return allBuiltin
	}
	var fs *jiraclient.Fields
	if m.c.Client != nil {
		fs = m.c.Client.CachedFields()
	}
	return store.ResolveColumns(m.c.Columns, fs)
}
