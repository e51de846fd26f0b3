package activity

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// startedLayout is how the form reads and shows when work started.
const startedLayout = "2006-01-02 15:04"

// worklogShown is how many of the latest worklogs the dialog lists.
const worklogShown = 8

// LogWorkKeys are the log-work overlay's keys. Every printable key is
// text for the focused field.
type LogWorkKeys struct {
	Next, Prev, Submit, Close key.Binding
}

// ShortHelp is the footer.
func (k LogWorkKeys) ShortHelp() []key.Binding { return []key.Binding{k.Next, k.Submit, k.Close} }

// FullHelp is the help screen.
func (k LogWorkKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Submit, k.Close}}
}

// LogWork is the overlay that shows an issue's time tracking and latest
// worklogs and logs work on it (key L in the detail): time spent as Jira
// writes it ("1h 30m"), when the work started, a comment.
type LogWork struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	issue jiraclient.Issue
	km    LogWorkKeys
	w, h  int

	inputs [3]textinput.Model // spent, started, comment
	focus  int

	logs     *jiraclient.WorklogPage
	tracking *jiraclient.TimeTracking
	loadErr  error
	sendErr  error
	sending  bool
	seq      int
}

// worklogsMsg is the worklogs and estimates loaded for the overlay.
type worklogsMsg struct {
	seq      int
	page     *jiraclient.WorklogPage
	tracking *jiraclient.TimeTracking
	err      error
}

// workLoggedMsg is the outcome of logging work.
type workLoggedMsg struct {
	seq   int
	issue *jiraclient.Issue
	note  string
	err   error
}

// NewLogWork returns the log-work overlay for is; Init loads the worklogs.
func NewLogWork(c *common.Common, is jiraclient.Issue) *LogWork {
	m := &LogWork{c: c, owner: common.Owner("worklog"), issue: is, km: LogWorkKeys{
		Next:   c.Keys.Binding("worklog.next"),
		Prev:   c.Keys.Binding("worklog.prev"),
		Submit: c.Keys.Binding("worklog.submit"),
		Close:  c.Keys.Binding("worklog.close"),
	}}
	places := []string{"like 1h 30m, 2d, 45m", startedLayout, "what was done (optional)"}
	for i := range m.inputs {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = places[i]
		ti.CharLimit = 500
		// A steady cursor: no blink ticks to schedule (and none for a
		// test to wait out).
		ts := c.Styles.TextInput()
		ts.Cursor.Blink = false
		ti.SetStyles(ts)
		m.inputs[i] = ti
	}
	m.inputs[1].SetValue(c.Clock().Format(startedLayout))
	m.inputs[0].Focus()
	if v, ok := is.Values["timetracking"]; ok && v.Tracking != nil {
		t := *v.Tracking
		m.tracking = &t
	}
	return m
}

// Init loads the latest worklogs and the estimates.
func (m *LogWork) Init() tea.Cmd {
	m.seq++
	seq, key := m.seq, m.issue.Key
	return m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return worklogsMsg{seq: seq, err: errNoClient}, nil
		}
		page, err := cl.Worklogs(ctx, key, 0, 100)
		if err == nil && page.Total > len(page.Worklogs) && page.Total > worklogShown {
			// Oldest first: the latest are on the last page.
			page, err = cl.Worklogs(ctx, key, page.Total-worklogShown, worklogShown)
		}
		if err != nil {
			return worklogsMsg{seq: seq, err: err}, err
		}
		tt, err := cl.TimeTracking(ctx, key)
		return worklogsMsg{seq: seq, page: &page, tracking: tt, err: err}, err
	})
}

// InputFocused: a field always has the focus; printable keys are text.
func (m *LogWork) InputFocused() bool { return true }

// SetSize sets the screen size the dialog is drawn for.
func (m *LogWork) SetSize(w, h int) {
	m.w, m.h = w, h
	iw := innerWidth(m.c.Styles, w) - labelW
	for i := range m.inputs {
		m.inputs[i].SetWidth(max(iw-1, 8))
	}
}

