package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/fields"
	"github.com/jiffy-tui/jiffy/tui/login"
)

const toDo = `status = "To Do" ORDER BY key ASC`

func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		if r == ' ' {
			out = append(out, press("space"))
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// triageRoot is a root on the To Do issues of a fake site, signed in as
// the fake's user, with drafts in a temporary directory.
func triageRoot(t *testing.T, flavor string) (*driver, fakeSite, *config.Drafts) {
	t.Helper()
	site := startFake(t, flavor)
	drafts, err := config.LoadDrafts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	me := site.srv.Me()
	d := newDriver(t, New(Options{
		Client: site.client, JQL: toDo, Now: site.srv.Now, Drafts: drafts,
		Me: &jiraclient.User{AccountID: me.AccountID, Name: me.Name, Key: me.Key, DisplayName: me.DisplayName, Email: me.Email, Active: true},
	}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.m.Init())
	if len(d.m.list.Issues()) < 8 {
		t.Fatalf("only %d To Do issues", len(d.m.list.Issues()))
	}
	return d, site, drafts
}

func (d *driver) row(key string) jiraclient.Issue {
	d.t.Helper()
	is, ok := d.m.list.Issue(key)
	if !ok {
		d.t.Fatalf("%s is not in the list", key)
	}
	return is
}

// cursorTo moves the list's cursor to the i-th row.
func (d *driver) cursorTo(i int) string {
	d.t.Helper()
	msgs := []tea.Msg{press("g")}
	for range i {
		msgs = append(msgs, press("j"))
	}
	d.send(msgs...)
	return d.m.list.Current().Key
}

func snap(t *testing.T, s fakeSite, key string) fakejira.IssueSnapshot {
	t.Helper()
	is, ok := s.srv.Issue(key)
	if !ok {
		t.Fatalf("no issue %s", key)
	}
	return is
}

// TestTriageKeysFromTheList drives t, i, c, a, e, l and C from the list
// against fakejira, and checks what Jira ends with and what the list shows.
func TestTriageKeysFromTheList(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			d, site, _ := triageRoot(t, flavor)
			me := site.srv.Me()
			myID := me.AccountID
			if flavor == fakejira.FlavorDataCenter {
				myID = me.Name
			}

			// t: pick "In Progress" by typing, enter sends it.
			k := d.cursorTo(0)
			site.srv.ResetRequests()
			d.send(press("t"))
			if _, ok := d.m.overlay.(*action.Transition); !ok {
				t.Fatalf("t opened %T", d.m.overlay)
			}
			d.send(typed("in progress")...)
			d.send(press("enter"))
			if d.m.overlay != nil {
				t.Fatalf("transition overlay still open:\n%s", screen(d.m))
			}
			if got := snap(t, site, k).Status; got != "In Progress" {
				t.Fatalf("%s is %q in Jira", k, got)
			}
			if got := d.row(k).Status.Name; got != "In Progress" {
				t.Fatalf("the list shows %s as %q", k, got)
			}
			if !strings.Contains(screen(d.m), k+" → In Progress") && !strings.Contains(screen(d.m), "In Progress") {
				t.Fatalf("no confirmation:\n%s", screen(d.m))
			}
			t.Logf("transition: %d requests", len(site.srv.Requests()))

			// i: assign to me, no overlay.
			k = ""
			for i, is := range d.m.list.Issues() {
				if i > 0 && snap(t, site, is.Key).Assignee != myID {
					k = d.cursorTo(i)
					break
				}
			}
			site.srv.ResetRequests()
			d.send(press("i"))
			if d.m.overlay != nil {
				t.Fatalf("i opened %T", d.m.overlay)
			}
			if got := snap(t, site, k).Assignee; got != myID {
				t.Fatalf("%s assigned to %q in Jira, want %q", k, got, myID)
			}
			if a := d.row(k).Assignee; a == nil || a.DisplayName != me.DisplayName {
				t.Fatalf("the list shows %s assigned to %+v", k, a)
			}
			t.Logf("assign to me: %d requests", len(site.srv.Requests()))

			// c: write, ctrl+s sends; the detail then shows the comment.
			k = d.cursorTo(3)
			before := snap(t, site, k).Comments
			site.srv.ResetRequests()
			d.send(press("c"))
			if _, ok := d.m.overlay.(*compose.Comment); !ok {
				t.Fatalf("c opened %T", d.m.overlay)
			}
			d.send(typed("Reproduced on main")...)
			d.send(ctrl('s'))
			if d.m.overlay != nil {
				t.Fatalf("comment editor still open:\n%s", screen(d.m))
			}
			if got := snap(t, site, k).Comments; got != before+1 {
				t.Fatalf("%s has %d comments, want %d", k, got, before+1)
			}
			t.Logf("comment: %d requests", len(site.srv.Requests()))
			d.send(press("enter"))
			if d.m.state != stateDetail || d.m.detail.Issue() == nil {
				t.Fatalf("no detail:\n%s", screen(d.m))
			}
			shown := false
			for _, c := range d.m.detail.Issue().Comments {
				shown = shown || strings.Contains(c.Body, "Reproduced on main")
			}
			if !shown {
				t.Fatalf("the detail's issue lacks the comment: %+v", d.m.detail.Issue().Comments)
			}
			// From the detail, the keys work on the issue shown.
			d.send(press("a"))
			if o, ok := d.m.overlay.(*action.Assign); !ok {
				t.Fatalf("a in the detail opened %T", o)
			}
			d.send(press("esc"))
			d.send(press("e"))
			if _, ok := d.m.overlay.(*fields.Edit); !ok {
				t.Fatalf("e opened %T", d.m.overlay)
			}
			d.send(press("esc"))
			if d.m.overlay != nil {
				t.Fatalf("esc left %T open", d.m.overlay)
			}
			// E: the full form of the summary and description.
			d.send(press("E"))
			if _, ok := d.m.overlay.(*compose.Edit); !ok {
				t.Fatalf("E opened %T", d.m.overlay)
			}
			d.send(press("esc"))
			if d.m.overlay != nil {
				t.Fatalf("esc left %T open", d.m.overlay)
			}
			// S: a sub-task of the issue shown.
			d.send(press("S"))
			if _, ok := d.m.overlay.(*compose.Create); !ok || !strings.Contains(screen(d.m), "New sub-task of "+d.m.detail.Issue().Key) {
				t.Fatalf("S opened %T:\n%s", d.m.overlay, screen(d.m))
			}
			d.send(press("esc"))
			if d.m.overlay != nil {
				t.Fatalf("esc left %T open", d.m.overlay)
			}
			d.send(press("esc"))

			// With issues selected, t opens the bulk overlay; C opens create.
			d.cursorTo(4)
			d.send(press("space"), press("j"), press("space"))
			if n := len(d.m.list.Selected()); n != 2 {
				t.Fatalf("%d selected", n)
			}
			d.send(press("l"))
			if _, ok := d.m.overlay.(*action.Bulk); !ok {
				t.Fatalf("l with a selection opened %T", d.m.overlay)
			}
			d.send(press("esc"))
			if d.m.overlay != nil {
				d.send(press("esc"))
			}
			d.send(press("esc")) // clears the selection
			if n := len(d.m.list.Selected()); n != 0 {
				t.Fatalf("esc left %d selected", n)
			}
			d.send(press("C"))
			if _, ok := d.m.overlay.(*compose.Create); !ok {
				t.Fatalf("C opened %T", d.m.overlay)
			}
		})
	}
}

