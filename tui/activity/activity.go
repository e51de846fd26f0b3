// Package activity holds the detail's overlays for what happens around an
// issue rather than in its fields: its watchers (watch, unwatch) and its
// worklogs (the list, the estimates, logging work). Each overlay loads
// what it shows in a tea.Cmd when it opens, writes through jiraclient, and
// after a write hands the issue as Jira now has it to the root in a
// common.IssueConfirmedMsg, read back with common.ReadBack.
package activity

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// Loads and writes go through the store's request helper (common.Common
// Do and Write: one deadline, the client of the moment, an expired login
// held and replayed); a loaded overlay's owner is cancelled when it closes
// (Close). So do the attachments' transfers: a download is a load, an
// upload or a deletion a write; the bytes are bounded by the client's idle
// timeout instead of the deadline (store.Transfer), the read-back by
// store.Again.

// Layout: dialogs as wide as the screen allows up to maxW.
const (
	maxW = 84
)

// innerWidth is the width inside the dialog frame for a w-wide screen.
func innerWidth(st common.Styles, w int) int { iw, _ := st.DialogInner(w, 0, maxW); return iw }

// innerHeight is the most lines that fit inside the frame on an h-high screen.
func innerHeight(st common.Styles, h int) int { _, ih := st.DialogInner(0, h, maxW); return ih }

// frame draws head, body and foot in the dialog, width cells wide and at
// most maxH lines; the body loses its last lines first.
func frame(st common.Styles, width, maxH int, head, body, foot []string) string {
	if len(head)+len(foot) > maxH {
		foot = foot[:max(0, maxH-len(head))]
	}
	if room := maxH - len(head) - len(foot); len(body) > room {
		body = body[:max(room, 0)]
	}
	lines := append(append(append([]string(nil), head...), body...), foot...)
	for i, l := range lines {
		l = ansi.Truncate(l, width, "…")
		if n := lipgloss.Width(l); n < width {
			l += strings.Repeat(" ", width-n)
		}
		lines[i] = l
	}
	return st.Dialog.Render(strings.Join(lines, "\n"))
}

// title is a dialog's first line: what, and which issue.
func title(st common.Styles, what, key string) string {
	return st.Title.Render(what) + " " + st.Key.Render(line(key))
}

// line cleans one line of Jira's text for the screen.
func line(s string) string { return safetext.Line(s) }

// userName is how a person is shown.
func userName(u jiraclient.User) string {
	for _, s := range []string{u.DisplayName, u.Name, u.AccountID} {
		if s != "" {
			return line(s)
		}
	}
	return "someone"
}

// errorLines is a failure as the dialog shows it: what, then what to do.
func errorLines(st common.Styles, err error, width int) []string {
	what, hint := err.Error(), ""
	var je *jiraclient.Error
	if ok := asJira(err, &je); ok {
		if h := strings.TrimSpace(je.Hint()); h != "" {
			what = strings.TrimSuffix(strings.TrimSuffix(what, h), ": ")
		}
		hint = store.Hint(err) // jiraclient's hint and the setup's advice
	}
	out := wrapIn(st.Error, "✗ "+line(what), width)
	if hint != "" {
		out = append(out, wrapIn(st.Muted, "  "+line(hint), width)...)
	}
	return out
}

// wrapIn word-wraps plain text to width and paints each line.
func wrapIn(s lipgloss.Style, text string, width int) []string {
	ls := strings.Split(ansi.Wrap(text, max(width, 10), ""), "\n")
	for i, l := range ls {
		ls[i] = s.Render(l)
	}
	return ls
}

// keyHelp is a footer of "key what" pairs.
func keyHelp(st common.Styles, bs ...key.Binding) string {
	var parts []string
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		parts = append(parts, st.Bold.Render(h.Key)+" "+st.Muted.Render(h.Desc))
	}
	return strings.Join(parts, st.Muted.Render("  ·  "))
}
