package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// colourSGR matches an SGR sequence that sets a foreground or background
// colour (basic, bright, 256 or 24-bit).
var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]`)

// coloured is the screen with its escape sequences (tmux capture-pane -e).
func (tm *term) coloured() string {
	return tm.tmux("capture-pane", "-p", "-e", "-J", "-t", tm.name)
}

// TestTheme: [theme] reaches the screen (an overridden accent, also in
// the demo; a bad value warned about with its line), and NO_COLOR
// leaves no colour at all while the cursor row stays visible (reverse).
func TestTheme(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	h.appendConfig(t, "[theme]\npreset = \"solarized\"\naccent = \"#d33682\"\ncode = \"orange\"\n")
	env := append(envCreds(fakejira.FlavorCloud, url), "COLORTERM=truecolor")

	tm := h.run(t, env)
	tm.waitFor(`config.toml:7: theme.code = "orange" is not a colour`, 10*time.Second)
	tm.waitFor("▌", 10*time.Second)
	if s := tm.coloured(); !strings.Contains(s, "38;2;211;54;130") {
		t.Errorf("the overridden accent is not on screen:\n%q", s)
	}
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	// The demo draws in the configured colours too.
	tm = h.run(t, []string{"COLORTERM=truecolor"}, "--demo")
	tm.waitFor("▌", 10*time.Second)
	if s := tm.coloured(); !strings.Contains(s, "38;2;211;54;130") {
		t.Errorf("the demo does not use the overridden accent:\n%q", s)
	}
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	tm = h.run(t, append(env, "NO_COLOR=1"))
	tm.waitFor("is not a colour", 10*time.Second)
	tm.waitFor("▌", 10*time.Second)
	key := cursorKey(t, tm.screen())
	s := tm.coloured()
	if m := colourSGR.FindString(s); m != "" {
		t.Errorf("NO_COLOR: a colour on screen (%q):\n%q", m, s)
	}
	if !regexp.MustCompile(`\x1b\[[0-9;]*\b7m[^\n]*` + regexp.QuoteMeta(key)).MatchString(s) {
		t.Errorf("NO_COLOR: the cursor row is not in reverse video:\n%q", s)
	}
	tm.keys("q")
	tm.waitExit(5 * time.Second)
}
