package compose

import (
	"context"
	"strconv"
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

// extraField is a required field of the create screen with no default:
// a text input, or a choice among Jira's allowed values.
type extraField struct {
	meta   jiraclient.FieldMeta
	in     textinput.Model
	choice string // allowed value id, or the user id for a user field
	label  string // what the choice shows
}

func (f *extraField) picks() bool { return len(f.meta.AllowedValues) > 0 }

func (f *extraField) isUser() bool {
	return f.meta.Schema.Type == "user" || (f.meta.Schema.Type == "array" && f.meta.Schema.Items == "user")
}

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
	for _, f := range m.extras {
		f.in.SetWidth(iw)
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
		k.Project.SetEnabled(m.st == createPickType)
	case createForm:
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
		k.Pick.SetEnabled(m.focus >= 2 && m.extras[m.focus-2].picks())
		k.Project.SetEnabled(true)
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
	dr := config.Draft{Key: createKey(m.project), Text: m.desc.Value(), Error: errText, Saved: m.d.now().UTC(), Fields: map[string]string{}}
	if v := m.summary.Value(); v != "" {
		dr.Fields["summary"] = v
	}
	for _, f := range m.extras {
		if !f.picks() && !f.isUser() && f.in.Value() != "" {
			dr.Fields["f:"+f.meta.ID] = f.in.Value()
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
		sel := m.typeID
		if dr, ok := m.drafts.store.Get(createKey(m.project)); ok && sel == "" {
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
		if m.st == createForm && m.pick == nil {
			return m.edit(msg)
		}
	}
	return nil
}

// buildForm lays out the create screen: summary, description, and the
// required fields without a default that jiffy can fill in.
func (m *Create) buildForm(fields []jiraclient.FieldMeta) {
	m.extras = nil
	skip := map[string]bool{"summary": true, "description": true, "project": true, "issuetype": true}
	for _, fm := range fields {
		if !fm.Required || fm.HasDefault || skip[fm.ID] {
			continue
		}
		f := &extraField{meta: fm, in: newInput(m.c, placeholderFor(fm))}
		f.in.SetWidth(max(m.b.w-labelW-1, 10))
		if f.isUser() && m.c.Me != nil {
			f.choice, f.label = m.c.Me.ID(), m.c.Me.DisplayName+" (you)"
		}
		m.extras = append(m.extras, f)
	}
	m.st, m.pick, m.err, m.fieldErr = createForm, nil, nil, nil
	if dr, ok := m.drafts.store.Get(createKey(m.project)); ok && !isEmptyDraft(dr) {
		m.summary.SetValue(dr.Fields["summary"])
		m.desc.SetValue(dr.Text)
		if dr.Fields["issuetype"] == m.typeID {
			for _, f := range m.extras {
				if v, ok := dr.Fields["f:"+f.meta.ID]; ok {
					f.in.SetValue(v)
				}
			}
		}
		m.restored = restoredNote(dr)
	}
	m.setFocus(0)
}

func placeholderFor(fm jiraclient.FieldMeta) string {
	switch {
	case fm.Schema.Type == "user":
		return "account id or username"
	case fm.Schema.Type == "issuelink" || fm.ID == "parent":
		return "issue key, e.g. ABC-12"
	case fm.Schema.Type == "array":
		return "values separated by commas"
	case fm.Schema.Type == "number":
		return "a number"
	case fm.Schema.Type == "date":
		return "YYYY-MM-DD"
	}
	return ""
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
	for _, f := range m.extras {
		f.in.Blur()
	}
	switch {
	case m.focus == 0:
		m.summary.Focus()
	case m.focus == 1:
		m.desc.Focus()
	default:
		if f := m.extras[m.focus-2]; !f.picks() && !(f.isUser() && f.choice != "") {
			f.in.Focus()
		}
	}
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
		if key.Matches(msg, m.keys.Project) && m.st == createPickType {
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
	if m.pick != nil {
		it, back, cmd := m.pick.key(msg)
		if it != nil && m.focus >= 2 {
			f := m.extras[m.focus-2]
			f.choice, f.label = it.id, it.label
			m.pick = nil
		} else if back {
			m.pick = nil
		}
		return cmd
	}
	switch {
	case key.Matches(msg, m.keys.Send):
		return m.save()
	case key.Matches(msg, m.keys.Close):
		return m.close()
	case key.Matches(msg, m.keys.Project):
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
		f := m.extras[m.focus-2]
		if f.picks() {
			items := make([]pickItem, len(f.meta.AllowedValues))
			for i, v := range f.meta.AllowedValues {
				items[i] = pickItem{id: v.ID, label: firstNonEmpty(v.Name, v.Value, v.ID)}
			}
			p := newPicker(m.c, f.meta.Name, items, f.choice)
			m.pick = &p
			return nil
		}
		if f.isUser() && f.choice != "" && key.Matches(msg, m.keys.Retype) {
			f.choice, f.label = "", "" // type someone else's id instead
			f.in.Focus()
			return nil
		}
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
	default:
		f := m.extras[m.focus-2]
		if f.picks() || (f.isUser() && f.choice != "") {
			return nil
		}
		before := f.in.Value()
		f.in, cmd = f.in.Update(msg)
		if f.in.Value() != before {
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

// values turns the extra fields into what Jira takes; problems found here
// are field errors, nothing is sent.
func (m *Create) values(flavor jiraclient.Flavor) (map[string]any, map[string]string) {
	out := map[string]any{}
	bad := map[string]string{}
	userRef := func(id string) map[string]string {
		if flavor == jiraclient.FlavorCloud {
			return map[string]string{"accountId": id}
		}
		return map[string]string{"name": id}
	}
	for _, f := range m.extras {
		id, v := f.meta.ID, strings.TrimSpace(f.in.Value())
		arr := f.meta.Schema.Type == "array"
		switch {
		case f.picks():
			if f.choice == "" {
				bad[id] = "Choose a value."
				continue
			}
			if arr {
				out[id] = []map[string]string{{"id": f.choice}}
			} else {
				out[id] = map[string]string{"id": f.choice}
			}
		case f.isUser():
			uid := f.choice
			if uid == "" {
				uid = v
			}
			if uid == "" {
				bad[id] = "Enter an account id or username."
				continue
			}
			if arr {
				out[id] = []map[string]string{userRef(uid)}
			} else {
				out[id] = userRef(uid)
			}
		case v == "":
			bad[id] = "Required."
		case f.meta.Schema.Type == "issuelink" || id == "parent":
			out[id] = map[string]string{"key": strings.ToUpper(v)}
		case arr:
			out[id] = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
		case f.meta.Schema.Type == "number":
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				bad[id] = "Enter a number."
				continue
			}
			out[id] = n
		default:
			out[id] = v
		}
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
	fields, bad := m.values(cl.Flavor())
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
	in := jiraclient.IssueCreate{Project: m.project, IssueTypeID: m.typeID, Summary: summary, Description: m.desc.Value(), Fields: fields}
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
	return tea.Batch(m.drafts.drop(createKey(m.project)),
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
