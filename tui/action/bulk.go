package action

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// BulkOp is what a bulk action does to each issue.
type BulkOp int

// The bulk actions.
const (
	// BulkTransition moves every issue to a status they can all reach
	// (chosen by the target status's name: the transitions' ids differ
	// between workflows).
	BulkTransition BulkOp = iota
	// BulkAssign gives every issue to one person (or nobody, or the
	// project default).
	BulkAssign
	// BulkAssignToMe gives every issue to the signed-in user, at once.
	BulkAssignToMe
	// BulkLabel adds and removes labels ("+triaged -blocker").
	BulkLabel
)

// BulkDoneMsg says a bulk action finished (or was stopped). Failed are the
// keys that did not change, in the order given, so the list keeps them
// selected for another try.
type BulkDoneMsg struct{ Failed []string }

// itemState is where one issue of a bulk action is.
type itemState int

const (
	itemPending itemState = iota
	itemLoading
	itemRunning
	itemDone
	itemFailed
	itemSkipped // stopped before it started
)

// bulkItem is one issue of a bulk action.
type bulkItem struct {
	issue   jiraclient.Issue
	ts      []jiraclient.Transition // BulkTransition: what Jira offers it
	loaded  bool
	loadErr error
	state   itemState
	err     error
	token   string
	waits   int  // rate-limit waits sat out for this issue
	already bool // it had the change already: nothing was sent
}

// target is a status every issue can be moved to.
type target struct {
	key    string // targetKey of the transitions leading there
	status jiraclient.Status
	via    string // the first issue's transition name
}

// targetKey is what makes transitions of different issues "the same
// move": the status they lead to, by name (ids differ between workflows).
// Jira may leave out a transition's "to" (seen in real answers); such a
// transition is matched by its own name, never lumped with the other
// nameless ones.
func targetKey(t jiraclient.Transition) string {
	if t.To.Name != "" {
		return "status:" + strings.ToLower(t.To.Name)
	}
	return "transition:" + strings.ToLower(t.Name)
}

// targetLabel is what the bulk picker shows for a target.
func (t target) label() string {
	if t.status.Name != "" {
		return t.status.Name
	}
	return t.via
}

// Bulk is the overlay that applies one action to many issues (the list's
// selection): it works through them Concurrency at a time, so the
// client's throttle paces the rest, shows each issue's progress and lists
// the failures with their reasons. A rate limit the client would not sit
// out pauses the run for Jira's wait instead of failing issues; an expired
// login pauses it until Retry. Every issue's outcome goes out as its own
// IssueConfirmedMsg or IssueRollbackMsg, and a BulkDoneMsg ends it.
type Bulk struct {
	c     *common.Common
	owner string // of its loads and searches in the store; Close cancels them
	km    KeyMap
	op    BulkOp
	w, h  int
	spin  spinner.Model

	items []*bulkItem
	phase phase

	// BulkTransition
	loadID  uint64
	targets []target
	pick    picker
	chosen  int
	merged  jiraclient.Transition // the chosen target's fields, merged over the issues
	form    *form
	// BulkAssign
	users userPicker
	// BulkLabel
	labels   textinput.Model
	labelErr string

	build    func(it *bulkItem) write // each issue's write, once the choice is made
	what     string                   // "→ Done", "to Ada Lovelace", "+triaged"
	inflight int
	stopping bool
	paused   bool // an expired login: nothing new starts until Retry
	finished bool // BulkDoneMsg was sent
	// A 429 beyond the client's own patience: nothing new starts until
	// Jira's Retry-After has passed, then the refused issues go again.
	waiting bool
	waitID  uint64
	waitErr error

	// The progress list scrolls: it follows the work until the user
	// scrolls it, then stays where they put it.
	scroll   int
	scrolled bool
}

// maxBulkWaits is how many rate-limit waits one issue sits out before it
// counts as failed: Jira that keeps refusing is better left to the user.
const maxBulkWaits = 3

