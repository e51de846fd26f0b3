package soak

// Design note: end-to-end benchmarks.
//
// These measure what a user waits for, through the real root model in a
// real Bubble Tea program (headless: no input, a fixed 120x40 window),
// against fakejira on loopback. Two instants are taken for every frame:
//
//   - "frame": when the root's View returned the screen in question. Bubble
//     Tea calls View after every Update, so this is the model's own latency.
//   - "wire": when the renderer next wrote to the output after that frame.
//     The renderer flushes on a 60 fps ticker, so this adds up to 16.7 ms of
//     frame pacing that no model change can remove.
//
// ns/op is the wire figure (what the user waits for); the frame figure
// (ms-frame/op) and request counts are extra metrics. The view-only
// figures (View alone, no program) are the BenchmarkRootView*,
// BenchmarkListView* and detail BenchmarkView ones; the key-to-frame
// figures here add the program's message hop and Update. The figures and
// the machine they were taken on are in docs/performance.md.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// wire is the program's output: it discards the bytes and keeps when each
// write happened, so a frame can be followed to the terminal.
type wire struct {
	mu     sync.Mutex
	writes []time.Time
}

func (w *wire) Write(p []byte) (int, error) {
	now := time.Now()
	w.mu.Lock()
	w.writes = append(w.writes, now)
	w.mu.Unlock()
	return len(p), nil
}

