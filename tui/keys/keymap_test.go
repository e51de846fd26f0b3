package keys

import (
	"slices"
	"strings"
	"testing"
)

// own says a conflict is between two actions of the view it is in.
func own(c Conflict) bool {
	return strings.HasPrefix(c.A, c.View+".") && strings.HasPrefix(c.B, c.View+".")
}

// No two actions of one view share a key (unless declared Apart: another
// state of the view). A new action on a taken key fails here.
func TestNoKeySharedInAView(t *testing.T) {
	for _, c := range Default().Conflicts() {
		if own(c) {
			t.Error(c)
		}
	}
}

// The global and triage keys do not meet a view's keys where both are
// live (With), but for the keys that type in a text input, which are
// text there.
func TestGlobalKeysDoNotClash(t *testing.T) {
	for _, c := range Default().Conflicts() {
		if !own(c) {
			t.Error(c)
		}
	}
}

// The check itself: a clash is found within a view, between a view and
// the global or triage keys live with it, and not between views never
// live together.
func TestConflictsFound(t *testing.T) {
	for _, tt := range []struct {
		action string
		keys   []string
		want   string // "" = no conflict
	}{
		{"list.down", []string{"k"}, "list: list.down and list.up both use \"k\""},
		{"list.refresh", []string{"t"}, "list: list.refresh and triage.transition both use \"t\""},
		{"list.refresh", []string{"?"}, "list: global.help and list.refresh both use \"?\""},
		{"detail.reload", []string{"ctrl+f"}, "detail: detail.reload and global.find both use \"ctrl+f\""},
		{"triage.comment", []string{"j"}, "list: list.down and triage.comment both use \"j\""},
		{"detail.reload", []string{"q"}, "detail: detail.back and detail.reload both use \"q\""},
		// q quits in the list only: the detail's back keeps it.
		{"global.quit", []string{"x"}, ""},
		// Text inputs: a printable global key is text there, no clash.
		{"filter.done", []string{"?"}, ""},
		{"filter.done", []string{"f1"}, "filter: filter.done and global.help both use \"f1\""},
		// Views never live together may share keys.
		{"find.open", []string{"o"}, ""},
	} {
		km := Default()
		e := km.byName[tt.action]
		e.keys = tt.keys
		var got []string
		for _, c := range km.Conflicts() {
			got = append(got, c.String())
		}
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("%s = %v: unexpected %v", tt.action, tt.keys, got)
		case tt.want != "" && !slices.Contains(got, tt.want):
			t.Errorf("%s = %v: got %v, want %q", tt.action, tt.keys, got, tt.want)
		}
	}
}

// Every action is well formed: named view.action in its view, with help
// words, valid default keys, and Apart naming actions of its own view.
func TestRegistryWellFormed(t *testing.T) {
	km := Default()
	for _, v := range km.Views() {
		if v.Title == "" {
			t.Errorf("view %s has no title", v.Name)
		}
		for _, w := range v.With {
			if _, view := km.viewOf[w]; !view && !km.Has(w) {
				t.Errorf("view %s: With %q is neither a view nor an action", v.Name, w)
			}
		}
		for _, a := range v.Actions {
			if a.Help == "" {
				t.Errorf("%s has no help", a.Name)
			}
			for _, k := range a.Keys {
				if !ValidKeyName(k) {
					t.Errorf("%s: %q is not a key name", a.Name, k)
				}
			}
			for _, o := range a.Apart {
				if !strings.HasPrefix(o, v.Name+".") || !km.Has(o) {
					t.Errorf("%s: Apart %q is not an action of %s", a.Name, o, v.Name)
				}
			}
		}
	}
}