// NewBulk returns the bulk overlay for issues and op. The root calls Init
// when it opens it.
func NewBulk(c *common.Common, issues []jiraclient.Issue, op BulkOp) common.Overlay {
	m := &Bulk{c: c, owner: common.Owner("bulk"), km: DefaultKeyMap(c.Keys), op: op, chosen: -1}
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Title.UnsetBold()))
	for _, is := range issues {
		m.items = append(m.items, &bulkItem{issue: is})
	}
	first := ""
	if len(issues) > 0 {
		first = issues[0].Key
	}
	switch op {
	case BulkTransition:
		m.phase = phaseLoading
		m.pick = newPicker(c.Styles, "type to filter statuses")
		m.pick.numbered = true
	case BulkAssign:
		m.phase = phasePick
		m.users = newUserPicker(c, m.owner, first, nil)
	case BulkAssignToMe:
		m.phase = phaseRunning
		me := c.Me
		m.what = "to " + meName(me)
		m.build = func(it *bulkItem) write { return assignWrite(it.issue.Key, assignChoice{kind: choiceMe}, me) }
		m.skipAssigned(assignChoice{kind: choiceMe})
	case BulkLabel:
		m.phase = phaseForm
		m.labels = textinput.New()
		m.labels.Prompt = "› "
		m.labels.Placeholder = "triaged -needs-info  (a leading - removes)"
		restyleInput(&m.labels, c.Styles)
		m.labels.Focus()
	}
	return m
}

// Init starts what the op needs first: the transitions of every issue,
// the first assignable users, or (assign to me) the work itself.
func (m *Bulk) Init() tea.Cmd {
	if len(m.items) == 0 {
		m.phase = phaseDone
		return m.finish()
	}
	switch m.op {
	case BulkTransition:
		m.loadID = nextID()
		var cmds []tea.Cmd
		for range min(Concurrency, len(m.items)) {
			cmds = append(cmds, m.loadNext())
		}
		return tea.Batch(append(cmds, m.spin.Tick)...)
	case BulkAssign:
		return m.users.init()
	case BulkAssignToMe:
		return m.run()
	}
	return nil
}

// Close cancels the loads and searches still out (common.Closer); the
// writes go on.
func (m *Bulk) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen size the dialog is drawn for.
func (m *Bulk) SetSize(w, h int) { m.w, m.h = w, h }

// Phase says what the overlay is doing, for tests and the root.
func (m *Bulk) Phase() string { return m.phase.String() }

// Failed are the keys that have not changed (yet), in order.
func (m *Bulk) Failed() []string {
	var out []string
	for _, it := range m.items {
		if it.state != itemDone {
			out = append(out, it.issue.Key)
		}
	}
	return out
}

// Retry goes on after the user signed in again: loads and writes that
// failed for lack of a valid login run again.
func (m *Bulk) Retry() tea.Cmd {
	var cmds []tea.Cmd
	if m.phase == phaseLoading {
		for _, it := range m.items {
			if it.loaded && jiraclient.IsAuth(it.loadErr) {
				it.loaded, it.loadErr, it.state = false, nil, itemPending
			}
		}
		m.paused = false
		m.loadID = nextID()
		for range min(Concurrency, len(m.items)) {
			cmds = append(cmds, m.loadNext())
		}
	}
	if m.op == BulkAssign && m.users.err != nil && jiraclient.IsAuth(m.users.err) {
		cmds = append(cmds, m.users.retry())
	}
	if m.paused && (m.phase == phaseRunning || m.phase == phaseDone) {
		m.paused, m.finished = false, false
		m.phase = phaseRunning
		for range Concurrency - m.inflight {
			cmds = append(cmds, m.dispatch())
		}
		cmds = append(cmds, m.spin.Tick)
	}
	return tea.Batch(cmds...)
}

// InputFocused reports whether a text input has the focus (the root then
// keeps its own keys out: every printable key is text).
func (m *Bulk) InputFocused() bool { return m.KeyMap().(KeyMap).typing }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Bulk) KeyView() string { return "picker" }

// KeyMap is the keys that work now.
func (m *Bulk) KeyMap() help.KeyMap {
	k := m.km
	switch m.phase {
	case phaseLoading:
		return k.only(&k.Close)
	case phasePick:
		if m.op == BulkAssign {
			return m.users.keys(k, "assign all")
		}
		k.Choose.SetHelp(k.Choose.Help().Key, "move all")
		on := []*key.Binding{&k.Choose, &k.Up, &k.Down, &k.Close}
		if m.pick.filter() == "" && len(m.pick.shown) > 0 {
			on = append(on, &k.Number)
		}
		k.typingIn(m.pick.filter())
		return k.only(on...)
	case phaseForm:
		if m.op == BulkLabel {
			k.Choose.SetHelp(k.Choose.Help().Key, "apply")
			k.typingIn(m.labels.Value())
			return k.only(&k.Choose, &k.Close)
		}
		m.form.typing(&k)
		if m.form.editorOpen() {
			k.Choose.SetHelp("enter", "done")
			return k.only(&k.Choose, &k.Up, &k.Down, &k.Back)
		}
		if m.form.listOpen() {
			return k.only(&k.Choose, &k.Up, &k.Down, &k.Back)
		}
		k.Send.SetHelp(k.Send.Help().Key, "move all")
		on := []*key.Binding{&k.Send, &k.Next, &k.Prev, &k.Back}
		if ff := m.form.focused(); ff != nil && ff.kind != kindComment {
			k.Choose.SetHelp(k.Choose.Help().Key, "move all")
			on = append(on, &k.Choose)
			if ff.kind == kindPick || ff.kind == kindEditor {
				on = append(on, &k.Open)
			}
		}
		return k.only(on...)
	case phaseRunning:
		scroll := m.scrollKeys(&k)
		if m.stopping {
			k.Close.SetHelp(k.Close.Help().Key, "close now")
			return k.only(append(scroll, &k.Close)...)
		}
		k.Stop.SetHelp(k.Stop.Help().Key, "stop")
		return k.only(append(scroll, &k.Stop)...)
	}
	k.Choose.SetHelp(k.Choose.Help().Key, "close")
	return k.only(append(m.scrollKeys(&k), &k.Choose, &k.Close)...)
}

