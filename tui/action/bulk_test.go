package action

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// openBulk opens the bulk overlay on issues, runs its Init and forgets
// the requests made so far.
func openBulk(t *testing.T, s *site, issues []jiraclient.Issue, op BulkOp) *runner {
	t.Helper()
	r := newRunner(t, NewBulk(s.c, issues, op), 100, 30)
	s.srv.ResetRequests()
	return r
}

// doneMsg is the BulkDoneMsg the overlay sent; the test fails without
// exactly one.
func doneMsg(t *testing.T, r *runner) BulkDoneMsg {
	t.Helper()
	msgs := all[BulkDoneMsg](r)
	if len(msgs) != 1 {
		t.Fatalf("%d BulkDoneMsg\n%s", len(msgs), r.screen())
	}
	return msgs[0]
}

// keysOf are the issues' keys.
func keysOf(issues []jiraclient.Issue) []string {
	out := make([]string, len(issues))
	for i, is := range issues {
		out[i] = is.Key
	}
	return out
}

// missing is an issue the list still shows that Jira no longer has.
var missing = jiraclient.Issue{Key: "WEB-9999", Summary: "Deleted meanwhile"}

func TestBulkTransition(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.issues(t, 5, "To Do")
			r := openBulk(t, s, issues, BulkTransition)
			r.wantPhase("pick")
			if sc := r.screen(); !strings.Contains(sc, "In Progress") || !strings.Contains(sc, "Move 5 issues") {
				t.Fatalf("targets:\n%s", sc)
			}
			r.typ("progress")
			r.keys("enter")
			r.wantPhase("done")
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				if got := s.snap(t, is.Key).Status; got != "In Progress" {
					t.Fatalf("%s is %q", is.Key, got)
				}
			}
			if n := len(all[common.IssueConfirmedMsg](r)); n != 5 || len(all[common.IssuePatchMsg](r)) != 5 {
				t.Fatalf("%d confirmations", n)
			}
			if sc := r.screen(); !strings.Contains(sc, "all 5 done") {
				t.Fatalf("summary:\n%s", sc)
			}
			r.keys("enter")
			if !r.closed {
				t.Fatal("enter does not close the summary")
			}
		})
	}
}

func TestBulkTransitionWithResolution(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.issues(t, 5, "In Progress")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("done")
			r.keys("enter")
			r.wantPhase("form")
			if sc := r.screen(); !strings.Contains(sc, "Resolution *") {
				t.Fatalf("form:\n%s", sc)
			}
			res := r.o.(*Bulk).form.field("resolution")
			want := valueName(res.meta.AllowedValues[1])
			r.keys("down", "enter", "ctrl+s")
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				if sn := s.snap(t, is.Key); sn.Status != "Done" || sn.Resolution != want {
					t.Fatalf("%s is %q / %q", is.Key, sn.Status, sn.Resolution)
				}
			}
		})
	}
}

// One issue refused among five: it is listed with Jira's reason, the
// others go through, and BulkDoneMsg.Failed keeps it for another try.
func TestBulkPartialFailure(t *testing.T) {
	cases := []struct {
		name   string
		status int
		words  string
	}{
		{"403", 403, "403 Forbidden"},
		{"404", 404, "404 Not Found"},
		{"409", 409, "409 Conflict"},
		{"413", 413, "413 Request Entity Too Large"},
	}
	for _, fl := range flavors {
		for _, tc := range cases {
			t.Run(fl+"/"+tc.name, func(t *testing.T) {
				s := startSite(t, fl)
				issues := s.issues(t, 5, "To Do")
				r := openBulk(t, s, issues, BulkTransition)
				r.typ("progress")
				// The first request after the choice is one of the writes.
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: tc.status}}})
				r.keys("enter")
				r.wantPhase("done")
				d := doneMsg(t, r)
				if len(d.Failed) != 1 {
					t.Fatalf("failed %q", d.Failed)
				}
				bad := d.Failed[0]
				for _, is := range issues {
					want := "In Progress"
					if is.Key == bad {
						want = "To Do"
					}
					if got := s.snap(t, is.Key).Status; got != want {
						t.Fatalf("%s is %q, want %q", is.Key, got, want)
					}
				}
				if got := r.o.(*Bulk).Failed(); !slices.Equal(got, d.Failed) {
					t.Fatalf("Failed() %q", got)
				}
				rb, _ := last[common.IssueRollbackMsg](r)
				if rb.Key != bad || len(all[common.IssueRollbackMsg](r)) != 1 {
					t.Fatalf("rollback %+v", rb)
				}
				sc := r.screen()
				if !strings.Contains(sc, "✗ "+bad) || !strings.Contains(sc, tc.words) || !strings.Contains(sc, "4 done, 1 not") {
					t.Fatalf("failure not listed with its reason:\n%s", sc)
				}
			})
		}
	}
}

