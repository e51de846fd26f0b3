package common

import (
	"image/color"
	"strconv"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Design note: every colour jiffy draws comes from one Palette. A preset
// gives the palette for a dark or a light background, the config's
// [theme] table overrides single colours of it, and NO_COLOR replaces all
// of them by "no colour". Styles (NewStyles) and the Markdown renderer
// (tui/detail) read only the palette, so a theme is one value and nothing
// in a View picks a colour of its own. A palette colour that is NoColor
// is drawn without colour: the styles then fall back to attributes (bold,
// underline, reverse video) wherever the colour carried meaning, so the
// cursor row and the selection stay visible.

// Palette is the handful of semantic colours every style is built from.
// A colour may be lipgloss.NoColor{}: the terminal's own.
type Palette struct {
	Fg, Muted, Subtle, Accent, Border, Selection, SelectionFg color.Color
	ToDo, InProgress, Done                                    color.Color
	Error, Warning, Success                                   color.Color
	// Heading, Code and Link colour the Markdown of descriptions and
	// comments (headings, inline code and code blocks, links and mentions).
	Heading, Code, Link color.Color

	// Dark says the palette is meant for a dark background (the Markdown
	// renderer's layout of quotes and code follows it).
	Dark bool
}

// The presets. Each exists for a reason:
//
//   - auto (the default) follows the terminal's background: "light" on a
//     light one, "dark" otherwise.
//   - dark and light are the auto palettes pinned, for terminals that do
//     not answer the background query (some multiplexers and serial
//     consoles) and so would always get dark.
//   - high-contrast keeps every text colour at WCAG AAA contrast (7:1 or
//     more) against its background and draws the cursor row in inverted
//     black and white: for low vision, projectors and sunlit screens.
//   - ansi uses only the terminal's 16 colours and its default foreground,
//     so the user's terminal colour scheme decides every shade; it also
//     suits terminals limited to 16 colours.
//   - solarized is the Solarized scheme (its dark and light variants share
//     the accents), for terminals and editors set up with it.
const (
	PresetAuto         = "auto"
	PresetDark         = "dark"
	PresetLight        = "light"
	PresetHighContrast = "high-contrast"
	PresetANSI         = "ansi"
	PresetSolarized    = "solarized"
)

// Presets are the preset names, in the order the README lists them.
var Presets = []string{PresetAuto, PresetDark, PresetLight, PresetHighContrast, PresetANSI, PresetSolarized}

// Theme is the user's choice of colours: a preset, overrides of single
// palette colours, and NO_COLOR. Its zero value is the auto preset.
type Theme struct {
	// Preset is one of Presets; "" or an unknown name is auto (the config
	// warns about unknown names).
	Preset string
	// Colors overrides palette colours by name (ColorNames): "#rrggbb" or
	// an ANSI colour number "0" to "255". Bad names or values are skipped
	// (the config has warned about them).
	Colors map[string]string
	// NoColor is NO_COLOR: no colour at all, whatever the preset.
	NoColor bool
}

// ColorNames are the names [theme] accepts for palette colours, in
// palette order.
var ColorNames = []string{
	"fg", "muted", "subtle", "accent", "border", "selection", "selection_fg",
	"todo", "in_progress", "done",
	"error", "warning", "success",
	"heading", "code", "link",
}

// field is the palette colour called name, or nil.
func (p *Palette) field(name string) *color.Color {
	switch name {
	case "fg":
		return &p.Fg
	case "muted":
		return &p.Muted
	case "subtle":
		return &p.Subtle
	case "accent":
		return &p.Accent
	case "border":
		return &p.Border
	case "selection":
		return &p.Selection
	case "selection_fg":
		return &p.SelectionFg
	case "todo":
		return &p.ToDo
	case "in_progress":
		return &p.InProgress
	case "done":
		return &p.Done
	case "error":
		return &p.Error
	case "warning":
		return &p.Warning
	case "success":
		return &p.Success
	case "heading":
		return &p.Heading
	case "code":
		return &p.Code
	case "link":
		return &p.Link
	}
	return nil
}

// Palette is the theme's palette for a dark or a light background.
func (t Theme) Palette(isDark bool) Palette {
	if t.NoColor {
		return noColorPalette(isDark)
	}
	var p Palette
	switch t.Preset {
	case PresetDark:
		p = githubPalette(true)
	case PresetLight:
		p = githubPalette(false)
	case PresetHighContrast:
		p = highContrastPalette(isDark)
	case PresetANSI:
		p = ansiPalette(isDark)
	case PresetSolarized:
		p = solarizedPalette(isDark)
	default:
		p = githubPalette(isDark)
	}
	for name, v := range t.Colors {
		c, ok := ParseColor(v)
		if f := p.field(name); f != nil && ok {
			*f = c
		}
	}
	return p
}

// Styles builds the theme's styles for a dark or a light background.
func (t Theme) Styles(isDark bool) Styles { return StylesFrom(t.Palette(isDark)) }

// NewStyles builds the default (auto) styles for a dark or light background.
func NewStyles(isDark bool) Styles { return Theme{}.Styles(isDark) }

// ParseColor reads a config colour: "#rrggbb" or an ANSI colour number
// from 0 to 255. ok is false for anything else.
func ParseColor(s string) (c color.Color, ok bool) {
	if len(s) == 7 && s[0] == '#' {
		for _, r := range s[1:] {
			if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
				return nil, false
			}
		}
		return lipgloss.Color(s), true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 || strconv.Itoa(n) != s {
		return nil, false
	}
	return lipgloss.Color(s), true
}

// IsNoColor reports whether c means "no colour" (nil or lipgloss.NoColor).
func IsNoColor(c color.Color) bool {
	if c == nil {
		return true
	}
	_, no := c.(lipgloss.NoColor)
	return no
}

// ColorSpec is c as a colour string Markdown styles take: an ANSI number
// for the terminal's palette colours (so the terminal's scheme still
// decides them), "#rrggbb" otherwise, "" for no colour.
func ColorSpec(c color.Color) string {
	switch c := c.(type) {
	case nil, lipgloss.NoColor:
		return ""
	case ansi.BasicColor:
		return strconv.Itoa(int(c))
	case ansi.IndexedColor:
		return strconv.Itoa(int(c))
	}
	r, g, b, _ := c.RGBA()
	const hex = "0123456789abcdef"
	out := []byte{'#', 0, 0, 0, 0, 0, 0}
	for i, v := range []uint32{r >> 8, g >> 8, b >> 8} {
		out[1+2*i], out[2+2*i] = hex[v>>4&0xf], hex[v&0xf]
	}
	return string(out)
}

// StylesFrom builds the styles from a palette. Where a colour is absent
// (NO_COLOR, or the ansi preset's selection), an attribute takes its
// place: the cursor row is reversed, titles and keys stay bold.
func StylesFrom(p Palette) Styles {
	s := Styles{Palette: p}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Key = lipgloss.NewStyle().Foreground(p.Accent)
	s.Text = lipgloss.NewStyle().Foreground(p.Fg)
	s.Muted = lipgloss.NewStyle().Foreground(p.Muted)
	s.Bold = lipgloss.NewStyle().Bold(true).Foreground(p.Fg)
	if IsNoColor(p.Selection) {
		// Reverse video is the one highlight every terminal shows.
		s.Selected = lipgloss.NewStyle().Reverse(true)
	} else {
		s.Selected = lipgloss.NewStyle().Background(p.Selection).Foreground(p.SelectionFg)
	}
	s.Marked = lipgloss.NewStyle().Foreground(p.Warning).Bold(true)
	s.Border = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(p.Muted)
	s.Label = lipgloss.NewStyle().Foreground(p.Muted)
	s.Error = lipgloss.NewStyle().Foreground(p.Error)
	s.Warning = lipgloss.NewStyle().Foreground(p.Warning)
	s.Success = lipgloss.NewStyle().Foreground(p.Success)
	if IsNoColor(p.Error) {
		s.Error = s.Error.Bold(true)
	}
	s.StatusBar = lipgloss.NewStyle().Foreground(p.Muted)
	s.StatusKey = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Tab = lipgloss.NewStyle().Foreground(p.Muted).Padding(0, 1)
	s.ActiveTab = lipgloss.NewStyle().Bold(true).Foreground(p.Accent).Padding(0, 1).Underline(true)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 1)
	s.FieldError = lipgloss.NewStyle().Foreground(p.Error).Italic(true)
	return s
}

