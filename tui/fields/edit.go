// Package fields is the editor of any editable field (key e on an issue):
// a picker of every field Jira's edit metadata lets the user set, filtered
// as they type, then the editor for the field's type (text, text area,
// number, date, date-time, labels, URL, parent / epic by key, team by id;
// single and multi select, versions, components, priority and cascading
// select from the allowed values; single and multi user and group pickers
// searched as the user types; the sprint from the project's boards; the
// original and remaining estimates). The description hands over to the
// full form of tui/compose (FullEditMsg). The one field changed is sent through
// jiraclient.EditFields (whose EncodeChanges builds Jira's JSON); Jira's
// per-field error shows beside the field with the draft kept; a write whose
// answer was lost is read back and compared before it is called failed.
package fields

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

const timeout = 30 * time.Second

// step is where the editor is.
type step int

const (
	stepLoading step = iota
	stepPick         // choosing the field
	stepText         // typing a value
	stepChoose       // choosing from allowed values
	stepChild        // choosing a cascading select's second level
	stepSending
	stepTime // the two estimates
)

// The editors a field may get.
const (
	edText   = "text"   // typed, parsed by kind
	edChoose = "choose" // from editmeta's allowed values
	edUsers  = "users"  // searched people
	edGroups = "groups" // searched groups
	edSprint = "sprint" // the active and future sprints of the project's boards
	edTime   = "time"   // original and remaining estimate
)

// editorOf says which editor a field gets; "" when jiffy has none.
func editorOf(f jiraclient.FieldMeta) string {
	switch k := f.Kind(); k {
	case jiraclient.FieldString, jiraclient.FieldRichText, jiraclient.FieldURL, jiraclient.FieldNumber,
		jiraclient.FieldDate, jiraclient.FieldDateTime, jiraclient.FieldLabels, jiraclient.FieldIssue:
		return edText
	case jiraclient.FieldOption, jiraclient.FieldOptions, jiraclient.FieldVersion, jiraclient.FieldVersions,
		jiraclient.FieldComponents, jiraclient.FieldNamed, jiraclient.FieldCascade:
		if len(f.AllowedValues) == 0 {
			return "" // nothing Jira lets the user choose
		}
		return edChoose
	case jiraclient.FieldTeam:
		// Jira lists teams in editmeta only sometimes; otherwise the
		// team's id is typed (the detail shows it beside the name).
		if len(f.AllowedValues) > 0 {
			return edChoose
		}
		return edText
	case jiraclient.FieldUser, jiraclient.FieldUsers:
		return edUsers
	case jiraclient.FieldGroup, jiraclient.FieldGroups:
		return edGroups
	case jiraclient.FieldSprint:
		return edSprint
	case jiraclient.FieldTimeTracking:
		return edTime
	}
	return ""
}

// multi says whether several values may be chosen.
func multi(k jiraclient.FieldKind) bool {
	switch k {
	case jiraclient.FieldOptions, jiraclient.FieldVersions, jiraclient.FieldComponents,
		jiraclient.FieldUsers, jiraclient.FieldGroups:
		return true
	}
	return false
}

// FullEditMsg asks the root for the full form of the summary and
// description (tui/compose: multi-line, $EDITOR, drafts): the field
// editor sends it when the description is picked, the detail on E.
type FullEditMsg struct{ Issue jiraclient.Issue }

// SearchDelay is how long typing must pause before a people or group
// search is sent.
var SearchDelay = 200 * time.Millisecond

// Keys are the editor's keys; printable keys are text wherever a field
// has the focus (the filter, a value), so these are named keys only.
type Keys struct {
	Up, Down, Toggle, Choose, Back key.Binding
}

// ShortHelp is the footer.
func (k Keys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Toggle, k.Choose, k.Back} }

