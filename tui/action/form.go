package action

import (
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// fieldKind is how a transition-screen field is filled in.
type fieldKind int

const (
	kindPick        fieldKind = iota // one of the field's allowed values
	kindText                         // a string, number, date or labels typed in
	kindComment                      // the optional comment (Markdown)
	kindEditor                       // tui/fields' editor for its type (people, groups, multi-select, cascading, sprint, estimates...)
	kindUnsupported                  // a type jiffy cannot fill in
)

// formField is one field of the transition form. Every value becomes a
// jiraclient.FieldValue, sent through EncodeChanges (TransitionInput.Values).
type formField struct {
	meta   jiraclient.FieldMeta
	kind   fieldKind
	choice int // kindPick: index into meta.AllowedValues, -1 none
	list   picker
	open   bool // kindPick: the list of values is open; kindEditor: the editor
	text   textinput.Model
	area   textarea.Model
	ed     *fields.Editor        // kindEditor, while open
	value  jiraclient.FieldValue // kindEditor: the value given
	set    bool
	err    string // Jira's (or our own) complaint, drawn beside the field
}

// form is a transition's screen: the fields Jira must have first (marked),
// then the screen's optional fields, empty, and the comment last. Only the
// fields given a value are sent: Jira keeps the others' values.
type form struct {
	fields []*formField
	focus  int
	top    int            // the first line drawn when the form is taller than its room
	c      *common.Common // for the editors
	scope  fields.Scope
	width  int
}

// required reports whether Jira wants a value for m in the form: required
// with no default of its own.
func required(m jiraclient.FieldMeta) bool { return m.Required && !m.HasDefault }

// needsForm reports whether Jira wants values before moving through t: a
// required field with no default.
func needsForm(t jiraclient.Transition) bool {
	for id, f := range t.Fields {
		if f.Required && !f.HasDefault && id != "comment" {
			return true
		}
	}
	return false
}

// hasComment reports whether t's screen takes a comment.
func hasComment(t jiraclient.Transition) bool {
	_, ok := t.Fields["comment"]
	return ok
}

// newForm builds t's form: every field of its screen jiffy can fill in,
// and also the fields Jira complained about (shown even when jiffy cannot
// fill them in, to say so).
func newForm(c *common.Common, scope fields.Scope, t jiraclient.Transition, also ...string) *form {
	st := c.Styles
	var ids []string
	for id, f := range t.Fields {
		if required(f) || id == "comment" || slices.Contains(also, id) || kindOf(id, f) != kindUnsupported {
			ids = append(ids, id)
		}
	}
	// The fields Jira wants first, resolution first among them (it is what a
	// "Done" screen is about), the comment last, the rest by name.
	wanted := func(id string) bool { return required(t.Fields[id]) || slices.Contains(also, id) }
	rank := func(id string) int {
		switch {
		case id == "comment":
			return 4
		case id == "resolution" && wanted(id):
			return 0
		case wanted(id):
			return 1
		case id == "resolution":
			return 2
		}
		return 3
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		if t.Fields[a].Name != t.Fields[b].Name {
			return t.Fields[a].Name < t.Fields[b].Name
		}
		return a < b
	})
	f := &form{c: c, scope: scope, width: 60}
	for _, id := range ids {
		meta := t.Fields[id]
		if meta.ID == "" {
			meta.ID = id
		}
		if meta.Name == "" {
			meta.Name = id
		}
		ff := &formField{meta: meta, choice: -1, kind: kindOf(id, meta)}
		switch ff.kind {
		case kindPick:
			ff.list = newPicker(st, "filter "+strings.ToLower(meta.Name))
			items := make([]item, len(meta.AllowedValues))
			for i, v := range meta.AllowedValues {
				items[i] = item{label: valueName(v)}
			}
			if !wanted(id) {
				// The way back to sending nothing for it, last so the
				// entries keep AllowedValues' indices.
				items = append(items, item{label: leaveAsIs})
			}
			ff.list.setItems(items)
		case kindText:
			ff.text = textinput.New()
			ff.text.Prompt = ""
			ff.text.Placeholder = meta.Schema.Type
			if meta.Schema.Type == "string" {
				ff.text.Placeholder = "text"
			}
			if k := meta.Kind(); k == jiraclient.FieldDate || k == jiraclient.FieldLabels || k == jiraclient.FieldDateTime {
				ff.text.Placeholder = map[jiraclient.FieldKind]string{jiraclient.FieldDate: "2006-01-02",
					jiraclient.FieldDateTime: "2006-01-02 15:04", jiraclient.FieldLabels: "labels separated by spaces"}[k]
			}
			restyleInput(&ff.text, st)
		case kindComment:
			ff.area = textarea.New()
			ff.area.ShowLineNumbers = false
			ff.area.Placeholder = "optional comment (Markdown)"
			ff.area.SetHeight(3)
			s := st.TextArea()
			s.Cursor.Blink = false
			ff.area.SetStyles(s)
		}
		f.fields = append(f.fields, ff)
	}
	f.focusOn(0)
	// The first value list opens at once: on a "Done" screen the next key
	// is the resolution.
	if len(f.fields) > 0 && f.fields[0].kind == kindPick && wanted(f.fields[0].meta.ID) {
		f.fields[0].open = true
	}
	return f
}

