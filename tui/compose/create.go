package compose

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
	"github.com/jiffy-tui/jiffy/tui/store"
)

type createState int

const (
	createLoading createState = iota // projects, issue types or fields on their way
	createLoadErr
	createPickProject
	createPickType
	createForm
	createSaving
)

type (
	projectsMsg struct {
		id       uint64
		projects []jiraclient.Project
		err      error
	}
	typesMsg struct {
		id    uint64
		types []jiraclient.IssueType
		err   error
	}
	createFieldsMsg struct {
		id     uint64
		fields []jiraclient.FieldMeta
		err    error
	}
	createdMsg struct {
		id    uint64
		ref   jiraclient.IssueRef
		err   error
		found bool // the answer was lost and the read-back found the issue
	}
)

// extraField is a field of the create screen besides the summary and
// description: every field the issue type requires without a default, then
// the common optional ones (priority, assignee, labels, components, fix
// versions, parent). Its value is edited by tui/fields' editor for its
// type; only fields given a value are sent.
type extraField struct {
	meta     jiraclient.FieldMeta
	value    jiraclient.FieldValue
	set      bool // the user (or jiffy, for a required person) gave a value
	optional bool
}

// editorKeys is the help while a field's editor is open: its keys, and
// ctrl+s, which takes its value and creates the issue.
type editorKeys struct {
	fields.Keys
	send key.Binding
}

// ShortHelp is the footer.
func (k editorKeys) ShortHelp() []key.Binding { return append(k.Keys.ShortHelp(), k.send) }

// FullHelp is the help screen.
func (k editorKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// commonOptional are the optional fields the create form offers.
var commonOptional = []string{"priority", "assignee", "labels", "components", "fixVersions", "parent"}

// Create is the create-issue form (`C`): project, issue type, then
// summary, description and the fields Jira requires without a default.
type Create struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	d     Deps
	keys  KeyMap
	id    uint64

	st      createState
	started bool
	loading string // what is being loaded, for the spinner line
	waiting uint64
	retry   func() tea.Cmd

	project  string
	projName string
	projects []jiraclient.Project
	types    []jiraclient.IssueType
	typeID   string
	typeName string
	pick     *picker
	summary  textinput.Model
	desc     textarea.Model
	extras   []*extraField
	ed       *fields.Editor // the focused extra field's editor, when open
	focus    int
	drafts   draftKeeper
	spin     spinner.Model
	b        box
	err      error
	fieldErr map[string]string
	notice   string
	// unsureSince is when a create began whose outcome stayed unknown
	// after its read-back; the next save looks for the issue first.
	unsureSince time.Time
	restored    string
	exec        *editorRun
	restoreDr   *config.Draft // the draft to apply once the form is built
	parent      string        // NewSubtask: the parent's key (only sub-task types offered)
}

// NewCreate opens the create form for project ("" starts with the project
// list). It loads first: call Init (OpenCreate does) or it starts on its
// first message.
func NewCreate(c *common.Common, d Deps, project string) common.Overlay {
	m := &Create{c: c, owner: common.Owner("create"), d: d, keys: newKeyMap(c.Keys), id: nextID(), project: strings.TrimSpace(project)}
	m.summary = newInput(c, "a one-line summary")
	m.summary.CharLimit = 255
	m.desc = newTextarea(c, "Describe the issue in Markdown (optional).")
	m.desc.Blur()
	m.drafts = newDraftKeeper(d)
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.SetSize(c.Width, c.Height)
	return m
}

// NewSubtask opens the create form for a sub-task of parent (S in the
// detail): only the project's sub-task types are offered (the one there
// is, chosen at once) and the parent field is filled in.
func NewSubtask(c *common.Common, d Deps, parent jiraclient.Issue) common.Overlay {
	project := parent.Project
	if project == "" {
		if i := strings.LastIndexByte(parent.Key, '-'); i > 0 {
			project = parent.Key[:i]
		}
	}
	m := NewCreate(c, d, project).(*Create)
	m.parent = parent.Key
	return m
}

// OpenCreate is a Cmd opening the create form and starting its load.
func OpenCreate(c *common.Common, d Deps, project string) tea.Cmd {
	m := NewCreate(c, d, project).(*Create)
	return tea.Batch(common.OpenOverlay(m), m.Init())
}

