package store

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// bigStoreSite is fakejira with n issues in one project (Data Center
// pages capped at searchMax, 0 the default) and a client with the default
// throttle.
func bigStoreSite(t *testing.T, flavor string, n, searchMax int) *site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 7, Projects: 1, Issues: n, SearchMax: searchMax})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &site{flavor: flavor, srv: srv, url: url, client: newClient(t, flavor, url, fakejira.Token), stop: stop}
}

// asked is what the load asked Jira: per position range (Data Center
// startAt pages, covering at most pageCap) or per key (Cloud bulk
// fetches), how many times it was answered 200 and 401.
type asked struct {
	ok, refused map[string]int
	keyPages    int
}

func askedOf(t *testing.T, reqs []fakejira.Request, flavor string, pageCap int) asked {
	t.Helper()
	a := asked{ok: map[string]int{}, refused: map[string]int{}}
	for _, r := range reqs {
		var items []string
		switch {
		case strings.HasSuffix(r.Path, "/issue/bulkfetch"):
			var b struct {
				Keys []string `json:"issueIdsOrKeys"`
			}
			if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
				t.Fatal(err)
			}
			items = b.Keys
		case strings.HasSuffix(r.Path, searchPath(flavor)):
			var b struct {
				Fields     []string `json:"fields"`
				StartAt    int      `json:"startAt"`
				MaxResults int      `json:"maxResults"`
			}
			if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
				t.Fatal(err)
			}
			if len(b.Fields) == 1 && b.Fields[0] == "key" {
				a.keyPages++
				continue
			}
			n := b.MaxResults
			if pageCap > 0 {
				n = min(n, pageCap) // what the site answers
			}
			for p := b.StartAt; p < b.StartAt+n; p++ {
				items = append(items, fmt.Sprint(p))
			}
		}
		for _, it := range items {
			switch r.Status {
			case http.StatusOK:
				a.ok[it]++
			case http.StatusUnauthorized:
				a.refused[it]++
			}
		}
	}
	return a
}

// checkInOrder checks the QueryMsgs of a load: each chunk where the one
// before ended, no issue twice, the last one saying so; it returns the
// keys they gave.
func checkInOrder(t *testing.T, qs []QueryMsg, from int) []string {
	t.Helper()
	pos := from
	seen := map[string]bool{}
	var keys []string
	for i, q := range qs {
		if q.Err != nil {
			t.Fatalf("answer %d failed: %v", i, q.Err)
		}
		if q.Cursor.StartAt != pos {
			t.Fatalf("answer %d at %d, want %d (in order)", i, q.Cursor.StartAt, pos)
		}
		for _, is := range q.Page.Issues {
			if seen[is.Key] {
				t.Fatalf("%s answered twice", is.Key)
			}
			seen[is.Key] = true
			keys = append(keys, is.Key)
		}
		pos = q.Page.Next.StartAt
	}
	return keys
}

// TestLoadMeetsExpiredLogin: the login expires in the middle of a big load
// (Cloud: key pages and bulk fetches in parallel; Data Center: parallel
// startAt pages). The store asks for a sign-in once and answers nothing
// failed; the load stops sending (only the requests already out meet the
// expired token); after the sign-in it goes on from where it was: every
// position answered once, in order, no issue twice, each asked of Jira
// with success once.
func TestLoadMeetsExpiredLogin(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			const n = 6000
			// Data Center: a site capping pages at 100, so that the load
			// is more pages (60) than may be out at once.
			st := bigStoreSite(t, flavor, n, 100)
			h := newHarness(t, New(Options{Client: st.client}))
			h.do(h.s.Load("list", 1, allJQL, 50))
			h.take()
			st.srv.ResetRequests()
			// Cloud: a key page and 9 bulk fetches; Data Center: 2 pages
			// (of 100, the first ones asked for 1,000).
			expireAfter := 10
			if flavor == fakejira.FlavorDataCenter {
				expireAfter = 2
			}
			st.srv.ExpireTokenAfter(expireAfter)
			h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad))
			out := h.take()
			logins := 0
			for _, m := range out {
				switch m := m.(type) {
				case LoginNeededMsg:
					logins++
				case QueryMsg:
					if m.Err != nil {
						t.Fatalf("a failure was answered before the sign-in: %v", m.Err)
					}
				}
			}
			if logins != 1 {
				t.Fatalf("%d LoginNeededMsg, want 1", logins)
			}
			before := queryMsgs(out)
			if _, _, ok := h.s.Loading("list"); !ok {
				t.Fatal("the load was dropped while the sign-in is awaited")
			}
			a := askedOf(t, st.srv.Requests(), flavor, 100)
			refused := 0
			for _, c := range a.refused {
				refused = max(refused, c)
			}
			reqs401 := 0
			for _, r := range st.srv.Requests() {
				if r.Status == http.StatusUnauthorized {
					reqs401++
				}
			}
			// Only what was out when the token expired meets it: at most
			// the load's window (and, on Cloud, the key page).
			bound := loadWindow
			if flavor == fakejira.FlavorCloud {
				bound++ // the key page, asked beside the chunks
			}
			if reqs401 > bound {
				t.Errorf("%d requests met the expired token, want at most %d: the load went on sending", reqs401, bound)
			}
			t.Logf("%s: %d answers before the sign-in, %d requests refused", flavor, len(before), reqs401)

			st.srv.SetToken("fresh-token")
			h.s.SetClient(newClient(t, flavor, st.url, "fresh-token"))
			h.do(h.s.Replay())
			qs := append(before, queryMsgs(h.take())...)
			keys := checkInOrder(t, qs, 50)
			if len(keys) != n-50 || !qs[len(qs)-1].Page.Last {
				t.Fatalf("%d issues answered past the first page, want %d, last %v", len(keys), n-50, qs[len(qs)-1].Page.Last)
			}
			all, _, _, _, _ := h.s.Result(allJQL)
			if len(all) != n {
				t.Fatalf("result of %d, want %d", len(all), n)
			}
			a = askedOf(t, st.srv.Requests(), flavor, 100)
			for it, c := range a.ok {
				if c != 1 {
					t.Errorf("%s answered %d times", it, c)
				}
			}
			if len(a.ok) != n-50 {
				t.Errorf("%d positions answered, want %d", len(a.ok), n-50)
			}
			var twice []string
			for it, c := range a.refused {
				if c > 1 {
					twice = append(twice, it)
				}
			}
			sort.Strings(twice)
			if len(twice) > 0 {
				t.Errorf("asked twice with the expired token: %v", twice)
			}
			wantKeyPages := 0
			if flavor == fakejira.FlavorCloud {
				wantKeyPages = 2 // 5,000 + 1,000; the one refused, if any, again
			}
			if a.keyPages < wantKeyPages || a.keyPages > wantKeyPages+1 {
				t.Errorf("%d key pages, want %d (+1 if one met the expired token)", a.keyPages, wantKeyPages)
			}
			if _, _, ok := h.s.Loading("list"); ok {
				t.Error("the load is still there after all came")
			}
		})
	}
}

