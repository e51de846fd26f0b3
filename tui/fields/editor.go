package fields

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

// Editor is the editor of one field's value, chosen by the field's type:
// the one set of editors behind the field editor (e), the create form and
// the transition forms. It edits a value in memory; the form that holds it
// sends what changed (through jiraclient's EncodeChanges).
//
// The host hands it every message (it ignores the answers of other
// editors) and reads the Outcome of each: Done with Value, or Back.
type Editor struct {
	c     *common.Common
	id    uint64
	field jiraclient.FieldMeta
	was   jiraclient.FieldValue // the value it started with
	scope Scope
	km    Keys
	width int

	step   step
	filter textinput.Model // the values filter, or the people/group search
	value  textinput.Model // text editors; stepTime: the original estimate
	remain textinput.Model // stepTime: the remaining estimate
	cur    int
	chosen map[string]bool // multi: item ids chosen
	kept   map[string]item // the chosen items, kept across searches
	parent *jiraclient.AllowedValue

	found     []item // users, groups or sprints found for query
	query     string // the search the found items answer
	searching bool
	searchSeq int
	err       string // beside the field: a refusal or Jira's field error
	out       jiraclient.FieldValue
}

// Scope is where the value is for: the issue (its key, "" on create) and
// its project (the sprints offered are its boards').
type Scope struct {
	Key, Project string
}

// Outcome is what a key did to an Editor.
type Outcome int

// The outcomes.
const (
	Editing Outcome = iota
	Done            // Value is the new value
	Back            // esc: the host closes the editor
)

var editorIDs atomic.Uint64

// NewEditor opens the editor of f, starting from cur; Init starts it.
// Fields that have no editor (Has reports which) get a text editor.
func NewEditor(c *common.Common, f jiraclient.FieldMeta, cur jiraclient.FieldValue, s Scope) *Editor {
	e := &Editor{c: c, id: editorIDs.Add(1), field: f, was: cur, scope: s,
		filter: newInput(c.Styles, "type to filter the values"), value: newInput(c.Styles, ""),
		remain: newInput(c.Styles, "like 2h 30m (empty leaves it)"), km: newKeys(c.Keys)}
	return e
}

func newKeys(km *keys.Map) Keys {
	return Keys{
		Up:     km.Binding("fields.up"),
		Down:   km.Binding("fields.down"),
		Toggle: km.Binding("fields.toggle"),
		Choose: km.Binding("fields.choose"),
		Back:   km.Binding("fields.back"),
	}
}

// Has reports whether jiffy has an editor for f.
func Has(f jiraclient.FieldMeta) bool { return editorOf(f) != "" }

// Field is the field edited.
func (e *Editor) Field() jiraclient.FieldMeta { return e.field }

// Value is the value chosen (after Done).
func (e *Editor) Value() jiraclient.FieldValue { return e.out }

// SetError shows msg beside the field (Jira's field error after a failed
// write); what the user typed or chose stays.
func (e *Editor) SetError(msg string) { e.err = msg }

// SetWidth sets the width the editor draws in.
func (e *Editor) SetWidth(w int) {
	e.width = w
	e.filter.SetWidth(max(w-len("Filter ")-2, 8))
	e.remain.SetWidth(max(w-len("Remaining ")-2, 8))
	if e.step == stepTime {
		e.value.SetWidth(max(w-len("Remaining ")-2, 8))
	} else {
		e.value.SetWidth(max(w-2, 8))
	}
}

// Init fills the editor from the value and starts what it loads (groups,
// sprints).
func (e *Editor) Init() tea.Cmd {
	e.err, e.cur, e.parent = "", 0, nil
	e.found, e.query, e.searching = nil, "", false
	e.filter.SetValue("")
	cur := e.was
	switch editorOf(e.field) {
	case edText, "":
		e.step = stepText
		e.value.SetValue(editText(cur))
		e.value.Placeholder = placeholder(e.field.Kind())
		e.value.CursorEnd()
		e.SetWidth(e.width)
		return e.value.Focus()
	case edTime:
		e.step = stepTime
		e.SetWidth(e.width)
		e.value.Placeholder = "like 1h 30m (empty leaves it)"
		e.value.SetValue("")
		e.remain.SetValue("")
		if t := cur.Tracking; t != nil {
			e.value.SetValue(t.Original)
			e.remain.SetValue(t.Remaining)
		}
		e.value.CursorEnd()
		e.remain.CursorEnd()
		e.remain.Blur()
		return e.value.Focus()
	}
	e.step = stepChoose
	e.filter.Placeholder = "type to filter the values"
	e.chosen, e.kept = map[string]bool{}, map[string]item{}
	for _, it := range currentItems(cur) {
		e.chosen[it.id], e.kept[it.id] = true, it
	}
	switch editorOf(e.field) {
	case edUsers:
		e.filter.Placeholder = "type a name or e-mail to search"
	case edGroups:
		e.filter.Placeholder = "type to search the groups"
		return tea.Batch(e.filter.Focus(), e.search())
	case edSprint:
		e.searching = true
		return tea.Batch(e.filter.Focus(), e.loadSprints())
	}
	return e.filter.Focus()
}

