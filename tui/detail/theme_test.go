package detail

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
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
		for _, spec := range sgrColors(out) {
			seen++
			if !allowed[spec] {
				t.Errorf("%s: colour %s is not the palette's", tc.name, spec)
			}
		}
		if tc.theme.NoColor != (seen == 0) {
			t.Errorf("%s: %d colours drawn", tc.name, seen)
		}
	}
}

// sgrColors are the colours the SGR sequences in s set, foreground and
// background, as ColorSpec writes them ("#rrggbb" or an ANSI number).
func sgrColors(s string) []string {
	var out []string
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		ps := strings.Split(m[1], ";")
		for i := 0; i < len(ps); i++ {
			switch n, _ := strconv.Atoi(ps[i]); {
			case (n == 38 || n == 48) && i+4 < len(ps) && ps[i+1] == "2":
				r, _ := strconv.Atoi(ps[i+2])
				g, _ := strconv.Atoi(ps[i+3])
				b, _ := strconv.Atoi(ps[i+4])
				out = append(out, fmt.Sprintf("#%02x%02x%02x", r, g, b))
				i += 4
			case (n == 38 || n == 48) && i+2 < len(ps) && ps[i+1] == "5":
				out = append(out, ps[i+2])
				i += 2
			case 30 <= n && n <= 37, 40 <= n && n <= 47:
				out = append(out, strconv.Itoa(n%10))
			case 90 <= n && n <= 97, 100 <= n && n <= 107:
				out = append(out, strconv.Itoa(n%10+8))
			}
		}
	}
	return out
}

var sgrRE = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// goBlock is a Go code block with a token of each kind the palette
// colours: keywords, a function, a builtin, a string, a number, a comment.
const goBlock = "```go\nfunc retry(n int) error {\n\tfor i := 0; i < n; i++ { // up to n times\n\t\tif err := save(\"KP-1\", 42); err == nil {\n\t\t\treturn nil\n\t\t}\n\t}\n\treturn fmt.Errorf(\"gave up\")\n}\n```\n"

// spanColor is the colours the text tok is drawn in: those of the SGR in
// force where it starts on the first line that shows it.
func spanColor(t *testing.T, lines []string, tok string) []string {
	t.Helper()
	for _, l := range lines {
		var text strings.Builder
		var sgrAt []string // the SGR in force at each byte of text
		cur := ""
		for l != "" {
			if loc := sgrRE.FindStringIndex(l); loc != nil && loc[0] == 0 {
				cur = l[:loc[1]]
				if cur == "\x1b[m" || cur == "\x1b[0m" {
					cur = ""
				}
				l = l[loc[1]:]
				continue
			}
			text.WriteByte(l[0])
			sgrAt = append(sgrAt, cur)
			l = l[1:]
		}
		if i := strings.Index(text.String(), tok); i >= 0 {
			return sgrColors(sgrAt[i])
		}
	}
	t.Fatalf("%q is not in %q", tok, lines)
	return nil
}