// Jira's field errors are the reasons listed: here every issue refuses a
// person who can no longer be assigned.
func TestBulkFieldErrors(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.notMine(t, 3, "To Do")
			r := openBulk(t, s, issues, BulkAssign)
			r.typeFast("eds")
			gone := asClient(s.fakeUser(t, "Edsger"))
			r.send(usersMsg{id: r.o.(*Bulk).users.reqID, query: "eds", users: []jiraclient.User{gone}})
			r.keys("enter")
			d := doneMsg(t, r)
			if !slices.Equal(d.Failed, keysOf(issues)) {
				t.Fatalf("failed %q", d.Failed)
			}
			sc := r.screen()
			if strings.Count(sc, "assignee: User 'Edsger Dijkstra' cannot be assigned issues.") != 3 {
				t.Fatalf("reasons:\n%s", sc)
			}
		})
	}
}

// An issue deleted meanwhile fails alone, at whichever step meets it.
func TestBulkMissingIssue(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl+"/transition", func(t *testing.T) {
			s := startSite(t, fl)
			issues := append(s.issues(t, 3, "To Do"), missing)
			r := openBulk(t, s, issues, BulkTransition)
			r.wantPhase("pick")
			if sc := r.screen(); !strings.Contains(sc, "✗ "+missing.Key) || !strings.Contains(sc, "does not exist") {
				t.Fatalf("the load failure is not listed:\n%s", sc)
			}
			r.typ("progress")
			r.keys("enter")
			if d := doneMsg(t, r); !slices.Equal(d.Failed, []string{missing.Key}) {
				t.Fatalf("failed %q", d.Failed)
			}
			if n := s.count("POST", "/transitions"); n != 3 {
				t.Fatalf("%d POSTs", n)
			}
		})
		t.Run(fl+"/label", func(t *testing.T) {
			s := startSite(t, fl)
			issues := append(s.issues(t, 2, "To Do"), missing)
			r := openBulk(t, s, issues, BulkLabel)
			r.typ("triaged")
			r.keys("enter")
			if d := doneMsg(t, r); !slices.Equal(d.Failed, []string{missing.Key}) {
				t.Fatalf("failed %q", d.Failed)
			}
			if sc := r.screen(); !strings.Contains(sc, "✗ "+missing.Key) || !strings.Contains(sc, "does not exist") {
				t.Fatalf("not listed:\n%s", sc)
			}
		})
	}
}

func TestBulkAssign(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl+"/search", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			issues := s.notMine(t, 5, "To Do")
			r := openBulk(t, s, issues, BulkAssign)
			r.typeFast("grace")
			r.keys("enter")
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			want := fakeID(s.fakeUser(t, "Grace"))
			for _, is := range issues {
				if got := s.snap(t, is.Key).Assignee; got != want {
					t.Fatalf("%s assigned to %q", is.Key, got)
				}
			}
		})
		t.Run(fl+"/unassign", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			issues := s.notMine(t, 5, "To Do")
			r := openBulk(t, s, issues, BulkAssign)
			r.keys("2")
			doneMsg(t, r)
			for _, is := range issues {
				if got := s.snap(t, is.Key).Assignee; got != "" {
					t.Fatalf("%s assigned to %q", is.Key, got)
				}
			}
		})
		t.Run(fl+"/to me", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			issues := s.notMine(t, 5, "To Do")
			r := newRunner(t, NewBulk(s.c, issues, BulkAssignToMe), 100, 30)
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				if got := s.snap(t, is.Key).Assignee; got != fakeID(s.srv.Me()) {
					t.Fatalf("%s assigned to %q", is.Key, got)
				}
			}
		})
	}
}

