// Package fields is the editor of any editable field (key E in the
// detail): a picker of every field Jira's edit metadata lets the user set,
// filtered as they type, then the editor for the field's type (text, text
// area, number, date, date-time, labels, URL, parent / epic by key; single
// and multi select, versions, components, priority and cascading select
// from the allowed values). The one field changed is sent through
// jiraclient.EditFields (whose EncodeChanges builds Jira's JSON); Jira's
// per-field error shows beside the field with the draft kept; a write whose
// answer was lost is read back and compared before it is called failed.
package fields

import (
	"context"
	"errors"
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
	"github.com/jiffy-tui/jiffy/tui/store"
)

// step is where the editor is.
type step int

const (
	stepLoading step = iota
	stepPick         // choosing the field
	stepText         // typing a value
	stepChoose       // choosing from allowed values
	stepChild        // choosing a cascading select's second level
	stepSending
)

// editorOf says which editor a kind gets; "" when jiffy has none yet.
func editorOf(k jiraclient.FieldKind) string {
	switch k {
	case jiraclient.FieldString, jiraclient.FieldRichText, jiraclient.FieldURL, jiraclient.FieldNumber,
		jiraclient.FieldDate, jiraclient.FieldDateTime, jiraclient.FieldLabels, jiraclient.FieldIssue:
		return "text"
	case jiraclient.FieldOption, jiraclient.FieldOptions, jiraclient.FieldVersion, jiraclient.FieldVersions,
		jiraclient.FieldComponents, jiraclient.FieldNamed, jiraclient.FieldCascade, jiraclient.FieldTeam:
		return "choose"
	}
	return ""
}

// multi says whether several values may be chosen.
func multi(k jiraclient.FieldKind) bool {
	switch k {
	case jiraclient.FieldOptions, jiraclient.FieldVersions, jiraclient.FieldComponents:
		return true
	}
	return false
}

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
	owner string // of its load in the store; Close cancels it
	issue jiraclient.Issue
	km    Keys
	w, h  int

	step   step
	metas  []jiraclient.FieldMeta // settable, with an editor, by name
	other  int                    // settable fields jiffy has no editor for
	field  jiraclient.FieldMeta   // the field being edited
	filter textinput.Model        // the field filter, then the values filter
	value  textinput.Model
	cur    int
	chosen map[string]bool // multi-select: allowed value ids chosen
	parent *jiraclient.AllowedValue

	err      error
	fieldErr string
	seq      int
}

type metaMsg struct {
	seq  int
	meta map[string]jiraclient.FieldMeta
	err  error
}

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
	m := &Edit{c: c, owner: common.Owner("fields"), issue: is, filter: newInput(c.Styles, "type to filter the fields"), value: newInput(c.Styles, ""), km: Keys{
		Up:     c.Keys.Binding("fields.up"),
		Down:   c.Keys.Binding("fields.down"),
		Toggle: c.Keys.Binding("fields.toggle"),
		Choose: c.Keys.Binding("fields.choose"),
		Back:   c.Keys.Binding("fields.back"),
	}}
	m.filter.Focus()
	return m
}

// Init loads the edit metadata.
func (m *Edit) Init() tea.Cmd {
	m.seq++
	seq, k := m.seq, m.issue.Key
	// Through the store's request helper under the overlay's owner:
	// closing the editor cancels the load; an expired login is replayed.
	return m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return metaMsg{seq: seq, err: errNotSignedIn}, nil
		}
		meta, err := cl.EditMeta(ctx, k)
		return metaMsg{seq: seq, meta: meta, err: err}, err
	})
}

// errNotSignedIn answers a request made with no client.
var errNotSignedIn = errors.New("not signed in: sign in first")

// Close cancels the load still out (common.Closer); a save goes on.
func (m *Edit) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen size.
func (m *Edit) SetSize(w, h int) {
	m.w, m.h = w, h
	iw := innerWidth(m.c.Styles, w)
	m.filter.SetWidth(max(iw-len("Filter ")-2, 8)) // beside its label
	m.value.SetWidth(max(iw-2, 8))
}

// InputFocused: the filter or a value always has the focus.
func (m *Edit) InputFocused() bool { return true }

// Step names where the editor is, for tests.
func (m *Edit) Step() string {
	return [...]string{"loading", "pick", "text", "choose", "child", "sending"}[m.step]
}

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Edit) KeyView() string { return "fields" }

// KeyMap is the keys that work now.
func (m *Edit) KeyMap() help.KeyMap {
	k := m.km
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Toggle, &k.Choose, &k.Back} {
		*b = keys.ForInput(*b, false)
	}
	k.Toggle.SetEnabled(m.step == stepChoose && multi(m.field.Kind()))
	switch m.step {
	case stepPick:
		k.Back.SetHelp(k.Back.Help().Key, "close")
	case stepText, stepChoose, stepChild:
		k.Choose.SetHelp(k.Choose.Help().Key, "save")
	case stepSending, stepLoading:
		k.Choose.SetEnabled(false)
		k.Up.SetEnabled(false)
	}
	if m.step == stepText {
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
			if e := editorOf(f.Kind()); e == "" || e == "choose" && len(f.AllowedValues) == 0 {
				// No editor yet, or a choice Jira does not list (a team
				// found through its own search): not offered, but counted.
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
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.typed(msg)
	}
	return m, nil
}