func TestRebind(t *testing.T) {
	km := Default()
	w := km.Rebind([]Rebinding{
		{Action: "list.down", Keys: []string{"n", "down"}, Where: "config.toml:2"},
		// A swap is no clash: both move at once.
		{Action: "detail.next_issue", Keys: []string{"p"}, Where: "config.toml:3"},
		{Action: "detail.prev_issue", Keys: []string{"n"}, Where: "config.toml:4"},
		{Action: "list.dwon", Keys: []string{"x"}, Where: "config.toml:5"},
		{Action: "list.up", Keys: []string{"t"}, Where: "config.toml:6"},
		{Action: "list.top", Keys: []string{"Home"}, Where: "config.toml:7"},
		{Action: "boards.up", Keys: []string{"x"}, Where: "config.toml:8"},
		{Action: "jql.run", Keys: []string{"ctrl+r", "x"}, Where: "config.toml:9"},
		{Action: "picker.retry", Keys: []string{"R"}, Where: "config.toml:10"},
	})
	if got := km.Keys("list.down"); !slices.Equal(got, []string{"n", "down"}) {
		t.Errorf("list.down = %v", got)
	}
	if got := km.Keys("detail.next_issue"); !slices.Equal(got, []string{"p"}) {
		t.Errorf("detail.next_issue = %v", got)
	}
	// Not named: the defaults.
	if got := km.Keys("list.bottom"); !slices.Equal(got, []string{"G", "end"}) {
		t.Errorf("list.bottom = %v", got)
	}
	// Refused: unknown action, clash, bad key name; each keeps its keys.
	if got := km.Keys("list.up"); !slices.Equal(got, []string{"k", "up"}) {
		t.Errorf("list.up = %v after a clash", got)
	}
	// A printable key for an action of a text input: only where the
	// action had one (retry acts when nothing is typed).
	if got := km.Keys("jql.run"); !slices.Equal(got, []string{"enter"}) {
		t.Errorf("jql.run = %v", got)
	}
	if got := km.Keys("picker.retry"); !slices.Equal(got, []string{"R"}) {
		t.Errorf("picker.retry = %v", got)
	}
	if got := km.Keys("list.top"); !slices.Equal(got, []string{"g", "home"}) {
		t.Errorf("list.top = %v after a bad key", got)
	}
	want := []string{
		`config.toml:5: keys.list.dwon is not a jiffy action; it is ignored (jiffy keys lists them); did you mean list.down?`,
		`config.toml:7: keys.list.top: "Home" is not a key name`,
		`config.toml:8: keys.boards.up is not a jiffy action; it is ignored (jiffy keys lists them); views: global,`,
		`config.toml:9: keys.jql.run: "x" types a character in JQL prompt, a text input where printable keys are text`,
		`config.toml:6: keys.list.up: "t" is already the key of triage.transition (both work in the Issue list view); list.up keeps ↑/k`,
	}
	if len(w) != len(want) {
		t.Fatalf("warnings:\n%s", strings.Join(w, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(w[i], want[i]) {
			t.Errorf("warning %d:\n got %s\nwant %s…", i, w[i], want[i])
		}
	}
	b := km.Binding("list.down")
	if b.Help().Key != "n/↓" || !b.Enabled() {
		t.Errorf("help of a rebound key: %q", b.Help().Key)
	}
	// The defaults are untouched by a rebinding.
	if got := Default().Keys("list.down"); !slices.Equal(got, []string{"j", "down"}) {
		t.Errorf("defaults changed: %v", got)
	}
	if got := (*Map)(nil).Keys("list.down"); !slices.Equal(got, []string{"j", "down"}) {
		t.Errorf("nil map: %v", got)
	}
}

// Two rebound actions that clash: the later line is refused, naming the
// earlier one.
func TestRebindClashBetweenRebindings(t *testing.T) {
	km := Default()
	w := km.Rebind([]Rebinding{
		{Action: "list.refresh", Keys: []string{"x"}, Where: "c:2"},
		{Action: "list.preview", Keys: []string{"x"}, Where: "c:3"},
	})
	if len(w) != 1 || !strings.HasPrefix(w[0], `c:3: keys.list.preview: "x" is already the key of list.refresh`) {
		t.Fatalf("warnings %q", w)
	}
	if !slices.Equal(km.Keys("list.refresh"), []string{"x"}) || !slices.Equal(km.Keys("list.preview"), []string{"p"}) {
		t.Errorf("refresh %v preview %v", km.Keys("list.refresh"), km.Keys("list.preview"))
	}
	// An empty list unbinds: the binding is off.
	km = Default()
	if w := km.Rebind([]Rebinding{{Action: "list.preview", Keys: nil, Where: "c:2"}}); len(w) > 0 {
		t.Fatal(w)
	}
	if km.Binding("list.preview").Enabled() {
		t.Error("an action with no key is enabled")
	}
}

func TestBuiltin(t *testing.T) {
	b := Default().Builtin()
	for view, want := range map[string][]string{
		"list":   {"j", "t", "q", "ctrl+c", "B", "ctrl+f", "?", "f1", "V"},
		"detail": {"n", "t", "B", "ctrl+c", "E", "q"},
	} {
		for _, k := range want {
			if !slices.Contains(b[view], k) {
				t.Errorf("%s lacks %q", view, k)
			}
		}
	}
	km := Default()
	km.Rebind([]Rebinding{{Action: "list.range", Keys: []string{"v"}, Where: "c:1"}})
	if b := km.Builtin(); !slices.Contains(b["list"], "v") || slices.Contains(b["list"], "V") {
		t.Errorf("builtin keys do not follow a rebinding: %v", b["list"])
	}
}

func TestValidKeyName(t *testing.T) {
	for k, want := range map[string]bool{
		"j": true, "J": true, "?": true, "ctrl+j": true, "alt+shift+tab": true, "shift+alt+tab": false, "shift+tab": true, "ctrl+alt+x": true,
		"enter": true, "pgdown": true, "f5": true, "f20": true, "f21": false, "Down": false, "": false, "jj": false,
		"ctrl+": false, " ": false, "space": true, "é": true,
	} {
		if got := ValidKeyName(k); got != want {
			t.Errorf("%q: %v, want %v", k, got, want)
		}
	}
}

// The keymap is built once at start; views ask it for bindings as they
// are made (a list, an overlay), so both stay cheap.
func BenchmarkDefaultAndRebind(b *testing.B) {
	rs := []Rebinding{{Action: "list.down", Keys: []string{"n", "down"}, Where: "c:1"}, {Action: "list.up", Keys: []string{"u"}, Where: "c:2"}}
	for b.Loop() {
		Default().Rebind(rs)
	}
}

func BenchmarkNewList(b *testing.B) {
	km := Default()
	for b.Loop() {
		_ = NewList(km)
	}
}
