package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// term is one jiffy running in its own tmux server (-L socket) so tests
// never touch a user's tmux and can run in parallel.
type term struct {
	t      testing.TB
	socket string
	name   string
	// sent is what keys and typeText sent since the last mark, one entry
	// per keystroke a person would make, for the keystroke counts the
	// triage tests log.
	sent []string
}

// requireTool fails under CI (where .ci/run installs it) and skips elsewhere.
func requireTool(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI=true (apt-get install %s)", tool, tool)
		}
		t.Skipf("%s not installed", tool)
	}
}

// startTerm runs argv in a detached 120x40 tmux session with env added to a
// minimal environment. The session is killed when the test ends; on failure
// the last screen goes to the test log.
func startTerm(t testing.TB, env []string, argv ...string) *term {
	t.Helper()
	requireTool(t, "tmux")
	tm := &term{t: t, socket: fmt.Sprintf("jiffy-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "jiffy"}
	args := []string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", "120", "-y", "40"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, argv...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	tm.tmux("set-option", "-t", tm.name, "remain-on-exit", "on")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", tm.screen())
		}
		_ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
	})
	return tm
}

func (tm *term) tmux(args ...string) string {
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Logf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// screen is what a person would see now.
func (tm *term) screen() string {
	return tm.tmux("capture-pane", "-p", "-J", "-t", tm.name)
}

// eventually checks ok every 20 ms until it holds (true) or guard(timeout)
// passes (false). The one poll of these tests: a tmux screen, a file
// another process writes and the fake Jira's state have no event to wait
// on, so the fact itself is checked again; no verdict rests on the
// interval.
func eventually(timeout time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(guard(timeout))
	for !ok() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// minGuard is the least any wait of these tests gives its fact. Every
// wait here is a guard against a hang, never a verdict on speed (that is
// the benchmarks' job): the figure a test names is what the fact takes on
// a quiet machine, many times over, but under the race detector with the
// other packages' tests beside it a start or a page took longer than 5 s.
const minGuard = time.Minute

// guard is how long a wait named timeout waits: at least minGuard.
func guard(timeout time.Duration) time.Duration { return max(timeout, minGuard) }

// waitScreen polls the screen until ok holds for it, and returns how long
// it took; past timeout the test fails naming what it waited for.
func (tm *term) waitScreen(what string, timeout time.Duration, ok func(screen string) bool) time.Duration {
	tm.t.Helper()
	start := time.Now()
	var s string
	if !eventually(timeout, func() bool { s = tm.screen(); return ok(s) }) {
		tm.t.Fatalf("timed out after %v waiting for %s; screen:\n%s", guard(timeout), what, s)
	}
	return time.Since(start)
}

// waitFor polls the screen until text shows, and returns how long it took.
func (tm *term) waitFor(text string, timeout time.Duration) time.Duration {
	tm.t.Helper()
	return tm.waitScreen(fmt.Sprintf("%q", text), timeout, func(s string) bool { return strings.Contains(s, text) })
}

// waitMatch polls the screen until re matches, and returns how long it took.
func (tm *term) waitMatch(re *regexp.Regexp, timeout time.Duration) time.Duration {
	tm.t.Helper()
	return tm.waitScreen("/"+re.String()+"/", timeout, re.MatchString)
}

// waitGone polls until text is no longer on screen.
func (tm *term) waitGone(text string, timeout time.Duration) {
	tm.t.Helper()
	tm.waitScreen(fmt.Sprintf("%q to go", text), timeout, func(s string) bool { return !strings.Contains(s, text) })
}

// keys sends tmux key names (Enter, Escape, C-c, j ...).
func (tm *term) keys(keys ...string) {
	tm.sent = append(tm.sent, keys...)
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// typeText sends literal text, one keystroke per character.
func (tm *term) typeText(s string) {
	for _, r := range s {
		tm.sent = append(tm.sent, string(r))
	}
	tm.tmux("send-keys", "-t", tm.name, "-l", s)
}

// mark starts counting keystrokes afresh.
func (tm *term) mark() { tm.sent = nil }

// strokes is how many keystrokes were sent since the last mark, and what
// they were (typed text run together, named keys in angle brackets).
func (tm *term) strokes() (int, string) {
	var b strings.Builder
	for _, k := range tm.sent {
		if utf8.RuneCountInString(k) == 1 {
			b.WriteString(k)
		} else {
			b.WriteString("<" + k + ">")
		}
	}
	return len(tm.sent), b.String()
}

// exitRe is the line run's shell wrapper prints once jiffy has exited.
var exitRe = regexp.MustCompile(`jiffy exited with status (\d+)`)

// exited reports whether the program has exited, and its status. A program
// started by home.run reports its own status on the screen through a shell
// wrapper: tmux 3.3 was seen marking a pane dead on the terminal's EOF and
// then leaving the exited process unreaped (a zombie, status unknown) for
// longer than any timeout here. Other programs fall back to tmux's status.
func (tm *term) exited() (bool, string) {
	if m := exitRe.FindStringSubmatch(tm.screen()); m != nil {
		return true, m[1]
	}
	out := tm.tmux("display-message", "-p", "-t", tm.name, "#{pane_dead}|#{pane_dead_status}")
	dead, status, _ := strings.Cut(strings.TrimSpace(out), "|")
	return dead == "1" && status != "", status
}

// waitExit waits for the program to exit and returns its exit status.
func (tm *term) waitExit(timeout time.Duration) string {
	tm.t.Helper()
	var status string
	if !eventually(timeout, func() bool { dead, st := tm.exited(); status = st; return dead }) {
		tm.t.Fatalf("program did not exit within %v; screen:\n%s", guard(timeout), tm.screen())
	}
	return status
}
