package tui

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/login"
)

// gToExpiredLogin is a root over n issues whose G meets a login that
// expires after a few of its requests: the sign-in prompt is up.
func gToExpiredLogin(t *testing.T, flavor string, n int) (*driver, fakeSite) {
	t.Helper()
	site := bigSite(t, flavor, n)
	d := bigRoot(t, site, nil)
	site.srv.ResetRequests()
	// Cloud: 5 bulk fetches (the key page came before G, loading ahead);
	// Data Center: one page.
	after := 5
	if flavor == fakejira.FlavorDataCenter {
		after = 1
	}
	site.srv.ExpireTokenAfter(after)
	d.send(press("G"))
	if d.m.state != stateLogin || !d.m.reauth {
		t.Fatalf("no sign-in prompt after the login expired in G's load: state %v\n%s", d.m.state, screen(d.m))
	}
	got := len(d.m.list.Issues())
	if got >= n {
		t.Fatalf("all %d issues loaded with an expired login", got)
	}
	return d, site
}

// TestGMeetsExpiredLogin: the login expires in the middle of G's load
// (Cloud: key pages and bulk fetches in parallel; Data Center: parallel
// pages). The sign-in prompt comes up once; after signing in the load goes
// on from where it was: every issue once, in Jira's order, the cursor on
// the last, and each position asked of Jira with success once.
func TestGMeetsExpiredLogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			const n = 3000
			d, site := gToExpiredLogin(t, flavor, n)
			if got := d.m.list.Loading(); !strings.HasPrefix(got, "loading ") || !strings.HasSuffix(got, " of 3,000 (esc stops)") {
				t.Errorf("progress while the sign-in is awaited: %q", got)
			}
			site.srv.SetToken("fresh-token")
			d.send(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: d.m.c.Me})
			if d.m.state != stateList || d.m.reauth {
				t.Fatalf("after the sign-in: state %v", d.m.state)
			}
			is := d.m.list.Issues()
			keys := site.srv.Keys()
			if len(is) != n {
				t.Fatalf("%d issues after the sign-in, want %d", len(is), n)
			}
			seen := map[string]bool{}
			for _, x := range is {
				if seen[x.Key] {
					t.Fatalf("%s listed twice", x.Key)
				}
				seen[x.Key] = true
			}
			if cur := d.m.list.Current(); cur == nil || cur.Key != keys[n-1] {
				t.Fatalf("cursor on %v, want the last issue %s", cur, keys[n-1])
			}
			if s := screen(d.m); !strings.Contains(s, "3000/3000") {
				t.Fatalf("the last issue is not shown:\n%s", s)
			}
			if got := d.m.list.Loading(); got != "" {
				t.Fatalf("still loading: %q", got)
			}
			// Each position past the 150 loaded before G (the first page
			// and one chunk ahead) was answered with success once: the
			// refused requests were sent again, nothing else.
			checkAnsweredOnce(t, site, flavor, n-150)
		})
	}
}

// checkAnsweredOnce checks that the requests answered 200 since the last
// ResetRequests asked for want positions, none twice.
func checkAnsweredOnce(t *testing.T, site fakeSite, flavor string, want int) {
	t.Helper()
	seen := map[string]int{}
	var ok []fakejira.Request
	for _, r := range site.srv.Requests() {
		if r.Status != http.StatusOK || r.Method != http.MethodPost {
			continue
		}
		ok = append(ok, r)
		seen[r.Body]++
	}
	for body, c := range seen {
		if c > 1 {
			t.Errorf("asked %d times with success: %.120s", c, body)
		}
	}
	if l := countLoads(t, ok, flavor); l.positions != want {
		t.Errorf("%+v: %d positions answered, want %d (each once)", l, l.positions, want)
	}
}

// TestGLoginCancelledKeepsWhatCame: cancelling the sign-in that G's load
// asked for ends the loading: what arrived stays listed, nothing is left
// loading, and the status bar says the user is signed out.
func TestGLoginCancelledKeepsWhatCame(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			const n = 3000
			d, _ := gToExpiredLogin(t, flavor, n)
			before := len(d.m.list.Issues())
			d.send(login.CancelMsg{})
			if d.m.state != stateList {
				t.Fatalf("after cancel: state %v", d.m.state)
			}
			if got := d.m.list.Loading(); got != "" {
				t.Fatalf("still loading after the sign-in was cancelled: %q", got)
			}
			if got := len(d.m.list.Issues()); got < before || got >= n {
				t.Fatalf("%d issues after cancel, %d before", got, before)
			}
			if _, _, ok := d.m.c.Issues.Loading("list"); ok {
				t.Fatal("the store still holds the load")
			}
			s := screen(d.m)
			t.Logf("%s", s)
			if !strings.Contains(s, "still signed out") {
				t.Fatalf("no clear status:\n%s", s)
			}
		})
	}
}

