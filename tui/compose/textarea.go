package compose

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"

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
	t.CharLimit = 0 // Jira bounds bodies itself (32 767 characters on Cloud) and says so
	t.MaxHeight = 0
	t.MaxWidth = 0
	t.KeyMap = textareaKeys()
	st := textarea.DefaultStyles(true)
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
	st := textinput.DefaultStyles(true)
	st.Focused.Text = c.Styles.Text
	st.Focused.Placeholder = c.Styles.Muted
	st.Blurred.Text = c.Styles.Text
	st.Blurred.Placeholder = c.Styles.Muted
	st.Cursor.Color = c.Styles.Palette.Accent
	st.Cursor.Blink = false
	t.SetStyles(st)
	return t
}