// Init starts loading what the first step needs.
func (m *Create) Init() tea.Cmd {
	m.started = true
	if m.project == "" {
		return m.loadProjects()
	}
	return m.loadTypes()
}

func (m *Create) begin(what string, retry func() tea.Cmd) uint64 {
	m.st, m.loading, m.err, m.retry = createLoading, what, nil, retry
	m.waiting = nextID()
	return m.waiting
}

// The loads go through the store's request helper under the overlay's
// owner: closing the form cancels them, and an expired login is held and
// sent again after the sign-in.

func (m *Create) loadProjects() tea.Cmd {
	id := m.begin("Loading projects…", m.loadProjects)
	return tea.Batch(m.spin.Tick, m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return projectsMsg{id: id, err: errNoClient}, nil
		}
		ps, err := cl.Projects(ctx, "")
		return projectsMsg{id: id, projects: ps, err: err}, err
	}))
}

func (m *Create) loadTypes() tea.Cmd {
	id := m.begin("Loading the issue types of "+m.project+"…", m.loadTypes)
	project := m.project
	return tea.Batch(m.spin.Tick, m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return typesMsg{id: id, err: errNoClient}, nil
		}
		ts, err := cl.CreateMetaIssueTypes(ctx, project)
		return typesMsg{id: id, types: ts, err: err}, err
	}))
}

func (m *Create) loadFields() tea.Cmd {
	id := m.begin("Loading the fields of a "+m.typeName+" in "+m.project+"…", m.loadFields)
	project, typ := m.project, m.typeID
	return tea.Batch(m.spin.Tick, m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return createFieldsMsg{id: id, err: errNoClient}, nil
		}
		fs, err := cl.CreateMetaFields(ctx, project, typ)
		return createFieldsMsg{id: id, fields: fs, err: err}, err
	}))
}

// Close cancels the loads still out (common.Closer); a save goes on.
func (m *Create) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen area the dialog is drawn in.
func (m *Create) SetSize(w, h int) {
	m.b = dialogBox(m.c.Styles, w, h)
	iw := max(m.b.w-labelW-1, 10) // the cursor takes a cell past the text
	m.summary.SetWidth(iw)
	if m.ed != nil {
		m.ed.SetWidth(m.b.w)
	}
	m.desc.SetWidth(m.b.w)
	m.layout()
}

func (m *Create) layout() {
	if m.st != createForm && m.st != createSaving {
		return
	}
	other := 4 + len(splitLines(m.footer())) + len(m.extras) + 2
	for _, e := range m.fieldErr {
		if e != "" {
			other++
		}
	}
	m.desc.SetHeight(max(m.b.h-other, 3))
}

// KeyView is the keymap registry view help lists (tui/keys): a value
// list's while one is open, else the editors'.
func (m *Create) KeyView() string { return keyView(m.pick != nil) }

// KeyMap is the help for the current state.
func (m *Create) KeyMap() help.KeyMap {
	k := m.keys
	k.disableAll()
	switch m.st {
	case createLoading:
		k.Close.SetEnabled(true)
		k.Close.SetHelp(k.Close.Help().Key, "close")
	case createLoadErr:
		k.Reload.SetEnabled(true)
		k.Reload.SetHelp(k.Reload.Help().Key, "try again")
		k.Close.SetEnabled(true)
		k.Close.SetHelp(k.Close.Help().Key, "close")
	case createPickProject, createPickType:
		k.Up.SetEnabled(true)
		k.Down.SetEnabled(true)
		k.Choose.SetEnabled(true)
		k.Choose.SetHelp(k.Choose.Help().Key, "choose")
		k.Close.SetEnabled(true)
		k.Close.SetHelp(k.Close.Help().Key, "close")
		k.Project.SetEnabled(m.st == createPickType && m.parent == "")
	case createForm:
		if m.ed != nil {
			k := m.ed.KeyMap()
			k.Choose.SetHelp("enter", "done")
			send := m.keys.Send
			send.SetEnabled(true)
			send.SetHelp("ctrl+s", "create")
			return editorKeys{k, send}
		}
		if m.pick != nil {
			k.Up.SetEnabled(true)
			k.Down.SetEnabled(true)
			k.Choose.SetEnabled(true)
			k.Choose.SetHelp(k.Choose.Help().Key, "choose")
			k.Back.SetEnabled(true)
			break
		}
		k.Send.SetEnabled(true)
		k.Send.SetHelp(k.Send.Help().Key, "create")
		k.Next.SetEnabled(true)
		k.Editor.SetEnabled(m.focus == 1)
		k.Pick.SetEnabled(m.focus >= 2)
		k.Pick.SetHelp("enter", "edit the field")
		k.Project.SetEnabled(m.parent == "")
		k.Close.SetEnabled(true)
	}
	return k
}

