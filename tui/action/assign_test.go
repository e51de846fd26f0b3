package action

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// fakeID is how fakejira's snapshots name u: accountId on Cloud, username
// on Data Center.
func fakeID(u fakejira.User) string {
	if u.AccountID != "" {
		return u.AccountID
	}
	return u.Name
}

// fakeUser finds the fake's user whose display name starts with name.
func (s *site) fakeUser(t *testing.T, name string) fakejira.User {
	t.Helper()
	for _, u := range s.srv.Users() {
		if strings.HasPrefix(u.DisplayName, name) {
			return u
		}
	}
	t.Fatalf("no user %q", name)
	return fakejira.User{}
}

// asClient is u as jiraclient knows people.
func asClient(u fakejira.User) jiraclient.User {
	return jiraclient.User{AccountID: u.AccountID, Name: u.Name, Key: u.Key, DisplayName: u.DisplayName, Email: u.Email, Active: true}
}

// notMine are the first n issues in status not assigned to me, as the
// list has them.
func (s *site) notMine(t *testing.T, n int, status string) []jiraclient.Issue {
	t.Helper()
	me := fakeID(s.srv.Me())
	var out []jiraclient.Issue
	for _, k := range s.srv.Keys() {
		snap, _ := s.srv.Issue(k)
		if snap.Status != status || snap.Type == "Epic" || snap.Assignee == me {
			continue
		}
		is, err := s.c.Client.GetIssue(context.Background(), k, jiraclient.GetIssueOptions{Fields: jiraclient.ListFields})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *is)
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("fewer than %d issues in %q are not mine", n, status)
	return nil
}

// openAssign opens the assign overlay on an unassigned or someone else's
// issue, with the first user search answered, and forgets the requests
// made so far.
func openAssign(t *testing.T, s *site) (*runner, jiraclient.Issue) {
	t.Helper()
	is := s.notMine(t, 1, "To Do")[0]
	r := newRunner(t, NewAssign(s.c, is), 100, 30)
	r.wantPhase("pick")
	if !strings.Contains(r.screen(), "Grace Hopper") {
		t.Fatalf("the first users are not listed:\n%s", r.screen())
	}
	s.srv.ResetRequests()
	return r, is
}

// searches are the assignable-user searches Jira saw, by query.
func (s *site) searches(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range s.srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/user/assignable/search") {
			q, err := url.ParseQuery(r.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, q.Get("query")+q.Get("username"))
		}
	}
	return out
}

