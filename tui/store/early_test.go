package store

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// TestEarlyStartsWorkAtOnce: a request made inside Early runs before its
// command is run; the command then hands over the answer once (counted
// out of Pending by Update) and answers nil if run again.
func TestEarlyStartsWorkAtOnce(t *testing.T) {
	s := New(Options{})
	started := make(chan struct{})
	cmd := s.Early(func() tea.Cmd {
		return s.Do("list", func(context.Context, *jiraclient.Client) (tea.Msg, error) {
			close(started)
			return "answer", nil
		})
	})
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the request made in Early did not start before its command ran")
	}
	if s.Pending() != 1 {
		t.Fatalf("Pending = %d before the answer is applied; want 1", s.Pending())
	}
	out, _, ok := s.Update(cmd())
	if !ok || len(out) != 1 || out[0] != "answer" {
		t.Fatalf("Update(answer) = %v, %v; want [answer]", out, ok)
	}
	if again := cmd(); again != nil {
		t.Fatalf("the command answered twice: %v", again)
	}
	if s.Pending() != 0 {
		t.Fatalf("Pending = %d after the answer; want 0", s.Pending())
	}
	if s.early {
		t.Fatal("still early after Early returned")
	}
}
