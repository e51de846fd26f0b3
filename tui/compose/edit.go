package compose

import (
	"context"
	"slices"
	"sort"
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

// The fields the editor offers, when editmeta says they are editable.
const (
	fieldSummary     = "summary"
	fieldDescription = "description"
	fieldPriority    = "priority"
	fieldLabels      = "labels"
)

type editState int

const (
	editLoading  editState = iota // editmeta and the issue are on their way
	editLoadErr                   // they did not come: the error, retry or leave
	editForm                      // typing
	editChecking                  // re-reading the issue before saving text
	editConflict                  // the issue changed since it was opened
	editSaving                    // the change is on its way
)

type (
	// editLoadedMsg answers the load: what may be edited, and the issue as
	// Jira has it now (the base for the change and the conflict check).
	editLoadedMsg struct {
		id    uint64
		meta  map[string]jiraclient.FieldMeta
		issue *jiraclient.Issue
		err   error
	}
	// conflictCheckedMsg answers the re-read before saving.
	conflictCheckedMsg struct {
		id     uint64
		remote *jiraclient.Issue
		err    error
	}
	// editSavedMsg answers the save.
	editSavedMsg struct {
		id    uint64
		issue *jiraclient.Issue
		err   error
		found bool // the answer was lost and the read-back showed the change
	}
	labelTickMsg struct {
		id  uint64
		seq int
	}
	labelsMsg struct {
		id     uint64
		seq    int
		labels []string
		err    error
	}
)

// Edit is the field editor (`e`): summary, description, priority and
// labels, as far as Jira's editmeta allows.
type Edit struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	d     Deps
	keys  KeyMap
	id    uint64
	key   string
	shown jiraclient.Issue // the issue as the caller had it (title while loading)

	st      editState
	started bool
	loadID  uint64
	base    jiraclient.Issue // as Jira had it when the form opened
	meta    map[string]jiraclient.FieldMeta
	fields  []string
	focus   int

	summary textinput.Model
	desc    textarea.Model
	men     mentionBox
	// descBase is the base description as the text area holds it (it
	// turns tabs into spaces), so an untouched description is no change.
	descBase   string
	prio       string // priority id
	prioPick   *picker
	labels     []string
	labelIn    textinput.Model
	sugg       []string
	suggCur    int
	labelSeq   int
	labelDelay time.Duration

	drafts     draftKeeper
	spin       spinner.Model
	b          box
	err        error
	fieldErr   map[string]string
	notice     string
	restored   string
	confirming bool
	remote     *jiraclient.Issue // Jira's copy in a conflict
	overwrite  bool              // the user chose to save over a conflict
	waiting    uint64
	token      string
	exec       *editorRun
}

// NewEdit opens the field editor for issue. It loads editmeta and the
// issue first: call Init (OpenEdit does) or it starts on its first message.
func NewEdit(c *common.Common, d Deps, issue jiraclient.Issue) common.Overlay {
	m := &Edit{c: c, owner: common.Owner("edit"), d: d, keys: newKeyMap(c.Keys), id: nextID(), key: issue.Key, shown: issue, labelDelay: debounceDelay}
	m.summary = newInput(c, "a one-line summary")
	m.summary.CharLimit = 255 // Jira's limit for the summary
	m.desc = newTextarea(c, "Describe the issue in Markdown. @name mentions someone.")
	m.desc.Blur()
	m.labelIn = newInput(c, "add a label")
	m.men = newMentionBox(m.id)
	m.drafts = newDraftKeeper(d)
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.SetSize(c.Width, c.Height)
	return m
}

// OpenEdit is a Cmd opening the field editor and starting its load.
func OpenEdit(c *common.Common, d Deps, issue jiraclient.Issue) tea.Cmd {
	m := NewEdit(c, d, issue).(*Edit)
	return tea.Batch(common.OpenOverlay(m), m.Init())
}

