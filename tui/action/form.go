package action

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// fieldKind is how a transition-screen field is filled in.
type fieldKind int

const (
	kindPick        fieldKind = iota // one of the field's allowed values
	kindText                         // a string, number or date typed in
	kindComment                      // the optional comment (Markdown)
	kindUnsupported                  // a type jiffy cannot fill in (user, cascading select, ...)
)

// formField is one field of the transition form.
type formField struct {
	meta   jiraclient.FieldMeta
	kind   fieldKind
	choice int // kindPick: index into meta.AllowedValues, -1 none
	list   picker
	open   bool // kindPick: the list of values is open
	text   textinput.Model
	area   textarea.Model
	err    string // Jira's (or our own) complaint, drawn beside the field
}

// form is a transition's screen: its required fields and, when the screen
// has one, the comment. Optional fields other than the comment are left
// out: Jira keeps their values, and a short form is a fast one.
type form struct {
	fields []*formField
	focus  int
}

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

// newForm builds t's form; also names fields to show besides the required
// ones (those Jira complained about).
func newForm(st common.Styles, t jiraclient.Transition, also ...string) *form {
	var ids []string
	for id, f := range t.Fields {
		if (f.Required && !f.HasDefault) || id == "comment" || slices.Contains(also, id) {
			ids = append(ids, id)
		}
	}
	// Resolution first (it is what a "Done" screen is about), the comment
	// last, the rest by name.
	rank := func(id string) int {
		switch id {
		case "resolution":
			return 0
		case "comment":
			return 2
		}
		return 1
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return t.Fields[a].Name < t.Fields[b].Name
	})
	f := &form{}
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
			ff.list.setItems(items)
		case kindText:
			ff.text = textinput.New()
			ff.text.Prompt = ""
			ff.text.Placeholder = meta.Schema.Type
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
	if len(f.fields) > 0 && f.fields[0].kind == kindPick {
		f.fields[0].open = true
	}
	return f
}

func kindOf(id string, m jiraclient.FieldMeta) fieldKind {
	switch {
	case id == "comment":
		return kindComment
	case len(m.AllowedValues) > 0:
		return kindPick
	}
	switch m.Schema.Type {
	case "string", "number", "date", "datetime":
		return kindText
	case "array":
		if m.Schema.Items == "string" {
			return kindText
		}
	}
	return kindUnsupported
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

// encodeValue is how Jira wants an allowed value sent: by id when it has
// one, options by "value", the rest by "name"; in a list for array fields.
func encodeValue(m jiraclient.FieldMeta, v jiraclient.AllowedValue) any {
	var ref any
	switch {
	case v.ID != "":
		ref = map[string]string{"id": v.ID}
	case m.Schema.Type == "option" || m.Schema.Items == "option":
		ref = map[string]string{"value": valueName(v)}
	case m.Schema.Type == "string":
		ref = valueName(v)
	default:
		ref = map[string]string{"name": valueName(v)}
	}
	if m.Schema.Type == "array" {
		return []any{ref}
	}
	return ref
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
			missing = ff.meta.Required && ff.choice < 0
		case kindText:
			v := strings.TrimSpace(ff.text.Value())
			missing = ff.meta.Required && v == ""
			if v != "" && ff.meta.Schema.Type == "number" {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					ff.err = "a number, please"
					if first < 0 {
						first = i
					}
					continue
				}
			}
		case kindComment:
			missing = ff.meta.Required && strings.TrimSpace(ff.area.Value()) == ""
		case kindUnsupported:
			if ff.meta.Required {
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

// values are the screen's fields as DoTransition sends them, the comment
// apart, and the chosen resolution's name for the optimistic patch.
func (f *form) values() (fields map[string]any, comment, resolution string) {
	fields = map[string]any{}
	for _, ff := range f.fields {
		switch ff.kind {
		case kindPick:
			if ff.choice >= 0 {
				v := ff.meta.AllowedValues[ff.choice]
				fields[ff.meta.ID] = encodeValue(ff.meta, v)
				if ff.meta.ID == "resolution" {
					resolution = valueName(v)
				}
			}
		case kindText:
			v := strings.TrimSpace(ff.text.Value())
			if v == "" {
				continue
			}
			switch ff.meta.Schema.Type {
			case "number":
				n, _ := strconv.ParseFloat(v, 64)
				fields[ff.meta.ID] = n
			case "array":
				fields[ff.meta.ID] = strings.Fields(v)
			default:
				fields[ff.meta.ID] = v
			}
		case kindComment:
			comment = strings.TrimSpace(ff.area.Value())
		}
	}
	return fields, comment, resolution
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

// view draws the fields in width cells; listRows bounds an open list.
func (f *form) view(st common.Styles, width, listRows int) string {
	labelW := 0
	for _, ff := range f.fields {
		labelW = max(labelW, lipgloss.Width(ff.meta.Name)+2)
	}
	labelW = min(labelW, width/3)
	valueW := max(width-labelW-1, 8)
	var lines []string
	for i, ff := range f.fields {
		name := ff.meta.Name
		if ff.meta.Required {
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
		case kindUnsupported:
			lines = append(lines, label+st.Muted.Render("("+ff.meta.Schema.Type+": not editable here)"))
			if ff.err != "" {
				lines = append(lines, pad+wrap(st.FieldError, ff.err, valueW))
			}
		}
	}
	return strings.Join(lines, "\n")
}

// typing tells k which text input has the focus, if any: the open value
// list's filter, a text field or the comment.
func (f *form) typing(k *KeyMap) {
	ff := f.focused()
	switch {
	case ff == nil:
	case ff.kind == kindPick && ff.open:
		k.typingIn(ff.list.filter())
	case ff.kind == kindText:
		k.typingIn(ff.text.Value())
	case ff.kind == kindComment:
		k.typingIn(ff.area.Value())
	}
}