// FullHelp is the help screen.
func (k Keys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Edit is the overlay.
type Edit struct {
	c     *common.Common
	issue jiraclient.Issue
	km    Keys
	w, h  int

	step   step
	metas  []jiraclient.FieldMeta // settable, with an editor, by name
	other  int                    // settable fields jiffy has no editor for
	field  jiraclient.FieldMeta   // the field being edited
	filter textinput.Model        // the field filter, then the values filter
	value  textinput.Model
	remain textinput.Model // stepTime: the remaining estimate (value is the original)
	cur    int
	chosen map[string]bool // multi-select: item ids chosen
	kept   map[string]item // the chosen items, kept across searches
	parent *jiraclient.AllowedValue

	found     []item // users, groups or sprints found for query
	query     string // the search the found items answer
	searching bool
	searchSeq int

	err      error
	fieldErr string
	seq      int
}

type metaMsg struct {
	seq  int
	meta map[string]jiraclient.FieldMeta
	err  error
}

// foundMsg answers a people, group or sprint search.
type foundMsg struct {
	seq   int
	query string
	items []item
	err   error
}

// searchTickMsg ends a search debounce; only the latest seq counts.
type searchTickMsg struct{ seq int }

type savedMsg struct {
	seq   int
	issue *jiraclient.Issue
	note  string
	err   error
}

func newInput(st common.Styles, placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = 32000
	ts := st.TextInput()
	ts.Cursor.Blink = false
	ti.SetStyles(ts)
	return ti
}

// New returns the field editor for is; Init loads the edit metadata.
func New(c *common.Common, is jiraclient.Issue) *Edit {
	m := &Edit{c: c, issue: is, filter: newInput(c.Styles, "type to filter the fields"), value: newInput(c.Styles, ""), remain: newInput(c.Styles, "like 2h 30m (empty leaves it)"), km: Keys{
		Up:     key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/↓", "move")),
		Down:   key.NewBinding(key.WithKeys("down", "ctrl+n")),
		Toggle: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "choose or drop")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}}
	m.filter.Focus()
	return m
}

// Init loads the edit metadata.
func (m *Edit) Init() tea.Cmd {
	m.seq++
	seq, k := m.seq, m.issue.Key
	return m.c.Do(m.owner(), func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			err := errors.New("not signed in: sign in first")
			return metaMsg{seq: seq, err: err}, err
		}
		meta, err := cl.EditMeta(ctx, k)
		return metaMsg{seq: seq, meta: meta, err: err}, err
	})
}

// owner names the editor's requests in the store.
func (m *Edit) owner() string { return "fields:" + m.issue.Key }

// SetSize sets the screen size.
func (m *Edit) SetSize(w, h int) {
	m.w, m.h = w, h
	iw := innerWidth(m.c.Styles, w)
	m.filter.SetWidth(max(iw-len("Filter ")-2, 8)) // beside its label
	m.value.SetWidth(max(iw-2, 8))
	m.remain.SetWidth(max(iw-len("Remaining ")-2, 8))
}

// InputFocused: the filter or a value always has the focus.
func (m *Edit) InputFocused() bool { return true }

// Step names where the editor is, for tests.
func (m *Edit) Step() string {
	return [...]string{"loading", "pick", "text", "choose", "child", "sending", "time"}[m.step]
}

// KeyMap is the keys that work now.
func (m *Edit) KeyMap() help.KeyMap {
	k := m.km
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Toggle, &k.Choose, &k.Back} {
		*b = keys.ForInput(*b, false)
	}
	k.Toggle.SetEnabled(m.step == stepChoose && multi(m.field.Kind()) || m.step == stepTime)
	switch m.step {
	case stepPick:
		k.Back.SetHelp("esc", "close")
	case stepTime:
		k.Toggle.SetHelp("tab", "next estimate")
		k.Choose.SetHelp("enter", "save")
	case stepText, stepChoose, stepChild:
		k.Choose.SetHelp("enter", "save")
	case stepSending, stepLoading:
		k.Choose.SetEnabled(false)
		k.Up.SetEnabled(false)
	}
	if m.step == stepText || m.step == stepTime {
		k.Up.SetEnabled(false)
	}
	return k
}

