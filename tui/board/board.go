// Package board is the agile board view: the columns a Jira board
// configures, its issues as cards in rank order (the active sprint's on a
// scrum board, or the backlog), swimlanes, quick filters, moving cards
// between columns (a transition into a status mapped to the column),
// ranking, and moving issues between sprints. It also holds the board
// picker and the sprint picker overlays.
//
// Design notes:
//
//   - A view over the store. The pages' rows go into the store
//     (store.Rows); the board keeps only the keys in rank order and the
//     Agile fields a store entry does not keep (estimate, epic), and
//     draws every card from the store's entry. A write (a move, a
//     transition from t) patches the store; the store's IssueMsg makes the
//     board regroup, so an optimistic status change moves the card on the
//     next frame and a rollback moves it back.
//   - Requests go through Common.Do (the store's request helper) with the
//     owner "board": opening another board cancels what the last one
//     still loads. Answers carry the generation they were asked for; a
//     stale one is dropped.
//   - The grouping (columns, lanes, filters) is computed when data or a
//     filter changes, never in View; View draws only the rows on screen,
//     so a frame costs the same for 50 issues or 5,000.
package board

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// owner names the board's requests in the store.
const owner = "board"

// maxIssues caps what a board loads (pages of pageSize).
const (
	maxIssues = 2000
	pageSize  = 100
)

// Mode is what the board shows.
type Mode int

// The board's modes.
const (
	ModeBoard   Mode = iota // a kanban board's issues, or a scrum board's chosen sprint
	ModeBacklog             // a scrum board's backlog
)

// Lanes is the swimlane grouping.
type Lanes int

// The swimlane groupings, in the order the key cycles them.
const (
	LanesNone Lanes = iota
	LanesAssignee
	LanesEpic
)

func (l Lanes) String() string { return [...]string{"none", "assignee", "epic"}[l] }

// Memory keeps the last board opened, per profile (config.Boards): its
// estimate field and (scrum) its active sprint, so the next open asks for
// the configuration and the sprint's issues together.
type Memory interface {
	LastBoard() (id int, name, estimate string, sprint int)
	SetLastBoard(id int, name, estimate string, sprint int)
}

// OpenMsg asks the root to open an issue in the detail (Enter on a card);
// back from the detail returns to the board.
type OpenMsg struct{ Key string }

// BackMsg asks the root to leave the board for the list.
type BackMsg struct{}

// LabelsMsg asks the root to run the labels action (# on the board: l
// moves between columns here).
type LabelsMsg struct{}

// ChosenMsg is a board picked in the picker (or named by --board): the
// root shows the board and opens it.
type ChosenMsg struct {
	Board jiraclient.Board
	// Ref is a name or id still to look up (--board); Board is then zero.
	Ref string
}

// extra is what a board page says of an issue that a store entry does not
// keep (a full fetch or a write's read-back has no estimate or epic).
type extra struct {
	estimate *float64
	epic     *jiraclient.IssueRef
}

// Model is the board view.
type Model struct {
	c    *common.Common
	km   Keys
	mem  Memory
	w, h int

	board    jiraclient.Board
	cfg      *jiraclient.BoardConfig
	estimate string // the estimate field the pages were asked with
	mode     Mode
	sprint   *jiraclient.Sprint // the sprint shown (scrum, ModeBoard)
	guess    int                // the active sprint remembered, until the sprint list confirms it
	// waitConfig: a board opened for the first time asks for its issues
	// once the configuration (its estimate field) and, scrum, the sprint
	// list (its active sprint) are in; sprintsDone says the list answered.
	waitConfig  bool
	sprintsDone bool
	noSprint    bool // a scrum board with no active sprint
	sprints     []jiraclient.Sprint
	gen         int
	loading     int // requests of gen not answered
	err         error

	keys   []string // every issue loaded, in rank order
	has    map[string]bool
	extras map[string]extra
	more   bool // more pages than maxIssues

	moving map[string]string // key -> the token of its provisional move
	seq    int

	lanes    Lanes
	mine     bool
	filter   textinput.Model
	typing   bool
	selected map[string]bool

	// grid is the grouping, rebuilt by regroup; cards the cards drawn
	// for it (filled by View, emptied by regroup).
	grid  grid
	cards map[string]card
	col   int    // the highlighted column
	row   int    // the highlighted card within the column (all lanes)
	cur   string // the highlighted card's key, kept across a regroup
	xoff  int    // the first column on screen
	yoff  int    // the first grid line on screen
}

