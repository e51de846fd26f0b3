package jiraclient

// Design note: retries follow Atlassian's published algorithm (JIRA_API.md
// 5.3) with these choices:
//
//   - What is retried: 429 and 503 for every method (Jira did not act on the
//     request), and a connection reset or EOF before an answer only when the
//     request is idempotent or never reached the server. A POST that created
//     an issue, a comment or a transition and then lost its connection is
//     not sent again: it would do the work twice.
//   - How long: Retry-After (seconds or an HTTP date) when Jira sends one,
//     stretched by a random factor in [1, 1.3] so clients that were refused
//     together do not return together, and never shortened (Jira answers an
//     early retry with the same or a longer wait). Without it: exponential
//     backoff from RetryPolicy.Initial, doubling, times a jitter in
//     [0.7, 1.3], capped at Max (30 s). Retry-After: 0, which Data Center
//     9.12 sends on 429, counts as absent, so it still waits the backoff.
//   - Initial is 1 s where Atlassian's sample starts at 5 s: jiffy is
//     interactive, Cloud's burst buckets refill within a second, and Jira
//     says so with Retry-After when it wants longer. Four retries then take
//     1+2+4+8 = 15 s (at most 19.5 s with jitter), inside the 30 s deadline.
//   - Never sleep past the deadline: if the wait would end after it, or
//     exceeds Max, give up at once and report the wait as RetryAfter.

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// RetryPolicy says how often and how long to retry (see DefaultRetryPolicy).
type RetryPolicy struct {
	// MaxRetries is how many times a call is repeated after the first
	// attempt; 0 turns retries off.
	MaxRetries int
	// Initial is the first backoff when Jira gives no Retry-After; each
	// retry doubles it.
	Initial time.Duration
	// Max caps one wait. A Retry-After longer than Max is not waited out:
	// the call fails with RetryAfter set so the user decides.
	Max time.Duration
}

// DefaultRetryPolicy is 4 retries, 1 s initial backoff, 30 s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 4, Initial: time.Second, Max: 30 * time.Second}
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxRetries < 0 || p.MaxRetries > 10:
		return optionError("WithRetry: MaxRetries must be 0 to 10, got %d", p.MaxRetries)
	case p.MaxRetries > 0 && p.Initial < time.Millisecond:
		return optionError("WithRetry: Initial must be at least 1ms, got %v", p.Initial)
	case p.MaxRetries > 0 && p.Max < p.Initial:
		return optionError("WithRetry: Max (%v) must not be less than Initial (%v)", p.Max, p.Initial)
	}
	return nil
}

// backoff is the wait before retry number n (0-based) without Retry-After:
// min(Initial*2^n, Max) times a jitter in [0.7, 1.3], capped at Max. The
// base is capped before the jitter so waits at the cap still spread out.
func (p RetryPolicy) backoff(n int, u float64) time.Duration {
	d := p.Initial
	for i := 0; i < n && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	d = time.Duration(float64(d) * (0.7 + 0.6*u))
	return min(d, p.Max)
}

// maxRetryAfter caps a Retry-After: a longer wait is read as this long (and
// reported as "a day or more"), never as an unreadable header.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads Retry-After as seconds or as an HTTP date relative
// to now, capped at maxRetryAfter. ok is false when the header is absent or
// unreadable, or negative (a wait cannot be), so the caller falls back to its
// own backoff; a date in the past reads as 0.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) {
			return 0, false
		}
		if secs >= maxRetryAfter.Seconds() {
			return maxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		return min(max(d, 0), maxRetryAfter), true
	}
	return 0, false
}

// isIdempotent reports whether repeating r cannot do its work twice.
func isIdempotent(method string, declared bool) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return declared
}

// isConnectionDrop is a reset or EOF: the server (or something between)
// closed the connection before answering.
func isConnectionDrop(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "server closed idle connection")
}

// retryTransport repeats attempts per the policy. Each attempt runs the
// rest of the chain (throttle, auth, log, base).
type retryTransport struct {
	next     http.RoundTripper
	policy   RetryPolicy
	clock    Clock
	jitter   func() float64
	observer func(Event)
	stats    *counters
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	meta := metaOf(req)
	idem := isIdempotent(req.Method, meta.idempotent)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	maxRetries := t.policy.MaxRetries
	if !replayable {
		maxRetries = 0
	}
	ctx := req.Context()
	y := yieldOf(ctx)
	if y != nil {
		maxRetries = min(maxRetries, 1)
	}
	for n := 0; ; n++ {
		attempt := &attemptInfo{n: n + 1, max: maxRetries + 1}
		var wrote atomic.Bool
		actx := withAttempt(ctx, attempt)
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
		})
		areq := req.WithContext(actx)
		if n > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			areq.Body = body
		}
		resp, err := t.next.RoundTrip(areq)
		if wrote.Load() {
			meta.written.Store(true)
		}

		var wait time.Duration
		var status int
		var reason string
		switch {
		case err != nil:
			if ctx.Err() != nil || !isConnectionDrop(err) || (!idem && wrote.Load()) {
				return nil, err
			}
			wait = t.policy.backoff(n, t.rand())
			reason = "connection dropped"
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			status = resp.StatusCode
			if status == http.StatusTooManyRequests {
				t.stats.rateLimited.Add(1)
				reason = "rate limited"
				if r := rateLimitReason(resp.Header); r != "" {
					reason += " (" + r + ")"
				}
			} else {
				reason = "service unavailable"
			}
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), t.clock.Now()); ok && ra > 0 {
				wait = time.Duration(float64(ra) * (1 + 0.3*t.rand()))
				if ra > t.policy.Max {
					meta.giveUpWait = ra
					return resp, nil
				}
			} else {
				wait = t.policy.backoff(n, t.rand())
			}
		default:
			if n > 0 && t.observer != nil {
				t.observer(Event{Kind: EventRecovered, Method: req.Method, Path: meta.path, Attempt: n, MaxRetries: maxRetries, Status: resp.StatusCode})
			}
			return resp, nil
		}

		giveUp := n >= maxRetries
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			giveUp = true
		}
		if giveUp {
			if err != nil {
				return nil, err
			}
			meta.giveUpWait = wait
			return resp, nil
		}
		if resp != nil {
			drainClose(resp.Body)
		}
		t.stats.retries.Add(1)
		if t.observer != nil {
			t.observer(Event{Kind: EventRetrying, Method: req.Method, Path: meta.path, Wait: wait, Attempt: n + 1, MaxRetries: maxRetries, Status: status, Reason: reason})
		}
		if y != nil {
			if err := y.wait(ctx, t.clock, t.clock.Now(), wait); err != nil {
				return nil, err
			}
			continue
		}
		if err := t.clock.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (t *retryTransport) rand() float64 {
	if t.jitter != nil {
		return t.jitter()
	}
	return rand.Float64()
}

// drainClose reads a little of a discarded body so the connection can be
// reused, then closes it.
func drainClose(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 64<<10))
	_ = b.Close()
}

// attemptInfo is per-attempt state the inner layers fill in and the debug
// log reads.
type attemptInfo struct {
	n, max       int
	throttleWait time.Duration
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attemptInfo) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

func attemptOf(ctx context.Context) *attemptInfo {
	a, _ := ctx.Value(attemptKey{}).(*attemptInfo)
	return a
}
