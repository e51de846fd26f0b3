package compose

import (
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Retry is called by the root after the user signed in again because a
// request failed on an expired login: what failed for that reason goes
// again with the new client (the text the user wrote is still here). Any
// other state is left alone, so a Retry never sends twice.

// Retry sends the comment again if its send failed for lack of a login.
func (m *Comment) Retry() tea.Cmd {
	if m.sending != 0 || !jiraclient.IsAuth(m.err) {
		return nil
	}
	return m.send()
}

// Retry reloads or saves again after a failed login.
func (m *Edit) Retry() tea.Cmd {
	if !jiraclient.IsAuth(m.err) {
		return nil
	}
	switch m.st {
	case editLoadErr:
		return m.Init()
	case editForm:
		return m.save()
	}
	return nil
}

// Retry reloads or creates again after a failed login.
func (m *Create) Retry() tea.Cmd {
	if !jiraclient.IsAuth(m.err) {
		return nil
	}
	switch m.st {
	case createLoadErr:
		if m.retry != nil {
			return m.retry()
		}
	case createForm:
		return m.save()
	}
	return nil
}
