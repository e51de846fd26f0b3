package jiraclient

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestTransferHasNoCallDeadline: a transfer is bounded by its idle timer,
// not by the per-call deadline a large file on a slow link would overrun;
// every other call keeps the deadline.
func TestTransferHasNoCallDeadline(t *testing.T) {
	var sawDeadline []bool
	dt := &deadlineTransport{timeout: time.Hour, next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		_, ok := r.Context().Deadline()
		sawDeadline = append(sawDeadline, ok)
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})}
	for _, transfer := range []bool{false, true} {
		req, _ := http.NewRequestWithContext(withMeta(context.Background(), &callMeta{path: "/x", transfer: transfer}), "GET", "https://jira.example.com/x", nil)
		resp, err := dt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if len(sawDeadline) != 2 || !sawDeadline[0] || sawDeadline[1] {
		t.Errorf("deadline seen by (call, transfer): %v, want [true false]", sawDeadline)
	}
}

// TestIdleTimerCancels: with no progress the transfer's context ends;
// progress keeps it alive until it stops.
func TestIdleTimerCancels(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	it := newIdleTimer(20*time.Millisecond, cancel)
	defer it.stop()
	<-ctx.Done() // waits on the fact: the timer fired
	if !it.expired.Load() {
		t.Error("the context ended without the timer expiring")
	}
	it.kick() // after expiry a kick must not revive it
	if !it.expired.Load() {
		t.Error("a kick after expiry revived the timer")
	}
}