// SaveDraft keeps the form in the draft store and writes it now.
func (m *Create) SaveDraft() error {
	dr := m.draft("")
	if dr.Key == "" {
		return nil
	}
	if isEmptyDraft(dr) {
		m.drafts.store.Delete(dr.Key)
	} else {
		m.drafts.store.Put(dr)
	}
	return m.drafts.store.Save()
}

// draft is the form: description as Text, the rest in Fields (the issue
// type only alongside something typed, so an untouched form leaves none).
func (m *Create) draft(errText string) config.Draft {
	if m.project == "" || (m.st != createForm && m.st != createSaving) {
		return config.Draft{}
	}
	dr := config.Draft{Key: m.draftKey(), Text: m.desc.Value(), Error: errText, Saved: m.d.now().UTC(), Fields: map[string]string{}}
	if v := m.summary.Value(); v != "" {
		dr.Fields["summary"] = v
	}
	for _, f := range m.extras {
		if !fields.Typed(f.meta) {
			continue
		}
		text := ""
		if f.set {
			text = fields.Text(f.value)
		}
		if m.ed != nil && m.ed.Field().ID == f.meta.ID {
			text, _ = m.ed.Text()
		}
		if text != "" {
			dr.Fields["f:"+f.meta.ID] = text
		}
	}
	if !isEmptyDraft(dr) {
		dr.Fields["issuetype"] = m.typeID
	}
	return dr
}

// Update handles keys, paste and the answers of its commands.
func (m *Create) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	var start tea.Cmd
	if !m.started {
		start = m.Init()
	}
	cmd := m.update(msg)
	m.layout()
	return m, tea.Batch(start, cmd)
}

func (m *Create) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.drafts.update(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.st != createLoading && m.st != createSaving {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case projectsMsg:
		if msg.id != m.waiting {
			return nil
		}
		if msg.err != nil {
			m.st, m.err = createLoadErr, msg.err
			return nil
		}
		m.projects = msg.projects
		items := make([]pickItem, len(msg.projects))
		for i, p := range msg.projects {
			items[i] = pickItem{id: p.Key, label: p.Key, detail: p.Name}
		}
		p := newPicker(m.c, "Project", items, m.project)
		m.pick, m.st = &p, createPickProject
		return nil
	case typesMsg:
		if msg.id != m.waiting {
			return nil
		}
		if msg.err != nil {
			m.st, m.err = createLoadErr, msg.err
			return nil
		}
		m.types = msg.types
		if m.parent != "" {
			var subs []jiraclient.IssueType
			for _, t := range msg.types {
				if t.Subtask {
					subs = append(subs, t)
				}
			}
			switch len(subs) {
			case 0:
				m.st, m.err = createLoadErr, errors.New(m.project+" has no sub-task type: a Jira admin adds one to the project's issue type scheme")
				return nil
			case 1:
				m.typeID, m.typeName = subs[0].ID, subs[0].Name
				return m.loadFields()
			}
			msg.types = subs
		}
		sel := m.typeID
		if dr, ok := m.drafts.store.Get(m.draftKey()); ok && sel == "" {
			sel = dr.Fields["issuetype"]
		}
		items := make([]pickItem, len(msg.types))
		for i, t := range msg.types {
			items[i] = pickItem{id: t.ID, label: t.Name}
			if t.Subtask {
				items[i].detail = "sub-task: needs a parent"
			}
		}
		p := newPicker(m.c, "Issue type in "+m.project, items, sel)
		m.pick, m.st = &p, createPickType
		return nil
	case createFieldsMsg:
		if msg.id != m.waiting {
			return nil
		}
		if msg.err != nil {
			m.st, m.err = createLoadErr, msg.err
			return nil
		}
		m.buildForm(msg.fields)
		return nil
	case createdMsg:
		if msg.id != m.waiting || m.st != createSaving {
			return nil
		}
		return m.created(msg)
	case editorDoneMsg:
		if msg.id != m.id {
			return nil
		}
		m.exec = nil
		if msg.err != nil {
			m.notice = msg.err.Error()
			return nil
		}
		m.desc.SetValue(msg.text)
		return m.changed()
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.st == createForm && m.ed != nil {
			cmd, _ := m.ed.Update(msg)
			return tea.Batch(cmd, m.changed())
		}
		if m.st == createForm && m.pick == nil {
			return m.edit(msg)
		}
	}
	if m.ed != nil {
		cmd, _ := m.ed.Update(msg) // its searches' answers
		return cmd
	}
	return nil
}

