package keys

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Map is the keymap in force: the registry's actions with the user's
// rebindings laid over the defaults. It is built once at start (Default,
// then Rebind) and only read afterwards; common.Common.Keys holds it. A nil
// *Map is the defaults, so a view tested alone needs none.
type Map struct {
	views  []View
	byName map[string]*entry
	viewOf map[string]*View
}

// entry is one action as it is bound now.
type entry struct {
	ActionDef
	view    string
	keys    []string
	rebound bool
	line    int // the config line that rebound it
}

var (
	defaultOnce sync.Once
	defaultMap  *Map
)

// defaults is the shared, never rebound Map a nil *Map stands for.
func defaults() *Map {
	defaultOnce.Do(func() { defaultMap = Default() })
	return defaultMap
}

// Default returns a fresh Map with every action on its default keys.
func Default() *Map {
	m := &Map{views: registry(), byName: map[string]*entry{}, viewOf: map[string]*View{}}
	for i := range m.views {
		v := &m.views[i]
		m.viewOf[v.Name] = v
		for _, a := range v.Actions {
			if _, dup := m.byName[a.Name]; dup || !strings.HasPrefix(a.Name, v.Name+".") {
				panic("keys: action " + a.Name + " is declared twice or outside its view " + v.Name)
			}
			m.byName[a.Name] = &entry{ActionDef: a, view: v.Name, keys: slices.Clone(a.Keys)}
		}
	}
	return m
}

func (m *Map) get() *Map {
	if m == nil {
		return defaults()
	}
	return m
}

// Has reports whether name is a registered action.
func (m *Map) Has(name string) bool { _, ok := m.get().byName[name]; return ok }

// Keys are the keys an action is bound to now.
func (m *Map) Keys(name string) []string { return slices.Clone(m.get().must(name).keys) }

func (m *Map) must(name string) *entry {
	e, ok := m.byName[name]
	if !ok {
		// A view naming an action nobody declared is a programming
		// error, caught by every test that builds the view.
		panic("keys: no action " + name + " in the registry (tui/keys/registry.go)")
	}
	return e
}

// Binding is a fresh key.Binding for the action: its keys now and its
// help. A binding holds state (enabled, help), so each call returns a new
// one. An action bound to no key is disabled.
func (m *Map) Binding(name string) key.Binding {
	e := m.get().must(name)
	b := key.NewBinding(key.WithKeys(e.keys...), key.WithHelp(e.label(), e.Help))
	if e.Label == "-" {
		b.SetHelp("", e.Help)
	}
	if len(e.keys) == 0 {
		b.SetEnabled(false)
	}
	return b
}

// label is how help writes the action's keys: for the defaults the
// declared label (else the first key), for keys from the config the first
// two.
func (e *entry) label() string {
	switch {
	case e.rebound:
		return Label(e.keys)
	case e.Label != "" && e.Label != "-":
		return e.Label
	case len(e.keys) > 0:
		return pretty(e.keys[0])
	}
	return ""
}

// Label writes keys for help: the first two, arrows as arrows.
func Label(keys []string) string {
	var out []string
	for _, k := range keys {
		if len(out) == 2 {
			break
		}
		out = append(out, pretty(k))
	}
	return strings.Join(out, "/")
}

func pretty(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	case "pgdown":
		return "pgdn"
	}
	return k
}

// Nth is which of b's keys msg is, counted from 1, or 0: the 1-9 of a
// "pick the nth entry" or "go to tab n" action, however it is bound.
func Nth(b key.Binding, msg tea.KeyPressMsg) int {
	s := msg.String()
	for i, k := range b.Keys() {
		if k == s {
			return i + 1
		}
	}
	return 0
}

// Views are the registered views, in help's order.
func (m *Map) Views() []View { return m.get().views }

// Bound is one action as `jiffy keys` and help list it.
type Bound struct {
	Name  string   `json:"action"`
	View  string   `json:"view"`
	Keys  []string `json:"keys"`
	Label string   `json:"-"`
	Help  string   `json:"help"`
	// Rebound says the config file changed it.
	Rebound bool `json:"rebound,omitempty"`
}

// Actions are a view's actions as bound now.
func (m *Map) Actions(view string) []Bound {
	m = m.get()
	v := m.viewOf[view]
	if v == nil {
		return nil
	}
	out := make([]Bound, 0, len(v.Actions))
	for _, a := range v.Actions {
		e := m.byName[a.Name]
		out = append(out, Bound{Name: a.Name, View: view, Keys: slices.Clone(e.keys), Label: e.label(), Help: a.Help, Rebound: e.rebound})
	}
	return out
}

