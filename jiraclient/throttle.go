package jiraclient

// Design note: the throttle.
//
// Jira Cloud limits API-token traffic with token buckets per tenant, endpoint
// and method (about 100 req/s for GET/POST and 50 req/s for PUT/DELETE), plus
// per-issue write limits (20 writes per 2 s and 100 per 30 s), and answers 429
// when a bucket runs dry. Data Center's optional limiter is one bucket per
// user. jiffy is one person's terminal: it should never be the reason a
// tenant hits those limits, so it paces itself to at most half of them and
// treats Jira's signals as a reason to slow down further.
//
//   - One golang.org/x/time/rate limiter per endpoint, keyed by method and
//     path template ("GET /rest/api/3/issue/{}": ids, keys and account ids
//     collapse to {}), created on first use and kept in a bounded LRU map.
//   - Writes to one issue (request.IssueKey) also take tokens from two
//     per-issue limiters, sized to half of Jira's per-issue windows.
//   - A cap on requests in flight (default 6). A request sleeps until its
//     tokens are due without holding a slot (a slow endpoint or a busy issue
//     cannot starve the rest), then leaves on a free slot. When no slot is
//     free it waits for one and takes fresh tokens: leaving late on old ones
//     would let a queue leave in a bunch, breaking the rate the server sees.
//   - A 429 halves that endpoint's rate (at most once a second, down to
//     1/32); RateLimit-Reason jira-per-issue-on-write instead pauses writes
//     to that issue. X-RateLimit-NearLimit: true (less than 20% of a budget
//     left) takes the endpoint down to 80% before a 429 happens. The rate
//     climbs back linearly to the configured one over recoverAfter (30 s)
//     without a new signal.
//   - The throttle runs once per attempt, inside the retry loop, because
//     Jira counts every attempt; a retry's backoff sleep holds no slot.
//
// Waits use the client's Clock (reservations with ReserveN at Clock.Now and
// a Clock sleep) so tests drive it with fake time.

