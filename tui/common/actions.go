package common

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Overlay is a picker or editor drawn over the current view (transitions,
// assignee, comment editor, field editor, create form). It has the keys
// while it is open. Overlays live in their own packages (tui/edit, ...) and
// reach the root only through these messages, so nothing imports tui.
type Overlay interface {
	Update(tea.Msg) (Overlay, tea.Cmd)
	View() string
	SetSize(w, h int)
	KeyMap() help.KeyMap
}

// OpenOverlayMsg opens an overlay; any view may return it from a Cmd.
type OpenOverlayMsg struct{ Overlay Overlay }

// CloseOverlayMsg closes the open overlay; the overlay returns it when done
// or cancelled.
type CloseOverlayMsg struct{}

// OpenOverlay is a Cmd opening o.
func OpenOverlay(o Overlay) tea.Cmd { return func() tea.Msg { return OpenOverlayMsg{Overlay: o} } }

// CloseOverlay is a Cmd closing the overlay.
func CloseOverlay() tea.Msg { return CloseOverlayMsg{} }

// IssuePatchMsg shows a change at once, before Jira confirms it
// (optimistic update). The root applies Apply to the issue wherever it is
// shown (list row, detail, preview cache) and keeps the previous value
// under Token until an IssueConfirmedMsg or IssueRollbackMsg with the same
// Token arrives.
type IssuePatchMsg struct {
	Token string
	Key   string
	Apply func(jiraclient.Issue) jiraclient.Issue
}

// IssueConfirmedMsg says Jira accepted a change. Issue, when non-nil, is the
// issue as Jira now has it (re-fetched), and replaces what is shown.
type IssueConfirmedMsg struct {
	Token string
	Key   string
	Issue *jiraclient.Issue
	// Note is a short success line for the status bar ("OPS-12 → In Progress").
	Note string
}

// IssueRollbackMsg says Jira refused a change: the root restores the
// previous value kept for Token and shows Err in the status bar.
type IssueRollbackMsg struct {
	Token string
	Key   string
	Err   error
}

// IssueCreatedMsg says a new issue exists; the root opens it in the detail.
type IssueCreatedMsg struct{ Key string }

// Failed lets the root find expired logins in results (jiraclient.IsAuth).
func (m IssueRollbackMsg) Failed() error { return m.Err }