func TestAssignChoices(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl+"/me", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			r.keys("1")
			patch, _ := last[common.IssuePatchMsg](r)
			if a := patch.Apply(is).Assignee; a == nil || a.DisplayName != "Ada Lovelace" {
				t.Fatalf("patch shows %+v", a)
			}
			conf, ok := last[common.IssueConfirmedMsg](r)
			if !ok || conf.Token != patch.Token || conf.Issue == nil || conf.Issue.Assignee == nil || conf.Issue.Assignee.DisplayName != "Ada Lovelace" {
				t.Fatalf("confirm %+v", conf)
			}
			if !r.closed || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatalf("closed %v assignee %q", r.closed, s.snap(t, is.Key).Assignee)
			}
		})
		t.Run(fl+"/unassign", func(t *testing.T) {
			t.Parallel()
			// By its number, or highlighted and chosen with enter.
			for _, k := range [][]string{{"2"}, {"down", "enter"}} {
				s := startSite(t, fl)
				r, is := openAssign(t, s)
				r.keys("1") // someone first
				r = newRunner(t, NewAssign(s.c, is), 100, 30)
				r.keys(k...)
				if !r.closed || s.snap(t, is.Key).Assignee != "" {
					t.Fatalf("%s: closed %v assignee %q", k, r.closed, s.snap(t, is.Key).Assignee)
				}
				if patch, _ := last[common.IssuePatchMsg](r); patch.Apply(is).Assignee != nil {
					t.Fatalf("%s: patch keeps an assignee", k)
				}
			}
		})
		t.Run(fl+"/project default", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			r.keys("3")
			patch, _ := last[common.IssuePatchMsg](r)
			if a := patch.Apply(is).Assignee; a == nil || a.DisplayName != "(project default)" {
				t.Fatalf("patch shows %+v", a)
			}
			conf, _ := last[common.IssueConfirmedMsg](r)
			sn := s.snap(t, is.Key)
			if !r.closed || sn.Assignee == "" || conf.Issue == nil || conf.Issue.Assignee == nil || conf.Issue.Assignee.ID() != sn.Assignee {
				t.Fatalf("closed %v: Jira has %q, confirmed %+v", r.closed, sn.Assignee, conf.Issue)
			}
		})
		t.Run(fl+"/search and pick", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			r.typeFast("grace")
			if got := s.searches(t); len(got) != 1 || got[0] != "grace" {
				t.Fatalf("searches %q", got)
			}
			sc := r.screen()
			if !strings.Contains(sc, "Grace Hopper") || strings.Contains(sc, "Linus") || strings.Contains(sc, "Assign to me") {
				t.Fatalf("results:\n%s", sc)
			}
			r.keys("enter")
			if want := fakeID(s.fakeUser(t, "Grace")); !r.closed || s.snap(t, is.Key).Assignee != want {
				t.Fatalf("closed %v assignee %q, want %q", r.closed, s.snap(t, is.Key).Assignee, want)
			}
			if conf, _ := last[common.IssueConfirmedMsg](r); !strings.Contains(conf.Note, "assigned to Grace Hopper") {
				t.Fatalf("note %q", conf.Note)
			}
		})
		// A name starting with a letter that once was a shortcut (d was
		// "project default"): every printable key is text.
		t.Run(fl+"/a name starting with d", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			r.typeFast("dennis")
			r.keys("enter")
			if want := fakeID(s.fakeUser(t, "Dennis")); s.snap(t, is.Key).Assignee != want {
				t.Fatalf("assignee %q, want %q", s.snap(t, is.Key).Assignee, want)
			}
		})
	}
}

// A name typed quickly costs one search; typed slowly (each pause longer
// than SearchDelay), one per pause. Answers to queries typed past are
// dropped.
func TestAssignSearchDebounced(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, _ := openAssign(t, s)
			start := time.Now()
			r.typeFast("marga")
			if got := s.searches(t); len(got) != 1 || got[0] != "marga" {
				t.Fatalf("quick typing: searches %q", got)
			}
			if d := time.Since(start); d < SearchDelay {
				t.Fatalf("searched after %v, before the debounce", d)
			}
			t.Logf("%s: %q typed quickly: %d search request(s)", fl, "marga", len(s.searches(t)))

			m := r.o.(*Assign)
			stale := m.users.reqID
			r.keysFast("backspace", "backspace", "backspace", "backspace", "backspace")
			s.srv.ResetRequests()
			r.typ("grace") // each key's debounce fires before the next key
			if got := s.searches(t); len(got) != 5 || got[4] != "grace" {
				t.Fatalf("slow typing: searches %q", got)
			}
			// The answer to "marga" arrives late: dropped.
			r.send(usersMsg{id: stale, query: "marga", users: []jiraclient.User{asClient(s.fakeUser(t, "Margaret"))}})
			if sc := r.screen(); strings.Contains(sc, "Margaret") || !strings.Contains(sc, "Grace Hopper") {
				t.Fatalf("a stale answer replaced the results:\n%s", sc)
			}
		})
	}
}