func TestBulkLabel(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			// The list's rows carry no labels (ListFields): what each
			// issue has is in Jira.
			issues := s.issues(t, 5, "To Do")
			have := map[string][]string{}
			drop := ""
			for _, is := range issues {
				have[is.Key] = s.snap(t, is.Key).Labels
				if drop == "" && len(have[is.Key]) > 0 {
					drop = have[is.Key][0]
				}
			}
			if drop == "" {
				t.Fatal("no labels to remove")
			}
			r := openBulk(t, s, issues, BulkLabel)
			r.keys("enter")
			if sc := r.screen(); !strings.Contains(sc, "type a label to add") {
				t.Fatalf("empty input accepted:\n%s", sc)
			}
			r.typ("+triaged -" + drop)
			r.keys("enter")
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for i, is := range issues {
				ls := s.snap(t, is.Key).Labels
				if !slices.Contains(ls, "triaged") || slices.Contains(ls, drop) {
					t.Fatalf("%s labels %q", is.Key, ls)
				}
				// Labels not named stay.
				for _, l := range have[is.Key] {
					if l != drop && !slices.Contains(ls, l) {
						t.Fatalf("%s lost %q", is.Key, l)
					}
				}
				if i == 0 {
					patch := all[common.IssuePatchMsg](r)[0]
					withDrop := issues[0]
					withDrop.Labels = []string{drop, "kept"}
					if p := patch.Apply(withDrop).Labels; !slices.Equal(p, []string{"kept", "triaged"}) {
						t.Fatalf("patch %q", p)
					}
				}
			}
		})
	}
}

// A 429 beyond the client's patience pauses the run visibly; after Jira's
// wait the refused issue and the rest go through, none counted failed.
func TestBulkRateLimited(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			issues := s.issues(t, 6, "To Do")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("progress")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "1"}}})
			r.park = isRollback
			r.keys("enter")
			r.wantPhase("running")
			if sc := r.screen(); !strings.Contains(sc, "rate-limiting requests: going on in 1 s") {
				t.Fatalf("wait not shown:\n%s", sc)
			}
			if n := len(all[BulkDoneMsg](r)); n != 0 {
				t.Fatal("finished during the wait")
			}
			start := time.Now()
			r.unpark()
			if time.Since(start) < 900*time.Millisecond {
				t.Fatal("did not wait for Jira's Retry-After")
			}
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				if got := s.snap(t, is.Key).Status; got != "In Progress" {
					t.Fatalf("%s is %q", is.Key, got)
				}
			}
			if n := s.count("POST", "/transitions"); n != 7 {
				t.Fatalf("%d POSTs, want 6 and the one refused", n)
			}
		})
	}
}

func TestBulkConnectionDropped(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl+"/before the write", func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.issues(t, 5, "To Do")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("progress")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Drop: true}}})
			r.keys("enter")
			d := doneMsg(t, r)
			if len(d.Failed) != 1 || s.snap(t, d.Failed[0]).Status != "To Do" {
				t.Fatalf("failed %q", d.Failed)
			}
			if sc := r.screen(); !strings.Contains(sc, "✗ "+d.Failed[0]) || !strings.Contains(sc, "closed before Jira answered") {
				t.Fatalf("not listed:\n%s", sc)
			}
		})
		t.Run(fl+"/after the write", func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.issues(t, 5, "To Do")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("progress")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true}}})
			r.keys("enter")
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q: the write happened", d.Failed)
			}
			if n := s.count("POST", "/transitions"); n != 5 {
				t.Fatalf("%d POSTs: one sent twice", n)
			}
		})
	}
}

