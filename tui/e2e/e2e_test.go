// Package e2e drives the real jiffy binary in tmux against an in-memory
// Jira (jiraclient/fakejira), the way a person would: type, wait for text on
// the screen, read it. It builds the binary once per test run.
package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jiffy-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "jiffy")
	build := exec.Command("go", "build", "-o", binary, "github.com/jiffy-tui/jiffy")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if runtime.GOOS == "linux" {
		// As the Makefile builds it: static, without cgo.
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building jiffy:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// home is a throwaway user: its own config, state and file keyring, and no
// D-Bus, so nothing on the machine running the tests is read or written.
type home struct {
	dir string
	env []string
}

func newHome(t testing.TB) home {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	kr := filepath.Join(dir, "keyring")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[keyring]\nbackend = \"file\"\nfile_dir = %q\n", kr)), 0o600); err != nil {
		t.Fatal(err)
	}
	return home{dir: dir, env: []string{
		"HOME=" + dir,
		"TERM=xterm-256color",
		"PATH=" + os.Getenv("PATH"),
		"JIFFY_CONFIG=" + cfg,
		"JIFFY_STATE_DIR=" + filepath.Join(dir, "state"),
		"JIFFY_KEYRING_PASSPHRASE=e2e-passphrase",
		"DBUS_SESSION_BUS_ADDRESS=disabled:",
	}}
}

// run starts jiffy in tmux with exactly env (env -i: nothing leaks in from
// the test's own environment, such as a developer's JIRA_API_TOKEN). A
// shell around it prints its exit status for waitExit (see term.exited).
func (h home) run(t testing.TB, extraEnv []string, args ...string) *term {
	argv := append([]string{"env", "-i"}, h.env...)
	argv = append(argv, extraEnv...)
	argv = append(argv, "/bin/sh", "-c", `"$0" "$@"; s=$?; printf '\njiffy exited with status %d\n' "$s"`, binary)
	argv = append(argv, args...)
	return startTerm(t, nil, argv...)
}

// runBinary is run for another build of jiffy (benchmarks comparing two).
func (h home) runBinary(t testing.TB, bin string, args ...string) *term {
	argv := append([]string{"env", "-i"}, h.env...)
	argv = append(argv, bin)
	argv = append(argv, args...)
	return startTerm(t, nil, argv...)
}

// command runs jiffy outside tmux (status, logout, login --with-token).
func (h home) command(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = h.env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func startJira(t *testing.T, flavor string) (*fakejira.Server, string) {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv, url
}

func envCreds(flavor, url string) []string {
	env := []string{"JIRA_URL=" + url, "JIRA_API_TOKEN=" + fakejira.Token}
	if flavor == fakejira.FlavorCloud {
		env = append(env, "JIRA_EMAIL="+fakejira.Email)
	}
	return env
}

var keyRe = regexp.MustCompile(`\b[A-Z]{2,5}-\d+\b`)

// cursorKey is the issue key on the highlighted row (marked with ▌).
func cursorKey(t *testing.T, screen string) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "▌") {
			if k := keyRe.FindString(line); k != "" {
				return k
			}
		}
	}
	t.Fatalf("no highlighted issue on screen:\n%s", screen)
	return ""
}

