package compose

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
	helpview "github.com/jiffy-tui/jiffy/tui/help"
)

// Layout of the dialogs: as wide as the screen allows up to maxDialogW,
// as tall as it allows up to maxDialogH; the frame (border and padding of
// Styles.Dialog) is measured, not assumed.
const (
	maxDialogW = 110
	maxDialogH = 40
	minDialogW = 30
	minDialogH = 10
)

// box is the area inside the dialog frame.
type box struct{ w, h int }

func dialogBox(s common.Styles, w, h int) box {
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	dw := max(min(w-2, maxDialogW), minDialogW)
	dh := max(min(h-1, maxDialogH), minDialogH)
	return box{w: max(dw-s.Dialog.GetHorizontalFrameSize(), 10), h: max(dh-s.Dialog.GetVerticalFrameSize(), 4)}
}

// frame draws body (top) and foot (bottom) inside the dialog, filling the
// box exactly: long lines are cut, and when the two do not fit, the body
// loses its last lines first.
func frame(s common.Styles, b box, body, foot string) string {
	bl := splitLines(body)
	fl := splitLines(foot)
	if len(fl) > b.h {
		fl = fl[len(fl)-b.h:]
	}
	room := b.h - len(fl)
	if len(bl) > room {
		bl = bl[:room]
	}
	for len(bl) < room {
		bl = append(bl, "")
	}
	lines := append(bl, fl...)
	for i, l := range lines {
		l = ansi.Truncate(l, b.w, "…")
		if n := lipgloss.Width(l); n < b.w {
			l += strings.Repeat(" ", b.w-n)
		}
		lines[i] = l
	}
	return s.Dialog.Render(strings.Join(lines, "\n"))
}

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// truncate cuts plain text to width cells.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
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
func helpLine(s common.Styles, k help.KeyMap, width int) string {
	st := s.Help()
	st.ShortKey = s.Bold
	st.ShortDesc = s.Muted
	st.ShortSeparator = s.Muted
	st.Ellipsis = s.Muted
	return helpview.Wrapped(st, k.ShortHelp(), width)
}

// errorBlock renders a failure: what went wrong, then what to do.
func errorBlock(s common.Styles, what, hint string, width int) string {
	out := hanging(s.Error, "✗ ", what, width)
	if hint != "" {
		out += "\n" + hanging(s.Muted, "  ", hint, width)
	}
	return out
}

// hanging wraps text after prefix, indenting the following lines under
// the text.
func hanging(st lipgloss.Style, prefix, text string, width int) string {
	pw := lipgloss.Width(prefix)
	lines := strings.Split(lipgloss.Wrap(text, max(width-pw, 10), " "), "\n")
	for i, l := range lines {
		p := strings.Repeat(" ", pw)
		if i == 0 {
			p = prefix
		}
		lines[i] = st.Render(p + strings.TrimRight(l, " "))
	}
	return strings.Join(lines, "\n")
}
