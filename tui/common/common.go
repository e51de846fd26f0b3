// Package common holds what every jiffy view shares: the terminal size, the
// styles, the Jira client and the program-wide settings. The root model owns
// one Common and hands a pointer to each child, so a resize or a change of
// theme reaches every view without a message per child.
package common

import (
	"image/color"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
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
	// Now is the clock for relative times ("3h ago"); nil means time.Now. Tests pin it.
	Now func() time.Time
	// Hyperlinks lets views emit OSC 8 links (issue keys to the site,
	// http(s) URLs); decided once at start (tui.Hyperlinks).
	Hyperlinks bool
	// HideFields are the fields (ids or names, any case) the detail leaves
	// out of its field section: the profile's hide_fields.
	HideFields []string
}

// Palette is the handful of semantic colours every style is built from.
type Palette struct {
	Fg, Muted, Subtle, Accent, Border, Selection, SelectionFg color.Color
	ToDo, InProgress, Done                                    color.Color
	Error, Warning, Success                                   color.Color
}

// NewPalette picks the colours for a dark or a light terminal.
func NewPalette(isDark bool) Palette {
	ld := lipgloss.LightDark(isDark)
	return Palette{
		Fg:          ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3")),
		Muted:       ld(lipgloss.Color("#59636E"), lipgloss.Color("#8B949E")),
		Subtle:      ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D")),
		Accent:      ld(lipgloss.Color("#0969DA"), lipgloss.Color("#58A6FF")),
		Border:      ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#3D444D")),
		Selection:   ld(lipgloss.Color("#DDF4FF"), lipgloss.Color("#1F3A5F")),
		SelectionFg: ld(lipgloss.Color("#0A3069"), lipgloss.Color("#E6EDF3")),
		ToDo:        ld(lipgloss.Color("#59636E"), lipgloss.Color("#8B949E")),
		InProgress:  ld(lipgloss.Color("#0969DA"), lipgloss.Color("#58A6FF")),
		Done:        ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950")),
		Error:       ld(lipgloss.Color("#CF222E"), lipgloss.Color("#F85149")),
		Warning:     ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922")),
		Success:     ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950")),
	}
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

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	p := NewPalette(isDark)
	s := Styles{Palette: p}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Key = lipgloss.NewStyle().Foreground(p.Accent)
	s.Text = lipgloss.NewStyle().Foreground(p.Fg)
	s.Muted = lipgloss.NewStyle().Foreground(p.Muted)
	s.Bold = lipgloss.NewStyle().Bold(true).Foreground(p.Fg)
	s.Selected = lipgloss.NewStyle().Background(p.Selection).Foreground(p.SelectionFg)
	s.Marked = lipgloss.NewStyle().Foreground(p.Warning).Bold(true)
	s.Border = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(p.Muted)
	s.Label = lipgloss.NewStyle().Foreground(p.Muted)
	s.Error = lipgloss.NewStyle().Foreground(p.Error)
	s.Warning = lipgloss.NewStyle().Foreground(p.Warning)
	s.Success = lipgloss.NewStyle().Foreground(p.Success)
	s.StatusBar = lipgloss.NewStyle().Foreground(p.Muted)
	s.StatusKey = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Tab = lipgloss.NewStyle().Foreground(p.Muted).Padding(0, 1)
	s.ActiveTab = lipgloss.NewStyle().Bold(true).Foreground(p.Accent).Padding(0, 1).Underline(true)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 1)
	s.FieldError = lipgloss.NewStyle().Foreground(p.Error).Italic(true)
	return s
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