func TestAssignToMe(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.notMine(t, 1, "To Do")[0]
			s.srv.ResetRequests()
			msgs := exec(AssignToMe(s.c, is))
			if len(msgs) != 2 {
				t.Fatalf("messages %+v", msgs)
			}
			patch, ok1 := msgs[0].(common.IssuePatchMsg)
			conf, ok2 := msgs[1].(common.IssueConfirmedMsg)
			if !ok1 || !ok2 || patch.Token != conf.Token || patch.Apply(is).Assignee.DisplayName != "Ada Lovelace" {
				t.Fatalf("messages %+v", msgs)
			}
			if s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) || conf.Issue == nil || conf.Issue.Assignee.ID() != fakeID(s.srv.Me()) {
				t.Fatal("not assigned to me")
			}
			if n := len(s.srv.Requests()); n != 2 {
				t.Fatalf("%d requests, want the PUT and the re-read", n)
			}

			// Already mine: a note, no request.
			s.srv.ResetRequests()
			msgs = exec(AssignToMe(s.c, *conf.Issue))
			if n, ok := msgs[0].(common.NoticeMsg); len(msgs) != 1 || !ok || !strings.Contains(n.Text, "already assigned to you") {
				t.Fatalf("already mine: %+v", msgs)
			}
			if n := len(s.srv.Requests()); n != 0 {
				t.Fatalf("%d requests for nothing", n)
			}

			// Who "me" is not known yet: Jira is asked first.
			other := s.notMine(t, 1, "In Progress")[0]
			s.c.Me = nil
			s.srv.ResetRequests()
			msgs = exec(AssignToMe(s.c, other))
			if _, ok := msgs[len(msgs)-1].(common.IssueConfirmedMsg); !ok || s.snap(t, other.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatalf("without Me: %+v", msgs)
			}
			if s.count("GET", "/myself") != 1 {
				t.Fatal("did not ask Jira who I am")
			}
		})
	}
}

// AssignToMe has no overlay: its failures travel as the rollback alone.
func TestAssignToMeFails(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.notMine(t, 1, "To Do")[0]
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
			msgs := exec(AssignToMe(s.c, is))
			rb, ok := msgs[len(msgs)-1].(common.IssueRollbackMsg)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindForbidden || rb.Token != msgs[0].(common.IssuePatchMsg).Token {
				t.Fatalf("messages %+v", msgs)
			}
			s.srv.ExpireToken()
			msgs = exec(AssignToMe(s.c, is))
			if rb, ok := msgs[len(msgs)-1].(common.IssueRollbackMsg); !ok || !jiraclient.IsAuth(rb.Err) {
				t.Fatalf("expired: %+v", msgs)
			}
			if s.snap(t, is.Key).Assignee == fakeID(s.srv.Me()) {
				t.Fatal("assigned despite the failures")
			}
		})
	}
}

func TestAssignRefused(t *testing.T) {
	cases := []struct {
		name   string
		status int
		kind   jiraclient.ErrorKind
		words  string
		retry  bool
	}{
		{"403", 403, jiraclient.KindForbidden, "permission", false},
		{"404", 404, jiraclient.KindNotFound, "not found", false},
		{"409", 409, jiraclient.KindConflict, "conflicting update", true},
		{"413", 413, jiraclient.KindTooLarge, "reached a limit", false},
	}
	for _, fl := range flavors {
		for _, tc := range cases {
			t.Run(fl+"/"+tc.name, func(t *testing.T) {
				s := startSite(t, fl)
				r, is := openAssign(t, s)
				before := s.snap(t, is.Key).Assignee
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: tc.status}}})
				r.keys("1")
				rb, ok := last[common.IssueRollbackMsg](r)
				if !ok || jiraclient.KindOf(rb.Err) != tc.kind {
					t.Fatalf("rollback %+v", rb)
				}
				if r.closed {
					t.Fatal("closed on failure")
				}
				r.wantPhase("pick")
				sc := r.screen()
				if !strings.Contains(sc, tc.words) || !strings.Contains(sc, "Assign to me") {
					t.Fatalf("screen lacks %q or the choices:\n%s", tc.words, sc)
				}
				if got := strings.Contains(sc, "pick again to retry"); got != tc.retry {
					t.Fatalf("retry hint %v:\n%s", got, sc)
				}
				if s.snap(t, is.Key).Assignee != before {
					t.Fatal("Jira changed")
				}
				r.keys("1")
				if !r.closed || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
					t.Fatal("second try failed")
				}
			})
		}
	}
}