// firstAfter is the first write at or after t, waiting up to d for it.
func (w *wire) firstAfter(t time.Time, d time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(d)
	for {
		w.mu.Lock()
		i := sort.Search(len(w.writes), func(i int) bool { return !w.writes[i].Before(t) })
		var at time.Time
		if i < len(w.writes) {
			at = w.writes[i]
		}
		w.mu.Unlock()
		if !at.IsZero() {
			return at, true
		}
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// waitWritten waits until the renderer has written the screen drawn now:
// a write to out at or after the frame that first showed it.
func (pr *program) waitWritten(out *wire, what string) {
	pr.t.Helper()
	pr.f.mu.Lock()
	at := pr.f.changedAt
	pr.f.mu.Unlock()
	if _, ok := out.firstAfter(at, 5*time.Second); !ok {
		pr.t.Fatalf("%s was drawn but never written", what)
	}
}

// reset forgets the writes so far (long benchmarks would keep them all).
func (w *wire) reset() {
	w.mu.Lock()
	w.writes = w.writes[:0]
	w.mu.Unlock()
}

// tap sits between the probe and the root model. It notes the query
// generation of the list's pages (so a test can hand the list a page of its
// own) and reports the frame drawn after each key.
type tap struct {
	m  tea.Model
	st *tapState
}

type tapState struct {
	gen    atomic.Int64 // generation of the last list page without error
	keyed  atomic.Bool  // a key went through Update; the next View answers it
	framed chan time.Time
}

func newTap(m tea.Model) tap {
	return tap{m: m, st: &tapState{framed: make(chan time.Time, 1)}}
}

func (t tap) Init() tea.Cmd { return t.m.Init() }

func (t tap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case list.PageMsg:
		if msg.Err == nil {
			t.st.gen.Store(int64(msg.Gen))
		}
	case tea.KeyPressMsg:
		t.st.keyed.Store(true)
	}
	m, cmd := t.m.Update(msg)
	return tap{m: m, st: t.st}, cmd
}

func (t tap) View() tea.View {
	v := t.m.View()
	if t.st.keyed.Swap(false) {
		select {
		case t.st.framed <- time.Now():
		default:
		}
	}
	return v
}

// keyFrame sends k and returns when the frame after it was drawn and when
// that frame reached the output.
func (pr *program) keyFrame(st *tapState, out *wire, k string) (frame, onWire time.Duration) {
	pr.t.Helper()
	select { // a frame left over from an earlier key
	case <-st.framed:
	default:
	}
	start := time.Now()
	pr.key(k)
	var at time.Time
	select {
	case at = <-st.framed:
	case <-pr.done:
		pr.t.Fatalf("the program ended after %q: %v", k, pr.err)
	case <-time.After(10 * time.Second):
		pr.t.Fatalf("no frame within 10 s of %q", k)
	}
	w, ok := out.firstAfter(at, time.Second)
	if !ok {
		select {
		case <-pr.done:
			pr.t.Fatalf("the program ended after the frame after %q: %v", k, pr.err)
		default:
		}
		pr.t.Fatalf("the frame after %q never reached the output; the screen is:\n%s", k, pr.f.screen())
	}
	return at.Sub(start), w.Sub(start)
}

// showsKey matches an issue key as a whole word on a screen (ABC-1 must not
// match ABC-10).
func showsKey(key string) func(string) bool {
	re := regexp.MustCompile(`(^|[^\w-])` + regexp.QuoteMeta(key) + `($|[^\w-])`)
	return func(s string) bool { return re.MatchString(s) }
}

// coldClient is a client for s with its own connection pool, as in a fresh
// process: the launch pays for its TCP connections. close drops them.
func coldClient(t testing.TB, s site, opts ...jiraclient.Option) (c *jiraclient.Client, close func()) {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c = s.client(t, append([]jiraclient.Option{jiraclient.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	return c, tr.CloseIdleConnections
}

// launch is one launch: tui.New with a ready client, through the first
// frame that shows issue rows.
type launch struct {
	frame, wire time.Duration
	reqs        []fakejira.Request // what the server saw up to the first rows frame
	pr          *program
	closeConns  func()
	store       *store.Store // the program's, for its outstanding work
}

// launchOnce starts the root on s and waits for the frame showing first.
// The caller stops l.pr and calls l.closeConns.
func launchOnce(t testing.TB, s site, first string, timer func(on bool)) launch {
	t.Helper()
	c, closeConns := coldClient(t, s)
	s.srv.ResetRequests()
	out := &wire{}
	shows := showsKey(first)
	shown := make(chan time.Time, 1)
	watch := func(screen string) {
		if shows(screen) {
			select {
			case shown <- time.Now():
			default:
			}
		}
	}
	timer(true)
	start := time.Now()
	m := tui.New(s.options(c, nil))
	pr := run(t, m, out, watch)
	var at time.Time
	select {
	case at = <-shown:
	case <-pr.done:
		t.Fatalf("the program ended before the list showed %s: %v", first, pr.err)
	case <-time.After(15 * time.Second):
		t.Fatalf("no issue rows within 15 s of launch; the screen is:\n%s", pr.f.screen())
	}
	w, ok := out.firstAfter(at, time.Second)
	timer(false)
	if !ok {
		t.Fatal("the first list frame never reached the output")
	}
	var reqs []fakejira.Request
	for _, r := range s.srv.Requests() {
		if !r.Time.After(at) {
			reqs = append(reqs, r)
		}
	}
	return launch{frame: at.Sub(start), wire: w.Sub(start), reqs: reqs, pr: pr, closeConns: closeConns, store: m.Store()}
}

// BenchmarkLaunch is launch to first list: tui.New with a ready client
// (warm flavour, cold connections) in a real program, through the first
// frame that shows issue rows; on loopback and with 100 ms added to every
// answer, on both flavours. ns/op is to the output; ms-frame to View's
// return; reqs the requests the server saw by the frame.
func BenchmarkLaunch(b *testing.B) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		for _, lat := range []time.Duration{0, 100 * time.Millisecond} {
			name := fl + "/loopback"
			if lat > 0 {
				name = fmt.Sprintf("%s/latency-%dms", fl, lat.Milliseconds())
			}
			b.Run(name, func(b *testing.B) {
				s := startSite(b, fl, fakejira.Options{Seed: 1})
				first := firstKeys(b, s, 1)[0]
				s.srv.SetFaults(fakejira.Faults{Latency: lat})
				var frameSum time.Duration
				var reqs int
				timer := func(on bool) {
					if on {
						b.StartTimer()
					} else {
						b.StopTimer()
					}
				}
				b.StopTimer()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					l := launchOnce(b, s, first, timer)
					frameSum += l.frame
					reqs += len(l.reqs)
					l.pr.stop()
					l.closeConns()
				}
				b.ReportMetric(float64(frameSum.Microseconds())/1e3/float64(b.N), "ms-frame/op")
				b.ReportMetric(float64(reqs)/float64(b.N), "reqs/op")
			})
		}
	}
}

// TestLaunchRequests guards what a launch costs in requests: one search,
// Cloud's approximate count beside it, the favourite filters, and at most
// the prefetch of the highlighted issue once the cursor rests; no flavour
// detection and no myself (the client and Me are given); then one chunk
// loaded ahead of the cursor (Cloud: a keys page and a bulk fetch; Data
// Center: one more search page). Both flavours.
func TestLaunchRequests(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl, fakejira.Options{Seed: 1})
			first := firstKeys(t, s, 1)[0]
			l := launchOnce(t, s, first, func(bool) {})
			defer l.closeConns()
			defer l.pr.stop()
			// Let the launch settle: the rows are drawn, so the prefetch
			// (scheduled with them) counts in the store's outstanding
			// work until its answer is in, as the count and filters do.
			waitIdle(t, l.store, 5*time.Second*raceSlowdown)
			settled := s.srv.Requests()
			got := countByEndpoint(settled)
			// The client may search by GET or POST.
			search := "/rest/api/3/search/jql"
			if fl == fakejira.FlavorDataCenter {
				search = "/rest/api/2/search"
			}
			if n := got["GET "+search] + got["POST "+search]; n != 2 {
				t.Errorf("%d searches, want 2 (the first page, the keys or the page ahead): %v", n, got)
			}
			ahead := 1
			if fl == fakejira.FlavorCloud {
				ahead = 2
				if n := got["POST /rest/api/3/issue/bulkfetch"]; n != 1 {
					t.Errorf("%d bulk fetches, want 1 (the chunk ahead): %v", n, got)
				}
			}
			if n := got["POST /rest/api/3/search/approximate-count"]; (fl == fakejira.FlavorCloud) != (n == 1) || n > 1 {
				t.Errorf("%d approximate counts on %s: %v", n, fl, got)
			}
			for ep := range got {
				if strings.Contains(ep, "serverInfo") || strings.Contains(ep, "myself") {
					t.Errorf("launch asked %s although the flavour and user were given: %v", ep, got)
				}
			}
			// The prefetched detail names every field it shows: the
			// field list is asked once per profile (then cached).
			fields := got["GET /rest/api/3/field"] + got["GET /rest/api/2/field"]
			if fields > 1 {
				t.Errorf("the field list was asked %d times: %v", fields, got)
			}
			if len(settled)-fields-ahead > 4 {
				t.Errorf("launch sent %d requests: %v", len(settled), got)
			}
			if len(l.reqs) == 0 || len(l.reqs) > len(settled) {
				t.Errorf("%d requests by the first frame, %d settled", len(l.reqs), len(settled))
			}
			t.Logf("%s: first rows after %v (wire %v); by then %d requests, settled %d: %v",
				fl, l.frame, l.wire, len(l.reqs), len(settled), got)
		})
	}
}