// Init starts loading editmeta and the issue.
func (m *Edit) Init() tea.Cmd {
	m.started = true
	m.st = editLoading
	m.loadID = nextID()
	id, key := m.loadID, m.key
	return tea.Batch(m.spin.Tick, m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return editLoadedMsg{id: id, err: errNoClient}, nil
		}
		meta, err := cl.EditMeta(ctx, key)
		if err != nil {
			return editLoadedMsg{id: id, err: err}, err
		}
		is, err := cl.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
		return editLoadedMsg{id: id, meta: meta, issue: is, err: err}, err
	}))
}

// Close cancels the loads still out (common.Closer); a save goes on.
func (m *Edit) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen area the dialog is drawn in.
func (m *Edit) SetSize(w, h int) {
	m.b = dialogBox(m.c.Styles, w, h)
	iw := max(m.b.w-labelW-1, 10) // the cursor takes a cell past the text
	m.summary.SetWidth(iw)
	m.labelIn.SetWidth(max(iw/2, 10))
	m.desc.SetWidth(m.b.w)
	m.layout()
}

// labelW is the label column of the forms.
const labelW = 13

// layout gives the description what the other lines leave.
func (m *Edit) layout() {
	if m.st != editForm {
		return
	}
	other := 2 + len(splitLines(m.footer()))
	for _, f := range m.fields {
		switch f {
		case fieldDescription:
			other++
		case fieldLabels:
			other += 1 + len(splitLines(m.suggView()))
		default:
			other++
		}
		if m.fieldErr[f] != "" {
			other++
		}
	}
	m.desc.SetHeight(max(m.b.h-other, 3)) // the mention list is drawn over it
}

func (m *Edit) focused() string {
	if m.focus < 0 || m.focus >= len(m.fields) {
		return ""
	}
	return m.fields[m.focus]
}

// KeyView is the keymap registry view help lists (tui/keys): a value
// list's while one is open, else the editors'.
func (m *Edit) KeyView() string { return keyView(m.prioPick != nil) }

// KeyMap is the help for the current state.
func (m *Edit) KeyMap() help.KeyMap {
	k := m.keys
	k.disableAll()
	switch m.st {
	case editLoading, editChecking, editSaving:
		k.Close.SetEnabled(m.st == editLoading)
		k.Close.SetHelp(k.Close.Help().Key, "close")
	case editLoadErr:
		k.Reload.SetEnabled(true)
		k.Reload.SetHelp(k.Reload.Help().Key, "try again")
		k.Close.SetEnabled(true)
		k.Close.SetHelp(k.Close.Help().Key, "close")
	case editConflict:
		k.Send.SetEnabled(true)
		k.Send.SetHelp(k.Send.Help().Key, "save mine anyway")
		k.Reload.SetEnabled(true)
		k.Back.SetEnabled(true)
		k.Back.SetHelp(k.Back.Help().Key, "back to editing")
	case editForm:
		switch {
		case m.confirming:
			k.Discard.SetEnabled(true)
			k.Discard.SetHelp(k.Discard.Help().Key+"/"+k.Yes.Help().Key, "discard for good")
		case m.prioPick != nil:
			k.Up.SetEnabled(true)
			k.Down.SetEnabled(true)
			k.Choose.SetEnabled(true)
			k.Choose.SetHelp(k.Choose.Help().Key, "choose")
			k.Back.SetEnabled(true)
		case m.men.open() && len(m.men.users) > 0:
			k.Choose.SetEnabled(true)
			k.Up.SetEnabled(true)
			k.Down.SetEnabled(true)
		default:
			k.Send.SetEnabled(true)
			k.Send.SetHelp(k.Send.Help().Key, "save")
			k.Next.SetEnabled(len(m.fields) > 1)
			k.Editor.SetEnabled(m.focused() == fieldDescription)
			k.Pick.SetEnabled(m.focused() == fieldPriority)
			k.Close.SetEnabled(true)
			k.Discard.SetEnabled(m.dirtyText())
			if m.focused() == fieldLabels {
				k.Choose.SetEnabled(true)
				k.Choose.SetHelp(k.Choose.Help().Key, "add label")
			}
		}
	}
	return k
}