// KeyMap is the keys that work now.
func (e *Editor) KeyMap() Keys {
	k := e.km
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Toggle, &k.Choose, &k.Back} {
		*b = keys.ForInput(*b, false)
	}
	k.Toggle.SetEnabled(e.step == stepChoose && multi(e.field.Kind()) || e.step == stepTime)
	k.Choose.SetHelp("enter", "done")
	if e.step == stepTime {
		k.Toggle.SetHelp("tab", "next estimate")
	}
	if e.step == stepText || e.step == stepTime {
		k.Up.SetEnabled(false)
	}
	return k
}

// Update handles a key, a paste or an answer.
func (e *Editor) Update(msg tea.Msg) (tea.Cmd, Outcome) {
	switch msg := msg.(type) {
	case searchTickMsg:
		if msg.editor != e.id || msg.seq != e.searchSeq {
			return nil, Editing
		}
		return e.search(), Editing
	case foundMsg:
		if msg.editor != e.id || msg.seq != e.searchSeq {
			return nil, Editing
		}
		e.searching, e.found, e.query = false, msg.items, msg.query
		if msg.err != nil {
			e.err = msg.err.Error()
		}
		e.cur = min(e.cur, max(len(e.values())-1, 0))
		return nil, Editing
	case tea.KeyPressMsg:
		return e.key(msg)
	case tea.PasteMsg:
		return e.typed(msg), Editing
	}
	return nil, Editing
}

func (e *Editor) key(msg tea.KeyPressMsg) (tea.Cmd, Outcome) {
	k := e.KeyMap()
	switch {
	case key.Matches(msg, k.Back):
		if e.step == stepChild {
			e.step, e.parent, e.cur = stepChoose, nil, 0
			e.filter.SetValue("")
			return nil, Editing
		}
		return nil, Back
	case key.Matches(msg, k.Up):
		e.cur = max(e.cur-1, 0)
		return nil, Editing
	case key.Matches(msg, k.Down):
		e.cur = min(e.cur+1, max(len(e.values())-1, 0))
		return nil, Editing
	case key.Matches(msg, k.Toggle):
		if e.step == stepTime {
			if e.value.Focused() {
				e.value.Blur()
				return e.remain.Focus(), Editing
			}
			e.remain.Blur()
			return e.value.Focus(), Editing
		}
		if vs := e.values(); e.cur < len(vs) && vs[e.cur].id != "" {
			it := vs[e.cur]
			e.chosen[it.id] = !e.chosen[it.id]
			e.kept[it.id] = it
		}
		return nil, Editing
	case key.Matches(msg, k.Choose):
		return e.choose()
	}
	return e.typed(msg), Editing
}

func (e *Editor) typed(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch e.step {
	case stepChoose, stepChild:
		before := e.filter.Value()
		e.filter, cmd = e.filter.Update(msg)
		if e.filter.Value() != before {
			e.cur = 0
			if e.step == stepChoose {
				cmd = tea.Batch(cmd, e.typedQuery())
			}
		}
	case stepText:
		e.value, cmd = e.value.Update(msg)
	case stepTime:
		if e.value.Focused() {
			e.value, cmd = e.value.Update(msg)
		} else {
			e.remain, cmd = e.remain.Update(msg)
		}
	}
	return cmd
}

// done ends with v.
func (e *Editor) done(v jiraclient.FieldValue) (tea.Cmd, Outcome) {
	e.out, e.err = v, ""
	return nil, Done
}

// choose acts on enter: the value typed or chosen, checked first.
func (e *Editor) choose() (tea.Cmd, Outcome) {
	switch e.step {
	case stepText:
		v, err := parse(e.field.Kind(), e.value.Value())
		if err != nil {
			e.err = err.Error()
			return nil, Editing
		}
		return e.done(v)
	case stepTime:
		t, err := estimates(e.value.Value(), e.remain.Value())
		if err != nil {
			e.err = err.Error()
			return nil, Editing
		}
		return e.done(t)
	}
	vs := e.values()
	kind := e.field.Kind()
	if multi(kind) {
		return e.done(valueOf(kind, e.chosenItems()))
	}
	if e.cur >= len(vs) {
		return nil, Editing
	}
	it := vs[e.cur]
	if kind == jiraclient.FieldCascade && e.step == stepChoose && it.id != "" && len(e.field.Children[it.av.ID]) > 0 {
		a := it.av
		e.parent = &a
		e.step, e.cur = stepChild, 0
		e.filter.SetValue("")
		return nil, Editing
	}
	if kind == jiraclient.FieldCascade && e.parent != nil {
		p := e.parent.Option()
		c := it.av.Option()
		p.Child = &c
		return e.done(jiraclient.FieldValue{Kind: kind, Options: []jiraclient.OptionValue{p}})
	}
	if it.id == "" {
		return e.done(jiraclient.FieldValue{Kind: kind}) // the clearing entry
	}
	return e.done(valueOf(kind, []item{it}))
}

