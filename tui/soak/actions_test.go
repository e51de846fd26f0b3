package soak

// Requests per action, through the real root in a real program: the keys a
// user presses in the list (t, a, i, c), from the key that opens the action
// to Jira's confirmation on screen. The row's detail was prefetched before
// (the cursor rested on it, as a user's does), so each figure is what the
// action itself costs. Counts are exact on loopback: the only timer in the
// flows is the assignee search's debounce, and the test waits it out before
// choosing, as a user who reads the result does.

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// actionJQL is issues a triage acts on: To Do, not already Ada's, in key
// order so the server's order is easy to follow.
const actionJQL = `status = "To Do" AND (assignee is EMPTY OR assignee != currentUser()) ORDER BY key ASC`

// until waits for a frame that satisfies ok and returns when it was drawn
// (now if the latest frame already does).
func (pr *program) until(what string, d time.Duration, ok func(screen string) bool) time.Time {
	pr.t.Helper()
	hit := make(chan time.Time, 1)
	pr.f.mu.Lock()
	pr.f.watch = func(s string) {
		if ok(s) {
			select {
			case hit <- time.Now():
			default:
			}
		}
	}
	last := pr.f.last
	pr.f.mu.Unlock()
	defer func() {
		pr.f.mu.Lock()
		pr.f.watch = nil
		pr.f.mu.Unlock()
	}()
	if ok(last) {
		return time.Now()
	}
	select {
	case at := <-hit:
		return at
	case <-pr.done:
		pr.t.Fatalf("the program ended while waiting for %s: %v", what, pr.err)
	case <-time.After(d):
		pr.t.Fatalf("waited %v for %s; the screen is:\n%s", d, what, pr.f.screen())
	}
	return time.Time{}
}

// typeText sends s one key per character.
func (pr *program) typeText(s string) {
	for _, r := range s {
		if r == ' ' {
			pr.key("space")
			continue
		}
		pr.key(string(r))
	}
}

func contains(parts ...string) func(string) bool {
	return func(s string) bool {
		for _, p := range parts {
			if !strings.Contains(s, p) {
				return false
			}
		}
		return true
	}
}

// lacks is true of a screen without s.
func lacks(s string) func(string) bool {
	return func(sc string) bool { return !strings.Contains(sc, s) }
}

// triageAction is one key's flow: do drives it to Jira's confirmation on
// screen and its overlay closed (the close and the confirmation are
// separate messages; a key sent between them would go to the overlay), and
// says how long the overlay took to be ready (from its key; 0
// without one) and the write to be confirmed (from the key that sends it);
// check looks at the server's copy of the issue afterwards.
type triageAction struct {
	name  string
	bound int // most requests the action may cost
	do    func(pr *program, s site, key string) (open, send time.Duration)
	check func(t testing.TB, before, after fakejira.IssueSnapshot, s site)
}

var waitLimit = 10 * time.Second * raceSlowdown