// leaveAsIs is the last entry of an optional field's value list: choosing
// it sends nothing for the field.
const leaveAsIs = "(leave as it is)"

func kindOf(id string, m jiraclient.FieldMeta) fieldKind {
	switch k := m.Kind(); {
	case id == "comment":
		return kindComment
	case len(m.AllowedValues) > 0 && (k == jiraclient.FieldOption || k == jiraclient.FieldNamed ||
		k == jiraclient.FieldVersion || k == jiraclient.FieldString || k == jiraclient.FieldOther):
		return kindPick // one value from a short list: the list opens in the form
	case !fields.Has(m):
		return kindUnsupported
	case fields.Typed(m):
		return kindText
	}
	return kindEditor
}

// valueName is what an allowed value is called on screen.
func valueName(v jiraclient.AllowedValue) string {
	switch {
	case v.Name != "":
		return v.Name
	case v.Value != "":
		return v.Value
	}
	return v.ID
}

// focusOn moves the focus to field i (clamped), blurring the others.
func (f *form) focusOn(i int) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	f.focus = max(0, min(len(f.fields)-1, i))
	var cmd tea.Cmd
	for n, ff := range f.fields {
		ff.open = ff.open && n == f.focus
		switch ff.kind {
		case kindText:
			if n == f.focus {
				cmd = ff.text.Focus()
			} else {
				ff.text.Blur()
			}
		case kindComment:
			if n == f.focus {
				cmd = ff.area.Focus()
			} else {
				ff.area.Blur()
			}
		}
	}
	return cmd
}

// focused is the field with the focus, or nil for an empty form.
func (f *form) focused() *formField {
	if f.focus < 0 || f.focus >= len(f.fields) {
		return nil
	}
	return f.fields[f.focus]
}

// listOpen reports whether the focused field's value list is open.
func (f *form) listOpen() bool {
	if f == nil {
		return false
	}
	ff := f.focused()
	return ff != nil && ff.kind == kindPick && ff.open
}

// editorOpen reports whether the focused field's editor is open: it then
// takes every key (editorKey).
func (f *form) editorOpen() bool {
	if f == nil {
		return false
	}
	ff := f.focused()
	return ff != nil && ff.kind == kindEditor && ff.open && ff.ed != nil
}

// openFocused opens the focused field's value list or editor.
func (f *form) openFocused() tea.Cmd {
	ff := f.focused()
	if ff == nil {
		return nil
	}
	switch ff.kind {
	case kindPick:
		ff.open = true
	case kindEditor:
		ff.open = true
		ff.ed = fields.NewEditor(f.c, ff.meta, ff.value, f.scope)
		ff.ed.SetWidth(f.width)
		if ff.err != "" && ff.err != "required" {
			ff.ed.SetError(ff.err)
		}
		return ff.ed.Init()
	}
	return nil
}

// editorKey hands a key to the open editor; its value is kept when done.
func (f *form) editorKey(msg tea.KeyPressMsg) tea.Cmd {
	ff := f.focused()
	cmd, out := ff.ed.Update(msg)
	switch out {
	case fields.Done:
		ff.value, ff.set, ff.err = ff.ed.Value(), true, ""
		ff.open, ff.ed = false, nil
	case fields.Back:
		ff.open, ff.ed = false, nil
	}
	return cmd
}

// answer hands an open editor the answers of its searches.
func (f *form) answer(msg tea.Msg) tea.Cmd {
	if !f.editorOpen() {
		return nil
	}
	cmd, _ := f.focused().ed.Update(msg)
	return cmd
}

// field is the field with id, or nil.
func (f *form) field(id string) *formField {
	for _, ff := range f.fields {
		if ff.meta.ID == id {
			return ff
		}
	}
	return nil
}