import (
	"context"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits configures the client's own pacing (see DefaultLimits).
type Limits struct {
	// ReadRPS and Burst bound GET, HEAD and POST per endpoint (POST is how
	// Jira searches, and Cloud counts it with GET).
	ReadRPS float64
	Burst   int
	// WriteRPS and WriteBurst bound PUT, PATCH and DELETE per endpoint.
	WriteRPS   float64
	WriteBurst int
	// MaxInFlight caps concurrent requests to the site.
	MaxInFlight int
	// IssueWritesPer2s and IssueWritesPer30s pace writes to one issue.
	IssueWritesPer2s  int
	IssueWritesPer30s int
}

// DefaultLimits is half of Jira Cloud's documented limits: 50 req/s per
// endpoint for GET/POST (Jira: 100), 25 for PUT/DELETE (Jira: 50), 10 writes
// to one issue per 2 s (Jira: 20) and 50 per 30 s (Jira: 100), and 6
// requests in flight. A token bucket of rate N/W and burst N never lets more
// than 2N through in any window W, so halving Jira's numbers keeps jiffy
// under them even at the worst moment.
func DefaultLimits() Limits {
	return Limits{
		ReadRPS: 50, Burst: 10,
		WriteRPS: 25, WriteBurst: 5,
		MaxInFlight:       6,
		IssueWritesPer2s:  10,
		IssueWritesPer30s: 50,
	}
}

func (l Limits) withDefaults() (Limits, error) {
	d := DefaultLimits()
	for _, f := range []struct {
		name string
		v    *float64
		def  float64
	}{{"ReadRPS", &l.ReadRPS, d.ReadRPS}, {"WriteRPS", &l.WriteRPS, d.WriteRPS}} {
		if math.IsNaN(*f.v) || *f.v < 0 {
			return l, optionError("WithLimits: %s must be positive, got %v", f.name, *f.v)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	for _, f := range []struct {
		name string
		v    *int
		def  int
	}{
		{"Burst", &l.Burst, d.Burst}, {"WriteBurst", &l.WriteBurst, d.WriteBurst},
		{"MaxInFlight", &l.MaxInFlight, d.MaxInFlight},
		{"IssueWritesPer2s", &l.IssueWritesPer2s, d.IssueWritesPer2s},
		{"IssueWritesPer30s", &l.IssueWritesPer30s, d.IssueWritesPer30s},
	} {
		if *f.v < 0 {
			return l, optionError("WithLimits: %s must be positive, got %d", f.name, *f.v)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if l.MaxInFlight > 1000 {
		return l, optionError("WithLimits: MaxInFlight %d is more than 1000", l.MaxInFlight)
	}
	return l, nil
}

const (
	recoverAfter      = 30 * time.Second // back to the configured rate after this long without a signal
	minFactor         = 1.0 / 32         // never slower than this fraction of the configured rate
	penaltyGap        = time.Second      // 429s within this of the last cut belong to the same episode
	nearLimitFactor   = 0.8              // X-RateLimit-NearLimit takes the endpoint to this fraction
	noticeableWait    = 250 * time.Millisecond
	maxEndpoints      = 256
	maxIssues         = 1024
	issuePauseDefault = 2 * time.Second // per-issue 429 without Retry-After: one short window
)

// throttle is the shared pacing state of one Client.
type throttle struct {
	limits   Limits
	clock    Clock
	observer func(Event)
	stats    *counters
	slots    chan struct{}

	mu        sync.Mutex
	endpoints map[string]*endpointLimiter
	issues    map[string]*issueLimiter
}

type endpointLimiter struct {
	lim        *rate.Limiter
	configured rate.Limit
	factor     float64   // current fraction of configured
	cutFactor  float64   // factor right after the last cut
	cutAt      time.Time // when the last cut happened (zero: never)
	lastUsed   time.Time
}

type issueLimiter struct {
	short, long *rate.Limiter
	pausedUntil time.Time
	lastUsed    time.Time
}

func newThrottle(l Limits, clock Clock, observer func(Event), stats *counters) *throttle {
	return &throttle{
		limits:    l,
		clock:     clock,
		observer:  observer,
		stats:     stats,
		slots:     make(chan struct{}, l.MaxInFlight),
		endpoints: map[string]*endpointLimiter{},
		issues:    map[string]*issueLimiter{},
	}
}

// throttleWaitError says the next slot lies past the request's deadline.
type throttleWaitError struct{ wait time.Duration }

func (e *throttleWaitError) Error() string {
	return "throttle: next slot in " + roundDuration(e.wait) + " is past the deadline"
}

func isWriteMethod(m string) bool {
	return m == http.MethodPut || m == http.MethodPatch || m == http.MethodDelete
}

func limitOf(rps float64) rate.Limit {
	if math.IsInf(rps, 1) {
		return rate.Inf
	}
	return rate.Limit(rps)
}

// endpointKey is the method and path template: every segment that holds an
// id, a key or an account id becomes {} ("/rest/api/3/issue/ABC-1/comment"
// -> "/rest/api/3/issue/{}/comment"). An identifier is a segment with a
// digit or without lower-case letters, except the API version that follows
// "api", "agile", "auth" or "greenhopper".
func endpointKey(method, path string) string {
	var b strings.Builder
	b.Grow(len(method) + 1 + len(path))
	b.WriteString(method)
	b.WriteByte(' ')
	prev := ""
	for i, seg := range strings.Split(path, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		if seg != "" && isIdentifier(seg) && !isVersionAfter(prev) {
			b.WriteString("{}")
		} else {
			b.WriteString(seg)
		}
		prev = seg
	}
	return b.String()
}

func isVersionAfter(prev string) bool {
	switch prev {
	case "api", "agile", "auth", "greenhopper":
		return true
	}
	return false
}

func isIdentifier(seg string) bool {
	lower := false
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c >= '0' && c <= '9' {
			return true
		}
		if c >= 'a' && c <= 'z' {
			lower = true
		}
	}
	return !lower
}

// endpoint returns the limiter for key, creating it (and evicting the least
// recently used one when the map is full). Caller holds t.mu.
func (t *throttle) endpoint(key string, write bool, now time.Time) *endpointLimiter {
	if e, ok := t.endpoints[key]; ok {
		e.lastUsed = now
		return e
	}
	if len(t.endpoints) >= maxEndpoints {
		evictOldest(t.endpoints, func(e *endpointLimiter) time.Time { return e.lastUsed })
	}
	rps, burst := t.limits.ReadRPS, t.limits.Burst
	if write {
		rps, burst = t.limits.WriteRPS, t.limits.WriteBurst
	}
	e := &endpointLimiter{
		lim:        rate.NewLimiter(limitOf(rps), burst),
		configured: limitOf(rps),
		factor:     1,
		lastUsed:   now,
	}
	t.endpoints[key] = e
	return e
}

// issue returns the per-issue limiters for key. Caller holds t.mu.
func (t *throttle) issue(key string, now time.Time) *issueLimiter {
	if il, ok := t.issues[key]; ok {
		il.lastUsed = now
		return il
	}
	if len(t.issues) >= maxIssues {
		evictOldest(t.issues, func(il *issueLimiter) time.Time { return il.lastUsed })
	}
	n2, n30 := t.limits.IssueWritesPer2s, t.limits.IssueWritesPer30s
	il := &issueLimiter{
		short:    rate.NewLimiter(rate.Limit(float64(n2)/2), n2),
		long:     rate.NewLimiter(rate.Limit(float64(n30)/30), n30),
		lastUsed: now,
	}
	t.issues[key] = il
	return il
}

func evictOldest[V any](m map[string]V, last func(V) time.Time) {
	var oldest string
	var at time.Time
	first := true
	for k, v := range m {
		if t := last(v); first || t.Before(at) {
			oldest, at, first = k, t, false
		}
	}
	delete(m, oldest)
}

// refresh moves the endpoint's rate back toward the configured one, linearly
// over recoverAfter since the last cut. Caller holds t.mu.
func (e *endpointLimiter) refresh(now time.Time) {
	if e.factor >= 1 || e.configured == rate.Inf {
		return
	}
	f := 1.0
	if el := now.Sub(e.cutAt); el < recoverAfter {
		f = e.cutFactor + (1-e.cutFactor)*float64(el)/float64(recoverAfter)
	}
	e.setFactor(now, f)
}

func (e *endpointLimiter) setFactor(now time.Time, f float64) {
	f = math.Max(minFactor, math.Min(1, f))
	if f == e.factor {
		return
	}
	e.factor = f
	e.lim.SetLimitAt(now, e.configured*rate.Limit(f))
}

// cut lowers the endpoint to factor*current, once per episode.
func (e *endpointLimiter) cut(now time.Time, by float64) {
	if e.configured == rate.Inf {
		return
	}
	e.refresh(now)
	if !e.cutAt.IsZero() && now.Sub(e.cutAt) < penaltyGap {
		return
	}
	e.setFactor(now, e.factor*by)
	e.cutAt, e.cutFactor = now, e.factor
}

// admission is what an attempt got from the throttle.
type admission struct {
	waited  time.Duration
	release func()
}

// admit waits until the request may be sent and takes an in-flight slot;
// the caller must call release when the answer has been read. A wait that
// would pass ctx's deadline fails at once with *throttleWaitError.
//
// The request reserves its tokens (per issue and per endpoint) and sleeps
// until they are due without holding a slot, so one slow endpoint cannot
// starve the others. It then takes a free slot and leaves on time. If no
// slot is free it waits for one and, holding it, reserves fresh tokens:
// leaving late on the old ones would let a queue of requests leave in a
// bunch when slots free up, which is exactly what the server counts.
func (t *throttle) admit(ctx context.Context, method, path, issueKey string) (admission, error) {
	start := t.clock.Now()
	key := endpointKey(method, path)
	write := isWriteMethod(method)
	issueWrite := issueKey != "" && method != http.MethodGet && method != http.MethodHead
	holding := false
	for {
		now := t.clock.Now()
		t.mu.Lock()
		e := t.endpoint(key, write, now)
		e.refresh(now)
		r := e.lim.ReserveN(now, 1)
		rs := []*rate.Reservation{r}
		d := r.DelayFrom(now)
		if issueWrite {
			il := t.issue(issueKey, now)
			short, long := il.short.ReserveN(now, 1), il.long.ReserveN(now, 1)
			rs = append(rs, short, long)
			d = max(d, short.DelayFrom(now), long.DelayFrom(now), il.pausedUntil.Sub(now))
		}
		t.mu.Unlock()
		if holding {
			if d <= 0 {
				break // fresh tokens are due now and we hold a slot: leave
			}
			<-t.slots // do not sit on a slot while the tokens come due
			holding = false
		}
		if err := t.sleep(ctx, method, path, d, rs...); err != nil {
			return admission{}, err
		}
		select {
		case t.slots <- struct{}{}:
			holding = true
		default:
		}
		if holding {
			break
		}
		// Every slot is taken: wait for one, then take fresh tokens (the
		// ones just slept for are spent, which only ever slows us down).
		select {
		case t.slots <- struct{}{}:
			holding = true
		case <-ctx.Done():
			return admission{}, ctx.Err()
		}
	}
	var once sync.Once
	release := func() { once.Do(func() { <-t.slots }) }
	waited := t.clock.Now().Sub(start)
	if waited > 0 {
		t.stats.throttleWaits.Add(1)
		t.stats.throttleWaitNanos.Add(int64(waited))
	}
	return admission{waited: waited, release: release}, nil
}

// sleep waits d for the given reservations, giving them back if the wait
// cannot finish.
func (t *throttle) sleep(ctx context.Context, method, path string, d time.Duration, rs ...*rate.Reservation) error {
	if d <= 0 {
		return nil
	}
	cancel := func() {
		for _, r := range rs {
			r.CancelAt(t.clock.Now())
		}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		cancel()
		return &throttleWaitError{wait: d}
	}
	if d >= noticeableWait && t.observer != nil {
		t.observer(Event{Kind: EventThrottled, Method: method, Path: path, Wait: d})
	}
	if err := t.clock.Sleep(ctx, d); err != nil {
		cancel()
		return err
	}
	return nil
}

// observe reads the rate-limit signals on an answer.
func (t *throttle) observe(resp *http.Response, method, path, issueKey string) {
	near := strings.EqualFold(resp.Header.Get("X-RateLimit-NearLimit"), "true")
	if resp.StatusCode != http.StatusTooManyRequests && !near {
		return
	}
	now := t.clock.Now()
	reason := rateLimitReason(resp.Header)
	t.mu.Lock()
	defer t.mu.Unlock()
	if resp.StatusCode == http.StatusTooManyRequests && reason == "jira-per-issue-on-write" && issueKey != "" {
		il := t.issue(issueKey, now)
		wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now)
		if !ok || wait < issuePauseDefault {
			wait = issuePauseDefault
		}
		if until := now.Add(wait); until.After(il.pausedUntil) {
			il.pausedUntil = until
		}
		return
	}
	e := t.endpoint(endpointKey(method, path), isWriteMethod(method), now)
	if resp.StatusCode == http.StatusTooManyRequests {
		e.cut(now, 0.5)
		return
	}
	e.refresh(now)
	if e.factor > nearLimitFactor {
		e.cut(now, nearLimitFactor/e.factor)
	}
}

// rateLimitReason reads RateLimit-Reason (or its X- form), lower-cased.
func rateLimitReason(h http.Header) string {
	r := h.Get("RateLimit-Reason")
	if r == "" {
		r = h.Get("X-RateLimit-Reason")
	}
	return strings.ToLower(strings.TrimSpace(r))
}

// endpointRate is the current rate of an endpoint (tests and stats).
func (t *throttle) endpointRate(method, path string) rate.Limit {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.endpoints[endpointKey(method, path)]
	if !ok {
		return 0
	}
	e.refresh(t.clock.Now())
	return e.lim.Limit()
}
