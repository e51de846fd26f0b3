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
	"sort"
	"strconv"
	"strings"

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

// Edit is the overlay: the field picker, then the field's Editor.
type Edit struct {
	c     *common.Common
	owner string // of its load in the store; Close cancels it
	issue jiraclient.Issue
	km    Keys
	w, h  int

	step   step                   // stepLoading, stepPick, stepEdit or stepSending
	metas  []jiraclient.FieldMeta // settable, with an editor, by name
	other  int                    // settable fields jiffy has no editor for
	filter textinput.Model        // the field filter
	cur    int
	ed     *Editor // the field's editor, once one is picked

	err error
	seq int
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

// New returns the field editor for is; Init loads the edit metadata.
func New(c *common.Common, is jiraclient.Issue) *Edit {
	m := &Edit{c: c, owner: common.Owner("fields"), issue: is, filter: newInput(c.Styles, "type to filter the fields"), km: newKeys(c.Keys)}
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
	m.filter.SetWidth(max(iw-len("Field ")-2, 8)) // beside its label
	if m.ed != nil {
		m.ed.SetWidth(iw)
	}
}

// InputFocused: the filter or a value always has the focus.
func (m *Edit) InputFocused() bool { return true }

// Step names where the editor is, for tests.
func (m *Edit) Step() string {
	if m.step == stepEdit && m.ed != nil {
		return [...]string{"loading", "pick", "text", "choose", "child", "sending", "time", "edit"}[m.ed.step]
	}
	return [...]string{"loading", "pick", "text", "choose", "child", "sending", "time", "edit"}[m.step]
}

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Edit) KeyView() string { return "fields" }

// KeyMap is the keys that work now.
func (m *Edit) KeyMap() help.KeyMap {
	if m.step == stepEdit && m.ed != nil {
		k := m.ed.KeyMap()
		k.Choose.SetHelp("enter", "save")
		return k
	}
	k := m.km
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Toggle, &k.Choose, &k.Back} {
		*b = keys.ForInput(*b, false)
	}
	k.Toggle.SetEnabled(false)
	switch m.step {
	case stepPick:
		k.Back.SetHelp(k.Back.Help().Key, "close")
	case stepSending, stepLoading:
		k.Choose.SetEnabled(false)
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
			if !Has(f) {
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
			m.step = stepEdit
			var je *jiraclient.Error
			if errors.As(msg.err, &je) && je.FieldErrors[m.ed.field.ID] != "" {
				m.ed.SetError(je.FieldErrors[m.ed.field.ID])
			} else {
				m.ed.SetError(msg.err.Error())
			}
			return m, nil
		}
		confirmed := common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
		return m, tea.Batch(func() tea.Msg { return confirmed }, common.CloseOverlay)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.typed(msg)
	}
	if m.step == stepEdit {
		cmd, _ := m.ed.Update(msg) // its searches' answers
		return m, cmd
	}
	return m, nil
}

