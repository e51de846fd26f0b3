package board

import (
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func TestActionFor(t *testing.T) {
	k := NewKeys(nil)
	for s, want := range map[string]Action{
		"h": ActLeft, "l": ActRight, "k": ActUp, "j": ActDown, "H": ActMoveLeft, "<": ActMoveLeft,
		"L": ActMoveRight, ">": ActMoveRight, "K": ActRankUp, "J": ActRankDown, "enter": ActOpen,
		"space": ActToggle, "s": ActLanes, "M": ActMine, "/": ActFilter, "S": ActSprints, "m": ActMoveSprint,
		"v": ActBacklog, "#": ActLabels, "r": ActRefresh, "esc": ActBack, "q": ActBack, "t": ActNone, "x": ActNone,
	} {
		if got := ActionFor(k, press(s)); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

// TestNarrowScrollsColumns: at 80 columns three of four fit; moving to
// the fourth scrolls the columns sideways and the title says so.
func TestNarrowScrollsColumns(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 80, 24)
	r.open(jiraclient.BoardScrum)
	if v := plain(r.m.View()); !strings.Contains(v, "1–3/4▶") || strings.Contains(v, "Done") {
		t.Fatalf("start:\n%s", v)
	}
	r.key("l", "l", "l")
	v := plain(r.m.View())
	if !strings.Contains(v, "◀2–4/4") || !strings.Contains(v, "Done") || strings.Contains(v, "To Do") {
		t.Fatalf("after l l l:\n%s", v)
	}
	// Down the column: the highlighted card stays on screen.
	for range 20 {
		r.key("j")
	}
	if !strings.Contains(plain(r.m.View()), r.m.cur) {
		t.Fatalf("%s scrolled off:\n%s", r.m.cur, plain(r.m.View()))
	}
}

// TestQuickFilters: M keeps my cards (the WIP counts stay whole), /
// filters as typed, esc clears it.
func TestQuickFilters(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 120, 40)
	r.open(jiraclient.BoardScrum)
	all := r.m.grid.shown
	count := r.m.grid.cols[1].count
	r.key("M")
	for _, keys := range r.m.grid.flat {
		for _, k := range keys {
			is, _ := r.m.issue(k)
			if !r.m.isMine(is) {
				t.Fatalf("%s is not mine", k)
			}
		}
	}
	if r.m.grid.shown == 0 || r.m.grid.shown >= all || r.m.grid.cols[1].count != count {
		t.Fatalf("only mine: %d of %d shown, count %d (was %d)", r.m.grid.shown, all, r.m.grid.cols[1].count, count)
	}
	r.key("M", "/")
	if !r.m.InputFocused() {
		t.Fatal("/ did not focus the filter")
	}
	key := r.m.keys[3]
	r.typeText(strings.ToLower(key))
	for _, keys := range r.m.grid.flat {
		for _, k := range keys {
			if !strings.HasPrefix(k, key) {
				t.Fatalf("%s kept by the filter %q", k, key)
			}
		}
	}
	r.key("enter")
	if r.m.InputFocused() || !strings.Contains(plain(r.m.View()), "filter: "+strings.ToLower(key)) {
		t.Fatalf("filter line:\n%s", plain(r.m.View()))
	}
	r.key("esc")
	if r.m.grid.shown != all {
		t.Fatalf("esc kept the filter: %d of %d", r.m.grid.shown, all)
	}
}

// TestHostileText: a summary and an assignee from Jira with escape
// sequences and bidi overrides reach the screen cleaned.
func TestHostileText(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 200, 60)
	k, err := r.site.Srv.AddIssue(fakejira.NewIssue{Summary: "evil \x1b]52;c;aGk=\x07 \u202egnp.exe \x1b[2J", Priority: "Highest"})
	if err != nil {
		t.Fatal(err)
	}
	r.open(jiraclient.BoardKanban)
	if !r.m.has[k] {
		t.Fatalf("%s not on the board", k)
	}
	v := r.m.View()
	for _, bad := range []string{"\x1b]52", "\u202e", "\x1b[2J", "\x07"} {
		if strings.Contains(v, bad) {
			t.Fatalf("%q reached the screen", bad)
		}
	}
}

