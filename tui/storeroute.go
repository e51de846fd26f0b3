package tui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// The store (common.Common.Issues) owns the issues; the root routes what
// it says to the views. Its own answers reach Update first (see there) and
// come out as store.IssueMsg, QueryMsg, LoginNeededMsg and NetworkMsg.

// routeAll runs msgs through Update now, in order, as if each had come
// from the loop (the store's answers to a write or a lost login).
func (m *Model) routeAll(msgs []tea.Msg) tea.Cmd {
	if len(msgs) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(msgs))
	for _, msg := range msgs {
		nm, cmd := m.Update(msg)
		*m = nm.(Model)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// onIssue shows an issue that changed in the store wherever it is shown:
// its list row, the preview, and the detail when it shows or waits for it.
func (m *Model) onIssue(msg store.IssueMsg) tea.Cmd {
	var cmds []tea.Cmd
	if m.listOn {
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(msg)
		cmds = append(cmds, cmd)
	}
	var cmd tea.Cmd
	m.board, cmd = m.board.Update(msg)
	cmds = append(cmds, cmd)
	shown := m.detail.Key() == msg.Key && (m.waitKey == msg.Key || m.detail.Issue() != nil)
	switch {
	case msg.Err != nil && m.waitKey == msg.Key:
		m.waitKey = ""
		m.detail = m.detail.SetError(msg.Key, msg.Err)
	case msg.Err != nil:
		// A failed refresh keeps what is shown; the status bar says why.
		if shown {
			cmds = append(cmds, m.status.SetNotice(statusbar.Error, "could not refresh "+msg.Key+": "+store.Short(msg.Err)))
		}
	case shown:
		if full := m.c.Issues.Full(msg.Key); full != nil {
			m.waitKey = ""
			m.detail = m.detail.SetIssue(full)
		}
	default:
		if full := m.c.Issues.Full(msg.Key); full != nil && !msg.Cached {
			// A prefetched issue: lay its Markdown out for the detail's
			// width off the UI goroutine, so Enter draws it at once.
			cmds = append(cmds, detail.Prerender(m.c, full, m.c.Width))
		}
	}
	return tea.Batch(cmds...)
}

// onNetwork says the store went offline or came back.
func (m *Model) onNetwork(msg store.NetworkMsg) tea.Cmd {
	if msg.Offline {
		return m.status.SetNotice(statusbar.Warning, "Jira cannot be reached: showing what was cached; writes are refused until it answers (r retries)")
	}
	return m.status.SetNotice(statusbar.Success, "Jira answers again")
}

// refreshEvery is the auto-refresh period (0: off).
func (m Model) refreshEvery() time.Duration {
	if m.o.RefreshMinutes <= 0 {
		return 0
	}
	return time.Duration(m.o.RefreshMinutes) * time.Minute
}

// autoRefresh reloads the shown query (keeping the cursor) and schedules
// the next tick.
func (m *Model) autoRefresh() tea.Cmd {
	next := store.AutoRefresh(m.refreshEvery())
	if !m.listOn || m.c.Client == nil || m.list.Loading() != "" || m.list.InputFocused() {
		return next // busy or typing: the next tick tries again
	}
	return tea.Batch(next, m.list.Refresh())
}

// storeState is the status bar's line about the data shown: offline, the
// cached result's age, what changed since the user last looked.
func (m Model) storeState() string {
	var parts []string
	if m.c.Issues.Offline() {
		parts = append(parts, "offline")
	}
	if m.state == stateDetail {
		// An issue read from the cache and not (yet) refreshed: its age.
		if e, ok := m.c.Issues.Issue(m.detail.Key()); ok && e.Cached && e.Full && !e.Fetched.IsZero() {
			parts = append(parts, "cached "+Age(m.c.Clock().Sub(e.Fetched))+" ago")
		}
	}
	if m.listOn && m.state == stateList {
		if at := m.list.CachedAt(); !at.IsZero() {
			parts = append(parts, "cached "+Age(m.c.Clock().Sub(at))+" ago")
		}
		added, updated := m.c.Issues.Changes(m.list.JQL())
		if added > 0 {
			parts = append(parts, strconv.Itoa(added)+" new")
		}
		if updated > 0 {
			parts = append(parts, strconv.Itoa(updated)+" updated")
		}
	}
	return strings.Join(parts, " · ")
}

// Age is a duration as a person reads it: "1 min", "3 h", "2 d".
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "moments"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " d"
}

// cachedAnswer reports whether msg is the store's answer from the
// persistent cache: it says nothing about whether Jira takes the login.
func cachedAnswer(msg tea.Msg) bool {
	switch m := msg.(type) {
	case store.QueryMsg:
		return m.Cached
	case store.IssueMsg:
		return m.Cached
	}
	return false
}
