package board

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// Goldens hold the views with styles stripped. Regenerate with:
// go test ./tui/board -run TestGolden -update (and read them).
func TestGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		w, h := sz[0], sz[1]
		name := fmt.Sprintf("%dx%d", w, h)
		t.Run("scrum/"+name, func(t *testing.T) {
			r := newRig(t, fakejira.FlavorCloud, w, h)
			r.open(jiraclient.BoardScrum)
			golden.RequireEqual(t, plain(r.m.View()))
		})
		t.Run("scrum_lanes/"+name, func(t *testing.T) {
			r := newRig(t, fakejira.FlavorCloud, w, h)
			r.open(jiraclient.BoardScrum)
			r.key("s")
			golden.RequireEqual(t, plain(r.m.View()))
		})
		t.Run("kanban/"+name, func(t *testing.T) {
			r := newRig(t, fakejira.FlavorDataCenter, w, h)
			r.open(jiraclient.BoardKanban)
			golden.RequireEqual(t, plain(r.m.View()))
		})
		t.Run("kanban_epics/"+name, func(t *testing.T) {
			r := newRig(t, fakejira.FlavorDataCenter, w, h)
			r.open(jiraclient.BoardKanban)
			r.key("s", "s", "l", "l", "l")
			golden.RequireEqual(t, plain(r.m.View()))
		})
	}
}

// TestMoveCardRight: L on a card transitions it into the next column's
// status: the card moves at once (the store's patch) and Jira has it.
func TestMoveCardRight(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			key := r.column("To Do")[0]
			r.goTo(key)
			// The card moves on the next frame, before Jira has listed the
			// transitions: the first message the key's command gives.
			var cmd tea.Cmd
			r.m, cmd = r.m.Update(press("L"))
			msgs := exec(cmd)
			if len(msgs) < 2 {
				t.Fatalf("L gave %d messages", len(msgs))
			}
			r.feed(msgs[0])
			if !contains(r.column("In Progress"), key) {
				t.Fatalf("%s did not move at once: in progress %v", key, r.column("In Progress"))
			}
			r.feedAll(msgs[1:])
			if r.overlay != nil {
				t.Fatalf("one candidate opened an overlay: %s", plain(r.overlay.View()))
			}
			if len(r.m.moving) != 0 {
				t.Errorf("the provisional move stayed: %v", r.m.moving)
			}
			if e, _ := r.m.c.Issues.Issue(key); e.Writing {
				t.Errorf("%s still has a write pending", key)
			}
			if !contains(r.column("In Progress"), key) || contains(r.column("To Do"), key) {
				t.Fatalf("%s not moved: to do %v, in progress %v; notices %q", key, r.column("To Do"), r.column("In Progress"), r.notices)
			}
			if snap, _ := r.site.Srv.Issue(key); snap.Status != "In Progress" {
				t.Fatalf("fakejira has %s in %q", key, snap.Status)
			}
			if r.m.cur != key {
				t.Errorf("the cursor left the moved card: %q", r.m.cur)
			}
			// One transition request (plus its list and the read-back).
			if n := r.site.Count("POST", "/issue/"+key+"/transitions"); n != 1 {
				t.Errorf("%d transition requests", n)
			}
		})
	}
}

// TestMoveIntoTwoStatusColumnAsks: the kanban board's In Progress column
// maps In Progress and In Review: moving there offers both.
func TestMoveIntoTwoStatusColumnAsks(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardKanban)
			key := r.column("Selected")[0]
			r.goTo(key)
			r.key("L")
			if r.overlay == nil {
				t.Fatalf("no picker; notices %q", r.notices)
			}
			v := plain(r.overlay.View())
			if !strings.Contains(v, "In Progress") || !strings.Contains(v, "In Review") || strings.Contains(v, "Done") {
				t.Fatalf("picker offers:\n%s", v)
			}
			r.key("2") // the second: In Review
			if snap, _ := r.site.Srv.Issue(key); snap.Status != "In Review" {
				t.Fatalf("fakejira has %s in %q; picker:\n%s", key, snap.Status, v)
			}
			if !contains(r.column("In Progress"), key) {
				t.Fatalf("%s not in In Progress: %v", key, r.column("In Progress"))
			}
		})
	}
}

