package detail

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/hyperlink"
)

func TestActionFor(t *testing.T) {
	k := DefaultKeyMap(nil)
	cases := []struct {
		key  string
		want action
	}{
		{"k", actUp}, {"up", actUp}, {"j", actDown}, {"down", actDown},
		{"ctrl+u", actHalfUp}, {"ctrl+d", actHalfDown},
		{"pgup", actPageUp}, {"pgdown", actPageDown},
		{"g", actTop}, {"home", actTop}, {"G", actBottom}, {"end", actBottom},
		{"tab", actNextLink}, {"]", actNextLink}, {"shift+tab", actPrevLink}, {"[", actPrevLink},
		{"enter", actOpen}, {"n", actNextIssue}, {"p", actPrevIssue}, {"r", actReload},
		{"esc", actBack}, {"q", actBack}, {"backspace", actBack}, {"h", actBack},
		{"w", actWatchers}, {"L", actLogWork}, {"K", actLinks}, {"A", actAttachments}, {"E", actEditField}, {"S", actSubtask},
		{"x", actNone}, {"l", actNone},
	}
	for _, c := range cases {
		if got := actionFor(k, press(c.key)); got != c.want {
			t.Errorf("key %q: action %d, want %d", c.key, got, c.want)
		}
	}
}

// topLine is the first page line under the title bar, without styles.
func topLine(m Model) string {
	lines := strings.Split(m.View(), "\n")
	if len(lines) < 2 {
		return ""
	}
	return plain(lines[1])
}

