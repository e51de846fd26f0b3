package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/fields"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// The triage keys (t a i c e l C) open the overlays of tui/action,
// tui/fields (e) and tui/compose on the issue under the cursor, or, in the list with issues
// selected, the bulk overlay on all of them. The overlays write through
// three messages: IssuePatchMsg shows the change at once, and an
// IssueConfirmedMsg or IssueRollbackMsg with the same token settles it.
// The root hands them to the store, which keeps the write record (the
// patches laid over the issue until settled) and tells every view through
// store.IssueMsg; the outcome also goes on to the open overlay, which
// matches it by token.

// retrier is an overlay that can repeat what failed on an expired login.
type retrier interface{ Retry() tea.Cmd }

// initer is an overlay that loads something when it opens.
type initer interface{ Init() tea.Cmd }

// actionKeys is the triage keymap for the screen now: bulk wording when
// the list has a selection.
func (m Model) actionKeys() keys.Actions {
	if m.state == stateList && m.listOn && m.list.HasSelection() || m.state == stateBoard && len(m.board.Selected()) > 0 {
		return m.ak.ForSelection()
	}
	if m.state == stateBoard {
		// l moves between columns on the board; labels are on #.
		m.ak.Labels.SetKeys("#")
		m.ak.Labels.SetHelp("#", "labels")
	}
	return m.ak
}

// target is the issue an action applies to: the detail's issue, or the
// list's highlighted row (its cached full issue when there is one).
func (m Model) target() (jiraclient.Issue, bool) {
	if m.state == stateDetail {
		if is := m.detail.Issue(); is != nil {
			return *is, true
		}
		return jiraclient.Issue{}, false
	}
	if m.state == stateBoard {
		return m.board.Current()
	}
	if !m.listOn {
		return jiraclient.Issue{}, false
	}
	cur := m.list.Current()
	if cur == nil {
		return jiraclient.Issue{}, false
	}
	if full := m.c.Issues.Full(cur.Key); full != nil {
		return *full, true
	}
	return *cur, true
}

// selection is the selected issues as the list has them, in list order.
func (m Model) selection() []jiraclient.Issue {
	if m.state == stateBoard {
		return m.board.Selected()
	}
	if m.state != stateList || !m.listOn {
		return nil
	}
	keys := m.list.Selected()
	out := make([]jiraclient.Issue, 0, len(keys))
	for _, k := range keys {
		if is, ok := m.list.Issue(k); ok {
			out = append(out, is)
		}
	}
	return out
}

// onAction runs a triage key.
func (m *Model) onAction(act keys.Action) tea.Cmd {
	if m.c.Client == nil {
		return m.status.SetNotice(statusbar.Warning, "not signed in: sign in first (r retries and opens the login)")
	}
	if err := m.c.Issues.CanWrite(); err != nil && !drafts(act) {
		// Refused at once rather than left to time out. The editors still
		// open: what is typed there is kept as a draft.
		return m.status.SetNotice(statusbar.Warning, err.Error())
	}
	if act == keys.ActCreate {
		project := ""
		if is, ok := m.target(); ok {
			project = is.Project
			if project == "" {
				project = projectOf(is.Key)
			}
		}
		return m.open(compose.NewCreate(m.c, m.deps, project))
	}
	if sel := m.selection(); len(sel) > 0 {
		switch act {
		case keys.ActTransition:
			return m.open(action.NewBulk(m.c, sel, action.BulkTransition))
		case keys.ActAssign:
			return m.open(action.NewBulk(m.c, sel, action.BulkAssign))
		case keys.ActAssignMe:
			return m.open(action.NewBulk(m.c, sel, action.BulkAssignToMe))
		case keys.ActLabels:
			return m.open(action.NewBulk(m.c, sel, action.BulkLabel))
		}
		return m.status.SetNotice(statusbar.Info, "comment and edit work on one issue: clear the selection (esc) or open the issue")
	}
	is, ok := m.target()
	if !ok {
		return m.status.SetNotice(statusbar.Info, "no issue here yet")
	}
	switch act {
	case keys.ActTransition:
		return m.open(action.NewTransition(m.c, is))
	case keys.ActAssign:
		return m.open(action.NewAssign(m.c, is))
	case keys.ActAssignMe:
		// Through the store like every write: an expired login holds it
		// and the store sends it again after the sign-in.
		return action.AssignToMe(m.c, is)
	case keys.ActComment:
		return m.open(compose.NewComment(m.c, m.deps, is))
	case keys.ActEdit:
		return m.open(fields.New(m.c, is))
	case keys.ActLabels:
		return m.open(action.NewBulk(m.c, []jiraclient.Issue{is}, action.BulkLabel))
	}
	return nil
}

// drafts reports whether act opens an editor whose text is kept as a
// draft (comment, create): it may open while offline. The field editor
// (e) needs Jira's edit metadata first; its full form for the summary and
// description (fields.FullEditMsg) keeps drafts and opens offline.
func drafts(act keys.Action) bool {
	return act == keys.ActComment || act == keys.ActCreate
}

