package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/hyperlink"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/usercmd"
)

// runCmd runs every leaf of cmd and feeds each message for which want
// holds back into the model (the Bubble Tea loop's work, in the test).
func runCmd(t *testing.T, m Model, cmd tea.Cmd, want func(tea.Msg) bool) (Model, tea.Msg) {
	t.Helper()
	msg := await(t, cmd, want)
	if msg == nil {
		t.Fatal("the command sent no message of the kind waited for")
	}
	return upd(t, m, msg), msg
}

func press1(t *testing.T, m Model, k string) (Model, tea.Cmd) {
	t.Helper()
	nm, cmd := m.Update(press(k))
	return nm.(Model), cmd
}

func isBranch(msg tea.Msg) bool { _, ok := msg.(branchMsg); return ok }
func isDone(msg tea.Msg) bool   { _, ok := msg.(usercmd.DoneMsg); return ok }
func fullIssue(key string) *jiraclient.Issue {
	is := issues(1)[0]
	is.Key, is.Summary, is.Description = key, "Login fails on Safari", "Steps: open the page."
	return &is
}

// TestOpenAtStart: jiffy ABC-12 shows that issue first; esc goes to the
// list of the start query, which loaded beside it.
func TestOpenAtStart(t *testing.T) {
	m := New(Options{Client: testClient(t), Open: "ABC-12", Now: func() time.Time { return fixedNow }})
	m = upd(t, m, tea.WindowSizeMsg{Width: 80, Height: 20})
	if m.state != stateDetail || m.waitKey != "ABC-12" || m.start == nil {
		t.Fatalf("state %v, waiting for %q: the issue is not being opened", m.state, m.waitKey)
	}
	if !m.listOn {
		t.Fatal("the list of the start query was not built")
	}
	m = putIssue(t, m, *fullIssue("ABC-12"))
	m = upd(t, m, list.PageMsg{Gen: 1, JQL: m.list.JQL(), Page: jiraclient.SearchPage{Issues: issues(3), Last: true, Total: 3}})
	golden.RequireEqual(t, screen(m))
	m, cmd := press1(t, m, "esc")
	m, _ = runCmd(t, m, cmd, func(tea.Msg) bool { return true })
	if m.state != stateList || !strings.Contains(screen(m), "Issue number B") {
		t.Fatalf("esc did not go to the list:\n%s", screen(m))
	}
}

