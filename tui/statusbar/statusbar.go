// Package statusbar is jiffy's bottom line: the site and user, what is
// loading (a spinner that advances only on its own ticks, and only while
// something is running), the client's rate-limit waits and retries, and
// transient messages that clear on the next key or after a timer.
//
// Background work registers as a task (StartTask/EndTask) keyed by a name the
// caller picks, so a task shows and clears itself without the root tracking
// who is still busy.
package statusbar

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// NoticeTimeout is how long an error or info message stays when no key is pressed.
const NoticeTimeout = 6 * time.Second

// NoticeKind says how a notice is drawn; it is common.NoticeLevel so a
// view's common.NoticeMsg shows as sent.
type NoticeKind = common.NoticeLevel

// The notice kinds.
const (
	Info    = common.NoticeInfo
	Success = common.NoticeSuccess
	Warning = common.NoticeWarning
	Error   = common.NoticeError
)

type task struct{ id, label string }

// Model is the status bar.
type Model struct {
	c        *common.Common
	spin     spinner.Model
	spinning bool
	tasks    []task

	notice     string
	noticeKind NoticeKind
	noticeSeq  int

	network    string
	networkSeq int

	helpKey string // the key that opens help now ("" means ?)

	// state is what the data on screen is: "offline", "cached 3 h ago",
	// "3 new · 5 updated"; it stays until the root changes it.
	state string
}

// SetState sets the line saying what the data on screen is (offline,
// cached and how old, what changed since the user last looked); "" for
// none.
func (m *Model) SetState(text string) { m.state = text }

// State is the state line shown.
func (m Model) State() string { return m.state }

// SetHelpKey names the key that opens help now: f1 while a text input
// has the focus (there ? is text), else ?.
func (m *Model) SetHelpKey(k string) { m.helpKey = k }

// clearNoticeMsg clears the notice with the given sequence number, if it is
// still the one shown. Sent by the timer SetNotice starts.
type clearNoticeMsg struct{ seq int }

// clearNetworkMsg clears the network line once its wait has passed.
type clearNetworkMsg struct{ seq int }

// New returns an empty status bar.
func New(c *common.Common) Model {
	return Model{c: c, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
}

// StartTask shows a running task. The returned command starts the spinner
// when it was idle; a task id already running just gets its new label.
func (m *Model) StartTask(id, label string) tea.Cmd {
	for i := range m.tasks {
		if m.tasks[i].id == id {
			m.tasks[i].label = label
			return nil
		}
	}
	m.tasks = append(m.tasks, task{id, label})
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// EndTask removes a task; unknown ids are ignored.
func (m *Model) EndTask(id string) {
	for i := range m.tasks {
		if m.tasks[i].id == id {
			m.tasks = append(m.tasks[:i], m.tasks[i+1:]...)
			return
		}
	}
}

// Busy reports whether any task runs.
func (m Model) Busy() bool { return len(m.tasks) > 0 }

// Tasks lists the running tasks' labels, oldest first.
func (m Model) Tasks() []string {
	out := make([]string, len(m.tasks))
	for i, t := range m.tasks {
		out[i] = t.label
	}
	return out
}

// SetNotice shows a transient message; it clears on the next key
// (ClearNotice) or after NoticeTimeout.
func (m *Model) SetNotice(kind NoticeKind, text string) tea.Cmd {
	m.noticeSeq++
	m.notice, m.noticeKind = text, kind
	seq := m.noticeSeq
	return tea.Tick(NoticeTimeout, func(time.Time) tea.Msg { return clearNoticeMsg{seq} })
}

// ClearNotice drops the transient message (called on the next key press).
func (m *Model) ClearNotice() { m.notice = "" }

// Notice is the message shown, if any.
func (m Model) Notice() (NoticeKind, string) { return m.noticeKind, m.notice }

// SetNetwork shows the client's throttle or retry state
// ("waiting 4 s (Jira rate limit) · retry 2/4"). It clears itself after
// wait plus a second, or when SetNetwork("", 0) reports recovery.
func (m *Model) SetNetwork(text string, wait time.Duration) tea.Cmd {
	m.networkSeq++
	m.network = text
	if text == "" {
		return nil
	}
	seq := m.networkSeq
	return tea.Tick(wait+time.Second, func(time.Time) tea.Msg { return clearNetworkMsg{seq} })
}

// Network is the throttle or retry line shown, if any.
func (m Model) Network() string { return m.network }

// Update advances the spinner and runs the clear timers.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if msg.ID != m.spin.ID() {
			return m, nil
		}
		if len(m.tasks) == 0 {
			// Let the tick chain die so an idle bar costs no frames.
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case clearNoticeMsg:
		if msg.seq == m.noticeSeq {
			m.notice = ""
		}
	case clearNetworkMsg:
		if msg.seq == m.networkSeq {
			m.network = ""
		}
	}
	return m, nil
}