// New returns an empty board view; Open (or Resolve) loads one.
func New(c *common.Common, mem Memory) Model {
	f := textinput.New()
	f.Prompt = "/"
	f.Placeholder = "filter cards"
	return Model{c: c, km: NewKeys(c.Keys), mem: mem, filter: f, has: map[string]bool{}, extras: map[string]extra{}, selected: map[string]bool{}, cards: map[string]card{}, moving: map[string]string{}}
}

// SetSize sets the area the board is drawn in.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.filter.SetWidth(max(10, w-4))
	m.scroll()
}

// Restyle draws the cards again with the styles of the moment (the
// terminal's background arrived).
func (m *Model) Restyle() { m.cards = map[string]card{} }

// Step highlights the card delta away in its column (n/p in a detail
// opened from the board) and returns its key; false at either end.
func (m *Model) Step(delta int) (string, bool) {
	if m.cur == "" || len(m.grid.flat) == 0 {
		return "", false
	}
	r := m.row + delta
	if r < 0 || r >= len(m.grid.flat[m.col]) {
		return "", false
	}
	m.setRow(r)
	return m.cur, true
}

// Board is the board shown.
func (m Model) Board() jiraclient.Board { return m.board }

// Loading is the status-bar task line while the board loads ("" when not).
func (m Model) Loading() string {
	if m.loading > 0 {
		return "loading board " + m.board.Name
	}
	return ""
}

// InputFocused reports whether the filter is being typed.
func (m Model) InputFocused() bool { return m.typing }

// KeyMap is the board's keys as they work now.
func (m Model) KeyMap() help.KeyMap {
	k := m.km
	if m.board.Type != jiraclient.BoardScrum {
		k.Sprints.SetEnabled(false)
		k.MoveSprint.SetEnabled(false)
		k.Backlog.SetEnabled(false)
	}
	return k
}

// Current is the highlighted card's issue as the store has it.
func (m Model) Current() (jiraclient.Issue, bool) {
	if m.cur == "" {
		return jiraclient.Issue{}, false
	}
	return m.issue(m.cur)
}

// Selected is the selected issues, in rank order.
func (m Model) Selected() []jiraclient.Issue {
	if len(m.selected) == 0 {
		return nil
	}
	var out []jiraclient.Issue
	for _, k := range m.keys {
		if m.selected[k] {
			if is, ok := m.issue(k); ok {
				out = append(out, is)
			}
		}
	}
	return out
}

// SetSelection keeps only keys selected (what a bulk action failed on).
func (m *Model) SetSelection(keys []string) {
	m.selected = map[string]bool{}
	m.cards = map[string]card{}
	for _, k := range keys {
		if m.has[k] {
			m.selected[k] = true
		}
	}
}

// issue is key's issue from the store with the board's Agile fields.
func (m Model) issue(key string) (jiraclient.Issue, bool) {
	e, ok := m.c.Issues.Issue(key)
	if !ok {
		return jiraclient.Issue{}, false
	}
	is := e.Issue
	if x, ok := m.extras[key]; ok {
		if is.Estimate == nil {
			is.Estimate = x.estimate
		}
		if is.Epic == nil {
			is.Epic = x.epic
		}
	}
	return is, true
}

// configMsg is the board's configuration.
type configMsg struct {
	gen int
	cfg *jiraclient.BoardConfig
	err error
}

func (m configMsg) Failed() error { return m.err }

// pageMsg is a page of the board's (sprint's, backlog's) issues.
type pageMsg struct {
	gen      int
	estimate string
	sprint   *jiraclient.Sprint
	guessed  bool // sprint is the remembered one: only its id is known
	noSprint bool
	cur      jiraclient.Cursor
	page     jiraclient.SearchPage
	err      error
}

func (m pageMsg) Failed() error { return m.err }

// sprintsMsg is the scrum board's sprints (active, future, closed).
type sprintsMsg struct {
	gen     int
	sprints []jiraclient.Sprint
	err     error
}

func (m sprintsMsg) Failed() error { return m.err }

// resolvedMsg is a board named by --board, looked up.
type resolvedMsg struct {
	ref   string
	board jiraclient.Board
	err   error
}