// Update handles keys, the loads and every issue's outcome.
func (m *Bulk) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case transitionsMsg:
		return m, m.onLoaded(msg)
	case searchTickMsg, usersMsg:
		if m.op == BulkAssign {
			return m, m.users.update(msg)
		}
	case spinner.TickMsg:
		if m.phase != phaseLoading && m.phase != phaseRunning {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case common.IssueConfirmedMsg:
		if it := m.byToken(msg.Token); it != nil {
			it.state, it.err = itemDone, nil
			return m, m.settled()
		}
	case common.IssueRollbackMsg:
		if it := m.byToken(msg.Token); it != nil {
			it.state, it.err = itemFailed, msg.Err
			if jiraclient.IsAuth(msg.Err) {
				// Every later request would fail the same way: wait for
				// the new login, then send this one again.
				it.state, it.err = itemPending, nil
				m.paused = true
			} else if d := rateWait(msg.Err); d > 0 && it.waits < maxBulkWaits && !m.stopping {
				// Not this issue's fault: it goes again after the wait,
				// and so does everything not yet started.
				it.waits++
				it.state, it.err = itemPending, nil
				m.waitErr = msg.Err
				if !m.waiting {
					m.waiting = true
					m.waitID = nextID()
					return m, tea.Batch(m.settled(), retryAfter(d, m.waitID))
				}
			}
			return m, m.settled()
		}
	case retryTickMsg:
		if m.waiting && msg.id == m.waitID {
			m.waiting = false
			return m, m.settled()
		}
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		return m, m.input(msg)
	}
	if m.phase == phaseForm && m.form != nil {
		return m, m.form.answer(msg) // an open field editor's searches
	}
	return m, nil
}

func (m *Bulk) byToken(tok string) *bulkItem {
	if tok == "" {
		return nil
	}
	for _, it := range m.items {
		if it.token == tok && it.state == itemRunning {
			return it
		}
	}
	return nil
}

// loadNext asks for the next unloaded issue's transitions.
func (m *Bulk) loadNext() tea.Cmd {
	for _, it := range m.items {
		if !it.loaded && it.state == itemPending {
			it.state = itemLoading
			return loadTransitions(m.c, m.owner, m.loadID, it.issue.Key)
		}
	}
	return nil
}

func (m *Bulk) onLoaded(msg transitionsMsg) tea.Cmd {
	if msg.id != m.loadID || m.phase != phaseLoading {
		return nil
	}
	var it *bulkItem
	for _, x := range m.items {
		if x.issue.Key == msg.key && x.state == itemLoading {
			it = x
		}
	}
	if it == nil {
		return nil
	}
	it.loaded, it.ts, it.loadErr, it.state = true, msg.ts, msg.err, itemPending
	if jiraclient.IsAuth(msg.err) {
		m.paused = true // the root signs in again; Retry loads it anew
	}
	if !m.paused {
		if cmd := m.loadNext(); cmd != nil {
			return cmd
		}
	}
	for _, x := range m.items {
		if !x.loaded || x.state == itemLoading || jiraclient.IsAuth(x.loadErr) {
			return nil
		}
	}
	m.choosable()
	return nil
}

