package jiraclient

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// agileSite is a fake with its boards, for the Agile tests.
type agileSite struct {
	srv    *fakejira.Server
	c      *Client
	f      Flavor
	scrum  int // the first project's scrum board
	kanban int
	simple int // Cloud only; 0 on Data Center
}

func startAgile(t *testing.T, fl struct {
	name string
	f    Flavor
	cred Credential
}) agileSite {
	t.Helper()
	s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
	a := agileSite{srv: s, c: c, f: fl.f}
	for _, b := range s.Boards() {
		switch {
		case b.Type == "scrum" && a.scrum == 0:
			a.scrum = b.ID
		case b.Type == "kanban":
			a.kanban = b.ID
		case b.Type == "simple":
			a.simple = b.ID
		}
	}
	if a.scrum == 0 || a.kanban == 0 {
		t.Fatalf("the fake has no scrum or kanban board: %+v", s.Boards())
	}
	return a
}

func sprintOf(t *testing.T, s *fakejira.Server, board int, state string) int {
	t.Helper()
	for _, sp := range s.Sprints(board) {
		if sp.State == state {
			return sp.ID
		}
	}
	t.Fatalf("board %d has no %s sprint", board, state)
	return 0
}

// boardKeys pages through a board (or backlog, or sprint) and returns its
// keys in the order Jira gave them.
func boardKeys(t *testing.T, page func(Cursor) (SearchPage, error)) ([]string, []Issue) {
	t.Helper()
	var keys []string
	var all []Issue
	cur := Cursor{}
	for n := 0; ; n++ {
		if n > 100 {
			t.Fatal("paging does not end")
		}
		p, err := page(cur)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range p.Issues {
			keys = append(keys, is.Key)
		}
		all = append(all, p.Issues...)
		if p.Last {
			return keys, all
		}
		cur = p.Next
	}
}

func TestAgileBoards(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			want := len(a.srv.Boards())
			if fl.f == FlavorCloud && a.simple == 0 || fl.f == FlavorDataCenter && a.simple != 0 {
				t.Fatalf("simple boards are Cloud's only: %+v", a.srv.Boards())
			}
			var got []Board
			var reqs []string
			reqs = requestsDuring(t, a.srv, func() {
				start := 0
				for n := 0; n < 10; n++ {
					p, err := a.c.Boards(ctx, BoardQuery{PageSize: 2}, start)
					if err != nil {
						t.Fatal(err)
					}
					if len(p.Boards) > 2 || p.Total != want {
						t.Fatalf("page at %d: %d boards, total %d; want at most 2 of %d", start, len(p.Boards), p.Total, want)
					}
					got = append(got, p.Boards...)
					if p.Last {
						break
					}
					if p.Next != start+len(p.Boards) {
						t.Fatalf("next page at %d after %d+%d", p.Next, start, len(p.Boards))
					}
					start = p.Next
				}
			})
			if len(got) != want || len(reqs) != (want+1)/2 {
				t.Fatalf("paged %d boards in %d requests, want %d in %d", len(got), len(reqs), want, (want+1)/2)
			}
			if got[0].ID != a.scrum || got[0].Type != BoardScrum || got[0].ProjectKey == "" || !got[0].HasSprints() {
				t.Errorf("first board %+v", got[0])
			}
			all, err := a.c.AllBoards(ctx, BoardQuery{})
			if err != nil || len(all) != want {
				t.Fatalf("AllBoards: %d, %v", len(all), err)
			}
			k, err := a.c.AllBoards(ctx, BoardQuery{Type: BoardKanban})
			if err != nil || len(k) != 1 || k[0].ID != a.kanban || k[0].HasSprints() {
				t.Fatalf("type filter: %+v, %v", k, err)
			}
			n, err := a.c.AllBoards(ctx, BoardQuery{Name: "KANBAN"})
			if err != nil || len(n) != 1 || n[0].ID != a.kanban {
				t.Fatalf("name filter: %+v, %v", n, err)
			}
			_, err = a.c.Boards(ctx, BoardQuery{Type: BoardSimple}, 0)
			if fl.f == FlavorCloud && err != nil || fl.f == FlavorDataCenter && KindOf(err) != KindBadRequest {
				t.Errorf("simple boards on %s: %v", fl.name, err)
			}
		})
	}
}