// buildForm lays out the create screen: summary, description, every
// field the type requires without a default (any type: tui/fields has an
// editor for each), then the common optional ones.
func (m *Create) buildForm(metas []jiraclient.FieldMeta) {
	m.extras, m.ed = nil, nil
	skip := map[string]bool{"summary": true, "description": true, "project": true, "issuetype": true}
	byID := map[string]jiraclient.FieldMeta{}
	for _, fm := range metas {
		byID[fm.ID] = fm
		if !fm.Required || fm.HasDefault || skip[fm.ID] {
			continue
		}
		f := &extraField{meta: fm, value: jiraclient.FieldValue{Kind: fm.Kind()}}
		if k := fm.Kind(); (k == jiraclient.FieldUser || k == jiraclient.FieldUsers) && m.c.Me != nil {
			f.value.Users, f.set = []jiraclient.User{*m.c.Me}, true
		}
		if fm.ID == "parent" && m.parent != "" {
			f.value.Issue, f.set = &jiraclient.IssueRef{Key: m.parent}, true
		}
		m.extras = append(m.extras, f)
	}
	for _, id := range commonOptional {
		fm, ok := byID[id]
		if !ok || fm.Required && !fm.HasDefault || !fields.Has(fm) {
			continue
		}
		m.extras = append(m.extras, &extraField{meta: fm, value: jiraclient.FieldValue{Kind: fm.Kind()}, optional: true})
	}
	m.st, m.pick, m.err, m.fieldErr = createForm, nil, nil, nil
	if dr, ok := m.drafts.store.Get(m.draftKey()); ok && !isEmptyDraft(dr) {
		m.summary.SetValue(dr.Fields["summary"])
		m.desc.SetValue(dr.Text)
		if dr.Fields["issuetype"] == m.typeID {
			for _, f := range m.extras {
				if t, ok := dr.Fields["f:"+f.meta.ID]; ok {
					if v, err := fields.Parse(f.meta, t); err == nil {
						f.value, f.set = v, true
					}
				}
			}
		}
		m.restored = restoredNote(dr)
	}
	m.setFocus(0)
}

// order is the fields top to bottom as focus indexes: 0 summary, 1
// description, 2.. the extra fields (drawn between the two).
func (m *Create) order() []int {
	o := []int{0}
	for i := range m.extras {
		o = append(o, i+2)
	}
	return append(o, 1)
}

// step moves the focus by delta fields in drawing order.
func (m *Create) step(delta int) {
	o := m.order()
	pos := 0
	for i, f := range o {
		if f == m.focus {
			pos = i
		}
	}
	m.setFocus(o[(pos+delta+len(o))%len(o)])
}

// setFocus focuses field i (0 summary, 1 description, 2.. the extras).
func (m *Create) setFocus(i int) {
	n := 2 + len(m.extras)
	m.focus = (i + n) % n
	m.summary.Blur()
	m.desc.Blur()
	switch {
	case m.focus == 0:
		m.summary.Focus()
	case m.focus == 1:
		m.desc.Focus()
	}
}

// openEditor opens the editor of the focused extra field.
func (m *Create) openEditor() tea.Cmd {
	f := m.extras[m.focus-2]
	cur := f.value
	if !f.set {
		cur = jiraclient.FieldValue{Kind: f.meta.Kind()}
	}
	m.ed = fields.NewEditor(m.c, f.meta, cur, fields.Scope{Project: m.project})
	m.ed.SetWidth(m.b.w)
	if e := m.fieldErr[f.meta.ID]; e != "" {
		m.ed.SetError(e)
	}
	return m.ed.Init()
}

