package tui

import (
	"errors"
	"reflect"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/board"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/jump"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
	"github.com/jiffy-tui/jiffy/tui/usercmd"
)

// The keys that make jiffy the user's own: B opens the issue of the git
// branch checked out where jiffy runs, and [[commands]] from the config run
// a program on the highlighted issue. Both work in the list and the detail
// when no text input has the focus.

// BuiltinKeys are the keys jiffy itself uses, per view, so a user's command
// bound to one of them is refused (usercmd.Bind) rather than shadowing it.
func BuiltinKeys() map[string][]string {
	common := append(bindingKeys(keys.NewActions()), bindingKeys(keys.NewGlobal())...)
	common = append(common, keys.Branch().Keys()...)
	common = append(common, keys.ForceQuit().Keys()...)
	return map[string][]string{
		"list":   append(bindingKeys(keys.NewList()), common...),
		"detail": append(bindingKeys(detail.DefaultKeyMap()), common...),
	}
}

// bindingKeys collects the keys of every key.Binding field of a keymap.
func bindingKeys(km any) []string {
	var out []string
	v := reflect.ValueOf(km)
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out = append(out, b.Keys()...)
		}
	}
	return out
}

// Hyperlinks decides whether the terminal gets OSC 8 links: setting is the
// config's terminal.hyperlinks ("on", "off", or "auto"/""). Auto is off
// where links would be garbled or dropped: NO_COLOR, TERM=dumb, and inside
// tmux or GNU screen, which pass OSC 8 on only when set up to ("on" says
// they are).
func Hyperlinks(setting string, getenv func(string) string) bool {
	switch setting {
	case "on":
		return true
	case "off":
		return false
	}
	switch {
	case getenv("NO_COLOR") != "", getenv("TERM") == "dumb", getenv("TERM") == "":
		return false
	case getenv("TMUX") != "", getenv("STY") != "", strings.HasPrefix(getenv("TERM"), "screen"), strings.HasPrefix(getenv("TERM"), "tmux"):
		return false
	}
	return true
}

// view is the name of the view on screen, as [[commands]] name it.
func (m Model) view() string {
	if m.state == stateDetail {
		return "detail"
	}
	return "list"
}

// onOwnKey runs B or a user's command; ok is false when the key is neither.
func (m *Model) onOwnKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.state != stateList && m.state != stateDetail {
		return nil, false
	}
	if key.Matches(msg, keys.Branch()) {
		return readBranch(m.o.Dir), true
	}
	for _, c := range m.o.Commands {
		if !has(c.Views, m.view()) || !key.Matches(msg, key.NewBinding(key.WithKeys(c.Key))) {
			continue
		}
		is, ok := m.target()
		if !ok {
			return m.status.SetNotice(statusbar.Info, "no issue here yet"), true
		}
		u := usercmd.Issue{Key: is.Key, Summary: is.Summary, Status: is.Status.Name, Type: is.Type.Name, Project: is.Project}
		if m.c.Client != nil {
			u.URL = m.c.Client.BrowseURL(is.Key)
		}
		run := c.Run(u)
		if c.Interactive {
			return run, true
		}
		k := safetext.Line(is.Key) // as the DoneMsg names it
		return tea.Batch(m.status.StartTask("cmd:"+c.Name+":"+k, "running “"+c.Name+"” for "+k), run), true
	}
	return nil, false
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// onCommandDone says how a user's command ended.
func (m *Model) onCommandDone(msg usercmd.DoneMsg) tea.Cmd {
	m.status.EndTask("cmd:" + msg.Name + ":" + msg.Key)
	text, ok := msg.Text()
	if ok {
		return m.status.SetNotice(statusbar.Success, text)
	}
	return m.status.SetNotice(statusbar.Error, text)
}

// branchMsg is the issue key of the git branch, read by readBranch.
type branchMsg struct {
	branch, key string
	err         error
}

// readBranch reads the branch in a Cmd: it is file I/O.
func readBranch(dir string) tea.Cmd {
	return func() tea.Msg {
		if dir == "" {
			dir = "."
		}
		b, err := jump.GitBranch(dir)
		if err != nil {
			return branchMsg{err: err}
		}
		k, _ := jump.FromBranch(b)
		return branchMsg{branch: b, key: k}
	}
}

// onBranch opens the branch's issue; back returns to where B was pressed.
func (m *Model) onBranch(msg branchMsg) tea.Cmd {
	switch {
	case errors.Is(msg.err, jump.ErrNoRepository):
		return m.status.SetNotice(statusbar.Info, "B opens the issue of the git branch: jiffy was not started inside a git repository")
	case msg.err != nil:
		return m.status.SetNotice(statusbar.Warning, "B: "+safetext.Line(msg.err.Error()))
	case msg.key == "":
		return m.status.SetNotice(statusbar.Info, "the branch "+safetext.Line(msg.branch)+" names no issue key (name it like feature/ABC-123-fix-login)")
	case m.state != stateList && m.state != stateDetail:
		return nil
	}
	if m.state == stateDetail {
		if k := m.detail.Key(); k != "" && k != msg.key {
			m.back = append(m.back, k)
		}
	} else {
		m.back = nil
	}
	return m.openDetail(msg.key, nil)
}

// ownKeys are B and the user's commands of a view, for help.
func (m Model) ownKeys(view string) []key.Binding {
	out := []key.Binding{keys.Branch(), m.gk.Find}
	bound := map[string]bool{}
	for _, c := range m.o.Commands {
		if has(c.Views, view) {
			out = append(out, key.NewBinding(key.WithKeys(c.Key), key.WithHelp(c.Key, c.Name)))
			bound[c.Key] = true
		}
	}
	// The board keys (tui/board), where the user's commands leave them.
	for _, b := range []key.Binding{board.Pick(), board.EpicKey()} {
		if !bound[b.Keys()[0]] && (view == "detail" || b.Keys()[0] != "P") {
			out = append(out, b)
		}
	}
	return out
}

// withOwn adds a column of B, ctrl+f and the user's commands to a view's help.
type withOwn struct {
	help.KeyMap
	own []key.Binding
}

// FullHelp is the view's columns and the user's.
func (w withOwn) FullHelp() [][]key.Binding { return append(w.KeyMap.FullHelp(), w.own) }