func TestAgileBoardConfiguration(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			k, err := a.c.BoardConfiguration(ctx, a.kanban)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range k.Columns {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, []string{"Selected", "In Progress", "Blocked", "Done"}) {
				t.Fatalf("columns %v", names)
			}
			ip := k.Columns[1]
			if !slices.Equal(ip.StatusIDs, []string{"3", "10002"}) || ip.Min != 1 || ip.Max != 3 {
				t.Errorf("In Progress column %+v", ip)
			}
			if len(k.Columns[2].StatusIDs) != 0 || k.Columns[2].Max != 0 {
				t.Errorf("Blocked column maps nothing and has no limit: %+v", k.Columns[2])
			}
			if k.Type != BoardKanban || k.Constraint != ConstraintIssueCount || k.SubQuery == "" || k.FilterID == "" || k.Estimation != "" {
				t.Errorf("kanban config %+v", k)
			}
			wantRank := map[Flavor]string{FlavorCloud: "customfield_10019", FlavorDataCenter: "customfield_10102"}[fl.f]
			if k.RankField != wantRank {
				t.Errorf("rank field %q, want %q", k.RankField, wantRank)
			}
			if fl.f == FlavorDataCenter && k.ProjectKey == "" || fl.f == FlavorCloud && k.ProjectID == "" {
				t.Errorf("location: key %q id %q", k.ProjectKey, k.ProjectID)
			}
			if k.ColumnOf("10002") != 1 || k.ColumnOf("10001") != 3 || k.ColumnOf("nope") != -1 || k.DoneColumn() != 3 {
				t.Errorf("ColumnOf/DoneColumn wrong")
			}
			if over, _ := k.OverLimit(1, 4); !over {
				t.Errorf("4 cards over a WIP max of 3 is not over")
			}
			if _, under := k.OverLimit(1, 0); !under {
				t.Errorf("0 cards under a WIP min of 1 is not under")
			}
			s, err := a.c.BoardConfiguration(ctx, a.scrum)
			if err != nil {
				t.Fatal(err)
			}
			wantEst := map[Flavor]string{FlavorCloud: "customfield_10016", FlavorDataCenter: "customfield_10106"}[fl.f]
			if s.Estimation != EstimateField || s.EstimationField != wantEst || s.EstimationName == "" || s.SubQuery != "" {
				t.Errorf("scrum estimation %q %q %q", s.Estimation, s.EstimationField, s.EstimationName)
			}
			if _, err := a.c.BoardConfiguration(ctx, 9999); KindOf(err) != KindNotFound {
				t.Errorf("missing board: %v", err)
			}
		})
	}
}

