package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const keysFile = `default = "w"

[profiles.w]
url = "https://acme.atlassian.net"

[keys]
list.down = ["n", "down"]
detail.back = "esc"
"list.up" = ["e"]
list.refresh = 5

[keys.find]
open = ["enter", "tab"]
`

// [keys]: dotted names, quoted names and [keys.view] tables read alike,
// each with its line; a value that is not a key or a list of keys is a
// warning with file:line; a save keeps the table.
func TestKeysConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(keysFile), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []KeyBinding{
		{Action: "list.down", Keys: []string{"n", "down"}, Line: 7},
		{Action: "detail.back", Keys: []string{"esc"}, Line: 8},
		{Action: "list.up", Keys: []string{"e"}, Line: 9},
		{Action: "find.open", Keys: []string{"enter", "tab"}, Line: 13},
	}
	got := c.KeyBindings()
	if len(got) != len(want) {
		t.Fatalf("bindings %+v", got)
	}
	for i := range want {
		if got[i].Action != want[i].Action || !slices.Equal(got[i].Keys, want[i].Keys) || got[i].Line != want[i].Line {
			t.Errorf("binding %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], path+":10: keys.list.refresh must be a key in quotes or a list of them") {
		t.Errorf("warnings %q", c.Warnings)
	}
	// A save keeps [keys] (re-read: the same bindings).
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range again.KeyBindings() {
		names = append(names, b.Action)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"detail.back", "find.open", "list.down", "list.up"}) {
		t.Errorf("after a save: %v", names)
	}
}