// choosable finds the statuses every loadable issue can reach, and marks
// the issues that could not be loaded as failed.
func (m *Bulk) choosable() {
	var ok []*bulkItem
	for _, it := range m.items {
		switch {
		case it.loadErr != nil:
			it.state, it.err = itemFailed, it.loadErr
		case len(it.ts) == 0:
			it.state, it.err = itemFailed, fmt.Errorf("Jira offers no transition for %s now", it.issue.Key)
		default:
			ok = append(ok, it)
		}
	}
	m.targets = nil
	if len(ok) > 0 {
		for _, t := range ok[0].ts {
			name := targetKey(t)
			all := true
			for _, it := range ok[1:] {
				if transitionTo(it.ts, name) == nil {
					all = false
					break
				}
			}
			if all && !slices.ContainsFunc(m.targets, func(x target) bool { return x.key == name }) {
				m.targets = append(m.targets, target{key: name, status: t.To, via: t.Name})
			}
		}
	}
	items := make([]item, len(m.targets))
	for i, t := range m.targets {
		items[i] = item{label: t.label(), color: m.c.Styles.StatusColor(t.status.Category)}
		if t.status.Name != "" {
			items[i].detail = "via " + t.via
		}
	}
	m.pick.setItems(items)
	m.phase = phasePick
}

// transitionTo is the transition of ts whose targetKey is name, or nil.
func transitionTo(ts []jiraclient.Transition, name string) *jiraclient.Transition {
	for i := range ts {
		if targetKey(ts[i]) == name {
			return &ts[i]
		}
	}
	return nil
}

// input hands typed text to whatever takes it now.
func (m *Bulk) input(msg tea.Msg) tea.Cmd {
	switch {
	case m.phase == phasePick && m.op == BulkAssign:
		return m.users.update(msg)
	case m.phase == phasePick:
		return m.pick.update(msg)
	case m.phase == phaseForm && m.op == BulkLabel:
		var cmd tea.Cmd
		m.labels, cmd = m.labels.Update(msg)
		m.labelErr = ""
		return cmd
	case m.phase == phaseForm:
		return m.form.update(msg)
	}
	return nil
}

func (m *Bulk) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.phase == phaseForm && m.form.editorOpen() {
		return m.form.editorKey(msg)
	}
	k := m.KeyMap().(KeyMap)
	switch actionFor(k, msg) {
	case actClose:
		if m.phase == phaseRunning || m.phase == phaseDone {
			return tea.Batch(m.finish(), common.CloseOverlay)
		}
		return common.CloseOverlay
	case actStop:
		m.stopping = true
		for _, it := range m.items {
			if it.state == itemPending {
				it.state = itemSkipped
			}
		}
		return m.settled()
	case actBack:
		if m.form.listOpen() {
			m.form.focused().open = false
			return nil
		}
		m.phase = phasePick
	case actUp:
		m.move(-1)
	case actDown:
		m.move(1)
	case actPageUp:
		m.scrollBy(-max(1, m.progressRows()-2))
	case actPageDown:
		m.scrollBy(max(1, m.progressRows()-2))
	case actNumber:
		if m.op == BulkAssign {
			if ch, ok := m.users.nth(m.km.digit(msg)); ok {
				return m.chooseUser(ch)
			}
			return nil
		}
		if i := m.pick.nth(m.km.digit(msg)); i >= 0 {
			return m.chooseTarget(i)
		}
	case actOpen:
		return m.form.openFocused()
	case actNext:
		return m.form.focusOn(m.form.focus + 1)
	case actPrev:
		return m.form.focusOn(m.form.focus - 1)
	case actSend:
		if m.form.listOpen() {
			m.form.choose()
		}
		return m.submitForm()
	case actChoose:
		return m.onChoose()
	case actNone:
		return m.input(msg)
	}
	return nil
}

func (m *Bulk) move(d int) {
	switch {
	case m.phase == phaseRunning || m.phase == phaseDone:
		m.scrollBy(d)
	case m.phase == phaseForm && m.form.listOpen():
		m.form.focused().list.move(d)
	case m.op == BulkAssign:
		m.users.list.move(d)
	default:
		m.pick.move(d)
	}
}

// onChoose is enter: it takes the highlighted entry, sends the form, or
// closes the summary.
func (m *Bulk) onChoose() tea.Cmd {
	switch m.phase {
	case phasePick:
		if m.op == BulkAssign {
			if ch, ok := m.users.selected(); ok {
				return m.chooseUser(ch)
			}
			return nil
		}
		if i := m.pick.selected(); i >= 0 {
			return m.chooseTarget(i)
		}
	case phaseForm:
		if m.op == BulkLabel {
			return m.chooseLabels()
		}
		if m.form.listOpen() {
			m.form.choose()
			return nil
		}
		return m.submitForm()
	case phaseDone:
		return common.CloseOverlay
	}
	return nil
}