// TestAgileBoardIssues pages a scrum board: every issue of the project, each
// once, in the fake's rank order, with the estimate and epic filled.
func TestAgileBoardIssues(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			cfg, err := a.c.BoardConfiguration(ctx, a.scrum)
			if err != nil {
				t.Fatal(err)
			}
			epicField, err := a.c.EpicLinkField(ctx)
			if err != nil {
				t.Fatal(err)
			}
			q := AgileQuery{PageSize: 7, EstimateField: cfg.EstimationField, EpicField: epicField}
			var keys []string
			var issues []Issue
			reqs := requestsDuring(t, a.srv, func() {
				keys, issues = boardKeys(t, func(c Cursor) (SearchPage, error) { return a.c.BoardIssues(ctx, a.scrum, q, c) })
			})
			project := a.srv.Boards()[0].Project
			want := projectIssues(a.srv)[project]
			if len(keys) != len(want) || len(reqs) != (len(want)+6)/7 {
				t.Fatalf("%d issues in %d requests, want %d in %d", len(keys), len(reqs), len(want), (len(want)+6)/7)
			}
			if !slices.Equal(keys, a.srv.RankOrder(want)) {
				t.Errorf("board order is not rank order:\n%v\n%v", keys, a.srv.RankOrder(want))
			}
			if strings.Contains(reqs[0], "?") || !strings.HasSuffix(reqs[0], "/rest/agile/1.0/board/"+strconv.Itoa(a.scrum)+"/issue") {
				t.Errorf("request %q", reqs[0])
			}
			estimated, epics := 0, 0
			for _, is := range issues {
				if is.Estimate != nil {
					estimated++
				}
				snap, _ := a.srv.Issue(is.Key)
				if is.Epic != nil {
					epics++
					if is.Epic.Key != snap.Parent {
						t.Errorf("%s: epic %s, fake says parent %s", is.Key, is.Epic.Key, snap.Parent)
					}
				} else if snap.Parent != "" && snap.Type != "Sub-task" {
					t.Errorf("%s: the epic %s is missing", is.Key, snap.Parent)
				}
				if is.Status.ID == "" || is.Summary == "" {
					t.Errorf("%s: list fields missing: %+v", is.Key, is)
				}
			}
			if estimated == 0 || epics == 0 {
				t.Errorf("%d estimated, %d with an epic: the extras were not decoded", estimated, epics)
			}
			// The JQL narrows the board.
			mine, _ := boardKeys(t, func(c Cursor) (SearchPage, error) {
				return a.c.BoardIssues(ctx, a.scrum, AgileQuery{JQL: "assignee = currentUser()"}, c)
			})
			if len(mine) == 0 || len(mine) >= len(keys) {
				t.Errorf("assignee = currentUser() kept %d of %d", len(mine), len(keys))
			}
		})
	}
}

func TestAgileSprints(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			all, err := a.c.AllBoardSprints(ctx, a.scrum)
			if err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, s := range all {
				states = append(states, s.State)
			}
			if !slices.Equal(states, []string{SprintClosed, SprintActive, SprintFuture, SprintFuture}) {
				t.Fatalf("states %v", states)
			}
			closed, active, planned, bare := all[0], all[1], all[2], all[3]
			if closed.Complete.IsZero() || closed.Start.IsZero() || closed.DaysLeft(a.srv.Now()) != 0 {
				t.Errorf("closed sprint %+v", closed)
			}
			if active.Goal == "" || active.Start.IsZero() || active.End.IsZero() || active.OriginBoardID != a.scrum {
				t.Errorf("active sprint %+v", active)
			}
			if d := active.DaysLeft(a.srv.Now()); d != 8 {
				t.Errorf("active sprint: %d days left, want 8", d)
			}
			if planned.Goal == "" || planned.Start.IsZero() {
				t.Errorf("planned sprint %+v", planned)
			}
			if !bare.Start.IsZero() || bare.DaysLeft(a.srv.Now()) != -1 {
				t.Errorf("bare future sprint %+v", bare)
			}
			open, err := a.c.AllBoardSprints(ctx, a.scrum, SprintActive, SprintFuture)
			if err != nil || len(open) != 3 || open[0].State != SprintActive {
				t.Fatalf("open sprints %+v, %v", open, err)
			}
			_, err = a.c.BoardSprints(ctx, a.kanban, nil, 0)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindBadRequest || !slices.Contains(e.Messages, "The board does not support sprints.") {
				t.Errorf("kanban sprints: %v", err)
			}
			// The sprint's own issues; the closed one's are listed too.
			keys, issues := boardKeys(t, func(c Cursor) (SearchPage, error) {
				return a.c.SprintIssues(ctx, a.scrum, active.ID, AgileQuery{}, c)
			})
			if len(keys) == 0 {
				t.Fatal("the active sprint is empty")
			}
			for _, k := range keys {
				if a.srv.IssueSprint(k) != active.ID {
					t.Errorf("%s is listed in sprint %d but is in %d", k, active.ID, a.srv.IssueSprint(k))
				}
			}
			for _, is := range issues {
				if is.Sprint != active.Name {
					t.Errorf("%s: sprint field %q, want %q", is.Key, is.Sprint, active.Name)
					break
				}
			}
			done, _ := boardKeys(t, func(c Cursor) (SearchPage, error) {
				return a.c.SprintIssues(ctx, 0, closed.ID, AgileQuery{}, c)
			})
			if len(done) == 0 {
				t.Error("the closed sprint lists no issues")
			}
		})
	}
}