// Update handles keys and answers.
func (m *Edit) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case metaMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.err = msg.err
		for _, f := range msg.meta {
			if !f.CanSet() {
				continue
			}
			if editorOf(f) == "" {
				// No editor, or a choice Jira lists no values for: not
				// offered, but counted.
				m.other++
				continue
			}
			m.metas = append(m.metas, f)
		}
		sort.Slice(m.metas, func(i, j int) bool {
			return strings.ToLower(m.metas[i].Name) < strings.ToLower(m.metas[j].Name)
		})
		m.step = stepPick
		return m, nil
	case savedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.err, m.fieldErr = msg.err, ""
			var je *jiraclient.Error
			if errors.As(msg.err, &je) && je.FieldErrors[m.field.ID] != "" {
				m.fieldErr = je.FieldErrors[m.field.ID]
			}
			m.step = m.backStep()
			return m, nil
		}
		confirmed := common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
		return m, tea.Batch(func() tea.Msg { return confirmed }, common.CloseOverlay)
	case searchTickMsg:
		if msg.seq != m.searchSeq {
			return m, nil
		}
		return m, m.search()
	case foundMsg:
		if msg.seq != m.searchSeq {
			return m, nil
		}
		m.searching, m.found, m.query, m.err = false, msg.items, msg.query, msg.err
		m.cur = min(m.cur, max(m.count()-1, 0))
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.typed(msg)
	}
	return m, nil
}

// backStep is the step a failed send returns to, with the draft.
func (m *Edit) backStep() step {
	switch editorOf(m.field) {
	case edText:
		return stepText
	case edTime:
		return stepTime
	}
	if m.parent != nil {
		return stepChild
	}
	return stepChoose
}

func (m *Edit) typed(msg tea.Msg) (common.Overlay, tea.Cmd) {
	var cmd tea.Cmd
	switch m.step {
	case stepPick, stepChoose, stepChild:
		before := m.filter.Value()
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.cur = 0
			if m.step == stepChoose {
				cmd = tea.Batch(cmd, m.typedQuery())
			}
		}
	case stepText:
		m.value, cmd = m.value.Update(msg)
	case stepTime:
		if m.value.Focused() {
			m.value, cmd = m.value.Update(msg)
		} else {
			m.remain, cmd = m.remain.Update(msg)
		}
	}
	return m, cmd
}

func (m *Edit) key(msg tea.KeyPressMsg) (common.Overlay, tea.Cmd) {
	k := m.KeyMap().(Keys)
	switch {
	case key.Matches(msg, k.Back):
		switch m.step {
		case stepPick, stepLoading:
			return m, common.CloseOverlay
		case stepChild:
			m.step, m.parent = stepChoose, nil
		case stepSending:
			return m, nil
		default:
			m.step = stepPick
		}
		m.filter.SetValue("")
		if m.step == stepPick {
			m.filter.Placeholder = "type to filter the fields"
		}
		m.cur, m.err, m.fieldErr = 0, nil, ""
		return m, nil
	case key.Matches(msg, k.Up):
		m.cur = max(m.cur-1, 0)
		return m, nil
	case key.Matches(msg, k.Down):
		m.cur = min(m.cur+1, max(m.count()-1, 0))
		return m, nil
	case key.Matches(msg, k.Toggle):
		if m.step == stepTime {
			if m.value.Focused() {
				m.value.Blur()
				return m, m.remain.Focus()
			}
			m.remain.Blur()
			return m, m.value.Focus()
		}
		if vs := m.values(); m.cur < len(vs) && vs[m.cur].id != "" {
			it := vs[m.cur]
			m.chosen[it.id] = !m.chosen[it.id]
			m.kept[it.id] = it
		}
		return m, nil
	case key.Matches(msg, k.Choose):
		return m, m.choose()
	}
	if m.step == stepSending || m.step == stepLoading {
		return m, nil
	}
	return m.typed(msg)
}