// SaveDraft keeps the summary and description edits and writes them now.
func (m *Edit) SaveDraft() error {
	dr := m.draft("")
	if isEmptyDraft(dr) {
		m.drafts.store.Delete(dr.Key)
	} else {
		m.drafts.store.Put(dr)
	}
	return m.drafts.store.Save()
}

// draft holds the text edits only: priority and label changes are one
// keystroke to redo, and a stale one could undo someone else's change.
func (m *Edit) draft(errText string) config.Draft {
	dr := config.Draft{Key: descriptionKey(m.key), Error: errText, Saved: m.d.now().UTC()}
	if m.st == editLoading || m.st == editLoadErr {
		return dr
	}
	if v := m.desc.Value(); v != m.descBase {
		dr.Text = m.men.markdown(v)
		dr.Fields = map[string]string{"description_changed": "yes"}
	}
	if v := m.summary.Value(); v != m.base.Summary {
		if dr.Fields == nil {
			dr.Fields = map[string]string{}
		}
		dr.Fields["summary"] = v
	}
	return dr
}

func (m *Edit) dirtyText() bool {
	return m.desc.Value() != m.descBase || m.summary.Value() != m.base.Summary
}

// Update handles keys, paste and the answers of its commands.
func (m *Edit) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	var start tea.Cmd
	if !m.started {
		start = m.Init()
	}
	cmd := m.update(msg)
	m.layout()
	return m, tea.Batch(start, cmd)
}

func (m *Edit) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.drafts.update(msg); ok {
		return cmd
	}
	if cmd, ok := m.men.update(msg, m.c, m.key); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.st != editLoading && m.st != editChecking && m.st != editSaving {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case editLoadedMsg:
		if msg.id != m.loadID {
			return nil
		}
		return m.loaded(msg)
	case conflictCheckedMsg:
		if msg.id != m.waiting || m.st != editChecking {
			return nil
		}
		return m.checked(msg)
	case editSavedMsg:
		if msg.id != m.waiting || m.st != editSaving {
			return nil
		}
		return m.saved(msg)
	case labelTickMsg:
		if msg.id != m.id || msg.seq != m.labelSeq {
			return nil
		}
		return m.fetchLabels()
	case labelsMsg:
		if msg.id != m.id || msg.seq != m.labelSeq {
			return nil
		}
		m.sugg, m.suggCur = nil, -1
		if msg.err == nil {
			for _, l := range msg.labels {
				if !slices.Contains(m.labels, l) && len(m.sugg) < maxMentions {
					m.sugg = append(m.sugg, l)
				}
			}
		}
		return nil
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
		if m.st == editForm && m.prioPick == nil {
			return m.edit(msg)
		}
	}
	return nil
}

func (m *Edit) loaded(msg editLoadedMsg) tea.Cmd {
	if msg.err != nil {
		m.st, m.err = editLoadErr, msg.err
		return nil
	}
	m.st, m.err = editForm, nil
	m.meta, m.base = msg.meta, *msg.issue
	m.fields = offered(msg.meta)
	m.summary.SetValue(m.base.Summary)
	m.summary.CursorEnd()
	m.desc.SetValue(m.men.display(m.base.Description))
	m.desc.MoveToBegin()
	m.descBase = m.desc.Value()
	if m.base.Priority != nil {
		m.prio = m.base.Priority.ID
	}
	m.labels = append([]string(nil), m.base.Labels...)
	if dr, ok := m.drafts.store.Get(descriptionKey(m.key)); ok && !isEmptyDraft(dr) {
		restored := false
		if s, ok := dr.Fields["summary"]; ok && slices.Contains(m.fields, fieldSummary) {
			m.summary.SetValue(s)
			m.summary.CursorEnd()
			restored = true
		}
		if (dr.Text != "" || dr.Fields["description_changed"] != "") && slices.Contains(m.fields, fieldDescription) {
			m.desc.SetValue(m.men.display(dr.Text))
			restored = true
		}
		if restored {
			m.restored = restoredNote(dr)
		}
	}
	m.setFocus(0)
	return nil
}

