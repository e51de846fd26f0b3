package jiraclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// script answers the n-th request (0-based) with steps[n], the last step
// repeating.
type script struct {
	mu     sync.Mutex
	n      int
	steps  []http.HandlerFunc
	bodies []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := min(s.n, len(s.steps)-1)
	s.n++
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	s.steps[i](w, r)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func retryStep(code int, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code >= 400 {
			_, _ = io.WriteString(w, `{"errorMessages":["The request has been rate-limited. Please try again later."],"errors":{},"status":429}`)
		} else {
			_, _ = io.WriteString(w, `{"ok":true}`)
		}
	}
}

type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(e Event) { l.mu.Lock(); l.events = append(l.events, e); l.mu.Unlock() }
func (l *eventLog) all() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

func getABC1(c *Client) error {
	return c.call(context.Background(), request{Method: http.MethodGet, Path: "/rest/api/3/issue/ABC-1"}, nil)
}

func TestRetryAfterSecondsHonoured(t *testing.T) {
	for _, u := range []float64{0, 0.5, 0.999} {
		clk := newFakeClock()
		var ev eventLog
		s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "3", "RateLimit-Reason", "jira-burst-based"), retryStep(429, "Retry-After", "3"), retryStep(200)}}
		c, _ := newTestClient(t, s, withClock(clk), withJitter(func() float64 { return u }), WithObserver(ev.add))
		if err := getABC1(c); err != nil {
			t.Fatal(err)
		}
		if s.count() != 3 {
			t.Fatalf("requests = %d", s.count())
		}
		want := time.Duration(float64(3*time.Second) * (1 + 0.3*u))
		var retrySleeps []time.Duration
		for _, d := range clk.Sleeps() {
			if d >= time.Second { // throttle waits are tiny; Retry-After waits are not
				retrySleeps = append(retrySleeps, d)
			}
		}
		if len(retrySleeps) != 2 || retrySleeps[0] != want || retrySleeps[1] != want {
			t.Errorf("u=%v: sleeps %v, want two of %v", u, retrySleeps, want)
		}
		if want < 3*time.Second {
			t.Errorf("waited less than Retry-After")
		}
		evs := ev.all()
		var retrying, recovered []Event
		for _, e := range evs {
			switch e.Kind {
			case EventRetrying:
				retrying = append(retrying, e)
			case EventRecovered:
				recovered = append(recovered, e)
			}
		}
		if len(retrying) != 2 || len(recovered) != 1 {
			t.Fatalf("events %+v", evs)
		}
		r0 := retrying[0]
		if r0.Wait != want || r0.Attempt != 1 || r0.MaxRetries != 4 || r0.Status != 429 || r0.Reason != "rate limited (jira-burst-based)" ||
			r0.Method != "GET" || r0.Path != "/rest/api/3/issue/ABC-1" {
			t.Errorf("first retry event %+v", r0)
		}
		if retrying[1].Attempt != 2 || retrying[1].Reason != "rate limited" {
			t.Errorf("second retry event %+v", retrying[1])
		}
		if recovered[0].Status != 200 || recovered[0].Attempt != 2 {
			t.Errorf("recovered %+v", recovered[0])
		}
	}
}

func TestRetryAfterHTTPDateHonoured(t *testing.T) {
	clk := newFakeClock()
	date := clk.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
	s := &script{steps: []http.HandlerFunc{retryStep(503, "Retry-After", date), retryStep(200)}}
	c, _ := newTestClient(t, s, withClock(clk), withJitter(func() float64 { return 0 }))
	if err := getABC1(c); err != nil {
		t.Fatal(err)
	}
	if sl := clk.Sleeps(); len(sl) != 1 || sl[0] != 10*time.Second {
		t.Errorf("sleeps %v, want [10s]", sl)
	}
}