// onSubtask opens the create form for a sub-task of msg.Parent (S in
// the detail).
func (m *Model) onSubtask(msg common.CreateSubtaskMsg) tea.Cmd {
	m.setOverlay(nil)
	return m.open(compose.NewSubtask(m.c, m.deps, msg.Parent))
}

// onFullEdit opens the form that edits the summary and description
// together (multi-line, $EDITOR, drafts): E in the detail, or the field
// editor handing over the description.
func (m *Model) onFullEdit(msg fields.FullEditMsg) tea.Cmd {
	m.setOverlay(nil)
	return m.open(compose.NewEdit(m.c, m.deps, msg.Issue))
}

// open shows o and starts what it loads.
func (m *Model) open(o common.Overlay) tea.Cmd {
	m.setOverlay(o)
	o.SetSize(m.c.Width, m.contentHeight())
	if in, ok := o.(initer); ok {
		return in.Init()
	}
	return nil
}

// setOverlay shows o (nil: none) in place of the open overlay, whose own
// requests are cancelled (common.Closer): its answers have no reader.
func (m *Model) setOverlay(o common.Overlay) {
	if m.overlay != nil && m.overlay != o {
		if c, ok := m.overlay.(common.Closer); ok {
			c.Close()
		}
	}
	m.overlay = o
}

// toOverlay hands a write's outcome to the open overlay.
func (m *Model) toOverlay(msg tea.Msg) tea.Cmd {
	if m.overlay == nil {
		return nil
	}
	o, cmd := m.overlay.Update(msg)
	m.setOverlay(o)
	return cmd
}

// onPatch shows a change at once wherever the issue is on screen.
func (m *Model) onPatch(msg common.IssuePatchMsg) tea.Cmd {
	if msg.Token != "" {
		// Its outcome settles in this store, even after a profile switch.
		if m.prof.writes == nil {
			m.prof.writes = map[string]*store.Store{}
		}
		m.prof.writes[msg.Token] = m.c.Issues
	}
	return m.routeAll(m.c.Issues.Patch(msg.Token, msg.Key, msg.Apply))
}

// onConfirmed settles a write Jira took.
func (m *Model) onConfirmed(msg common.IssueConfirmedMsg) tea.Cmd {
	delete(m.prof.writes, msg.Token)
	out, cmd := m.c.Issues.Confirm(msg.Token, msg.Key, msg.Issue)
	cmds := []tea.Cmd{cmd, m.routeAll(out)}
	if msg.Note != "" {
		cmds = append(cmds, m.status.SetNotice(statusbar.Success, msg.Note))
	}
	return tea.Batch(cmds...)
}

// onRollback takes off what a refused change showed, and says why.
func (m *Model) onRollback(msg common.IssueRollbackMsg) tea.Cmd {
	delete(m.prof.writes, msg.Token)
	cmd := m.routeAll(m.c.Issues.Rollback(msg.Token, msg.Key, msg.Err))
	if msg.Err == nil {
		return cmd
	}
	return tea.Batch(cmd, m.status.SetNotice(statusbar.Error, msg.Key+": "+store.Short(msg.Err)))
}

// onCreated opens a new issue in the detail.
func (m *Model) onCreated(msg common.IssueCreatedMsg) tea.Cmd {
	if msg.Key == "" {
		return nil
	}
	m.back = nil
	return m.openDetail(msg.Key, nil)
}

// quit leaves, writing an open editor's draft first so nothing typed is
// lost.
func (m *Model) quit() tea.Cmd {
	// The results shown count as seen: the next start marks what changed
	// since. (Harmless if the quit is then held for unsent drafts.)
	m.c.Issues.Leave()
	if _, asked := m.overlay.(*compose.QuitGuard); asked {
		return tea.Quit // asked already: quitting again means losing them
	}
	if m.overlay != nil {
		// The open editor's text goes into the draft store (and to disk
		// when it can); the guard below finds it if the disk refused.
		_ = compose.SaveDraft(m.overlay)
	}
	if g := compose.NewQuitGuard(m.c, m.deps.Drafts); g != nil {
		m.setOverlay(g)
		m.overlay.SetSize(m.c.Width, m.contentHeight())
		return nil
	}
	return tea.Quit
}

// projectOf is the project key of an issue key ("OPS-12" -> "OPS").
func projectOf(key string) string {
	for i := len(key) - 1; i > 0; i-- {
		if key[i] == '-' {
			return key[:i]
		}
	}
	return ""
}

// withActions adds the triage keys to a view's help.
type withActions struct {
	help.KeyMap
	a keys.Actions
}

// ShortHelp is the view's keys and the most used triage keys.
func (w withActions) ShortHelp() []key.Binding {
	return append(w.KeyMap.ShortHelp(), w.a.ShortHelp()...)
}

// FullHelp is the view's columns and a triage column.
func (w withActions) FullHelp() [][]key.Binding {
	return append(w.KeyMap.FullHelp(), w.a.FullHelp()...)
}