// View draws the editor in rows lines at most: the field's name and value
// now, then its inputs or list, then its error.
func (e *Editor) View(rows int) []string {
	st := e.c.Styles
	w := max(e.width, 10)
	name := safetext.Line(e.field.Name)
	body := []string{st.Bold.Render(name) + st.Muted.Render("  now: "+orNone(safetext.Line(e.was.Format()))), ""}
	var tail []string
	if e.err != "" {
		tail = append(tail, "", st.Error.Render("✗ "+safetext.Line(e.err)))
	}
	switch editorOf(e.field) {
	case edText, "":
		body = append(body, e.value.View())
		if e.field.Kind() == jiraclient.FieldTeam {
			body = append(body, "", st.Muted.Render("The team's id: Jira lists no teams to choose from here."))
		}
		return append(body, tail...)
	case edTime:
		body = append(body, st.Label.Render("Original  ")+e.value.View(), st.Label.Render("Remaining ")+e.remain.View(),
			"", st.Muted.Render("As Jira writes time: 1w 2d 3h 30m (a day and a week as the site counts them)"))
		return append(body, tail...)
	}
	if e.parent != nil {
		body = append(body, st.Muted.Render(safetext.Line(label(*e.parent))+" / …"))
	}
	body = append(body, st.Label.Render("Filter ")+e.filter.View(), "")
	vs := e.values()
	if multi(e.field.Kind()) && editorOf(e.field) != edChoose && strings.TrimSpace(e.filter.Value()) != "" {
		if cs := e.chosenItems(); len(cs) > 0 {
			var names []string
			for _, it := range cs {
				names = append(names, it.label)
			}
			body = append(body, st.Muted.Render("Chosen: "+safetext.Line(strings.Join(names, ", "))), "")
		}
	}
	room := max(rows-len(body)-len(tail), 3)
	start := max(0, min(e.cur-room/2, len(vs)-room))
	for i := start; i < len(vs) && i < start+room; i++ {
		mark := "  "
		if multi(e.field.Kind()) && e.chosen[vs[i].id] {
			mark = "✓ "
		}
		l := ansi.Truncate(safetext.Line(vs[i].label), max(w-4, 4), "…")
		if i == e.cur {
			body = append(body, st.Selected.Render("▸ "+mark+l))
		} else {
			body = append(body, "  "+mark+st.Text.Render(l))
		}
	}
	if len(vs) == 0 {
		switch {
		case e.searching:
			body = append(body, st.Muted.Render("  searching…"))
		case editorOf(e.field) == edUsers && strings.TrimSpace(e.filter.Value()) == "":
			body = append(body, st.Muted.Render("  nobody chosen: type a name or e-mail"))
		default:
			body = append(body, st.Muted.Render("  nothing matches"))
		}
	}
	return append(body, tail...)
}

// Summary is a value in one line, as a form shows it beside the name.
func Summary(v jiraclient.FieldValue) string {
	return safetext.Line(v.Format())
}

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
	stepEdit // the overlay: a field's Editor is open
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

func label(v jiraclient.AllowedValue) string {
	if v.Value != "" {
		return v.Value
	}
	if v.Name != "" {
		return v.Name
	}
	return v.ID
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

// Typed reports whether f is edited as typed text (a form may let the
// user start typing on its row, and keep the text as a draft).
func Typed(f jiraclient.FieldMeta) bool {
	e := editorOf(f)
	return e == edText || e == ""
}

// Text is v as its text editor shows it ("" for values chosen from a
// list): what a draft keeps.
func Text(v jiraclient.FieldValue) string { return editText(v) }

// Parse reads s as a value of f, as its text editor does.
func Parse(f jiraclient.FieldMeta, s string) (jiraclient.FieldValue, error) {
	return parse(f.Kind(), s)
}

// Text is what is typed in a text editor now (ok false for the others).
func (e *Editor) Text() (string, bool) {
	if e.step != stepText {
		return "", false
	}
	return e.value.Value(), true
}

// Commit ends the editor as enter does (a form's send key while it is
// open): Done with the value, or Editing with the reason shown.
func (e *Editor) Commit() Outcome {
	_, out := e.choose()
	return out
}

// Chosen is the value of f that allowed value a makes (a form's own list
// of allowed values hands its choice over as a value, for the encoder).
func Chosen(f jiraclient.FieldMeta, a jiraclient.AllowedValue) jiraclient.FieldValue {
	switch k := f.Kind(); k {
	case jiraclient.FieldString, jiraclient.FieldOther:
		return jiraclient.FieldValue{Kind: jiraclient.FieldString, Text: label(a)}
	default:
		return valueOf(k, []item{avItem(a)})
	}
}