// View draws the bar at c.Width.
func (m Model) View() string {
	st := m.c.Styles
	w := m.c.Width
	if w <= 0 {
		return ""
	}
	var left []string
	if len(m.tasks) > 0 {
		m.spin.Style = st.StatusKey
		label := m.tasks[len(m.tasks)-1].label
		if n := len(m.tasks); n > 1 {
			label += " (+" + strconv.Itoa(n-1) + ")"
		}
		left = append(left, m.spin.View()+" "+st.StatusBar.Render(label))
	}
	if m.state != "" {
		left = append(left, st.Warning.Render(m.state))
	}
	if m.network != "" {
		left = append(left, st.Warning.Render(m.network))
	}
	if m.notice != "" {
		var s lipgloss.Style
		switch m.noticeKind {
		case Error:
			s = st.Error
		case Warning:
			s = st.Warning
		case Success:
			s = st.Success
		default:
			s = st.Text
		}
		left = append(left, s.Render(m.notice))
	}
	sep := st.Muted.Render(" · ")
	l := strings.Join(left, sep)

	// The site (and the profile, when there are several) is always
	// named: which Jira a key acts on must never be a guess.
	var right []string
	if m.c.Profile != "" {
		right = append(right, st.StatusBar.Render(safetext.Line(m.c.Profile)))
	}
	if h := host(m.c.Site); h != "" {
		right = append(right, st.StatusKey.Render(h))
	}
	must := len(right)
	if m.c.Me != nil && m.c.Me.DisplayName != "" {
		right = append(right, st.StatusBar.Render(safetext.Line(m.c.Me.DisplayName)))
	}
	hk := m.helpKey
	if hk == "" {
		hk = "?"
	}
	right = append(right, st.StatusBar.Render(hk+" help"))
	r := strings.Join(right, sep)

	lw, rw := lipgloss.Width(l), lipgloss.Width(r)
	for lw+rw+1 > w && len(right) > must {
		// The message matters more than who we are: the help key and the
		// user go first, then the message is cut; the site stays.
		right = right[:len(right)-1]
		r = strings.Join(right, sep)
		rw = lipgloss.Width(r)
	}
	if lw > 0 && rw > 0 && w-rw-1 < min(lw, w/2) {
		// Too narrow for both: the message keeps at least half the bar.
		rw = 0
	}
	if rw == 0 {
		if lw > w {
			return ansi.Truncate(l, w, "…")
		}
		return l + strings.Repeat(" ", w-lw)
	}
	if rw+1 > w {
		return ansi.Truncate(r, w, "…")
	}
	if lw+rw+1 > w {
		l = ansi.Truncate(l, w-rw-1, "…")
		lw = lipgloss.Width(l)
	}
	return l + strings.Repeat(" ", w-lw-rw) + r
}

// host is the site without scheme for display.
func host(site string) string {
	if site == "" {
		return ""
	}
	u, err := url.Parse(site)
	if err != nil || u.Host == "" {
		return site
	}
	return u.Host + strings.TrimRight(u.Path, "/")
}