// offered lists the fields editmeta lets this user change, in form order.
func offered(meta map[string]jiraclient.FieldMeta) []string {
	var out []string
	can := func(id string, ops ...string) bool {
		fm, ok := meta[id]
		if !ok {
			return false
		}
		for _, op := range ops {
			if slices.Contains(fm.Operations, op) {
				return true
			}
		}
		return false
	}
	if can(fieldSummary, "set") {
		out = append(out, fieldSummary)
	}
	if can(fieldDescription, "set") {
		out = append(out, fieldDescription)
	}
	if can(fieldPriority, "set") && len(meta[fieldPriority].AllowedValues) > 0 {
		out = append(out, fieldPriority)
	}
	if can(fieldLabels, "add", "remove") {
		out = append(out, fieldLabels)
	}
	return out
}

func (m *Edit) setFocus(i int) {
	if len(m.fields) == 0 {
		return
	}
	m.focus = (i + len(m.fields)) % len(m.fields)
	m.summary.Blur()
	m.desc.Blur()
	m.labelIn.Blur()
	m.men.close()
	switch m.focused() {
	case fieldSummary:
		m.summary.Focus()
	case fieldDescription:
		m.desc.Focus()
	case fieldLabels:
		m.labelIn.Focus()
	}
}

func (m *Edit) onKey(msg tea.KeyPressMsg) tea.Cmd {
	switch m.st {
	case editLoading:
		if key.Matches(msg, m.keys.Close) {
			return common.CloseOverlay
		}
		return nil
	case editLoadErr:
		switch {
		case key.Matches(msg, m.keys.Close):
			return common.CloseOverlay
		case key.Matches(msg, m.keys.Reload):
			return m.Init()
		}
		return nil
	case editChecking, editSaving:
		return nil
	case editConflict:
		switch {
		case key.Matches(msg, m.keys.Send):
			m.overwrite = true
			return m.save()
		case key.Matches(msg, m.keys.Reload):
			return m.takeRemote()
		case key.Matches(msg, m.keys.Back):
			m.st = editForm
		}
		return nil
	}
	if m.confirming {
		m.confirming = false
		if key.Matches(msg, m.keys.Discard) || key.Matches(msg, m.keys.Yes) {
			return tea.Batch(m.drafts.drop(descriptionKey(m.key)), common.CloseOverlay,
				common.Notice(common.NoticeInfo, "Edits to "+m.key+" discarded"))
		}
		return nil
	}
	if m.prioPick != nil {
		it, back, cmd := m.prioPick.key(msg)
		if it != nil {
			m.prio = it.id
			m.prioPick = nil
		} else if back {
			m.prioPick = nil
		}
		return cmd
	}
	if m.focused() == fieldDescription && m.men.open() && m.men.key(msg, m.keys, &m.desc) {
		return m.changed()
	}
	if m.focused() == fieldLabels && len(m.sugg) > 0 {
		switch {
		case key.Matches(msg, m.keys.Up):
			m.suggCur = max(m.suggCur-1, -1)
			return nil
		case key.Matches(msg, m.keys.Down):
			m.suggCur = min(m.suggCur+1, len(m.sugg)-1)
			return nil
		}
	}
	switch {
	case key.Matches(msg, m.keys.Send):
		return m.save()
	case key.Matches(msg, m.keys.Close):
		return m.close()
	case key.Matches(msg, m.keys.Discard):
		if !m.dirtyText() {
			return tea.Batch(m.drafts.drop(descriptionKey(m.key)), common.CloseOverlay)
		}
		m.confirming = true
		return nil
	case key.Matches(msg, m.keys.Next):
		m.setFocus(m.focus + 1)
		return nil
	case key.Matches(msg, m.keys.Prev):
		m.setFocus(m.focus - 1)
		return nil
	case m.focused() == fieldDescription && key.Matches(msg, m.keys.Editor):
		run, err := prepareEditor(editorCommand(m.d.Editor), m.desc.Value(), m.id, fieldDescription)
		if err != nil {
			m.notice = err.Error()
			return nil
		}
		m.exec = run
		return run.execCmd()
	case m.focused() == fieldPriority && key.Matches(msg, m.keys.Pick):
		m.openPriorities()
		return nil
	case m.focused() == fieldLabels:
		return m.labelKey(msg)
	}
	return m.edit(msg)
}