// ld picks the light or the dark colour.
func ld(isDark bool, light, dark string) color.Color {
	if isDark {
		return lipgloss.Color(dark)
	}
	return lipgloss.Color(light)
}

// githubPalette is the auto, dark and light presets: GitHub's Primer
// colours, chosen for legibility on both backgrounds.
func githubPalette(isDark bool) Palette {
	c := func(light, dark string) color.Color { return ld(isDark, light, dark) }
	return Palette{
		Fg:          c("#1F2328", "#E6EDF3"),
		Muted:       c("#59636E", "#8B949E"),
		Subtle:      c("#D0D7DE", "#30363D"),
		Accent:      c("#0969DA", "#58A6FF"),
		Border:      c("#D0D7DE", "#3D444D"),
		Selection:   c("#DDF4FF", "#1F3A5F"),
		SelectionFg: c("#0A3069", "#E6EDF3"),
		ToDo:        c("#59636E", "#8B949E"),
		InProgress:  c("#0969DA", "#58A6FF"),
		Done:        c("#1A7F37", "#3FB950"),
		Error:       c("#CF222E", "#F85149"),
		Warning:     c("#9A6700", "#D29922"),
		Success:     c("#1A7F37", "#3FB950"),
		Heading:     c("#0969DA", "#58A6FF"),
		Code:        c("#953800", "#FFA657"),
		Link:        c("#0969DA", "#58A6FF"),
		Dark:        isDark,
	}
}