func (m resolvedMsg) Failed() error { return m.err }

// Resolve looks up a board by id or name (--board) and opens it.
func (m *Model) Resolve(ref string) tea.Cmd {
	m.board = jiraclient.Board{Name: ref}
	m.gen++
	m.loading = 1
	m.err = nil
	return m.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return resolvedMsg{ref: ref, err: store.ErrNoClient}, store.ErrNoClient
		}
		b, err := resolve(ctx, cl, ref)
		return resolvedMsg{ref: ref, board: b, err: err}, err
	})
}

// resolve finds the board ref names: its id, its exact name (any case), or
// the one board whose name contains it.
func resolve(ctx context.Context, cl *jiraclient.Client, ref string) (jiraclient.Board, error) {
	var id int
	if _, err := fmt.Sscanf(ref, "%d", &id); err == nil && fmt.Sprint(id) == ref {
		all, err := cl.AllBoards(ctx, jiraclient.BoardQuery{})
		if err != nil {
			return jiraclient.Board{}, err
		}
		for _, b := range all {
			if b.ID == id {
				return b, nil
			}
		}
		return jiraclient.Board{}, fmt.Errorf("no board with id %d that you can see (b lists them)", id)
	}
	all, err := cl.AllBoards(ctx, jiraclient.BoardQuery{Name: ref})
	if err != nil {
		return jiraclient.Board{}, err
	}
	for _, b := range all {
		if strings.EqualFold(b.Name, ref) {
			return b, nil
		}
	}
	switch len(all) {
	case 1:
		return all[0], nil
	case 0:
		return jiraclient.Board{}, fmt.Errorf("no board named %q that you can see (b lists them)", ref)
	}
	names := make([]string, 0, 4)
	for i, b := range all {
		if i == 4 {
			names = append(names, "…")
			break
		}
		names = append(names, b.Name)
	}
	return jiraclient.Board{}, fmt.Errorf("%d boards match %q (%s): give the id or the whole name", len(all), ref, strings.Join(names, ", "))
}

// Open shows board b: its configuration and the first page of its issues
// are asked for together (the estimate field remembered from the last
// open of this board; a different one in the configuration asks again).
func (m *Model) Open(b jiraclient.Board) tea.Cmd {
	m.c.Cancel(owner)
	prev := m.board.ID
	m.board = b
	m.gen++
	m.err = nil
	m.cfg = nil
	m.sprints = nil
	m.keys, m.has, m.extras = nil, map[string]bool{}, map[string]extra{}
	m.selected = map[string]bool{}
	m.cards = map[string]card{}
	m.loading = 0
	m.col, m.row, m.cur, m.xoff, m.yoff = 0, 0, "", 0, 0
	m.waitConfig, m.sprintsDone = false, false
	if prev != b.ID {
		m.mode, m.sprint, m.guess = ModeBoard, nil, 0
		m.estimate = ""
		m.waitConfig = true
		if m.mem != nil {
			if id, _, est, sp := m.mem.LastBoard(); id == b.ID {
				m.estimate, m.guess = est, sp
				m.waitConfig = false
			}
		}
	}
	m.regroup()
	cmds := []tea.Cmd{m.loadConfig()}
	if !m.waitConfig {
		cmds = append(cmds, m.loadIssues(jiraclient.Cursor{}))
	}
	if b.Type == jiraclient.BoardScrum {
		cmds = append(cmds, m.loadSprints())
	}
	cmds = append(cmds, m.remember())
	return tea.Batch(cmds...)
}

// startIssues asks for the first page of a board opened for the first
// time, once what it needs is in: the configuration (the estimate field)
// and, on a scrum board, the sprint list (the active sprint, so no lookup
// comes before the issues). Two round trips, against three when the
// issues were asked at once and again with the estimate field.
func (m *Model) startIssues() tea.Cmd {
	scrum := m.board.Type == jiraclient.BoardScrum && m.mode == ModeBoard
	if !m.waitConfig || m.cfg == nil || scrum && !m.sprintsDone {
		return nil
	}
	m.waitConfig = false
	if scrum && m.sprint == nil && m.sprints != nil {
		for i := range m.sprints {
			if m.sprints[i].State == jiraclient.SprintActive {
				s := m.sprints[i]
				m.sprint = &s
				break
			}
		}
		if m.sprint == nil {
			m.noSprint = true
			m.regroup()
			return m.remember()
		}
	}
	return tea.Batch(m.loadIssues(jiraclient.Cursor{}), m.remember())
}