// count is how many entries the list shows now.
func (m *Edit) count() int {
	if m.step == stepPick {
		return len(m.shownFields())
	}
	return len(m.values())
}

func (m *Edit) shownFields() []jiraclient.FieldMeta {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	var out []jiraclient.FieldMeta
	for _, f := range m.metas {
		if q == "" || strings.Contains(strings.ToLower(f.Name), q) || strings.Contains(strings.ToLower(f.ID), q) {
			out = append(out, f)
		}
	}
	return out
}

func label(v jiraclient.AllowedValue) string {
	if v.Value != "" {
		return v.Value
	}
	if v.Name != "" {
		return v.Name
	}
	return v.ID
}

// current is the field's value on the issue.
func (m *Edit) current() jiraclient.FieldValue { return m.issue.Values[m.field.ID] }

// open starts the editor for f.
func (m *Edit) open(f jiraclient.FieldMeta) tea.Cmd {
	if f.ID == "description" {
		// The description gets the full form: several lines, $EDITOR,
		// a draft kept.
		is := m.issue
		return func() tea.Msg { return FullEditMsg{Issue: is} }
	}
	m.field, m.err, m.fieldErr, m.cur, m.parent = f, nil, "", 0, nil
	m.found, m.query, m.searching = nil, "", false
	m.filter.SetValue("")
	cur := m.current()
	switch editorOf(f) {
	case edText:
		m.step = stepText
		m.value.SetWidth(max(innerWidth(m.c.Styles, m.w)-2, 8))
		m.value.SetValue(editText(cur))
		m.value.Placeholder = placeholder(f.Kind())
		m.value.CursorEnd()
		return m.value.Focus()
	case edTime:
		m.step = stepTime
		m.value.SetWidth(max(innerWidth(m.c.Styles, m.w)-len("Remaining ")-2, 8))
		m.value.Placeholder = "like 1h 30m (empty leaves it)"
		m.value.SetValue("")
		m.remain.SetValue("")
		if t := cur.Tracking; t != nil {
			m.value.SetValue(t.Original)
			m.remain.SetValue(t.Remaining)
		}
		m.value.CursorEnd()
		m.remain.CursorEnd()
		m.remain.Blur()
		return m.value.Focus()
	}
	m.step = stepChoose
	m.filter.Placeholder = "type to filter the values"
	m.chosen, m.kept = map[string]bool{}, map[string]item{}
	for _, it := range currentItems(cur) {
		m.chosen[it.id], m.kept[it.id] = true, it
	}
	switch editorOf(f) {
	case edUsers:
		m.filter.Placeholder = "type a name or e-mail to search"
	case edGroups:
		m.filter.Placeholder = "type to search the groups"
		return tea.Batch(m.filter.Focus(), m.search())
	case edSprint:
		m.searching = true
		return tea.Batch(m.filter.Focus(), m.loadSprints())
	}
	return m.filter.Focus()
}

// editText is a value as its editor starts with it.
func editText(v jiraclient.FieldValue) string {
	switch v.Kind {
	case jiraclient.FieldDate:
		if !v.Time.IsZero() {
			return v.Time.Format("2006-01-02")
		}
		return ""
	case jiraclient.FieldDateTime:
		if !v.Time.IsZero() {
			return v.Time.Local().Format("2006-01-02 15:04")
		}
		return ""
	case jiraclient.FieldLabels:
		return strings.Join(v.Labels, " ")
	case jiraclient.FieldIssue:
		if v.Issue != nil {
			return v.Issue.Key
		}
		return ""
	case jiraclient.FieldRichText:
		return strings.ReplaceAll(v.Text, "\n", " ")
	case jiraclient.FieldTeam:
		if len(v.Refs) > 0 {
			return v.Refs[0].ID
		}
		return ""
	}
	return v.Format()
}

