package detail

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
	{"override", common.Theme{Preset: common.PresetSolarized, Colors: map[string]string{"heading": "#d33682", "code": "208", "link": "#00ff00", "fg": "#ffffff"}}, true},
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

// TestGoldenTheme keeps the colours (ANSI kept in the golden files) of
// the header and of the Markdown (headings, emphasis, code, links, a
// quote) and of a selected link in each theme. Regenerate with:
// go test ./tui/detail -run TestGoldenTheme -update
func TestGoldenTheme(t *testing.T) {
	for _, tc := range themeCases {
		t.Run(tc.name, func(t *testing.T) {
			c := testCommon()
			c.Styles = tc.theme.Styles(tc.dark)
			m := New(c).SetSize(80, 40).SetIssue(richIssue())
			m, _ = send(t, m, press("tab")) // a link selected
			golden.RequireEqual(t, truecolor(t, m.View()))
		})
	}
}