func (m *Edit) openPriorities() {
	var items []pickItem
	for _, v := range m.meta[fieldPriority].AllowedValues {
		items = append(items, pickItem{id: v.ID, label: v.Name})
	}
	p := newPicker(m.c, "Priority", items, m.prio)
	m.prioPick = &p
}

func (m *Edit) prioName(id string) string {
	for _, v := range m.meta[fieldPriority].AllowedValues {
		if v.ID == id {
			return v.Name
		}
	}
	if m.base.Priority != nil && m.base.Priority.ID == id {
		return m.base.Priority.Name
	}
	return "none"
}

// labelKey: enter adds the typed (or highlighted) label, backspace on an
// empty field removes the last one, other keys type.
func (m *Edit) labelKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.AddLabel):
		l := strings.TrimSpace(m.labelIn.Value())
		if m.suggCur >= 0 && m.suggCur < len(m.sugg) {
			l = m.sugg[m.suggCur]
		}
		if l == "" {
			return nil
		}
		if strings.ContainsAny(l, " \t") {
			m.notice = "A label cannot contain spaces: use - or _ instead."
			return nil
		}
		if !slices.Contains(m.labels, l) {
			m.labels = append(m.labels, l)
		}
		m.labelIn.SetValue("")
		m.sugg, m.suggCur, m.notice = nil, -1, ""
		m.labelSeq++
		return nil
	case key.Matches(msg, m.keys.DropLabel):
		if m.labelIn.Value() == "" && len(m.labels) > 0 {
			m.labels = m.labels[:len(m.labels)-1]
			return nil
		}
	}
	before := m.labelIn.Value()
	var cmd tea.Cmd
	m.labelIn, cmd = m.labelIn.Update(msg)
	if v := m.labelIn.Value(); v != before {
		m.labelSeq++
		m.sugg, m.suggCur = nil, -1
		if strings.TrimSpace(v) == "" {
			return cmd
		}
		id, seq := m.id, m.labelSeq
		return tea.Batch(cmd, tea.Tick(m.labelDelay, func(time.Time) tea.Msg { return labelTickMsg{id: id, seq: seq} }))
	}
	return cmd
}

func (m *Edit) fetchLabels() tea.Cmd {
	prefix, id, seq := strings.TrimSpace(m.labelIn.Value()), m.id, m.labelSeq
	// Through the store: an expired login is seen whatever this message
	// reports, and the lookup for text typed over is cancelled.
	owner := m.owner + "/labels"
	m.c.Cancel(owner)
	return m.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return labelsMsg{id: id, seq: seq, err: errNoClient}, errNoClient
		}
		ls, err := cl.Labels(ctx, prefix)
		return labelsMsg{id: id, seq: seq, labels: ls, err: err}, err
	})
}

// edit gives msg to the focused text field and follows a change.
func (m *Edit) edit(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.focused() {
	case fieldSummary:
		before := m.summary.Value()
		m.summary, cmd = m.summary.Update(msg)
		if m.summary.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
	case fieldDescription:
		if ok, note := admit(&m.desc, msg); !ok {
			m.notice = note
			return nil
		}
		before := m.desc.Value()
		m.desc, cmd = m.desc.Update(msg)
		if m.desc.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
		return tea.Batch(cmd, m.men.sync(&m.desc))
	case fieldLabels:
		if k, ok := msg.(tea.KeyPressMsg); ok {
			return m.labelKey(k)
		}
		m.labelIn, cmd = m.labelIn.Update(msg)
	}
	return cmd
}

