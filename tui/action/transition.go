package action

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// phase is what an overlay is doing.
type phase int

const (
	phaseLoading phase = iota // asking Jira for the choices
	phaseLoadFailed
	phasePick    // choosing from a list
	phaseForm    // filling in a transition screen
	phaseSending // the write is on its way
	phaseWaiting // Jira rate-limited the write; it goes again after a wait
	phaseRunning // bulk: working through the issues
	phaseDone    // bulk: finished, the summary is shown
)

func (p phase) String() string {
	return [...]string{"loading", "load failed", "pick", "form", "sending", "waiting", "running", "done"}[p]
}

// transitionsMsg answers the load of an issue's transitions.
type transitionsMsg struct {
	id  uint64
	key string
	ts  []jiraclient.Transition
	err error
}

// Failed lets the root notice an expired login.
func (m transitionsMsg) Failed() error { return m.err }

// loadTransitions asks Jira which transitions key has now, with their
// screens' fields, through the store (an expired login is replayed there).
func loadTransitions(c *common.Common, owner string, id uint64, key string) tea.Cmd {
	return c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return transitionsMsg{id: id, key: key, err: errNoClient}, errNoClient
		}
		ts, err := cl.Transitions(ctx, key)
		return transitionsMsg{id: id, key: key, ts: ts, err: err}, err
	})
}

// transitionItems are the picker's entries: the transition's name and,
// coloured by its category, where it leads.
func transitionItems(st common.Styles, ts []jiraclient.Transition) []item {
	items := make([]item, len(ts))
	for i, t := range ts {
		items[i] = item{label: t.Name, color: st.StatusColor(t.To.Category)}
		if t.To.Name != "" { // Jira may leave out where a transition leads
			items[i].detail = "→ " + t.To.Name
		}
		if needsForm(t) {
			items[i].detail += " …"
		}
	}
	return items
}

// Transition is the overlay that moves one issue through its workflow
// (key t): it loads the transitions Jira offers, lets the user pick one by
// typing, arrows or its number, asks for the transition screen's required
// fields when there are any, and sends it.
type Transition struct {
	c     *common.Common
	owner string // of its loads in the store; Close cancels them
	km    KeyMap
	issue jiraclient.Issue
	w, h  int
	spin  spinner.Model

	phase   phase
	reqID   uint64 // the load awaited
	loadErr error
	ts      []jiraclient.Transition
	pick    picker
	pending int // a pick typed while loading: -1 none, 0 the highlighted one, n the n-th

	chosen  *jiraclient.Transition // the one picked: a copy, so a reload of ts cannot move it
	form    *form
	formFor string // the transition id the form was built for
	token   string // the write in flight or last sent
	last    *write // the last write, for a retry
	back    phase  // where a failed send returns to (pick or form)
	sendErr error
	// unsettled: a send's outcome stayed unknown after its read-back, so
	// the next send reads the issue back first.
	unsettled bool
	errRest   map[string]string // field errors with no field in the form
	waitID    uint64
}

// NewTransition returns the transition overlay for issue. The root calls
// Init when it opens it.
func NewTransition(c *common.Common, issue jiraclient.Issue) common.Overlay {
	m := &Transition{c: c, owner: common.Owner("transition"), km: DefaultKeyMap(c.Keys), issue: issue, pending: -1}
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Title.UnsetBold()))
	m.pick = newPicker(c.Styles, "type to filter transitions")
	m.pick.numbered = true
	m.phase = phaseLoading
	return m
}

// Init loads the transitions.
func (m *Transition) Init() tea.Cmd { return tea.Batch(m.load(), m.spin.Tick) }

func (m *Transition) load() tea.Cmd {
	m.phase, m.loadErr = phaseLoading, nil
	m.reqID = nextID()
	return loadTransitions(m.c, m.owner, m.reqID, m.issue.Key)
}

// Retry repeats what failed for lack of a valid login, after the root
// signed the user in again; anything else is left as it is.
func (m *Transition) Retry() tea.Cmd {
	switch {
	case m.phase == phaseLoadFailed && jiraclient.IsAuth(m.loadErr):
		return tea.Batch(m.load(), m.spin.Tick)
	case m.sendErr != nil && jiraclient.IsAuth(m.sendErr) && m.last != nil && m.phase != phaseSending:
		return m.resend()
	}
	return nil
}