// Reload asks Jira again for what the board shows, keeping the cursor.
func (m *Model) Reload() tea.Cmd {
	if m.board.ID == 0 {
		return nil
	}
	m.c.Cancel(owner)
	m.gen++
	m.err = nil
	m.loading = 0
	m.cards = map[string]card{}
	m.waitConfig, m.sprintsDone = false, false
	cmds := []tea.Cmd{m.loadConfig(), m.loadIssues(jiraclient.Cursor{})}
	if m.board.Type == jiraclient.BoardScrum {
		cmds = append(cmds, m.loadSprints())
	}
	return tea.Batch(cmds...)
}

// remember records the board opened (and its estimate field) in the
// memory, off the UI loop: it writes a state file.
func (m *Model) remember() tea.Cmd {
	if m.mem == nil {
		return nil
	}
	mem, id, name, est, sp := m.mem, m.board.ID, m.board.Name, m.estimate, m.guess
	if m.sprint != nil && m.sprint.State == jiraclient.SprintActive {
		sp = m.sprint.ID
	}
	return func() tea.Msg {
		mem.SetLastBoard(id, name, est, sp)
		return nil
	}
}

func (m *Model) loadConfig() tea.Cmd {
	gen, id := m.gen, m.board.ID
	m.loading++
	return m.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return configMsg{gen: gen, err: store.ErrNoClient}, store.ErrNoClient
		}
		cfg, err := cl.BoardConfiguration(ctx, id)
		return configMsg{gen: gen, cfg: cfg, err: err}, err
	})
}

func (m *Model) loadSprints() tea.Cmd {
	gen, id := m.gen, m.board.ID
	m.loading++
	return m.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return sprintsMsg{gen: gen, err: store.ErrNoClient}, store.ErrNoClient
		}
		ss, err := cl.AllBoardSprints(ctx, id)
		return sprintsMsg{gen: gen, sprints: ss, err: err}, err
	})
}

// loadIssues asks for a page of what the board shows: a kanban board's
// issues, the backlog, or a sprint's issues: the sprint chosen, else the
// active sprint remembered from the last open (the sprint list, asked for
// beside it, confirms it), else the active sprint found first, in the same
// command.
func (m *Model) loadIssues(cur jiraclient.Cursor) tea.Cmd {
	gen, b, mode, est := m.gen, m.board, m.mode, m.estimate
	var sp *jiraclient.Sprint
	guessed := false
	switch {
	case m.sprint != nil:
		s := *m.sprint
		sp = &s
	case m.guess != 0:
		sp, guessed = &jiraclient.Sprint{ID: m.guess}, true
	}
	m.loading++
	q := jiraclient.AgileQuery{EstimateField: est, PageSize: pageSize}
	return m.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		out := pageMsg{gen: gen, estimate: est, cur: cur, sprint: sp, guessed: guessed}
		if cl == nil {
			out.err = store.ErrNoClient
			return out, out.err
		}
		switch {
		case b.Type != jiraclient.BoardScrum:
			out.page, out.err = cl.BoardIssues(ctx, b.ID, q, cur)
		case mode == ModeBacklog:
			out.page, out.err = cl.Backlog(ctx, b.ID, q, cur)
		default:
			if sp == nil {
				page, err := cl.BoardSprints(ctx, b.ID, []string{jiraclient.SprintActive}, 0)
				if err != nil {
					out.err = err
					return out, err
				}
				if len(page.Sprints) == 0 {
					out.noSprint = true
					out.page.Last = true
					return out, nil
				}
				s := page.Sprints[0]
				sp, out.sprint = &s, &s
			}
			out.page, out.err = cl.SprintIssues(ctx, b.ID, sp.ID, q, cur)
		}
		return out, out.err
	})
}