func TestScroll(t *testing.T) {
	m := ready(t, longIssue(50), 80, 24)
	h := 23 // 24 minus the title bar
	total := len(m.lines)
	if total < 3*h {
		t.Fatalf("long issue laid out in %d lines; the test needs several pages", total)
	}
	steps := []struct {
		key  string
		want int
	}{
		{"j", 1}, {"down", 2}, {"k", 1}, {"up", 0}, {"k", 0},
		{"ctrl+d", h / 2}, {"ctrl+u", 0},
		{"pgdown", h}, {"pgdown", 2 * h}, {"pgup", h},
		{"G", total - h}, {"j", total - h}, {"g", 0},
		{"end", total - h}, {"home", 0},
	}
	for _, s := range steps {
		m, _ = send(t, m, press(s.key))
		if got := m.vp.YOffset(); got != s.want {
			t.Fatalf("after %q offset is %d, want %d", s.key, got, s.want)
		}
		if got, want := topLine(m), plain(m.lines[s.want]); got != want {
			t.Fatalf("after %q the first line shown is %q, want %q", s.key, got, want)
		}
	}

	m, _ = send(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := m.vp.YOffset(); got != 3 {
		t.Errorf("wheel down: offset %d, want 3", got)
	}
	m, _ = send(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if got := m.vp.YOffset(); got != 0 {
		t.Errorf("wheel up: offset %d, want 0", got)
	}
}

func TestScrollIndicator(t *testing.T) {
	m := ready(t, longIssue(50), 80, 24)
	title := func() string { return plain(strings.SplitN(m.View(), "\n", 2)[0]) }
	if !strings.HasSuffix(title(), "  0%") {
		t.Errorf("title at the top = %q, want it to end in 0%%", title())
	}
	m, _ = send(t, m, press("G"))
	if !strings.HasSuffix(title(), "100%") {
		t.Errorf("title at the bottom = %q, want it to end in 100%%", title())
	}
	// A page that fits shows no position.
	m = ready(t, &jiraclient.Issue{Key: "KP-1", Summary: "Short"}, 80, 24)
	if strings.Contains(title(), "%") {
		t.Errorf("title of a page that fits = %q, want no position", title())
	}
}

// selectedKey reads the highlighted target off the screen, not the model.
func shownSelection(m Model) string {
	for _, l := range strings.Split(plain(m.View()), "\n") {
		if i := strings.Index(l, "▸ "); i >= 0 {
			return strings.Fields(l[i+len("▸ "):])[0]
		}
	}
	return ""
}

func TestLinkSelectionAndOpen(t *testing.T) {
	m := ready(t, richIssue(), 80, 120) // tall enough that every target is on screen
	if m, msg := send(t, m, press("enter")); msg != nil || shownSelection(m) != "" {
		t.Fatalf("enter with nothing selected sent %#v", msg)
	}
	order := []string{"KP-1", "KP-20", "KP-21", "KP-30", "KP-31", "WEB-7"}
	for i, want := range append(order, order[0]) {
		k := "tab"
		if i%2 == 1 {
			k = "]"
		}
		m, _ = send(t, m, press(k))
		if got := shownSelection(m); got != want {
			t.Fatalf("after %d× next link the selection shown is %q, want %q", i+1, got, want)
		}
		var msg tea.Msg
		_, msg = send(t, m, press("enter"))
		if got, ok := msg.(OpenIssueMsg); !ok || got.Key != want {
			t.Fatalf("enter on %s sent %#v, want OpenIssueMsg{%s}", want, msg, want)
		}
	}
	m, _ = send(t, m, press("shift+tab"))
	if got := shownSelection(m); got != "WEB-7" {
		t.Fatalf("shift+tab from the first link selected %q, want the last, WEB-7", got)
	}
	m, _ = send(t, m, press("["))
	if got := shownSelection(m); got != "KP-31" {
		t.Fatalf("[ selected %q, want KP-31", got)
	}
}

func TestSelectionScrollsIntoView(t *testing.T) {
	m := ready(t, richIssue(), 80, 24)
	for range 6 { // to WEB-7, far below the first screen
		m, _ = send(t, m, press("tab"))
	}
	if got := shownSelection(m); got != "WEB-7" {
		t.Fatalf("the selected link WEB-7 is not on screen (shown: %q)", got)
	}
}

func TestSelectionRestartsFromScreen(t *testing.T) {
	m := ready(t, richIssue(), 80, 24)
	m, _ = send(t, m, press("tab")) // KP-1, in the header
	// Scroll so the sub-tasks are at the top and the parent is out of sight.
	line := -1
	for _, tg := range m.doc.targets {
		if tg.key == "KP-20" {
			line = tg.line
		}
	}
	m.vp.SetYOffset(line)
	m, _ = send(t, m, press("tab"))
	if got := shownSelection(m); got != "KP-20" {
		t.Errorf("tab after scrolling selected %q, want the first link on screen, KP-20", got)
	}
	m.vp.SetYOffset(0)
	m, _ = send(t, m, press("tab")) // KP-20 is off screen again: restart at KP-1
	if got := shownSelection(m); got != "KP-1" {
		t.Errorf("tab back at the top selected %q, want KP-1", got)
	}
}

func TestStepBackReload(t *testing.T) {
	states := map[string]Model{
		"ready":   ready(t, richIssue(), 80, 24),
		"loading": New(testCommon()).SetSize(80, 24).SetLoading("KP-19"),
		"error":   New(testCommon()).SetSize(80, 24).SetError("KP-19", errors.New("boom")),
	}
	for name, m := range states {
		t.Run(name, func(t *testing.T) {
			want := map[string]tea.Msg{
				"n": StepMsg{Delta: 1}, "p": StepMsg{Delta: -1},
				"esc": BackMsg{}, "q": BackMsg{}, "backspace": BackMsg{}, "h": BackMsg{},
				"r": ReloadMsg{Key: "KP-19"},
			}
			for k, w := range want {
				_, got := send(t, m, press(k))
				if got != w {
					t.Errorf("%q sent %#v, want %#v", k, got, w)
				}
			}
		})
	}
	// Nothing to reload in an empty pane.
	if _, msg := send(t, New(testCommon()).SetSize(80, 24), press("r")); msg != nil {
		t.Errorf("r on an empty pane sent %#v", msg)
	}
}

func TestLoading(t *testing.T) {
	m := New(testCommon()).SetSize(80, 24).SetLoading("KP-7")
	if m.Key() != "KP-7" || m.Issue() != nil {
		t.Fatalf("loading: Key %q Issue %v", m.Key(), m.Issue())
	}
	v := plain(m.View())
	if !strings.Contains(v, "Loading KP-7…") {
		t.Fatalf("loading view lacks the key:\n%s", v)
	}
	checkFrame(t, m.View(), 80, 24)

	// Keys that need a page do nothing, and say nothing.
	for _, k := range []string{"j", "G", "tab", "enter"} {
		var msg tea.Msg
		m, msg = send(t, m, press(k))
		if msg != nil {
			t.Errorf("%q while loading sent %#v", k, msg)
		}
	}

	init := m.Init()
	if init == nil {
		t.Fatal("Init while loading returned no command: the spinner would not turn")
	}
	tick := init()
	before := m.View()
	m, cmd := m.Update(tick)
	if cmd == nil {
		t.Fatal("a spinner tick while loading did not schedule the next one")
	}
	if m.View() == before {
		t.Error("a spinner tick did not move the spinner")
	}

	m = m.SetIssue(richIssue())
	if _, cmd := m.Update(spinner.TickMsg{ID: m.spinner.ID()}); cmd != nil {
		t.Error("a spinner tick after loading kept the spinner going")
	}
	if m.Init() != nil {
		t.Error("Init with an issue shown returned a command")
	}
}

// hintErr mimics *jiraclient.Error: Error() is "what: hint".
type hintErr struct{}

func (hintErr) Error() string {
	return "Issue does not exist or you do not have permission to see it (HTTP 404 on GET /rest/api/3/issue/KP-404): check the key or ID, and that your account can browse the project"
}
func (hintErr) Hint() string {
	return "check the key or ID, and that your account can browse the project"
}

func TestError(t *testing.T) {
	m := New(testCommon()).SetSize(80, 24).SetError("KP-404", fmt.Errorf("loading KP-404: %w", hintErr{}))
	if m.Key() != "KP-404" || m.Issue() != nil {
		t.Fatalf("error: Key %q Issue %v", m.Key(), m.Issue())
	}
	v := plain(m.View())
	for _, want := range []string{"Could not load KP-404", "Loading KP-404: Issue does not exist", "Check the key or ID", "r retry", "esc back"} {
		if !strings.Contains(v, want) {
			t.Errorf("error view lacks %q:\n%s", want, v)
		}
	}
	if n := strings.Count(strings.ToLower(v), "check the key"); n != 1 {
		t.Errorf("the hint shows %d times, want once:\n%s", n, v)
	}
	checkFrame(t, m.View(), 80, 24)

	m = m.SetError("KP-1", nil)
	if v := plain(m.View()); !strings.Contains(v, "no reason was given") {
		t.Errorf("an error without a cause shows nothing to read:\n%s", v)
	}
}

func TestRefetchKeepsPosition(t *testing.T) {
	m := ready(t, longIssue(50), 80, 24)
	m, _ = send(t, m, press("tab"))
	for range 5 {
		m, _ = send(t, m, press("j"))
	}

	// A refresh keeps the page on screen while it loads.
	m = m.SetLoading("KP-99")
	if m.Issue() == nil || !strings.Contains(plain(m.View()), "Board cards") {
		t.Fatal("a refresh of the shown issue replaced the page")
	}
	if m.Init() == nil {
		t.Error("a refresh has no spinner")
	}
	again := longIssue(50)
	again.Summary = "Board cards jump back (edited)"
	m = m.SetIssue(again)
	if got := m.vp.YOffset(); got != 5 {
		t.Errorf("after a re-fetch the offset is %d, want 5", got)
	}
	if got := m.selectedKey(); got != "KP-1" {
		t.Errorf("after a re-fetch the selection is %q, want KP-1", got)
	}

	// Through an error and back: still where the reader was.
	m = m.SetError("KP-99", errors.New("timeout")).SetIssue(longIssue(50))
	if got := m.vp.YOffset(); got != 5 {
		t.Errorf("after error then re-fetch the offset is %d, want 5", got)
	}

	// Another issue starts at the top.
	other := longIssue(50)
	other.Key = "KP-100"
	m = m.SetLoading("KP-100").SetIssue(other)
	if got := m.vp.YOffset(); got != 0 || m.selectedKey() != "" {
		t.Errorf("a different issue opened at offset %d with %q selected", got, m.selectedKey())
	}
	m, _ = send(t, m, press("G"))

	// Back to the first: where the reader left it, and the other too.
	m = m.SetIssue(longIssue(50))
	if got := m.vp.YOffset(); got != 5 || m.selectedKey() != "KP-1" {
		t.Errorf("back on KP-99: offset %d selection %q, want 5 and KP-1", got, m.selectedKey())
	}
	m = m.SetIssue(other)
	if got := m.vp.YOffset(); got != len(m.lines)-23 {
		t.Errorf("back on KP-100: offset %d, want the bottom %d", got, len(m.lines)-23)
	}

	// The memory is bounded, oldest forgotten first.
	for i := range memoSize + 2 {
		is := richIssue()
		is.Key = fmt.Sprintf("X-%d", i)
		m = m.SetIssue(is)
		m, _ = send(t, m, press("j"))
	}
	if len(m.memo) > memoSize {
		t.Errorf("remembers %d issues, more than %d", len(m.memo), memoSize)
	}
	if _, ok := m.recall("KP-99"); ok {
		t.Error("the oldest place was not forgotten")
	}
	if e, ok := m.recall(fmt.Sprintf("X-%d", memoSize)); !ok || e.offset != 1 {
		t.Errorf("a recent place was lost: %+v %v", e, ok)
	}
}

// TestMemoNotShared: models are values; an old copy's memory must not
// change when a newer copy remembers more.
func TestMemoNotShared(t *testing.T) {
	m := ready(t, richIssue(), 80, 24)
	m, _ = send(t, m, press("j"))
	other := richIssue()
	other.Key = "KP-2"
	a := m.SetIssue(other)
	b := m.SetIssue(other)
	a, _ = send(t, a, press("j"))
	a, _ = send(t, a, press("j"))
	a = a.SetIssue(richIssue())
	b = b.SetIssue(richIssue()) // b never scrolled KP-2
	if e, _ := b.recall("KP-2"); e.offset != 0 {
		t.Errorf("a copy's memory changed under it: KP-2 at %d, want 0", e.offset)
	}
	if e, _ := a.recall("KP-2"); e.offset != 2 {
		t.Errorf("KP-2 remembered at %d, want 2", e.offset)
	}
}

func TestResizeRewraps(t *testing.T) {
	m := ready(t, richIssue(), 80, 24)
	at80 := m.View()
	m = m.SetSize(50, 24)
	for i, l := range m.lines {
		if w := lineWidth(l); w > 50 {
			t.Fatalf("line %d is %d wide at width 50: %q", i, w, plain(l))
		}
	}
	if !strings.Contains(plain(strings.Join(m.lines, "\n")), "Lorem Ipsum es simplemente el texto de relleno de") {
		t.Error("the description did not re-wrap to 50 columns")
	}
	checkFrame(t, m.View(), 50, 24)
	if m = m.SetSize(80, 24); m.View() != at80 {
		t.Error("back at 80 columns the view differs from the first layout")
	}
}

func TestFrames(t *testing.T) {
	sizes := [][2]int{{1, 1}, {5, 3}, {12, 4}, {20, 5}, {40, 10}, {80, 24}, {133, 41}, {200, 60}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		models := map[string]Model{
			"empty":   New(testCommon()).SetSize(w, h),
			"loading": New(testCommon()).SetSize(w, h).SetLoading("KP-19"),
			"error":   New(testCommon()).SetSize(w, h).SetError("KP-19", hintErr{}),
			"rich":    ready(t, richIssue(), w, h),
			"long":    ready(t, longIssue(50), w, h),
			"bare":    ready(t, &jiraclient.Issue{}, w, h),
		}
		for name, m := range models {
			t.Run(fmt.Sprintf("%s/%dx%d", name, w, h), func(t *testing.T) {
				checkFrame(t, m.View(), w, h)
				m, _ = send(t, m, press("G"))
				checkFrame(t, m.View(), w, h)
			})
		}
	}
	if New(testCommon()).View() != "" {
		t.Error("a view with no size drew something")
	}
}

func TestContent(t *testing.T) {
	m := ready(t, richIssue(), 80, 200)
	v := plain(m.View())
	for _, want := range []string{
		"Status        In Progress", "Priority      Medium", "Assignee      Ada Lovelace",
		"Reporter      Carlos Treminio", "Created       3 days ago (2026-11-20 09:30)",
		"Updated       3 hours ago (2026-11-23 09:00)", "Labels        board, safari, regression",
		"Components    Web UI", "Fix versions  2.4.0", "Sprint        KP Sprint 12",
		"Parent        KP-1  Board overhaul",
		"## Steps to reproduce", "panic(\"board out of sync\")", "│ sadsadsad", "Safari ", "│ no",
		"the runbook https://example.com/runbook",
		"Sub-tasks (2)", "Links (3)", "blocks", "is blocked by", "Attachments (2)",
		"safari-console.png  178.9 KB · Carlos Treminio · 3 days ago",
		"Comments (2)", "Ada Lovelace · 1 day ago (2026-11-22 10:00) · edited",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Mentions read as names, styled like links, without their ids.
	if strings.Contains(v, "mention:") || !strings.Contains(v, "Log in as @Carlos Treminio") {
		t.Errorf("mentions are not shown as @Name:\n%s", v)
	}
	accent := "38;2;88;166;255" // the dark palette's accent, #58A6FF
	for _, l := range m.lines {
		if strings.Contains(plain(l), "@Carlos Treminio") && !strings.Contains(l, accent) {
			t.Errorf("the mention is not in the accent colour: %q", l)
		}
	}
	// The status is drawn in its category's colour (in progress: accent blue).
	for _, l := range m.lines {
		if strings.HasPrefix(plain(l), "Status") && !strings.Contains(l, accent) {
			t.Errorf("the status is not coloured by its category: %q", l)
		}
	}
	// Comments read oldest first, newest last, whatever order Jira sent.
	if a, b := strings.Index(v, "asdsadsad"), strings.Index(v, "Confirmed on Safari"); a < 0 || b < 0 || a > b {
		t.Errorf("comments are not oldest first (oldest at %d, newest at %d)", a, b)
	}
	// Links keep Jira's order inside a relation and group relations.
	if a, b, c := strings.Index(v, "KP-30"), strings.Index(v, "KP-31"), strings.Index(v, "WEB-7"); !(a < b && b < c) {
		t.Errorf("links are not grouped by relation: KP-30@%d KP-31@%d WEB-7@%d", a, b, c)
	}
}

func TestSparseIssue(t *testing.T) {
	is := &jiraclient.Issue{Key: "KP-2", Summary: "Nothing else", CommentTotal: 45,
		Comments: []jiraclient.Comment{{Author: jiraclient.User{Name: "jdoe"}, Body: ""}}}
	v := plain(ready(t, is, 80, 40).View())
	for _, want := range []string{"No description.", "Unassigned", "Showing 1 of 45 comments.", "jdoe", "(empty comment)"} {
		if !strings.Contains(v, want) {
			t.Errorf("sparse page lacks %q:\n%s", want, v)
		}
	}
	for _, absent := range []string{"Sub-tasks", "Links", "Attachments", "Labels", "Parent", "Reporter"} {
		if strings.Contains(v, absent) {
			t.Errorf("sparse page shows an empty %q", absent)
		}
	}
	if !strings.Contains(plain(New(nil).SetSize(80, 24).SetIssue(is).View()), "KP-2") {
		t.Error("a view made with a nil Common shows nothing")
	}
	if m := ready(t, is, 80, 24).SetIssue(nil); m.Key() != "" || m.Issue() != nil || !strings.Contains(m.View(), "No issue selected") {
		t.Error("SetIssue(nil) did not empty the pane")
	}
}

func TestLongSummaryShownWhole(t *testing.T) {
	is := richIssue()
	is.Summary = strings.Repeat("very long summary words ", 8) + "END"
	m := ready(t, is, 80, 60)
	v := plain(m.View())
	if first := strings.SplitN(v, "\n", 2)[0]; !strings.Contains(first, "…") {
		t.Errorf("the title bar does not mark the cut summary: %q", first)
	}
	if !strings.Contains(v, "END") {
		t.Error("a summary cut in the title bar is not shown whole on the page")
	}
}

func TestKeyMapFollowsState(t *testing.T) {
	enabled := func(km interface{ FullHelp() [][]key.Binding }, name string) bool {
		for _, col := range km.FullHelp() {
			for _, b := range col {
				if b.Help().Desc == name {
					return b.Enabled()
				}
			}
		}
		t.Fatalf("no binding %q in the help", name)
		return false
	}
	m := ready(t, richIssue(), 80, 24)
	if !enabled(m.KeyMap(), "next link") || enabled(m.KeyMap(), "open link") {
		t.Error("with links and none selected: next link should be on, open off")
	}
	m, _ = send(t, m, press("tab"))
	if !enabled(m.KeyMap(), "open link") {
		t.Error("with a link selected, open is off")
	}
	l := New(testCommon()).SetSize(80, 24).SetLoading("KP-1")
	if enabled(l.KeyMap(), "down") || enabled(l.KeyMap(), "next link") || !enabled(l.KeyMap(), "back") {
		t.Error("while loading only leaving and stepping should be offered")
	}
	if len(m.KeyMap().ShortHelp()) == 0 {
		t.Error("no short help")
	}
}

// TestNoEscapesFromJira: text from Jira cannot drive the terminal. With
// hyperlinks on, the only OSC on screen is jiffy's own OSC 8 to a clean
// http(s) target (hyperlink.Verify); once those are taken out, nothing
// of the attack is left.
func TestNoEscapesFromJira(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\x9b31m"
	is := richIssue()
	is.Key = "KP-1" + evil
	is.Summary = "Summary" + evil
	is.Description = "Body " + evil + "\n\n```\n" + evil + "\n```\n\n[x](https://example.com/" + evil + ") [y](javascript:" + evil + ") <https://e.com/" + evil + "> KP-2" + evil
	is.Labels = []string{"l" + evil}
	is.Assignee.DisplayName = "Ada" + evil
	is.Comments[0].Body = evil + " [z](https://example.com/a b" + evil + ")"
	is.Comments[0].Author.DisplayName = "Eve" + evil
	is.Links[0].Relation = "blocks" + evil
	is.Links[0].Issue.Summary = evil
	is.Links[1].Issue.Status.Name = evil
	is.Subtasks[0].Key = "KP-20" + evil
	is.Attachments[0].Filename = "f" + evil
	for _, c := range []*common.Common{testCommon(), linkCommon(t)} {
		for _, v := range []string{
			New(c).SetSize(80, 200).SetIssue(is).View(),
			Preview(c, is, 60, 40, 0),
			New(c).SetSize(80, 24).SetError("KP-1", errors.New("server said "+evil)).View(),
			New(c).SetSize(80, 24).SetLoading("KP-1" + evil).View(),
		} {
			if err := hyperlink.Verify(v); err != nil {
				t.Errorf("hyperlinks %v: %v", c.Hyperlinks, err)
			}
			if !c.Hyperlinks && strings.Contains(v, "\x1b]8;") {
				t.Error("a link reached the screen with hyperlinks off")
			}
			v = osc8RE.ReplaceAllString(v, "")
			for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\x9b", "pwned\x07"} {
				if strings.Contains(v, bad) {
					t.Errorf("a control sequence from Jira reached the screen: %q in\n%q", bad, v)
				}
			}
		}
	}
}

// TestThemeChange: when the root swaps Common's styles for a light
// background, the page is drawn again in the light theme, in place.
func TestThemeChange(t *testing.T) {
	c := testCommon()
	m := New(c).SetSize(80, 24).SetIssue(richIssue())
	m, _ = send(t, m, press("j"))
	m, _ = send(t, m, press("tab"))
	dark := m.View()
	c.Styles = common.NewStyles(false)
	m, _ = send(t, m, tea.BackgroundColorMsg{})
	if m.View() == dark {
		t.Fatal("the page kept its dark colours after the styles changed")
	}
	if plain(m.View()) != plain(dark) {
		t.Error("a theme change moved the page or lost the selection")
	}
	if m.doc.theme != themeOf(c).id {
		t.Error("the page was not rebuilt with the light theme")
	}
	// SetSize notices too, for a root that does not forward the message.
	c.Styles = common.NewStyles(true)
	if m = m.SetSize(80, 24); m.View() != dark {
		t.Error("SetSize after switching back did not restore the dark page")
	}
}

// TestViewRendersNothing: View and Update only slice what SetIssue laid
// out; glamour never runs there (it would show as a cache entry).
func TestViewRendersNothing(t *testing.T) {
	m := ready(t, longIssue(20), 80, 24)
	saved := renders
	renders = newMDCache(mdCacheSize)
	t.Cleanup(func() { renders = saved })
	for _, k := range []string{"j", "G", "tab", "tab", "shift+tab", "g", "ctrl+d"} {
		m, _ = send(t, m, press(k))
		_ = m.View()
	}
	if n := renders.ll.Len(); n != 0 {
		t.Errorf("View or Update rendered %d Markdown bodies", n)
	}
}

// TestKeylessLinkNotSelectable: a link Jira sent without a key or an id is
// shown but cannot be opened, so tab skips it.
func TestKeylessLinkNotSelectable(t *testing.T) {
	is := &jiraclient.Issue{Key: "KP-5", Summary: "s", Links: []jiraclient.IssueLink{
		{Relation: "relates to", Issue: jiraclient.IssueRef{Summary: "ghost"}},
		{Relation: "relates to", Issue: jiraclient.IssueRef{ID: "10077", Summary: "by id"}},
	}}
	m := ready(t, is, 80, 24)
	if !strings.Contains(plain(m.View()), "ghost") {
		t.Error("the keyless link is not shown")
	}
	m, _ = send(t, m, press("tab"))
	m, _ = send(t, m, press("tab"))
	_, msg := send(t, m, press("enter"))
	if got, ok := msg.(OpenIssueMsg); !ok || got.Key != "10077" {
		t.Errorf("enter sent %#v, want OpenIssueMsg{10077} (the only openable link)", msg)
	}
}