func triageActions() []triageAction {
	return []triageAction{
		{
			// The transitions (with their screens' fields), the move, the
			// issue read back.
			name: "t transition (no screen)", bound: 3,
			do: func(pr *program, _ site, key string) (time.Duration, time.Duration) {
				start := time.Now()
				pr.key("t")
				open := pr.until("the transitions", waitLimit, contains("Move "+key, "→ In Progress")).Sub(start)
				pr.typeText("prog")
				pr.until("the filtered transitions", waitLimit, contains("› prog"))
				start = time.Now()
				pr.key("enter")
				send := pr.until("the transition's confirmation", waitLimit, contains(key+" → In Progress")).Sub(start)
				pr.until("the overlay to close", waitLimit, lacks("Move "+key))
				return open, send
			},
			check: func(t testing.TB, _, after fakejira.IssueSnapshot, _ site) {
				if after.Status != "In Progress" {
					t.Errorf("%s is %q in Jira after t", after.Key, after.Status)
				}
			},
		},
		{
			// The first assignable users on opening, one search for the
			// name typed, the write, the issue read back.
			name: "a assign (3 characters typed to search)", bound: 4,
			do: func(pr *program, s site, key string) (time.Duration, time.Duration) {
				start := time.Now()
				pr.key("a")
				open := pr.until("the assignable users", waitLimit, contains("Assign "+key, "grace@example.com")).Sub(start)
				pr.typeText("gra")
				// Wait out the debounce: the search reaches Jira and its
				// answer is on screen before enter.
				searched := func() bool {
					n := 0
					for _, r := range s.srv.Requests() {
						if strings.Contains(r.Path, "/user/assignable/search") {
							n++
						}
					}
					return n >= 2
				}
				pr.waitFor("the user search", waitLimit, func(sc string) bool {
					return searched() && strings.Contains(sc, "› gra") && strings.Contains(sc, "grace@example.com") && !strings.Contains(sc, "searching…")
				})
				start = time.Now()
				pr.key("enter")
				send := pr.until("the assignment's confirmation", waitLimit, contains(key+" assigned to Grace Hopper")).Sub(start)
				pr.until("the overlay to close", waitLimit, lacks("Assign "+key))
				return open, send
			},
			check: func(t testing.TB, _, after fakejira.IssueSnapshot, s site) {
				if want := userID(s, "grace"); after.Assignee != want {
					t.Errorf("%s is assigned to %q in Jira after a, want %q", after.Key, after.Assignee, want)
				}
			},
		},
		{
			// The write and the issue read back; Ada is known already.
			name: "i assign to me", bound: 2,
			do: func(pr *program, _ site, key string) (time.Duration, time.Duration) {
				start := time.Now()
				pr.key("i")
				return 0, pr.until("the assignment's confirmation", waitLimit, contains(key+" assigned to you")).Sub(start)
			},
			check: func(t testing.TB, _, after fakejira.IssueSnapshot, s site) {
				if want := userID(s, fakejira.Username); after.Assignee != want {
					t.Errorf("%s is assigned to %q in Jira after i, want %q", after.Key, after.Assignee, want)
				}
			},
		},
		{
			// The comment and the issue read back (with the new comment).
			name: "c comment (typed, ctrl+s)", bound: 2,
			do: func(pr *program, _ site, key string) (time.Duration, time.Duration) {
				start := time.Now()
				pr.key("c")
				open := pr.until("the comment editor", waitLimit, contains("Comment on "+key)).Sub(start)
				pr.typeText("Seen on main")
				pr.until("the typed comment", waitLimit, contains("Seen on main"))
				start = time.Now()
				pr.p.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
				send := pr.until("the comment's confirmation", waitLimit, contains("Comment added to "+key)).Sub(start)
				pr.until("the editor to close", waitLimit, lacks("Comment on "+key))
				return open, send
			},
			check: func(t testing.TB, before, after fakejira.IssueSnapshot, _ site) {
				if after.Comments != before.Comments+1 {
					t.Errorf("%s has %d comments after c, want %d", after.Key, after.Comments, before.Comments+1)
				}
			},
		},
	}
}

// userID is how the server names the user whose address is
// name@example.com: the accountId on Cloud, the username on Data Center.
func userID(s site, name string) string {
	for _, u := range append(s.srv.Users(), s.srv.Me()) {
		if u.Email != name+"@example.com" {
			continue
		}
		if s.flavor == jiraclient.FlavorCloud {
			return u.AccountID
		}
		return u.Name
	}
	return ""
}

// actionFigure is one action's measured cost.
type actionFigure struct {
	name       string
	key        string
	reqs       []string // endpoints in arrival order
	open, send time.Duration
}

// TestRequestsPerAction drives t, a, i and c from the list of the real root
// against fakejira, one row each, on both flavours, and checks what each
// costs in requests (and that Jira got the change). The figures are logged
// (go test -v -run TestRequestsPerAction ./tui/soak/) for
// docs/performance.md.
func TestRequestsPerAction(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			// Mostly waiting: the two flavours overlap.
			t.Parallel()
			for _, f := range measureActions(t, fl) {
				t.Logf("%-40s %-6s %d requests; open %v, send to confirmed %v: %s", f.name, f.key, len(f.reqs),
					f.open.Round(100*time.Microsecond), f.send.Round(100*time.Microsecond), strings.Join(f.reqs, ", "))
			}
		})
	}
}