// chooseTarget takes target status i: the form when some issue's
// transition wants fields, else the work.
func (m *Bulk) chooseTarget(i int) tea.Cmd {
	m.chosen = i
	name := m.targets[i].key
	merged := jiraclient.Transition{Name: m.targets[i].via, To: m.targets[i].status, Fields: map[string]jiraclient.FieldMeta{}}
	comment := true
	for _, it := range m.items {
		if it.state != itemPending {
			continue
		}
		t := transitionTo(it.ts, name)
		if t == nil {
			continue
		}
		comment = comment && hasComment(*t)
		for id, f := range t.Fields {
			if have, ok := merged.Fields[id]; ok {
				have.Required = have.Required || f.Required
				merged.Fields[id] = have
				continue
			}
			merged.Fields[id] = f
		}
	}
	if !comment {
		delete(merged.Fields, "comment")
	}
	m.merged = merged
	m.what = "→ " + m.targets[i].label()
	if needsForm(merged) {
		m.form = newForm(m.c, fields.Scope{}, merged)
		m.phase = phaseForm
		return m.form.focusOn(0)
	}
	m.form = nil
	return m.startTransitions(nil, "", "")
}

// submitForm starts the work when the form is complete.
func (m *Bulk) submitForm() tea.Cmd {
	if first := m.form.check(); first >= 0 {
		cmd := m.form.focusOn(first)
		if ff := m.form.focused(); ff.kind == kindPick {
			ff.open = true
		}
		return cmd
	}
	values, comment, res := m.form.values()
	return m.startTransitions(values, comment, res)
}

// startTransitions moves every issue through its own transition to the
// chosen status, sending only the fields its screen has.
func (m *Bulk) startTransitions(values []jiraclient.FieldChange, comment, resolution string) tea.Cmd {
	name := m.targets[m.chosen].key
	to := m.targets[m.chosen].label()
	m.build = func(it *bulkItem) write {
		t := transitionTo(it.ts, name)
		if t == nil {
			// Only issues that offered the target are pending, but a
			// failure must stay a failure of this issue, not a crash.
			return unreachable(it.issue.Key, to)
		}
		in := jiraclient.TransitionInput{ID: t.ID}
		for _, v := range values {
			if _, ok := t.Fields[v.ID]; ok {
				in.Values = append(in.Values, v)
			}
		}
		if hasComment(*t) {
			in.Comment = comment
		}
		return transitionWrite(it.issue.Key, *t, in, resolution)
	}
	return m.run()
}

// unreachable is the write for an issue that offers no transition to the
// status named to: it changes nothing and fails with the reason.
func unreachable(key, to string) write {
	return write{
		key:   key,
		token: newToken("transition", key),
		patch: func(is jiraclient.Issue) jiraclient.Issue { return is },
		do: func(context.Context, *jiraclient.Client) error {
			return fmt.Errorf("Jira offers %s no transition to %s now: reload the list and try again", key, to)
		},
	}
}

// chooseUser starts assigning every issue to ch.
func (m *Bulk) chooseUser(ch assignChoice) tea.Cmd {
	me := m.c.Me
	switch ch.kind {
	case choiceMe:
		m.what = "to " + meName(me)
	case choiceNone:
		m.what = "to nobody"
	case choiceDefault:
		m.what = "to the project default"
	default:
		m.what = "to " + userName(&ch.user)
	}
	m.build = func(it *bulkItem) write { return assignWrite(it.issue.Key, ch, me) }
	m.skipAssigned(ch)
	return m.run()
}

// skipAssigned marks the issues that already have the assignee ch names
// as done, so no request re-sends what Jira already has. Who the project
// default is, only Jira knows: those are always sent.
func (m *Bulk) skipAssigned(ch assignChoice) {
	for _, it := range m.items {
		if it.state != itemPending {
			continue
		}
		has := false
		switch ch.kind {
		case choiceMe:
			has = m.c.Me != nil && sameUser(it.issue.Assignee, m.c.Me)
		case choiceNone:
			has = it.issue.Assignee == nil
		case choiceUser:
			u := ch.user
			has = sameUser(it.issue.Assignee, &u)
		}
		if has {
			it.state, it.already = itemDone, true
		}
	}
}

// parseLabels reads "a +b -c": a and b are added, c removed. Jira labels
// have no spaces, so spaces separate them.
func parseLabels(s string) (add, remove []string) {
	for _, f := range strings.Fields(s) {
		switch {
		case strings.HasPrefix(f, "-") && len(f) > 1:
			remove = append(remove, f[1:])
		case strings.HasPrefix(f, "+") && len(f) > 1:
			add = append(add, f[1:])
		case f != "-" && f != "+":
			add = append(add, f)
		}
	}
	return add, remove
}