// TestRefusedWriteRollsBack: Jira refuses an assign; the row shows the
// old assignee again and the status bar says why.
func TestRefusedWriteRollsBack(t *testing.T) {
	d, site, _ := triageRoot(t, fakejira.FlavorCloud)
	k := ""
	for i, is := range d.m.list.Issues() {
		if is.Assignee == nil {
			k = d.cursorTo(i)
			break
		}
	}
	before := d.row(k).Assignee
	site.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
	// The patch shows at once, before any answer.
	nm, cmd := d.m.Update(press("i"))
	d.m = nm.(Model)
	msgs := runAll(cmd)
	if len(msgs) == 0 {
		t.Fatal("i did nothing")
	}
	patched := false
	for _, msg := range msgs {
		nm, _ := d.m.Update(msg)
		d.m = nm.(Model)
		if a := d.row(k).Assignee; a != nil && a.DisplayName == site.srv.Me().DisplayName {
			patched = true
		}
	}
	if !patched {
		t.Fatal("the row never showed the change")
	}
	if a := d.row(k).Assignee; !reflect.DeepEqual(a, before) {
		t.Fatalf("not rolled back: %+v, want %+v", a, before)
	}
	if s := screen(d.m); !strings.Contains(s, k+":") || !strings.Contains(strings.ToLower(s), "permission") {
		t.Fatalf("no reason shown:\n%s", s)
	}
	if n := d.m.c.Issues.Writing(); n != 0 {
		t.Fatalf("%d writes left unsettled in the store", n)
	}
}