func TestDemo(t *testing.T) {
	h := newHome(t)
	tm := h.run(t, nil, "--demo")
	took := tm.waitFor("Summary", 10*time.Second)
	t.Logf("demo: first list after %v", took)
	key := cursorKey(t, tm.screen())
	tm.keys("Enter")
	tm.waitFor("Description", 5*time.Second)
	if !strings.Contains(tm.screen(), key) {
		t.Fatalf("detail does not show %s:\n%s", key, tm.screen())
	}
	// The first issue is the demo's showcase, not an empty one.
	if s := tm.screen(); strings.Contains(s, "No description") || !strings.Contains(s, "Retry-After") {
		t.Fatalf("the demo opens on an issue with nothing to show:\n%s", s)
	}
	tm.keys("Escape")
	tm.waitGone("Description", 5*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}

func TestBrowse(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			srv, url := startJira(t, flavor)
			// A sub-task of mine, unresolved, so it is in the default list
			// and its detail has a parent to follow.
			parent, err := srv.AddIssue(fakejira.NewIssue{Type: "Story", Summary: "E2E parent story", Assignee: fakejira.Username})
			if err != nil {
				t.Fatal(err)
			}
			child, err := srv.AddIssue(fakejira.NewIssue{Type: "Sub-task", Summary: "E2E child sub-task", Parent: parent, Assignee: fakejira.Username,
				Description: "h2. Steps\n* first *bold* step\n* second step"})
			if err != nil {
				t.Fatal(err)
			}
			h := newHome(t)
			tm := h.run(t, envCreds(flavor, url))
			took := tm.waitFor("Summary", 10*time.Second)
			t.Logf("%s: first list after %v", flavor, took)

			// G goes to the last issue: the issues after the first page
			// load by themselves (ahead of the cursor, or for G), and the
			// count says "n/n".
			tm.keys("G")
			tm.waitAtEnd(10 * time.Second)
			loads := 0
			for _, r := range srv.Requests() {
				if strings.Contains(r.Path, "/search") || strings.HasSuffix(r.Path, "/issue/bulkfetch") {
					loads++
				}
			}
			if loads < 2 {
				t.Fatalf("%d requests loaded the list: nothing past the first page", loads)
			}

			// Filter as you type, open the match, follow the parent, come back.
			tm.keys("/")
			tm.typeText("E2E child")
			tm.waitFor(child, 5*time.Second)
			tm.keys("Enter")
			tm.waitFor("▌ "+child, 3*time.Second)
			tm.keys("Enter")
			tm.waitFor("E2E child sub-task", 5*time.Second)
			tm.waitFor("Steps", 5*time.Second)
			// "Steps" is only in the child's description, and "Sub-tasks (1)"
			// only on the parent's page: wait on text unique to each page.
			tm.keys("Tab", "Enter")
			tm.waitFor("Sub-tasks (1)", 5*time.Second)
			tm.waitGone("Steps", 5*time.Second)
			tm.keys("Escape")
			tm.waitFor("Steps", 5*time.Second)
			tm.keys("Escape")
			tm.waitGone("Steps", 5*time.Second)
			tm.waitFor("Summary", 5*time.Second)

			// Refresh keeps the cursor on the same issue.
			before := cursorKey(t, tm.screen())
			srv.ResetRequests()
			tm.keys("r")
			// Done when Jira was asked and the status bar no longer says
			// it loads (its last line; summaries may say "loading").
			poll(t, "the refresh's search", func() bool { return len(srv.Requests()) > 0 })
			tm.waitScreen("the refresh to end", 5*time.Second, func(s string) bool {
				lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
				return !strings.Contains(lines[len(lines)-1], "loading")
			})
			if after := cursorKey(t, tm.screen()); after != before {
				t.Fatalf("refresh moved the cursor from %s to %s", before, after)
			}
		})
	}
}

func TestFirstLogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			srv, url := startJira(t, flavor)
			h := newHome(t)
			tm := h.run(t, nil)
			tm.waitFor("Site URL", 10*time.Second)
			start := time.Now()
			keystrokes := 0
			tm.typeText(url + "/browse/JIF-1") // one paste
			tm.keys("Tab")
			keystrokes += 2
			if flavor == fakejira.FlavorCloud {
				tm.waitFor("Jira Cloud", 5*time.Second)
				tm.typeText(fakejira.Email)
				tm.keys("Tab")
				keystrokes += len(fakejira.Email) + 1
			} else {
				tm.waitFor("Jira Data Center", 5*time.Second)
			}

			// A wrong token first: the cause is shown and nothing is lost.
			tm.typeText("wrong-token")
			tm.keys("Enter")
			// "token" alone is on screen before the check ends (the field's
			// label): wait for the cause itself.
			tm.waitMatch(regexp.MustCompile(`(?i)refused|rejected|wrong|expired`), 5*time.Second)
			screen := tm.screen()
			if strings.Contains(screen, "wrong-token") {
				t.Fatalf("the token is on the screen:\n%s", screen)
			}
			if !strings.Contains(screen, strings.TrimPrefix(url, "http://")) {
				t.Fatalf("the site URL was lost after a failed login:\n%s", screen)
			}

			// The right token.
			for range len("wrong-token") {
				tm.keys("BSpace")
			}
			tm.typeText(fakejira.Token)
			tm.keys("Enter")
			keystrokes += len(fakejira.Token) + 1
			tm.waitFor("Summary", 10*time.Second)
			t.Logf("%s: login to list took %v after the URL was typed; %d keystrokes (URL pasted, email and token typed)", flavor, time.Since(start), keystrokes)
			if strings.Contains(tm.screen(), fakejira.Token) {
				t.Fatal("the token is on the screen")
			}
			tm.keys("q")
			tm.waitExit(5 * time.Second)

			// The token is in the keyring, not in any file jiffy wrote.
			assertNoTokenInFiles(t, h.dir, fakejira.Token)

			// status names where the token lives and never shows it.
			out, err := h.command(t, "", "status")
			if err != nil {
				t.Fatalf("jiffy status: %v\n%s", err, out)
			}
			if !strings.Contains(out, "keyring (file)") || strings.Contains(out, fakejira.Token) {
				t.Fatalf("status output:\n%s", out)
			}

			// The next start goes straight to the list, from the keyring.
			srv.ResetRequests()
			tm2 := h.run(t, nil)
			tm2.waitFor("Summary", 10*time.Second)
			for _, r := range srv.Requests() {
				if strings.Contains(r.Path, "serverInfo") || strings.Contains(r.Path, "myself") {
					t.Errorf("second start asked %s before the list; the site cache should know", r.Path)
				}
			}
			tm2.keys("q")
			tm2.waitExit(5 * time.Second)

			// logout removes the token; status then says so and fails.
			if out, err := h.command(t, "", "logout"); err != nil {
				t.Fatalf("jiffy logout: %v\n%s", err, out)
			}
			if out, err := h.command(t, "", "status"); err == nil {
				t.Fatalf("status after logout succeeded:\n%s", out)
			}
		})
	}
}