// chooseLabels starts the label change.
func (m *Bulk) chooseLabels() tea.Cmd {
	add, remove := parseLabels(m.labels.Value())
	if len(add)+len(remove) == 0 {
		m.labelErr = "type a label to add, or -label to remove one"
		return nil
	}
	var parts []string
	for _, l := range add {
		parts = append(parts, "+"+l)
	}
	for _, l := range remove {
		parts = append(parts, "-"+l)
	}
	m.what = strings.Join(parts, " ")
	m.build = func(it *bulkItem) write { return labelWrite(it.issue.Key, add, remove) }
	return m.run()
}

// labelWrite is one issue's label change, made as add/remove operations
// so labels someone else set meanwhile stay.
func labelWrite(key string, add, remove []string) write {
	edit := jiraclient.IssueEdit{AddLabels: add, RemoveLabels: remove}
	apply := func(is jiraclient.Issue) jiraclient.Issue {
		var out []string
		for _, l := range is.Labels {
			if !slices.Contains(remove, l) {
				out = append(out, l)
			}
		}
		for _, l := range add {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
		is.Labels = out
		return is
	}
	return write{
		key:   key,
		token: newToken("label", key),
		patch: apply,
		do:    func(ctx context.Context, cl *jiraclient.Client) error { return cl.EditIssue(ctx, key, edit) },
		done: func(is jiraclient.Issue) bool {
			for _, l := range add {
				if !slices.Contains(is.Labels, l) {
					return false
				}
			}
			for _, l := range remove {
				if slices.Contains(is.Labels, l) {
					return false
				}
			}
			return true
		},
		note: key + " labels changed",
	}
}

// run starts the work: Concurrency issues at once; each outcome starts
// the next.
func (m *Bulk) run() tea.Cmd {
	m.phase = phaseRunning
	cmds := []tea.Cmd{m.spin.Tick}
	for range Concurrency {
		cmds = append(cmds, m.dispatch())
	}
	if m.inflight == 0 {
		return m.settled()
	}
	return tea.Batch(cmds...)
}

// dispatch starts the next pending issue, if any and if allowed.
func (m *Bulk) dispatch() tea.Cmd {
	if m.paused || m.waiting || m.stopping || m.inflight >= Concurrency {
		return nil
	}
	for _, it := range m.items {
		if it.state != itemPending {
			continue
		}
		w := m.build(it)
		it.state, it.token, it.err = itemRunning, w.token, nil
		m.inflight++
		return w.run(m.c)
	}
	return nil
}

// settled counts an outcome, starts the next issue, and ends the run when
// nothing is left in flight.
func (m *Bulk) settled() tea.Cmd {
	m.inflight = 0
	for _, it := range m.items {
		if it.state == itemRunning {
			m.inflight++
		}
	}
	if m.phase != phaseRunning {
		return nil
	}
	var cmds []tea.Cmd
	for m.inflight < Concurrency {
		cmd := m.dispatch()
		if cmd == nil {
			break
		}
		cmds = append(cmds, cmd)
	}
	if m.inflight == 0 && ((!m.paused && !m.waiting) || m.stopping) {
		m.phase = phaseDone
		if cmd, ok := m.oneDone(); ok {
			return tea.Batch(append(cmds, cmd)...)
		}
		cmds = append(cmds, m.finish())
	}
	return tea.Batch(cmds...)
}

// oneDone ends the work on a single issue without a result box: its
// outcome is in the status bar (the root shows the write's note or its
// error). A refused label change goes back to the labels, still typed,
// with Jira's reason. ok is false for bulk work, whose summary stays
// until a key (see Done).
func (m *Bulk) oneDone() (tea.Cmd, bool) {
	if len(m.items) != 1 || m.stopping {
		return nil, false
	}
	it := m.items[0]
	switch {
	case it.state == itemDone:
		return tea.Batch(m.finish(), common.CloseOverlay), true
	case it.state == itemFailed && m.op == BulkLabel:
		what, hint := failure(it.err)
		if hint != "" {
			what += ": " + hint
		}
		m.labelErr = what
		it.state, it.err = itemPending, nil
		m.phase = phaseForm
		return nil, true
	}
	return nil, false
}

// Done reports whether the work is over and only its summary is shown:
// the root closes the box on any key, and a key that means more than
// "close" does its own work as well.
func (m *Bulk) Done() bool { return m.phase == phaseDone }

// finish sends BulkDoneMsg once.
func (m *Bulk) finish() tea.Cmd {
	if m.finished {
		return nil
	}
	m.finished = true
	failed := m.Failed()
	return func() tea.Msg { return BulkDoneMsg{Failed: failed} }
}

// counts are how many issues are done, failed (or skipped) and waiting.
func (m *Bulk) counts() (done, failed, left int) {
	for _, it := range m.items {
		switch it.state {
		case itemDone:
			done++
		case itemFailed, itemSkipped:
			failed++
		default:
			left++
		}
	}
	return
}

// View draws the dialog.
func (m *Bulk) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	maxH := innerHeight(st, m.h)
	verb := [...]string{BulkTransition: "Move", BulkAssign: "Assign", BulkAssignToMe: "Assign", BulkLabel: "Label"}[m.op]
	n := strconv.Itoa(len(m.items)) + " issues"
	if len(m.items) == 1 {
		n = "1 issue"
	}
	head := st.Title.Render(verb+" "+n) + " " + st.Muted.Render(m.what) + "\n"
	var body, foot string
	switch m.phase {
	case phaseLoading:
		loaded := 0
		for _, it := range m.items {
			if it.loaded {
				loaded++
			}
		}
		body = m.spin.View() + " " + st.Muted.Render(fmt.Sprintf("asking Jira what each issue can move to… %d of %d", loaded, len(m.items)))
		if m.paused {
			body += "\n" + wrap(st.Warning, "paused: sign in again to go on", w)
		}
	case phasePick:
		if m.op == BulkAssign {
			body = m.users.view(st, w, max(maxH-8, 3))
			break
		}
		if len(m.targets) == 0 {
			body = st.Muted.Render("No status can be reached from every selected issue: select issues of one workflow and status.")
		} else {
			body = m.pick.view(st, w, max(maxH-8, 3))
		}
		if _, failed, _ := m.counts(); failed > 0 {
			body += "\n\n" + m.itemLines(st, w, maxH/3, true)
		}
	case phaseForm:
		if m.op == BulkLabel {
			m.labels.SetWidth(max(w-3, 4))
			body = st.Label.Render("Labels to add, or -label to remove") + "\n" + m.labels.View()
			if m.labelErr != "" {
				body += "\n" + wrap(st.FieldError, m.labelErr, w)
			}
			break
		}
		t := m.merged
		room := maxH - len(splitLines(head)) - 2 - len(splitLines("\n"+helpLine(st, m.KeyMap(), w)))
		body = transitionLine(st, t) + "\n\n" + m.form.view(st, w, max(room-6, 3), room)
	case phaseRunning, phaseDone:
		body = m.progress(st, w) + "\n" + m.progressList(st, w)
		if m.phase == phaseDone {
			done, failed, _ := m.counts()
			switch {
			case failed == 0:
				foot = st.Success.Render(fmt.Sprintf("✓ all %d done", done))
			default:
				foot = wrap(st.Warning, fmt.Sprintf("%d done, %d not: they stay selected for another try", done, failed), w)
			}
		} else if m.paused {
			foot = wrap(st.Warning, "paused: sign in again to go on", w)
		} else if m.waiting && !m.stopping {
			foot = wrap(st.Warning, "Jira is rate-limiting requests: going on in "+roundSeconds(rateWait(m.waitErr))+" (esc stops)", w)
		}
	}
	if foot != "" {
		foot = "\n" + foot
	}
	foot += "\n" + helpLine(st, m.KeyMap(), w)
	return frame(st, w, maxH, head, body, foot)
}