// waitIdle waits for the store's outstanding work to reach zero. Call it
// once the work to wait for has been started (counted when its command was
// made, on the UI loop).
func waitIdle(t testing.TB, st *store.Store, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for st.Pending() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the store still has %d outstanding after %v", st.Pending(), limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countByEndpoint counts requests per method and path, ids collapsed.
func countByEndpoint(reqs []fakejira.Request) map[string]int {
	out := map[string]int{}
	for _, r := range reqs {
		out[endpointOf(r.Method, r.Path)]++
	}
	return out
}

// fetchAll is every issue of the site's query as the list asks for them
// (ListFields), 100 per request, decoded by a client of its own.
func fetchAll(t testing.TB, s site) []jiraclient.Issue {
	t.Helper()
	c, closeConns := coldClient(t, s, jiraclient.WithLimits(jiraclient.Limits{ReadRPS: math.Inf(1), MaxInFlight: 8}))
	defer closeConns()
	var all []jiraclient.Issue
	p := c.Pages(jiraclient.SearchQuery{JQL: s.jql(), Fields: jiraclient.ListFields, PageSize: 100})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for p.More() {
		page, err := p.Next(ctx)
		if err != nil {
			t.Fatalf("fetching the site's issues: %v", err)
		}
		all = append(all, page.Issues...)
	}
	s.srv.ResetRequests()
	return all
}

// loaded10k is a running root with the site's 10,000 issues in its list:
// launched normally (first page from the server), then handed every issue
// as one answer of the list's own query generation, then moved to the last
// row so the whole list was walked once.
type loaded10k struct {
	pr  *program
	tap tap
	out *wire
}

// shared10k is a one-project Cloud site with 10,000 issues and those issues
// as the list asks for them, made once per process: a benchmark function
// runs several times while the framework sizes b.N, and generating and
// fetching 10,000 issues each time would take most of make bench. The
// server is never stopped; it ends with the benchmark binary.
var shared10k struct {
	sync.Mutex
	s   *site
	all []jiraclient.Issue
}

// tenK is the shared 10,000-issue site and its issues.
func tenK(t testing.TB) (site, []jiraclient.Issue) {
	t.Helper()
	shared10k.Lock()
	defer shared10k.Unlock()
	if shared10k.s == nil {
		srv, u, _, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 7, Projects: 1, Issues: 10_000})
		if err != nil {
			t.Fatal(err)
		}
		s := site{srv: srv, url: u, flavor: jiraclient.FlavorCloud}
		all := fetchAll(t, s)
		if len(all) != 10_000 {
			t.Fatalf("the site's query gave %d issues, want 10000", len(all))
		}
		shared10k.s, shared10k.all = &s, all
	}
	return *shared10k.s, shared10k.all
}

