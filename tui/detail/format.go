package detail

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// nowOf is Common's clock (pinned by tests), also for a nil Common.
func nowOf(c *common.Common) time.Time {
	if c != nil {
		return c.Clock()
	}
	return time.Now()
}

// relTime says how long ago t was, in the words a person would use.
func relTime(t, now time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		// Not -d: Sub saturates for dates centuries away, and the
		// negation of the most negative duration is itself.
		d = t.Sub(now)
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	case d < 7*24*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day")
	case d < 30*24*time.Hour:
		s = plural(int(d/(7*24*time.Hour)), "week")
	case d < 365*24*time.Hour:
		s = plural(int(d/(30*24*time.Hour)), "month")
	default:
		s = plural(int(d/(365*24*time.Hour)), "year")
	}
	if future {
		// Clocks drift; a time slightly ahead still reads sensibly.
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// absTime is the exact time, in the local zone, to the minute.
func absTime(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04")
}

// whenText is "3 days ago (2026-11-20 10:04)", or "" for a zero time.
func whenText(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	return relTime(t, now) + " (" + absTime(t) + ")"
}

// humanSize is a byte count as Jira shows it (1024-based).
func humanSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", max(n, 0))
	}
	v, unit := float64(n)/1024, "KB"
	for _, u := range []string{"MB", "GB"} {
		if v < 1024 {
			break
		}
		v, unit = v/1024, u
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

// sanitize cleans text for the detail with the one sanitiser
// (safetext.Text): Jira's text is cleaned as it is decoded already, but the
// detail also draws what the user typed (a draft's preview), and an escape
// sequence, a bidi override or a zero-width character must never reach the
// terminal from either.
func sanitize(s string) string { return safetext.Text(s) }

// cut shortens plain text to width cells with an ellipsis. Single line.
func cut(s string, width int) string {
	s = strings.Join(strings.Fields(sanitize(s)), " ")
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// wrapPlain word-wraps plain text to width, breaking words that are longer.
func wrapPlain(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(sanitize(s), width, ""), "\n")
}

// fg is a style with only a foreground colour from the palette.
func fg(c color.Color) lipgloss.Style {
	return lipgloss.NewStyle().Foreground(c)
}