// Sending says whether the worklog is on its way.
func (m *LogWork) Sending() bool { return m.sending }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *LogWork) KeyView() string { return "worklog" }

// KeyMap is the keys that work now: no printable key (ForInput).
func (m *LogWork) KeyMap() help.KeyMap {
	k := m.km
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.Submit, &k.Close} {
		*b = keys.ForInput(*b, false)
	}
	k.Submit.SetEnabled(!m.sending)
	return k
}

// Update handles keys, paste and answers.
func (m *LogWork) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case worklogsMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.loadErr = msg.err
		if msg.page != nil {
			m.logs = msg.page
		}
		if msg.tracking != nil {
			m.tracking = msg.tracking
		}
		return m, nil
	case workLoggedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.sending = false
		if msg.err != nil {
			m.sendErr = msg.err // the draft stays
			return m, nil
		}
		confirmed := common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
		return m, tea.Batch(func() tea.Msg { return confirmed }, common.CloseOverlay)
	case tea.KeyPressMsg:
		k := m.KeyMap().(LogWorkKeys)
		switch {
		case key.Matches(msg, k.Close):
			return m, common.CloseOverlay
		case key.Matches(msg, k.Next):
			return m, m.setFocus(m.focus + 1)
		case key.Matches(msg, k.Prev):
			return m, m.setFocus(m.focus - 1)
		case key.Matches(msg, k.Submit):
			return m, m.submit()
		}
	}
	if m.sending {
		return m, nil
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return m, cmd
}

func (m *LogWork) setFocus(i int) tea.Cmd {
	n := len(m.inputs)
	m.inputs[m.focus].Blur()
	m.focus = (i%n + n) % n
	return m.inputs[m.focus].Focus()
}

// input is what the form holds, checked: a bad duration or time is said
// beside the form before any request.
func (m *LogWork) input() (jiraclient.WorklogInput, error) {
	spent := strings.TrimSpace(m.inputs[0].Value())
	secs, ok := jiraclient.ParseDuration(spent)
	if !ok || secs <= 0 {
		return jiraclient.WorklogInput{}, errors.New(`time spent: write it as Jira does, like "1h 30m", "2d" or "45m"`)
	}
	in := jiraclient.WorklogInput{TimeSpent: jiraclient.FormatDuration(secs), Comment: strings.TrimSpace(m.inputs[2].Value())}
	if s := strings.TrimSpace(m.inputs[1].Value()); s != "" {
		t, err := time.ParseInLocation(startedLayout, s, time.Local)
		if err != nil {
			return in, errors.New("started: write it as " + startedLayout + ", like " + m.c.Clock().Format(startedLayout))
		}
		in.Started = t
	}
	return in, nil
}

// submit logs the work. An answer lost on the way (jiraclient.OutcomeUnknown)
// is settled by reading the worklogs back: an entry with the same start
// and time spent means Jira has it, and it is not sent twice.
func (m *LogWork) submit() tea.Cmd {
	in, err := m.input()
	if err != nil {
		m.sendErr = err
		return nil
	}
	m.sendErr, m.sending = nil, true
	m.seq++
	seq, key := m.seq, m.issue.Key
	return m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return workLoggedMsg{seq: seq, err: errNoClient}, nil
		}
		note := "logged " + in.TimeSpent + " on " + key
		_, err := cl.AddWorklog(ctx, key, in)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// A deadline of its own: the write's may be spent.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			found, checked := worklogIn(rctx, cl, key, in)
			if !found {
				if checked {
					seen = nil // Jira answered the read-back
				}
				return workLoggedMsg{seq: seq, err: &common.LostAnswerError{Err: err, Key: key, Noun: "the worklog", Checked: checked}}, seen
			}
			note += " (Jira's answer was lost; checked: it is in Jira)"
			err = nil
		}
		if err != nil {
			return workLoggedMsg{seq: seq, err: err}, err
		}
		is, _ := common.ReadBack(ctx, cl, key)
		return workLoggedMsg{seq: seq, issue: is, note: note}, nil
	}, func(err error) tea.Msg { return workLoggedMsg{seq: seq, err: err} })
}