func load10k(t testing.TB, s site, all []jiraclient.Issue) loaded10k {
	t.Helper()
	first, last := all[0].Key, all[len(all)-1].Key
	c, closeConns := coldClient(t, s)
	t.Cleanup(closeConns)
	out := &wire{}
	tp := newTap(tui.New(s.options(c, nil)))
	pr := run(t, tp, out, nil)
	pr.waitFor("the first page", 15*time.Second*raceSlowdown, showsKey(first))
	n := len(all)
	// The first page now comes from the store inside the root's Update, so
	// the tap never sees its generation: offer the page to the first few
	// (a fresh root's first query is generation 1); the list drops the
	// others at once, and the wait below fails loudly if none took it.
	gens := []int{int(tp.st.gen.Load())}
	if gens[0] == 0 {
		gens = []int{1, 2, 3, 4}
	}
	for _, gen := range gens {
		pr.p.Send(list.PageMsg{Gen: gen, JQL: s.jql(), Page: jiraclient.SearchPage{Issues: all, Last: true, Total: n}})
	}
	pr.key("G")
	pr.waitFor("the last of 10,000 rows", 15*time.Second*raceSlowdown, showsKey(last))
	return loaded10k{pr: pr, tap: tp, out: out}
}

// BenchmarkKeyToFrame10k is j (and k, alternately) pressed in the list with
// 10,000 issues loaded, to the frame drawn after it reaching the output.
// ms-frame is to View's return: the program's message hop, the root's and
// the list's Update, and View; ns/op adds the renderer's frame pacing.
func BenchmarkKeyToFrame10k(b *testing.B) {
	s, all := tenK(b)
	l := load10k(b, s, all)
	defer l.pr.stop()
	benchKeys(b, l, []string{"k", "j"})
}

// BenchmarkFilterKeyToFrame is a key typed into the list's filter, to the
// frame after it, with 1k, 10k and 100k issues loaded (10k: the site's;
// 1k: the first of them; 100k: ten copies under other keys):
//   - e: one character typed and deleted, alternately (a query that
//     matches most issues, then none);
//   - word: "leak" typed a letter at a time, then erased (a query that
//     narrows to a few issues).
//
// The search runs in bounded steps after the key's own Update; the next
// key may wait for the step under way, which the figure includes.
func BenchmarkFilterKeyToFrame(b *testing.B) {
	s, all := tenK(b)
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			l := load10k(b, s, issuesN(all, n))
			defer l.pr.stop()
			for _, pat := range []struct {
				name string
				keys []string
			}{
				{"e", []string{"e", "backspace"}},
				{"word", []string{"l", "e", "a", "k", "backspace", "backspace", "backspace", "backspace"}},
			} {
				b.Run(pat.name, func(b *testing.B) {
					// Each screen is on the wire before the next key: the
					// renderer writes only what differs from the last frame
					// it wrote, and if that were still the last run's final
					// frame, a first key whose search ends on the same
					// screen would write nothing at all.
					l.pr.key("esc")
					l.pr.waitFor("the filter closed", 5*time.Second, func(sc string) bool { return !strings.Contains(sc, "filter every issue") })
					l.pr.waitWritten(l.out, "the filter closed")
					l.pr.key("/")
					l.pr.waitFor("the filter input", 5*time.Second, func(sc string) bool { return strings.Contains(sc, "filter every issue") })
					l.pr.waitWritten(l.out, "the filter input")
					benchKeys(b, l, pat.keys)
				})
			}
		})
	}
}

// issuesN is n issues made of all's: its first n, or copies of all under
// new keys (PRJ-12 becomes PRJ-1000012, PRJ-2000012, ...) past its length.
func issuesN(all []jiraclient.Issue, n int) []jiraclient.Issue {
	if n <= len(all) {
		return all[:n]
	}
	out := make([]jiraclient.Issue, 0, n)
	for c := 0; len(out) < n; c++ {
		for _, is := range all {
			if len(out) == n {
				break
			}
			if c > 0 {
				p, num, _ := strings.Cut(is.Key, "-")
				k, _ := strconv.Atoi(num)
				is.Key = fmt.Sprintf("%s-%d", p, c*1_000_000+k)
				is.ID = fmt.Sprintf("%d%07s", c, is.ID)
			}
			out = append(out, is)
		}
	}
	return out
}

