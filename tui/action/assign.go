package action

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Assign is the overlay that gives one issue to someone (key a): me,
// nobody or the project's default (the first entries, chosen with enter or
// their number while nothing is typed), or a name typed to search the
// people Jira lets be assigned. Every printable key is text for the search (Cloud by accountId, Data
// Center by username: jiraclient.User.ID).
type Assign struct {
	c     *common.Common
	owner string // of its user searches in the store; Close cancels them
	km    KeyMap
	issue jiraclient.Issue
	w, h  int
	spin  spinner.Model

	users   userPicker
	phase   phase
	token   string
	last    *write
	sendErr error
	// unsettled: a send's outcome stayed unknown after its read-back, so
	// the next send reads the issue back first.
	unsettled bool
	waitID    uint64
}

// NewAssign returns the assign overlay for issue. The root calls Init
// when it opens it.
func NewAssign(c *common.Common, issue jiraclient.Issue) common.Overlay {
	m := &Assign{c: c, km: DefaultKeyMap(c.Keys), issue: issue, phase: phasePick}
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Title.UnsetBold()))
	m.owner = common.Owner("assign")
	m.users = newUserPicker(c, m.owner, issue.Key, issue.Assignee)
	return m
}

// Init lists the first assignable users.
func (m *Assign) Init() tea.Cmd { return m.users.init() }

// Close cancels the user search still out (common.Closer).
func (m *Assign) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen size the dialog is drawn for.
func (m *Assign) SetSize(w, h int) { m.w, m.h = w, h }

// Phase says what the overlay is doing, for tests and the root.
func (m *Assign) Phase() string { return m.phase.String() }

// Retry repeats what failed for lack of a valid login, after the root
// signed the user in again.
func (m *Assign) Retry() tea.Cmd {
	var cmds []tea.Cmd
	if m.users.err != nil && jiraclient.IsAuth(m.users.err) {
		cmds = append(cmds, m.users.retry())
	}
	if m.sendErr != nil && jiraclient.IsAuth(m.sendErr) && m.last != nil && m.phase != phaseSending {
		cmds = append(cmds, m.resend())
	}
	return tea.Batch(cmds...)
}

// InputFocused reports whether a text input has the focus (the root then
// keeps its own keys out: every printable key is text).
func (m *Assign) InputFocused() bool { return m.KeyMap().(KeyMap).typing }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Assign) KeyView() string { return "picker" }

// KeyMap is the keys that work now.
func (m *Assign) KeyMap() help.KeyMap {
	k := m.km
	switch m.phase {
	case phaseSending:
		k.Close.SetHelp(k.Close.Help().Key, "hide (the change goes on)")
		return k.only(&k.Close)
	case phaseWaiting:
		k.Choose.SetHelp(k.Choose.Help().Key, "send now")
		return k.only(&k.Choose, &k.Back)
	}
	return m.users.keys(k, "assign")
}

// Update handles keys, the searches and the write's outcome.
func (m *Assign) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case searchTickMsg, usersMsg:
		return m, m.users.update(msg)
	case spinner.TickMsg:
		if m.phase != phaseSending {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case common.IssueConfirmedMsg:
		if msg.Token == m.token && m.token != "" {
			m.token = ""
			return m, common.CloseOverlay
		}
	case common.IssueRollbackMsg:
		if msg.Token == m.token && m.token != "" {
			return m, m.onFailed(msg.Err)
		}
	case retryTickMsg:
		if m.phase == phaseWaiting && msg.id == m.waitID {
			return m, m.resend()
		}
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		if m.phase == phasePick {
			return m, m.users.update(msg)
		}
	}
	return m, nil
}

func (m *Assign) onKey(msg tea.KeyPressMsg) tea.Cmd {
	switch actionFor(m.KeyMap().(KeyMap), msg) {
	case actClose:
		return common.CloseOverlay
	case actBack:
		m.waitID = 0
		m.phase = phasePick
	case actUp:
		m.users.list.move(-1)
	case actDown:
		m.users.list.move(1)
	case actNumber:
		if ch, ok := m.users.nth(m.km.digit(msg)); ok {
			return m.assign(ch)
		}
	case actChoose:
		if m.phase == phaseWaiting {
			return m.resend()
		}
		if ch, ok := m.users.selected(); ok {
			return m.assign(ch)
		}
	case actNone:
		if m.phase == phasePick {
			return m.users.update(msg)
		}
	}
	return nil
}

// assign sends the choice: the row shows the new assignee at once.
func (m *Assign) assign(ch assignChoice) tea.Cmd {
	w := assignWrite(m.issue.Key, ch, m.c.Me)
	m.last = &w
	return m.start(w)
}

func (m *Assign) start(w write) tea.Cmd {
	w.checkFirst, m.unsettled = m.unsettled, false
	m.token, m.sendErr = w.token, nil
	m.phase = phaseSending
	return tea.Batch(w.run(m.c), m.spin.Tick)
}

func (m *Assign) resend() tea.Cmd {
	if m.last == nil {
		return nil
	}
	w := *m.last
	w.token = newToken("assign", w.key)
	m.last = &w
	return m.start(w)
}

// onFailed keeps the picker open with the reason; a rate limit is waited
// out here.
func (m *Assign) onFailed(err error) tea.Cmd {
	m.token, m.sendErr = "", err
	m.unsettled = m.unsettled || common.Unsettled(err)
	m.phase = phasePick
	if d := rateWait(err); d > 0 {
		m.phase = phaseWaiting
		m.waitID = nextID()
		return retryAfter(d, m.waitID)
	}
	return nil
}

// View draws the dialog.
func (m *Assign) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	maxH := innerHeight(st, m.h)
	cur := st.Muted.Render("Unassigned")
	if m.issue.Assignee != nil {
		cur = st.Text.Render(userName(m.issue.Assignee))
	}
	// Jira's complaint about the assignee goes beside the assignee.
	fieldErr := ""
	if m.phase == phasePick {
		fieldErr = fieldErrors(m.sendErr)["assignee"]
	}
	if fieldErr != "" {
		cur += "  " + st.FieldError.Render("✗ "+fieldErr)
	}
	head := title(st, "Assign", m.issue.Key, m.issue.Summary, w) + "\n" + st.Label.Render("now ") + cur + "\n"
	body := m.users.view(st, w, max(maxH-9, 3))
	var foot string
	switch m.phase {
	case phaseSending:
		foot = m.spin.View() + " " + st.Muted.Render("assigning "+m.issue.Key+"…")
	case phaseWaiting:
		foot = wrap(st.Warning, "Jira is rate-limiting requests: sending again in "+roundSeconds(rateWait(m.sendErr))+" (enter sends now, esc stops)", w)
	default:
		if fieldErr != "" && len(jiraErr(m.sendErr).Messages) == 0 {
			foot = errorBlock(st, "Jira refused that assignee (marked above)", "pick someone else", w)
		} else if m.sendErr != nil {
			what, hint := failure(m.sendErr)
			if retryHint(m.sendErr) != "" {
				hint += " — pick again to retry"
			}
			foot = errorBlock(st, what, hint, w)
		}
	}
	if foot != "" {
		foot = "\n" + foot
	}
	foot += "\n" + helpLine(st, m.KeyMap(), w)
	return frame(st, w, maxH, head, body, foot)
}
