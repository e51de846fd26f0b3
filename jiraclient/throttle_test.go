package jiraclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

func TestEndpointKey(t *testing.T) {
	cases := map[[2]string]string{
		{"GET", "/rest/api/3/issue/ABC-1"}:                           "GET /rest/api/3/issue/{}",
		{"GET", "/rest/api/3/issue/10002/comment"}:                   "GET /rest/api/3/issue/{}/comment",
		{"POST", "/rest/api/3/issue/ABC-1/transitions"}:              "POST /rest/api/3/issue/{}/transitions",
		{"PUT", "/rest/api/2/issue/ABC-1/assignee"}:                  "PUT /rest/api/2/issue/{}/assignee",
		{"GET", "/rest/api/3/search/jql"}:                            "GET /rest/api/3/search/jql",
		{"GET", "/rest/api/2/serverInfo"}:                            "GET /rest/api/2/serverInfo",
		{"GET", "/rest/api/3/issue/createmeta/ABC/issuetypes/10001"}: "GET /rest/api/3/issue/createmeta/{}/issuetypes/{}",
		{"GET", "/rest/api/3/user/5b10ac8d82e05b22cc7d4ef5"}:         "GET /rest/api/3/user/{}",
		{"GET", "/rest/agile/1.0/board/12/sprint"}:                   "GET /rest/agile/1.0/board/{}/sprint",
		{"DELETE", "/rest/api/3/issue/ABC-1/comment/10000"}:          "DELETE /rest/api/3/issue/{}/comment/{}",
		{"GET", "/rest/api/3/user/assignable/search"}:                "GET /rest/api/3/user/assignable/search",
		{"GET", "/rest/api/3/issue/PROJ-123/editmeta"}:               "GET /rest/api/3/issue/{}/editmeta",
		{"GET", "/rest/api/3/label"}:                                 "GET /rest/api/3/label",
		{"POST", "/rest/api/3/search/approximate-count"}:             "POST /rest/api/3/search/approximate-count",
	}
	for in, want := range cases {
		if got := endpointKey(in[0], in[1]); got != want {
			t.Errorf("endpointKey(%s %s) = %q, want %q", in[0], in[1], got, want)
		}
	}
	if endpointKey("GET", "/rest/api/3/issue/ABC-1") == endpointKey("PUT", "/rest/api/3/issue/ABC-1") {
		t.Error("methods share a limiter")
	}
}