func placeholder(k jiraclient.FieldKind) string {
	switch k {
	case jiraclient.FieldNumber:
		return "a number, like 5 or 2.5 (empty clears)"
	case jiraclient.FieldDate:
		return "2006-01-02 (empty clears)"
	case jiraclient.FieldDateTime:
		return "2006-01-02 15:04 (empty clears)"
	case jiraclient.FieldLabels:
		return "labels separated by spaces"
	case jiraclient.FieldIssue:
		return "the issue's key, like ABC-12"
	case jiraclient.FieldURL:
		return "https://…"
	case jiraclient.FieldTeam:
		return "the team's id (empty clears)"
	}
	return "text (empty clears)"
}

// parse reads the typed text as a value of kind k.
func parse(k jiraclient.FieldKind, s string) (jiraclient.FieldValue, error) {
	s = strings.TrimSpace(s)
	v := jiraclient.FieldValue{Kind: k}
	if s == "" {
		return v, nil // an empty value clears
	}
	switch k {
	case jiraclient.FieldNumber:
		n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil {
			return v, errors.New("not a number: write it like 5 or 2.5")
		}
		v.Number = &n
	case jiraclient.FieldDate:
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return v, errors.New("not a date: write it as 2006-01-02")
		}
		v.Time = t
	case jiraclient.FieldDateTime:
		t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		if err != nil {
			return v, errors.New("not a date and time: write it as 2006-01-02 15:04")
		}
		v.Time = t
	case jiraclient.FieldLabels:
		v.Labels = strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	case jiraclient.FieldIssue:
		key := strings.ToUpper(s)
		if err := jiraclient.CheckKey(key); err != nil {
			return v, err
		}
		v.Issue = &jiraclient.IssueRef{Key: key}
	case jiraclient.FieldTeam:
		v.Refs = []jiraclient.Ref{{ID: s}}
	default:
		v.Text = s
	}
	return v, nil
}

// choose acts on enter.
func (m *Edit) choose() tea.Cmd {
	switch m.step {
	case stepPick:
		fs := m.shownFields()
		if m.cur < len(fs) {
			return m.open(fs[m.cur])
		}
	case stepText:
		v, err := parse(m.field.Kind(), m.value.Value())
		if err != nil {
			m.err, m.fieldErr = nil, err.Error()
			return nil
		}
		return m.send(v)
	case stepTime:
		t, err := estimates(m.value.Value(), m.remain.Value())
		if err != nil {
			m.err, m.fieldErr = nil, err.Error()
			return nil
		}
		return m.send(t)
	case stepChoose, stepChild:
		vs := m.values()
		kind := m.field.Kind()
		if multi(kind) {
			var chosen []item
			for id, on := range m.chosen {
				if on {
					chosen = append(chosen, m.kept[id])
				}
			}
			sort.Slice(chosen, func(i, j int) bool { return chosen[i].label < chosen[j].label })
			return m.send(valueOf(kind, chosen))
		}
		if m.cur >= len(vs) {
			return nil
		}
		it := vs[m.cur]
		if kind == jiraclient.FieldCascade && m.step == stepChoose && it.id != "" && len(m.field.Children[it.av.ID]) > 0 {
			a := it.av
			m.parent = &a
			m.step, m.cur = stepChild, 0
			m.filter.SetValue("")
			return nil
		}
		if kind == jiraclient.FieldCascade && m.parent != nil {
			p := m.parent.Option()
			c := it.av.Option()
			p.Child = &c
			return m.send(jiraclient.FieldValue{Kind: kind, Options: []jiraclient.OptionValue{p}})
		}
		if it.id == "" {
			return m.send(jiraclient.FieldValue{Kind: kind}) // the clearing entry
		}
		return m.send(valueOf(kind, []item{it}))
	}
	return nil
}