// Close cancels the transitions load if it is still out (common.Closer).
func (m *Transition) Close() { m.c.Cancel(m.owner) }

// SetSize sets the screen size the dialog is drawn for.
func (m *Transition) SetSize(w, h int) { m.w, m.h = w, h }

// Phase says what the overlay is doing, for tests and the root.
func (m *Transition) Phase() string { return m.phase.String() }

// InputFocused reports whether a text input has the focus (the root then
// keeps its own keys out: every printable key is text).
func (m *Transition) InputFocused() bool { return m.KeyMap().(KeyMap).typing }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Transition) KeyView() string { return "picker" }

// KeyMap is the keys that work now.
func (m *Transition) KeyMap() help.KeyMap {
	k := m.km
	switch m.phase {
	case phaseLoading:
		// The filter takes text typed ahead of the list.
		k.typingIn(m.pick.filter())
		k = k.only(&k.Close)
	case phaseLoadFailed:
		k = k.only(&k.Retry, &k.Close)
	case phasePick:
		k.Choose.SetHelp(k.Choose.Help().Key, "move")
		on := []*key.Binding{&k.Choose, &k.Up, &k.Down, &k.Close}
		if m.pick.filter() == "" && len(m.pick.shown) > 0 {
			on = append(on, &k.Number)
		}
		if i := m.pick.selected(); i >= 0 && len(m.ts[i].Fields) > 0 {
			k.Next.SetHelp(k.Next.Help().Key, "form")
			on = append(on, &k.Next)
		}
		k.typingIn(m.pick.filter())
		k = k.only(on...)
	case phaseForm:
		k = m.formKeys(k)
	case phaseSending:
		k.Close.SetHelp(k.Close.Help().Key, "hide (the change goes on)")
		k = k.only(&k.Close)
	case phaseWaiting:
		k.Choose.SetHelp(k.Choose.Help().Key, "send now")
		k = k.only(&k.Choose, &k.Back)
	}
	return k
}

func (m *Transition) formKeys(k KeyMap) KeyMap {
	m.form.typing(&k)
	if m.form.editorOpen() {
		k.Choose.SetHelp("enter", "done")
		return k.only(&k.Choose, &k.Up, &k.Down, &k.Back)
	}
	if m.form.listOpen() {
		k.Choose.SetHelp(k.Choose.Help().Key, "choose")
		return k.only(&k.Choose, &k.Up, &k.Down, &k.Back)
	}
	k.Send.SetHelp(k.Send.Help().Key, "move")
	on := []*key.Binding{&k.Send, &k.Next, &k.Prev, &k.Back}
	if ff := m.form.focused(); ff != nil && ff.kind != kindComment {
		k.Choose.SetHelp(k.Choose.Help().Key, "move")
		on = append(on, &k.Choose)
		if ff.kind == kindPick || ff.kind == kindEditor {
			on = append(on, &k.Open)
		}
	}
	return k.only(on...)
}

// Update handles keys, the load and the write's outcome.
func (m *Transition) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case transitionsMsg:
		return m, m.onLoaded(msg)
	case spinner.TickMsg:
		if m.phase != phaseLoading && m.phase != phaseSending {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case common.IssueConfirmedMsg:
		if msg.Token == m.token && m.token != "" {
			m.token = ""
			return m, common.CloseOverlay
		}
	case common.IssueRollbackMsg:
		if msg.Token == m.token && m.token != "" {
			return m, m.onFailed(msg.Err)
		}
	case retryTickMsg:
		if m.phase == phaseWaiting && msg.id == m.waitID {
			return m, m.resend()
		}
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		return m, m.input(msg)
	}
	if m.form != nil {
		return m, m.form.answer(msg) // an open field editor's searches
	}
	return m, nil
}