func TestBackoffBoundedAndJittered(t *testing.T) {
	p := DefaultRetryPolicy()
	for n := 0; n < 12; n++ {
		base := min(time.Second<<n, 30*time.Second)
		if n > 5 {
			base = 30 * time.Second
		}
		lo, hi := p.backoff(n, 0), p.backoff(n, 0.9999999)
		if lo != min(time.Duration(float64(base)*0.7), p.Max) {
			t.Errorf("n=%d low = %v, want %v", n, lo, time.Duration(float64(base)*0.7))
		}
		if hi > p.Max || hi < lo {
			t.Errorf("n=%d high = %v", n, hi)
		}
		if n < 4 && hi < time.Duration(float64(base)*1.29) {
			t.Errorf("n=%d high %v not jittered up to 1.3x of %v", n, hi, base)
		}
	}

	// Through the client: 503 without Retry-After, four times, real jitter.
	for run := 0; run < 20; run++ {
		clk := newFakeClock()
		s := &script{steps: []http.HandlerFunc{retryStep(503), retryStep(503), retryStep(503), retryStep(503), retryStep(200)}}
		c, _ := newTestClient(t, s, withClock(clk))
		if err := getABC1(c); err != nil {
			t.Fatal(err)
		}
		sl := clk.Sleeps()
		if len(sl) != 4 {
			t.Fatalf("sleeps %v", sl)
		}
		for i, d := range sl {
			base := time.Second << i
			if d < time.Duration(float64(base)*0.7) || d > time.Duration(float64(base)*1.3) {
				t.Errorf("retry %d waited %v, outside [0.7, 1.3] x %v", i+1, d, base)
			}
		}
	}
}

func TestRetryAfterZeroStillWaits(t *testing.T) {
	clk := newFakeClock()
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "0"), retryStep(200)}}
	c, _ := newTestClient(t, s, withClock(clk), WithFlavor(FlavorDataCenter))
	if err := getABC1(c); err != nil {
		t.Fatal(err)
	}
	if sl := clk.Sleeps(); len(sl) != 1 || sl[0] < 700*time.Millisecond {
		t.Errorf("sleeps %v, want one of at least 700ms", sl)
	}
}

func TestMaxRetriesThenRateLimited(t *testing.T) {
	clk := newFakeClock()
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "2")}}
	c, _ := newTestClient(t, s, withClock(clk))
	err := getABC1(c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRateLimited {
		t.Fatalf("err = %v", err)
	}
	if s.count() != 5 {
		t.Errorf("requests = %d, want 1 + 4 retries", s.count())
	}
	if e.RetryAfter != 2*time.Second || e.Status != 429 {
		t.Errorf("RetryAfter %v status %d", e.RetryAfter, e.Status)
	}
	if got := c.Stats(); got.Retries != 4 || got.RateLimited != 5 {
		t.Errorf("stats %+v", got)
	}
}

func TestGiveUpWithoutRetryAfterReportsNextWait(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{retryStep(429)}}
	c, _ := newTestClient(t, s, withClock(newFakeClock()), WithRetry(RetryPolicy{MaxRetries: 1, Initial: time.Second, Max: 30 * time.Second}), withJitter(func() float64 { return 0.5 }))
	err := getABC1(c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRateLimited || e.RetryAfter != 2*time.Second {
		t.Fatalf("err = %v, RetryAfter %v", err, e.RetryAfter)
	}
}

func TestRetryNeverSleepsPastDeadline(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "20"), retryStep(200)}}
	c, _ := newTestClient(t, s, WithTimeout(5*time.Second)) // real clock: a sleep would show
	start := time.Now()
	err := getABC1(c)
	if time.Since(start) > 3*time.Second { // a sleep would take 20 s
		t.Errorf("slept %v", time.Since(start))
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRateLimited || e.RetryAfter != 20*time.Second || s.count() != 1 {
		t.Fatalf("err %v RetryAfter %v requests %d", err, e.RetryAfter, s.count())
	}

	// The caller's own deadline counts too.
	s2 := &script{steps: []http.HandlerFunc{retryStep(503, "Retry-After", "3"), retryStep(200)}}
	c2, _ := newTestClient(t, s2)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err = c2.call(ctx, request{Method: "GET", Path: "/rest/api/3/x"}, nil)
	if KindOf(err) != KindUnavailable || s2.count() != 1 {
		t.Fatalf("err %v requests %d", err, s2.count())
	}
}

func TestRetryAfterBeyondMaxIsNotWaited(t *testing.T) {
	clk := newFakeClock()
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "45"), retryStep(200)}}
	c, _ := newTestClient(t, s, withClock(clk), WithTimeout(time.Hour))
	err := getABC1(c)
	var e *Error
	if !errors.As(err, &e) || e.RetryAfter != 45*time.Second || s.count() != 1 || len(clk.Sleeps()) != 0 {
		t.Fatalf("err %v requests %d sleeps %v", err, s.count(), clk.Sleeps())
	}
	if e.Error() != "Jira is rate-limiting requests and asks to wait 45s: The request has been rate-limited. Please try again later. (HTTP 429 on GET /rest/api/3/issue/ABC-1): wait 45s and try again; if it keeps happening, other tools may be using the same token heavily" {
		t.Errorf("message %q", e.Error())
	}
}

