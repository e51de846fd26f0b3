package config

import (
	"fmt"
	"sort"
	"strings"
)

// Keys is the [keys] table as written: actions of the terminal UI (named
// "view.action", as `jiffy keys` lists them) and the keys each is bound
// to, one key or a list; actions not named keep their defaults:
//
//	[keys]
//	list.down = ["j", "down"]
//	detail.back = "esc"
//
// (the same as list.down under a [keys.list] header). The config checks
// only the shape; which names exist, which keys Bubble Tea sends and
// whether two actions clash is the keymap's business (tui/keys). It stays
// as written so a save keeps it.
type Keys map[string]any

// KeyBinding is one rebinding of [keys] after the shape check.
type KeyBinding struct {
	Action string   // "list.down"
	Keys   []string // empty: the action has no key
	Line   int      // where it is in the file (0 when unknown)
}

// checkKeys fills c.keyBindings from c.Keys, in the file's order, and
// warns (file:line) about a value that is not a key or a list of keys.
func (c *Config) checkKeys(path string, data []byte) {
	c.keyBindings = nil
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			if sub, ok := m[k].(map[string]any); ok {
				walk(name, sub)
				continue
			}
			line := keyBindingLine(data, name)
			keys, ok := keyList(m[k])
			if !ok {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: keys.%s must be a key in quotes or a list of them (keys.%s = [\"j\", \"down\"]); it is ignored", Where(path, line), name, name))
				continue
			}
			c.keyBindings = append(c.keyBindings, KeyBinding{Action: name, Keys: keys, Line: line})
		}
	}
	walk("", c.Keys)
	sort.SliceStable(c.keyBindings, func(i, j int) bool {
		a, b := c.keyBindings[i].Line, c.keyBindings[j].Line
		return a > 0 && (b == 0 || a < b)
	})
}

// keyBindingLine finds "view.action" under [keys] (list.down = ...), under
// [keys.view] (down = ...) or quoted ("list.down" = ...).
func keyBindingLine(data []byte, name string) int {
	if l := keyLine(data, "keys", name); l > 0 {
		return l
	}
	if i := strings.LastIndex(name, "."); i > 0 {
		return keyLine(data, "keys."+name[:i], name[i+1:])
	}
	return 0
}

func keyList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case []string:
		return v, true
	}
	return nil, false
}

// KeyBindings are the [keys] rebindings that have the right shape, in the
// file's order.
func (c *Config) KeyBindings() []KeyBinding { return c.keyBindings }