// progress is the bar and the counts.
func (m *Bulk) progress(st common.Styles, w int) string {
	done, failed, left := m.counts()
	total := max(len(m.items), 1)
	barW := min(30, max(w/3, 10))
	filled := (done + failed) * barW / total
	bar := st.Success.Render(strings.Repeat("━", filled)) + st.Muted.Render(strings.Repeat("─", barW-filled))
	s := fmt.Sprintf(" %d of %d", done+failed, len(m.items))
	if failed > 0 {
		s += st.Error.Render(fmt.Sprintf(" · %d failed", failed))
	}
	if left > 0 && m.stopping {
		s += st.Muted.Render(" · stopping")
	}
	return bar + st.Muted.Render(s)
}

// progressRows is how many lines of the progress list fit: the dialog less
// its title, the bar, the outcome and the key hint.
func (m *Bulk) progressRows() int {
	st := m.c.Styles
	return max(innerHeight(st, m.h)-6, 3)
}

// scrollKeys are the progress list's scroll keys, enabled when it does not
// fit.
func (m *Bulk) scrollKeys(k *KeyMap) []*key.Binding {
	if len(m.progressLines(m.c.Styles, innerWidth(m.c.Styles, m.w))) <= m.progressRows() {
		return nil
	}
	// One entry per pair keeps the hint short; Down and PageDown have
	// no help of their own (help.Wrapped skips them).
	k.Up.SetHelp(k.Up.Help().Key+k.Down.Help().Key, "scroll")
	k.Down.SetHelp("", "")
	k.PageUp.SetHelp(k.PageUp.Help().Key+"/"+k.PageDown.Help().Key, "page")
	k.PageDown.SetHelp("", "")
	return []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown}
}

