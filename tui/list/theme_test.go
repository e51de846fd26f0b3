package list

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// themeCases are the themes the goldens show: each preset on the
// background it is meant for (the background-following ones on both), no
// colour, and a preset with colours overridden as in the config.
var themeCases = []struct {
	name  string
	theme common.Theme
	dark  bool
}{
	{"auto_dark", common.Theme{}, true},
	{"auto_light", common.Theme{}, false},
	{"dark", common.Theme{Preset: common.PresetDark}, true},
	{"light", common.Theme{Preset: common.PresetLight}, false},
	{"high-contrast_dark", common.Theme{Preset: common.PresetHighContrast}, true},
	{"high-contrast_light", common.Theme{Preset: common.PresetHighContrast}, false},
	{"ansi", common.Theme{Preset: common.PresetANSI}, true},
	{"solarized_dark", common.Theme{Preset: common.PresetSolarized}, true},
	{"solarized_light", common.Theme{Preset: common.PresetSolarized}, false},
	{"no_color", common.Theme{Preset: common.PresetSolarized, NoColor: true}, true},
	{"override", common.Theme{Preset: common.PresetSolarized, Colors: map[string]string{"accent": "#d33682", "selection": "#ffffff", "selection_fg": "0", "done": "10"}}, true},
}

// truecolor passes s through a terminal writer with a fixed colour
// profile, so the golden holds what a 24-bit terminal receives whatever
// the environment of the test.
func truecolor(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := colorprofile.Writer{Forward: &b, Profile: colorprofile.TrueColor}
	if _, err := w.WriteString(s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGoldenTheme keeps the colours (ANSI kept in the golden files): the
// cursor row, a marked row, keys, statuses and tabs in each theme.
// Regenerate with: go test ./tui/list -run TestGoldenTheme -update
func TestGoldenTheme(t *testing.T) {
	for _, tc := range themeCases {
		t.Run(tc.name, func(t *testing.T) {
			m := loaded(t, 80, 10, 6, 6, Options{Queries: []Tab{{Name: "Mine", JQL: DefaultJQL}, {Name: "Team", JQL: "project = ABC"}}})
			m = send(t, m, key("j"), key("space"), key("j"))
			m.c.Styles = tc.theme.Styles(tc.dark)
			m.Restyle()
			golden.RequireEqual(t, truecolor(t, m.View()))
		})
	}
}
