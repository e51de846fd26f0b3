package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// rawKey is a key named outside the keymap registry: a key string compared
// (msg.String() == "x", switch msg.String() { case "enter": }), a binding
// made on the spot (key.WithKeys), or a key's code tested by hand.
var rawKey = regexp.MustCompile(`\.String\(\)\s*(==|!=)\s*"|switch\s+[\w.]+\.String\(\)\s*\{|\bkey\.WithKeys\(|\.Code\s*(==|!=)|case\s+tea\.Key(Enter|Escape|Esc|Tab|Space|Up|Down|Left|Right|Backspace|Delete|Home|End|PgUp|PgDown|F\d+)\b`)

// rawKeyAllowed are the lines that may name keys themselves: the registry,
// the user's own [[commands]] (their keys come from the config file), and
// the textarea's own editing keys (end of line, next line), which are the
// text input's, not jiffy actions.
var rawKeyAllowed = map[string]bool{
	"own.go":           true,
	"compose/keys.go":  true, // textareaKeys
	"internal":         true, // test drivers
	"keys/keymap.go":   true,
	"keys/keys.go":     true,
	"keys/registry.go": true,
}

// TestNoRawKeys greps the UI for keys named outside the registry
// (tui/keys): every key a view acts on is an action there, so help, the
// config's [keys] and `jiffy keys` cannot drift from what the keys do.
func TestNoRawKeys(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel := filepath.ToSlash(path)
		if rawKeyAllowed[rel] || rawKeyAllowed[strings.SplitN(rel, "/", 2)[0]] || strings.HasPrefix(rel, "internal/") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if rawKey.MatchString(code) {
				t.Errorf("%s:%d names a key outside the keymap registry (tui/keys/registry.go): %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
