package common

import (
	"image/color"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/config"
)

// The config checks [theme] against its own lists (it cannot import the
// UI); they must name exactly what the palette has.
func TestThemeNamesMatchConfig(t *testing.T) {
	if !slices.Equal(ColorNames, config.ThemeColors) {
		t.Errorf("colour names %v, config accepts %v", ColorNames, config.ThemeColors)
	}
	if !slices.Equal(Presets, config.ThemePresets) {
		t.Errorf("presets %v, config accepts %v", Presets, config.ThemePresets)
	}
	var p Palette
	colorType := reflect.TypeFor[color.Color]()
	n := 0
	for f := range reflect.TypeOf(p).Fields() {
		if f.Type == colorType {
			n++
		}
	}
	if n != len(ColorNames) {
		t.Errorf("the palette has %d colours, %d have a name", n, len(ColorNames))
	}
	seen := map[*color.Color]string{}
	for _, name := range ColorNames {
		f := p.field(name)
		if f == nil {
			t.Errorf("colour name %q sets nothing", name)
			continue
		}
		if other, ok := seen[f]; ok {
			t.Errorf("%q and %q set the same colour", name, other)
		}
		seen[f] = name
	}
}

// Every preset sets every colour, on both backgrounds.
func TestPresetsAreComplete(t *testing.T) {
	for _, preset := range Presets {
		for _, dark := range []bool{true, false} {
			p := Theme{Preset: preset}.Palette(dark)
			want := dark
			switch preset {
			case PresetDark:
				want = true
			case PresetLight:
				want = false
			}
			if p.Dark != want {
				t.Errorf("%s dark=%v: palette says dark=%v", preset, dark, p.Dark)
			}
			for _, name := range ColorNames {
				if *p.field(name) == nil {
					t.Errorf("%s dark=%v: %s is unset", preset, dark, name)
				}
			}
		}
	}
	// dark and light are auto pinned.
	if !reflect.DeepEqual(Theme{Preset: PresetDark}.Palette(false).Accent, Theme{}.Palette(true).Accent) ||
		!reflect.DeepEqual(Theme{Preset: PresetLight}.Palette(true).Accent, Theme{}.Palette(false).Accent) {
		t.Error("dark and light do not ignore the background")
	}
	// Unknown (the config has warned) is auto.
	if !reflect.DeepEqual(Theme{Preset: "neon"}.Palette(true), Theme{}.Palette(true)) {
		t.Error("an unknown preset is not the default")
	}
}

func TestOverrides(t *testing.T) {
	th := Theme{Preset: PresetSolarized, Colors: map[string]string{
		"accent": "#d33682", "done": "10", "muted": "245", "error": "red", "nope": "#000000",
	}}
	p := th.Palette(true)
	base := Theme{Preset: PresetSolarized}.Palette(true)
	if ColorSpec(p.Accent) != "#d33682" || ColorSpec(p.Done) != "10" || ColorSpec(p.Muted) != "245" {
		t.Errorf("overrides not applied: accent %s done %s muted %s", ColorSpec(p.Accent), ColorSpec(p.Done), ColorSpec(p.Muted))
	}
	if !reflect.DeepEqual(p.Error, base.Error) {
		t.Error("a bad value replaced the preset's colour")
	}
	// The styles follow the palette.
	if got := th.Styles(true).Key.Render("K"); !strings.Contains(got, "38;2;211;54;130") {
		t.Errorf("key style %q does not use the overridden accent", got)
	}
}

func TestParseColor(t *testing.T) {
	for in, want := range map[string]string{
		"#A0b1C2": "#a0b1c2", "0": "0", "15": "15", "255": "255", "16": "16",
		"#12345": "", "#1234567": "", "256": "", "-1": "", "007": "", "red": "", "": "", "#gg0000": "",
	} {
		c, ok := ParseColor(in)
		got := ""
		if ok {
			got = ColorSpec(c)
		}
		if got != want {
			t.Errorf("ParseColor(%q) = %q, want %q", in, got, want)
		}
	}
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

// NO_COLOR: no style emits a colour, and the highlights that carried
// meaning in colour keep an attribute.
func TestNoColor(t *testing.T) {
	for _, preset := range Presets {
		s := Theme{Preset: preset, NoColor: true, Colors: map[string]string{"accent": "#ff0000"}}.Styles(true)
		v := reflect.ValueOf(s)
		for i := range v.NumField() {
			st, ok := v.Field(i).Interface().(lipgloss.Style)
			if !ok {
				continue
			}
			if out := st.Render("x"); colourSGR.MatchString(out) {
				t.Errorf("%s: %s renders a colour: %q", preset, v.Type().Field(i).Name, out)
			}
		}
		if got := s.Status("Done", "done"); colourSGR.MatchString(got) {
			t.Errorf("%s: status renders a colour: %q", preset, got)
		}
		for name, st := range map[string]lipgloss.Style{"Selected": s.Selected, "Marked": s.Marked, "Title": s.Title, "ActiveTab": s.ActiveTab} {
			if st.Render("x") == "x" {
				t.Errorf("%s: %s is invisible without colour", preset, name)
			}
		}
		if !s.Selected.GetReverse() {
			t.Errorf("%s: the cursor row is not reversed", preset)
		}
	}
}

// high-contrast keeps its promise: text colours at 7:1 or more against
// the background the preset is for (GitHub's high-contrast backgrounds).
func TestHighContrast(t *testing.T) {
	for _, bg := range []struct {
		dark bool
		hex  string
	}{{true, "#0A0C10"}, {false, "#FFFFFF"}} {
		p := Theme{Preset: PresetHighContrast}.Palette(bg.dark)
		back := lipgloss.Color(bg.hex)
		for _, name := range []string{"fg", "muted", "accent", "todo", "in_progress", "done", "error", "warning", "success", "heading", "code", "link"} {
			if r := contrast(*p.field(name), back); r < 7 {
				t.Errorf("dark=%v: %s has contrast %.2f, want 7 or more", bg.dark, name, r)
			}
		}
		if r := contrast(p.SelectionFg, p.Selection); r < 7 {
			t.Errorf("dark=%v: the cursor row has contrast %.2f", bg.dark, r)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := relLum(a), relLum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func relLum(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// No view picks a colour of its own: colours are written only in the
// palette (theme.go), and the Bubbles components' own colours
// (DefaultStyles) are replaced by the palette's (widgets.go).
func TestNoColourOutsideThePalette(t *testing.T) {
	bad := regexp.MustCompile(`lipgloss\.(Color|ANSIColor|LightDark)\(|DefaultStyles\(|color\.RGBA\{|ansi\.(BasicColor|IndexedColor|TrueColor)\(|"#[0-9a-fA-F]{6}"`)
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// The copy of glamour (and its highlighter) keeps upstream's
		// styles; the detail clears every colour of the style it uses and
		// paints it from the palette (detail.TestMarkdownColoursFromPalette
		// checks what is drawn).
		if d.IsDir() && (path == filepath.Join(root, "internal", "glamour") || path == filepath.Join(root, "internal", "highlight")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if path == filepath.Join(root, "common", "theme.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if code, _, _ := strings.Cut(line, "//"); bad.MatchString(code) {
				t.Errorf("%s:%d: a colour outside the palette: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
