package board

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// PickerKeys are the pickers' bindings (typing filters).
type PickerKeys struct {
	Up, Down, Choose, Close key.Binding
}

// NewPickerKeys returns the pickers' bindings.
func NewPickerKeys(km *keys.Map) PickerKeys {
	return PickerKeys{
		Up:     km.Binding("boardpicker.up"),
		Down:   km.Binding("boardpicker.down"),
		Choose: km.Binding("boardpicker.choose"),
		Close:  km.Binding("boardpicker.close"),
	}
}

// ShortHelp is the one-line help.
func (k PickerKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Choose, k.Close} }

// FullHelp is the help screen's columns.
func (k PickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// row is a picker entry: what is matched and what is drawn.
type row struct {
	text   string // lower case, matched by the filter
	label  string
	detail string
	extra  string // a second line (a sprint's goal)
}

// pickList is the filterable list both pickers draw.
type pickList struct {
	c      *common.Common
	km     PickerKeys
	in     textinput.Model
	rows   []row
	shown  []int // indexes of rows matching the filter
	cursor int
	w, h   int
}

func newPickList(c *common.Common, prompt, placeholder string) pickList {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.Focus()
	return pickList{c: c, km: NewPickerKeys(c.Keys), in: in}
}

func (p *pickList) setRows(rows []row) {
	p.rows = rows
	p.refilter()
}

func (p *pickList) refilter() {
	f := strings.ToLower(strings.TrimSpace(p.in.Value()))
	p.shown = p.shown[:0]
	for i, r := range p.rows {
		if f == "" || strings.Contains(r.text, f) {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = min(p.cursor, max(0, len(p.shown)-1))
}

// selected is the highlighted row's index in rows, or -1.
func (p *pickList) selected() int {
	if p.cursor < len(p.shown) {
		return p.shown[p.cursor]
	}
	return -1
}

func (p *pickList) width() int { return max(30, min(p.w-4, 100)) }

// update handles a key; chosen says Enter was pressed on a row; closed
// that the picker is to close.
func (p *pickList) update(msg tea.Msg) (cmd tea.Cmd, chosen, closed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.km.Close):
			return nil, false, true
		case key.Matches(k, p.km.Up):
			p.cursor = max(0, p.cursor-1)
			return nil, false, false
		case key.Matches(k, p.km.Down):
			p.cursor = min(max(0, len(p.shown)-1), p.cursor+1)
			return nil, false, false
		case key.Matches(k, p.km.Choose):
			return nil, p.selected() >= 0, false
		}
	}
	before := p.in.Value()
	p.in, cmd = p.in.Update(msg)
	if p.in.Value() != before {
		p.cursor = 0
		p.refilter()
	}
	return cmd, false, false
}

func (p *pickList) view(title, status string) string {
	st := p.c.Styles
	w := p.width()
	rows := max(3, min(p.h-8, 15))
	var b strings.Builder
	b.WriteString(st.Title.Render(title))
	b.WriteString("\n")
	b.WriteString(p.in.View())
	if status != "" {
		b.WriteString("\n" + st.Muted.Render(ansi.Truncate(status, w, "…")))
	}
	lines := 0
	first := max(0, p.cursor-rows/2)
	first = min(first, max(0, len(p.shown)-rows))
	for i := first; i < len(p.shown) && lines < rows; i++ {
		r := p.rows[p.shown[i]]
		line := r.label
		if r.detail != "" {
			line += "  " + st.Muted.Render(r.detail)
		}
		line = ansi.Truncate(line, w, "…")
		if i == p.cursor {
			plain := ansi.Strip(line)
			line = st.Selected.Render(plain + strings.Repeat(" ", max(0, w-ansi.StringWidth(plain))))
		}
		b.WriteString("\n" + line)
		lines++
		if r.extra != "" && lines < rows {
			b.WriteString("\n" + st.Muted.Render(ansi.Truncate("    "+r.extra, w, "…")))
			lines++
		}
	}
	return st.Dialog.Width(w + 4).Render(b.String())
}

// Picker is the board picker (b): the boards the user can see, loaded
// page by page, filtered as the user types; the last board used comes
// first.
type Picker struct {
	list   pickList
	boards []jiraclient.Board
	last   int
	done   bool // every page is in
	err    error
	reqID  uint64
}