func TestCancelDuringRetryWait(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "10"), retryStep(200)}}
	c, _ := newTestClient(t, s) // real clock
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := c.call(ctx, request{Method: "GET", Path: "/rest/api/3/x"}, nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if KindOf(err) != KindCanceled || s.count() != 1 {
		t.Fatalf("err %v (%v) requests %d", err, KindOf(err), s.count())
	}
}

func TestPostNotRetriedAfterServerActed(t *testing.T) {
	var acted atomic.Int32
	s := &script{steps: []http.HandlerFunc{hijackClose(func() { acted.Add(1) }), retryStep(201)}}
	c, _ := newTestClient(t, s, withClock(newFakeClock()))
	err := c.call(context.Background(), request{Method: http.MethodPost, Path: "/rest/api/3/issue/ABC-1/comment", Body: map[string]string{"body": "hello"}, IssueKey: "ABC-1"}, nil)
	if KindOf(err) != KindNetwork {
		t.Fatalf("err %v (%v)", err, KindOf(err))
	}
	if acted.Load() != 1 || s.count() != 1 {
		t.Errorf("server acted %d times, %d requests: a POST was sent again", acted.Load(), s.count())
	}
}

func TestIdempotentRetriedAfterConnectionDrop(t *testing.T) {
	for _, r := range []request{
		{Method: http.MethodGet, Path: "/rest/api/3/issue/ABC-1"},
		{Method: http.MethodPut, Path: "/rest/api/3/issue/ABC-1", Body: map[string]any{"fields": map[string]string{"summary": "x"}}, IssueKey: "ABC-1"},
		{Method: http.MethodPost, Path: "/rest/api/3/search/jql", Body: map[string]string{"jql": "project = A"}, Idempotent: true},
	} {
		var ev eventLog
		s := &script{steps: []http.HandlerFunc{hijackClose(nil), retryStep(200)}}
		c, _ := newTestClient(t, s, withClock(newFakeClock()), WithObserver(ev.add))
		if err := c.call(context.Background(), r, nil); err != nil {
			t.Fatalf("%s: %v", r.Method, err)
		}
		if s.count() != 2 {
			t.Errorf("%s: requests %d", r.Method, s.count())
		}
		if r.Body != nil && (s.bodies[0] != s.bodies[1] || s.bodies[0] == "") {
			t.Errorf("%s: body not replayed: %q vs %q", r.Method, s.bodies[0], s.bodies[1])
		}
		var sawRetry bool
		for _, e := range ev.all() {
			if e.Kind == EventRetrying && e.Reason == "connection dropped" && e.Status == 0 {
				sawRetry = true
			}
		}
		if !sawRetry {
			t.Errorf("%s: events %+v", r.Method, ev.all())
		}
	}
}

func TestPostRetriedOn429WithSameBody(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{retryStep(429, "Retry-After", "1"), retryStep(201)}}
	c, _ := newTestClient(t, s, withClock(newFakeClock()))
	var out map[string]any
	err := c.call(context.Background(), request{Method: http.MethodPost, Path: "/rest/api/3/issue", Body: map[string]any{"fields": map[string]string{"summary": "New"}}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if s.count() != 2 || s.bodies[0] != s.bodies[1] || s.bodies[1] != `{"fields":{"summary":"New"}}` {
		t.Errorf("requests %d bodies %q", s.count(), s.bodies)
	}
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	for _, code := range []int{400, 401, 404, 409, 500, 502} {
		s := &script{steps: []http.HandlerFunc{retryStep(code), retryStep(200)}}
		c, _ := newTestClient(t, s, withClock(newFakeClock()))
		if err := getABC1(c); err == nil || s.count() != 1 {
			t.Errorf("%d: err %v, requests %d", code, err, s.count())
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 26, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, true},
		{" 0 ", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Thu, 26 Mar 2026 15:00:30 GMT", 30 * time.Second, true},
		{"Thu, 26 Mar 2026 14:00:00 GMT", 0, true},
		{"999999", 24 * time.Hour, true},    // a long wait is a wait, capped (not unreadable)
		{"999999999", 24 * time.Hour, true}, // no overflow
		{"1e300", 24 * time.Hour, true},
		{"NaN", 0, false},
		{"-5", 0, false},
		{"Fri, 26 Mar 2027 14:00:00 GMT", 24 * time.Hour, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