// onEditor hands a key to the open editor and takes its value when done.
func (m *Create) onEditor(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Send) {
		// Sending with the editor open takes what it holds.
		if m.ed.Commit() != fields.Done {
			return nil
		}
		m.take()
		return m.save()
	}
	cmd, out := m.ed.Update(msg)
	switch out {
	case fields.Done:
		m.take()
	case fields.Back:
		m.ed = nil
	}
	return tea.Batch(cmd, m.changed())
}

// take keeps the open editor's value in its field and closes it.
func (m *Create) take() {
	f := m.extras[m.focus-2]
	f.value, f.set = m.ed.Value(), true
	delete(m.fieldErr, f.meta.ID)
	m.ed = nil
}

func (m *Create) onKey(msg tea.KeyPressMsg) tea.Cmd {
	switch m.st {
	case createLoading:
		if key.Matches(msg, m.keys.Close) {
			return tea.Batch(m.drafts.putNow(m.draft("")), common.CloseOverlay)
		}
		return nil
	case createLoadErr:
		switch {
		case key.Matches(msg, m.keys.Close):
			return common.CloseOverlay
		case key.Matches(msg, m.keys.Reload) && m.retry != nil:
			return m.retry()
		}
		return nil
	case createSaving:
		return nil
	case createPickProject, createPickType:
		if key.Matches(msg, m.keys.Project) && m.st == createPickType && m.parent == "" {
			return m.loadProjects()
		}
		it, back, cmd := m.pick.key(msg)
		switch {
		case back:
			return common.CloseOverlay
		case it == nil:
			return cmd
		case m.st == createPickProject:
			m.project, m.projName, m.typeID = it.id, it.detail, ""
			return m.loadTypes()
		default:
			m.typeID, m.typeName = it.id, it.label
			return m.loadFields()
		}
	}
	// The form.
	if m.ed != nil {
		return m.onEditor(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Send):
		return m.save()
	case key.Matches(msg, m.keys.Close):
		return m.close()
	case key.Matches(msg, m.keys.Project) && m.parent == "":
		cmd := m.drafts.putNow(m.draft(errText(m.err)))
		return tea.Batch(cmd, m.loadProjects())
	case key.Matches(msg, m.keys.Next):
		m.step(1)
		return nil
	case key.Matches(msg, m.keys.Prev):
		m.step(-1)
		return nil
	case m.focus == 1 && key.Matches(msg, m.keys.Editor):
		run, err := prepareEditor(editorCommand(m.d.Editor), m.desc.Value(), m.id, fieldDescription)
		if err != nil {
			m.notice = err.Error()
			return nil
		}
		m.exec = run
		return run.execCmd()
	case m.focus >= 2 && key.Matches(msg, m.keys.Pick):
		return m.openEditor()
	case m.focus >= 2 && fields.Typed(m.extras[m.focus-2].meta) && (msg.Text != "" || key.Matches(msg, m.c.Keys.Binding("editor.erase"))):
		// Typing on a text field's row starts its editor with the key.
		open := m.openEditor()
		cmd, _ := m.ed.Update(msg)
		return tea.Batch(open, cmd, m.changed())
	}
	return m.edit(msg)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (m *Create) edit(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.focus == 0:
		before := m.summary.Value()
		m.summary, cmd = m.summary.Update(msg)
		if m.summary.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
	case m.focus == 1:
		if ok, note := admit(&m.desc, msg); !ok {
			m.notice = note
			return nil
		}
		before := m.desc.Value()
		m.desc, cmd = m.desc.Update(msg)
		if m.desc.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
	}
	return cmd
}

func (m *Create) changed() tea.Cmd {
	m.restored, m.notice = "", ""
	dr := m.draft(errText(m.err))
	if dr.Key == "" {
		return nil
	}
	return m.drafts.put(dr)
}

func (m *Create) close() tea.Cmd {
	dr := m.draft(errText(m.err))
	cmds := []tea.Cmd{common.CloseOverlay}
	if dr.Key != "" {
		cmds = append(cmds, m.drafts.putNow(dr))
		if !isEmptyDraft(dr) {
			cmds = append(cmds, common.Notice(common.NoticeInfo, "New issue draft for "+m.project+" kept: press C to finish it"))
		}
	}
	return tea.Batch(cmds...)
}