// TestAgileRank ranks an issue before, then after another and checks the
// board's order and the fake's.
func TestAgileRank(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			page, err := a.c.BoardIssues(ctx, a.scrum, AgileQuery{PageSize: 10}, Cursor{})
			if err != nil {
				t.Fatal(err)
			}
			k := func(i int) string { return page.Issues[i].Key }
			first, second, last := k(0), k(1), k(9)
			if err := a.c.RankIssues(ctx, RankInput{Issues: []string{last}, Before: first}); err != nil {
				t.Fatal(err)
			}
			after, _ := a.c.BoardIssues(ctx, a.scrum, AgileQuery{PageSize: 3}, Cursor{})
			if got := []string{after.Issues[0].Key, after.Issues[1].Key, after.Issues[2].Key}; !slices.Equal(got, []string{last, first, second}) {
				t.Errorf("after ranking %s before %s: %v", last, first, got)
			}
			if err := a.c.RankIssues(ctx, RankInput{Issues: []string{last, first}, After: second}); err != nil {
				t.Fatal(err)
			}
			if got := a.srv.RankOrder([]string{first, second, last}); !slices.Equal(got, []string{second, last, first}) {
				t.Errorf("after ranking %s,%s after %s: %v", last, first, second, got)
			}
			if err := a.c.RankIssues(ctx, RankInput{Issues: []string{first}}); KindOf(err) != KindInvalid {
				t.Errorf("rank without a reference: %v", err)
			}
		})
	}
}

// TestAgileRankPartial sends a rank Jira can do only in part: the 207's
// failures come back as a PartialError, and the rest moved.
func TestAgileRankPartial(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			page, err := a.c.BoardIssues(ctx, a.scrum, AgileQuery{PageSize: 5}, Cursor{})
			if err != nil {
				t.Fatal(err)
			}
			ref, mover := page.Issues[0].Key, page.Issues[4].Key
			missing := a.srv.Boards()[0].Project + "-99999"
			err = a.c.RankIssues(ctx, RankInput{Issues: []string{mover, missing, ref}, Before: ref})
			var e *Error
			var pe *PartialError
			if !errors.As(err, &e) || !errors.As(err, &pe) {
				t.Fatalf("want a *Error with a PartialError, got %T %v", err, err)
			}
			if e.Status != 207 || e.Kind != KindNotFound || e.Hint() == "" || !strings.Contains(e.What(), "2 of 3") {
				t.Errorf("error %+v: %q", e, e.Error())
			}
			if !slices.Equal(pe.Done, []string{mover}) || len(pe.Failed) != 2 || pe.Failed[0].Key != missing || pe.Failed[0].Status != 404 || len(pe.Failed[0].Errors) == 0 {
				t.Errorf("partial %+v", pe)
			}
			if got := a.srv.RankOrder([]string{ref, mover}); got[0] != mover {
				t.Errorf("the issue that could move did not: %v", got)
			}
		})
	}
}