// highContrastPalette is GitHub's high-contrast themes: near black or
// white text, accents at 7:1 or more, an inverted cursor row.
func highContrastPalette(isDark bool) Palette {
	c := func(light, dark string) color.Color { return ld(isDark, light, dark) }
	return Palette{
		Fg:          c("#0E1116", "#FFFFFF"),
		Muted:       c("#343A40", "#D9DEE3"),
		Subtle:      c("#ACB6C0", "#525964"),
		Accent:      c("#0349B4", "#71B7FF"),
		Border:      c("#20252C", "#B7BDC8"),
		Selection:   c("#0E1116", "#FFFFFF"),
		SelectionFg: c("#FFFFFF", "#0A0C10"),
		ToDo:        c("#343A40", "#D9DEE3"),
		InProgress:  c("#0349B4", "#71B7FF"),
		Done:        c("#055D20", "#26CD4D"),
		Error:       c("#A0111F", "#FF9492"),
		Warning:     c("#744500", "#F0B72F"),
		Success:     c("#055D20", "#26CD4D"),
		Heading:     c("#0349B4", "#71B7FF"),
		Code:        c("#702C00", "#FFB757"),
		Link:        c("#0349B4", "#71B7FF"),
		Dark:        isDark,
	}
}

// ansiPalette uses the terminal's 16 colours: the bright ones on a dark
// background, the normal ones on a light one; text in the terminal's own
// foreground, the cursor row reversed.
func ansiPalette(isDark bool) Palette {
	c := func(light, dark string) color.Color { return ld(isDark, light, dark) }
	none := lipgloss.NoColor{}
	return Palette{
		Fg:          none,
		Muted:       lipgloss.Color("8"),
		Subtle:      lipgloss.Color("8"),
		Accent:      c("4", "12"),
		Border:      lipgloss.Color("8"),
		Selection:   none,
		SelectionFg: none,
		ToDo:        lipgloss.Color("8"),
		InProgress:  c("4", "12"),
		Done:        c("2", "10"),
		Error:       c("1", "9"),
		Warning:     c("3", "11"),
		Success:     c("2", "10"),
		Heading:     c("5", "13"),
		Code:        c("6", "14"),
		Link:        c("4", "12"),
		Dark:        isDark,
	}
}

// solarizedPalette is Ethan Schoonover's Solarized: base tones swap
// between dark and light, the accents stay.
func solarizedPalette(isDark bool) Palette {
	c := func(light, dark string) color.Color { return ld(isDark, light, dark) }
	var (
		yellow = lipgloss.Color("#b58900")
		orange = lipgloss.Color("#cb4b16")
		red    = lipgloss.Color("#dc322f")
		violet = lipgloss.Color("#6c71c4")
		blue   = lipgloss.Color("#268bd2")
		cyan   = lipgloss.Color("#2aa198")
		green  = lipgloss.Color("#859900")
	)
	return Palette{
		Fg:          c("#657b83", "#839496"), // base00 / base0
		Muted:       c("#93a1a1", "#586e75"), // base1 / base01
		Subtle:      c("#eee8d5", "#073642"), // base2 / base02
		Accent:      blue,
		Border:      c("#93a1a1", "#586e75"),
		Selection:   c("#eee8d5", "#073642"),
		SelectionFg: c("#073642", "#eee8d5"),
		ToDo:        c("#93a1a1", "#586e75"),
		InProgress:  blue,
		Done:        green,
		Error:       red,
		Warning:     yellow,
		Success:     green,
		Heading:     orange,
		Code:        cyan,
		Link:        violet,
		Dark:        isDark,
	}
}

// noColorPalette is NO_COLOR: every colour is the terminal's own.
func noColorPalette(isDark bool) Palette {
	none := lipgloss.NoColor{}
	return Palette{
		Fg: none, Muted: none, Subtle: none, Accent: none, Border: none, Selection: none, SelectionFg: none,
		ToDo: none, InProgress: none, Done: none,
		Error: none, Warning: none, Success: none,
		Heading: none, Code: none, Link: none,
		Dark: isDark,
	}
}