// backStep is the step a failed send returns to, with the draft.
func (m *Edit) backStep() step {
	if editorOf(m.field.Kind()) == "text" {
		return stepText
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
		}
	case stepText:
		m.value, cmd = m.value.Update(msg)
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
		if vs := m.values(); m.cur < len(vs) {
			m.chosen[vs[m.cur].ID] = !m.chosen[vs[m.cur].ID]
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

// values are the allowed values the list shows: the field's, or the
// chosen parent's children; disabled ones are not offered.
func (m *Edit) values() []jiraclient.AllowedValue {
	all := m.field.AllowedValues
	if m.step == stepChild && m.parent != nil {
		all = m.field.Children[m.parent.ID]
	}
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	var out []jiraclient.AllowedValue
	for _, v := range all {
		if v.Disabled {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(label(v)), q) {
			out = append(out, v)
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
	m.field, m.err, m.fieldErr, m.cur, m.parent = f, nil, "", 0, nil
	m.filter.SetValue("")
	cur := m.current()
	if editorOf(f.Kind()) == "text" {
		m.step = stepText
		m.value.SetValue(editText(cur))
		m.value.Placeholder = placeholder(f.Kind())
		m.value.CursorEnd()
		return m.value.Focus()
	}
	m.step = stepChoose
	m.filter.Placeholder = "type to filter the values"
	m.chosen = map[string]bool{}
	for _, o := range cur.Options {
		m.chosen[o.ID] = true
	}
	for _, r := range cur.Refs {
		m.chosen[r.ID] = true
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
	case stepChoose, stepChild:
		vs := m.values()
		kind := m.field.Kind()
		if multi(kind) {
			v := jiraclient.FieldValue{Kind: kind}
			for _, a := range m.field.AllowedValues {
				if !m.chosen[a.ID] {
					continue
				}
				if kind == jiraclient.FieldOptions {
					v.Options = append(v.Options, a.Option())
				} else {
					v.Refs = append(v.Refs, a.Ref())
				}
			}
			return m.send(v)
		}
		if m.cur >= len(vs) {
			return nil
		}
		a := vs[m.cur]
		if kind == jiraclient.FieldCascade && m.step == stepChoose && len(m.field.Children[a.ID]) > 0 {
			m.parent = &a
			m.step, m.cur = stepChild, 0
			m.filter.SetValue("")
			return nil
		}
		v := jiraclient.FieldValue{Kind: kind}
		switch kind {
		case jiraclient.FieldOption:
			v.Options = []jiraclient.OptionValue{a.Option()}
		case jiraclient.FieldCascade:
			if m.parent != nil {
				p := m.parent.Option()
				c := a.Option()
				p.Child = &c
				v.Options = []jiraclient.OptionValue{p}
			} else {
				v.Options = []jiraclient.OptionValue{a.Option()}
			}
		default:
			v.Refs = []jiraclient.Ref{a.Ref()}
		}
		return m.send(v)
	}
	return nil
}

// send writes v to the field unless it is what the issue has.
func (m *Edit) send(v jiraclient.FieldValue) tea.Cmd {
	name := safetext.Line(m.field.Name)
	if v.Format() == m.current().Format() && v.Empty() == m.current().Empty() {
		return tea.Batch(common.Notice(common.NoticeInfo, name+" is unchanged: nothing sent"), common.CloseOverlay)
	}
	m.seq++
	m.step, m.err, m.fieldErr = stepSending, nil, ""
	seq, k, f := m.seq, m.issue.Key, m.field
	change := jiraclient.FieldChange{ID: f.ID, Schema: f.Schema, Op: "set", Value: v}
	// Through the store's request helper: the client of the moment, an
	// expired login held and sent again after the sign-in, and the error
	// of the last request beside the message for the store.
	return m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return savedMsg{seq: seq, err: errNotSignedIn}, nil
		}
		note := k + ": " + name + " set"
		if v.Empty() {
			note = k + ": " + name + " cleared"
		}
		err := cl.EditFields(ctx, k, []jiraclient.FieldChange{change})
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// A deadline of its own: the write's may be spent.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, k)
			if ferr == nil && is.Values != nil && is.Values[f.ID].Format() == v.Format() {
				return savedMsg{seq: seq, issue: is, note: note + " (Jira's answer was lost; checked: it is in Jira)"}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: k, Noun: "the change", Checked: ferr == nil && is.Values != nil}
		}
		if err != nil {
			return savedMsg{seq: seq, err: err}, seen
		}
		is, _ := common.ReadBack(ctx, cl, k)
		return savedMsg{seq: seq, issue: is, note: note}, nil
	}, func(err error) tea.Msg { return savedMsg{seq: seq, err: err} })
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
			body = append(body, st.Muted.Render("  nothing matches"))
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
			body = append(body, "", st.Muted.Render(strconv.Itoa(m.other)+" more fields (people, groups, sprints, teams, time tracking) are edited elsewhere or not yet in jiffy"))
		}
	case stepText, stepSending, stepChoose, stepChild:
		name := safetext.Line(m.field.Name)
		body = append(body, st.Bold.Render(name)+st.Muted.Render("  now: "+orNone(safetext.Line(m.current().Format()))), "")
		if editorOf(m.field.Kind()) == "text" {
			body = append(body, m.value.View())
		} else {
			if m.parent != nil {
				body = append(body, st.Muted.Render(safetext.Line(label(*m.parent))+" / …"))
			}
			body = append(body, st.Label.Render("Filter ")+m.filter.View(), "")
			vs := m.values()
			items := make([]string, len(vs))
			for i, v := range vs {
				items[i] = safetext.Line(label(v))
			}
			var sel func(int) bool
			if multi(m.field.Kind()) {
				sel = func(i int) bool { return m.chosen[vs[i].ID] }
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