// bodyIssues counts the "issues" of a recorded move request.
func bodyIssues(t *testing.T, body string) []string {
	t.Helper()
	var b struct {
		Issues []string `json:"issues"`
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return b.Issues
}

func TestAgileMoveToSprint(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			future := sprintOf(t, a.srv, a.scrum, SprintFuture)
			keys := a.srv.Keys()
			if len(keys) <= 2*agileBatch {
				t.Fatalf("only %d issues: the split is not exercised", len(keys))
			}
			var reqs []fakejira.Request
			a.srv.ResetRequests()
			if err := a.c.MoveToSprint(ctx, future, keys, "", ""); err != nil {
				t.Fatal(err)
			}
			reqs = a.srv.Requests()
			var sizes []int
			for _, r := range reqs {
				if r.Method != "POST" || r.Path != "/rest/agile/1.0/sprint/"+strconv.Itoa(future)+"/issue" || r.Status != 204 {
					t.Errorf("request %s %s -> %d", r.Method, r.Path, r.Status)
				}
				sizes = append(sizes, len(bodyIssues(t, r.Body)))
			}
			want := []int{50, 50, len(keys) - 100}
			if !slices.Equal(sizes, want) {
				t.Errorf("batches %v, want %v", sizes, want)
			}
			for _, k := range keys {
				if a.srv.IssueSprint(k) != future {
					t.Fatalf("%s is in sprint %d, not %d", k, a.srv.IssueSprint(k), future)
				}
			}
			// A later batch fails: the keys already moved are named.
			active := sprintOf(t, a.srv, a.scrum, SprintActive)
			bad := append(append([]string{}, keys[:60]...), "NOPE-1")
			err := a.c.MoveToSprint(ctx, active, bad, "", "")
			var pe *PartialError
			if KindOf(err) != KindBadRequest || !errors.As(err, &pe) || len(pe.Done) != 50 || len(pe.Failed) != 11 {
				t.Fatalf("partial move: %v (%+v)", err, pe)
			}
			if a.srv.IssueSprint(keys[0]) != active || a.srv.IssueSprint(keys[55]) != future {
				t.Errorf("first batch should have moved, the second not")
			}
			// A closed sprint is refused with Jira's words; nothing moves.
			closed := sprintOf(t, a.srv, a.scrum, SprintClosed)
			err = a.c.MoveToSprint(ctx, closed, keys[:1], "", "")
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindBadRequest || !slices.Contains(e.Messages, "You must specify a sprint which has not been completed.") {
				t.Fatalf("closed sprint: %v", err)
			}
			if !strings.Contains(e.What(), "You must specify a sprint which has not been completed.") {
				t.Errorf("the reason is not shown: %q", e.What())
			}
			if a.srv.IssueSprint(keys[0]) != active {
				t.Error("the closed-sprint move changed the issue")
			}
			// With a rank: the moved issue lands before the reference.
			if err := a.c.MoveToSprint(ctx, future, keys[1:2], keys[70], ""); err != nil {
				t.Fatal(err)
			}
			if got := a.srv.RankOrder([]string{keys[70], keys[1]}); got[0] != keys[1] {
				t.Errorf("rankBeforeIssue ignored: %v", got)
			}
			if err := a.c.MoveToSprint(ctx, future, nil, "", ""); KindOf(err) != KindInvalid {
				t.Errorf("empty move: %v", err)
			}
		})
	}
}

