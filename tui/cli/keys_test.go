package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

const keysConfig = `[keys]
list.down = ["n", "down"]
list.dwon = ["x"]
list.up = ["t"]

[[commands]]
name = "tests"
key = "r"
run = "make test"
`

// withConfig is the fake with its config file holding text.
func withConfig(t *testing.T, text string) *fake {
	f := startFake(t, fakejira.FlavorCloud, 3)
	if err := os.WriteFile(filepath.Join(f.dir, "none.toml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// jiffy keys prints the keymap in force: the config's rebinding applied
// and marked, the rest on their defaults; what was refused is said on
// stderr with file:line and both actions' names.
func TestKeysCommand(t *testing.T) {
	f := withConfig(t, keysConfig)
	code, out, errOut := f.run(t, "", "keys")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"list: Issue list (with global, triage)",
		"list.down", "n down", "down *", // rebound, marked
		"list.up", "k up", // refused: the default
		"triage.transition", "detail.back", "esc q backspace h",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("jiffy keys lacks %q:\n%s", want, out)
		}
	}
	cfg := filepath.Join(f.dir, "none.toml")
	for _, want := range []string{
		cfg + ":3: keys.list.dwon is not a jiffy action; it is ignored (jiffy keys lists them); did you mean list.down?",
		cfg + `:4: keys.list.up: "t" is already the key of triage.transition (both work in the Issue list view); list.up keeps ↑/k`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}

	code, out, errOut = f.run(t, "", "keys", "--output", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var all []keys.Bound
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	found := false
	for _, b := range all {
		if b.Name == "list.down" {
			found = true
			if !slices.Equal(b.Keys, []string{"n", "down"}) || !b.Rebound || b.View != "list" || b.Help != "down" {
				t.Errorf("list.down: %+v", b)
			}
		}
	}
	if !found || len(all) < 100 {
		t.Errorf("%d actions, list.down found: %v", len(all), found)
	}
	if code, _, errOut = f.run(t, "", "keys", "--output", "csv"); code != ExitUsage {
		t.Errorf("--output csv: exit %d %s", code, errOut)
	}
}

// jiffy status lists the [keys] and [[commands]] warnings with the file's
// own: a command on a key jiffy uses is refused there too.
func TestStatusListsKeyAndCommandWarnings(t *testing.T) {
	f := withConfig(t, keysConfig)
	_, out, errOut := f.run(t, "", "status")
	cfg := filepath.Join(f.dir, "none.toml")
	for _, want := range []string{
		cfg + ":3: keys.list.dwon is not a jiffy action",
		cfg + `:4: keys.list.up: "t" is already the key of triage.transition`,
		cfg + `:6: command "tests": key "r" is already a jiffy key`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s%s", want, out, errOut)
		}
	}
}