// scrollBy moves the progress list d lines; from then on it stays put.
func (m *Bulk) scrollBy(d int) {
	n := len(m.progressLines(m.c.Styles, innerWidth(m.c.Styles, m.w)))
	last := max(0, n-(m.progressRows()-1))
	m.scroll = max(0, min(m.followed(), last)+d)
	m.scroll = min(m.scroll, last)
	m.scrolled = true
}

// followed is the progress list's first shown line: where the user put it,
// else where the work is (the first issue in flight, or after the run the
// first failure).
func (m *Bulk) followed() int {
	if m.scrolled {
		return m.scroll
	}
	line := 0
	for _, it := range m.items {
		if m.phase == phaseDone && it.state == itemFailed || m.phase != phaseDone && (it.state == itemRunning || it.state == itemPending) {
			return max(0, line-1) // one line of what came before, for context
		}
		line++
		if it.state == itemFailed && it.err != nil || it.state == itemSkipped {
			line++
		}
	}
	return 0
}

// progressList is the window of the progress list that fits, and under it
// which lines are shown when not all are.
func (m *Bulk) progressList(st common.Styles, w int) string {
	lines := m.progressLines(st, w)
	rows := m.progressRows()
	if len(lines) <= rows {
		return strings.Join(lines, "\n")
	}
	rows-- // the position line
	off := max(0, min(m.followed(), len(lines)-rows))
	pos := st.Muted.Render(fmt.Sprintf("  lines %d–%d of %d", off+1, off+rows, len(lines)))
	return strings.Join(lines[off:off+rows], "\n") + "\n" + pos
}

// progressLines are every issue's line (and its failure's reason).
func (m *Bulk) progressLines(st common.Styles, w int) []string {
	var out []string
	for _, it := range m.items {
		out = append(out, m.itemLine(st, w, it)...)
	}
	return out
}

// itemLine is one issue's progress: a mark, the key and summary, and the
// reason under it when it failed.
func (m *Bulk) itemLine(st common.Styles, w int, it *bulkItem) []string {
	var mark string
	switch it.state {
	case itemDone:
		mark = st.Success.Render("✓")
	case itemFailed:
		mark = st.Error.Render("✗")
	case itemSkipped:
		mark = st.Muted.Render("–")
	case itemRunning, itemLoading:
		mark = m.spin.View()
	default:
		mark = st.Muted.Render("·")
	}
	keyW := 0
	for _, x := range m.items {
		keyW = max(keyW, len(x.issue.Key))
	}
	k := it.issue.Key + strings.Repeat(" ", max(0, keyW-len(it.issue.Key)))
	out := []string{mark + " " + st.Key.Render(k) + " " + st.Muted.Render(ansi.Truncate(it.issue.Summary, max(w-keyW-3, 4), "…"))}
	switch {
	case it.state == itemFailed && it.err != nil:
		out = append(out, "  "+st.Error.Render(ansi.Truncate(shortError(it.err), max(w-2, 4), "…")))
	case it.state == itemSkipped:
		out = append(out, "  "+st.Muted.Render("not started: stopped"))
	case it.already:
		out = append(out, "  "+st.Muted.Render("already so: nothing sent"))
	}
	return out
}

// itemLines draws one line per issue (and its failure's reason), at most
// rows lines. When they do not fit, failures and the ones in flight are
// kept and the rest summed up. failedOnly lists just the failures.
func (m *Bulk) itemLines(st common.Styles, w, rows int, failedOnly bool) string {
	line := func(it *bulkItem) []string { return m.itemLine(st, w, it) }
	var all []string
	for _, it := range m.items {
		if failedOnly && it.state != itemFailed {
			continue
		}
		all = append(all, line(it)...)
	}
	if len(all) <= rows {
		return strings.Join(all, "\n")
	}
	// Too many: the failures and those in flight, then a count of the rest.
	var keep []string
	rest := 0
	for _, it := range m.items {
		if it.state == itemFailed || it.state == itemRunning {
			keep = append(keep, line(it)...)
		} else {
			rest++
		}
	}
	if len(keep) > rows-1 {
		keep = keep[:max(rows-1, 0)]
	}
	if rest > 0 && !failedOnly {
		keep = append(keep, st.Muted.Render(fmt.Sprintf("  … and %d more", rest)))
	}
	return strings.Join(keep, "\n")
}
