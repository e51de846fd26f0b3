package list

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// paint holds the escape sequences of the row styles, taken once from the
// shared styles (at New and Restyle). Wrapping a cell in a prefix and a
// suffix costs a concatenation where lipgloss's Render costs a parse of the
// text per cell: that difference is most of a frame's time.
type paint struct {
	key, muted, marked          wrap
	todo, inProgress, done, txt wrap
	match                       wrap // the filter's words in a row
}

// wrap is a style's opening and closing sequences.
type wrap struct{ pre, post string }

func (w wrap) on(s string) string { return w.pre + s + w.post }

const sentinel = "\x01"

func wrapOf(s lipgloss.Style) wrap {
	r := s.Render(sentinel)
	i := strings.Index(r, sentinel)
	if i < 0 {
		return wrap{}
	}
	return wrap{pre: r[:i], post: r[i+len(sentinel):]}
}

func newPaint(st common.Styles) paint {
	fg := func(cat string) lipgloss.Style { return lipgloss.NewStyle().Foreground(st.StatusColor(cat)) }
	return paint{
		key:        wrapOf(st.Key),
		muted:      wrapOf(st.Muted),
		marked:     wrapOf(st.Marked),
		txt:        wrapOf(st.Text),
		match:      wrapOf(st.Title),
		todo:       wrapOf(fg(jiraclient.CategoryToDo)),
		inProgress: wrapOf(fg(jiraclient.CategoryInProgress)),
		done:       wrapOf(fg(jiraclient.CategoryDone)),
	}
}

func (p paint) status(cat string) wrap {
	switch cat {
	case jiraclient.CategoryDone:
		return p.done
	case jiraclient.CategoryInProgress:
		return p.inProgress
	}
	return p.todo
}

// isASCIIPrint reports whether s is printable ASCII, whose width is its length.
func isASCIIPrint(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// textWidth is the display width of plain text (after clean).
func textWidth(s string) int {
	if isASCIIPrint(s) {
		return len(s)
	}
	return ansi.StringWidth(clean(s))
}

// clean makes Jira text safe to draw in one cell: control characters
// (escape sequences a summary might smuggle in, tabs, newlines) become
// spaces and invalid UTF-8 becomes U+FFFD, so widths are what the terminal
// shows and nothing reaches it as a command.
func clean(s string) string {
	if isASCIIPrint(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return ' '
		}
		if (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			// Bidi embeddings and overrides would reorder the rest of
			// the row as the terminal draws it.
			return -1
		}
		return r
	}, s)
}
