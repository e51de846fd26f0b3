package activity

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// LinksKeys are the links overlay's keys.
type LinksKeys struct {
	Up, Down, Add, Remove, Choose, Back key.Binding
	typing                              bool
}

// ShortHelp is the footer.
func (k LinksKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Add, k.Remove, k.Choose, k.Back}
}

// FullHelp is the help screen.
func (k LinksKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Add, k.Remove, k.Choose, k.Back}}
}

// linkStep is where the links overlay is.
type linkStep int

const (
	linkList linkStep = iota // the issue's links; a adds, d removes
	linkType                 // choosing the relation
	linkKey                  // typing the other issue's key
)

// relation is one way to read a link type from this issue: its outward
// words ("blocks") or its inward words ("is blocked by").
type relation struct {
	t       jiraclient.LinkType
	words   string
	outward bool
}

// Links is the overlay that lists an issue's links, adds one (a relation
// from /issueLinkType, then the other issue's key) and removes one (d,
// twice to be sure). Key K in the detail.
type Links struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	issue jiraclient.Issue
	km    LinksKeys
	w, h  int

	step    linkStep
	cur     int // the link (linkList) or relation (linkType) under the cursor
	confirm string
	rels    []relation
	input   textinput.Model
	err     error
	busy    bool
	seq     int
	note    string
}

type linkTypesMsg struct {
	seq   int
	types []jiraclient.LinkType
	err   error
}

type linkedMsg struct {
	seq   int
	issue *jiraclient.Issue
	note  string
	err   error
}

// NewLinks returns the links overlay for is.
func NewLinks(c *common.Common, is jiraclient.Issue) *Links {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = "the other issue's key, like ABC-123"
	ti.CharLimit = 64
	ts := c.Styles.TextInput()
	ts.Cursor.Blink = false
	ti.SetStyles(ts)
	return &Links{c: c, owner: common.Owner("links"), issue: is, input: ti, km: LinksKeys{
		Up:     c.Keys.Binding("links.up"),
		Down:   c.Keys.Binding("links.down"),
		Add:    c.Keys.Binding("links.add"),
		Remove: c.Keys.Binding("links.remove"),
		Choose: c.Keys.Binding("links.choose"),
		Back:   c.Keys.Binding("links.close"),
	}}
}

// Init loads nothing: the links are the issue's; types load on a.
func (m *Links) Init() tea.Cmd { return nil }

// SetSize sets the screen size.
func (m *Links) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.SetWidth(max(innerWidth(m.c.Styles, w)-labelW-1, 8))
}

// InputFocused: only while the key is typed.
func (m *Links) InputFocused() bool { return m.step == linkKey }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Links) KeyView() string { return "links" }

// KeyMap is the keys that work now.
func (m *Links) KeyMap() help.KeyMap {
	k := m.km
	switch m.step {
	case linkList:
		k.Choose.SetEnabled(false)
		k.Remove.SetEnabled(len(m.issue.Links) > 0 && !m.busy)
		k.Add.SetEnabled(!m.busy)
		if m.confirm != "" {
			k.Remove.SetHelp(k.Remove.Help().Key, "remove: press again")
		}
	case linkType:
		k.Add.SetEnabled(false)
		k.Remove.SetEnabled(false)
		k.Back.SetHelp(k.Back.Help().Key, "back")
	case linkKey:
		k.typing = true
		for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Add, &k.Remove, &k.Choose, &k.Back} {
			*b = keys.ForInput(*b, false)
		}
		k.Choose.SetHelp(k.Choose.Help().Key, "link")
		k.Choose.SetEnabled(!m.busy)
		k.Back.SetHelp(k.Back.Help().Key, "back")
	}
	return k
}

// Update handles keys and answers.
func (m *Links) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case linkTypesMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.busy, m.err = false, msg.err
		m.rels = nil
		for _, t := range msg.types {
			m.rels = append(m.rels, relation{t: t, words: firstNonEmpty(t.Outward, t.Name), outward: true})
			if t.Inward != "" && !strings.EqualFold(t.Inward, t.Outward) {
				m.rels = append(m.rels, relation{t: t, words: t.Inward})
			}
		}
		if msg.err == nil {
			m.step, m.cur = linkType, 0
		}
		return m, nil
	case linkedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.busy, m.err = false, msg.err
		if msg.err != nil {
			return m, nil
		}
		if msg.issue != nil {
			m.issue = *msg.issue
		}
		m.step, m.cur, m.confirm, m.note = linkList, 0, "", msg.note
		m.input.SetValue("")
		m.input.Blur()
		confirmed := common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
		return m, func() tea.Msg { return confirmed }
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	if m.step == linkKey {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Links) key(msg tea.KeyPressMsg) (common.Overlay, tea.Cmd) {
	k := m.KeyMap().(LinksKeys)
	if m.busy && !key.Matches(msg, k.Back) {
		return m, nil
	}
	wasConfirm := m.confirm
	m.confirm = ""
	switch m.step {
	case linkList:
		switch {
		case key.Matches(msg, k.Back):
			return m, common.CloseOverlay
		case key.Matches(msg, k.Up):
			m.cur = max(m.cur-1, 0)
		case key.Matches(msg, k.Down):
			m.cur = min(m.cur+1, max(len(m.issue.Links)-1, 0))
		case key.Matches(msg, k.Add):
			return m, m.loadTypes()
		case key.Matches(msg, k.Remove):
			if m.cur >= len(m.issue.Links) {
				return m, nil
			}
			l := m.issue.Links[m.cur]
			if wasConfirm != l.ID {
				m.confirm = l.ID
				return m, nil
			}
			return m, m.remove(l)
		}
	case linkType:
		switch {
		case key.Matches(msg, k.Back):
			m.step = linkList
		case key.Matches(msg, k.Up):
			m.cur = max(m.cur-1, 0)
		case key.Matches(msg, k.Down):
			m.cur = min(m.cur+1, max(len(m.rels)-1, 0))
		case key.Matches(msg, k.Choose):
			if m.cur < len(m.rels) {
				m.step = linkKey
				return m, m.input.Focus()
			}
		}
	case linkKey:
		switch {
		case key.Matches(msg, k.Back):
			m.step = linkType
			m.input.Blur()
			m.err = nil
		case key.Matches(msg, k.Choose):
			return m, m.add()
		default:
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

func (m *Links) loadTypes() tea.Cmd {
	m.seq++
	m.busy, m.err, m.note = true, nil, ""
	seq := m.seq
	return m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return linkTypesMsg{seq: seq, err: errNoClient}, nil
		}
		ts, err := cl.LinkTypes(ctx)
		return linkTypesMsg{seq: seq, types: ts, err: err}, err
	})
}

