package action

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// startMove opens the transition overlay on a To Do issue and returns it
// ready to pick "In Progress" with enter.
func startMove(t *testing.T, s *site) (*runner, jiraclient.Issue) {
	t.Helper()
	is := s.issues(t, 1, "To Do")[0]
	r := newRunner(t, NewTransition(s.c, is), 100, 30)
	r.typ("in progress")
	s.srv.ResetRequests() // count only what the action sends from here
	return r, is
}

// Jira refusing the write keeps the overlay open with the choice and the
// reason; the patch is rolled back; enter tries again when that can help.
func TestTransitionRefused(t *testing.T) {
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
				r, is := startMove(t, s)
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: tc.status}}})
				r.keys("enter")
				rb, ok := last[common.IssueRollbackMsg](r)
				if !ok || jiraclient.KindOf(rb.Err) != tc.kind {
					t.Fatalf("rollback %+v", rb)
				}
				if patch, _ := last[common.IssuePatchMsg](r); patch.Token != rb.Token {
					t.Fatal("the rollback does not name the patch")
				}
				if r.closed {
					t.Fatal("closed on failure")
				}
				r.wantPhase("pick")
				sc := r.screen()
				if !strings.Contains(sc, tc.words) || !strings.Contains(sc, "▸") {
					t.Fatalf("screen lacks %q or the choice:\n%s", tc.words, sc)
				}
				if got := strings.Contains(sc, "enter tries again"); got != tc.retry {
					t.Fatalf("retry hint %v:\n%s", got, sc)
				}
				if got := s.snap(t, is.Key).Status; got != "To Do" {
					t.Fatalf("Jira has %q", got)
				}
				// The choice is kept: enter sends it again.
				r.keys("enter")
				if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
					t.Fatalf("second try: closed %v status %q", r.closed, s.snap(t, is.Key).Status)
				}
			})
		}
	}
}

// A 429 the client sits out (Retry-After within its cap) is invisible; one
// beyond its cap is waited out by the overlay, visibly, then sent again.
func TestTransitionRateLimited(t *testing.T) {
	t.Parallel() // it waits on timers: let others run meanwhile
	for _, fl := range flavors {
		t.Run(fl+"/client retries", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			r, is := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "0"}}})
			r.keys("enter")
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatalf("closed %v status %q", r.closed, s.snap(t, is.Key).Status)
			}
			if n := s.count("POST", "/transitions"); n != 2 {
				t.Fatalf("%d POSTs, want the 429 and its retry", n)
			}
		})
		t.Run(fl+"/overlay waits", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			r, is := startMove(t, s)
			// Retry-After beyond the client's cap (quick.Max): the client
			// gives up at once and the overlay sits the wait out.
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "1"}}})
			r.park = isRollback
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindRateLimited {
				t.Fatalf("rollback %+v", rb)
			}
			r.wantPhase("waiting")
			sc := r.screen()
			if !strings.Contains(sc, "rate-limiting") || !strings.Contains(sc, "sending again in 1 s") || !strings.Contains(sc, "In Progress") {
				t.Fatalf("wait not shown:\n%s", sc)
			}
			if n := s.count("POST", "/transitions"); n != 1 {
				t.Fatalf("%d POSTs before the wait, want 1", n)
			}
			start := time.Now()
			r.unpark() // the wait's tick, then the second send
			if time.Since(start) < 900*time.Millisecond {
				t.Fatal("did not wait for Jira's Retry-After")
			}
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatalf("after the wait: closed %v status %q", r.closed, s.snap(t, is.Key).Status)
			}
			if n := s.count("POST", "/transitions"); n != 2 {
				t.Fatalf("%d POSTs, want the 429 and one resend", n)
			}
			patches := all[common.IssuePatchMsg](r)
			conf, _ := last[common.IssueConfirmedMsg](r)
			if len(patches) != 2 || patches[1].Token == rb.Token || conf.Token != patches[1].Token {
				t.Fatalf("the resend is not a new change: %d patches, confirm %q", len(patches), conf.Token)
			}
		})
		t.Run(fl+"/esc stops the wait", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			r, is := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "30"}}})
			r.park = isRollback
			r.keys("enter")
			r.wantPhase("waiting")
			if sc := r.screen(); !strings.Contains(sc, "sending again in 30 s") {
				t.Fatalf("wait not shown:\n%s", sc)
			}
			stale := r.o.(*Transition).waitID
			r.park, r.parked = nil, nil // the 30 s timer is never run
			r.keys("esc")
			r.wantPhase("pick")
			// The timer of the stopped wait fires later: nothing is sent.
			r.send(retryTickMsg{id: stale})
			if n := s.count("POST", "/transitions"); n != 1 {
				t.Fatalf("%d POSTs after esc", n)
			}
			// The choice is kept: enter sends it now.
			r.keys("enter")
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatalf("closed %v status %q", r.closed, s.snap(t, is.Key).Status)
			}
		})
		t.Run(fl+"/enter sends now", func(t *testing.T) {
			t.Parallel()
			s := startSite(t, fl, quick)
			r, is := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "30"}}})
			r.park = isRollback
			r.keys("enter")
			r.wantPhase("waiting")
			r.park, r.parked = nil, nil
			r.keys("enter")
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatalf("closed %v status %q", r.closed, s.snap(t, is.Key).Status)
			}
		})
	}
}

