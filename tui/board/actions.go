package board

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// onKey handles a key: the filter takes text while typed, else the
// board's bindings.
func (m Model) onKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.typing {
		switch {
		case key.Matches(msg, m.km.FilterDone):
			m.typing = false
			m.filter.Blur()
			return m, nil
		case key.Matches(msg, m.km.FilterClear):
			m.typing = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.regroup()
			return m, nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		m.regroup()
		return m, cmd
	}
	switch ActionFor(m.km, msg) {
	case ActLeft:
		m.moveCol(-1)
	case ActRight:
		m.moveCol(1)
	case ActUp:
		m.setRow(m.row - 1)
	case ActDown:
		m.setRow(m.row + 1)
	case ActTop:
		m.setRow(0)
	case ActBottom:
		if len(m.grid.flat) > 0 {
			m.setRow(len(m.grid.flat[m.col]) - 1)
		}
	case ActOpen:
		if m.cur != "" {
			k := m.cur
			return m, func() tea.Msg { return OpenMsg{Key: k} }
		}
	case ActToggle:
		if m.cur != "" {
			delete(m.cards, m.cur)
			if m.selected[m.cur] {
				delete(m.selected, m.cur)
			} else {
				m.selected[m.cur] = true
			}
			m.setRow(m.row + 1)
		}
	case ActLanes:
		m.lanes = (m.lanes + 1) % 3
		m.yoff = 0
		m.regroup()
	case ActMine:
		if m.c.Me == nil {
			return m, notice(common.NoticeInfo, "jiffy does not know who you are yet: try again in a moment")
		}
		m.mine = !m.mine
		m.regroup()
	case ActFilter:
		m.typing = true
		return m, m.filter.Focus()
	case ActMoveLeft, ActMoveRight, ActRankUp, ActRankDown, ActMoveSprint:
		if err := m.c.Issues.CanWrite(); m.c.Issues != nil && err != nil {
			// Refused at once rather than left to time out.
			return m, notice(common.NoticeWarning, "offline: Jira cannot be reached, so nothing was sent (r tries again)")
		}
	}
	switch ActionFor(m.km, msg) {
	case ActMoveLeft:
		return m, m.moveCard(-1)
	case ActMoveRight:
		return m, m.moveCard(1)
	case ActRankUp:
		return m, m.rank(-1)
	case ActRankDown:
		return m, m.rank(1)
	case ActSprints:
		if m.board.Type != jiraclient.BoardScrum {
			return m, notice(common.NoticeInfo, "a "+m.board.Type+" board has no sprints")
		}
		if m.sprints == nil {
			return m, notice(common.NoticeInfo, "the board's sprints are still loading (r asks again)")
		}
		return m, common.OpenOverlay(NewSprintPicker(m.c, m.sprints, PickShow, nil))
	case ActMoveSprint:
		if m.board.Type != jiraclient.BoardScrum {
			return m, notice(common.NoticeInfo, "a "+m.board.Type+" board has no sprints to move issues to")
		}
		keys := m.targets()
		if len(keys) == 0 {
			return m, notice(common.NoticeInfo, "no card here to move")
		}
		if m.sprints == nil {
			return m, notice(common.NoticeInfo, "the board's sprints are still loading (r asks again)")
		}
		return m, common.OpenOverlay(NewSprintPicker(m.c, m.sprints, PickMove, keys))
	case ActBacklog:
		if m.board.Type != jiraclient.BoardScrum {
			return m, notice(common.NoticeInfo, "a "+m.board.Type+" board has no backlog here")
		}
		if m.mode == ModeBacklog {
			m.mode = ModeBoard
		} else {
			m.mode = ModeBacklog
		}
		m.col, m.row, m.cur = 0, 0, ""
		return m, m.Reload()
	case ActLabels:
		return m, func() tea.Msg { return LabelsMsg{} }
	case ActRefresh:
		return m, m.Reload()
	case ActBack:
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			m.regroup()
			return m, nil
		}
		if len(m.selected) > 0 {
			m.selected = map[string]bool{}
			m.cards = map[string]card{}
			return m, nil
		}
		return m, func() tea.Msg { return BackMsg{} }
	}
	return m, nil
}

// targets is the selection, or else the highlighted card.
func (m Model) targets() []string {
	if len(m.selected) > 0 {
		var out []string
		for _, k := range m.keys {
			if m.selected[k] {
				out = append(out, k)
			}
		}
		return out
	}
	if m.cur != "" {
		return []string{m.cur}
	}
	return nil
}

// movesMsg is the transitions the highlighted card has now, to pick those
// into the column it is moved to.
type movesMsg struct {
	gen  int
	key  string
	col  int
	ts   []jiraclient.Transition
	err  error
	from string // the status it was in
}