// add links the issue to the key typed by the chosen relation. A lost
// answer is settled by reading the issue back: a link to that issue by
// that relation means Jira has it.
func (m *Links) add() tea.Cmd {
	other := strings.ToUpper(strings.TrimSpace(m.input.Value()))
	if err := jiraclient.CheckKey(other); err != nil {
		m.err = err
		return nil
	}
	rel := m.rels[m.cur]
	m.seq++
	m.busy, m.err = true, nil
	seq, key := m.seq, m.issue.Key
	return m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return linkedMsg{seq: seq, err: errNoClient}, nil
		}
		from, to := key, other
		if !rel.outward {
			from, to = other, key
		}
		note := key + " " + rel.words + " " + other
		err := cl.LinkIssues(ctx, from, rel.t, to)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// A deadline of its own: the write's may be spent.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, key)
			if ferr == nil && hasLink(is, other, rel.words) {
				return linkedMsg{seq: seq, issue: is, note: note + " (Jira's answer was lost; checked: it is in Jira)"}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: key, Noun: "the link", Checked: ferr == nil}
		}
		if err != nil {
			return linkedMsg{seq: seq, err: err}, seen
		}
		is, _ := common.ReadBack(ctx, cl, key)
		return linkedMsg{seq: seq, issue: is, note: note}, nil
	}, func(err error) tea.Msg { return linkedMsg{seq: seq, err: err} })
}

func hasLink(is *jiraclient.Issue, other, words string) bool {
	for _, l := range is.Links {
		if strings.EqualFold(l.Issue.Key, other) && strings.EqualFold(strings.TrimSpace(l.Relation), words) {
			return true
		}
	}
	return false
}

// remove deletes a link; a lost answer is settled by reading back.
func (m *Links) remove(l jiraclient.IssueLink) tea.Cmd {
	m.seq++
	m.busy, m.err, m.note = true, nil, ""
	seq, key := m.seq, m.issue.Key
	return m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return linkedMsg{seq: seq, err: errNoClient}, nil
		}
		note := "removed the link " + key + " " + strings.TrimSpace(l.Relation) + " " + l.Issue.Key
		err := cl.DeleteLink(ctx, l.ID)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// A deadline of its own: the write's may be spent.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, key)
			if ferr == nil && !hasLinkID(is, l.ID) {
				return linkedMsg{seq: seq, issue: is, note: note}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: key, Noun: "the removal", Checked: ferr == nil}
		}
		if err != nil {
			return linkedMsg{seq: seq, err: err}, seen
		}
		is, _ := common.ReadBack(ctx, cl, key)
		return linkedMsg{seq: seq, issue: is, note: note}, nil
	}, func(err error) tea.Msg { return linkedMsg{seq: seq, err: err} })
}

func hasLinkID(is *jiraclient.Issue, id string) bool {
	for _, l := range is.Links {
		if l.ID == id {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// View draws the dialog.
func (m *Links) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	head := []string{title(st, "Links of", m.issue.Key), ""}
	var body []string
	mark := func(i int, s string) string {
		if i == m.cur {
			return st.Selected.Render("▸ " + s)
		}
		return "  " + s
	}
	switch m.step {
	case linkList:
		if len(m.issue.Links) == 0 {
			body = append(body, st.Muted.Render("No links yet."))
		}
		for i, l := range m.issue.Links {
			row := line(strings.TrimSpace(l.Relation)) + " " + line(l.Issue.Key) + "  " + line(l.Issue.Summary)
			if m.confirm == l.ID && i == m.cur {
				row += "  — press d again to remove"
			}
			body = append(body, mark(i, row))
		}
		if m.note != "" {
			body = append(body, "", st.Muted.Render("✓ "+line(m.note)))
		}
	case linkType:
		body = append(body, st.Text.Render(line(m.issue.Key)+" …"), "")
		for i, r := range m.rels {
			body = append(body, mark(i, line(r.words)))
		}
	case linkKey:
		r := m.rels[m.cur]
		body = append(body, st.Text.Render(line(m.issue.Key)+" "+line(r.words)+" …"), "")
		body = append(body, st.Bold.Render("Issue")+strings.Repeat(" ", labelW-len("Issue"))+m.input.View())
	}
	if m.busy {
		body = append(body, "", st.Muted.Render("Working…"))
	}
	if m.err != nil {
		body = append(body, "")
		body = append(body, errorLines(st, m.err, w)...)
	}
	foot := []string{"", keyHelp(st, m.KeyMap().(LinksKeys).ShortHelp()...)}
	return frame(st, w, innerHeight(st, m.h), head, body, foot)
}

// Close cancels the loads still out (common.Closer); a write goes on.
func (m *Links) Close() { m.c.Cancel(m.owner) }
