package board

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// EpicKey opens the epic picker on the issue in the detail or the card on
// the board: the issue's epic (Cloud: its parent) is set or cleared there.
// view is "detail" or "board" (each has its action in the registry).
func EpicKey(km *keys.Map, view string) key.Binding { return km.Binding(view + ".epic") }

// EpicPicker sets an issue's epic: the project's epics, filtered as the
// user types, with "no epic" first. The write is optimistic like every
// triage write (an IssuePatchMsg, then Jira's answer confirms it with the
// issue read back, or rolls it back with the reason).
type EpicPicker struct {
	list  pickList
	issue jiraclient.Issue
	epics []jiraclient.Issue
	err   error
	done  bool
	reqID uint64
}

// epicsMsg is the project's epics.
type epicsMsg struct {
	id    uint64
	epics []jiraclient.Issue
	err   error
}

func (m epicsMsg) Failed() error { return m.err }

var epicIDs atomic.Uint64

// NewEpicPicker returns the epic picker for issue; Init loads the epics.
func NewEpicPicker(c *common.Common, issue jiraclient.Issue) *EpicPicker {
	p := &EpicPicker{list: newPickList(c, "epic: ", "type to filter epics"), issue: issue}
	p.rebuild()
	return p
}

// Init loads the epics of the issue's project.
func (p *EpicPicker) Init() tea.Cmd { return tea.Batch(textinput.Blink, p.load()) }

func (p *EpicPicker) load() tea.Cmd {
	p.reqID = epicIDs.Add(1)
	id, project := p.reqID, p.issue.Project
	if project == "" {
		if i := strings.LastIndexByte(p.issue.Key, '-'); i > 0 {
			project = p.issue.Key[:i]
		}
	}
	return p.list.c.Do("epics", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return epicsMsg{id: id, err: store.ErrNoClient}, store.ErrNoClient
		}
		q := jiraclient.SearchQuery{JQL: `project = "` + project + `" AND issuetype = Epic ORDER BY updated DESC`, PageSize: 100}
		page, err := cl.Search(ctx, q, jiraclient.Cursor{})
		return epicsMsg{id: id, epics: page.Issues, err: err}, err
	})
}

// Retry loads again after a sign-in.
func (p *EpicPicker) Retry() tea.Cmd {
	if p.err != nil && jiraclient.IsAuth(p.err) {
		p.err = nil
		return p.load()
	}
	return nil
}

// SetSize sets the area the picker is drawn over.
func (p *EpicPicker) SetSize(w, h int) {
	p.list.w, p.list.h = w, h
	p.list.in.SetWidth(max(10, p.list.width()-12))
}

// InputFocused: the filter takes printable keys.
func (p *EpicPicker) InputFocused() bool { return true }

// KeyMap is the picker's help.
func (p *EpicPicker) KeyMap() help.KeyMap { return p.list.km }

// current is the issue's epic now.
func (p *EpicPicker) current() string {
	if p.issue.Epic != nil {
		return p.issue.Epic.Key
	}
	if p.issue.Parent != nil && strings.EqualFold(p.issue.Parent.Type, "Epic") {
		return p.issue.Parent.Key
	}
	return ""
}

func (p *EpicPicker) rebuild() {
	cur := p.current()
	rows := []row{{text: "no epic none", label: "No epic", detail: "take it out of its epic"}}
	for _, e := range p.epics {
		d := safetext.Line(e.Status.Name)
		if e.Key == cur {
			d += " · now"
		}
		rows = append(rows, row{text: strings.ToLower(e.Key + " " + e.Summary), label: safetext.Line(e.Key) + "  " + safetext.Line(e.Summary), detail: d})
	}
	p.list.setRows(rows)
}

// Update handles the epics' answer and keys.
func (p *EpicPicker) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	if em, ok := msg.(epicsMsg); ok {
		if em.id != p.reqID {
			return p, nil
		}
		p.err, p.done = em.err, true
		for _, e := range em.epics {
			if e.Key != p.issue.Key {
				p.epics = append(p.epics, e)
			}
		}
		p.rebuild()
		return p, nil
	}
	cmd, chosen, closed := p.list.update(msg)
	switch {
	case closed:
		p.list.c.Cancel("epics")
		return p, common.CloseOverlay
	case chosen:
		i := p.list.selected()
		var epic *jiraclient.Issue
		if i > 0 {
			epic = &p.epics[i-1]
		}
		p.list.c.Cancel("epics")
		return p, tea.Sequence(common.CloseOverlay, SetEpic(p.list.c, p.issue, epic))
	}
	return p, cmd
}

// SetEpic puts issue in epic (nil: in none): shown at once, then Jira.
func SetEpic(c *common.Common, issue jiraclient.Issue, epic *jiraclient.Issue) tea.Cmd {
	key := issue.Key
	token := "board:epic:" + key + ":" + strconv.FormatUint(epicIDs.Add(1), 10)
	epicKey, note := "", key+" taken out of its epic"
	var ref *jiraclient.IssueRef
	if epic != nil {
		epicKey = epic.Key
		ref = &jiraclient.IssueRef{ID: epic.ID, Key: epic.Key, Summary: epic.Summary, Status: epic.Status, Type: epic.Type.Name}
		note = key + " is in " + safetext.Line(epic.Key) + " now"
	}
	note = safetext.Line(note)
	cloud := c.Client != nil && c.Client.Flavor() == jiraclient.FlavorCloud
	patch := func() tea.Msg {
		return common.IssuePatchMsg{Token: token, Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue {
			is.Epic = ref
			if cloud {
				is.Parent = ref
			}
			return is
		}}
	}
	send := c.Do("", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return common.IssueRollbackMsg{Token: token, Key: key, Err: store.ErrNoClient}, store.ErrNoClient
		}
		if err := cl.SetEpic(ctx, key, epicKey); err != nil {
			return common.IssueRollbackMsg{Token: token, Key: key, Err: err}, err
		}
		is, _ := common.ReadBack(ctx, cl, key)
		return common.IssueConfirmedMsg{Token: token, Key: key, Issue: is, Note: note}, nil
	})
	return tea.Sequence(patch, send)
}

// View draws the picker.
func (p *EpicPicker) View() string {
	status := ""
	switch {
	case p.err != nil:
		status = "could not list the epics: " + store.Short(p.err)
	case !p.done:
		status = "loading the epics of the project…"
	case len(p.epics) == 0:
		status = "the project has no epic"
	}
	if cur := p.current(); cur != "" && status == "" {
		status = "now in " + safetext.Line(cur)
	}
	return p.list.view("Epic of "+safetext.Line(p.issue.Key), status)
}