// TestCancelledLoadKeepsChunksThatCame: a load cancelled (Esc, a sign-in
// given up) while its first chunk is still out has later chunks in that
// could not be answered yet (they wait for the one before them). The next
// load of the query takes them instead of asking Jira again.
func TestCancelledLoadKeepsChunksThatCame(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			const n = 3000
			st := bigStoreSite(t, flavor, n, 0)
			h := newHarness(t, New(Options{Client: st.client}))
			h.do(h.s.Load("list", 1, allJQL, 50))
			h.take()
			// The first chunk's answer is kept back: the others come.
			h.hold = func(m tea.Msg) bool {
				d, ok := m.(doneMsg)
				c, isChunk := d.msg.(chunkDoneMsg)
				return ok && isChunk && c.start == 50
			}
			h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad))
			if len(h.held) != 1 || len(queryMsgs(h.take())) != 0 {
				t.Fatalf("held %d, or something answered before the first chunk", len(h.held))
			}
			h.s.Cancel("list")
			h.release() // the first chunk's answer, after the cancel: dropped
			if len(queryMsgs(h.take())) != 0 {
				t.Fatal("a cancelled load answered")
			}
			st.srv.ResetRequests()
			h.do(h.s.LoadTo("list", 2, allJQL, MaxLoad))
			keys := checkInOrder(t, queryMsgs(h.take()), 50)
			if len(keys) != n-50 {
				t.Fatalf("%d answered, want %d", len(keys), n-50)
			}
			// Only the first chunk is asked again.
			a := askedOf(t, st.srv.Requests(), flavor, 0)
			want := 100 // Cloud: one bulk fetch
			if flavor == fakejira.FlavorDataCenter {
				want = 1000 // one page
			}
			if len(a.ok) != want {
				t.Fatalf("%d positions asked again, want %d (the first chunk only)", len(a.ok), want)
			}
		})
	}
}

// TestAbandonedLoginEndsTheLoad: the sign-in a load waits for is given
// up: the load ends with one failure (the expired login), what was
// answered stays the result, nothing is left out or loading, and a later
// load goes on from there.
func TestAbandonedLoginEndsTheLoad(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			const n = 3000
			st := bigStoreSite(t, flavor, n, 0)
			h := newHarness(t, New(Options{Client: st.client}))
			h.do(h.s.Load("list", 1, allJQL, 50))
			h.take()
			st.srv.ExpireTokenAfter(2)
			h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad))
			answered := checkInOrder(t, queryMsgs(h.take()), 50)
			out := h.s.Abandon()
			qs := queryMsgs(out)
			if len(qs) != 1 || !jiraclient.IsAuth(qs[0].Err) || len(out) != 1 {
				t.Fatalf("abandon answered %+v, want one failed QueryMsg", out)
			}
			if _, _, ok := h.s.Loading("list"); ok || h.s.Pending() != 0 {
				t.Fatalf("still loading (pending %d)", h.s.Pending())
			}
			keys, _, _, _, _ := h.s.Result(allJQL)
			if len(keys) != 50+len(answered) {
				t.Fatalf("result %d, want the %d answered", len(keys), 50+len(answered))
			}
			st.srv.SetToken("fresh-token")
			h.s.SetClient(newClient(t, flavor, st.url, "fresh-token"))
			h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad))
			rest := checkInOrder(t, queryMsgs(h.take()), 50+len(answered))
			if len(answered)+len(rest) != n-50 {
				t.Fatalf("%d + %d answered, want %d", len(answered), len(rest), n-50)
			}
		})
	}
}
