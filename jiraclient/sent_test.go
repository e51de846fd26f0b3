package jiraclient

import (
	"context"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestSentRunsWhenTheRequestIsWritten: a call made with Sent's context runs
// f once its request is on the wire, while Jira has not answered yet (the
// fake answers 2 s late), in both flavours.
func TestSentRunsWhenTheRequestIsWritten(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			s.SetFaults(fakejira.Faults{Latency: 2 * time.Second})
			sent := make(chan struct{}, 4)
			done := make(chan error, 1)
			go func() {
				_, err := c.Search(Sent(context.Background(), func() { sent <- struct{}{} }), SearchQuery{JQL: "project = JIF ORDER BY key", PageSize: 5}, Cursor{})
				done <- err
			}()
			select {
			case <-sent:
			case err := <-done:
				t.Fatalf("the call returned (%v) before f ran", err)
			case <-time.After(10 * time.Second):
				t.Fatal("f did not run")
			}
			select {
			case err := <-done:
				t.Fatalf("the call had returned (%v) when f ran: want f before the answer", err)
			default:
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if n := len(sent); n != 0 {
				t.Fatalf("f ran %d more times for one request", n)
			}
		})
	}
}
