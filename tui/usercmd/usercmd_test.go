package usercmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/config"
)

func compile(t *testing.T, run string, shell bool) *Command {
	t.Helper()
	c, err := Compile(config.Command{Name: "n", Key: "b", Run: run, Shell: shell}, "config.toml:3")
	if err != nil {
		t.Fatalf("Compile(%q): %v", run, err)
	}
	return c
}

var evil = Issue{Key: "ABC-12", Summary: "Fix it; rm -rf ~ $(touch pwned) `id` 'q' \"d\" \x1b]0;x\x07 \u202eend",
	URL: "https://acme.atlassian.net/browse/ABC-12", Status: "In Progress"}

// TestNoShellArgv: without a shell each word is one argument, whatever
// the issue's text holds.
func TestNoShellArgv(t *testing.T) {
	c := compile(t, `git switch -c "{{.Key}}-{{slug .Summary}}" --track '{{.Summary}}' {{.URL}} pre\ fix {{ .Status | lower }}`, false)
	got, err := c.Argv(evil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"git", "switch", "-c", "ABC-12-fix-it-rm-rf-touch-pwned-id-q-d-0-x-end",
		"--track", "Fix it; rm -rf ~ $(touch pwned) `id` 'q' \"d\" ]0;x end", "https://acme.atlassian.net/browse/ABC-12", "pre fix", "in progress"}
	if !slices.Equal(got, want) {
		t.Errorf("argv\n got %q\nwant %q", got, want)
	}
}

// TestShellQuoting: with shell = true every value is quoted for sh, and
// running it proves sh reads the text back unchanged without running it.
func TestShellQuoting(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	c := compile(t, `cd `+dir+` && printf '%s\n' {{.Summary}} {{if .Status}}{{.Status}}{{end}} > `+out, true)
	argv, err := c.Argv(evil)
	if err != nil {
		t.Fatal(err)
	}
	if argv[0] != "sh" || argv[1] != "-c" || !strings.Contains(argv[2], `'Fix it; rm -rf ~ $(touch pwned) `+"`id`"+` '\''q'\'' "d" ]0;x end'`) {
		t.Fatalf("script not quoted: %q", argv)
	}
	if err := exec.Command(argv[0], argv[1:]...).Run(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if want := "Fix it; rm -rf ~ $(touch pwned) `id` 'q' \"d\" ]0;x end\nIn Progress\n"; string(got) != want {
		t.Errorf("sh read %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the summary ran as shell code")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Fix login on Safari!":     "fix-login-on-safari",
		"  Crème brûlée — déjà vu": "creme-brulee-deja-vu",
		"[iOS] Crash: nil pointer": "ios-crash-nil-pointer",
		"日本語":                      "",
		"--option":                 "option",
		"A very long summary that goes on and on about the many things": "a-very-long-summary-that-goes-on-and-on",
		"Averyveryveryveryveryveryveryveryverylongword and more":        "averyveryveryveryveryveryveryveryverylon",
	} {
		got := Slug(in)
		if got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
		if len(got) > SlugMax || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Errorf("Slug(%q) = %q breaks the rules", in, got)
		}
	}
}

// TestUntrustedValues: a key that is no key, or a value that would be
// read as an option, stops the command.
func TestUntrustedValues(t *testing.T) {
	c := compile(t, "git switch -c {{.Summary}}", false)
	if _, err := c.Argv(Issue{Key: "ABC-1", Summary: "--upload-pack=evil"}); err == nil || !strings.Contains(err.Error(), "option") {
		t.Errorf("an option from the summary: %v", err)
	}
	if _, err := c.Argv(Issue{Key: "ABC-1; rm -rf /", Summary: "x"}); err == nil || !strings.Contains(err.Error(), "not an issue key") {
		t.Errorf("a bad key: %v", err)
	}
	// A word the user wrote with a dash may take a value that starts so.
	c = compile(t, "tool --title={{.Summary}}", false)
	if got, err := c.Argv(Issue{Key: "ABC-1", Summary: "-x"}); err != nil || got[1] != "--title=-x" {
		t.Errorf("--title=: %q %v", got, err)
	}
}

func TestCompileMistakes(t *testing.T) {
	for run, want := range map[string]string{
		"{{.Key}} x":        "program to run must be written out",
		"echo {{.Sumary}}":  "template mistake",
		"echo {{slg .Key}}": "template mistake",
		"echo {{.Key":       "without its }}",
		"echo 'open":        "without its closing '",
	} {
		_, err := Compile(config.Command{Name: "n", Key: "b", Run: run}, "f:1")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Compile(%q) = %v, want %q", run, err, want)
		}
	}
}

// TestBindClash: a key jiffy uses in a view the command names is refused
// with the entry's file:line; a free one is bound.
func TestBindClash(t *testing.T) {
	cfg := []config.Command{
		{Name: "branch", Key: "b", Run: "git switch -c {{.Key}}", Line: 4},
		{Name: "triage", Key: "t", View: "detail", Run: "echo {{.Key}}", Line: 9},
		{Name: "again", Key: "b", View: "list", Run: "echo {{.Key}}", Line: 14},
		{Name: "list only", Key: "n", View: "list", Run: "echo {{.Key}}", Line: 19},
	}
	builtin := map[string][]string{"list": {"t", "j"}, "detail": {"t", "n"}}
	bound, warns := Bind(cfg, "/home/u/config.toml", builtin)
	var names []string
	for _, c := range bound {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"branch", "list only"}) {
		t.Errorf("bound %q", names)
	}
	want := []string{
		`/home/u/config.toml:9: command "triage": key "t" is already a jiffy key in the detail; it is not bound (choose a free key)`,
		`/home/u/config.toml:14: command "again": key "b" is already command "branch" in the list; it is not bound (choose a free key)`,
	}
	if !slices.Equal(warns, want) {
		t.Errorf("warnings\n got %q\nwant %q", warns, want)
	}
}
