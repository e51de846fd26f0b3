package store

import (
	"context"
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
			const n = 3000
			// Data Center: a site capping pages at 100, so that the load
			// is more pages (30) than may be out at once.
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
				wantKeyPages = 1 // 3,000 keys; if refused, asked again
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

// bulkBodies are the keys of each bulk fetch answered 200, in order.
func bulkBodies(t *testing.T, reqs []fakejira.Request) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range reqs {
		if !strings.HasSuffix(r.Path, "/issue/bulkfetch") || r.Status != http.StatusOK {
			continue
		}
		var b struct {
			Keys []string `json:"issueIdsOrKeys"`
		}
		if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.Keys)
	}
	return out
}

// TestBulkFetchIssueErrorsAndGoneIssues (Cloud): between the key page and
// the bulk fetches, one issue is deleted and one hidden from the user, and
// Jira reports three in issueErrors (one of them twice). A chunk with
// per-issue errors is asked once more, for the issues it did not give
// only; what is still not given, and what left the result, is left out:
// named in QueryMsg.Gone, the positions still in order, the total counting
// them out; no other issue is asked twice.
func TestBulkFetchIssueErrorsAndGoneIssues(t *testing.T) {
	const n = 1000
	st := bigStoreSite(t, fakejira.FlavorCloud, n, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	h.do(h.s.Load("list", 1, allJQL, 50))
	h.do(h.s.LoadTo("list", 1, allJQL, 150)) // the key page (all 1,000) and one chunk
	h.take()
	keys := h.s.loads["list"].keys
	if len(keys) != n {
		t.Fatalf("%d keys", len(keys))
	}
	deleted, hidden := keys[500], keys[600]
	if err := st.srv.DeleteIssue(deleted); err != nil {
		t.Fatal(err)
	}
	if err := st.srv.HideIssue(hidden); err != nil {
		t.Fatal(err)
	}
	// keys[200] and [201] fail once (the retry gives them), keys[300]
	// twice (left out).
	st.srv.SetFaults(fakejira.Faults{BulkIssueErrors: []string{keys[200], keys[201], keys[300], keys[300]}})
	st.srv.ResetRequests()
	h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad))
	qs := queryMsgs(h.take())
	got := checkInOrder(t, qs, 150)
	gone := map[string]bool{}
	for _, q := range qs {
		for _, k := range q.Gone {
			gone[k] = true
		}
	}
	if len(gone) != 3 || !gone[deleted] || !gone[hidden] || !gone[keys[300]] {
		t.Errorf("gone %v, want %s, %s, %s", gone, deleted, hidden, keys[300])
	}
	var want []string
	for _, k := range keys[150:] {
		if !gone[k] {
			want = append(want, k)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("answered %d issues, want the %d others in order", len(got), len(want))
	}
	last := qs[len(qs)-1]
	if !last.Page.Last || last.Page.Next.StartAt != n || last.Page.Total != n-3 {
		t.Errorf("last answer: last %v next %d total %d, want last at %d with %d issues", last.Page.Last, last.Page.Next.StartAt, last.Page.Total, n, n-3)
	}
	if res, _, _, _, _ := h.s.Result(allJQL); len(res) != n-3 {
		t.Errorf("result of %d, want %d", len(res), n-3)
	}
	// 9 chunks and 2 retries; the retries ask only what was not given.
	bodies := bulkBodies(t, st.srv.Requests())
	asked := map[string]int{}
	var retries [][]string
	for _, b := range bodies {
		if len(b) < 50 { // the chunks are 100 keys, the last 50
			retries = append(retries, b)
		}
		for _, k := range b {
			asked[k]++
		}
	}
	if len(bodies) != 11 || len(retries) != 2 {
		t.Fatalf("%d bulk fetches (%d short), want 9 chunks and 2 retries: %v", len(bodies), len(retries), retries)
	}
	sort.Slice(retries, func(a, b int) bool { return retries[a][0] < retries[b][0] })
	if fmt.Sprint(retries) != fmt.Sprint([][]string{{keys[200], keys[201]}, {keys[300]}}) {
		t.Errorf("retries asked %v, want only what was not given", retries)
	}
	for k, c := range asked {
		if c > 1 && k != keys[200] && k != keys[201] && k != keys[300] {
			t.Errorf("%s asked %d times", k, c)
		}
	}
}

