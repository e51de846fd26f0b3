package tui

import "github.com/jiffy-tui/jiffy/tui/common"

// Theme is the colours jiffy draws with: the config's preset and colour
// overrides (already checked by the config), and no colour at all when
// NO_COLOR is set to anything but "" (https://no-color.org).
func Theme(preset string, colors map[string]string, getenv func(string) string) common.Theme {
	return common.Theme{Preset: preset, Colors: colors, NoColor: getenv("NO_COLOR") != ""}
}
