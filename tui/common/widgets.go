package common

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// The Bubbles components come with colours of their own (DefaultStyles);
// these give them the palette's instead, so every field, editor and help
// line follows the theme. Cursors do not blink: no timer runs while jiffy
// waits for a key.

// TextInput is the styles of a one-line input: the prompt in the title
// style while focused.
func (s Styles) TextInput() textinput.Styles {
	var t textinput.Styles
	t.Focused = textinput.StyleState{Placeholder: s.Muted, Suggestion: s.Muted, Prompt: s.Title, Text: s.Text}
	t.Blurred = textinput.StyleState{Placeholder: s.Muted, Suggestion: s.Muted, Prompt: s.Muted, Text: s.Text}
	t.Cursor = textinput.CursorStyle{Color: s.Palette.Accent, Shape: tea.CursorBlock}
	return t
}

// TextArea is the styles of a multi-line editor.
func (s Styles) TextArea() textarea.Styles {
	st := textarea.StyleState{
		CursorLine: s.Text, CursorLineNumber: s.Muted, EndOfBuffer: s.Muted, LineNumber: s.Muted,
		Placeholder: s.Muted, Prompt: s.Muted, Selection: s.Selected, Text: s.Text,
	}
	return textarea.Styles{Focused: st, Blurred: st, Cursor: textarea.CursorStyle{Color: s.Palette.Accent, Shape: tea.CursorBlock}}
}

// Help is the styles of a help line: keys bold, descriptions muted.
func (s Styles) Help() help.Styles {
	return help.Styles{
		Ellipsis: s.Muted, ShortKey: s.Bold, ShortDesc: s.Muted, ShortSeparator: s.Muted,
		FullKey: s.Bold, FullDesc: s.Text, FullSeparator: s.Muted,
	}
}
