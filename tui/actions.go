package tui

import (
	"errors"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
)

// The triage keys (t a i c e l C) open the overlays of tui/action and
// tui/compose on the issue under the cursor, or, in the list with issues
// selected, the bulk overlay on all of them. The overlays write through
// three messages: IssuePatchMsg shows the change at once, and an
// IssueConfirmedMsg or IssueRollbackMsg with the same token settles it.
// The root applies them to the list row, its cached detail and the detail
// view, keeps what a patch replaced until it is settled, and hands the
// outcome on to the open overlay, which matches it by token.

// patchUndo is what one optimistic change replaced.
type patchUndo struct {
	list   list.Undo
	detail *jiraclient.Issue // the detail's issue before, when it showed key
}

// retrier is an overlay that can repeat what failed on an expired login.
type retrier interface{ Retry() tea.Cmd }

// initer is an overlay that loads something when it opens.
type initer interface{ Init() tea.Cmd }

// actionKeys is the triage keymap for the screen now: bulk wording when
// the list has a selection.
func (m Model) actionKeys() keys.Actions {
	if m.state == stateList && m.listOn && m.list.HasSelection() {
		return m.ak.ForSelection()
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
	if !m.listOn {
		return jiraclient.Issue{}, false
	}
	cur := m.list.Current()
	if cur == nil {
		return jiraclient.Issue{}, false
	}
	if full := m.list.Cached(cur.Key); full != nil {
		return *full, true
	}
	return *cur, true
}

// selection is the selected issues as the list has them, in list order.
func (m Model) selection() []jiraclient.Issue {
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
		return m.quickWrite(is.Key, func(c *common.Common) tea.Cmd { return action.AssignToMe(c, is) })
	case keys.ActComment:
		return m.open(compose.NewComment(m.c, m.deps, is))
	case keys.ActEdit:
		return m.open(compose.NewEdit(m.c, m.deps, is))
	case keys.ActLabels:
		return m.open(action.NewBulk(m.c, []jiraclient.Issue{is}, action.BulkLabel))
	}
	return nil
}

// quickWrite runs a write that has no overlay to retry it. Its key is
// remembered until the write settles, so an expired login can send it
// again after the re-login (see onRollback).
func (m *Model) quickWrite(key string, write func(*common.Common) tea.Cmd) tea.Cmd {
	if m.quick == nil {
		m.quick = map[string]func(*common.Common) tea.Cmd{}
	}
	m.quick[key] = write
	return write(m.c)
}

// open shows o and starts what it loads.
func (m *Model) open(o common.Overlay) tea.Cmd {
	m.overlay = o
	o.SetSize(m.c.Width, m.contentHeight())
	if in, ok := o.(initer); ok {
		return in.Init()
	}
	return nil
}

// toOverlay hands a write's outcome to the open overlay.
func (m *Model) toOverlay(msg tea.Msg) tea.Cmd {
	if m.overlay == nil {
		return nil
	}
	var cmd tea.Cmd
	m.overlay, cmd = m.overlay.Update(msg)
	return cmd
}

// onPatch shows a change at once wherever the issue is on screen.
func (m *Model) onPatch(msg common.IssuePatchMsg) {
	var u patchUndo
	if m.listOn {
		u.list = m.list.Patch(msg.Key, msg.Apply)
	}
	if is := m.detail.Issue(); is != nil && is.Key == msg.Key && msg.Apply != nil {
		prev := *is
		u.detail = &prev
		next := msg.Apply(prev)
		m.detail = m.detail.SetIssue(&next)
	}
	m.undo[msg.Token] = u
}

// onConfirmed shows the issue as Jira now has it.
func (m *Model) onConfirmed(msg common.IssueConfirmedMsg) tea.Cmd {
	delete(m.undo, msg.Token)
	delete(m.quick, msg.Key)
	if msg.Issue != nil {
		if m.listOn {
			m.list.Put(*msg.Issue)
		}
		if is := m.detail.Issue(); is != nil && is.Key == msg.Issue.Key {
			full := *msg.Issue
			m.detail = m.detail.SetIssue(&full)
		}
	} else if m.listOn {
		// Jira took the change but it could not be read back: the next
		// open fetches the issue again rather than trust the patch.
		m.list.Forget(msg.Key)
	}
	if msg.Note == "" {
		return nil
	}
	return m.status.SetNotice(statusbar.Success, msg.Note)
}

// onRollback puts back what a refused change replaced, and says why.
func (m *Model) onRollback(msg common.IssueRollbackMsg) tea.Cmd {
	u, ok := m.undo[msg.Token]
	delete(m.undo, msg.Token)
	if ok {
		if m.listOn {
			m.list.Restore(u.list)
		}
		if u.detail != nil {
			if is := m.detail.Issue(); is != nil && is.Key == u.detail.Key {
				m.detail = m.detail.SetIssue(u.detail)
			}
		}
	}
	if w, ok := m.quick[msg.Key]; ok {
		delete(m.quick, msg.Key)
		if jiraclient.IsAuth(msg.Err) {
			m.redo = append(m.redo, w)
		}
	}
	if jiraclient.IsAuth(msg.Err) || msg.Err == nil {
		return nil // the login view opens and says it
	}
	return m.status.SetNotice(statusbar.Error, msg.Key+": "+short(msg.Err))
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
	if _, asked := m.overlay.(*compose.QuitGuard); asked {
		return tea.Quit // asked already: quitting again means losing them
	}
	if m.overlay != nil {
		// The open editor's text goes into the draft store (and to disk
		// when it can); the guard below finds it if the disk refused.
		_ = compose.SaveDraft(m.overlay)
	}
	if g := compose.NewQuitGuard(m.c, m.deps.Drafts); g != nil {
		m.overlay = g
		m.overlay.SetSize(m.c.Width, m.contentHeight())
		return nil
	}
	return tea.Quit
}

// short is an error's first part: what went wrong, without the hint.
func short(err error) string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.What()
	}
	return err.Error()
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