// boardPage is the size of the picker's pages (a variable for the tests).
var boardPage = 50

// boardsMsg is a page of boards for the picker.
type boardsMsg struct {
	id   uint64
	page jiraclient.BoardPage
	err  error
}

func (m boardsMsg) Failed() error { return m.err }

// NewPicker returns the board picker; its Init loads the first page.
func NewPicker(c *common.Common, mem Memory) *Picker {
	p := &Picker{list: newPickList(c, "board: ", "type to filter boards")}
	if mem != nil {
		p.last, _, _, _ = mem.LastBoard()
	}
	return p
}

// Init loads the first page of boards.
func (p *Picker) Init() tea.Cmd { return tea.Batch(textinput.Blink, p.load(0)) }

func (p *Picker) load(startAt int) tea.Cmd {
	p.reqID++
	id := p.reqID
	return p.list.c.Do("boards", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return boardsMsg{id: id, err: store.ErrNoClient}, store.ErrNoClient
		}
		page, err := cl.Boards(ctx, jiraclient.BoardQuery{PageSize: boardPage}, startAt)
		return boardsMsg{id: id, page: page, err: err}, err
	})
}

// Retry loads again what failed on an expired login.
func (p *Picker) Retry() tea.Cmd {
	if p.err != nil && jiraclient.IsAuth(p.err) {
		p.err = nil
		return p.load(len(p.boards))
	}
	return nil
}

// SetSize sets the area the picker is drawn over.
func (p *Picker) SetSize(w, h int) {
	p.list.w, p.list.h = w, h
	p.list.in.SetWidth(max(10, p.list.width()-12))
}

// InputFocused: the picker's filter takes printable keys.
func (p *Picker) InputFocused() bool { return true }

// KeyMap is the picker's help.
func (p *Picker) KeyMap() help.KeyMap { return p.list.km }

// Update handles pages and keys.
func (p *Picker) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	if bm, ok := msg.(boardsMsg); ok {
		if bm.id != p.reqID {
			return p, nil
		}
		if bm.err != nil {
			p.err = bm.err
			return p, nil
		}
		p.boards = append(p.boards, bm.page.Boards...)
		p.done = bm.page.Last || len(bm.page.Boards) == 0
		p.rebuild()
		if !p.done {
			return p, p.load(bm.page.Next)
		}
		return p, nil
	}
	cmd, chosen, closed := p.list.update(msg)
	switch {
	case closed:
		p.list.c.Cancel("boards")
		return p, common.CloseOverlay
	case chosen:
		b := p.boards[p.list.selected()]
		p.list.c.Cancel("boards")
		return p, tea.Sequence(common.CloseOverlay, func() tea.Msg { return ChosenMsg{Board: b} })
	}
	return p, cmd
}

// rebuild makes the rows: the last board used first, then Jira's order.
func (p *Picker) rebuild() {
	order := make([]int, 0, len(p.boards))
	for i, b := range p.boards {
		if b.ID == p.last {
			order = append([]int{i}, order...)
			continue
		}
		order = append(order, i)
	}
	sorted := make([]jiraclient.Board, len(order))
	rows := make([]row, len(order))
	for n, i := range order {
		b := p.boards[i]
		sorted[n] = b
		detail := b.Type
		if b.ProjectKey != "" {
			detail += " · " + safetext.Line(b.ProjectKey)
		}
		if b.ID == p.last {
			detail += " · last used"
		}
		name := safetext.Line(b.Name)
		rows[n] = row{text: strings.ToLower(name + " " + b.Type + " " + b.ProjectKey + " " + strconv.Itoa(b.ID)), label: name, detail: detail}
	}
	p.boards = sorted
	p.list.setRows(rows)
}

// View draws the picker.
func (p *Picker) View() string {
	status := ""
	switch {
	case p.err != nil:
		status = "could not list the boards: " + store.Short(p.err)
	case !p.done:
		status = "loading boards… " + strconv.Itoa(len(p.boards)) + " so far"
	case len(p.boards) == 0:
		status = "no board that you can see"
	case len(p.list.shown) == 0:
		status = "no board matches"
	}
	return p.list.view("Boards", status)
}

// Purpose is what a sprint picked is for.
type Purpose int