// TestResolve: --board takes an id or a name (any case, or a unique part).
func TestResolve(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			kb := r.boardOf(jiraclient.BoardKanban)
			for _, ref := range []string{itoa(kb.ID), strings.ToUpper(kb.Name), "kanban"} {
				r.m = New(r.m.c, &mem{})
				r.m.SetSize(120, 40)
				r.do(r.m.Resolve(ref))
				if r.m.err != nil || r.m.board.ID != kb.ID || len(r.m.grid.cols) != 4 {
					t.Fatalf("%q: board %+v, err %v", ref, r.m.board, r.m.err)
				}
			}
			for ref, want := range map[string]string{"9999": "no board with id 9999", "board": "boards match", "zzz": "no board named"} {
				r.m = New(r.m.c, &mem{})
				r.m.SetSize(120, 40)
				r.do(r.m.Resolve(ref))
				if r.m.err == nil || !strings.Contains(r.m.err.Error(), want) {
					t.Fatalf("%q: err %v", ref, r.m.err)
				}
				if v := plain(r.m.View()); !strings.Contains(v, want) {
					t.Fatalf("%q: the error is not shown:\n%s", ref, v)
				}
			}
		})
	}
}

// TestOpenRemembersAndRequests: the first open of a scrum board asks for
// the configuration and the sprint list together, then the active
// sprint's issues with the estimate field (no lookup, no second ask); the
// board, its estimate field and active sprint are remembered, so the next
// open asks for all three together, once each.
func TestOpenRemembersAndRequests(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			m := r.m.mem.(*mem)
			b := r.boardOf(jiraclient.BoardScrum)
			pages := func() int {
				n := 0
				for _, q := range r.site.Srv.Requests() {
					if strings.Contains(q.Path, "/board/"+itoa(b.ID)+"/sprint/") && strings.HasSuffix(q.Path, "/issue") {
						n++
					}
				}
				return n
			}
			r.site.Srv.ResetRequests()
			r.open(jiraclient.BoardScrum)
			if m.id != b.ID || m.name != b.Name || m.estimate == "" {
				t.Fatalf("memory %+v", m)
			}
			if n := pages(); n != 1 {
				t.Errorf("first open: %d sprint issue pages", n)
			}
			if n := r.site.Count("GET", "/board/"+itoa(b.ID)+"/sprint"); n != 1 {
				t.Errorf("first open: %d sprint lists (an active-sprint lookup?)", n)
			}
			est := 0
			for _, k := range r.m.keys {
				if is, _ := r.m.issue(k); is.Estimate != nil {
					est++
				}
			}
			if est == 0 {
				t.Errorf("no card has an estimate")
			}
			r.m = New(r.m.c, m)
			r.m.SetSize(120, 40)
			r.site.Srv.ResetRequests()
			r.open(jiraclient.BoardScrum)
			if n := pages(); n != 1 {
				t.Errorf("second open: %d sprint issue pages", n)
			}
			if n := r.site.Count("GET", "/board/"+itoa(b.ID)+"/configuration"); n != 1 {
				t.Errorf("second open: %d configuration requests", n)
			}
			// The remembered active sprint: no lookup before its issues
			// (the sprint list, asked beside them, confirms it).
			if n := r.site.Count("GET", "/board/"+itoa(b.ID)+"/sprint"); n != 1 || m.sprint == 0 || r.m.sprint == nil || r.m.sprint.ID != m.sprint {
				t.Errorf("second open: %d sprint lists, remembered %d, shown %+v", n, m.sprint, r.m.sprint)
			}

			// A remembered sprint that is no longer the active one (it
			// was closed since): the board shows the active sprint.
			var closed int
			for _, s := range r.site.Srv.Sprints(b.ID) {
				if s.State == "closed" {
					closed = s.ID
				}
			}
			active := m.sprint
			m.sprint = closed
			r.m = New(r.m.c, m)
			r.m.SetSize(120, 40)
			r.open(jiraclient.BoardScrum)
			if r.m.sprint == nil || r.m.sprint.ID != active || m.sprint != active {
				t.Fatalf("stale sprint: shown %+v, remembered %d, want %d", r.m.sprint, m.sprint, active)
			}
			for _, k := range r.m.keys {
				if r.site.Srv.IssueSprint(k) != active {
					t.Fatalf("%s on the board is in sprint %d", k, r.site.Srv.IssueSprint(k))
				}
			}
		})
	}
}

