package store

import (
	"context"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
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

// TestEarlyOpensTheCacheAfterTheFirstRequest: in Early, the persistent
// cache (opened in the background) begins opening only once the first
// request is on the wire; cache reads made in Early wait for it. Here the
// first request holds before sending, and the file stays untouched until
// it is released; then the cache opens and every answer arrives.
func TestEarlyOpensTheCacheAfterTheFirstRequest(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	dir := t.TempDir()
	db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "test", Background: true})
	s := New(Options{Client: st.client, Cache: db})
	h := newHarness(t, s)
	release := make(chan struct{})
	cmd := s.Early(func() tea.Cmd {
		first := s.Do("first", func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
			<-release
			_, err := c.Myself(ctx)
			return "first", err
		})
		return tea.Batch(first, s.Load("list", 1, "created >= -5000d ORDER BY key ASC", 50), s.Find("find", "anything"))
	})
	if _, err := os.Stat(db.Path()); !os.IsNotExist(err) {
		t.Fatalf("the cache file exists before the first request was sent (%v)", err)
	}
	close(release)
	if err := db.Note(); err != nil { // waits for the opening, which the send began
		t.Fatal(err)
	}
	if _, err := os.Stat(db.Path()); err != nil {
		t.Fatalf("no cache file after the first request: %v", err)
	}
	h.do(cmd)
	if s.Pending() != 0 {
		t.Fatalf("Pending = %d", s.Pending())
	}
}
