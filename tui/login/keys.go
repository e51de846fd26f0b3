package login

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/keys"
)

// KeyMap are the login screen's bindings. Text keys go to the focused field;
// these are the keys that mean something else.
type KeyMap struct {
	Next          key.Binding // next field (leaving the URL detects the site)
	Prev          key.Binding
	Submit        key.Binding // enter: next field, or sign in on the last one
	OpenTokenPage key.Binding
	Demo          key.Binding
	Cancel        key.Binding // esc: back, or leave a re-login
	Up, Down      key.Binding // keyring choice
}

// newKeyMap returns fresh bindings from km, the keymap in force (views may
// disable some without affecting anyone else's keymap).
func newKeyMap(km *keys.Map) KeyMap {
	return KeyMap{
		Next:          km.Binding("login.next"),
		Prev:          km.Binding("login.prev"),
		Submit:        km.Binding("login.submit"),
		OpenTokenPage: km.Binding("login.token_page"),
		Demo:          km.Binding("login.demo"),
		Cancel:        km.Binding("login.cancel"),
		Up:            km.Binding("login.up"),
		Down:          km.Binding("login.down"),
	}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Next, k.Up, k.Down, k.OpenTokenPage, k.Demo, k.Cancel}
}

// FullHelp is the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Submit, k.Next, k.Prev, k.Up, k.Down}, {k.OpenTokenPage, k.Demo, k.Cancel}}
}

// action is what a key means on the login screen in its current state.
type action int

const (
	actNone   action = iota // a text key for the focused field
	actNext                 // tab
	actPrev                 // shift+tab
	actSubmit               // enter
	actOpenPage
	actDemo
	actCancel
	actUp
	actDown
)

// keyAction maps a key to its meaning. It is pure so the table of keys and
// states is tested directly; Update decides what the action does.
func keyAction(msg tea.KeyPressMsg, k KeyMap, st state, idle bool) action {
	switch st {
	case stateKeyring:
		switch {
		case key.Matches(msg, k.Up):
			return actUp
		case key.Matches(msg, k.Down):
			return actDown
		case key.Matches(msg, k.Submit):
			return actSubmit
		case key.Matches(msg, k.Cancel):
			return actCancel
		}
		return actNone
	case stateDone:
		return actNone
	case stateChecking, stateSaving:
		if key.Matches(msg, k.Cancel) {
			return actCancel
		}
		return actNone
	}
	// The form and the passphrase field.
	switch {
	case key.Matches(msg, k.Submit):
		return actSubmit
	case key.Matches(msg, k.Cancel):
		return actCancel
	case key.Matches(msg, k.OpenTokenPage):
		if st == stateForm {
			return actOpenPage
		}
	case st == stateForm && idle && k.Demo.Enabled() && key.Matches(msg, k.Demo):
		return actDemo
	case st == stateForm && key.Matches(msg, k.Next):
		return actNext
	case st == stateForm && key.Matches(msg, k.Prev):
		return actPrev
	}
	return actNone
}