// isRollback parks the Cmd the overlay returns for a rollback (its
// rate-limit wait).
func isRollback(m tea.Msg) bool {
	_, ok := m.(common.IssueRollbackMsg)
	return ok
}

// A dropped connection leaves the write's fate unknown: the issue is read
// back, and what it shows decides.
func TestTransitionConnectionDropped(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl+"/before the write", func(t *testing.T) {
			s := startSite(t, fl)
			r, is := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Drop: true}}})
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindNetwork {
				t.Fatalf("rollback %+v", rb)
			}
			if s.count("GET", "/issue/"+is.Key) != 1 {
				t.Fatal("the issue was not read back")
			}
			if sc := r.screen(); !strings.Contains(sc, "not in Jira, so sending it again is safe") || !strings.Contains(sc, "enter tries again") {
				t.Fatalf("no retry offered:\n%s", sc)
			}
			r.keys("enter")
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatal("second try failed")
			}
		})
		t.Run(fl+"/after the write", func(t *testing.T) {
			s := startSite(t, fl)
			r, _ := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true}}})
			r.keys("enter")
			conf, ok := last[common.IssueConfirmedMsg](r)
			if !ok || conf.Issue == nil || conf.Issue.Status.Name != "In Progress" || !strings.Contains(conf.Note, "checked: the change is in Jira") {
				t.Fatalf("confirm %+v", conf)
			}
			if _, ok := last[common.IssueRollbackMsg](r); ok {
				t.Fatal("rolled back a write that happened")
			}
			if n := s.count("POST", "/transitions"); n != 1 {
				t.Fatalf("%d POSTs: sent twice", n)
			}
			if !r.closed {
				t.Fatal("not closed")
			}
		})
	}
}

// An expired login mid-send: the rollback carries an auth error (the root
// opens the login on it), the overlay keeps everything, and Retry after
// the new login sends the same choice with the new client.
func TestTransitionTokenExpired(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.issues(t, 1, "In Progress")[0]
			r := newRunner(t, NewTransition(s.c, is), 100, 30)
			r.typ("done")
			r.keys("enter", "enter") // Done, first resolution
			s.srv.ExpireToken()
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || !jiraclient.IsAuth(rb.Err) {
				t.Fatalf("rollback %+v", rb)
			}
			r.wantPhase("form")
			s.srv.SetToken("fresh-token")
			s.c.Client = s.client(t, "fresh-token")
			r.do(r.o.(*Transition).Retry())
			if !r.closed || s.snap(t, is.Key).Status != "Done" {
				t.Fatalf("after re-login: closed %v status %q", r.closed, s.snap(t, is.Key).Status)
			}
			posts := bodies(s, "POST", "/transitions")
			if len(posts) != 2 || posts[0] != posts[1] || !strings.Contains(posts[1], "resolution") {
				t.Fatalf("not the same choice:\n%s", strings.Join(posts, "\n"))
			}
		})
	}
}

func TestTransitionLoadFailure(t *testing.T) {
	s := startSite(t, "cloud")
	is := s.issues(t, 1, "To Do")[0]
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
	r := newRunner(t, NewTransition(s.c, is), 80, 24)
	r.wantPhase("load failed")
	if sc := r.screen(); !strings.Contains(sc, "could not load the transitions") || !strings.Contains(sc, "r try again") {
		t.Fatalf("load failure:\n%s", sc)
	}
	r.keys("r")
	r.wantPhase("pick")
	// An auth failure while loading is retried after the new login.
	s.srv.ExpireToken()
	r.keys("esc")
	r2 := newRunner(t, NewTransition(s.c, is), 80, 24)
	r2.wantPhase("load failed")
	s.srv.SetToken("t2")
	s.c.Client = s.client(t, "t2")
	r2.do(r2.o.(*Transition).Retry())
	r2.wantPhase("pick")
}