// TestMoveRefusedRollsBack: Jira refuses the transition; the card goes
// back to its column and the notice says Jira's reason.
func TestMoveRefusedRollsBack(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			key := r.column("To Do")[0]
			r.goTo(key)
			// The transitions load answers; the transition is refused.
			r.site.Srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{}, {Status: 409}}})
			r.key("L")
			if !contains(r.column("To Do"), key) || contains(r.column("In Progress"), key) {
				t.Fatalf("%s not rolled back: %v", key, r.column("To Do"))
			}
			if snap, _ := r.site.Srv.Issue(key); snap.Status != "To Do" {
				t.Fatalf("fakejira has %s in %q", key, snap.Status)
			}
			if len(r.notices) == 0 || !strings.Contains(r.notices[len(r.notices)-1], "409") {
				t.Fatalf("notices %q", r.notices)
			}
			if len(r.m.moving) != 0 {
				t.Errorf("the provisional move stayed: %v", r.m.moving)
			}
			if e, _ := r.m.c.Issues.Issue(key); e.Writing || e.Issue.Status.Name != "To Do" {
				t.Errorf("store: writing %v, status %q", e.Writing, e.Issue.Status.Name)
			}
		})
	}
}

// TestMoveToEmptyColumnSaysWhy: the kanban board's Blocked column maps no
// status: nothing is asked of Jira and the notice says why.
func TestMoveToEmptyColumnSaysWhy(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 120, 40)
	r.open(jiraclient.BoardKanban)
	r.goTo(r.column("In Progress")[0])
	before := len(r.site.Srv.Requests())
	r.key("L")
	if len(r.site.Srv.Requests()) != before {
		t.Errorf("a request was sent")
	}
	if len(r.notices) == 0 || !strings.Contains(r.notices[0], "maps no status") {
		t.Fatalf("notices %q", r.notices)
	}
}

// TestRank: J ranks the card below its neighbour, in the board and in
// Jira; K back above it.
func TestRank(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			col := r.column("In Progress")
			a, b := col[0], col[1]
			r.goTo(a)
			r.key("J")
			if got := r.column("In Progress"); got[0] != b || got[1] != a {
				t.Fatalf("board order %v", got[:2])
			}
			if got := r.site.Srv.RankOrder([]string{a, b}); got[0] != b {
				t.Fatalf("fakejira order %v", got)
			}
			r.key("K")
			if got := r.site.Srv.RankOrder([]string{a, b}); got[0] != a {
				t.Fatalf("fakejira order after K %v", got)
			}
			if len(r.notices) != 0 {
				t.Errorf("notices %q", r.notices)
			}
		})
	}
}

// TestMoveToSprintAndBacklog: m moves the highlighted card into the next
// sprint (it leaves the active sprint's board), and from the backlog view
// into the active sprint; the backlog lists issues in no sprint.
func TestMoveToSprintAndBacklog(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			b := r.boardOf(jiraclient.BoardScrum)
			var next fakejira.SprintInfo
			for _, s := range r.site.Srv.Sprints(b.ID) {
				if s.State == "future" {
					next = s
					break
				}
			}
			key := r.column("To Do")[0]
			r.goTo(key)
			r.key("m")
			if r.overlay == nil {
				t.Fatalf("no sprint picker; notices %q", r.notices)
			}
			v := plain(r.overlay.View())
			if strings.Contains(v, "closed") || !strings.Contains(v, next.Name) || !strings.Contains(v, "Backlog") {
				t.Fatalf("move picker:\n%s", v)
			}
			r.typeText(next.Name)
			r.key("enter")
			if got := r.site.Srv.IssueSprint(key); got != next.ID {
				t.Fatalf("fakejira has %s in sprint %d, want %d; notices %q", key, got, next.ID, r.notices)
			}
			if r.m.has[key] {
				t.Errorf("%s still on the active sprint's board", key)
			}
			// The backlog: issues in no sprint, ranked; m moves one into
			// the active sprint.
			r.key("v")
			if r.m.mode != ModeBacklog || len(r.m.keys) == 0 {
				t.Fatalf("backlog: mode %v, %d issues, err %v", r.m.mode, len(r.m.keys), r.m.err)
			}
			for _, k := range r.m.keys {
				if r.site.Srv.IssueSprint(k) != 0 {
					t.Fatalf("%s in the backlog is in sprint %d", k, r.site.Srv.IssueSprint(k))
				}
			}
			if got := r.site.Srv.RankOrder(r.m.keys); strings.Join(got, ",") != strings.Join(r.m.keys, ",") {
				t.Errorf("backlog not in rank order: %v vs %v", r.m.keys, got)
			}
			bk := r.m.cur
			r.key("m", "enter") // the first entry: the active sprint
			if got := r.site.Srv.IssueSprint(bk); got == 0 {
				t.Fatalf("%s not moved out of the backlog; notices %q", bk, r.notices)
			}
			if r.m.has[bk] {
				t.Errorf("%s still in the backlog view", bk)
			}
		})
	}
}