// choose takes the highlighted value of the open list and closes it.
func (f *form) choose() {
	ff := f.focused()
	if ff == nil || ff.kind != kindPick {
		return
	}
	if i := ff.list.selected(); i >= 0 {
		ff.choice = i
		if i >= len(ff.meta.AllowedValues) { // leaveAsIs
			ff.choice = -1
		}
		ff.err = ""
	}
	ff.open = false
}

// check marks the required fields that have no value and returns the
// index of the first one, or -1 when the form may be sent.
func (f *form) check() int {
	first := -1
	for i, ff := range f.fields {
		missing := false
		switch ff.kind {
		case kindPick:
			missing = required(ff.meta) && ff.choice < 0
		case kindText:
			v := strings.TrimSpace(ff.text.Value())
			missing = required(ff.meta) && v == ""
			if _, err := fields.Parse(ff.meta, v); v != "" && err != nil {
				ff.err = err.Error()
				if first < 0 {
					first = i
				}
				continue
			}
		case kindEditor:
			missing = required(ff.meta) && (!ff.set || ff.value.Empty())
		case kindComment:
			missing = required(ff.meta) && strings.TrimSpace(ff.area.Value()) == ""
		case kindUnsupported:
			if required(ff.meta) {
				ff.err = "jiffy cannot fill in a " + ff.meta.Schema.Type + " field: use Jira in the browser for this transition"
				if first < 0 {
					first = i
				}
				continue
			}
		}
		if missing {
			ff.err = "required"
			if first < 0 {
				first = i
			}
		}
	}
	return first
}

// values are the screen's fields given a value, as typed changes for
// TransitionInput.Values (jiraclient's EncodeChanges writes Jira's JSON),
// the comment apart, and the chosen resolution's name for the optimistic
// patch. Fields left empty are not sent.
func (f *form) values() (changes []jiraclient.FieldChange, comment, resolution string) {
	add := func(ff *formField, v jiraclient.FieldValue) {
		changes = append(changes, jiraclient.FieldChange{ID: ff.meta.ID, Schema: ff.meta.Schema, Op: "set", Value: v})
	}
	for _, ff := range f.fields {
		switch ff.kind {
		case kindPick:
			if ff.choice >= 0 {
				v := ff.meta.AllowedValues[ff.choice]
				add(ff, fields.Chosen(ff.meta, v))
				if ff.meta.ID == "resolution" {
					resolution = valueName(v)
				}
			}
		case kindText:
			if v, err := fields.Parse(ff.meta, ff.text.Value()); err == nil && !v.Empty() {
				add(ff, v)
			}
		case kindEditor:
			if ff.set && !ff.value.Empty() {
				add(ff, ff.value)
			}
		case kindComment:
			comment = strings.TrimSpace(ff.area.Value())
		}
	}
	return changes, comment, resolution
}

// setErrors puts Jira's per-field errors beside their fields and returns
// the ones that have no field here.
func (f *form) setErrors(errs map[string]string) map[string]string {
	for _, ff := range f.fields {
		ff.err = ""
	}
	rest := map[string]string{}
	first := -1
	for id, msg := range errs {
		if ff := f.field(id); ff != nil {
			ff.err = msg
			for i := range f.fields {
				if f.fields[i] == ff && (first < 0 || i < first) {
					first = i
				}
			}
			continue
		}
		rest[id] = msg
	}
	if first >= 0 {
		f.focusOn(first)
	}
	return rest
}

// update hands typed text to the focused field.
func (f *form) update(msg tea.Msg) tea.Cmd {
	ff := f.focused()
	if ff == nil {
		return nil
	}
	var cmd tea.Cmd
	switch ff.kind {
	case kindPick:
		if ff.open {
			cmd = ff.list.update(msg)
		}
	case kindText:
		before := ff.text.Value()
		ff.text, cmd = ff.text.Update(msg)
		if ff.text.Value() != before {
			ff.err = ""
		}
	case kindComment:
		ff.area, cmd = ff.area.Update(msg)
	}
	return cmd
}

