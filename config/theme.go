package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Theme is the [theme] table as written: preset = "name" and palette
// colours by name, each "#rrggbb" or an ANSI colour number (0 to 255,
// written bare or quoted):
//
//	[theme]
//	preset = "solarized"
//	accent = "#d33682"
//	muted = 245
//
// It stays as written so a save keeps it; ThemeChoice is the checked form
// the UI reads.
type Theme map[string]any

// ThemePresets are the presets [theme] preset may name (tui/common builds
// them; a test there keeps both lists equal).
var ThemePresets = []string{"auto", "dark", "light", "high-contrast", "ansi", "solarized"}

// ThemeColors are the palette colour names [theme] may set (tui/common's
// palette; a test there keeps both lists equal).
var ThemeColors = []string{
	"fg", "muted", "subtle", "accent", "border", "selection", "selection_fg",
	"todo", "in_progress", "done",
	"error", "warning", "success",
	"heading", "code", "link",
}

// ThemeChoice is [theme] after checking: a known preset ("" for the
// default) and the colours that are well formed, as "#rrggbb" or "0".."255".
type ThemeChoice struct {
	Preset string
	Colors map[string]string
}

// checkTheme fills c.themeChoice from c.Theme and warns, with file:line,
// about an unknown preset, an unknown colour name or a bad value; each is
// skipped (the rest of the theme still applies).
func (c *Config) checkTheme(path string, data []byte) {
	c.themeChoice = ThemeChoice{}
	names := make([]string, 0, len(c.Theme))
	for k := range c.Theme {
		names = append(names, k)
	}
	sort.Strings(names) // warnings in a stable order
	warn := func(key, format string, args ...any) {
		c.Warnings = append(c.Warnings, Where(path, keyLine(data, "theme", key))+": "+fmt.Sprintf(format, args...))
	}
	for _, k := range names {
		v := c.Theme[k]
		if k == "preset" {
			s, ok := v.(string)
			switch {
			case !ok:
				warn(k, "theme.preset must be a name in quotes (one of %s); the default is used", strings.Join(ThemePresets, ", "))
			case !contains(ThemePresets, s):
				warn(k, "theme.preset = %q is not a preset; use one of %s; the default is used", s, strings.Join(ThemePresets, ", "))
			default:
				c.themeChoice.Preset = s
			}
			continue
		}
		if !contains(ThemeColors, k) {
			warn(k, "theme.%s is not a colour jiffy knows; it is ignored (colours: %s)", k, strings.Join(ThemeColors, ", "))
			continue
		}
		spec, ok := themeColor(v)
		if !ok {
			warn(k, "theme.%s = %s is not a colour; write \"#rrggbb\" or an ANSI colour number from 0 to 255; the preset's colour is used", k, quoteValue(v))
			continue
		}
		if c.themeChoice.Colors == nil {
			c.themeChoice.Colors = map[string]string{}
		}
		c.themeChoice.Colors[k] = spec
	}
}

// ThemeChoice is the checked [theme] (see ThemeChoice).
func (c *Config) ThemeChoice() ThemeChoice { return c.themeChoice }

// themeColor reads one colour value: "#rrggbb" (any case), or 0 to 255 as
// a number or a string of digits.
func themeColor(v any) (string, bool) {
	switch v := v.(type) {
	case int64:
		if v >= 0 && v <= 255 {
			return strconv.FormatInt(v, 10), true
		}
	case string:
		if len(v) == 7 && v[0] == '#' {
			for _, r := range v[1:] {
				if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
					return "", false
				}
			}
			return strings.ToLower(v), true
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == v {
			return v, true
		}
	}
	return "", false
}

// quoteValue shows a TOML value as it was written, near enough for a
// warning ("#12345", 300, true).
func quoteValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
