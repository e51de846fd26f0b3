package action

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
	helpview "github.com/jiffy-tui/jiffy/tui/help"
)

// Layout of the dialogs: as wide as the screen allows up to maxDialogW,
// never taller than the screen; the frame (border and padding of
// Styles.Dialog) is measured, not assumed. Pickers are as tall as their
// content, so the view under a short list stays in sight.
const (
	maxDialogW = 90
)

// innerWidth is the width inside the dialog frame for a w-wide screen.
func innerWidth(st common.Styles, w int) int { iw, _ := st.DialogInner(w, 0, maxDialogW); return iw }

// innerHeight is the most lines that fit inside the frame on an h-high screen.
func innerHeight(st common.Styles, h int) int { _, ih := st.DialogInner(0, h, maxDialogW); return ih }

// frame draws head (top), body and foot (bottom) in the dialog, width
// cells wide and at most maxH lines: long lines are cut, and when it does
// not fit the body loses its last lines first.
func frame(st common.Styles, width, maxH int, head, body, foot string) string {
	hl, bl, fl := splitLines(head), splitLines(body), splitLines(foot)
	if len(hl)+len(fl) > maxH {
		fl = fl[:max(0, maxH-len(hl))]
	}
	room := maxH - len(hl) - len(fl)
	if len(bl) > room {
		bl = bl[:max(room, 0)]
	}
	var lines []string
	lines = append(lines, hl...)
	lines = append(lines, bl...)
	lines = append(lines, fl...)
	for i, l := range lines {
		l = ansi.Truncate(l, width, "…")
		if n := lipgloss.Width(l); n < width {
			l += strings.Repeat(" ", width-n)
		}
		lines[i] = l
	}
	return st.Dialog.Render(strings.Join(lines, "\n"))
}

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// wrap breaks plain text to width and paints it.
func wrap(st lipgloss.Style, text string, width int) string {
	lines := strings.Split(lipgloss.Wrap(text, max(width, 10), " "), "\n")
	for i, l := range lines {
		lines[i] = st.Render(strings.TrimRight(l, " "))
	}
	return strings.Join(lines, "\n")
}

// helpLine renders the short help of k in width, on as many lines as it
// takes.
func helpLine(st common.Styles, k help.KeyMap, width int) string {
	hs := st.Help()
	hs.ShortKey = st.Bold
	hs.ShortDesc = st.Muted
	hs.ShortSeparator = st.Muted
	hs.Ellipsis = st.Muted
	return helpview.Wrapped(hs, k.ShortHelp(), width)
}

// errorBlock renders a failure: what went wrong, then what to do.
func errorBlock(st common.Styles, what, hint string, width int) string {
	out := wrap(st.Error, "✗ "+what, width)
	if hint != "" {
		out += "\n" + wrap(st.Muted, "  "+hint, width)
	}
	return out
}

// title is a dialog's first line: what is being done, to which issue.
func title(st common.Styles, verb, key, summary string, width int) string {
	head := st.Title.Render(verb) + " " + st.Key.Render(key)
	if summary != "" {
		room := width - lipgloss.Width(head) - 3
		if room > 5 {
			head += st.Muted.Render(" · " + ansi.Truncate(summary, room, "…"))
		}
	}
	return head
}