// handlerTransport serves requests with h in the calling goroutine: no
// sockets, so a synctest bubble's fake time can advance whenever every
// goroutine waits.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// arrivals records when each request reached the server, per endpoint,
// and how many were in flight at once.
type arrivals struct {
	mu       sync.Mutex
	at       map[string][]time.Time
	inFlight atomic.Int32
	maxIn    atomic.Int32
	latency  time.Duration
	answer   func(w http.ResponseWriter, r *http.Request)
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := a.inFlight.Add(1)
	defer a.inFlight.Add(-1)
	for {
		m := a.maxIn.Load()
		if n <= m || a.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	a.mu.Lock()
	if a.at == nil {
		a.at = map[string][]time.Time{}
	}
	k := endpointKey(r.Method, r.URL.Path)
	a.at[k] = append(a.at[k], time.Now())
	a.mu.Unlock()
	if a.latency > 0 {
		time.Sleep(a.latency)
	}
	if a.answer != nil {
		a.answer(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// maxInWindow is the largest number of times in any closed window [t, t+w].
func maxInWindow(ts []time.Time, w time.Duration) int {
	s := append([]time.Time(nil), ts...)
	sort.Slice(s, func(i, j int) bool { return s[i].Before(s[j]) })
	best, j := 0, 0
	for i := range s {
		for j < len(s) && !s[j].After(s[i].Add(w)) {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

func TestThrottleThousandConcurrentCallsKeepTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := &arrivals{latency: 3 * time.Millisecond}
		lim := DefaultLimits()
		c, err := New("https://acme.atlassian.net", testCred, WithFlavor(FlavorCloud),
			WithHTTPClient(&http.Client{Transport: handlerTransport{a}}), WithTimeout(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		var failed atomic.Int32
		paths := []string{"/rest/api/3/issue/ABC-%d", "/rest/api/3/issue/ABC-%d/comment"}
		for i := 0; i < 1000; i++ {
			wg.Go(func() {
				p := fmt.Sprintf(paths[i%2], i)
				if err := c.call(context.Background(), request{Method: http.MethodGet, Path: p}, nil); err != nil {
					failed.Add(1)
					t.Errorf("call %d: %v", i, err)
				}
			})
		}
		// Writes on their own endpoint class, at the same time.
		for i := 0; i < 200; i++ {
			wg.Go(func() {
				p := fmt.Sprintf("/rest/api/3/issue/W-%d", i)
				if err := c.call(context.Background(), request{Method: http.MethodPut, Path: p, Body: map[string]any{}, IssueKey: fmt.Sprintf("W-%d", i)}, nil); err != nil {
					t.Errorf("write %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		t.Logf("elapsed %v (fake), max in flight %d, stats %+v", elapsed, a.maxIn.Load(), c.Stats())

		check := func(key string, n int, rps float64, burst int) {
			ts := a.at[key]
			if len(ts) != n {
				t.Fatalf("%s: %d requests arrived, want %d", key, len(ts), n)
			}
			for _, w := range []time.Duration{10 * time.Millisecond, 100 * time.Millisecond, time.Second, 5 * time.Second} {
				allowed := burst + int(math.Floor(rps*w.Seconds()))
				got := maxInWindow(ts, w)
				t.Logf("%s: max %d in %v (allowed %d)", key, got, w, allowed)
				if got > allowed {
					t.Errorf("%s: %d requests within %v, allowed %d (burst %d + %v/s)", key, got, w, allowed, burst, rps)
				}
			}
		}
		check("GET /rest/api/3/issue/{}", 500, lim.ReadRPS, lim.Burst)
		check("GET /rest/api/3/issue/{}/comment", 500, lim.ReadRPS, lim.Burst)
		check("PUT /rest/api/3/issue/{}", 200, lim.WriteRPS, lim.WriteBurst)

		// The throttle lets traffic through at the configured rate, not slower:
		// 500 requests at 50/s after a burst of 10 take 9.8 s.
		if min, max := 9*time.Second, 12*time.Second; elapsed < min || elapsed > max {
			t.Errorf("1,200 calls took %v of fake time, want %v..%v", elapsed, min, max)
		}
		if m := a.maxIn.Load(); m > int32(lim.MaxInFlight) || m < 2 {
			t.Errorf("max in flight %d, cap %d", m, lim.MaxInFlight)
		}
		s := c.Stats()
		if s.Requests != 1200 || s.ThrottleWaits == 0 || s.ThrottleWait <= 0 {
			t.Errorf("stats %+v", s)
		}
	})
}

func TestPerIssueWritePacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := &arrivals{}
		c, err := New("https://acme.atlassian.net", testCred, WithFlavor(FlavorCloud),
			WithHTTPClient(&http.Client{Transport: handlerTransport{a}}), WithTimeout(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var readsDone time.Time
		for i := 0; i < 120; i++ {
			wg.Go(func() {
				// Alternate endpoints so only the per-issue limiters bind.
				paths := []string{"/rest/api/3/issue/ABC-1", "/rest/api/3/issue/ABC-1/comment", "/rest/api/3/issue/ABC-1/transitions", "/rest/api/3/issue/ABC-1/assignee"}
				method := []string{http.MethodPut, http.MethodPost, http.MethodPost, http.MethodPut}[i%4]
				if err := c.call(context.Background(), request{Method: method, Path: paths[i%4], Body: map[string]any{}, IssueKey: "ABC-1"}, nil); err != nil {
					t.Error(err)
				}
			})
		}
		// Reads of the same issue are not held up by its write queue.
		wg.Go(func() {
			time.Sleep(100 * time.Millisecond)
			for range 5 {
				if err := c.call(context.Background(), request{Method: http.MethodGet, Path: "/rest/api/3/issue/ABC-1"}, nil); err != nil {
					t.Error(err)
				}
			}
			mu.Lock()
			readsDone = time.Now()
			mu.Unlock()
		})
		start := time.Now()
		wg.Wait()
		var writes []time.Time
		for k, ts := range a.at {
			if !strings.HasPrefix(k, "GET") {
				writes = append(writes, ts...)
			}
		}
		if len(writes) != 120 {
			t.Fatalf("%d writes arrived", len(writes))
		}
		if got := maxInWindow(writes, 2*time.Second); got > 20 {
			t.Errorf("%d writes to one issue within 2s; Jira allows 20", got)
		}
		if got := maxInWindow(writes, 30*time.Second); got > 100 {
			t.Errorf("%d writes to one issue within 30s; Jira allows 100", got)
		}
		if got := maxInWindow(writes, 2*time.Second); got > 10+10 {
			t.Errorf("more than burst+rate in 2s: %d", got)
		}
		if d := readsDone.Sub(start); d > time.Second {
			t.Errorf("reads waited behind the write queue until %v", d)
		}
	})
}

// manualClock only moves when told; Sleep fails the test, so it suits code
// paths that must not wait.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (m *manualClock) Now() time.Time { m.mu.Lock(); defer m.mu.Unlock(); return m.now }
func (m *manualClock) Sleep(ctx context.Context, d time.Duration) error {
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.mu.Unlock()
	return ctx.Err()
}
func (m *manualClock) advance(d time.Duration) { m.mu.Lock(); m.now = m.now.Add(d); m.mu.Unlock() }

func answerWith(code int, h ...string) *http.Response {
	resp := &http.Response{StatusCode: code, Header: http.Header{}, Body: http.NoBody}
	for i := 0; i+1 < len(h); i += 2 {
		resp.Header.Set(h[i], h[i+1])
	}
	return resp
}

func TestBurst429HalvesEndpointAndRecovers(t *testing.T) {
	clk := &manualClock{now: time.Unix(1_700_000_000, 0)}
	th := newThrottle(DefaultLimits(), clk, nil, &counters{})
	const p = "/rest/api/3/issue/ABC-1"
	adm, err := th.admit(context.Background(), "GET", p, "")
	if err != nil {
		t.Fatal(err)
	}
	adm.release()
	if r := th.endpointRate("GET", p); r != 50 {
		t.Fatalf("rate %v", r)
	}
	th.observe(answerWith(429, "RateLimit-Reason", "jira-burst-based", "Retry-After", "1"), "GET", "/rest/api/3/issue/XYZ-9", "")
	if r := th.endpointRate("GET", p); r != 25 {
		t.Errorf("after a burst 429: rate %v, want 25", r)
	}
	// A second 429 in the same second is the same episode.
	th.observe(answerWith(429, "RateLimit-Reason", "jira-burst-based"), "GET", p, "")
	if r := th.endpointRate("GET", p); r != 25 {
		t.Errorf("same episode cut again: %v", r)
	}
	// Other endpoints are untouched.
	if r := th.endpointRate("PUT", p); r != 0 {
		t.Errorf("PUT limiter created or cut: %v", r)
	}
	clk.advance(15 * time.Second)
	if r := float64(th.endpointRate("GET", p)); math.Abs(r-37.5) > 0.01 {
		t.Errorf("halfway through recovery: rate %v, want 37.5", r)
	}
	clk.advance(2 * time.Second)
	th.observe(answerWith(429), "GET", p, "") // no reason given (Data Center): also slows down
	if r := float64(th.endpointRate("GET", p)); r > 20 || r < 19 {
		t.Errorf("after a second 429: rate %v, want about 19.6", r)
	}
	clk.advance(30 * time.Second)
	if r := th.endpointRate("GET", p); r != 50 {
		t.Errorf("after 30s without 429s: rate %v, want 50", r)
	}
	// A 429 every second drives the rate close to the floor, never below.
	for range 40 {
		clk.advance(penaltyGap)
		th.observe(answerWith(429, "RateLimit-Reason", "jira-burst-based"), "GET", p, "")
		if r := float64(th.endpointRate("GET", p)); r < 50*minFactor-1e-9 {
			t.Fatalf("rate %v below the floor %v", r, 50*minFactor)
		}
	}
	if r := float64(th.endpointRate("GET", p)); r > 2 {
		t.Errorf("after a 429 every second for 40s: rate %v, want under 2", r)
	}
}

func TestNearLimitSlowsBefore429(t *testing.T) {
	clk := &manualClock{now: time.Unix(1_700_000_000, 0)}
	th := newThrottle(DefaultLimits(), clk, nil, &counters{})
	const p = "/rest/api/3/search/jql"
	th.observe(answerWith(200, "X-RateLimit-NearLimit", "true"), "POST", p, "")
	if r := float64(th.endpointRate("POST", p)); math.Abs(r-40) > 0.01 {
		t.Errorf("rate %v, want 40", r)
	}
	clk.advance(2 * time.Second)
	th.observe(answerWith(200, "X-RateLimit-NearLimit", "true"), "POST", p, "")
	if r := float64(th.endpointRate("POST", p)); r < 39 || r > 41 {
		t.Errorf("near-limit compounds: rate %v", r)
	}
	th.observe(answerWith(200, "X-RateLimit-NearLimit", "false"), "GET", p, "")
	if r := th.endpointRate("GET", p); r != 0 {
		t.Errorf("a false NearLimit created a limiter: %v", r)
	}
}

func TestPerIssue429SpacesWritesToThatIssue(t *testing.T) {
	clk := newFakeClock()
	var calls atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("RateLimit-Reason", "jira-per-issue-on-write")
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(429)
			return
		}
		w.WriteHeader(204)
	})
	c, _ := newTestClient(t, h, withClock(clk), noRetry())
	put := func(key string) error {
		return c.call(context.Background(), request{Method: http.MethodPut, Path: "/rest/api/3/issue/" + key, Body: map[string]any{}, IssueKey: key}, nil)
	}
	if err := put("ABC-1"); KindOf(err) != KindRateLimited {
		t.Fatalf("first write: %v", err)
	}
	t0 := clk.Now()
	if err := put("ABC-2"); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(t0); d > time.Second {
		t.Errorf("another issue waited %v", d)
	}
	t1 := clk.Now()
	if err := put("ABC-1"); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(t1); d < 4*time.Second {
		t.Errorf("next write to ABC-1 waited %v, want the 5s Jira asked for", d)
	}
	if r := c.thr.endpointRate("PUT", "/rest/api/3/issue/ABC-1"); r != 25 {
		t.Errorf("a per-issue 429 cut the endpoint rate to %v", r)
	}
}

func TestThrottledEventAndDeadline(t *testing.T) {
	var ev eventLog
	clk := newFakeClock()
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }),
		withClock(clk), WithObserver(ev.add), WithLimits(Limits{ReadRPS: 2, Burst: 1}))
	for range 3 {
		if err := getABC1(c); err != nil {
			t.Fatal(err)
		}
	}
	var th []Event
	for _, e := range ev.all() {
		if e.Kind == EventThrottled {
			th = append(th, e)
		}
	}
	if len(th) != 2 || th[0].Wait != 500*time.Millisecond || th[0].Path != "/rest/api/3/issue/ABC-1" || th[0].Method != "GET" {
		t.Errorf("throttled events %+v", th)
	}
	// Small waits are not reported.
	var ev2 eventLog
	c2, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }),
		withClock(newFakeClock()), WithObserver(ev2.add), WithLimits(Limits{ReadRPS: 10, Burst: 1}))
	for range 3 {
		_ = getABC1(c2)
	}
	if len(ev2.all()) != 0 {
		t.Errorf("100ms waits reported: %+v", ev2.all())
	}

	// A slot past the deadline fails at once with the wait.
	c3, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }),
		WithLimits(Limits{ReadRPS: 0.1, Burst: 1}), WithTimeout(time.Second))
	if err := getABC1(c3); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := getABC1(c3)
	var e *Error
	if KindOf(err) != KindRateLimited || time.Since(start) > 3*time.Second { // a wait would take 10 s
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if errors.As(err, &e); e.RetryAfter < 9*time.Second || !strings.Contains(e.Error(), "jiffy is pacing requests") {
		t.Errorf("RetryAfter %v: %v", e.RetryAfter, e)
	}
}