func TestAgileBacklog(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			active := sprintOf(t, a.srv, a.scrum, SprintActive)
			backlog, issues := boardKeys(t, func(c Cursor) (SearchPage, error) { return a.c.Backlog(ctx, a.scrum, AgileQuery{PageSize: 10}, c) })
			if len(backlog) == 0 {
				t.Fatal("empty backlog")
			}
			if !slices.Equal(backlog, a.srv.RankOrder(backlog)) {
				t.Error("the backlog is not in rank order")
			}
			for _, is := range issues {
				if a.srv.IssueSprint(is.Key) != 0 || is.Status.Category == CategoryDone {
					t.Errorf("%s in the backlog: sprint %d, status %s", is.Key, a.srv.IssueSprint(is.Key), is.Status.Name)
				}
			}
			inSprint, _ := boardKeys(t, func(c Cursor) (SearchPage, error) {
				return a.c.SprintIssues(ctx, a.scrum, active, AgileQuery{JQL: "statusCategory != Done"}, c)
			})
			if len(inSprint) == 0 {
				t.Fatal("no open issue in the active sprint")
			}
			key := inSprint[0]
			reqs := requestsDuring(t, a.srv, func() {
				if err := a.c.MoveToBacklog(ctx, []string{key}); err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "MoveToBacklog", reqs, "POST /rest/agile/1.0/backlog/issue")
			if a.srv.IssueSprint(key) != 0 {
				t.Fatalf("%s is still in sprint %d", key, a.srv.IssueSprint(key))
			}
			again, _ := boardKeys(t, func(c Cursor) (SearchPage, error) { return a.c.Backlog(ctx, a.scrum, AgileQuery{}, c) })
			if !slices.Contains(again, key) || len(again) != len(backlog)+1 {
				t.Errorf("%s not in the backlog after the move (%d -> %d)", key, len(backlog), len(again))
			}
			if _, err := a.c.Backlog(ctx, a.kanban, AgileQuery{}, Cursor{}); KindOf(err) != KindBadRequest {
				t.Errorf("kanban backlog: %v", err)
			}
		})
	}
}

// epicWithChildren finds an epic and its children's keys in the fake.
func epicWithChildren(t *testing.T, s *fakejira.Server) (string, []string) {
	t.Helper()
	children := map[string][]string{}
	var epics []string
	for _, k := range s.Keys() {
		snap, _ := s.Issue(k)
		if snap.Type == "Epic" {
			epics = append(epics, k)
		} else if snap.Parent != "" && snap.Type != "Sub-task" {
			children[snap.Parent] = append(children[snap.Parent], k)
		}
	}
	for _, e := range epics {
		if len(children[e]) >= 3 {
			return e, children[e]
		}
	}
	t.Fatal("no epic with 3 children")
	return "", nil
}

func TestAgileEpicChildren(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			epic, want := epicWithChildren(t, a.srv)
			var got []Issue
			reqs := requestsDuring(t, a.srv, func() {
				var err error
				if got, err = a.c.EpicChildren(ctx, epic, nil); err != nil {
					t.Fatal(err)
				}
			})
			var keys []string
			done := 0
			for _, is := range got {
				keys = append(keys, is.Key)
				if is.Epic == nil || is.Epic.Key != epic {
					t.Errorf("%s: epic %+v", is.Key, is.Epic)
				}
				if snap, _ := a.srv.Issue(is.Key); snap.Status == "Done" {
					done++
				}
			}
			slices.Sort(keys)
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("children %v, want %v", keys, want)
			}
			if p := Progress(got); p.Total != len(want) || p.Done != done {
				t.Errorf("progress %+v, want %d of %d", p, done, len(want))
			}
			if fl.f == FlavorCloud {
				wantRequests(t, "EpicChildren", reqs, "POST /rest/api/3/search/jql")
			} else {
				wantRequests(t, "EpicChildren", reqs, "GET /rest/api/2/field", "POST /rest/api/2/search")
				// The field id is kept: a second epic asks only the search.
				reqs = requestsDuring(t, a.srv, func() { _, _ = a.c.EpicChildren(ctx, epic, nil) })
				wantRequests(t, "EpicChildren again", reqs, "POST /rest/api/2/search")
			}
			q, _ := a.c.EpicChildrenQuery(ctx, epic, nil)
			wantJQL := map[Flavor]string{FlavorCloud: "parent = " + epic, FlavorDataCenter: "cf[10100] = " + epic}[fl.f]
			if !strings.HasPrefix(q.JQL, wantJQL) {
				t.Errorf("JQL %q, want %q...", q.JQL, wantJQL)
			}
		})
	}
}