// Update handles the board's answers, the store's news and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case resolvedMsg:
		if msg.ref != m.board.Name || m.board.ID != 0 {
			return m, nil
		}
		m.loading = 0
		if msg.err != nil {
			m.err = msg.err
			return m, nil
		}
		return m, m.Open(msg.board)
	case configMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading--
		if msg.err != nil {
			return m, m.failed(msg.err)
		}
		m.cfg = msg.cfg
		var cmd tea.Cmd
		if m.waitConfig {
			m.estimate = m.cfg.EstimationField
			m.regroup()
			return m, m.startIssues()
		}
		if est := m.cfg.EstimationField; est != m.estimate {
			// The pages were asked without the board's estimate field
			// (the first open of this board): ask again with it.
			m.estimate = est
			cmd = m.remember()
			m.gen++
			m.loading = 0
			m.keys, m.has = nil, map[string]bool{}
			cmd = tea.Batch(cmd, m.loadIssues(jiraclient.Cursor{}))
			if m.board.Type == jiraclient.BoardScrum && m.sprints == nil {
				cmd = tea.Batch(cmd, m.loadSprints())
			}
		}
		m.regroup()
		return m, cmd
	case pageMsg:
		return m.onPage(msg)
	case sprintsMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading--
		m.sprintsDone = true
		if msg.err != nil {
			// Without the list the active sprint is looked up first.
			return m, m.startIssues()
		}
		m.sprints = msg.sprints
		return m, tea.Batch(m.startIssues(), m.confirmSprint())
	case rankedMsg:
		return m, m.onRanked(msg)
	case movesMsg:
		return m, m.onMoves(msg)
	case movedMsg:
		return m, m.onMovedToSprint(msg)
	case SprintPickedMsg:
		return m, m.onSprintPicked(msg)
	case store.WriteSettledMsg:
		if t, ok := m.moving[msg.Key]; ok && t != msg.Token {
			// The transition's write is over: its status (or, refused,
			// the old one) is the store's now.
			return m, m.settle(msg.Key)
		}
		return m, nil
	case store.IssueMsg:
		if m.has[msg.Key] && msg.Err == nil {
			delete(m.cards, msg.Key)
			m.regroup()
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.typing {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			m.regroup()
			return m, cmd
		}
	}
	if m.typing {
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) onPage(msg pageMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.loading--
	if msg.err != nil {
		return m, m.failed(msg.err)
	}
	var cmd tea.Cmd
	if msg.cur == (jiraclient.Cursor{}) {
		m.keys, m.has = m.keys[:0], map[string]bool{}
		m.noSprint = msg.noSprint
		switch {
		case !msg.guessed:
			known := m.sprint != nil
			m.sprint = msg.sprint
			if !known && m.sprint != nil {
				cmd = m.remember()
			}
		case m.sprints != nil:
			cmd = m.confirmSprint()
		}
	}
	m.c.Issues.Rows(msg.page.Issues)
	for _, is := range msg.page.Issues {
		if m.has[is.Key] {
			continue
		}
		m.has[is.Key] = true
		m.keys = append(m.keys, is.Key)
		m.extras[is.Key] = extra{estimate: is.Estimate, epic: is.Epic}
	}
	m.regroup()
	if msg.page.Last || len(msg.page.Issues) == 0 || msg.gen != m.gen {
		return m, cmd
	}
	if len(m.keys) >= maxIssues {
		m.more = true
		return m, cmd
	}
	return m, tea.Batch(cmd, m.loadIssues(msg.page.Next))
}

// failed shows a load's error: the whole pane when there is nothing to
// show, else a notice over the board as it was (a refresh that failed
// offline keeps the board browsable).
func (m *Model) failed(err error) tea.Cmd {
	if m.cfg != nil && len(m.keys) > 0 {
		return notice(common.NoticeError, "could not refresh the board: "+store.Short(err))
	}
	m.err = err
	return nil
}

// confirmSprint checks the remembered active sprint against the sprint
// list: the same, it is the sprint shown; another (the sprint was closed,
// a new one started), the board asks again for the active sprint's issues.
func (m *Model) confirmSprint() tea.Cmd {
	if m.guess == 0 || m.mode != ModeBoard || m.board.Type != jiraclient.BoardScrum {
		return nil
	}
	var active *jiraclient.Sprint
	for i := range m.sprints {
		if m.sprints[i].State == jiraclient.SprintActive {
			s := m.sprints[i]
			active = &s
			break
		}
	}
	if active != nil && active.ID == m.guess {
		m.sprint, m.guess = active, 0
		return nil
	}
	m.guess, m.sprint = 0, nil
	return tea.Batch(m.Reload(), m.remember())
}

// errNoColumns is shown when a board's configuration has no columns.
var errNoColumns = errors.New("this board has no columns configured")