func TestLoginWithToken(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	out, err := h.command(t, fakejira.Token+"\n", "login", "--url", url, "--email", fakejira.Email, "--with-token")
	if err != nil {
		t.Fatalf("login --with-token: %v\n%s", err, out)
	}
	if strings.Contains(out, fakejira.Token) {
		t.Fatalf("login printed the token:\n%s", out)
	}
	out, err = h.command(t, "wrong\n", "login", "--url", url, "--email", fakejira.Email, "--with-token")
	if err == nil || strings.Contains(out, "wrong\n") {
		t.Fatalf("a wrong token was accepted or echoed:\n%s", out)
	}
	assertNoTokenInFiles(t, h.dir, fakejira.Token)
}

// assertNoTokenInFiles walks dir (config, state) but not the encrypted keyring.
func assertNoTokenInFiles(t *testing.T, dir, token string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.IsDir() && d.Name() == "keyring" {
				return filepath.SkipDir
			}
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), token) {
			t.Errorf("%s contains the token", p)
		}
		if info, err := d.Info(); err == nil && info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; want 0600", p, info.Mode().Perm())
		}
		return nil
	})
}

// The terminal UI refuses a pipe in one line instead of drawing into it
// (or failing with Bubble Tea's "could not open TTY").
func TestNoTerminal(t *testing.T) {
	h := newHome(t)
	out, err := h.command(t, "", "--demo")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "needs a terminal") || !strings.Contains(out, "jiffy list") {
		t.Fatalf("output:\n%q", out)
	}
}

// On a terminal, login --with-token asks for the token and does not echo
// it as it is typed.
func TestLoginWithTokenPrompt(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	tm := h.run(t, nil, "login", "--url", url, "--email", fakejira.Email, "--with-token")
	tm.waitFor("Paste the API token", 10*time.Second)
	tm.typeText(fakejira.Token)
	tm.keys("Enter")
	tm.waitFor("Logged in to", 10*time.Second)
	if strings.Contains(tm.screen(), fakejira.Token) {
		t.Fatalf("the token was echoed:\n%s", tm.screen())
	}
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}

// Keys jiffy ignores in the config file are said in the status bar at start.
func TestConfigWarningsAtStart(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	cfg := filepath.Join(h.dir, "config.toml")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "[profiles.x]\nurl = %q\ndefault_jq = \"oops\"\n", url)
	f.Close()
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url))
	tm.waitFor(`config.toml:6: unknown key "profiles.x.default_jq"`, 10*time.Second)
	tm.keys("q")
	tm.waitExit(5 * time.Second)
}

// `jiffy list | head -1`: quiet, exit 0. The reader here has gone before
// jiffy writes anything (the worst case, and a certain one: the write
// fails with EPIPE every time), then a real pipeline with pipefail.
func TestListIntoClosedPipe(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var stderr strings.Builder
	cmd := exec.Command(binary, "list", "--jql", "created >= -3650d ORDER BY key")
	cmd.Env = append(append([]string{}, h.env...), envCreds(fakejira.FlavorCloud, url)...)
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	w.Close()
	if err != nil || stderr.Len() != 0 {
		t.Errorf("into a closed pipe: %v, stderr %q", err, stderr.String())
	}

	sh := exec.Command("bash", "-o", "pipefail", "-c", `"$0" list --jql 'created >= -3650d ORDER BY key' | head -1`, binary)
	sh.Env = cmd.Env
	var out strings.Builder
	stderr.Reset()
	sh.Stdout, sh.Stderr = &out, &stderr
	if err := sh.Run(); err != nil || stderr.Len() != 0 || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("| head -1: %v, stdout %q, stderr %q", err, out.String(), stderr.String())
	}
}

// A token Jira refuses exits 3, one line on stderr.
func TestListRefusedLogin(t *testing.T) {
	srv, url := startJira(t, fakejira.FlavorDataCenter)
	srv.SetToken("rotated")
	h := newHome(t)
	cmd := exec.Command(binary, "list")
	cmd.Env = append(append([]string{}, h.env...), envCreds(fakejira.FlavorDataCenter, url)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("exit %v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
}

var posRe = regexp.MustCompile(`\b(\d+)/(\d+)\b`)

// waitAtEnd waits until the tab bar's count puts the cursor on the last of
// more than one page of issues, all loaded ("105/105").
func (tm *term) waitAtEnd(timeout time.Duration) {
	tm.t.Helper()
	tm.waitScreen("the cursor on the last issue", timeout, func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		m := posRe.FindStringSubmatch(first)
		if m == nil || m[1] != m[2] {
			return false
		}
		n, _ := strconv.Atoi(m[1])
		return n > 50
	})
}