func (m *Transition) onLoaded(msg transitionsMsg) tea.Cmd {
	if msg.id != m.reqID || m.phase != phaseLoading {
		return nil
	}
	if msg.err != nil {
		m.phase, m.loadErr = phaseLoadFailed, msg.err
		return nil
	}
	m.ts = msg.ts
	m.pick.setItems(transitionItems(m.c.Styles, m.ts))
	m.phase = phasePick
	if m.pending < 0 {
		return nil
	}
	// The user picked while the list was on its way.
	i := m.pick.selected()
	if m.pending > 0 {
		i = m.pick.nth(m.pending)
	}
	m.pending = -1
	if i < 0 {
		return nil
	}
	return m.choose(i, false)
}

// input hands typed text to whatever takes it now.
func (m *Transition) input(msg tea.Msg) tea.Cmd {
	switch m.phase {
	case phaseLoading, phasePick:
		return m.pick.update(msg)
	case phaseForm:
		return m.form.update(msg)
	}
	return nil
}

func (m *Transition) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.phase == phaseLoading {
		// Typing ahead: the filter takes text, enter or a digit pick as
		// soon as the list is there.
		switch {
		case key.Matches(msg, m.km.Close):
			return common.CloseOverlay
		case key.Matches(msg, m.km.Choose):
			m.pending = 0
			return nil
		case m.km.digit(msg) > 0 && m.pick.filter() == "":
			m.pending = m.km.digit(msg)
			return nil
		}
		return m.pick.update(msg)
	}
	if m.phase == phaseForm {
		return m.onFormKey(msg)
	}
	k := m.KeyMap().(KeyMap)
	switch actionFor(k, msg) {
	case actClose:
		return common.CloseOverlay
	case actRetry:
		return tea.Batch(m.load(), m.spin.Tick)
	case actUp:
		m.pick.move(-1)
	case actDown:
		m.pick.move(1)
	case actNumber:
		if i := m.pick.nth(m.km.digit(msg)); i >= 0 {
			return m.choose(i, false)
		}
	case actChoose:
		if m.phase == phaseWaiting {
			return m.resend()
		}
		if i := m.pick.selected(); i >= 0 {
			return m.choose(i, false)
		}
	case actNext:
		if i := m.pick.selected(); i >= 0 {
			return m.choose(i, true)
		}
	case actBack:
		// Give up waiting for the rate limit; the choice stays.
		m.waitID = 0
		m.phase = m.back
	case actNone:
		if m.phase == phasePick {
			return m.pick.update(msg)
		}
	}
	return nil
}

func (m *Transition) onFormKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.form.editorOpen() {
		return m.form.editorKey(msg)
	}
	k := m.formKeys(m.km)
	f := m.form
	switch actionFor(k, msg) {
	case actBack:
		if f.listOpen() {
			f.focused().open = false
			return nil
		}
		m.phase, m.sendErr, m.errRest = phasePick, nil, nil
		return nil
	case actUp:
		f.focused().list.move(-1)
	case actDown:
		f.focused().list.move(1)
	case actChoose:
		if f.listOpen() {
			f.choose()
			return nil
		}
		return m.submit()
	case actOpen:
		return f.openFocused()
	case actNext:
		return f.focusOn(f.focus + 1)
	case actPrev:
		return f.focusOn(f.focus - 1)
	case actSend:
		if f.listOpen() {
			f.choose()
		}
		return m.submit()
	case actNone:
		return f.update(msg)
	}
	return nil
}

// choose takes transition i: sent at once when Jira needs nothing more,
// else (or when the user asked for it) through its form.
func (m *Transition) choose(i int, withForm bool) tea.Cmd {
	if i < 0 || i >= len(m.ts) {
		return nil
	}
	t := m.ts[i]
	m.chosen = &t
	m.sendErr, m.errRest = nil, nil
	if needsForm(t) || (withForm && len(t.Fields) > 0) {
		if m.form == nil || m.formFor != t.ID {
			m.form = newForm(m.c, m.scope(), t)
			m.formFor = t.ID
		}
		m.phase = phaseForm
		return m.form.focusOn(m.form.focus)
	}
	m.form = nil
	return m.send(t, nil, "", "", phasePick)
}