// An expired login pauses the run with nothing counted failed; after the
// new login Retry sends the same transition to the same issues.
func TestBulkTokenExpired(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.issues(t, 6, "To Do")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("progress")
			s.srv.ExpireToken()
			r.keys("enter")
			r.wantPhase("running")
			if n := len(all[BulkDoneMsg](r)); n != 0 {
				t.Fatal("finished while signed out")
			}
			rbs := all[common.IssueRollbackMsg](r)
			if len(rbs) != Concurrency || !jiraclient.IsAuth(rbs[0].Err) {
				t.Fatalf("%d rollbacks, want %d with an auth error", len(rbs), Concurrency)
			}
			if sc := r.screen(); !strings.Contains(sc, "paused: sign in again") || strings.Contains(sc, "✗") {
				t.Fatalf("screen:\n%s", sc)
			}
			first := bodies(s, "POST", "/transitions")
			s.srv.SetToken("fresh-token")
			s.c.Client = s.client(t, "fresh-token")
			r.do(r.o.(*Bulk).Retry())
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				if got := s.snap(t, is.Key).Status; got != "In Progress" {
					t.Fatalf("%s is %q", is.Key, got)
				}
			}
			again := bodies(s, "POST", "/transitions")[len(first):]
			for _, b := range first {
				if !slices.Contains(again, b) {
					t.Fatalf("%s was not sent again after the login", b)
				}
			}
		})
	}
}

// esc while running starts nothing more; what did not start is listed as
// stopped and stays selected.
func TestBulkStop(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud, quick)
	issues := s.issues(t, 8, "To Do")
	r := openBulk(t, s, issues, BulkTransition)
	r.typ("progress")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "30"}}})
	r.park = isRollback
	r.keys("enter")
	r.park, r.parked = nil, nil // the 30 s wait is never run
	r.keys("esc")
	r.wantPhase("done")
	d := doneMsg(t, r)
	if len(d.Failed) == 0 || len(d.Failed) >= len(issues) {
		t.Fatalf("failed %q", d.Failed)
	}
	for _, k := range d.Failed {
		if s.snap(t, k).Status != "To Do" {
			t.Fatalf("%s moved but is listed as failed", k)
		}
	}
	if sc := r.screen(); !strings.Contains(sc, "not started: stopped") {
		t.Fatalf("screen:\n%s", sc)
	}
}

// An issue that no longer offers the chosen status fails alone with the
// reason; nothing is sent for it.
func TestBulkTargetGone(t *testing.T) {
	s := startSite(t, fakejira.FlavorDataCenter)
	issues := s.issues(t, 3, "To Do")
	r := openBulk(t, s, issues, BulkTransition)
	it := r.o.(*Bulk).items[1]
	it.ts = slices.DeleteFunc(it.ts, func(x jiraclient.Transition) bool { return x.To.Name == "In Progress" })
	r.typ("progress")
	r.keys("enter")
	if d := doneMsg(t, r); !slices.Equal(d.Failed, []string{issues[1].Key}) {
		t.Fatalf("failed %q", d.Failed)
	}
	if n := s.count("POST", "/transitions"); n != 2 {
		t.Fatalf("%d POSTs", n)
	}
	if sc := r.screen(); !strings.Contains(sc, "no transition to In Progress") {
		t.Fatalf("reason not listed:\n%s", sc)
	}
}

// Bulk assign to me sends nothing for the issues already mine: the list's
// rows say whose they are, and re-sending would only cost requests (and
// notify watchers on some sites).
func TestBulkAssignSkipsAlreadyAssigned(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			issues := s.notMine(t, 3, "To Do")
			// The first is mine already, in Jira and in the list's row.
			if err := s.c.Client.Assign(context.Background(), issues[0].Key, s.c.Me); err != nil {
				t.Fatal(err)
			}
			me := *s.c.Me
			issues[0].Assignee = &me
			s.srv.ResetRequests()
			r := newRunner(t, NewBulk(s.c, issues, BulkAssignToMe), 100, 30)
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			if n := s.count("PUT", "/assignee"); n != 2 {
				t.Fatalf("%d assignments sent for 2 issues not yet mine", n)
			}
			if !strings.Contains(r.screen(), "already so: nothing sent") {
				t.Fatalf("the summary does not say what was skipped:\n%s", r.screen())
			}
			for _, is := range issues {
				if got := s.snap(t, is.Key).Assignee; got != fakeID(s.srv.Me()) {
					t.Fatalf("%s assigned to %q", is.Key, got)
				}
			}
		})
	}
}

