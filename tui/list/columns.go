package list

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// colWidths are the widest values loaded so far per column, capped, so a
// frame lays out without looking at rows it does not draw.
type colWidths struct {
	key, typ, prio, status, assignee int
}

// Column caps: long values are cut with "…" beyond these.
const (
	capKey, capType, capPrio, capStatus, capAssignee = 14, 10, 8, 14, 16
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

// layout is the columns shown at a width and their widths.
type layout struct {
	cols   []column
	widths [7]int
}

// dropOrder is which columns go first as the terminal narrows: the summary
// and the key always stay; status says most after them.
var dropOrder = []column{colPrio, colType, colAssignee, colUpdated, colStatus}

// layoutFor lays the columns out in width w.
func layoutFor(cw colWidths, w int) layout {
	var l layout
	l.widths[colKey] = max(cw.key, 3)
	l.widths[colType] = max(cw.typ, 4)
	l.widths[colPrio] = max(cw.prio, 3)
	l.widths[colStatus] = max(cw.status, 6)
	l.widths[colAssignee] = max(cw.assignee, 8)
	l.widths[colUpdated] = updatedW
	shown := map[column]bool{colKey: true, colType: true, colPrio: true, colStatus: true, colAssignee: true, colSummary: true, colUpdated: true}
	fixed := func() int {
		n := markW
		for c := colKey; c <= colUpdated; c++ {
			if shown[c] && c != colSummary {
				n += l.widths[c] + 1
			}
		}
		return n
	}
	for _, c := range dropOrder {
		if fixed()+minSummary <= w {
			break
		}
		shown[c] = false
	}
	l.widths[colSummary] = max(1, w-fixed())
	for c := colKey; c <= colUpdated; c++ {
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