func TestAgileEpicLinkField(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			var id string
			reqs := requestsDuring(t, a.srv, func() {
				var err error
				if id, err = a.c.EpicLinkField(ctx); err != nil {
					t.Fatal(err)
				}
			})
			if fl.f == FlavorCloud {
				if id != "" || len(reqs) != 0 {
					t.Errorf("Cloud: %q after %v; Cloud has no Epic Link to find", id, reqs)
				}
				return
			}
			if id != "customfield_10100" {
				t.Errorf("Epic Link field %q", id)
			}
			wantRequests(t, "EpicLinkField", reqs, "GET /rest/api/2/field")
		})
	}
}

func TestAgileSetEpic(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			epic, children := epicWithChildren(t, a.srv)
			var story, other string
			for _, k := range a.srv.Keys() {
				snap, _ := a.srv.Issue(k)
				switch {
				case snap.Type == "Story" && snap.Parent == "" && story == "":
					story = k
				case snap.Type == "Task" && other == "":
					other = k
				}
			}
			reqs := requestsDuring(t, a.srv, func() {
				if err := a.c.SetEpic(ctx, story, epic); err != nil {
					t.Fatal(err)
				}
			})
			if snap, _ := a.srv.Issue(story); snap.Parent != epic {
				t.Fatalf("%s: parent %q, want %q", story, snap.Parent, epic)
			}
			body := a.srv.Requests()
			last := body[len(body)-1]
			wantBody := map[Flavor]string{FlavorCloud: `{"fields":{"parent":{"key":"` + epic + `"}}}`, FlavorDataCenter: `{"fields":{"customfield_10100":"` + epic + `"}}`}[fl.f]
			if last.Body != wantBody {
				t.Errorf("body %s, want %s (requests %v)", last.Body, wantBody, reqs)
			}
			// It shows as a child now.
			got, err := a.c.EpicChildren(ctx, epic, nil)
			if err != nil || len(got) != len(children)+1 {
				t.Errorf("children after SetEpic: %d, %v", len(got), err)
			}
			if err := a.c.SetEpic(ctx, story, ""); err != nil {
				t.Fatal(err)
			}
			if snap, _ := a.srv.Issue(story); snap.Parent != "" {
				t.Errorf("%s still has parent %q", story, snap.Parent)
			}
			// Not an epic: Jira refuses it on the field.
			err = a.c.SetEpic(ctx, story, other)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindBadRequest || len(e.FieldErrors) != 1 {
				t.Errorf("non-epic parent: %v", err)
			}
		})
	}
}

// TestAgileOpenBoardRequests is what opening a board costs: its
// configuration and the first page of issues, requested together.
func TestAgileOpenBoardRequests(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			a := startAgile(t, fl)
			reqs := requestsDuring(t, a.srv, func() {
				cfg, page, err := openBoard(ctx, a.c, a.scrum)
				if err != nil || len(cfg.Columns) == 0 || len(page.Issues) == 0 {
					t.Fatalf("open: %v", err)
				}
			})
			slices.Sort(reqs)
			b := strconv.Itoa(a.scrum)
			wantRequests(t, "opening a board", reqs, "GET /rest/agile/1.0/board/"+b+"/configuration", "GET /rest/agile/1.0/board/"+b+"/issue")
		})
	}
}

// openBoard is how the board view opens a board: configuration and the
// first page at once. The estimate field is not known before the
// configuration arrives, so the page asks for the site's usual ones.
func openBoard(ctx context.Context, c *Client, board int) (*BoardConfig, SearchPage, error) {
	var wg sync.WaitGroup
	var cfg *BoardConfig
	var page SearchPage
	var err1, err2 error
	wg.Add(2)
	go func() { defer wg.Done(); cfg, err1 = c.BoardConfiguration(ctx, board) }()
	go func() {
		defer wg.Done()
		page, err2 = c.BoardIssues(ctx, board, AgileQuery{EstimateField: "customfield_10016"}, Cursor{})
	}()
	wg.Wait()
	return cfg, page, errors.Join(err1, err2)
}