// view draws the fields in width cells and at most height lines (0: no
// bound); listRows bounds an open list. A form taller than height scrolls
// to keep the focused field, its list or editor included, in sight.
func (f *form) view(st common.Styles, width, listRows, height int) string {
	f.width = width
	labelW := 0
	for _, ff := range f.fields {
		labelW = max(labelW, lipgloss.Width(ff.meta.Name)+2)
	}
	labelW = min(labelW, width/3)
	valueW := max(width-labelW-1, 8)
	var lines []string
	fstart, fend := 0, 0 // the focused field's lines
	for i, ff := range f.fields {
		if i == f.focus {
			fstart = len(lines)
		}
		name := ff.meta.Name
		if required(ff.meta) {
			name += " *"
		}
		name = ansi.Truncate(name, labelW, "…")
		name += strings.Repeat(" ", max(0, labelW-lipgloss.Width(name)))
		ls := st.Label
		if i == f.focus {
			ls = st.Title
		}
		label := ls.Render(name) + " "
		pad := strings.Repeat(" ", labelW+1)
		switch ff.kind {
		case kindPick:
			v := st.Muted.Render("(choose)")
			if ff.choice >= 0 {
				v = st.Text.Render(valueName(ff.meta.AllowedValues[ff.choice]))
			}
			if i == f.focus && !ff.open {
				v = st.Selected.Render(ansi.Strip(v) + " ▾")
			} else {
				v += st.Muted.Render(" ▾")
			}
			if room := valueW - lipgloss.Width(v) - 2; ff.err != "" && lipgloss.Width(ff.err) <= room {
				lines = append(lines, label+v+"  "+st.FieldError.Render(ff.err))
			} else {
				lines = append(lines, label+v)
				if ff.err != "" {
					lines = append(lines, pad+wrap(st.FieldError, ff.err, valueW))
				}
			}
			if ff.open {
				for _, l := range strings.Split(ff.list.view(st, valueW, listRows), "\n") {
					lines = append(lines, pad+l)
				}
			}
		case kindText:
			ff.text.SetWidth(max(valueW-2, 4))
			lines = append(lines, label+ff.text.View())
			if ff.err != "" {
				lines = append(lines, pad+st.FieldError.Render(ff.err))
			}
		case kindComment:
			ff.area.SetWidth(valueW)
			for n, l := range strings.Split(ff.area.View(), "\n") {
				if n == 0 {
					lines = append(lines, label+l)
				} else {
					lines = append(lines, pad+l)
				}
			}
			if ff.err != "" {
				lines = append(lines, pad+st.FieldError.Render(ff.err))
			}
		case kindEditor:
			v := st.Muted.Render("(choose)")
			if ff.set && !ff.value.Empty() {
				v = st.Text.Render(ansi.Truncate(fields.Summary(ff.value), max(valueW-4, 4), "…"))
			}
			if i == f.focus && !ff.open {
				v = st.Selected.Render(ansi.Strip(v) + " ▾")
			} else {
				v += st.Muted.Render(" ▾")
			}
			lines = append(lines, label+v)
			if ff.err != "" {
				lines = append(lines, pad+wrap(st.FieldError, ff.err, valueW))
			}
			if ff.open && ff.ed != nil {
				ff.ed.SetWidth(valueW)
				for _, l := range ff.ed.View(listRows + 4) {
					lines = append(lines, pad+l)
				}
			}
		case kindUnsupported:
			lines = append(lines, label+st.Muted.Render("("+ff.meta.Schema.Type+": not editable here)"))
			if ff.err != "" {
				lines = append(lines, pad+wrap(st.FieldError, ff.err, valueW))
			}
		}
		if i == f.focus {
			fend = len(lines)
		}
	}
	return strings.Join(f.scroll(st, lines, fstart, fend, height), "\n")
}

// scroll keeps the lines [start, end) of the focused field in a window of
// height lines, with a line above and below saying that more is there.
func (f *form) scroll(st common.Styles, lines []string, start, end, height int) []string {
	if height <= 0 || len(lines) <= height {
		f.top = 0
		return lines
	}
	rows := max(height-2, 1)
	switch {
	case end-start > rows || start < f.top:
		f.top = start
	case end > f.top+rows:
		f.top = end - rows
	}
	f.top = max(0, min(f.top, len(lines)-rows))
	above, below := st.Muted.Render("↑ more above"), st.Muted.Render("↓ more below")
	switch {
	case f.top == 0: // no line above: one more below
		return append(slices.Clone(lines[:height-1]), below)
	case len(lines)-f.top <= height-1: // the end in sight: no line below
		return append([]string{above}, lines[len(lines)-(height-1):]...)
	}
	out := append([]string{above}, lines[f.top:f.top+rows]...)
	return append(out, below)
}

// typing tells k which text input has the focus, if any: the open value
// list's filter, a text field or the comment.
func (f *form) typing(k *KeyMap) {
	ff := f.focused()
	switch {
	case ff == nil:
	case ff.kind == kindPick && ff.open:
		k.typingIn(ff.list.filter())
	case ff.kind == kindEditor && ff.open:
		k.typingIn("open") // the editor takes every key
	case ff.kind == kindText:
		k.typingIn(ff.text.Value())
	case ff.kind == kindComment:
		k.typingIn(ff.area.Value())
	}
}
