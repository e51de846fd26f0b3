package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const commandsFile = `default = "w"

[profiles.w]
url = "https://acme.atlassian.net"

[terminal]
hyperlinks = "sometimes"

[[commands]]
name = "git branch"
key = "b"
run = "git switch -c {{.Key}}-{{slug .Summary}}"

[[commands]]
name = "notes"
key = "N"
view = "detail"
run = "$EDITOR notes/{{.Key}}.md"
shell = true
interactive = true
colour = "red"

[[commands]]
name = "nowhere"
key = "x"
view = "board"
run = "echo"

[[commands]]
name = "keyless"
run = "echo"
`

func TestCommandsConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(commandsFile), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Commands) != 4 {
		t.Fatalf("%d commands, want 4", len(c.Commands))
	}
	b, n := c.Commands[0], c.Commands[1]
	if b.Key != "b" || b.Run != "git switch -c {{.Key}}-{{slug .Summary}}" || b.Line != 9 || b.Problem != "" || b.View != "" {
		t.Errorf("first command: %+v", b)
	}
	if !n.Shell || !n.Interactive || n.View != "detail" || n.Line != 14 {
		t.Errorf("second command: %+v", n)
	}
	want := []string{
		path + `:21: unknown key "commands.colour" is ignored`,
		path + `:23: command "nowhere" view = "board" is not list or detail (leave it out for both); it is not bound`,
		path + `:29: command "keyless" has no key; it is not bound`,
		path + `:7: terminal.hyperlinks = "sometimes" is not auto, on or off; auto is used`,
	}
	if !slices.Equal(c.Warnings, want) {
		t.Errorf("warnings\n got %q\nwant %q", c.Warnings, want)
	}

	// A save (the login view saves the file) keeps every command, even
	// the ones not bound, and none of the bookkeeping.
	c.Terminal.Hyperlinks = "off"
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "Line") || strings.Contains(string(data), "Problem") {
		t.Errorf("bookkeeping saved:\n%s", data)
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Commands) != 4 || again.Commands[1].Run != n.Run || !again.Commands[1].Interactive || again.Terminal.Hyperlinks != "off" {
		t.Errorf("after a save: %+v %+v", again.Commands, again.Terminal)
	}
}
