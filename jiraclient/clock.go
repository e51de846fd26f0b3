package jiraclient

import (
	"context"
	"time"
)

// Clock is the client's source of time. The throttle, the retry backoff and
// Retry-After dates read it, so tests can run minutes of pacing in
// microseconds with a fake one (see withClock). The real clock is used
// everywhere else.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx is done, in which case it returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