func TestInFlightCapReleasedOnBodyClose(t *testing.T) {
	release := make(chan struct{})
	var in, maxIn atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := in.Add(1)
		defer in.Add(-1)
		for {
			m := maxIn.Load()
			if n <= m || maxIn.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		w.WriteHeader(204)
	}), WithLimits(Limits{MaxInFlight: 2}))
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() { _ = getABC1(c) })
	}
	deadline := time.Now().Add(5 * time.Second)
	for in.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // give a third request the chance to sneak in
	if in.Load() != 2 {
		t.Errorf("%d requests in flight, cap 2", in.Load())
	}
	close(release)
	wg.Wait()
	if maxIn.Load() != 2 {
		t.Errorf("max in flight %d", maxIn.Load())
	}
	if len(c.thr.slots) != 0 {
		t.Errorf("%d slots still held after all calls", len(c.thr.slots))
	}
}

func TestEndpointMapIsBounded(t *testing.T) {
	clk := &manualClock{now: time.Unix(0, 0)}
	th := newThrottle(DefaultLimits(), clk, nil, &counters{})
	for i := range maxEndpoints + 50 {
		clk.advance(time.Millisecond)
		adm, err := th.admit(context.Background(), "GET", fmt.Sprintf("/rest/api/3/thing%c%c/x", 'a'+i%26, 'a'+i/26), "")
		if err != nil {
			t.Fatal(err)
		}
		adm.release()
	}
	if n := len(th.endpoints); n != maxEndpoints {
		t.Errorf("%d limiters kept, cap %d", n, maxEndpoints)
	}
	for i := range maxIssues + 10 {
		adm, err := th.admit(context.Background(), "PUT", "/rest/api/3/issue/X", fmt.Sprintf("K-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		adm.release()
	}
	if n := len(th.issues); n != maxIssues {
		t.Errorf("%d issue limiters kept, cap %d", n, maxIssues)
	}
}

func TestLimitsDefaultsAndInfinity(t *testing.T) {
	l, err := Limits{ReadRPS: math.Inf(1), MaxInFlight: 3}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultLimits()
	if l.WriteRPS != d.WriteRPS || l.Burst != d.Burst || l.MaxInFlight != 3 || !math.IsInf(l.ReadRPS, 1) {
		t.Errorf("%+v", l)
	}
	if limitOf(l.ReadRPS) != rate.Inf {
		t.Error("infinite rate not mapped to rate.Inf")
	}
	if _, err := (Limits{WriteRPS: math.NaN()}).withDefaults(); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := (Limits{MaxInFlight: -1}).withDefaults(); err == nil {
		t.Error("negative accepted")
	}
	if d.ReadRPS > 50 || d.WriteRPS > 25 || d.IssueWritesPer2s > 10 || d.IssueWritesPer30s > 50 {
		t.Errorf("defaults exceed half of Jira Cloud's limits: %+v", d)
	}
}

// BenchmarkThrottle measures the throttle's own cost per request (limits
// high enough that nothing waits): endpoint key, limiter lookup and
// reservation, in-flight slot.
func BenchmarkThrottle(b *testing.B) {
	th := newThrottle(Limits{ReadRPS: 1e9, Burst: 1 << 20, WriteRPS: 1e9, WriteBurst: 1 << 20, MaxInFlight: 64, IssueWritesPer2s: 1 << 20, IssueWritesPer30s: 1 << 20}, realClock{}, nil, &counters{})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			adm, err := th.admit(ctx, "GET", "/rest/api/3/issue/ABC-123/comment", "")
			if err != nil {
				b.Fatal(err)
			}
			adm.release()
		}
	})
}

// BenchmarkCallChain is one call through the whole chain (deadline, retry,
// throttle, auth, JSON decode) against an in-process handler.
func BenchmarkCallChain(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"10000","key":"ABC-1"}`)
	})
	c, err := New("https://acme.atlassian.net", testCred, WithFlavor(FlavorCloud), WithHTTPClient(&http.Client{Transport: handlerTransport{h}}),
		WithLimits(Limits{ReadRPS: math.Inf(1), MaxInFlight: 64}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out struct{ ID, Key string }
		if err := c.call(ctx, request{Method: http.MethodGet, Path: "/rest/api/3/issue/ABC-1"}, &out); err != nil {
			b.Fatal(err)
		}
	}
}