// The sprint picker's purposes.
const (
	PickShow Purpose = iota // show the sprint (or the backlog) on the board
	PickMove                // move Keys into it
)

// SprintPickedMsg is a sprint chosen in the sprint picker; Sprint nil is
// the backlog.
type SprintPickedMsg struct {
	Purpose Purpose
	Sprint  *jiraclient.Sprint
	Keys    []string
}

// SprintPicker lists a scrum board's sprints: active first, then future,
// then the recent closed ones (not when moving issues: Jira refuses a
// closed sprint), and the backlog.
type SprintPicker struct {
	list    pickList
	purpose Purpose
	keys    []string
	sprints []*jiraclient.Sprint // nil entry: the backlog
}

// recentClosed is how many closed sprints the picker offers.
const recentClosed = 5

// NewSprintPicker returns the sprint picker over sprints (as the board
// loaded them).
func NewSprintPicker(c *common.Common, sprints []jiraclient.Sprint, purpose Purpose, keys []string) *SprintPicker {
	title := "sprint: "
	if purpose == PickMove {
		title = "move " + strconv.Itoa(len(keys)) + " to: "
	}
	p := &SprintPicker{list: newPickList(c, title, "type to filter sprints"), purpose: purpose, keys: keys}
	var active, future, closed []*jiraclient.Sprint
	for i := range sprints {
		s := &sprints[i]
		switch s.State {
		case jiraclient.SprintActive:
			active = append(active, s)
		case jiraclient.SprintFuture:
			future = append(future, s)
		case jiraclient.SprintClosed:
			closed = append(closed, s)
		}
	}
	slices.Reverse(closed) // Jira lists them oldest first
	if len(closed) > recentClosed {
		closed = closed[:recentClosed]
	}
	p.sprints = append(append(p.sprints, active...), future...)
	if purpose == PickShow {
		p.sprints = append(p.sprints, closed...)
	}
	p.sprints = append(p.sprints, nil)
	now := c.Clock()
	rows := make([]row, len(p.sprints))
	for i, s := range p.sprints {
		if s == nil {
			rows[i] = row{text: "backlog", label: "Backlog", detail: "issues in no sprint"}
			continue
		}
		name := safetext.Line(s.Name)
		detail := s.State
		if d := sprintDates(*s); d != "" {
			detail += " · " + d
		}
		if s.State == jiraclient.SprintActive && !s.End.IsZero() {
			detail += " · " + daysLeft(*s, now)
		}
		goal := ""
		if s.Goal != "" {
			goal = "Goal: " + safetext.Line(s.Goal)
		}
		rows[i] = row{text: strings.ToLower(name + " " + s.State + " " + s.Goal), label: name, detail: detail, extra: goal}
	}
	p.list.setRows(rows)
	return p
}

// Init starts the cursor blinking.
func (p *SprintPicker) Init() tea.Cmd { return textinput.Blink }

// SetSize sets the area the picker is drawn over.
func (p *SprintPicker) SetSize(w, h int) {
	p.list.w, p.list.h = w, h
	p.list.in.SetWidth(max(10, p.list.width()-16))
}

// InputFocused: the picker's filter takes printable keys.
func (p *SprintPicker) InputFocused() bool { return true }

// KeyMap is the picker's help.
func (p *SprintPicker) KeyMap() help.KeyMap { return p.list.km }

// Update handles keys.
func (p *SprintPicker) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	cmd, chosen, closed := p.list.update(msg)
	switch {
	case closed:
		return p, common.CloseOverlay
	case chosen:
		out := SprintPickedMsg{Purpose: p.purpose, Sprint: p.sprints[p.list.selected()], Keys: p.keys}
		return p, tea.Sequence(common.CloseOverlay, func() tea.Msg { return out })
	}
	return p, cmd
}

// View draws the picker.
func (p *SprintPicker) View() string {
	title := "Sprints"
	if p.purpose == PickMove {
		title = "Move " + strings.Join(p.keys[:min(3, len(p.keys))], ", ")
		if len(p.keys) > 3 {
			title += " and " + strconv.Itoa(len(p.keys)-3) + " more"
		}
	}
	status := ""
	if len(p.list.shown) == 0 {
		status = "no sprint matches"
	}
	return p.list.view(title, status)
}