func (m *Edit) changed() tea.Cmd {
	m.restored, m.notice = "", ""
	var men tea.Cmd
	if m.focused() == fieldDescription {
		men = m.men.sync(&m.desc)
	}
	return tea.Batch(m.drafts.put(m.draft(errText(m.err))), men)
}

func (m *Edit) close() tea.Cmd {
	cmds := []tea.Cmd{m.drafts.putNow(m.draft(errText(m.err))), common.CloseOverlay}
	if m.dirtyText() {
		cmds = append(cmds, common.Notice(common.NoticeInfo, "Edits to "+m.key+" kept as a draft: press e on the issue to finish them"))
	}
	return tea.Batch(cmds...)
}

// change is what the form would send.
func (m *Edit) change() (jiraclient.IssueEdit, bool) {
	var e jiraclient.IssueEdit
	if v := strings.TrimSpace(m.summary.Value()); slices.Contains(m.fields, fieldSummary) && v != m.base.Summary {
		e.Summary = &v
	}
	if v := m.desc.Value(); slices.Contains(m.fields, fieldDescription) && strings.TrimRight(v, "\n ") != strings.TrimRight(m.descBase, "\n ") {
		md := m.men.markdown(v)
		e.Description = &md
	}
	base := ""
	if m.base.Priority != nil {
		base = m.base.Priority.ID
	}
	if slices.Contains(m.fields, fieldPriority) && m.prio != base && m.prio != "" {
		p := m.prio
		e.PriorityID = &p
	}
	if slices.Contains(m.fields, fieldLabels) {
		for _, l := range m.labels {
			if !slices.Contains(m.base.Labels, l) {
				e.AddLabels = append(e.AddLabels, l)
			}
		}
		for _, l := range m.base.Labels {
			if !slices.Contains(m.labels, l) {
				e.RemoveLabels = append(e.RemoveLabels, l)
			}
		}
	}
	any := e.Summary != nil || e.Description != nil || e.PriorityID != nil || len(e.AddLabels)+len(e.RemoveLabels) > 0
	return e, any
}

// save checks for a conflicting change first when text is saved (a
// summary or description typed over someone else's would be lost without
// a trace), then sends.
func (m *Edit) save() tea.Cmd {
	e, any := m.change()
	if !any {
		m.notice = "Nothing changed."
		return nil
	}
	if e.Summary != nil && strings.TrimSpace(*e.Summary) == "" {
		m.fieldErr = map[string]string{fieldSummary: "Every issue needs a summary."}
		return nil
	}
	if m.c.Client == nil {
		m.err = errNoClient
		return nil
	}
	m.notice, m.err, m.fieldErr = "", nil, nil
	m.waiting = nextID()
	id, key := m.waiting, m.key
	if (e.Summary != nil || e.Description != nil) && !m.overwrite {
		m.st = editChecking
		return tea.Batch(m.spin.Tick, m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
			if cl == nil {
				return conflictCheckedMsg{id: id, err: errNoClient}, nil
			}
			is, err := cl.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
			return conflictCheckedMsg{id: id, remote: is, err: err}, err
		}))
	}
	return m.send(e)
}

func (m *Edit) checked(msg conflictCheckedMsg) tea.Cmd {
	if msg.err != nil {
		m.st, m.err = editForm, msg.err
		return m.drafts.putNow(m.draft(errText(msg.err)))
	}
	if !msg.remote.Updated.Equal(m.base.Updated) {
		m.st, m.remote = editConflict, msg.remote
		return nil
	}
	e, _ := m.change()
	return m.send(e)
}

