package detail

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/keys"
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

// DefaultKeyMap returns fresh bindings from km, the keymap in force (nil:
// the defaults); bindings hold state, so they are never shared between
// models.
func DefaultKeyMap(km *keys.Map) KeyMap {
	return KeyMap{
		Up:          km.Binding("detail.up"),
		Down:        km.Binding("detail.down"),
		HalfUp:      km.Binding("detail.half_up"),
		HalfDown:    km.Binding("detail.half_down"),
		PageUp:      km.Binding("detail.page_up"),
		PageDown:    km.Binding("detail.page_down"),
		Top:         km.Binding("detail.top"),
		Bottom:      km.Binding("detail.bottom"),
		NextLink:    km.Binding("detail.next_link"),
		PrevLink:    km.Binding("detail.prev_link"),
		Open:        km.Binding("detail.open"),
		NextIssue:   km.Binding("detail.next_issue"),
		PrevIssue:   km.Binding("detail.prev_issue"),
		Reload:      km.Binding("detail.reload"),
		Browser:     km.Binding("detail.browser"),
		CopyKey:     km.Binding("detail.copy_key"),
		CopyURL:     km.Binding("detail.copy_url"),
		Back:        km.Binding("detail.back"),
		Watchers:    km.Binding("detail.watchers"),
		LogWork:     km.Binding("detail.log_work"),
		Links:       km.Binding("detail.links"),
		Attachments: km.Binding("detail.attachments"),
		EditField:   km.Binding("detail.edit_field"),
		Subtask:     km.Binding("detail.subtask"),
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
