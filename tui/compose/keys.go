package compose

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
)

// KeyMap is the editors' keys. Text keys go to the focused field; these
// mean something else. It implements help.KeyMap; each overlay enables
// only the keys that do something in its current state.
type KeyMap struct {
	Send     key.Binding // ctrl+s (ctrl+enter where the terminal sends it)
	Editor   key.Binding // ctrl+e: $VISUAL / $EDITOR
	Close    key.Binding // esc: close, keeping the draft
	Discard  key.Binding // ctrl+x: throw the draft away (asks first)
	Next     key.Binding // tab: next field
	Prev     key.Binding // shift+tab
	Pick     key.Binding // enter / space on a picker field: open its list
	Up, Down key.Binding // in lists
	Choose   key.Binding // enter / tab in a completion list
	Reload   key.Binding // ctrl+r in a conflict: take Jira's version
	Project  key.Binding // ctrl+p in the create form: change the project
	Back     key.Binding // esc in a list: back
}

// newKeyMap returns fresh bindings (a view may disable some without
// affecting anyone else's).
func newKeyMap() KeyMap {
	return KeyMap{
		Send:    key.NewBinding(key.WithKeys("ctrl+s", "ctrl+enter"), key.WithHelp("ctrl+s", "send")),
		Editor:  key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "$EDITOR")),
		Close:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close (draft kept)")),
		Discard: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "discard draft")),
		Next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Pick:    key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter", "choose")),
		Up:      key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Choose:  key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", "insert")),
		Reload:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "take Jira's version")),
		Project: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "change project")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Choose, k.Pick, k.Up, k.Down, k.Next, k.Editor, k.Reload, k.Project, k.Close, k.Back, k.Discard}
}

// FullHelp is the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Send, k.Editor, k.Close, k.Discard}, {k.Next, k.Prev, k.Pick, k.Up, k.Down, k.Choose}, {k.Reload, k.Project, k.Back}}
}

// disableAll switches every binding off; overlays then enable what applies.
func (k *KeyMap) disableAll() {
	for _, b := range []*key.Binding{&k.Send, &k.Editor, &k.Close, &k.Discard, &k.Next, &k.Prev, &k.Pick, &k.Up, &k.Down, &k.Choose, &k.Reload, &k.Project, &k.Back} {
		b.SetEnabled(false)
	}
}

// textareaKeys is the textarea's keymap without the keys the editors use
// themselves (ctrl+e opens $EDITOR here, not "end of line"; ctrl+n/ctrl+p
// move in the completion list).
func textareaKeys() textarea.KeyMap {
	k := textarea.DefaultKeyMap()
	k.LineEnd = key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "line end"))
	k.LineNext = key.NewBinding(key.WithKeys("down"), key.WithHelp("down", "next line"))
	k.LinePrevious = key.NewBinding(key.WithKeys("up"), key.WithHelp("up", "previous line"))
	k.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete", "ctrl+d"), key.WithHelp("delete", "delete character forward"))
	return k
}