// TestEscAfterReloginStopsTheLoad: after the sign-in, G's load goes on
// with its progress in the status bar, and Esc still stops it, keeping
// what came; the next G loads the rest, no position asked twice with
// success (a chunk that came before the ones ahead of it is kept by the
// store for the next load, not asked again).
func TestEscAfterReloginStopsTheLoad(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			const n = 3000
			d, site := gToExpiredLogin(t, flavor, n)
			// Late enough that the requests sent after the sign-in are all
			// still out when esc comes.
			site.srv.SetFaults(fakejira.Faults{Latency: 2 * time.Second})
			site.srv.SetToken("fresh-token")
			nm, cmd := d.m.Update(login.DoneMsg{Client: newFakeClient(t, flavor, site.url, "fresh-token"), Me: d.m.c.Me})
			d.m = nm.(Model)
			d.spawn(cmd)
			had := len(d.m.list.Issues())
			if s := screen(d.m); !strings.Contains(s, "loading "+thousandsOf(had)+" of 3,000 (esc stops)") || d.m.c.Issues.Pending() == 0 {
				t.Fatalf("after the sign-in: nothing going on, or no progress (%d out):\n%s", d.m.c.Issues.Pending(), s)
			}
			d.send(press("esc"))
			if got := len(d.m.list.Issues()); got != had || d.m.list.Loading() != "" {
				t.Fatalf("after esc: %d issues (had %d), loading %q", got, had, d.m.list.Loading())
			}
			if _, _, ok := d.m.c.Issues.Loading("list"); ok {
				t.Fatal("the store still holds the load after esc")
			}
			site.srv.SetFaults(fakejira.Faults{})
			d.send(press("G"))
			if len(d.m.list.Issues()) != n || d.m.list.Current().Key != site.srv.Keys()[n-1] {
				t.Fatalf("second G: %d issues, cursor on %s", len(d.m.list.Issues()), d.m.list.Current().Key)
			}
			checkAnsweredOnce(t, site, flavor, n-150)
		})
	}
}

// thousandsOf writes n as the status bar does ("1,150").
func thousandsOf(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestGLeavesOutIssuesJiraDidNotGive (Cloud): after the key page, one
// issue is deleted and Jira cannot give another (issueErrors, twice: the
// one retry too). G lists the others in order, lands on the last, counts
// the result without the two, and the status bar says two were left out.
func TestGLeavesOutIssuesJiraDidNotGive(t *testing.T) {
	const n = 1000
	site := bigSite(t, fakejira.FlavorCloud, n)
	d := bigRoot(t, site, nil) // the key page (all 1,000) came with the loading ahead
	keys := site.srv.Keys()
	if err := site.srv.DeleteIssue(keys[500]); err != nil {
		t.Fatal(err)
	}
	site.srv.SetFaults(fakejira.Faults{BulkIssueErrors: []string{keys[300], keys[300]}})
	d.send(press("G"))
	is := d.m.list.Issues()
	if len(is) != n-2 {
		t.Fatalf("%d issues listed, want %d", len(is), n-2)
	}
	for _, x := range is {
		if x.Key == keys[300] || x.Key == keys[500] {
			t.Fatalf("%s listed", x.Key)
		}
	}
	if cur := d.m.list.Current(); cur == nil || cur.Key != keys[n-1] {
		t.Fatalf("cursor on %v, want %s", cur, keys[n-1])
	}
	s := screen(d.m)
	if !strings.Contains(s, "998/998") || !strings.Contains(s, "left out 2 issues Jira did not give (deleted, hidden from you, or unavailable); r reloads") {
		t.Fatalf("no count or notice of the issues left out:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	t.Logf("%s\n%s", lines[0], lines[len(lines)-1])
}

// TestGSaysTheResultShiftedOnDC: an issue deleted on Data Center between
// the pages loaded ahead and G's pages shifts G's pages by one: the list
// ends at Jira's new total and the status bar says the result changed
// while it loaded (an issue may be missing: r reloads).
func TestGSaysTheResultShiftedOnDC(t *testing.T) {
	const n = 3000
	site := bigSite(t, fakejira.FlavorDataCenter, n)
	d := bigRoot(t, site, nil)
	if err := site.srv.DeleteIssue(d.m.list.Issues()[10].Key); err != nil {
		t.Fatal(err)
	}
	d.send(press("G"))
	s := screen(d.m)
	if len(d.m.list.Issues()) != n-1 || !strings.Contains(s, "2999/2999") ||
		!strings.Contains(s, "the result changed by 1 issue while it loaded: as many may be missing here; r reloads") {
		t.Fatalf("%d listed:\n%s", len(d.m.list.Issues()), s)
	}
}
