package board

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Keys are the board's bindings. The triage keys (t a i c e, and labels,
// which the board moves to # because l is "next column" here) are the
// root's, as in the list; they work on the highlighted card or the
// selection.
type Keys struct {
	Left, Right, Up, Down key.Binding
	Top, Bottom           key.Binding
	MoveLeft, MoveRight   key.Binding
	RankUp, RankDown      key.Binding
	Open                  key.Binding
	Toggle                key.Binding
	Lanes                 key.Binding
	Mine                  key.Binding
	Filter                key.Binding
	Sprints               key.Binding
	MoveSprint            key.Binding
	Backlog               key.Binding
	Labels                key.Binding
	Refresh               key.Binding
	Back                  key.Binding
}

// NewKeys returns the board's bindings.
func NewKeys() Keys {
	return Keys{
		Left:       key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("h/←", "previous column")),
		Right:      key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("l/→", "next column")),
		Up:         key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", "card above")),
		Down:       key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", "card below")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first card")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last card")),
		MoveLeft:   key.NewBinding(key.WithKeys("H", "<"), key.WithHelp("H/<", "move card to previous column")),
		MoveRight:  key.NewBinding(key.WithKeys("L", ">"), key.WithHelp("L/>", "move card to next column")),
		RankUp:     key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "rank card up")),
		RankDown:   key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "rank card down")),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open card")),
		Toggle:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "select")),
		Lanes:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "swimlanes: none/assignee/epic")),
		Mine:       key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "only my issues")),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter cards")),
		Sprints:    key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sprints")),
		MoveSprint: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "move to sprint/backlog")),
		Backlog:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "backlog / sprint")),
		Labels:     key.NewBinding(key.WithKeys("#"), key.WithHelp("#", "labels")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:       key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back to the list")),
	}
}

// Pick is the key that opens the board picker from the list, the detail
// and the board.
func Pick() key.Binding {
	return key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "boards"))
}

// ShortHelp is the one-line help.
func (k Keys) ShortHelp() []key.Binding {
	return []key.Binding{k.MoveRight, k.Open, k.Lanes, k.Sprints, k.MoveSprint, k.Back}
}

// FullHelp is the help screen's columns.
func (k Keys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Left, k.Right, k.Up, k.Down, k.Top, k.Bottom, k.Open},
		{k.MoveLeft, k.MoveRight, k.RankUp, k.RankDown, k.Toggle, k.Labels},
		{k.Lanes, k.Mine, k.Filter, k.Sprints, k.MoveSprint, k.Backlog, k.Refresh, k.Back, Pick(), EpicKey()},
	}
}

// Action is what a key means to the board.
type Action int

// The board's actions.
const (
	ActNone Action = iota
	ActLeft
	ActRight
	ActUp
	ActDown
	ActTop
	ActBottom
	ActMoveLeft
	ActMoveRight
	ActRankUp
	ActRankDown
	ActOpen
	ActToggle
	ActLanes
	ActMine
	ActFilter
	ActSprints
	ActMoveSprint
	ActBacklog
	ActLabels
	ActRefresh
	ActBack
)

// ActionFor maps a key press to a board action (a pure function, tested
// table-driven). Disabled bindings never match.
func ActionFor(k Keys, msg tea.KeyPressMsg) Action {
	for _, b := range []struct {
		b key.Binding
		a Action
	}{
		{k.Left, ActLeft}, {k.Right, ActRight}, {k.Up, ActUp}, {k.Down, ActDown},
		{k.Top, ActTop}, {k.Bottom, ActBottom},
		{k.MoveLeft, ActMoveLeft}, {k.MoveRight, ActMoveRight},
		{k.RankUp, ActRankUp}, {k.RankDown, ActRankDown},
		{k.Open, ActOpen}, {k.Toggle, ActToggle}, {k.Lanes, ActLanes}, {k.Mine, ActMine},
		{k.Filter, ActFilter}, {k.Sprints, ActSprints}, {k.MoveSprint, ActMoveSprint},
		{k.Backlog, ActBacklog}, {k.Labels, ActLabels}, {k.Refresh, ActRefresh}, {k.Back, ActBack},
	} {
		if key.Matches(msg, b.b) {
			return b.a
		}
	}
	return ActNone
}
