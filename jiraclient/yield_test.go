package jiraclient

import (
	"context"
	"errors"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestYieldRetriesOnceAfterTheMainCall: a side call under 429 is tried
// twice at most (the policy allows four retries), its retry waits for the
// main call to finish, and a side call that is not refused is sent once.
func TestYieldRetriesOnceAfterTheMainCall(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			retrying := make(chan Event, 8)
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred, withClock(newFakeClock()),
				WithRetry(DefaultRetryPolicy()), WithObserver(func(e Event) {
					if e.Kind == EventRetrying {
						retrying <- e
					}
				}))
			s.SetFaults(fakejira.Faults{Rate429: 1})
			main := make(chan struct{})
			errc := make(chan error, 1)
			go func() {
				_, err := c.FavouriteFilters(Yield(context.Background(), main))
				errc <- err
			}()
			e := <-retrying
			if e.MaxRetries != 1 {
				t.Errorf("side call retries up to %d times, want 1", e.MaxRetries)
			}
			// The retry waits for main: the server saw the first try only.
			// (The event comes before the wait; the check after close(main)
			// below would count a retry sent without waiting as a third.)
			if n := len(s.Requests()); n != 1 {
				t.Fatalf("%d requests before the main call finished, want 1", n)
			}
			s.SetFaults(fakejira.Faults{})
			if _, err := c.Myself(context.Background()); err != nil { // the main call, answered
				t.Fatal(err)
			}
			close(main)
			if err := <-errc; err != nil {
				t.Fatalf("side call after the main one: %v", err)
			}
			reqs := s.Requests()
			if len(reqs) != 3 || reqs[1].Path != "/rest/api/"+fl.f.APIVersion()+"/myself" {
				t.Fatalf("requests %v, want the filters, myself, then the filters again", reqs)
			}

			// Refused throughout: two tries, then the 429 is the answer.
			s.ResetRequests()
			s.SetFaults(fakejira.Faults{Rate429: 1})
			done := make(chan struct{})
			close(done)
			_, err := c.FavouriteFilters(Yield(context.Background(), done))
			var je *Error
			if !errors.As(err, &je) || je.Kind != KindRateLimited {
				t.Fatalf("err %v, want rate limited", err)
			}
			if n := len(s.Requests()); n != 2 {
				t.Fatalf("%d tries under 429, want 2", n)
			}

			<-retrying // its one retry

			// A cancelled side call stops waiting.
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-retrying; cancel() }()
			_, err = c.FavouriteFilters(Yield(ctx, make(chan struct{})))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want context.Canceled", err)
			}
		})
	}
}
