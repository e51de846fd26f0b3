package store

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// runAll runs cmd and every command it batches, collecting the messages
// (tea.Batch's nested commands included), without handing any to a store.
func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runAll(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// TestAnswersOfADetachedStoreReachNoView: a profile switch leaves store A
// for store B. A's answers that come after (one that finished before the
// switch, one cancelled by it) go to A, never to B or B's views, even when
// B has a request in flight with the same id and for the same issue key.
func TestAnswersOfADetachedStoreReachNoView(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			siteA, siteB := startSite(t, flavor, 0), startSite(t, flavor, 0)
			page, err := siteA.client.Search(context.Background(), SearchQuery("created >= -5000d ORDER BY key ASC", 1), jiraclient.Cursor{})
			if err != nil || len(page.Issues) == 0 {
				t.Fatalf("search: %v", err)
			}
			key := page.Issues[0].Key // the same seed: B has an issue of that key too
			sum := "profile A's summary"
			if err := siteA.client.EditIssue(context.Background(), key, jiraclient.IssueEdit{Summary: &sum}); err != nil {
				t.Fatal(err)
			}
			a := New(Options{Client: siteA.client})
			b := New(Options{Client: siteB.client})
			t.Cleanup(func() { _ = a.Close(); _ = b.Close() })

			// A asks for the issue; Jira answers before the switch, but
			// the answer has not reached Update yet.
			finished := runAll(a.Open(key))
			// A second request of A, still running when the switch comes.
			started, release := make(chan struct{}), make(chan struct{})
			slow := a.Do("list", func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
				close(started)
				<-release
				_, err := c.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
				return failMsg{err}, err
			})
			slowDone := make(chan tea.Msg, 1)
			go func() { slowDone <- slow() }()
			<-started

			// The switch: A is left, B starts; B asks for the same key, so
			// its first request has the same id as A's first.
			a.Detach()
			bOpen := b.Open(key)
			if b.Pending() != 1 {
				t.Fatalf("B pending %d", b.Pending())
			}
			close(release)
			late := append(finished, <-slowDone)
			for _, msg := range late {
				out, cmd, handled := b.Update(msg)
				if !handled {
					t.Fatalf("%T not recognised as a store's answer", msg)
				}
				if len(out) != 0 {
					t.Fatalf("A's answer %T reached B's views: %#v", msg, out)
				}
				runAll(cmd)
			}
			if b.Pending() != 1 {
				t.Fatalf("A's answers changed B's outstanding work: %d", b.Pending())
			}
			if is := b.Full(key); is != nil {
				t.Fatalf("A's issue landed in B's store: %q", is.Summary)
			}
			if a.Pending() != 0 {
				t.Fatalf("A still counts %d outstanding", a.Pending())
			}
			// B's own answer is still B's, with B's text.
			var got []tea.Msg
			for _, msg := range runAll(bOpen) {
				out, _, _ := b.Update(msg)
				got = append(got, out...)
			}
			if len(got) == 0 {
				t.Fatal("B's own answer reached no view")
			}
			if is := b.Full(key); is == nil || is.Summary == sum {
				t.Fatalf("B's issue: %+v", is)
			}
		})
	}
}
