package compose

import (
	"fmt"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// newTextarea is a Markdown text area in the shared palette. The cursor
// does not blink: the editor then redraws only when something changes, and
// what it shows depends only on the messages it got (goldens compare it).
func newTextarea(c *common.Common, placeholder string) textarea.Model {
	t := textarea.New()
	t.Prompt = ""
	t.ShowLineNumbers = false
	t.Placeholder = placeholder
	t.CharLimit = 0 // admit bounds it (MaxText) with a note; CharLimit would cut a draft silently
	t.MaxHeight = 0
	t.MaxWidth = 0
	t.KeyMap = textareaKeys()
	st := c.Styles.TextArea()
	for _, ss := range []*textarea.StyleState{&st.Focused, &st.Blurred} {
		ss.Text = c.Styles.Text
		ss.Placeholder = c.Styles.Muted
		ss.CursorLine = c.Styles.Text
		ss.EndOfBuffer = c.Styles.Muted
		ss.Prompt = c.Styles.Muted
	}
	st.Cursor.Color = c.Styles.Palette.Accent
	st.Cursor.Blink = false
	t.SetStyles(st)
	t.Focus()
	return t
}

// newInput is a one-line field in the shared palette, not blinking either.
func newInput(c *common.Common, placeholder string) textinput.Model {
	t := textinput.New()
	t.Prompt = ""
	t.Placeholder = placeholder
	t.CharLimit = 1024
	st := c.Styles.TextInput()
	st.Focused.Text = c.Styles.Text
	st.Focused.Placeholder = c.Styles.Muted
	st.Blurred.Text = c.Styles.Text
	st.Blurred.Placeholder = c.Styles.Muted
	st.Cursor.Color = c.Styles.Palette.Accent
	st.Cursor.Blink = false
	t.SetStyles(st)
	return t
}

// MaxText is the most characters a text area takes: Jira's own limit for
// a comment or a description (32,767 on Cloud, and Data Center's default).
// Jira refuses longer text anyway, and the text area redraws every line on
// every key, so a key's cost grows with the text: the cap keeps it bounded.
// A paste that would pass it is refused whole with a note (nothing is cut
// silently); typing stops at it.
const MaxText = 32767

// admit reports whether msg may go to ta; when it may not, note says why.
func admit(ta *textarea.Model, msg tea.Msg) (ok bool, note string) {
	var add string
	paste := false
	switch m := msg.(type) {
	case tea.PasteMsg:
		add, paste = m.Content, true
	case tea.KeyPressMsg:
		add = m.Text
	}
	if add == "" {
		return true, ""
	}
	n := ta.Length() + utf8.RuneCountInString(add)
	if n <= MaxText {
		return true, ""
	}
	if paste {
		return false, fmt.Sprintf("Not pasted: the text would be %d characters, and Jira takes at most %d. Paste a shorter part, or attach the rest to the issue as a file.", n, MaxText)
	}
	return false, fmt.Sprintf("The text has reached %d characters, the most Jira takes.", MaxText)
}
