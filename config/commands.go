package config

import (
	"fmt"
	"strings"
)

// Command is one [[commands]] entry: a key that runs a program on the
// highlighted issue. Run is a Go template (text/template) over the issue
// (see tui/usercmd for the fields, the slug helper and how values are
// passed); the config only checks the entry's shape.
type Command struct {
	// Name is what help and the status bar call it ("git branch").
	Name string `toml:"name"`
	// Key is the key that runs it, as Bubble Tea names keys: "b", "B",
	// "ctrl+b", "f5".
	Key string `toml:"key"`
	// View is "list", "detail", or "" for both.
	View string `toml:"view,omitempty"`
	// Run is the command line template. Without Shell its words are the
	// program and its arguments (each templated value stays inside its
	// word); with Shell it is a script for sh -c, every value quoted.
	Run   string `toml:"run"`
	Shell bool   `toml:"shell,omitempty"`
	// Interactive hands the terminal to the command (an editor, a
	// prompt) and comes back when it ends; otherwise it runs in the
	// background and its outcome shows in the status bar.
	Interactive bool `toml:"interactive,omitempty"`

	// Line is where the entry's [[commands]] header is in the file (0
	// when unknown), for warnings that point at it.
	Line int `toml:"-"`
	// Problem, when set, is why the entry is not bound (already a warning).
	Problem string `toml:"-"`
}

// Views are the views a command may be bound in.
var Views = []string{"list", "detail"}

// Terminal holds what jiffy may ask of the terminal.
type Terminal struct {
	// Hyperlinks is "auto" (the default: on unless NO_COLOR, TERM=dumb,
	// tmux or screen), "on" (also inside tmux with hyperlinks passed
	// through) or "off".
	Hyperlinks string `toml:"hyperlinks,omitempty"`
}

// HyperlinkModes are the values Terminal.Hyperlinks accepts.
var HyperlinkModes = []string{"auto", "on", "off"}

// checkCommands gives each [[commands]] entry its line and flags the ones
// that cannot be bound. They stay in the config (a save keeps them) but
// are skipped, each with a warning.
func (c *Config) checkCommands(path string, data []byte) {
	lines := arrayTableLines(data, "commands")
	for i := range c.Commands {
		cmd := &c.Commands[i]
		if i < len(lines) {
			cmd.Line = lines[i]
		}
		name := cmd.Name
		if name == "" {
			name = fmt.Sprintf("%d", i+1)
		}
		switch {
		case strings.TrimSpace(cmd.Key) == "":
			cmd.Problem = "has no key"
		case strings.TrimSpace(cmd.Run) == "":
			cmd.Problem = "has no run"
		case cmd.View != "" && !contains(Views, cmd.View):
			cmd.Problem = fmt.Sprintf("view = %q is not list or detail (leave it out for both)", cmd.View)
		}
		if cmd.Problem != "" {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s: command %q %s; it is not bound", Where(path, cmd.Line), name, cmd.Problem))
		}
	}
	if h := c.Terminal.Hyperlinks; h != "" && !contains(HyperlinkModes, h) {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s: terminal.hyperlinks = %q is not auto, on or off; auto is used", Where(path, keyLine(data, "terminal", "hyperlinks")), h))
	}
}

// Where is "path:line", or path when the line is unknown.
func Where(path string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", path, line)
	}
	return path
}

// arrayTableLines are the lines of each [[name]] header, in order.
func arrayTableLines(data []byte, name string) []int {
	var out []int
	for i, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "[[") {
			continue
		}
		h, _, ok := strings.Cut(strings.TrimPrefix(l, "[["), "]]")
		if ok && strings.Trim(strings.TrimSpace(h), `"'`) == name {
			out = append(out, i+1)
		}
	}
	return out
}
