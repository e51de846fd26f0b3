package board

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/keys"
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
	// Epic opens the epic picker on the card; Pick the board picker.
	Epic, Pick key.Binding
	// FilterDone and FilterClear end the card filter while it is typed in
	// (the list filter's keys).
	FilterDone, FilterClear key.Binding
}

// NewKeys returns the board's bindings from km, the keymap in force (nil:
// the defaults; tui/keys/registry.go declares them).
func NewKeys(km *keys.Map) Keys {
	return Keys{
		Left:        km.Binding("board.left"),
		Right:       km.Binding("board.right"),
		Up:          km.Binding("board.up"),
		Down:        km.Binding("board.down"),
		Top:         km.Binding("board.top"),
		Bottom:      km.Binding("board.bottom"),
		MoveLeft:    km.Binding("board.move_left"),
		MoveRight:   km.Binding("board.move_right"),
		RankUp:      km.Binding("board.rank_up"),
		RankDown:    km.Binding("board.rank_down"),
		Open:        km.Binding("board.open"),
		Toggle:      km.Binding("board.select"),
		Lanes:       km.Binding("board.lanes"),
		Mine:        km.Binding("board.mine"),
		Filter:      km.Binding("board.filter"),
		Sprints:     km.Binding("board.sprints"),
		MoveSprint:  km.Binding("board.move_sprint"),
		Backlog:     km.Binding("board.backlog"),
		Labels:      km.Binding("board.labels"),
		Refresh:     km.Binding("board.refresh"),
		Back:        km.Binding("board.back"),
		Epic:        km.Binding("board.epic"),
		Pick:        km.Binding("global.boards"),
		FilterDone:  km.Binding("filter.done"),
		FilterClear: km.Binding("filter.clear"),
	}
}

// Pick is the key that opens the board picker from the list, the detail
// and the board.
func Pick(km *keys.Map) key.Binding { return km.Binding("global.boards") }

// ShortHelp is the one-line help.
func (k Keys) ShortHelp() []key.Binding {
	return []key.Binding{k.MoveRight, k.Open, k.Lanes, k.Sprints, k.MoveSprint, k.Back}
}

// FullHelp is the help screen's columns.
func (k Keys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Left, k.Right, k.Up, k.Down, k.Top, k.Bottom, k.Open},
		{k.MoveLeft, k.MoveRight, k.RankUp, k.RankDown, k.Toggle, k.Labels},
		{k.Lanes, k.Mine, k.Filter, k.Sprints, k.MoveSprint, k.Backlog, k.Refresh, k.Back, k.Pick, k.Epic},
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