func (m *Edit) typed(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch m.step {
	case stepPick:
		before := m.filter.Value()
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.cur = 0
		}
		return m, cmd
	case stepEdit:
		cmd, _ := m.ed.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Edit) key(msg tea.KeyPressMsg) (common.Overlay, tea.Cmd) {
	switch m.step {
	case stepSending, stepLoading:
		if m.step == stepLoading && key.Matches(msg, m.km.Back) {
			return m, common.CloseOverlay
		}
		return m, nil
	case stepEdit:
		cmd, out := m.ed.Update(msg)
		switch out {
		case Back:
			m.step, m.ed = stepPick, nil
			m.filter.SetValue("")
			m.cur = 0
			return m, m.filter.Focus()
		case Done:
			return m, tea.Batch(cmd, m.send(m.ed.Value()))
		}
		return m, cmd
	}
	k := m.KeyMap().(Keys)
	switch {
	case key.Matches(msg, k.Back):
		return m, common.CloseOverlay
	case key.Matches(msg, k.Up):
		m.cur = max(m.cur-1, 0)
		return m, nil
	case key.Matches(msg, k.Down):
		m.cur = min(m.cur+1, max(len(m.shownFields())-1, 0))
		return m, nil
	case key.Matches(msg, k.Choose):
		if fs := m.shownFields(); m.cur < len(fs) {
			return m, m.open(fs[m.cur])
		}
		return m, nil
	}
	return m.typed(msg)
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

// open starts the editor for f.
func (m *Edit) open(f jiraclient.FieldMeta) tea.Cmd {
	if f.ID == "description" {
		// The description gets the full form: several lines, $EDITOR,
		// a draft kept.
		is := m.issue
		return func() tea.Msg { return FullEditMsg{Issue: is} }
	}
	m.err = nil
	m.ed = NewEditor(m.c, f, m.issue.Values[f.ID], Scope{Key: m.issue.Key, Project: projectOf(m.issue)})
	m.ed.SetWidth(innerWidth(m.c.Styles, m.w))
	m.step = stepEdit
	m.filter.Blur()
	return m.ed.Init()
}

// send writes v to the field unless it is what the issue has.
func (m *Edit) send(v jiraclient.FieldValue) tea.Cmd {
	f := m.ed.field
	name := safetext.Line(f.Name)
	if same(v, m.issue.Values[f.ID]) {
		return tea.Batch(common.Notice(common.NoticeInfo, name+" is unchanged: nothing sent"), common.CloseOverlay)
	}
	m.seq++
	m.step, m.err = stepSending, nil
	seq, k := m.seq, m.issue.Key
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
			if ferr == nil && is.Values != nil && sameAfter(v, is.Values[f.ID]) {
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
)

// innerWidth is the width inside the dialog frame for a w-wide screen.
func innerWidth(st common.Styles, w int) int { iw, _ := st.DialogInner(w, 0, maxW); return iw }

// innerHeight is the most lines that fit inside the frame on an h-high screen.
func innerHeight(st common.Styles, h int) int { _, ih := st.DialogInner(0, h, maxW); return ih }

// View draws the dialog.
func (m *Edit) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	maxH := innerHeight(st, m.h)
	head := []string{st.Title.Render("Edit a field of") + " " + st.Key.Render(safetext.Line(m.issue.Key)), ""}
	foot := []string{"", keyHelp(st, m.KeyMap().(Keys).ShortHelp()...)}
	var body []string
	switch m.step {
	case stepLoading:
		body = append(body, st.Muted.Render("Loading the fields you may edit…"))
	case stepPick:
		body = append(body, st.Bold.Render("Field ")+m.filter.View(), "")
		fs := m.shownFields()
		room := max(maxH-len(head)-len(foot)-len(body)-2, 3)
		start := max(0, min(m.cur-room/2, len(fs)-room))
		for i := start; i < len(fs) && i < start+room; i++ {
			f := fs[i]
			l := safetext.Line(f.Name)
			if val := safetext.Line(m.issue.Values[f.ID].Format()); val != "" {
				l += st.Muted.Render("  " + ansi.Truncate(val, max(w/2, 10), "…"))
			}
			if i == m.cur {
				body = append(body, st.Selected.Render("▸   "+l))
			} else {
				body = append(body, "    "+st.Text.Render(l))
			}
		}
		if len(fs) == 0 {
			body = append(body, st.Muted.Render("  nothing matches"))
		}
		if m.other > 0 {
			body = append(body, "", st.Muted.Render(strconv.Itoa(m.other)+" more fields have no values Jira lets jiffy offer, or are read-only here"))
		}
	case stepEdit, stepSending:
		body = m.ed.View(maxH - len(head) - len(foot) - 2)
		if m.step == stepSending {
			body = append(body, "", st.Muted.Render("Saving…"))
		}
	}
	if m.err != nil {
		body = append(body, "", st.Error.Render("✗ "+safetext.Line(m.err.Error())))
	}
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