// TestCodeHighlightedInPalette: a Go code block is highlighted, in at
// least three palette colours, in every theme with colours; each kind of
// token has its palette role, written as the rest of the screen writes
// that colour (true colour for a hex colour, the 16-colour SGR for an
// ANSI one).
func TestCodeHighlightedInPalette(t *testing.T) {
	for _, tc := range themeCases {
		if tc.theme.NoColor {
			continue
		}
		c := testCommon()
		c.Styles = tc.theme.Styles(tc.dark)
		p := c.Styles.Palette
		spec := common.ColorSpec
		allowed := map[string]bool{}
		for _, col := range []color.Color{p.Fg, p.Muted, p.Subtle, p.Accent, p.Border, p.Selection, p.SelectionFg, p.ToDo, p.InProgress, p.Done, p.Error, p.Warning, p.Success, p.Heading, p.Code, p.Link} {
			allowed[spec(col)] = true
		}
		lines := renderUncached(goBlock, 80, themeOf(c))
		distinct := map[string]bool{}
		for _, col := range sgrColors(strings.Join(lines, "\n")) {
			if !allowed[col] {
				t.Errorf("%s: colour %s is not the palette's", tc.name, col)
			}
			distinct[col] = true
		}
		if len(distinct) < 3 {
			t.Errorf("%s: code drawn in %d colours %v, want at least 3:\n%q", tc.name, len(distinct), distinct, lines)
		}
		for tok, want := range map[string]string{
			"func":       spec(p.Heading),
			"retry":      spec(p.Link),
			`"KP-1"`:     spec(p.Success),
			"42":         spec(p.Warning),
			"// up to n": spec(p.Muted),
			"err := ":    spec(p.Code),
			"Errorf":     spec(p.Link),
			`"gave up"`:  spec(p.Success),
		} {
			if got := spanColor(t, lines, tok); len(got) != 1 || got[0] != want {
				t.Errorf("%s: %q drawn in %v, want %s", tc.name, tok, got, want)
			}
		}
	}
	// The ansi preset draws code in the terminal's own 16 colours.
	c := testCommon()
	c.Styles = common.Theme{Preset: common.PresetANSI}.Styles(true)
	out := strings.Join(renderUncached(goBlock, 80, themeOf(c)), "\n")
	for _, want := range []string{"\x1b[95mfunc", "\x1b[94mretry", "\x1b[92m\"KP-1\"", "\x1b[93m42", "\x1b[90m// up to n"} {
		if !strings.Contains(out, want) {
			t.Errorf("ansi: no %q in %q", want, out)
		}
	}
	if strings.Contains(out, "38;2;") || strings.Contains(out, "38;5;") {
		t.Errorf("ansi: code drawn outside the 16 colours: %q", out)
	}
}

// TestCodeNoColor: under NO_COLOR code has no colour; keywords are bold
// and the code reads as written.
func TestCodeNoColor(t *testing.T) {
	c := testCommon()
	c.Styles = common.Theme{Preset: common.PresetSolarized, NoColor: true}.Styles(true)
	lines := renderUncached(goBlock, 80, themeOf(c))
	out := strings.Join(lines, "\n")
	if cols := sgrColors(out); len(cols) != 0 {
		t.Errorf("colours %v under NO_COLOR: %q", cols, out)
	}
	if !strings.Contains(out, "\x1b[1mfunc") || !strings.Contains(out, "\x1b[1mreturn") {
		t.Errorf("keywords are not bold: %q", out)
	}
	if got := plain(out); !strings.Contains(got, `if err := save("KP-1", 42); err == nil {`) {
		t.Errorf("code text changed: %q", got)
	}
}

// TestCodeColoursInCacheKey: a palette colour that only code uses still
// changes the render's cache key, so changing it re-renders.
func TestCodeColoursInCacheKey(t *testing.T) {
	for _, name := range []string{"error", "warning", "success"} {
		a := common.Theme{Preset: common.PresetDark}
		b := common.Theme{Preset: common.PresetDark, Colors: map[string]string{name: "#123456"}}
		ca, cb := testCommon(), testCommon()
		ca.Styles, cb.Styles = a.Styles(true), b.Styles(true)
		if themeOf(ca).id == themeOf(cb).id {
			t.Errorf("%s: the theme id does not change with it", name)
		}
	}
}

// TestCodeFollowsColourProfile: through the terminal's colour profile
// (Bubble Tea writes the frame through one), a code token comes out in
// the SGR a lipgloss style of the same palette colour comes out in: the
// 256-colour index on a 256-colour terminal, the 16-colour one on a
// 16-colour terminal, true colour where allowed.
func TestCodeFollowsColourProfile(t *testing.T) {
	c := testCommon()
	c.Styles = common.Theme{Preset: common.PresetDark}.Styles(true)
	p := c.Styles.Palette
	code := strings.Join(renderUncached(goBlock, 80, themeOf(c)), "\n")
	for _, prof := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
		through := func(s string) string {
			var b bytes.Buffer
			w := colorprofile.Writer{Forward: &b, Profile: prof}
			if _, err := w.WriteString(s); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		out := through(code)
		for tok, col := range map[string]color.Color{"func": p.Heading, `"KP-1"`: p.Success, "// up to n": p.Muted} {
			want := through(lipgloss.NewStyle().Foreground(col).Render(tok))
			want = want[:strings.Index(want, tok)+len(tok)]
			if !strings.Contains(out, want) {
				t.Errorf("%v: %q is not drawn as %q in %q", prof, tok, want, out)
			}
		}
	}
}
