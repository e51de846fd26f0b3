package detail

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is the detail view's keys. It implements help.KeyMap so the root
// can show it in the footer and the help screen.
type KeyMap struct {
	Up, Down             key.Binding
	HalfUp, HalfDown     key.Binding
	PageUp, PageDown     key.Binding
	Top, Bottom          key.Binding
	NextLink, PrevLink   key.Binding
	Open                 key.Binding
	NextIssue, PrevIssue key.Binding
	Reload               key.Binding
	Browser              key.Binding // o, y and Y as in the list
	CopyKey, CopyURL     key.Binding
	Back                 key.Binding
	// Watchers and LogWork open the activity overlays (tui/activity).
	Watchers, LogWork, Links, Attachments key.Binding
	// EditField opens the full form of the summary and description (the
	// editor of any one field is the triage key e).
	EditField key.Binding
	// Subtask opens the create form for a sub-task of the issue.
	Subtask key.Binding
}

// DefaultKeyMap returns fresh bindings (bindings hold state, so they are
// never shared between models).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		HalfUp:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown:    key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		NextLink:    key.NewBinding(key.WithKeys("tab", "]"), key.WithHelp("tab/]", "next link")),
		PrevLink:    key.NewBinding(key.WithKeys("shift+tab", "["), key.WithHelp("shift+tab/[", "previous link")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open link")),
		NextIssue:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next issue")),
		PrevIssue:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous issue")),
		Reload:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		Browser:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		CopyKey:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy key")),
		CopyURL:     key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy URL")),
		Back:        key.NewBinding(key.WithKeys("esc", "q", "backspace", "h"), key.WithHelp("esc/q", "back")),
		Watchers:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watchers, watch")),
		LogWork:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "log work, worklogs")),
		Links:       key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "add or remove links")),
		Attachments: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "attachments: open, save, upload")),
		EditField:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "edit summary & description")),
		Subtask:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "new sub-task")),
	}
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.NextLink, k.Open, k.NextIssue, k.PrevIssue, k.Back}
}

// FullHelp is the help screen, one column per group.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.HalfUp, k.HalfDown, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.NextLink, k.PrevLink, k.Open},
		{k.NextIssue, k.PrevIssue, k.Reload, k.Back},
		{k.Browser, k.CopyKey, k.CopyURL},
		{k.EditField, k.Subtask, k.Watchers, k.LogWork, k.Links, k.Attachments},
	}
}

// action is what a key asks the view to do.
type action int

const (
	actNone action = iota
	actUp
	actDown
	actHalfUp
	actHalfDown
	actPageUp
	actPageDown
	actTop
	actBottom
	actNextLink
	actPrevLink
	actOpen
	actNextIssue
	actPrevIssue
	actReload
	actBrowser
	actCopyKey
	actCopyURL
	actBack
	actWatchers
	actLogWork
	actLinks
	actAttachments
	actEditField
	actSubtask
)

// actionFor maps a key press to an action; a pure function, so the key
// table is tested without a model.
func actionFor(k KeyMap, msg tea.KeyPressMsg) action {
	switch {
	case key.Matches(msg, k.Up):
		return actUp
	case key.Matches(msg, k.Down):
		return actDown
	case key.Matches(msg, k.HalfUp):
		return actHalfUp
	case key.Matches(msg, k.HalfDown):
		return actHalfDown
	case key.Matches(msg, k.PageUp):
		return actPageUp
	case key.Matches(msg, k.PageDown):
		return actPageDown
	case key.Matches(msg, k.Top):
		return actTop
	case key.Matches(msg, k.Bottom):
		return actBottom
	case key.Matches(msg, k.NextLink):
		return actNextLink
	case key.Matches(msg, k.PrevLink):
		return actPrevLink
	case key.Matches(msg, k.Open):
		return actOpen
	case key.Matches(msg, k.NextIssue):
		return actNextIssue
	case key.Matches(msg, k.PrevIssue):
		return actPrevIssue
	case key.Matches(msg, k.Reload):
		return actReload
	case key.Matches(msg, k.Browser):
		return actBrowser
	case key.Matches(msg, k.CopyKey):
		return actCopyKey
	case key.Matches(msg, k.CopyURL):
		return actCopyURL
	case key.Matches(msg, k.Back):
		return actBack
	case key.Matches(msg, k.Watchers):
		return actWatchers
	case key.Matches(msg, k.LogWork):
		return actLogWork
	case key.Matches(msg, k.Links):
		return actLinks
	case key.Matches(msg, k.Attachments):
		return actAttachments
	case key.Matches(msg, k.EditField):
		return actEditField
	case key.Matches(msg, k.Subtask):
		return actSubtask
	}
	return actNone
}