// TestSetEpic: the epic picker puts an issue in an epic of its project
// (Cloud: parent; Data Center: Epic Link) and takes it out again.
func TestSetEpic(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			srv := r.site.Srv
			var story, epic string
			for _, k := range srv.Keys() {
				s, _ := srv.Issue(k)
				if !strings.HasPrefix(k, "JIF-") {
					continue
				}
				switch {
				case s.Type == "Epic" && epic == "":
					epic = k
				case s.Type == "Story" && s.Parent == "" && story == "":
					story = k
				}
			}
			if story == "" || epic == "" {
				t.Fatal("no story without an epic, or no epic, in JIF")
			}
			p := NewEpicPicker(r.m.c, r.site.Issue(t, story))
			r.overlay = p
			p.SetSize(120, 40)
			r.do(p.Init())
			if v := plain(p.View()); !strings.Contains(v, epic+"  ") || !strings.Contains(v, "No epic") {
				t.Fatalf("picker:\n%s", v)
			}
			r.typeText(epic)
			r.key("enter")
			if s, _ := srv.Issue(story); s.Parent != epic {
				t.Fatalf("fakejira has %s under %q; notices %q", story, s.Parent, r.notices)
			}
			if r.overlay != nil {
				t.Errorf("the picker stayed open")
			}
			p = NewEpicPicker(r.m.c, r.site.Issue(t, story))
			r.overlay = p
			p.SetSize(120, 40)
			r.do(p.Init())
			if v := plain(p.View()); !strings.Contains(v, "now in "+epic) && fl == fakejira.FlavorCloud {
				t.Errorf("the current epic is not said:\n%s", v)
			}
			r.key("enter") // the first row: no epic
			if s, _ := srv.Issue(story); s.Parent != "" {
				t.Fatalf("fakejira still has %s under %q; notices %q", story, s.Parent, r.notices)
			}
		})
	}
}

// TestMoveIntoDoneOpensForm: the transition into Done has a screen (a
// required resolution): the move opens the transition's form, and
// submitting it moves the card.
func TestMoveIntoDoneOpensForm(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			key := r.column("In Review")[0]
			r.goTo(key)
			r.key("L")
			tr, ok := r.overlay.(interface{ Phase() string })
			if !ok || tr.Phase() != "form" {
				t.Fatalf("overlay %T; notices %q", r.overlay, r.notices)
			}
			if contains(r.column("Done"), key) {
				t.Fatalf("%s moved before the form was sent", key)
			}
			v := plain(r.overlay.View())
			if !strings.Contains(v, "Resolution") {
				t.Fatalf("form:\n%s", v)
			}
		})
	}
}

// TestRankRefusedRollsBack: Jira refuses a rank; the card goes back to
// its place and the notice says why.
func TestRankRefusedRollsBack(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			col := r.column("In Progress")
			a, b := col[0], col[1]
			r.goTo(a)
			r.site.Srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
			r.key("J")
			if got := r.column("In Progress"); got[0] != a || got[1] != b {
				t.Fatalf("not rolled back: %v", got[:2])
			}
			if got := r.site.Srv.RankOrder([]string{a, b}); got[0] != a {
				t.Fatalf("fakejira order %v", got)
			}
			if len(r.notices) != 1 || !strings.Contains(r.notices[0], "rank refused") || !strings.Contains(r.notices[0], "403") {
				t.Fatalf("notices %q", r.notices)
			}
		})
	}
}

// TestOfflineRefusesMoves: once Jira cannot be reached the board stays
// browsable and moves are refused at once, with no request.
func TestOfflineRefusesMoves(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 120, 40)
	r.open(jiraclient.BoardScrum)
	r.site.Srv.SetFaults(fakejira.Faults{DropRate: 1})
	r.key("r")
	if !r.m.c.Issues.Offline() {
		t.Fatal("the store is not offline after dropped requests")
	}
	r.site.Srv.SetFaults(fakejira.Faults{})
	r.site.Srv.ResetRequests()
	r.goTo(r.column("To Do")[0])
	r.key("L", "J", "m")
	if n := len(r.site.Srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent offline", n)
	}
	if len(r.notices) < 3 || !strings.Contains(r.notices[len(r.notices)-1], "offline") {
		t.Fatalf("notices %q", r.notices)
	}
	if r.overlay != nil || !strings.Contains(plain(r.m.View()), r.m.cur) {
		t.Fatalf("overlay %T; the board is not shown:\n%s", r.overlay, plain(r.m.View()))
	}
}
