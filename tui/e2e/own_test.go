package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// runIn is home.run with jiffy started in dir.
func (h home) runIn(t *testing.T, dir string, extraEnv []string, args ...string) *term {
	argv := append([]string{"env", "-i"}, h.env...)
	argv = append(argv, extraEnv...)
	argv = append(argv, "JIFFY_E2E_DIR="+dir, "/bin/sh", "-c", `cd "$JIFFY_E2E_DIR" && "$0" "$@"; s=$?; printf '\njiffy exited with status %d\n' "$s"`, binary)
	argv = append(argv, args...)
	return startTerm(t, nil, argv...)
}

// appendConfig adds text to the home's config file.
func (h home) appendConfig(t *testing.T, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(h.dir, "config.toml"), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// waitFile polls a file until it holds want.
func waitFile(t *testing.T, path, want string, timeout time.Duration) {
	t.Helper()
	var got []byte
	if !eventually(timeout, func() bool { got, _ = os.ReadFile(path); return string(got) == want }) {
		t.Fatalf("%s holds %q after %v, want %q", path, got, guard(timeout), want)
	}
}

// TestJumpIn: jiffy KEY (and the site's browse URL) opens that issue, and
// esc goes to the list of the start query; a browse URL of another site
// is refused with the way to reach it.
func TestJumpIn(t *testing.T) {
	srv, url := startJira(t, fakejira.FlavorCloud)
	key, err := srv.AddIssue(fakejira.NewIssue{Type: "Bug", Summary: "Jump straight to this bug", Description: "Only on this page: zebra."})
	if err != nil {
		t.Fatal(err)
	}
	h := newHome(t)
	for _, arg := range []string{key, strings.ToLower(key), url + "/browse/" + key} {
		tm := h.run(t, envCreds(fakejira.FlavorCloud, url), arg)
		tm.waitFor("Only on this page: zebra.", 10*time.Second)
		tm.waitFor("Jump straight to this bug", time.Second)
		tm.keys("Escape")
		tm.waitGone("zebra", 5*time.Second)
		tm.waitFor("Assigned to me", 5*time.Second) // the start query's tab
		tm.keys("q")
		if status := tm.waitExit(5 * time.Second); status != "0" {
			t.Fatalf("%s: exit status %s", arg, status)
		}
	}

	// --jql starts on that query: the list behind the issue is it.
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url), "--jql", "key = "+key, key)
	tm.waitFor("Only on this page: zebra.", 10*time.Second)
	tm.keys("Escape")
	tm.waitFor("▌ "+key, 5*time.Second)
	tm.waitFor("1/1", 5*time.Second)
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	h.appendConfig(t, "[profiles.other]\nurl = \"https://other.atlassian.net\"\n")
	tm = h.run(t, envCreds(fakejira.FlavorCloud, url), "https://other.atlassian.net/browse/OPS-4")
	// The wrapper's line, not waitExit: the pane dies with the wrapper's
	// own status (0).
	tm.waitFor("jiffy exited with status 2", 10*time.Second)
	tm.waitFor("run jiffy --profile other OPS-4", time.Second)
}

// TestUserCommandRuns: a [[commands]] key runs with the highlighted
// issue's key, in the background (the outcome in the status bar) and with
// the terminal (interactive).
func TestUserCommandRuns(t *testing.T) {
	dir := t.TempDir()
	bg, fg := filepath.Join(dir, "bg"), filepath.Join(dir, "fg")
	s := signedIn(t, fakejira.FlavorCloud, fakejira.NewIssue{Type: "Task", Summary: "Custom command target", Assignee: fakejira.Username})
	s.tm.keys("q")
	s.tm.waitExit(5 * time.Second)
	s.h.appendConfig(t, fmt.Sprintf(`
[[commands]]
name = "note key"
key = "z"
run = "sh -c 'printf %%s \"$1\" > \"$0\"' %s {{.Key}}"

[[commands]]
name = "ask"
key = "ctrl+b"
interactive = true
shell = true
run = "printf %%s {{.Key}} > %s; echo 'press enter to go back'; read x"

[[commands]]
name = "clash"
key = "t"
run = "true"
`, bg, fg))
	tm := s.h.run(t, s.env)
	tm.waitFor("Custom command target", 10*time.Second)
	// The key jiffy uses is refused at start, with the entry's line.
	tm.waitFor(`config.toml:17: command "clash": key "t" is already a jiffy key`, 5*time.Second)
	if got := cursorKey(t, tm.screen()); got != s.key {
		t.Fatalf("cursor on %s, want %s", got, s.key)
	}
	tm.keys("z")
	waitFile(t, bg, s.key, 5*time.Second)
	tm.waitFor("“note key” done for "+s.key, 5*time.Second)

	tm.keys("C-b")
	tm.waitFor("press enter to go back", 5*time.Second)
	waitFile(t, fg, s.key, 5*time.Second)
	tm.keys("Enter")
	tm.waitFor("“ask” done for "+s.key, 5*time.Second)
	tm.waitFor("Custom command target", time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}

// TestBranchKeyOpensIssue: in a git repository whose branch names an
// issue, B opens it.
func TestBranchKeyOpensIssue(t *testing.T) {
	requireTool(t, "git")
	srv, url := startJira(t, fakejira.FlavorDataCenter)
	key, err := srv.AddIssue(fakejira.NewIssue{Type: "Story", Summary: "The branch's own story", Description: "Branch page marker: okapi."})
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"checkout", "-q", "-b", "feature/" + key + "-make-it-work"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	sub := filepath.Join(repo, "src")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	h := newHome(t)
	tm := h.runIn(t, sub, envCreds(fakejira.FlavorDataCenter, url))
	tm.waitFor("Summary", 10*time.Second)
	tm.keys("B")
	tm.waitFor("Branch page marker: okapi.", 5*time.Second)
	tm.waitFor(key, time.Second)
	tm.keys("Escape")
	tm.waitGone("okapi", 5*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}