// Title is a view's title ("" for an unknown view).
func (m *Map) Title(view string) string {
	if v := m.get().viewOf[view]; v != nil {
		return v.Title
	}
	return ""
}

// live are the actions live while view has the focus: its own and those
// of the views (or single actions) it lists in With, the latter without
// the keys that type while a text input has the focus.
func (m *Map) live(view string) (own []*entry, with []*entry) {
	v := m.viewOf[view]
	for _, a := range v.Actions {
		own = append(own, m.byName[a.Name])
	}
	for _, w := range v.With {
		if wv, ok := m.viewOf[w]; ok {
			for _, a := range wv.Actions {
				with = append(with, m.byName[a.Name])
			}
		} else if e, ok := m.byName[w]; ok {
			with = append(with, e)
		}
	}
	return own, with
}

// Builtin are the keys jiffy itself uses in the views user commands may
// be bound in (list, detail), its own and those live with it, so a
// command on one of them is refused (usercmd.Bind).
func (m *Map) Builtin() map[string][]string {
	m = m.get()
	out := map[string][]string{}
	for _, view := range []string{"list", "detail"} {
		own, with := m.live(view)
		for _, e := range append(own, with...) {
			out[view] = append(out[view], e.keys...)
		}
	}
	return out
}

// Conflict is two actions live at once on one key.
type Conflict struct {
	View string // the view where both are live
	Key  string
	A, B string // the actions
}

func (c Conflict) String() string {
	return fmt.Sprintf("%s: %s and %s both use %q", c.View, c.A, c.B, c.Key)
}

// Conflicts are every pair of actions live at once (in a view, or a view
// and the views it lists in With) that share a key, unless declared
// Apart. The registry's defaults have none (tested).
func (m *Map) Conflicts() []Conflict {
	m = m.get()
	var out []Conflict
	seen := map[string]bool{}
	add := func(view, k string, a, b *entry) {
		if a == b || a.isApart(b) {
			return
		}
		x, y := a.Name, b.Name
		if x > y {
			x, y = y, x
		}
		id := x + " " + y + " " + k
		if seen[id] {
			return
		}
		seen[id] = true
		out = append(out, Conflict{View: view, Key: k, A: x, B: y})
	}
	for _, v := range m.views {
		own, with := m.live(v.Name)
		owner := map[string][]*entry{}
		for _, e := range own {
			for _, k := range e.keys {
				for _, o := range owner[k] {
					add(v.Name, k, o, e)
				}
				owner[k] = append(owner[k], e)
			}
		}
		for _, e := range with {
			for _, k := range e.keys {
				if v.Input && isTextKey(k) {
					continue // typed text in this view, not e's
				}
				for _, o := range owner[k] {
					add(v.Name, k, o, e)
				}
			}
		}
	}
	return out
}

func (e *entry) isApart(o *entry) bool {
	return slices.Contains(e.Apart, o.Name) || slices.Contains(o.Apart, e.Name)
}

// Rebinding is one line of the config's [keys] table.
type Rebinding struct {
	Action string
	Keys   []string
	// Where is "path:line" (or "path") for the warning that names it.
	Where string
}