// estimates reads the two estimates as Jira writes them ("1h 30m"); an
// empty one is left as it is.
func estimates(original, remaining string) (jiraclient.FieldValue, error) {
	t := &jiraclient.TimeTracking{}
	for _, e := range []struct {
		name, in string
		out      *string
	}{{"original estimate", original, &t.Original}, {"remaining estimate", remaining, &t.Remaining}} {
		if strings.TrimSpace(e.in) == "" {
			continue
		}
		secs, ok := jiraclient.ParseDuration(e.in)
		if !ok {
			return jiraclient.FieldValue{}, fmt.Errorf("the %s %q is not a time: write it like 1h 30m, 2d or 45m", e.name, strings.TrimSpace(e.in))
		}
		*e.out = jiraclient.FormatDuration(secs)
	}
	if t.Original == "" && t.Remaining == "" {
		return jiraclient.FieldValue{}, errors.New("type an estimate, like 1h 30m")
	}
	return jiraclient.FieldValue{Kind: jiraclient.FieldTimeTracking, Tracking: t}, nil
}

// send writes v to the field unless it is what the issue has.
func (m *Edit) send(v jiraclient.FieldValue) tea.Cmd {
	name := safetext.Line(m.field.Name)
	if same(v, m.current()) {
		return tea.Batch(common.Notice(common.NoticeInfo, name+" is unchanged: nothing sent"), common.CloseOverlay)
	}
	m.seq++
	m.step, m.err, m.fieldErr = stepSending, nil, ""
	seq, k, f := m.seq, m.issue.Key, m.field
	change := jiraclient.FieldChange{ID: f.ID, Schema: f.Schema, Op: "set", Value: v}
	return m.c.Do(m.owner(), func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		note := k + ": " + name + " set"
		if v.Empty() {
			note = k + ": " + name + " cleared"
		}
		err := cl.EditFields(ctx, k, []jiraclient.FieldChange{change})
		if err != nil && jiraclient.OutcomeUnknown(err) {
			rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, k)
			if ferr == nil && is.Values != nil && sameAfter(v, is.Values[f.ID]) {
				return savedMsg{seq: seq, issue: is, note: note + " (Jira's answer was lost; checked: it is in Jira)"}, nil
			}
			err = &common.LostAnswerError{Err: err, Key: k, Noun: "the change", Checked: ferr == nil && is.Values != nil}
		}
		if err != nil {
			return savedMsg{seq: seq, err: err}, err
		}
		is, _ := common.ReadBack(ctx, cl, k)
		return savedMsg{seq: seq, issue: is, note: note}, nil
	})
}

// --- view ---------------------------------------------------------------------

const (
	maxW = 84
	minW = 30
)

func innerWidth(st common.Styles, w int) int {
	if w <= 0 {
		w = 80
	}
	return max(max(min(w-4, maxW), minW)-st.Dialog.GetHorizontalFrameSize(), 10)
}

func innerHeight(st common.Styles, h int) int {
	if h <= 0 {
		h = 24
	}
	return max(h-2-st.Dialog.GetVerticalFrameSize(), 4)
}