// runAll runs cmd and everything it batches or sequences, in order.
func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch m := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, runAll(c)...)
		}
		return out
	}
	if cs, ok := sequence(msg); ok {
		var out []tea.Msg
		for _, c := range cs {
			out = append(out, runAll(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// TestCommentSentAfterRelogin: the token expires as the comment is sent;
// the login opens over the editor, and signing in again sends it with no
// key pressed.
func TestCommentSentAfterRelogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			d, site, drafts := triageRoot(t, flavor)
			k := d.cursorTo(1)
			before := snap(t, site, k).Comments
			d.send(press("c"))
			d.send(typed("Still failing after the fix")...)
			site.srv.ExpireToken()
			d.send(ctrl('s'))
			if d.m.state != stateLogin || !d.m.reauth {
				t.Fatalf("no login after the expired token: state %v", d.m.state)
			}
			if _, ok := d.m.overlay.(*compose.Comment); !ok {
				t.Fatalf("the editor is gone: %T", d.m.overlay)
			}
			if dr, ok := drafts.Get("comment:" + k); !ok || dr.Text != "Still failing after the fix" {
				t.Fatalf("draft %+v %v", dr, ok)
			}
			site.srv.SetToken("fresh-token")
			d.send(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: d.m.c.Me})
			if got := snap(t, site, k).Comments; got != before+1 {
				t.Fatalf("%s has %d comments after the re-login, want %d", k, got, before+1)
			}
			if d.m.overlay != nil || d.m.state != stateList {
				t.Fatalf("after sending: overlay %T state %v", d.m.overlay, d.m.state)
			}
			if _, ok := drafts.Get("comment:" + k); ok {
				t.Fatal("the sent comment's draft is still kept")
			}
		})
	}
}

// TestQuitKeepsTheDraft: ctrl+c with the editor open writes the text to
// the drafts file; the next editor for that issue starts with it.
func TestQuitKeepsTheDraft(t *testing.T) {
	dir := t.TempDir()
	site := startFake(t, fakejira.FlavorDataCenter)
	drafts, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, New(Options{Client: site.client, JQL: toDo, Now: site.srv.Now, Drafts: drafts}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	k := d.m.list.Current().Key
	d.send(press("c"))
	d.send(typed("half a thought")...)
	nm, cmd := d.m.Update(ctrl('c'))
	d.m = nm.(Model)
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c did not quit")
	}
	again, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if dr, ok := again.Get("comment:" + k); !ok || dr.Text != "half a thought" {
		t.Fatalf("draft on disk: %+v %v", dr, ok)
	}
	d2 := newDriver(t, New(Options{Client: site.client, JQL: toDo, Now: site.srv.Now, Drafts: again}))
	d2.m = upd(t, d2.m, tea.WindowSizeMsg{Width: 100, Height: 30})
	d2.run(d2.m.Init())
	d2.send(press("c"))
	if s := screen(d2.m); !strings.Contains(s, "half a thought") {
		t.Fatalf("draft not restored:\n%s", s)
	}
}

