package keys

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	case "ctrl+j":
		return tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}
	case "alt+k":
		return tea.KeyPressMsg{Code: 'k', Mod: tea.ModAlt}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func TestListActionFor(t *testing.T) {
	on := NewList(nil).WithState(true, true)
	off := NewList(nil).WithState(false, false)
	tests := []struct {
		km   List
		key  string
		want ListAction
	}{
		{on, "j", ListDown}, {on, "down", ListDown}, {on, "k", ListUp}, {on, "up", ListUp},
		{on, "g", ListTop}, {on, "G", ListBottom}, {on, "ctrl+d", ListHalfDown},
		{on, "pgdown", ListPageDown}, {on, "enter", ListOpen}, {on, "/", ListFilter},
		{on, "esc", ListClearFilter}, {off, "esc", ListNone},
		{on, ":", ListJQL}, {on, "J", ListJQL}, {on, "tab", ListNextTab}, {on, "shift+tab", ListPrevTab},
		{on, "3", ListGoToTab}, {on, "r", ListRefresh}, {on, "o", ListBrowser},
		{on, "y", ListCopyKey}, {on, "Y", ListCopyURL}, {on, "p", ListPreview},
		{on, "ctrl+j", ListPreviewDown}, {on, "alt+k", ListPreviewUp}, {off, "ctrl+j", ListNone},
		{on, "space", ListToggle}, {on, "V", ListRange}, {on, "*", ListAll}, {on, "x", ListNone},
	}
	for _, tt := range tests {
		if got := ListActionFor(tt.km, press(tt.key)); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestTabNumber(t *testing.T) {
	for s, want := range map[string]int{"1": 1, "9": 9, "0": 0, "a": 0} {
		if got := TabNumber(NewList(nil), press(s)); got != want {
			t.Errorf("%q: got %d, want %d", s, got, want)
		}
	}
}

func TestPromptActionFor(t *testing.T) {
	k := NewPrompt(nil)
	for s, want := range map[string]PromptAction{
		"enter": PromptSubmit, "esc": PromptCancel, "up": PromptPrev, "down": PromptNext, "a": PromptEdit, "j": PromptEdit,
	} {
		if got := PromptActionFor(k, press(s)); got != want {
			t.Errorf("%q: got %v, want %v", s, got, want)
		}
	}
}

func TestHelpOmitsDisabled(t *testing.T) {
	k := NewList(nil).WithState(false, false)
	for _, col := range k.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "ctrl+j" && b.Enabled() {
				t.Fatal("preview scroll enabled with preview off")
			}
		}
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		msg  tea.KeyPressMsg
		want bool
	}{
		{tea.KeyPressMsg{Code: 'd', Text: "d"}, true},
		{tea.KeyPressMsg{Code: 'D', Text: "D", Mod: tea.ModShift}, true},
		{tea.KeyPressMsg{Code: '?', Text: "?"}, true},
		{tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}, true},
		{tea.KeyPressMsg{Code: 'é', Text: "é"}, true},
		{tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}, false},
		{tea.KeyPressMsg{Code: 'j', Mod: tea.ModAlt}, false},
		{tea.KeyPressMsg{Code: tea.KeyEnter}, false},
		{tea.KeyPressMsg{Code: tea.KeyEscape}, false},
		{tea.KeyPressMsg{Code: tea.KeyF1}, false},
		{tea.KeyPressMsg{Code: tea.KeyUp}, false},
	}
	for _, tt := range tests {
		if got := IsText(tt.msg); got != tt.want {
			t.Errorf("IsText(%q) = %v, want %v", tt.msg.String(), got, tt.want)
		}
	}
}

func TestForInput(t *testing.T) {
	b := func(keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], "x"))
	}
	tests := []struct {
		in      key.Binding
		digits  bool
		keys    []string
		enabled bool
	}{
		{b("i"), false, []string{"i"}, false},
		{b("u", "-"), false, []string{"u", "-"}, false},
		{b("?", "f1"), false, []string{"f1"}, true},
		{b("q", "ctrl+c"), false, []string{"ctrl+c"}, true},
		{b("space"), false, []string{"space"}, false},
		{b("enter"), false, []string{"enter"}, true},
		{b("ctrl+s", "ctrl+enter"), false, []string{"ctrl+s", "ctrl+enter"}, true},
		{b("1", "2", "3"), true, []string{"1", "2", "3"}, true},
		{b("1", "2", "3"), false, []string{"1", "2", "3"}, false},
	}
	for _, tt := range tests {
		got := ForInput(tt.in, tt.digits)
		if got.Enabled() != tt.enabled {
			t.Errorf("ForInput(%q, %v): enabled %v, want %v", tt.in.Keys(), tt.digits, got.Enabled(), tt.enabled)
		}
		if tt.enabled && strings.Join(got.Keys(), " ") != strings.Join(tt.keys, " ") {
			t.Errorf("ForInput(%q, %v): keys %q, want %q", tt.in.Keys(), tt.digits, got.Keys(), tt.keys)
		}
		// Whatever is left never matches a key that types.
		for _, k := range []string{"i", "u", "-", "?", "q", " "} {
			msg := tea.KeyPressMsg{Code: rune(k[0]), Text: k}
			if k == " " {
				msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
			}
			if key.Matches(msg, got) {
				t.Errorf("ForInput(%q): still matches %q", tt.in.Keys(), k)
			}
		}
	}
}