func gitRepo(t *testing.T, head string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBranchKey: B opens the issue the git branch names; back returns to
// the issue it was pressed on; a branch without a key says so.
func TestBranchKey(t *testing.T) {
	dir := gitRepo(t, "ref: refs/heads/feature/ABC-20-fix-login\n")
	m := ready(t, 80, 20, 5, Options{Dir: dir})
	m, cmd := press1(t, m, "B")
	m, _ = runCmd(t, m, cmd, isBranch)
	if m.state != stateDetail || m.waitKey != "ABC-20" {
		t.Fatalf("B: state %v waiting for %q", m.state, m.waitKey)
	}
	m = putIssue(t, m, *fullIssue("ABC-20"))
	if !strings.Contains(screen(m), "Login fails on Safari") {
		t.Fatalf("the branch's issue is not shown:\n%s", screen(m))
	}
	m, cmd = press1(t, m, "esc")
	m, _ = runCmd(t, m, cmd, func(tea.Msg) bool { return true })
	if m.state != stateList {
		t.Fatalf("esc after B: state %v", m.state)
	}

	// From the detail of another issue, back returns there.
	m = putIssue(t, m, *fullIssue("ABC-10"))
	m.openDetail("ABC-10", fullIssue("ABC-10"))
	m, cmd = press1(t, m, "B")
	m, _ = runCmd(t, m, cmd, isBranch)
	if len(m.back) != 1 || m.back[0] != "ABC-10" {
		t.Errorf("back stack %q after B from ABC-10", m.back)
	}

	for head, want := range map[string]string{
		"ref: refs/heads/main\n": "the branch main names no issue key",
		"0123456789abcdef\n":     "HEAD is detached",
	} {
		m := ready(t, 80, 20, 5, Options{Dir: gitRepo(t, head)})
		m, cmd := press1(t, m, "B")
		m, _ = runCmd(t, m, cmd, isBranch)
		if m.state != stateList || !strings.Contains(screen(m), want) {
			t.Errorf("HEAD %q: want %q in\n%s", head, want, screen(m))
		}
	}
}

func bind(t *testing.T, cmds ...config.Command) []*usercmd.Command {
	t.Helper()
	bound, warns := usercmd.Bind(cmds, "config.toml", BuiltinKeys(nil))
	if len(warns) > 0 {
		t.Fatalf("warnings: %q", warns)
	}
	return bound
}

// TestUserCommand: a command runs in the background with the highlighted
// issue's key as one argument, and the status bar says how it ended.
func TestUserCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cmds := bind(t,
		config.Command{Name: "note key", Key: "z", Run: `sh -c 'printf %s "$1" > "$0"' ` + out + ` {{.Key}}`},
		config.Command{Name: "fail", Key: "x", View: "list", Run: `sh -c 'echo "fatal: no such branch" >&2; exit 3'`},
		config.Command{Name: "detail only", Key: "X", View: "detail", Run: "true"},
	)
	m := ready(t, 80, 20, 5, Options{Commands: cmds})
	m = upd(t, m, press("j")) // ABC-10
	m, cmd := press1(t, m, "z")
	if !strings.Contains(screen(m), "running “note key” for ABC-10") {
		t.Errorf("no task while the command runs:\n%s", screen(m))
	}
	m, _ = runCmd(t, m, cmd, isDone)
	if got, _ := os.ReadFile(out); string(got) != "ABC-10" {
		t.Errorf("the command wrote %q, want ABC-10", got)
	}
	if !strings.Contains(screen(m), "“note key” done for ABC-10") {
		t.Errorf("no outcome in the status bar:\n%s", screen(m))
	}
	m, cmd = press1(t, m, "x")
	m, _ = runCmd(t, m, cmd, isDone)
	golden.RequireEqual(t, screen(m))
	if !strings.Contains(screen(m), "“fail” failed for ABC-10 (exit status 3): fatal: no such branch") {
		t.Errorf("no failure in the status bar:\n%s", screen(m))
	}
	// X is the detail's only: in the list it does nothing of the user's,
	// in the detail it runs on the issue shown.
	if _, ok := m.onOwnKey(press("X")); ok {
		t.Error("a detail command ran in the list")
	}
	m = putIssue(t, m, *fullIssue("ABC-30"))
	m.openDetail("ABC-30", fullIssue("ABC-30"))
	m, cmd = press1(t, m, "X")
	m, msg := runCmd(t, m, cmd, isDone)
	if d := msg.(usercmd.DoneMsg); d.Key != "ABC-30" || d.Err != nil || !strings.Contains(screen(m), "“detail only” done for ABC-30") {
		t.Errorf("X in the detail: %+v\n%s", d, screen(m))
	}
}

// TestUserCommandsInHelp: help lists B and the user's commands of the view;
// typing "branch" filters the help to them (every printable key is text in
// help's filter: b, r, a, n, c, h act nowhere).
func TestUserCommandsInHelp(t *testing.T) {
	cmds := bind(t,
		config.Command{Name: "git branch", Key: "x", Run: "git switch -c {{.Key}}-{{slug .Summary}}"},
		config.Command{Name: "notes", Key: "N", View: "detail", Run: "true"},
	)
	m := ready(t, 100, 30, 5, Options{Commands: cmds})
	m = upd(t, m, press("?"))
	for _, r := range "branch" {
		m = upd(t, m, press(string(r)))
	}
	s := screen(m)
	golden.RequireEqual(t, s)
	for _, want := range []string{"open the git branch's issue", "git branch"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(s, "notes") || strings.Contains(s, "list.down") {
		t.Error("the detail's command, or a key not matching the filter, is in the list's help")
	}
}

// TestBuiltinKeysRefused: a command on a key jiffy uses is not bound.
func TestBuiltinKeysRefused(t *testing.T) {
	_, warns := usercmd.Bind([]config.Command{
		{Name: "t", Key: "t", Run: "true", Line: 3},
		{Name: "B", Key: "B", View: "list", Run: "true", Line: 8},
		{Name: "h", Key: "h", View: "detail", Run: "true", Line: 12},
		{Name: "h in list", Key: "h", View: "list", Run: "true", Line: 16},
	}, "config.toml", BuiltinKeys(nil))
	want := []string{
		`config.toml:3: command "t": key "t" is already a jiffy key in the list and a jiffy key in the detail; it is not bound (choose a free key)`,
		`config.toml:8: command "B": key "B" is already a jiffy key in the list; it is not bound (choose a free key)`,
		`config.toml:12: command "h": key "h" is already a jiffy key in the detail; it is not bound (choose a free key)`,
	}
	if strings.Join(warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n got %q\nwant %q", warns, want)
	}
}

func TestHyperlinksSetting(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		setting string
		env     func(string) string
		want    bool
	}{
		{"", env("TERM", "xterm-256color"), true},
		{"auto", env("TERM", "xterm-256color", "NO_COLOR", "1"), false},
		{"", env("TERM", "dumb"), false},
		{"", env("TERM", "xterm-256color", "TMUX", "/tmp/tmux-0/default,1,0"), false},
		{"", env("TERM", "screen-256color"), false},
		{"on", env("TERM", "tmux-256color", "TMUX", "x"), true},
		{"off", env("TERM", "xterm-256color"), false},
	} {
		if got := Hyperlinks(c.setting, c.env); got != c.want {
			t.Errorf("Hyperlinks(%q, TERM=%q TMUX=%q NO_COLOR=%q) = %v", c.setting, c.env("TERM"), c.env("TMUX"), c.env("NO_COLOR"), got)
		}
	}
}