// Rebind lays the user's rebindings over m's keys: actions not named keep
// their defaults. An unknown action name, a key name Bubble Tea never
// sends, or a key that clashes with another action live at the same time
// is a warning "path:line: ..." naming both actions; the rebinding that
// clashes is not applied (its action keeps its default keys). Call it
// once, before the Map is handed to the views.
func (m *Map) Rebind(rs []Rebinding) (warnings []string) {
	if m == nil {
		return nil
	}
	applied := map[string]int{} // action -> index in rs
	for i, r := range rs {
		e, ok := m.byName[r.Action]
		if !ok {
			warnings = append(warnings, fmt.Sprintf("%s: keys.%s is not a jiffy action; it is ignored (jiffy keys lists them)%s", r.Where, r.Action, m.suggest(r.Action)))
			continue
		}
		var bad []string
		for _, k := range r.Keys {
			if !ValidKeyName(k) {
				bad = append(bad, fmt.Sprintf("%q", k))
			}
		}
		if len(bad) > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: keys.%s: %s is not a key name (write keys as \"j\", \"J\", \"ctrl+j\", \"alt+j\", \"shift+tab\", \"enter\", \"esc\", \"space\", \"up\", \"pgdown\", \"f5\"); %s keeps %s", r.Where, r.Action, strings.Join(bad, ", "), r.Action, e.label()))
			continue
		}
		// In a text input printable keys are text: an action there gets
		// one only if it had one already (it then acts when nothing is
		// being typed: a number on an empty filter, y when asked).
		if v := m.viewOf[e.view]; v.Input && !slices.ContainsFunc(e.ActionDef.Keys, isTextKey) {
			if i := slices.IndexFunc(r.Keys, isTextKey); i >= 0 {
				warnings = append(warnings, fmt.Sprintf("%s: keys.%s: %q types a character in %s, a text input where printable keys are text; use a ctrl, alt or named key; %s keeps %s", r.Where, r.Action, r.Keys[i], v.Title, r.Action, e.label()))
				continue
			}
		}
		e.keys, e.rebound = dedupe(r.Keys), true
		applied[r.Action] = i
	}
	// A clash involving a rebound action undoes that rebinding (the later
	// line's, when both were rebound) until none is left.
	for {
		var undo *entry
		var why Conflict
		for _, c := range m.Conflicts() {
			a, b := m.byName[c.A], m.byName[c.B]
			switch {
			case a.rebound && b.rebound:
				undo = a
				if applied[b.Name] > applied[a.Name] {
					undo = b
				}
			case a.rebound:
				undo = a
			case b.rebound:
				undo = b
			default:
				continue // the registry's own; a test keeps them out
			}
			why = c
			break
		}
		if undo == nil {
			break
		}
		other := why.A
		if other == undo.Name {
			other = why.B
		}
		undo.keys, undo.rebound = slices.Clone(undo.ActionDef.Keys), false
		warnings = append(warnings, fmt.Sprintf("%s: keys.%s: %q is already the key of %s (both work in the %s view); %s keeps %s",
			rs[applied[undo.Name]].Where, undo.Name, why.Key, other, m.viewOf[why.View].Title, undo.Name, undo.label()))
		delete(applied, undo.Name)
	}
	return warnings
}

// suggest names an action whose name is close to a mistyped one.
func (m *Map) suggest(name string) string {
	view, act, _ := strings.Cut(name, ".")
	var near []string
	for n := range m.byName {
		v, a, _ := strings.Cut(n, ".")
		if (v == view && (strings.Contains(a, act) || strings.Contains(act, a) || distance(a, act) <= 2)) || (a == act && v != view) {
			near = append(near, n)
		}
	}
	sort.Strings(near)
	if len(near) == 0 || len(near) > 3 {
		if _, ok := m.viewOf[view]; !ok {
			names := make([]string, 0, len(m.views))
			for _, v := range m.views {
				names = append(names, v.Name)
			}
			return "; views: " + strings.Join(names, ", ")
		}
		return ""
	}
	return "; did you mean " + strings.Join(near, " or ") + "?"
}

// distance is the edit distance of two short names (typos: "dwon").
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(y)]
}

func dedupe(ks []string) []string {
	var out []string
	for _, k := range ks {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// named are the key names Bubble Tea gives keys that type nothing.
var named = map[string]bool{
	"enter": true, "esc": true, "tab": true, "space": true, "backspace": true, "delete": true, "insert": true,
	"up": true, "down": true, "left": true, "right": true, "home": true, "end": true, "pgup": true, "pgdown": true,
}

// ValidKeyName reports whether k is a key as Bubble Tea names it: a
// printable character or a named key (enter, esc, tab, space, arrows,
// home, end, pgup, pgdown, backspace, delete, insert, f1-f20), after
// modifiers ctrl+, alt+, shift+, meta+, super+ (in that order).
func ValidKeyName(k string) bool {
	rest := k
	for _, mod := range []string{"ctrl+", "alt+", "shift+", "meta+", "hyper+", "super+"} {
		if len(rest) > len(mod) && strings.HasPrefix(rest, mod) {
			rest = rest[len(mod):]
		}
	}
	if named[rest] {
		return true
	}
	if strings.HasPrefix(rest, "f") && len(rest) >= 2 && len(rest) <= 3 {
		n := 0
		for _, c := range rest[1:] {
			if c < '0' || c > '9' {
				return false
			}
			n = n*10 + int(c-'0')
		}
		return n >= 1 && n <= 20
	}
	r, size := utf8.DecodeRuneInString(rest)
	return rest != "" && r != utf8.RuneError && size == len(rest) && unicode.IsPrint(r) && !unicode.IsSpace(r)
}