// View draws the dialog.
func (m *Edit) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	maxH := innerHeight(st, m.h)
	head := []string{st.Title.Render("Edit a field of") + " " + st.Key.Render(safetext.Line(m.issue.Key)), ""}
	var body []string
	list := func(items []string, selected func(i int) bool) {
		room := max(maxH-len(head)-len(body)-6, 3)
		start := max(0, min(m.cur-room/2, len(items)-room))
		for i := start; i < len(items) && i < start+room; i++ {
			mark := "  "
			if selected != nil && selected(i) {
				mark = "✓ "
			}
			if i == m.cur {
				body = append(body, st.Selected.Render("▸ "+mark+items[i]))
			} else {
				body = append(body, "  "+mark+st.Text.Render(items[i]))
			}
		}
		if len(items) == 0 {
			switch {
			case m.searching:
				body = append(body, st.Muted.Render("  searching…"))
			case editorOf(m.field) == edUsers && strings.TrimSpace(m.filter.Value()) == "":
				body = append(body, st.Muted.Render("  nobody chosen: type a name or e-mail"))
			default:
				body = append(body, st.Muted.Render("  nothing matches"))
			}
		}
	}
	switch m.step {
	case stepLoading:
		body = append(body, st.Muted.Render("Loading the fields you may edit…"))
	case stepPick:
		body = append(body, st.Bold.Render("Field ")+m.filter.View(), "")
		fs := m.shownFields()
		items := make([]string, len(fs))
		for i, f := range fs {
			val := safetext.Line(m.issue.Values[f.ID].Format())
			items[i] = safetext.Line(f.Name)
			if val != "" {
				items[i] += st.Muted.Render("  " + ansi.Truncate(val, max(w/2, 10), "…"))
			}
		}
		list(items, nil)
		if m.other > 0 {
			body = append(body, "", st.Muted.Render(strconv.Itoa(m.other)+" more fields have no values Jira lets jiffy offer, or are read-only here"))
		}
	case stepText, stepSending, stepChoose, stepChild, stepTime:
		name := safetext.Line(m.field.Name)
		body = append(body, st.Bold.Render(name)+st.Muted.Render("  now: "+orNone(safetext.Line(m.current().Format()))), "")
		switch editorOf(m.field) {
		case edText:
			body = append(body, m.value.View())
			if m.field.Kind() == jiraclient.FieldTeam {
				body = append(body, "", st.Muted.Render("The team's id: Jira lists no teams to choose from here."))
			}
		case edTime:
			body = append(body, st.Label.Render("Original  ")+m.value.View(), st.Label.Render("Remaining ")+m.remain.View(),
				"", st.Muted.Render("As Jira writes time: 1w 2d 3h 30m (a day and a week as the site counts them)"))
		default:
			if m.parent != nil {
				body = append(body, st.Muted.Render(safetext.Line(label(*m.parent))+" / …"))
			}
			body = append(body, st.Label.Render("Filter ")+m.filter.View(), "")
			vs := m.values()
			items := make([]string, len(vs))
			for i, v := range vs {
				items[i] = safetext.Line(v.label)
			}
			var sel func(int) bool
			if multi(m.field.Kind()) {
				sel = func(i int) bool { return m.chosen[vs[i].id] }
				if n := len(m.chosenItems()); n > 0 && editorOf(m.field) != edChoose && strings.TrimSpace(m.filter.Value()) != "" {
					var names []string
					for _, it := range m.chosenItems() {
						names = append(names, it.label)
					}
					body = append(body, st.Muted.Render("Chosen: "+safetext.Line(strings.Join(names, ", "))), "")
				}
			}
			list(items, sel)
		}
	}
	if m.fieldErr != "" {
		body = append(body, "", st.Error.Render("✗ "+safetext.Line(m.fieldErr)))
	}
	if m.err != nil && m.fieldErr == "" {
		body = append(body, "", st.Error.Render("✗ "+safetext.Line(m.err.Error())))
	}
	if m.step == stepSending {
		body = append(body, "", st.Muted.Render("Saving…"))
	}
	foot := []string{"", keyHelp(st, m.KeyMap().(Keys).ShortHelp()...)}
	return frame(st, w, maxH, head, body, foot)
}

func orNone(s string) string {
	if s == "" {
		return "empty"
	}
	return s
}

func keyHelp(st common.Styles, bs ...key.Binding) string {
	var parts []string
	for _, b := range bs {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		parts = append(parts, st.Bold.Render(b.Help().Key)+" "+st.Muted.Render(b.Help().Desc))
	}
	return strings.Join(parts, st.Muted.Render("  ·  "))
}

func frame(st common.Styles, width, maxH int, head, body, foot []string) string {
	if len(head)+len(foot) > maxH {
		foot = foot[:max(0, maxH-len(head))]
	}
	if room := maxH - len(head) - len(foot); len(body) > room {
		body = body[:max(room, 0)]
	}
	lines := append(append(append([]string(nil), head...), body...), foot...)
	for i, l := range lines {
		l = ansi.Truncate(l, width, "…")
		if n := lipgloss.Width(l); n < width {
			l += strings.Repeat(" ", width-n)
		}
		lines[i] = l
	}
	return st.Dialog.Render(strings.Join(lines, "\n"))
}