func benchKeys(b *testing.B, l loaded10k, ks []string) {
	// Keys come at any moment of the renderer's 60 fps tick, not right
	// after a flush as they would in a tight loop: wait a seeded random
	// part of a tick (untimed) before each. And they come as a fast typist
	// types them, three ticks apart and more: the filter's search goes on
	// in Updates of its own after the key's frame, and a key typed before
	// the renderer wrote the last of them could bring back the screen it
	// wrote before (typing k, then backspace), which it would rightly not
	// write again.
	r := rand.New(rand.NewPCG(1, 2))
	tick := time.Second / 60
	var frameSum time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		l.out.reset()
		time.Sleep(3*tick + time.Duration(r.Int64N(int64(tick))))
		b.StartTimer()
		f, _ := l.pr.keyFrame(l.tap.st, l.out, ks[i%len(ks)])
		frameSum += f
	}
	b.StopTimer()
	b.ReportMetric(float64(frameSum.Microseconds())/1e3/float64(b.N), "ms-frame/op")
}

// BenchmarkMemory10k is the heap the whole root holds with 10,000 issues
// loaded: in use after a GC with the program running, less the same before
// the client decoded them (fakejira's own data is in both, and so is the
// shared copy the key benchmarks use; this root holds its own). ns/op is
// fetching and decoding the 10,000 issues (100 per request, unthrottled)
// and loading them into the running root.
func BenchmarkMemory10k(b *testing.B) {
	s, _ := tenK(b)
	var heap float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		l := load10k(b, s, fetchAll(b, s))
		b.StopTimer()
		s.srv.ResetRequests()
		heap += float64(int64(heapInUse())-int64(before)) / (1 << 20)
		l.pr.stop()
		b.StartTimer()
	}
	b.ReportMetric(heap/float64(b.N), "MiB-heap")
}

// heapInUse is HeapInuse after two GCs (the second collects what the
// first's finalizers freed).
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkRootView is the root's View alone (no program, no Update) with
// 1k, 10k and 100k issues in the list at 200x60, the same shape as the tui
// package's BenchmarkRootView10k, through the public API: it must not grow
// with the issues loaded.
func BenchmarkRootView(b *testing.B) {
	s := startSite(b, fakejira.FlavorDataCenter, fakejira.Options{Seed: 1, Issues: 60})
	c := s.client(b)
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			m, gen := rootWithFirstPage(b, s, c)
			nm, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
			nm, _ = nm.Update(list.PageMsg{Gen: gen, JQL: s.jql(), Page: jiraclient.SearchPage{Issues: synthetic(n), Last: true, Total: n}})
			nm, _ = nm.Update(press("G"))
			if !strings.Contains(nm.View().Content, fmt.Sprintf("ABC-%d ", n)) {
				b.Fatalf("the last of %d rows is not on screen", n)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = nm.View()
			}
		})
	}
}

// rootWithFirstPage is a root model that took its first page from s through
// its own Init command; gen is that page's query generation.
func rootWithFirstPage(t testing.TB, s site, c *jiraclient.Client) (tea.Model, int) {
	t.Helper()
	first := firstKeys(t, s, 1)[0]
	var m tea.Model = tui.New(s.options(c, nil))
	m, _ = m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	// The first page comes from the store inside the root's Update: run
	// Init's commands in order, handing their answers to the root, until
	// the page is on screen.
	shown := func() bool { return showsKey(first)(m.View().Content) }
	var walk func(cmd tea.Cmd)
	walk = func(cmd tea.Cmd) {
		if cmd == nil || shown() {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				walk(c)
			}
		default:
			m, _ = m.Update(msg)
		}
	}
	walk(m.Init())
	if !shown() {
		t.Fatalf("the root's Init showed no first page:\n%s", m.View().Content)
	}
	// A fresh root's first query is the list's generation 1.
	return m, 1
}

// synthetic is n list rows shaped like the tui package's benchmark rows.
func synthetic(n int) []jiraclient.Issue {
	is := make([]jiraclient.Issue, n)
	for i := range is {
		is[i] = jiraclient.Issue{Key: fmt.Sprintf("ABC-%d", i+1), Summary: fmt.Sprintf("Summary of issue %d with some words", i+1),
			Type: jiraclient.IssueType{Name: "Task"}, Status: jiraclient.Status{Name: "In Progress", Category: jiraclient.CategoryInProgress},
			Updated: fakejira.DefaultNow.Add(-time.Duration(i) * time.Minute)}
	}
	return is
}
