package compose

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"

	"github.com/jiffy-tui/jiffy/tui/keys"
)

// KeyMap is the editors' keys. Text keys go to the focused field; these
// mean something else. It implements help.KeyMap; each overlay enables
// only the keys that do something in its current state.
type KeyMap struct {
	Send     key.Binding // ctrl+s (ctrl+enter where the terminal sends it)
	Editor   key.Binding // ctrl+e: $VISUAL / $EDITOR
	Close    key.Binding // esc: close, keeping the draft
	Discard  key.Binding // ctrl+x: throw the draft away (asks first)
	Yes      key.Binding // y: yes, when asked to discard
	Next     key.Binding // tab: next field
	Prev     key.Binding // shift+tab
	Pick     key.Binding // enter / space on a picker field: open its list
	Up, Down key.Binding // in lists
	Choose   key.Binding // enter / tab in a completion list
	// AddLabel (enter) adds the typed label; DropLabel (backspace on an
	// empty field) removes the last; Retype (enter on a chosen person)
	// clears the choice to type another.
	AddLabel, DropLabel, Retype key.Binding
	Reload                      key.Binding // ctrl+r in a conflict: take Jira's version
	Project                     key.Binding // ctrl+p in the create form: change the project
	Back                        key.Binding // esc in a list: back
}

// newKeyMap returns fresh bindings from km, the keymap in force (a view
// may disable some without affecting anyone else's).
func newKeyMap(km *keys.Map) KeyMap {
	return KeyMap{
		Send:      km.Binding("editor.send"),
		Editor:    km.Binding("editor.editor"),
		Close:     km.Binding("editor.close"),
		Discard:   km.Binding("editor.discard"),
		Yes:       km.Binding("editor.yes"),
		Next:      km.Binding("editor.next"),
		Prev:      km.Binding("editor.prev"),
		Pick:      km.Binding("editor.pick"),
		Up:        km.Binding("editor.up"),
		Down:      km.Binding("editor.down"),
		Choose:    km.Binding("editor.choose"),
		AddLabel:  km.Binding("editor.add_label"),
		DropLabel: km.Binding("editor.drop_label"),
		Retype:    km.Binding("editor.retype"),
		Reload:    km.Binding("editor.reload"),
		Project:   km.Binding("editor.project"),
		Back:      km.Binding("editor.back"),
	}
}

// keyView is the registry view of an editor: "choice" while a value list
// is open.
func keyView(choosing bool) string {
	if choosing {
		return "choice"
	}
	return "editor"
}

// pickerKeys are a value list's keys (picker).
type pickerKeys struct {
	Choose, Up, Down, Back key.Binding
}

func newPickerKeys(km *keys.Map) pickerKeys {
	return pickerKeys{
		Choose: km.Binding("choice.choose"),
		Up:     km.Binding("choice.up"),
		Down:   km.Binding("choice.down"),
		Back:   km.Binding("choice.back"),
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