// TestHyperlinksOnScreen: with links on, the whole screen (the detail cut
// and padded to the terminal, the status bar under it) holds only whole,
// clean links; with them off, none.
func TestHyperlinksOnScreen(t *testing.T) {
	is := fullIssue("ABC-12")
	is.Description = "Regressed by ABC-7, see [runbook](https://example.com/run\x1b]0;x\x07book) and https://example.com/" + strings.Repeat("long/", 30)
	for _, on := range []bool{true, false} {
		for _, w := range []int{24, 50, 120} {
			m := New(Options{Client: testClient(t), Open: "ABC-12", Hyperlinks: on, Now: func() time.Time { return fixedNow }})
			m = upd(t, m, tea.WindowSizeMsg{Width: w, Height: 30})
			m = putIssue(t, m, *is)
			v := m.View().Content
			if err := hyperlink.Verify(v); err != nil {
				t.Errorf("on=%v width %d: %v", on, w, err)
			}
			if got := strings.Contains(v, "\x1b]8;"); got != on {
				t.Errorf("on=%v width %d: links on screen: %v", on, w, got)
			}
			if on && !strings.Contains(v, hyperlink.Open("http://127.0.0.1:9/browse/ABC-7")) {
				t.Errorf("width %d: the key does not link to the site", w)
			}
			// A box drawn over the page (cells composed by lipgloss)
			// cuts links without leaving one open.
			m = upd(t, m, common.OpenOverlayMsg{Overlay: &testOverlay{}})
			if err := hyperlink.Verify(m.View().Content); err != nil {
				t.Errorf("on=%v width %d, under an overlay: %v", on, w, err)
			}
		}
	}
}

// TestReboundKeysInViews: a keymap with rebound actions (Options.Keys)
// reaches the views: list.down on n moves the cursor and j no longer
// does; the triage key t rebound to T opens the transition picker only on
// T; help lists the keys in force.
func TestReboundKeysInViews(t *testing.T) {
	km := keys.Default()
	if w := km.Rebind([]keys.Rebinding{
		{Action: "list.down", Keys: []string{"n"}, Where: "c:1"},
		{Action: "triage.transition", Keys: []string{"T"}, Where: "c:2"},
	}); len(w) > 0 {
		t.Fatal(w)
	}
	m := ready(t, 100, 30, 5, Options{Keys: km})
	first := m.list.Current().Key
	m = upd(t, m, press("j"))
	if got := m.list.Current().Key; got != first {
		t.Fatalf("j moved the cursor to %s", got)
	}
	m = upd(t, m, press("n"))
	if got := m.list.Current().Key; got == first {
		t.Fatal("n did not move the cursor")
	}
	if nm, _ := press1(t, m, "t"); nm.overlay != nil {
		t.Fatal("t still opens an overlay")
	}
	m, _ = press1(t, m, "T")
	if m.overlay == nil {
		t.Fatal("T did not open the transition picker")
	}
	m.overlay = nil
	m = upd(t, m, press("?"))
	var rows []string
	for _, s := range m.helpSections() {
		for _, r := range s.Rows {
			rows = append(rows, r.Keys+" "+r.Name)
		}
	}
	for _, want := range []string{"n list.down", "T triage.transition"} {
		if !slices.Contains(rows, want) {
			t.Errorf("help lacks %q: %v", want, rows)
		}
	}
}