// submit sends the form when it is complete, else points at what is missing.
func (m *Transition) submit() tea.Cmd {
	if m.form == nil || m.chosen == nil {
		return nil
	}
	if first := m.form.check(); first >= 0 {
		cmd := m.form.focusOn(first)
		if ff := m.form.focused(); ff.kind == kindPick {
			ff.open = true
		}
		return cmd
	}
	values, comment, res := m.form.values()
	return m.send(*m.chosen, values, comment, res, phaseForm)
}

// scope is where the form's editors look (the sprints of the project).
func (m *Transition) scope() fields.Scope {
	p := m.issue.Project
	if p == "" {
		if i := strings.LastIndexByte(m.issue.Key, '-'); i > 0 {
			p = m.issue.Key[:i]
		}
	}
	return fields.Scope{Key: m.issue.Key, Project: p}
}

// send moves the issue through t: the new status shows at once, and
// Jira's answer confirms or undoes it. back is where a failure returns to.
func (m *Transition) send(t jiraclient.Transition, values []jiraclient.FieldChange, comment, resolution string, back phase) tea.Cmd {
	m.chosen = &t
	key := m.issue.Key
	in := jiraclient.TransitionInput{ID: t.ID, Values: values, Comment: comment}
	w := transitionWrite(key, t, in, resolution)
	m.last, m.back = &w, back
	return m.start(w)
}

// transitionWrite is one issue's move through t. When Jira did not say
// where t leads, the status is left as it is until Jira's answer shows it,
// and the note names the transition instead.
func transitionWrite(key string, t jiraclient.Transition, in jiraclient.TransitionInput, resolution string) write {
	to := t.To
	known := to.Name != "" || to.ID != ""
	note := key + " → " + to.Name
	if !known {
		note = key + ": " + t.Name
	}
	return write{
		key:   key,
		token: newToken("transition", key),
		patch: func(is jiraclient.Issue) jiraclient.Issue {
			if known {
				is.Status = to
			}
			if resolution != "" {
				is.Resolution = resolution
			}
			return is
		},
		do: func(ctx context.Context, cl *jiraclient.Client) error {
			return cl.DoTransition(ctx, key, in)
		},
		// Without a target status a dropped connection leaves the outcome
		// unknown, so it is reported rather than guessed.
		done: func(is jiraclient.Issue) bool { return known && sameStatus(is.Status, to) },
		note: note,
	}
}

// sameStatus compares statuses by id when both have one, else by name.
func sameStatus(a, b jiraclient.Status) bool {
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	return strings.EqualFold(a.Name, b.Name)
}

// start sends w with the client of the moment.
func (m *Transition) start(w write) tea.Cmd {
	w.checkFirst, m.unsettled = m.unsettled, false
	m.token = w.token
	m.phase = phaseSending
	return tea.Batch(w.run(m.c), m.spin.Tick)
}

// resend sends the last write again as a new change (a new token: the old
// one was rolled back).
func (m *Transition) resend() tea.Cmd {
	if m.last == nil {
		return nil
	}
	w := *m.last
	w.token = newToken("transition", w.key)
	m.last = &w
	return m.start(w)
}

// onFailed keeps the choice and shows why Jira refused it: field errors
// beside their fields (opening the form when they belong to one), a rate
// limit waited out here, the rest in the footer.
func (m *Transition) onFailed(err error) tea.Cmd {
	m.token = ""
	m.sendErr = err
	m.unsettled = m.unsettled || common.Unsettled(err)
	m.phase = m.back
	if d := rateWait(err); d > 0 {
		m.phase = phaseWaiting
		m.waitID = nextID()
		return retryAfter(d, m.waitID)
	}
	errs := fieldErrors(err)
	if len(errs) == 0 {
		m.errRest = nil
		return nil
	}
	if m.chosen == nil {
		return nil
	}
	t := *m.chosen
	var placeable []string
	missing := m.form == nil
	for id := range errs {
		if _, ok := t.Fields[id]; ok {
			placeable = append(placeable, id)
			missing = missing || m.form.field(id) == nil
		}
	}
	if len(placeable) > 0 && missing {
		// Jira wants a field the form does not show (a validator its
		// metadata did not flag): show it, beside its error.
		m.form = newForm(m.c, m.scope(), t, placeable...)
		m.formFor = t.ID
		m.phase, m.back = phaseForm, phaseForm
	}
	if m.form != nil {
		m.errRest = m.form.setErrors(errs)
	}
	return nil
}

