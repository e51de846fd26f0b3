package jiraclient

// Design note: at start jiffy sends its search beside a few side requests
// (the approximate count, the favourite filters, who the user is) so the
// first screen costs one round trip. When Jira answers 429 or 503 it asks
// for less, and the search is the request the user waits for; the side
// requests then give way: each waits until the search has finished (and its
// own backoff has passed), and is retried at most once. A per-call option
// in the context rather than a second client: the throttle, the retry
// counters and the connection pool stay shared, so the side requests still
// count against the same limits.

import (
	"context"
	"time"
)

// yieldTo is what Yield stores in a call's context.
type yieldTo struct {
	done <-chan struct{}
}

type yieldKey struct{}

// Yield returns a context whose calls give way to another call (the main
// one): after a 429 or 503, such a call waits until done is closed (the main
// call finished, whatever its outcome) and its own backoff has passed, and
// is retried at most once. Without a 429 or 503 it goes out at once, beside
// the main call. A nil done only limits the retries.
func Yield(ctx context.Context, done <-chan struct{}) context.Context {
	return context.WithValue(ctx, yieldKey{}, &yieldTo{done: done})
}

func yieldOf(ctx context.Context) *yieldTo {
	y, _ := ctx.Value(yieldKey{}).(*yieldTo)
	return y
}

// wait blocks until the main call is done and d has passed since start, or
// ctx is done.
func (y *yieldTo) wait(ctx context.Context, clock Clock, start time.Time, d time.Duration) error {
	if y.done != nil {
		select {
		case <-y.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if rest := d - clock.Now().Sub(start); rest > 0 {
		return clock.Sleep(ctx, rest)
	}
	return nil
}