func (m movesMsg) Failed() error { return m.err }

// moveCard moves the highlighted card to the column d away: the
// transitions Jira offers now are asked for, and those into a status
// mapped to that column are done (one), offered (several) or missed (none:
// the notice says why).
func (m *Model) moveCard(d int) tea.Cmd {
	if m.mode == ModeBacklog {
		return notice(common.NoticeInfo, "the backlog has no columns: v shows the board, or t transitions the issue")
	}
	if m.cur == "" {
		return notice(common.NoticeInfo, "no card here to move")
	}
	to := m.col + d
	if to < 0 || to >= len(m.grid.cols) {
		return notice(common.NoticeInfo, "no column further that way")
	}
	if len(m.grid.cols[to].statuses) == 0 {
		return notice(common.NoticeWarning, "nothing can move to "+safetext.Line(m.grid.cols[to].name)+": the board maps no status to that column")
	}
	is, _ := m.issue(m.cur)
	gen, key, from := m.gen, m.cur, is.Status.Name
	load := m.c.Do("", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return movesMsg{gen: gen, key: key, col: to, err: store.ErrNoClient}, store.ErrNoClient
		}
		ts, err := cl.Transitions(ctx, key)
		return movesMsg{gen: gen, key: key, col: to, ts: ts, err: err, from: from}, err
	})
	return tea.Batch(m.provisional(key, to), load)
}

// provisional moves the card at once when its target column maps one
// status: a patch of its own (through the root and the store, like a
// write's) that stays until the transition's write settles (or is taken
// off when no single transition leads there), so the card moves on the
// next frame rather than after Jira listed the transitions.
func (m *Model) provisional(key string, col int) tea.Cmd {
	ids := m.grid.cols[col].statuses
	if len(ids) != 1 || m.moving[key] != "" {
		return nil
	}
	st := jiraclient.Status{ID: ids[0], Name: m.grid.cols[col].name}
	for _, k := range m.keys { // the status as Jira names it, from a card in it
		if is, ok := m.issue(k); ok && is.Status.ID == ids[0] {
			st = is.Status
			break
		}
	}
	m.seq++
	token := "board:move:" + key + ":" + itoa(m.seq)
	m.moving[key] = token
	return func() tea.Msg {
		return common.IssuePatchMsg{Token: token, Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue {
			is.Status = st
			return is
		}}
	}
}

// settle takes the provisional move of key off (the transition's own
// write now shows the status, or none was made).
func (m *Model) settle(key string) tea.Cmd {
	token, ok := m.moving[key]
	if !ok {
		return nil
	}
	delete(m.moving, key)
	return func() tea.Msg { return common.IssueRollbackMsg{Token: token, Key: key} }
}

func (m *Model) onMoves(msg movesMsg) tea.Cmd {
	if msg.gen != m.gen || msg.col >= len(m.grid.cols) {
		return m.settle(msg.key)
	}
	if msg.err != nil {
		return tea.Batch(m.settle(msg.key), notice(common.NoticeError, msg.key+": could not load its transitions: "+store.Short(msg.err)))
	}
	col := m.grid.cols[msg.col]
	var cands []jiraclient.Transition
	for _, t := range msg.ts {
		if slices.Contains(col.statuses, t.To.ID) {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		offered := make([]string, 0, len(msg.ts))
		for _, t := range msg.ts {
			offered = append(offered, safetext.Line(t.To.Name))
		}
		why := "Jira offers no transition from " + safetext.Line(msg.from) + " into " + safetext.Line(col.name)
		if len(offered) > 0 {
			why += " (it leads to " + strings.Join(offered, ", ") + "; t shows them)"
		} else {
			why += " (no transition at all: the workflow or your permissions forbid it)"
		}
		return tea.Batch(m.settle(msg.key), notice(common.NoticeWarning, msg.key+": "+why))
	}
	is, ok := m.issue(msg.key)
	if !ok {
		return m.settle(msg.key)
	}
	if !action.AtOnce(cands) {
		// The user chooses (or fills the screen in): the card waits in
		// its column meanwhile.
		return tea.Batch(m.settle(msg.key), action.MoveTo(m.c, is, cands))
	}
	return action.MoveTo(m.c, is, cands)
}

// rankedMsg is the answer to a rank: old is the order to go back to.
type rankedMsg struct {
	gen int
	key string
	old []string
	err error
}

func (m rankedMsg) Failed() error { return m.err }

// rank moves the highlighted card above (d -1) or below (d 1) its
// neighbour in the column: at once on screen, then Jira; a refusal puts it
// back with Jira's reason.
func (m *Model) rank(d int) tea.Cmd {
	if m.cur == "" {
		return notice(common.NoticeInfo, "no card here to rank")
	}
	keys := m.grid.flat[m.col]
	n := m.row + d
	if n < 0 || n >= len(keys) {
		return notice(common.NoticeInfo, "already at the "+map[int]string{-1: "top", 1: "bottom"}[d]+" of the column")
	}
	key, other := m.cur, keys[n]
	old := slices.Clone(m.keys)
	m.keys = reorder(m.keys, key, other, d < 0)
	m.regroup()
	in := jiraclient.RankInput{Issues: []string{key}}
	if d < 0 {
		in.Before = other
	} else {
		in.After = other
	}
	gen := m.gen
	return m.c.Do("", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return rankedMsg{gen: gen, key: key, old: old, err: store.ErrNoClient}, store.ErrNoClient
		}
		err := cl.RankIssues(ctx, in)
		return rankedMsg{gen: gen, key: key, old: old, err: err}, err
	})
}

