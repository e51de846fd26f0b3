// Package common holds what every jiffy view shares: the terminal size, the
// styles, the Jira client and the program-wide settings. The root model owns
// one Common and hands a pointer to each child, so a resize or a change of
// theme reaches every view without a message per child.
package common

import (
	"image/color"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// Common is shared by every view. Views read it; only the root writes it.
type Common struct {
	Width, Height int
	Styles        Styles
	// Client talks to Jira. Views call it only inside tea.Cmds.
	Client *jiraclient.Client
	// Site is the site URL shown in the status bar; Me the signed-in user.
	Site string
	Me   *jiraclient.User
	// Profile names the profile in use in the status bar when jiffy
	// knows several (tui/profiles); "" shows the site alone.
	Profile string
	// Now is the clock for relative times ("3h ago"); nil means time.Now. Tests pin it.
	Now func() time.Time
	// Issues is the store: the one owner of issue data, fetches in flight
	// and optimistic writes (see tui/store). Views read it and call its
	// methods from Update; the root routes its answers.
	Issues *store.Store
	// Hyperlinks lets views emit OSC 8 links (issue keys to the site,
	// http(s) URLs); decided once at start (tui.Hyperlinks).
	Hyperlinks bool
	// Theme is the user's palette choice ([theme] in the config, NO_COLOR);
	// the root builds Styles from it for the terminal's background.
	Theme Theme
	// HideFields are the fields (ids or names, any case) the detail leaves
	// out of its field section: the profile's hide_fields.
	HideFields []string
	// Keys is the keymap in force (the registry with the config's [keys]
	// laid over it); every view builds its bindings from it. nil is the
	// defaults.
	Keys *keys.Map
	// Columns are the list's configured columns (columns in the profile;
	// see store.ResolveColumns); empty shows the built-in ones.
	Columns []string
}

// Styles are built once from a Palette; no view invents colours.
type Styles struct {
	Palette Palette

	Title      lipgloss.Style // view titles, issue keys in headers
	Key        lipgloss.Style // issue keys in lists
	Text       lipgloss.Style
	Muted      lipgloss.Style
	Bold       lipgloss.Style
	Selected   lipgloss.Style // the highlighted row
	Marked     lipgloss.Style // rows selected for bulk actions
	Border     lipgloss.Style // pane borders
	Header     lipgloss.Style // column headers
	Label      lipgloss.Style // "Status:" style labels in the detail header
	Error      lipgloss.Style
	Warning    lipgloss.Style
	Success    lipgloss.Style
	StatusBar  lipgloss.Style
	StatusKey  lipgloss.Style // the left-most segment of the status bar
	Tab        lipgloss.Style
	ActiveTab  lipgloss.Style
	Dialog     lipgloss.Style // pickers and forms drawn over a view
	FieldError lipgloss.Style // Jira's per-field errors beside a field
}

// StatusColor is the colour of a status category (jiraclient.CategoryToDo, ...).
func (s Styles) StatusColor(category string) color.Color {
	switch category {
	case jiraclient.CategoryDone:
		return s.Palette.Done
	case jiraclient.CategoryInProgress:
		return s.Palette.InProgress
	}
	return s.Palette.ToDo
}

// Status renders a status name in its category's colour.
func (s Styles) Status(name, category string) string {
	return lipgloss.NewStyle().Foreground(s.StatusColor(category)).Render(name)
}

// Do runs a request through the store (Issues.Do): cancelled with
// Issues.Cancel(owner), its error seen by the store (an expired login asks
// for a sign-in and is replayed after it). A Common without a store (a
// view under test alone) runs it directly with Client.
func (c *Common) Do(owner string, fn store.Func) tea.Cmd {
	if c.Issues != nil {
		return c.Issues.Do(owner, fn)
	}
	return store.Direct(c.Client, fn)
}

// Write is Do for a write (Issues.Write): refused at once while the store
// is offline, with refused(err) as the answer. A write is made with no
// owner: closing its overlay does not cancel it, since its patch is on
// screen until Jira's answer settles it.
func (c *Common) Write(fn store.Func, refused func(error) tea.Msg) tea.Cmd {
	if c.Issues != nil {
		return c.Issues.Write("", fn, refused)
	}
	return store.Direct(c.Client, fn)
}

// Owner names a new owner of requests (kind and an id of the one source):
// an overlay takes one when it is made, and its Close cancels it.
func Owner(kind string) string {
	return kind + ":" + strconv.FormatUint(store.NextID(), 10)
}

// Cancel cancels owner's requests in the store (none without a store).
func (c *Common) Cancel(owner string) {
	if c.Issues != nil {
		c.Issues.Cancel(owner)
	}
}

// Clock returns Now, or time.Now when Now is unset.
func (c *Common) Clock() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// NoticeLevel is how a status-bar message is drawn.
type NoticeLevel int

// The notice levels.
const (
	NoticeInfo NoticeLevel = iota
	NoticeSuccess
	NoticeWarning
	NoticeError
)

// NoticeMsg asks the root to show a transient message in the status bar
// (cleared on the next key or a timer). Any view may return it from a Cmd.
type NoticeMsg struct {
	Level NoticeLevel
	Text  string
}

// Notice is a Cmd that shows a transient status-bar message.
func Notice(level NoticeLevel, text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Level: level, Text: text} }
}

// DialogInner is the room inside a dialog's frame on a w×h screen for a
// dialog at most maxW wide (and at least 30): the frame (border and padding
// of Styles.Dialog) is measured, not assumed; 0 sizes mean 80×24.
func (s Styles) DialogInner(w, h, maxW int) (width, height int) {
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	width = max(max(min(w-4, maxW), 30)-s.Dialog.GetHorizontalFrameSize(), 10)
	height = max(h-2-s.Dialog.GetVerticalFrameSize(), 4)
	return width, height
}
