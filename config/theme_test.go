package config

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const themeFile = `[profiles.w]
url = "https://acme.atlassian.net"

[theme]
preset = "solarized"
accent = "#D33682"
muted = 245
code = "12"
colour = "#ffffff"
error = "red"
link = "#12345"
border = 300
`

func TestThemeConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(themeFile), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got := c.ThemeChoice()
	if got.Preset != "solarized" {
		t.Errorf("preset %q, want solarized", got.Preset)
	}
	// Well-formed overrides apply (hex lower-cased, numbers bare or
	// quoted); the bad ones are left out, so the preset's colour stays.
	want := map[string]string{"accent": "#d33682", "muted": "245", "code": "12"}
	if !maps.Equal(got.Colors, want) {
		t.Errorf("colours %v, want %v", got.Colors, want)
	}
	wantWarn := []string{
		path + `:12: theme.border = 300 is not a colour; write "#rrggbb" or an ANSI colour number from 0 to 255; the preset's colour is used`,
		path + `:9: theme.colour is not a colour jiffy knows; it is ignored (colours: fg, muted, subtle, accent, border, selection, selection_fg, todo, in_progress, done, error, warning, success, heading, code, link)`,
		path + `:10: theme.error = "red" is not a colour; write "#rrggbb" or an ANSI colour number from 0 to 255; the preset's colour is used`,
		path + `:11: theme.link = "#12345" is not a colour; write "#rrggbb" or an ANSI colour number from 0 to 255; the preset's colour is used`,
	}
	if !slices.Equal(c.Warnings, wantWarn) {
		t.Errorf("warnings\n got %q\nwant %q", c.Warnings, wantWarn)
	}

	// A save keeps the table as written, bad entries included (the user
	// fixes them; jiffy does not silently drop them).
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(again.ThemeChoice().Colors, want) || again.ThemeChoice().Preset != "solarized" || len(again.Theme) != len(c.Theme) {
		t.Errorf("after a save: %v %+v", again.Theme, again.ThemeChoice())
	}
}

func TestThemePreset(t *testing.T) {
	for _, tc := range []struct {
		file, preset, warn string
	}{
		{"[theme]\npreset = \"light\"\n", "light", ""},
		{"", "", ""},
		{"[theme]\nfg = \"#000000\"\n", "", ""},
		{"[theme]\npreset = \"neon\"\n", "", ":2: theme.preset = \"neon\" is not a preset; use one of auto, dark, light, high-contrast, ansi, solarized; the default is used"},
		{"[theme]\n\npreset = 3\n", "", ":3: theme.preset must be a name in quotes (one of auto, dark, light, high-contrast, ansi, solarized); the default is used"},
	} {
		path := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if c.ThemeChoice().Preset != tc.preset {
			t.Errorf("%q: preset %q, want %q", tc.file, c.ThemeChoice().Preset, tc.preset)
		}
		var want []string
		if tc.warn != "" {
			want = []string{path + tc.warn}
		}
		if !slices.Equal(c.Warnings, want) {
			t.Errorf("%q: warnings %q, want %q", tc.file, c.Warnings, want)
		}
	}
}