// values are the extra fields given a value, as typed changes for
// jiraclient (whose EncodeChanges writes Jira's JSON); a required field
// left empty is a field error and nothing is sent.
func (m *Create) values() ([]jiraclient.FieldChange, map[string]string) {
	var out []jiraclient.FieldChange
	bad := map[string]string{}
	for _, f := range m.extras {
		if !f.set || f.value.Empty() {
			if !f.optional {
				bad[f.meta.ID] = "Required: press enter to fill it in."
			}
			continue
		}
		out = append(out, jiraclient.FieldChange{ID: f.meta.ID, Schema: f.meta.Schema, Op: "set", Value: f.value})
	}
	return out, bad
}

func (m *Create) save() tea.Cmd {
	cl := m.c.Client
	if cl == nil {
		m.err = errNoClient
		return nil
	}
	summary := strings.TrimSpace(m.summary.Value())
	values, bad := m.values()
	if summary == "" {
		bad["summary"] = "Every issue needs a summary."
	}
	if len(bad) > 0 {
		m.fieldErr, m.err = bad, nil
		return nil
	}
	m.err, m.fieldErr, m.notice = nil, nil, ""
	m.st = createSaving
	m.waiting = nextID()
	id := m.waiting
	in := jiraclient.IssueCreate{Project: m.project, IssueTypeID: m.typeID, Summary: summary, Description: m.desc.Value(), Values: values}
	unsure, sentAt := m.unsureSince, time.Now()
	if unsure.IsZero() {
		m.unsureSince = sentAt
	}
	// Through the store's request helper (see Comment.send): the error
	// beside the message is the last request's, for the store.
	return tea.Batch(m.spin.Tick, m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return createdMsg{id: id, err: errNoClient}, nil
		}
		if !unsure.IsZero() {
			// The last create's fate is unknown: it may exist already.
			found, ferr := cl.FindCreated(ctx, in.Project, in.Summary, time.Since(unsure))
			if ferr != nil {
				return createdMsg{id: id, err: &common.LostAnswerError{Err: ferr, Key: in.Project, Noun: "the new issue"}}, ferr
			}
			if found.Key != "" {
				return createdMsg{id: id, ref: found, found: true}, nil
			}
		}
		ref, err := cl.CreateIssue(ctx, in)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// Jira may have created it before the answer was lost: look
			// for it (this project, reported by me, since the send, the
			// same summary) with a deadline of its own.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			found, ferr := cl.FindCreated(rctx, in.Project, in.Summary, time.Since(sentAt))
			if ferr == nil && found.Key != "" {
				return createdMsg{id: id, ref: found, found: true}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: in.Project, Noun: "the new issue", Checked: ferr == nil}
		}
		return createdMsg{id: id, ref: ref, err: err}, seen
	}, func(err error) tea.Msg { return createdMsg{id: id, err: err} }))
}

func (m *Create) created(msg createdMsg) tea.Cmd {
	if !common.Unsettled(msg.err) {
		m.unsureSince = time.Time{}
	}
	if msg.err != nil {
		m.st, m.err = createForm, msg.err
		m.fieldErr = fieldErrors(msg.err)
		return m.drafts.putNow(m.draft(errText(msg.err)))
	}
	k := msg.ref.Key
	note := "Created " + k
	if msg.found {
		note += lostNote
	}
	return tea.Batch(m.drafts.drop(m.draftKey()),
		func() tea.Msg { return common.IssueCreatedMsg{Key: k} },
		common.Notice(common.NoticeSuccess, note),
		common.CloseOverlay)
}

// placed says which Jira field errors the form shows beside a field.
func (m *Create) placed() map[string]bool {
	p := map[string]bool{"summary": true, "description": true}
	for _, f := range m.extras {
		p[f.meta.ID] = true
	}
	return p
}

// draftKey is the form's draft: per project, or per parent for a
// sub-task (so the two forms never take each other's text).
func (m *Create) draftKey() string {
	if m.parent != "" {
		return createKey(m.parent)
	}
	return createKey(m.project)
}