// worklogIn reports whether key has a worklog like in (found), and whether
// the worklogs could be read at all (checked).
func worklogIn(ctx context.Context, cl *jiraclient.Client, key string, in jiraclient.WorklogInput) (found, checked bool) {
	secs, _ := jiraclient.ParseDuration(in.TimeSpent)
	page, err := cl.Worklogs(ctx, key, 0, 1000)
	if err != nil {
		return false, false
	}
	for _, w := range page.Worklogs {
		if w.TimeSpentSeconds == secs && (in.Started.IsZero() || w.Started.Unix()/60 == in.Started.Unix()/60) {
			return true, true
		}
	}
	return false, true
}

// labelW is the form's label column.
const labelW = 13

// View draws the dialog.
func (m *LogWork) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	head := []string{title(st, "Log work on", m.issue.Key), ""}
	var body []string
	if t := m.tracking; t != nil {
		est := func(text string, secs int64) string {
			if text == "" && secs > 0 {
				text = jiraclient.FormatDuration(secs)
			}
			if text == "" {
				return "none"
			}
			return line(text)
		}
		body = append(body, st.Label.Render("Estimate")+"     "+st.Text.Render("original "+est(t.Original, t.OriginalSeconds)+
			" · remaining "+est(t.Remaining, t.RemainingSeconds)+" · logged "+est(t.Spent, t.SpentSeconds)), "")
	}
	labels := []string{"Time spent", "Started", "Comment"}
	for i, in := range m.inputs {
		l := labels[i]
		cell := st.Label.Render(l) + strings.Repeat(" ", labelW-len(l))
		if i == m.focus {
			cell = st.Bold.Render(l) + strings.Repeat(" ", labelW-len(l))
		}
		body = append(body, cell+in.View())
	}
	if m.sendErr != nil {
		body = append(body, "")
		body = append(body, errorLines(st, m.sendErr, w)...)
	}
	if m.sending {
		body = append(body, "", st.Muted.Render("Logging the work…"))
	}
	body = append(body, "")
	switch {
	case m.loadErr != nil:
		body = append(body, errorLines(st, m.loadErr, w)...)
	case m.logs == nil:
		body = append(body, st.Muted.Render("Loading the worklogs…"))
	case len(m.logs.Worklogs) == 0:
		body = append(body, st.Muted.Render("No work logged yet."))
	default:
		body = append(body, st.Header.Render("Worklogs ("+strconv.Itoa(max(m.logs.Total, len(m.logs.Worklogs)))+")"))
		// Newest work first (Jira lists them in the order they were logged).
		ws := slices.Clone(m.logs.Worklogs)
		slices.SortStableFunc(ws, func(a, b jiraclient.Worklog) int { return b.Started.Compare(a.Started) })
		if len(ws) > worklogShown {
			ws = ws[:worklogShown]
		}
		for _, wl := range ws {
			spent := wl.TimeSpent
			if spent == "" {
				spent = jiraclient.FormatDuration(wl.TimeSpentSeconds)
			}
			row := st.Text.Render(pad(line(spent), 8)) + st.Muted.Render(wl.Started.Local().Format(startedLayout)+"  ") + st.Text.Render(userName(wl.Author))
			if c := firstLine(wl.Comment); c != "" {
				row += st.Muted.Render(" · " + c)
			}
			body = append(body, row)
		}
	}
	foot := []string{"", keyHelp(st, m.KeyMap().(LogWorkKeys).ShortHelp()...)}
	return frame(st, w, innerHeight(st, m.h), head, body, foot)
}

func pad(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s + " "
}

// firstLine is the first non-empty line of Markdown text, cleaned.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return line(l)
		}
	}
	return ""
}

// Close cancels the loads still out (common.Closer); a write goes on.
func (m *LogWork) Close() { m.c.Cancel(m.owner) }