// takeRemote reloads Jira's summary and description into the form.
func (m *Edit) takeRemote() tea.Cmd {
	r := m.remote
	m.base.Summary, m.base.Description, m.base.Updated = r.Summary, r.Description, r.Updated
	m.summary.SetValue(r.Summary)
	m.summary.CursorEnd()
	m.desc.SetValue(m.men.display(r.Description))
	m.desc.MoveToBegin()
	m.descBase = m.desc.Value()
	m.st, m.remote = editForm, nil
	m.notice = "Reloaded Jira's summary and description."
	return m.drafts.putNow(m.draft(""))
}

func (m *Edit) send(e jiraclient.IssueEdit) tea.Cmd {
	m.st = editSaving
	m.waiting = nextID()
	m.token = tokenFor("edit", m.key, m.waiting)
	id, key, token := m.waiting, m.key, m.token
	prio := m.prioName(m.prio)
	patch := common.IssuePatchMsg{Token: token, Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue {
		if e.Summary != nil {
			is.Summary = *e.Summary
		}
		if e.Description != nil {
			is.Description = *e.Description
		}
		if e.PriorityID != nil {
			is.Priority = &jiraclient.Priority{ID: *e.PriorityID, Name: prio}
		}
		if len(e.AddLabels)+len(e.RemoveLabels) > 0 {
			var ls []string
			for _, l := range is.Labels {
				if !slices.Contains(e.RemoveLabels, l) {
					ls = append(ls, l)
				}
			}
			for _, l := range e.AddLabels {
				if !slices.Contains(ls, l) {
					ls = append(ls, l)
				}
			}
			sort.Strings(ls)
			is.Labels = ls
		}
		return is
	}}
	// Through the store's request helper (see Comment.send); the patch is
	// on record before the write can settle it.
	save := m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return editSavedMsg{id: id, err: errNoClient}, nil
		}
		err := cl.EditIssue(ctx, key, e)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// Jira may have saved it before the answer was lost: read the
			// issue back with a deadline of its own and compare.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, key)
			if ferr == nil && editShown(*is, e) {
				return editSavedMsg{id: id, issue: is, found: true}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: key, Noun: "the change", Checked: ferr == nil}
		}
		if err != nil {
			return editSavedMsg{id: id, err: err}, seen
		}
		return editSavedMsg{id: id, issue: fetchIssue(ctx, cl, key)}, nil
	}, func(err error) tea.Msg { return editSavedMsg{id: id, err: err} })
	return tea.Batch(tea.Sequence(func() tea.Msg { return patch }, save), m.spin.Tick)
}

func (m *Edit) saved(msg editSavedMsg) tea.Cmd {
	token, key := m.token, m.key
	m.overwrite = false
	if msg.err != nil {
		m.st, m.err = editForm, msg.err
		m.fieldErr = fieldErrors(msg.err)
		return tea.Batch(m.drafts.putNow(m.draft(errText(msg.err))),
			func() tea.Msg { return common.IssueRollbackMsg{Token: token, Key: key, Err: msg.err} })
	}
	note := key + " updated"
	if msg.found {
		note += lostNote
	}
	confirmed := common.IssueConfirmedMsg{Token: token, Key: key, Issue: msg.issue, Note: note}
	return tea.Batch(m.drafts.drop(descriptionKey(key)), func() tea.Msg { return confirmed }, common.CloseOverlay)
}

// editShown reports whether is, read back, already has every part of e.
// A description comes back through Jira's own markup, so it is compared
// with runs of white space folded.
func editShown(is jiraclient.Issue, e jiraclient.IssueEdit) bool {
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	switch {
	case e.Summary != nil && fold(is.Summary) != fold(*e.Summary):
		return false
	case e.Description != nil && fold(is.Description) != fold(*e.Description):
		return false
	case e.PriorityID != nil && (is.Priority == nil || is.Priority.ID != *e.PriorityID):
		return false
	}
	for _, l := range e.AddLabels {
		if !slices.Contains(is.Labels, l) {
			return false
		}
	}
	for _, l := range e.RemoveLabels {
		if slices.Contains(is.Labels, l) {
			return false
		}
	}
	return true
}
