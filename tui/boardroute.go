package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/board"
	"github.com/jiffy-tui/jiffy/tui/detail"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/statusbar"
)

// The board (tui/board) is a state beside the list and the detail: b opens
// its picker from any of the three, Enter on a card opens the detail (back
// returns to the board), esc on the board returns to the list. The triage
// keys work on the highlighted card as on a list row (labels on #, since l
// moves between columns there).

// onBoardKey handles b (the board picker) and, on the board, the board's
// own keys, before the triage keys.
func (m *Model) onBoardKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.c.Client == nil || m.state == stateLogin || m.state == stateStarting {
		return nil, false
	}
	if key.Matches(msg, board.Pick(m.c.Keys)) {
		return m.open(board.NewPicker(m.c, m.o.Boards)), true
	}
	view := "detail"
	if m.state == stateBoard {
		view = "board"
	}
	if (m.state == stateDetail || m.state == stateBoard) && key.Matches(msg, board.EpicKey(m.c.Keys, view)) {
		is, ok := m.target()
		switch {
		case !ok:
			return m.status.SetNotice(statusbar.Info, "no issue here yet"), true
		case detail.IsEpic(&is):
			return m.status.SetNotice(statusbar.Info, is.Key+" is an epic: its page lists its child issues"), true
		}
		return m.open(board.NewEpicPicker(m.c, is)), true
	}
	if m.state != stateBoard {
		return nil, false
	}
	switch board.ActionFor(board.NewKeys(m.c.Keys), msg) {
	case board.ActNone, board.ActLabels:
		return nil, false
	}
	var cmd tea.Cmd
	m.board, cmd = m.board.Update(msg)
	return cmd, true
}

// onBoardMsg follows what the board and its picker ask for.
func (m *Model) onBoardMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case board.ChosenMsg:
		m.state = stateBoard
		m.board.SetSize(m.c.Width, m.contentHeight())
		if msg.Ref != "" {
			return m.board.Resolve(msg.Ref)
		}
		return m.board.Open(msg.Board)
	case board.OpenMsg:
		m.back = nil
		m.home = stateBoard
		return m.openDetail(msg.Key, nil)
	case board.BackMsg:
		m.state, m.home = stateList, stateList
	case board.LabelsMsg:
		return m.onAction(keys.ActLabels)
	}
	return nil
}

// startBoard opens the board named by --board.
func (m *Model) startBoard() tea.Cmd {
	ref := m.o.Board
	m.o.Board = ""
	m.state = stateBoard
	m.board.SetSize(m.c.Width, m.contentHeight())
	return m.board.Resolve(ref)
}

// loadChildren asks for the child issues of the epic the detail shows,
// once per epic shown.
func (m *Model) loadChildren() tea.Cmd {
	if m.state != stateDetail {
		return nil
	}
	k := m.detail.WantsChildren()
	if k == "" {
		return nil
	}
	m.detail = m.detail.SetChildrenLoading(k)
	return detail.LoadChildren(m.c, k)
}
