package common

import (
	"errors"

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

// Closer is an overlay with requests of its own (a load, a search): the
// root calls Close when the overlay is closed or replaced, and Close
// cancels them (Common.Cancel on the overlay's owner), so nobody waits on
// an answer nobody will read. Writes are not cancelled: see Common.Write.
type Closer interface{ Close() }

// OpenOverlayMsg opens an overlay; any view may return it from a Cmd.
type OpenOverlayMsg struct{ Overlay Overlay }

// CloseOverlayMsg closes the open overlay; the overlay returns it when done
// or cancelled.
type CloseOverlayMsg struct{}

// OpenOverlay is a Cmd opening o.
func OpenOverlay(o Overlay) tea.Cmd { return func() tea.Msg { return OpenOverlayMsg{Overlay: o} } }

// CreateSubtaskMsg asks the root for the create form of a sub-task of
// Parent (the detail's S).
type CreateSubtaskMsg struct{ Parent jiraclient.Issue }

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

// LostAnswerError is a write whose answer was lost (jiraclient.OutcomeUnknown:
// a 5xx, no answer, a broken connection) and whose issue was then read
// back. Checked says the read-back showed the write is not in Jira, so
// sending it again is safe; otherwise the read-back failed too and nobody
// knows, so the next send reads back first (see Unsettled).
type LostAnswerError struct {
	Err     error
	Key     string // the issue (or, for a new issue, the project) read back
	Noun    string // "the change", "the comment", "the new issue"
	Checked bool
}

func (e *LostAnswerError) Error() string { return e.Err.Error() }
func (e *LostAnswerError) Unwrap() error { return e.Err }

// Hint is what the user reads under the failure: that a resend was
// checked, or that nobody knows yet.
func (e *LostAnswerError) Hint() string {
	if e.Checked {
		return "jiffy read " + e.Key + " back: " + e.Noun + " is not in Jira, so sending it again is safe"
	}
	return e.Noun + " may or may not be in Jira, and jiffy could not tell by reading " + e.Key + " back: sending it again checks first"
}

// Unsettled reports whether err leaves a write's outcome unknown even
// after a read-back: a resend must read back again before it sends.
func Unsettled(err error) bool {
	var la *LostAnswerError
	return errors.As(err, &la) && !la.Checked
}
