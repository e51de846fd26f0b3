package detail

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"strconv"
	"strings"
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

// TestMarkdownColoursFromPalette: every colour in a rendered description
// (headings, emphasis, code, links, quotes, a table) is one of the
// palette's, in every theme: none of glamour's own colours is left.
func TestMarkdownColoursFromPalette(t *testing.T) {
	sgr := regexp.MustCompile(`\x1b\[([0-9;]*)m`)
	for _, tc := range themeCases {
		c := testCommon()
		c.Styles = tc.theme.Styles(tc.dark)
		allowed := map[string]bool{}
		p := c.Styles.Palette
		for _, col := range []color.Color{p.Fg, p.Muted, p.Subtle, p.Accent, p.Border, p.Selection, p.SelectionFg, p.ToDo, p.InProgress, p.Done, p.Error, p.Warning, p.Success, p.Heading, p.Code, p.Link} {
			allowed[common.ColorSpec(col)] = true
		}
		out := strings.Join(renderUncached(richDescription+"\n\n# Top heading\n", 60, themeOf(c)), "\n")
		seen := 0
		for _, m := range sgr.FindAllStringSubmatch(out, -1) {
			ps := strings.Split(m[1], ";")
			for i := 0; i < len(ps); i++ {
				var spec string
				switch n, _ := strconv.Atoi(ps[i]); {
				case (n == 38 || n == 48) && i+4 < len(ps) && ps[i+1] == "2":
					r, _ := strconv.Atoi(ps[i+2])
					g, _ := strconv.Atoi(ps[i+3])
					b, _ := strconv.Atoi(ps[i+4])
					spec = fmt.Sprintf("#%02x%02x%02x", r, g, b)
					i += 4
				case (n == 38 || n == 48) && i+2 < len(ps) && ps[i+1] == "5":
					spec = ps[i+2]
					i += 2
				case 30 <= n && n <= 37, 40 <= n && n <= 47:
					spec = strconv.Itoa(n % 10)
				case 90 <= n && n <= 97, 100 <= n && n <= 107:
					spec = strconv.Itoa(n%10 + 8)
				default:
					continue
				}
				seen++
				if !allowed[spec] {
					t.Errorf("%s: colour %s (in %q) is not the palette's", tc.name, spec, m[0])
				}
			}
		}
		if tc.theme.NoColor != (seen == 0) {
			t.Errorf("%s: %d colours drawn", tc.name, seen)
		}
	}
}