// TestDCIssueDeletedBetweenPages: on Data Center an issue deleted after
// the first pages shifts the pages asked after it: the issue that was
// first on the next page moves onto the page already answered, so it is
// never listed (and the deleted one stays listed). The store cannot tell
// which; it says that the result changed while it loaded
// (QueryMsg.Shifted), once, and ends the result where Jira now ends it.
func TestDCIssueDeletedBetweenPages(t *testing.T) {
	const n = 3000
	st := bigStoreSite(t, fakejira.FlavorDataCenter, n, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	order := resultKeys(t, st, allJQL)
	if len(order) != n {
		t.Fatalf("%d keys", len(order))
	}
	h.do(h.s.Load("list", 1, allJQL, 50))
	h.do(h.s.LoadTo("list", 1, allJQL, 1050)) // one page: [50, 1050)
	h.take()
	if err := st.srv.DeleteIssue(order[10]); err != nil {
		t.Fatal(err)
	}
	h.do(h.s.LoadTo("list", 1, allJQL, MaxLoad)) // [1050, 2050) and [2050, 3000)
	qs := queryMsgs(h.take())
	checkInOrder(t, qs, 1050)
	res, _, _, _, _ := h.s.Result(allJQL)
	var want []string
	want = append(want, order[:1050]...) // the deleted one still listed
	want = append(want, order[1051:]...) // order[1050] skipped: now at 1049
	checkShiftedResult(t, res, want)
	shifted := saidShifted(t, qs, 1)
	last := qs[len(qs)-1]
	if shifted != 1 || !last.Page.Last || last.Page.Total != n-1 || last.Page.Next.StartAt != n-1 {
		t.Fatalf("said %d times; last %v total %d next %d", shifted, last.Page.Last, last.Page.Total, last.Page.Next.StartAt)
	}
}

// TestDCIssueMovedBetweenPages: an issue that moves up a Data Center result
// while its pages load (updated, in a result by updated) leaves the total
// as it was, but the pages after the move are shifted against those before:
// one issue shows twice at their edge (shown once) and the moved one is in
// none. The load says the result changed, as when an issue left it.
func TestDCIssueMovedBetweenPages(t *testing.T) {
	const n = 3000
	const jql = "created >= -5000d ORDER BY updated DESC"
	st := bigStoreSite(t, fakejira.FlavorDataCenter, n, 0)
	h := newHarness(t, New(Options{Client: st.client}))
	order := resultKeys(t, st, jql)
	h.do(h.s.Load("list", 1, jql, 50))
	h.do(h.s.LoadTo("list", 1, jql, 1050)) // one page: [50, 1050)
	h.take()
	moved := order[2000]
	if _, err := st.client.AddComment(context.Background(), moved, "bumped to the top"); err != nil {
		t.Fatal(err)
	}
	h.do(h.s.LoadTo("list", 1, jql, MaxLoad)) // [1050, 2050) and [2050, 3000)
	qs := queryMsgs(h.take())
	checkInOrder(t, qs, 1050)
	res, _, _, _, _ := h.s.Result(jql)
	var want []string
	want = append(want, order[:2000]...) // order[1049] once, though the next page repeats it
	want = append(want, order[2001:]...) // the moved issue is in no page
	checkShiftedResult(t, res, want)
	said := saidShifted(t, qs, 1)
	last := qs[len(qs)-1]
	if said != 1 || !last.Page.Last || last.Page.Total != n {
		t.Fatalf("said %d times; last %v total %d", said, last.Page.Last, last.Page.Total)
	}
}

// resultKeys is jql's result as Jira has it now, key by key.
func resultKeys(t *testing.T, st *site, jql string) []string {
	t.Helper()
	var order []string
	for cur := (jiraclient.Cursor{}); ; {
		p, err := st.client.SearchKeys(context.Background(), jql, cur, 0)
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, p.Keys...)
		if p.Last {
			return order
		}
		cur = p.Next
	}
}

// checkShiftedResult fails unless the loaded result is want.
func checkShiftedResult(t *testing.T, res, want []string) {
	t.Helper()
	if strings.Join(res, ",") != strings.Join(want, ",") {
		t.Fatalf("result of %d, want the %d of the shifted pages", len(res), len(want))
	}
}

// saidShifted is how many of qs said the result shifted, each by n.
func saidShifted(t *testing.T, qs []QueryMsg, n int) int {
	t.Helper()
	said := 0
	for _, q := range qs {
		if q.Shifted > 0 {
			said++
			if q.Shifted != n {
				t.Errorf("shifted by %d, want %d", q.Shifted, n)
			}
		}
	}
	return said
}