// Someone deactivated between the search and the pick: Jira's field error
// is shown beside the assignee, and another pick goes through.
func TestAssignFieldError(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			gone := asClient(s.fakeUser(t, "Edsger"))
			r.typeFast("eds")
			m := r.o.(*Assign)
			r.send(usersMsg{id: m.users.reqID, query: "eds", users: []jiraclient.User{gone}})
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindBadRequest {
				t.Fatalf("rollback %+v", rb)
			}
			r.wantPhase("pick")
			lines := strings.Split(r.screen(), "\n")
			var now string
			for _, l := range lines {
				if strings.Contains(l, "now ") {
					now = l
				}
			}
			if !strings.Contains(now, "cannot be assigned issues") || !strings.Contains(r.screen(), "Jira refused that assignee") {
				t.Fatalf("field error not beside the assignee:\n%s", r.screen())
			}
			r.keysFast("backspace", "backspace", "backspace")
			r.keys("1")
			if !r.closed || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatalf("after the error: closed %v\n%s", r.closed, r.screen())
			}
		})
	}
}

func TestAssignRateLimited(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			r, is := openAssign(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "1"}}})
			r.park = isRollback
			r.keys("1")
			r.wantPhase("waiting")
			if sc := r.screen(); !strings.Contains(sc, "rate-limiting") || !strings.Contains(sc, "sending again in 1 s") {
				t.Fatalf("wait not shown:\n%s", sc)
			}
			start := time.Now()
			r.unpark()
			if time.Since(start) < 900*time.Millisecond {
				t.Fatal("did not wait for Jira's Retry-After")
			}
			if !r.closed || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatalf("after the wait: closed %v", r.closed)
			}
			if n := s.count("PUT", "/assignee"); n != 2 {
				t.Fatalf("%d PUTs, want the 429 and one resend", n)
			}
		})
	}
}

func TestAssignConnectionDropped(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl+"/before the write", func(t *testing.T) {
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			before := s.snap(t, is.Key).Assignee
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Drop: true}}})
			r.keys("1")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindNetwork {
				t.Fatalf("rollback %+v", rb)
			}
			if s.count("GET", "/issue/"+is.Key) != 1 || s.snap(t, is.Key).Assignee != before {
				t.Fatal("the issue was not read back, or changed")
			}
			if sc := r.screen(); !strings.Contains(sc, "sending it again is safe") {
				t.Fatalf("screen:\n%s", sc)
			}
			r.keys("1")
			if !r.closed || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatal("second try failed")
			}
		})
		t.Run(fl+"/after the write", func(t *testing.T) {
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true}}})
			r.keys("1")
			conf, ok := last[common.IssueConfirmedMsg](r)
			if !ok || !strings.Contains(conf.Note, "checked: the change is in Jira") || s.snap(t, is.Key).Assignee != fakeID(s.srv.Me()) {
				t.Fatalf("confirm %+v", conf)
			}
			if _, ok := last[common.IssueRollbackMsg](r); ok || !r.closed {
				t.Fatal("rolled back a write that happened")
			}
			if n := s.count("PUT", "/assignee"); n != 1 {
				t.Fatalf("%d PUTs", n)
			}
		})
	}
}

// An expired login mid-send: after the new client is in Common, Retry
// sends the same person.
func TestAssignTokenExpired(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			r, is := openAssign(t, s)
			r.typeFast("grace")
			s.srv.ExpireToken()
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || !jiraclient.IsAuth(rb.Err) {
				t.Fatalf("rollback %+v", rb)
			}
			r.wantPhase("pick")
			s.srv.SetToken("fresh-token")
			s.c.Client = s.client(t, "fresh-token")
			r.do(r.o.(*Assign).Retry())
			if want := fakeID(s.fakeUser(t, "Grace")); !r.closed || s.snap(t, is.Key).Assignee != want {
				t.Fatalf("after re-login: closed %v assignee %q", r.closed, s.snap(t, is.Key).Assignee)
			}
			puts := bodies(s, "PUT", "/assignee")
			if len(puts) != 2 || puts[0] != puts[1] {
				t.Fatalf("not the same choice: %q", puts)
			}
		})
	}
}

// bodies are the bodies of the requests Jira saw for method on paths
// ending in suffix.
func bodies(s *site, method, suffix string) []string {
	var out []string
	for _, r := range s.srv.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r.Body)
		}
	}
	return out
}