// TestDemoStartsWithoutLogin: --demo shows a starting screen, never the
// login, then the list.
func TestDemoStartsWithoutLogin(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	m := New(Options{Demo: true, StartDemo: func() (*jiraclient.Client, *jiraclient.User, error) {
		return site.client, &jiraclient.User{DisplayName: "Ada"}, nil
	}})
	m = upd(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if m.state != stateStarting || !strings.Contains(screen(m), "Starting the demo") {
		t.Fatalf("state %v:\n%s", m.state, screen(m))
	}
	d := newDriver(t, m)
	d.run(m.Init())
	if d.m.state != stateList || len(d.m.list.Issues()) == 0 {
		t.Fatalf("state %v, %d issues", d.m.state, len(d.m.list.Issues()))
	}
}

// TestLearnsMeBesideTheSearch: a start with no cached user asks who it is
// alongside the first search (not before it), shows the name, and hands
// it to Options.Learned for the site cache.
func TestLearnsMeBesideTheSearch(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	var got []*jiraclient.User
	d := newDriver(t, New(Options{Client: site.client, JQL: toDo, Now: site.srv.Now,
		Learned: func(_ jiraclient.Flavor, me *jiraclient.User) { got = append(got, me) }}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	d.run(d.m.Init())
	if len(got) != 1 || got[0].DisplayName != site.srv.Me().DisplayName {
		t.Fatalf("learned %+v", got)
	}
	if d.m.c.Me == nil || !strings.Contains(screen(d.m), site.srv.Me().DisplayName) {
		t.Fatalf("name not shown:\n%s", screen(d.m))
	}
	reqs := site.srv.Requests()
	if n := count(reqs, "/myself"); n != 1 {
		t.Fatalf("%d myself requests", n)
	}
	if n := count(reqs, searchPath(fakejira.FlavorCloud)); n != 1 {
		t.Fatalf("%d searches", n)
	}
	// A start that knows the user asks for nothing but the list.
	site.srv.ResetRequests()
	d2 := newDriver(t, New(Options{Client: site.client, JQL: toDo, Now: site.srv.Now, Me: got[0],
		Learned: func(jiraclient.Flavor, *jiraclient.User) { t.Error("learned again") }}))
	d2.m = upd(t, d2.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	d2.run(d2.m.Init())
	if n := count(site.srv.Requests(), "/myself"); n != 0 {
		t.Fatalf("%d myself requests with a known user", n)
	}
}

// TestReloginOverEditorTakesTheKeys: the login opened by an expired token
// over an open editor is drawn in front and gets every key; the editor's
// text is untouched (a token typed there would be shown and saved).
func TestReloginOverEditorTakesTheKeys(t *testing.T) {
	d, site, drafts := triageRoot(t, fakejira.FlavorDataCenter)
	k := d.cursorTo(2)
	d.send(press("c"))
	d.send(typed("hello")...)
	site.srv.ExpireToken()
	d.send(ctrl('s'))
	if d.m.state != stateLogin {
		t.Fatalf("state %v", d.m.state)
	}
	s := screen(d.m)
	if strings.Contains(s, "Comment on "+k) || !strings.Contains(s, "sign in again") && !strings.Contains(s, "Sign in") {
		t.Fatalf("the login is not in front:\n%s", s)
	}
	d.send(typed("secret-token-2")...)
	if strings.Contains(screen(d.m), "secret-token-2") {
		t.Fatalf("the token is on screen:\n%s", screen(d.m))
	}
	if dr, _ := drafts.Get("comment:" + k); dr.Text != "hello" {
		t.Fatalf("the typed token reached the editor: draft %q", dr.Text)
	}
	// esc leaves the login; the editor is back, text intact.
	d.send(press("esc"))
	if d.m.state == stateLogin || !strings.Contains(screen(d.m), "Comment on "+k) || !strings.Contains(screen(d.m), "hello") {
		t.Fatalf("after esc:\n%s", screen(d.m))
	}
}

// TestAssignToMeAfterRelogin: i meets an expired login; once signed in
// again the assignment goes through with no key pressed.
func TestAssignToMeAfterRelogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			d, site, _ := triageRoot(t, flavor)
			me := site.srv.Me()
			myID := me.AccountID
			if flavor == fakejira.FlavorDataCenter {
				myID = me.Name
			}
			k := ""
			for i, is := range d.m.list.Issues() {
				if is.Assignee == nil {
					k = d.cursorTo(i)
					break
				}
			}
			site.srv.ExpireToken()
			d.send(press("i"))
			if d.m.state != stateLogin {
				t.Fatalf("state %v", d.m.state)
			}
			// Held by the store for the sign-in, not refused: the row
			// keeps showing it, and nothing waits in the store's count.
			if d.row(k).Assignee == nil {
				t.Fatal("the held assign is no longer shown")
			}
			if n := d.m.c.Issues.Writing(); n != 1 {
				t.Fatalf("writes unsettled %d, want the held one", n)
			}
			site.srv.SetToken("fresh-token")
			d.send(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: d.m.c.Me})
			if got := snap(t, site, k).Assignee; got != myID {
				t.Fatalf("after the re-login %s is assigned to %q, want %q", k, got, myID)
			}
			if a := d.row(k).Assignee; a == nil {
				t.Fatal("the row does not show the assignee")
			}
			if n := d.m.c.Issues.Writing(); n != 0 {
				t.Fatalf("writes unsettled after the re-login: %d", n)
			}
		})
	}
}