// View draws the dialog.
func (m *Transition) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	maxH := innerHeight(st, m.h)
	head := title(st, "Move", m.issue.Key, m.issue.Summary, w) + "\n" +
		st.Label.Render("now ") + st.Status(m.issue.Status.Name, m.issue.Status.Category) + "\n"
	var body, foot string
	foot = m.status(st, w)
	if foot != "" {
		foot = "\n" + foot
	}
	foot += "\n" + helpLine(st, m.KeyMap(), w)
	// The form's room: below the transition's name and a blank line.
	room := maxH - len(splitLines(head)) - len(splitLines(foot)) - 2
	switch m.phase {
	case phaseLoading:
		body = m.spin.View() + " " + st.Muted.Render("loading the transitions Jira offers…")
		if m.pick.filter() != "" || m.pending >= 0 {
			body += "\n" + m.pick.input.View()
		}
	case phaseLoadFailed:
		what, hint := failure(m.loadErr)
		body = errorBlock(st, "could not load the transitions: "+what, hint, w)
	case phasePick, phaseWaiting, phaseSending:
		if m.phase == phaseSending || (m.phase == phaseWaiting && m.back == phaseForm) {
			body = m.chosenLine(st)
			if m.form != nil {
				body += "\n\n" + m.form.view(st, w, 1, room)
			}
		} else {
			if len(m.ts) == 0 {
				body = st.Muted.Render("Jira offers no transition for " + m.issue.Key + " now: you may lack the Transition issues permission, or the workflow has none from " + m.issue.Status.Name + ".")
			} else {
				body = m.pick.view(st, w, max(maxH-8, 3))
			}
		}
	case phaseForm:
		body = m.chosenLine(st) + "\n\n" + m.form.view(st, w, max(room-6, 3), room)
	}
	return frame(st, w, maxH, head, body, foot)
}

// chosenLine names the transition being sent or filled in.
func (m *Transition) chosenLine(st common.Styles) string {
	if m.chosen == nil {
		return ""
	}
	return transitionLine(st, *m.chosen)
}

// transitionLine is "Name → Status", or the name alone when Jira did not
// say where the transition leads.
func transitionLine(st common.Styles, t jiraclient.Transition) string {
	if t.To.Name == "" {
		return st.Bold.Render(t.Name)
	}
	return st.Bold.Render(t.Name) + " " + st.Muted.Render("→") + " " + st.Status(t.To.Name, t.To.Category)
}

// status is the footer's state line: the send in flight, the rate-limit
// wait, or the last failure with what to do.
func (m *Transition) status(st common.Styles, w int) string {
	switch m.phase {
	case phaseSending:
		return m.spin.View() + " " + st.Muted.Render("moving "+m.issue.Key+"…")
	case phaseWaiting:
		d := rateWait(m.sendErr)
		return wrap(st.Warning, "Jira is rate-limiting requests: sending again in "+roundSeconds(d)+" (enter sends now, esc stops)", w)
	}
	if m.sendErr == nil {
		return ""
	}
	if je := jiraErr(m.sendErr); je != nil && len(je.FieldErrors) > 0 && len(je.Messages) == 0 && m.form != nil && len(m.errRest) == 0 {
		return errorBlock(st, "Jira refused the values marked above", "fix them and press enter", w)
	}
	what, hint := failure(m.sendErr)
	return errorBlock(st, what, hint+retryHint(m.sendErr), w)
}

// retryHint says how to try again when trying again can help.
func retryHint(err error) string {
	switch jiraclient.KindOf(err) {
	case jiraclient.KindConflict, jiraclient.KindNetwork, jiraclient.KindTimeout, jiraclient.KindUnavailable, jiraclient.KindServer, jiraclient.KindRateLimited:
		return " — enter tries again"
	}
	return ""
}