func measureActions(t *testing.T, fl string) []actionFigure {
	s := startSite(t, fl, fakejira.Options{Seed: 1})
	o := s.options(s.client(t), nil)
	o.JQL = actionJQL
	keys := serverOrder(t, s, actionJQL, 4)
	m := tui.New(o)
	st := m.Store() // Pending is atomic: read here, counted on the UI loop
	pr := run(t, m, nil, nil)
	defer pr.stop()
	pr.until("the first rows", waitLimit, showsKey(keys[0]))
	waitPrefetched(t, s, st, keys[0])

	var figs []actionFigure
	for i, a := range triageActions() {
		key := keys[i]
		if i > 0 {
			pr.key("j")
			waitPrefetched(t, s, st, key)
		}
		before, _ := s.srv.Issue(key)
		s.srv.ResetRequests()
		open, send := a.do(pr, s, key)
		// Anything the action still sends after its confirmation counts:
		// the Update that drew the confirmation started (and counted in
		// the store) whatever follows it, so the store's outstanding work
		// reaching zero means every request of the action was answered.
		waitIdle(t, st, waitLimit)
		reqs := s.srv.Requests()
		after, _ := s.srv.Issue(key)
		a.check(t, before, after, s)
		eps := make([]string, len(reqs))
		for j, r := range reqs {
			eps[j] = endpointOf(r.Method, r.Path)
			if r.Status >= 400 || r.Status == 0 {
				t.Errorf("%s: %s %s answered %d", a.name, r.Method, r.Path, r.Status)
			}
		}
		if len(reqs) > a.bound {
			t.Errorf("%s on %s: %d requests, more than %d: %v", a.name, key, len(reqs), a.bound, eps)
		}
		figs = append(figs, actionFigure{name: a.name, key: key, reqs: eps, open: open, send: send})
	}
	return figs
}

// waitPrefetched waits until the list's prefetch of key (sent once the
// cursor rested list.PrefetchDelay on it) was answered by Jira and taken
// in by the store (its outstanding work back at zero).
func waitPrefetched(t testing.TB, s site, st *store.Store, key string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if _, err := s.srv.AwaitRequest(ctx, func(r fakejira.Request) bool {
		return r.Method == "GET" && strings.HasSuffix(r.Path, "/issue/"+key) && r.Status != 0
	}); err != nil {
		t.Fatalf("the list never prefetched %s", key)
	}
	waitIdle(t, st, time.Until(deadline))
}

// serverOrder is the first n keys of jql in the server's order.
func serverOrder(t testing.TB, s site, jql string, n int) []string {
	t.Helper()
	page, err := s.client(t).Search(t.Context(), jiraclient.SearchQuery{JQL: jql, Fields: jiraclient.ListFields, PageSize: n}, jiraclient.Cursor{})
	if err != nil || len(page.Issues) < n {
		t.Fatalf("search %q: %d issues, %v", jql, len(page.Issues), err)
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = page.Issues[i].Key
	}
	s.srv.ResetRequests()
	return keys
}

// BenchmarkAction is each triage key on Cloud with 100 ms added to every
// answer, a new row each time (after its prefetch, untimed). ns/op is the
// whole flow from the action's key to the confirmation on screen, keys
// typed back to back (and, for a, the 200 ms search debounce waited out);
// ms-open is the key to the overlay ready (its first load), ms-send the
// sending key to Jira's confirmation (the write and the read back).
func BenchmarkAction(b *testing.B) {
	for _, a := range triageActions() {
		b.Run(strings.Fields(a.name)[0]+"/latency-100ms", func(b *testing.B) {
			s := startSite(b, fakejira.FlavorCloud, fakejira.Options{Seed: 1, Issues: 600})
			o := s.options(s.client(b), nil)
			o.JQL = actionJQL
			keys := serverOrder(b, s, actionJQL, b.N+1)
			s.srv.SetFaults(fakejira.Faults{Latency: 100 * time.Millisecond})
			m := tui.New(o)
			st := m.Store()
			pr := run(b, m, nil, nil)
			defer pr.stop()
			pr.until("the first rows", waitLimit, showsKey(keys[0]))
			var open, send time.Duration
			b.StopTimer()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				// Row n+1: the first row's prefetch may still be on its
				// way when the launch ends.
				pr.key("j")
				waitPrefetched(b, s, st, keys[n+1])
				before, _ := s.srv.Issue(keys[n+1])
				b.StartTimer()
				o, sd := a.do(pr, s, keys[n+1])
				b.StopTimer()
				open += o
				send += sd
				after, _ := s.srv.Issue(keys[n+1])
				a.check(b, before, after, s)
			}
			b.ReportMetric(float64(open.Microseconds())/1e3/float64(b.N), "ms-open/op")
			b.ReportMetric(float64(send.Microseconds())/1e3/float64(b.N), "ms-send/op")
		})
	}
}