// TestPickerPages: the board picker reads every page of boards, offers
// the last board used first and filters as the user types.
func TestPickerPages(t *testing.T) {
	defer func(n int) { boardPage = n }(boardPage)
	boardPage = 2
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			all := r.site.Srv.Boards()
			last := all[len(all)-1]
			p := NewPicker(r.m.c, &mem{id: last.ID, name: last.Name})
			r.overlay = p
			p.SetSize(120, 40)
			r.do(p.Init())
			if n := r.site.Count("GET", "/rest/agile/1.0/board"); n != (len(all)+1)/2 {
				t.Errorf("%d board pages for %d boards", n, len(all))
			}
			if len(p.boards) != len(all) || p.boards[0].ID != last.ID {
				t.Fatalf("boards %+v", p.boards)
			}
			v := plain(p.View())
			for _, b := range all {
				if !strings.Contains(v, b.Name) {
					t.Errorf("%s not listed:\n%s", b.Name, v)
				}
			}
			if !strings.Contains(v, "last used") {
				t.Errorf("the last board is not marked:\n%s", v)
			}
			r.typeText("kanban")
			if len(p.list.shown) != 1 {
				t.Fatalf("filter kanban: %d shown\n%s", len(p.list.shown), plain(p.View()))
			}
			r.key("enter")
			if r.overlay != nil || r.m.board.Type != jiraclient.BoardKanban {
				t.Fatalf("enter: overlay %T, board %+v", r.overlay, r.m.board)
			}
		})
	}
}

// TestSprintPicker: S lists the active sprint first, then the future
// ones, then the closed; choosing a closed sprint shows its issues.
func TestSprintPicker(t *testing.T) {
	for _, fl := range flavors() {
		t.Run(fl, func(t *testing.T) {
			r := newRig(t, fl, 120, 40)
			r.open(jiraclient.BoardScrum)
			b := r.boardOf(jiraclient.BoardScrum)
			var active, closed fakejira.SprintInfo
			for _, s := range r.site.Srv.Sprints(b.ID) {
				switch s.State {
				case "active":
					active = s
				case "closed":
					closed = s
				}
			}
			r.key("S")
			if r.overlay == nil {
				t.Fatalf("no picker; notices %q", r.notices)
			}
			v := plain(r.overlay.View())
			ia, ic, ib := strings.Index(v, active.Name), strings.Index(v, closed.Name), strings.Index(v, "Backlog")
			if ia < 0 || ic < ia || ib < ic || !strings.Contains(v, "days left") && !strings.Contains(v, "ended") || !strings.Contains(v, "Goal:") {
				t.Fatalf("sprint picker:\n%s", v)
			}
			r.typeText(closed.Name)
			r.key("enter")
			if r.m.sprint == nil || r.m.sprint.ID != closed.ID || len(r.m.keys) == 0 {
				t.Fatalf("shown %+v, %d issues, err %v", r.m.sprint, len(r.m.keys), r.m.err)
			}
			if v := plain(r.m.View()); !strings.Contains(v, closed.Name) || !strings.Contains(v, "(closed)") {
				t.Fatalf("closed sprint's board:\n%s", v)
			}
		})
	}
}

// TestKeysBeforeTheBoardLoads: every key on a board whose configuration
// has not come yet does nothing harmful.
func TestKeysBeforeTheBoardLoads(t *testing.T) {
	r := newRig(t, fakejira.FlavorCloud, 80, 24)
	r.m.board = r.boardOf(jiraclient.BoardScrum)
	for _, k := range []string{"j", "k", "g", "G", "h", "l", "H", "L", "K", "J", "space", "s", "M", "enter", "#"} {
		r.key(k)
	}
	if len(r.opened) != 0 || r.overlay != nil {
		t.Fatalf("opened %v, overlay %T", r.opened, r.overlay)
	}
	_ = r.m.View()
}

// TestNoticeIsCleaned: a status-bar line naming Jira's text carries no
// escape or bidi control.
func TestNoticeIsCleaned(t *testing.T) {
	msg := notice(common.NoticeWarning, "ABC-1\x1b]52;c;aGk=\x07: no transition into \u202eDone")().(common.NoticeMsg)
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if strings.Contains(msg.Text, bad) {
			t.Fatalf("%q in %q", bad, msg.Text)
		}
	}
}