// reorder moves key next to other: before it, or after it.
func reorder(keys []string, key, other string, before bool) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k == key {
			continue
		}
		if k == other && !before {
			out = append(out, k, key)
			continue
		}
		if k == other {
			out = append(out, key)
		}
		out = append(out, k)
	}
	return out
}

func (m *Model) onRanked(msg rankedMsg) tea.Cmd {
	if msg.gen != m.gen || msg.err == nil {
		return nil
	}
	m.keys = msg.old
	m.regroup()
	return notice(common.NoticeError, msg.key+": rank refused: "+rankReason(msg.err))
}

// rankReason is Jira's reason for a refused rank: the per-issue errors of
// a 207 when there are some.
func rankReason(err error) string {
	var pe *jiraclient.PartialError
	if errors.As(err, &pe) && len(pe.Failed) > 0 && len(pe.Failed[0].Errors) > 0 {
		return safetext.Line(strings.Join(pe.Failed[0].Errors, "; "))
	}
	return store.Short(err)
}

// movedMsg is the answer to a move into a sprint or the backlog.
type movedMsg struct {
	gen  int
	keys []string
	to   string // the sprint's name, or "the backlog"
	err  error
}

func (m movedMsg) Failed() error { return m.err }

// onSprintPicked acts on the sprint picker's choice: show a sprint (or the
// backlog), or move the issues there.
func (m *Model) onSprintPicked(msg SprintPickedMsg) tea.Cmd {
	switch msg.Purpose {
	case PickShow:
		if msg.Sprint == nil {
			m.mode = ModeBacklog
		} else {
			s := *msg.Sprint
			m.mode, m.sprint = ModeBoard, &s
		}
		m.col, m.row, m.cur = 0, 0, ""
		return m.Reload()
	case PickMove:
		keys := msg.Keys
		gen := m.gen
		to := "the backlog"
		var id int
		if msg.Sprint != nil {
			to, id = safetext.Line(msg.Sprint.Name), msg.Sprint.ID
		}
		return m.c.Do("", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
			if cl == nil {
				return movedMsg{gen: gen, keys: keys, to: to, err: store.ErrNoClient}, store.ErrNoClient
			}
			var err error
			if id == 0 {
				err = cl.MoveToBacklog(ctx, keys)
			} else {
				err = cl.MoveToSprint(ctx, id, keys, "", "")
			}
			return movedMsg{gen: gen, keys: keys, to: to, err: err}, err
		})
	}
	return nil
}

// onMovedToSprint says how a move ended and reloads what the board shows:
// the issues left it, or joined it.
func (m *Model) onMovedToSprint(msg movedMsg) tea.Cmd {
	what := msg.keys[0]
	if len(msg.keys) > 1 {
		what = strings.Join(msg.keys[:1], "") + " and " + itoa(len(msg.keys)-1) + " more"
	}
	if msg.err != nil {
		note := "could not move " + what + " to " + msg.to + ": " + store.Short(msg.err)
		var pe *jiraclient.PartialError
		if errors.As(msg.err, &pe) && len(pe.Done) > 0 {
			note += " (" + itoa(len(pe.Done)) + " moved before that)"
		}
		return tea.Batch(notice(common.NoticeError, note), m.Reload())
	}
	m.selected = map[string]bool{}
	m.cards = map[string]card{}
	return tea.Batch(notice(common.NoticeSuccess, what+" moved to "+msg.to), m.Reload())
}

func itoa(n int) string { return strconv.Itoa(n) }

// notice is a status-bar line; it names issues, statuses and columns from
// Jira, so it is cleaned whole.
func notice(level common.NoticeLevel, text string) tea.Cmd {
	return common.Notice(level, safetext.Line(text))
}
