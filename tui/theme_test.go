package tui

import (
	"image/color"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// The root builds the styles from the configured theme, again when the
// terminal's background arrives: auto follows it, a pinned preset and the
// overrides stay.
func TestThemeFollowsBackground(t *testing.T) {
	light := tea.BackgroundColorMsg{Color: color.White}
	dark := tea.BackgroundColorMsg{Color: color.Black}

	m := ready(t, 80, 24, 3, Options{})
	m = upd(t, m, light)
	if !reflect.DeepEqual(m.c.Styles.Palette, common.Theme{}.Palette(false)) {
		t.Error("auto did not turn light on a light background")
	}
	m = upd(t, m, dark)
	if !reflect.DeepEqual(m.c.Styles.Palette, common.Theme{}.Palette(true)) {
		t.Error("auto did not turn dark on a dark background")
	}

	th := common.Theme{Preset: common.PresetDark, Colors: map[string]string{"accent": "#d33682"}}
	m = ready(t, 80, 24, 3, Options{Theme: th})
	m = upd(t, m, light)
	p := m.c.Styles.Palette
	if !p.Dark || common.ColorSpec(p.Accent) != "#d33682" {
		t.Errorf("the dark preset with an accent became dark=%v accent=%s on a light background", p.Dark, common.ColorSpec(p.Accent))
	}
	// The list draws with it: an issue key in the overridden accent.
	if v := m.View().Content; !strings.Contains(v, "38;2;211;54;130m") {
		t.Error("the list does not draw in the overridden accent")
	}
}

func TestThemeFromEnvironment(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	if th := Theme("solarized", nil, env(nil)); th.NoColor || th.Preset != "solarized" {
		t.Errorf("without NO_COLOR: %+v", th)
	}
	if th := Theme("solarized", nil, env(map[string]string{"NO_COLOR": "1"})); !th.NoColor {
		t.Error("NO_COLOR=1 is not honoured")
	}
	// https://no-color.org: set to an empty string means not set.
	if th := Theme("", nil, env(map[string]string{"NO_COLOR": ""})); th.NoColor {
		t.Error("an empty NO_COLOR turned colour off")
	}
	m := ready(t, 80, 24, 3, Options{Theme: Theme("", nil, env(map[string]string{"NO_COLOR": "1"}))})
	m = upd(t, m, tea.BackgroundColorMsg{Color: color.White})
	v := m.View().Content
	if strings.Contains(v, "38;2;") || strings.Contains(v, "48;2;") {
		t.Error("NO_COLOR: the screen has colours")
	}
	if !strings.Contains(v, "\x1b[7m") {
		t.Error("NO_COLOR: the cursor row is not reversed")
	}
}