// A label change on one issue: done, the box closes (the status bar gets
// the note); refused, the labels stay typed with Jira's reason.
func TestLabelOneIssue(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.issues(t, 1, "To Do")[0]
			r := newRunner(t, NewBulk(s.c, []jiraclient.Issue{is}, BulkLabel), 100, 30)
			r.typ("triaged")
			r.keys("enter")
			if conf, ok := last[common.IssueConfirmedMsg](r); !ok || !strings.Contains(conf.Note, "labels changed") {
				t.Fatalf("confirm %+v", conf)
			}
			if !r.closed {
				t.Fatalf("the box stayed after a one-issue change:\n%s", r.screen())
			}

			r = newRunner(t, NewBulk(s.c, []jiraclient.Issue{is}, BulkLabel), 100, 30)
			r.typ("blocked")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
			r.keys("enter")
			if r.closed {
				t.Fatal("closed on failure")
			}
			r.wantPhase("form")
			if sc := r.screen(); !strings.Contains(sc, "› blocked") || !strings.Contains(strings.ToLower(sc), "permission") {
				t.Fatalf("the refused labels or the reason are gone:\n%s", sc)
			}
			s.srv.SetFaults(fakejira.Faults{})
			r.keys("enter")
			if !r.closed || !slices.Contains(s.snap(t, is.Key).Labels, "blocked") {
				t.Fatalf("the second try: closed %v, labels %q", r.closed, s.snap(t, is.Key).Labels)
			}
		})
	}
}

// A bulk action over more issues than fit lists every one of them, and
// the list scrolls: no "… and 50 more" with no row.
func TestBulkProgressScrolls(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	var issues []jiraclient.Issue
	for _, k := range s.srv.Keys()[:55] {
		is, err := s.c.Client.GetIssue(context.Background(), k, jiraclient.GetIssueOptions{Fields: jiraclient.ListFields})
		if err != nil {
			t.Fatal(err)
		}
		issues = append(issues, *is)
	}
	r := newRunner(t, NewBulk(s.c, issues, BulkLabel), 80, 24)
	r.typ("triaged")
	r.keys("enter")
	b := r.o.(*Bulk)
	if b.Phase() != "done" {
		t.Fatalf("phase %s", b.Phase())
	}
	v := ansi.Strip(b.View())
	if strings.Contains(v, "more") && !strings.Contains(v, issues[0].Key) {
		t.Fatalf("the progress list sums the issues up instead of listing them:\n%s", v)
	}
	if !strings.Contains(v, issues[0].Key+" ") || !strings.Contains(v, "of 55") {
		t.Fatalf("the first issue or the position is missing:\n%s", v)
	}
	golden.RequireEqual(t, v)
	seen := map[string]bool{}
	for range 10 {
		v = ansi.Strip(b.View())
		for _, is := range issues {
			if strings.Contains(v, is.Key+" ") {
				seen[is.Key] = true
			}
		}
		r.keys("pgdown")
	}
	if len(seen) != len(issues) {
		t.Fatalf("paging showed %d of %d issues", len(seen), len(issues))
	}
	if v := ansi.Strip(b.View()); !strings.Contains(v, "lines 43–55 of 55") {
		t.Fatalf("paging past the end does not stop at the last line:\n%s", v)
	}
	r.keys("up")
	if v := ansi.Strip(b.View()); !strings.Contains(v, "lines 42–54 of 55") {
		t.Fatalf("↑ did not scroll one line up:\n%s", v)
	}
}
