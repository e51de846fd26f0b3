package action

import (
	"sort"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/keys"
)

// KeyMap is the overlays' keys. Typed text goes to the focused filter or
// field; these mean something else. It implements help.KeyMap; each overlay
// enables only the keys that do something in its current state, so help
// and the footer never offer a dead key. While a text input has the focus
// (typingIn), only leaves no binding a key that types a character (see
// keys.ForInput): a number on an empty input is the one text key that acts.
type KeyMap struct {
	Choose   key.Binding // enter: take the highlighted entry / send
	Up, Down key.Binding // move in a list
	PageUp   key.Binding // pgup: a page up in a long list
	PageDown key.Binding // pgdn: a page down
	Number   key.Binding // 1-9 with an empty filter: take that entry
	Next     key.Binding // tab: next field (in the transition picker: open the form)
	Prev     key.Binding // shift+tab
	Open     key.Binding // space on a field: open its list
	Send     key.Binding // ctrl+s: send the form
	Retry    key.Binding // r: try again after a failed load
	Back     key.Binding // esc in a list or form: one step back
	Close    key.Binding // esc: close
	Stop     key.Binding // esc while a bulk action runs: start no more

	// typing: a text input has the focus; empty: and it holds nothing.
	typing, empty bool
}

// typingIn says a text input holding value has the focus; only then keeps
// the text keys out of every binding.
func (k *KeyMap) typingIn(value string) { k.typing, k.empty = true, value == "" }

// DefaultKeyMap returns fresh bindings from km, the keymap in force (nil:
// the defaults); a view may disable some without affecting anyone else's.
func DefaultKeyMap(km *keys.Map) KeyMap {
	return KeyMap{
		Choose:   km.Binding("picker.choose"),
		Up:       km.Binding("picker.up"),
		Down:     km.Binding("picker.down"),
		PageUp:   km.Binding("picker.page_up"),
		PageDown: km.Binding("picker.page_down"),
		Number:   km.Binding("picker.number"),
		Next:     km.Binding("picker.next"),
		Prev:     km.Binding("picker.prev"),
		Open:     km.Binding("picker.open"),
		Send:     km.Binding("picker.send"),
		Retry:    km.Binding("picker.retry"),
		Back:     km.Binding("picker.back"),
		Close:    km.Binding("picker.close"),
		Stop:     km.Binding("picker.stop"),
	}
}

func (k *KeyMap) all() []*key.Binding {
	return []*key.Binding{&k.Choose, &k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Number, &k.Next, &k.Prev, &k.Open, &k.Send,
		&k.Retry, &k.Back, &k.Close, &k.Stop}
}

// only enables just the given bindings (pointers into k) and returns k.
func (k *KeyMap) only(on ...*key.Binding) KeyMap {
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	for _, b := range on {
		b.SetEnabled(true)
	}
	if k.typing {
		for _, b := range k.all() {
			*b = keys.ForInput(*b, k.empty)
		}
	}
	return *k
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Choose, k.Send, k.Number, k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Next, k.Prev, k.Retry, k.Back, k.Stop, k.Close}
}

// FullHelp is the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Choose, k.Send, k.Number, k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Next, k.Prev, k.Open, k.Retry, k.Back, k.Stop, k.Close},
	}
}

// act is what a key press means to an overlay.
type act int

const (
	actNone act = iota // typed text: the focused input takes it
	actChoose
	actUp
	actDown
	actPageUp
	actPageDown
	actNumber
	actNext
	actPrev
	actOpen
	actSend
	actRetry
	actBack
	actClose
	actStop
)

// actionFor maps a key press to an action. Disabled bindings never match,
// so the keymap's state decides; a pure function, tested table-driven.
func actionFor(k KeyMap, msg tea.KeyPressMsg) act {
	table := []struct {
		b *key.Binding
		a act
	}{
		{&k.Send, actSend}, {&k.Choose, actChoose}, {&k.Up, actUp}, {&k.Down, actDown},
		{&k.PageUp, actPageUp}, {&k.PageDown, actPageDown},
		{&k.Number, actNumber}, {&k.Next, actNext}, {&k.Prev, actPrev}, {&k.Open, actOpen},
		{&k.Retry, actRetry}, {&k.Back, actBack}, {&k.Stop, actStop}, {&k.Close, actClose},
	}
	for _, e := range table {
		if key.Matches(msg, *e.b) {
			return e.a
		}
	}
	return actNone
}

// digit is the entry (1-9) a key of the Number binding names, or 0.
func (k KeyMap) digit(msg tea.KeyPressMsg) int { return keys.Nth(k.Number, msg) }

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
