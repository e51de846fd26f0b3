package store

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// TestCancelReachesNestedOwners: an overlay's owner cancels its own
// requests and those of its parts ("o/users"), and nobody else's; the
// cancelled ones are never answered.
func TestCancelReachesNestedOwners(t *testing.T) {
	s := New(Options{})
	block := func(name string) Func {
		return func(ctx context.Context, _ *jiraclient.Client) (tea.Msg, error) {
			select {
			case <-ctx.Done():
				return name, ctx.Err()
			case <-time.After(5 * time.Second): // not cancelled: a failure, not a hang
				return name, nil
			}
		}
	}
	cmds := []tea.Cmd{s.Do("o", block("own")), s.Do("o/users", block("part")), s.Do("other", block("other")), s.Do("o2", block("sibling"))}
	s.Cancel("o")
	for i, c := range cmds[:2] {
		out, _, ok := s.Update(c())
		if !ok || len(out) != 0 {
			t.Fatalf("request %d: cancelled, yet answered %v", i, out)
		}
	}
	if p := s.Pending(); p != 2 {
		t.Fatalf("pending %d, want the two others", p)
	}
	s.Cancel("other")
	s.Cancel("o2")
	for _, c := range cmds[2:] {
		s.Update(c())
	}
	if p := s.Pending(); p != 0 {
		t.Fatalf("pending %d", p)
	}
}

// TestAgainOutlivesTheDeadlineNotTheCancel: the read-back after a write
// whose deadline is spent gets a deadline of its own, and is still
// cancelled with the write's owner.
func TestAgainOutlivesTheDeadlineNotTheCancel(t *testing.T) {
	ctx, cancel := newContext()
	short, done := context.WithTimeout(ctx, time.Nanosecond)
	defer done()
	<-short.Done()
	again, stop := Again(short)
	defer stop()
	if again.Err() != nil {
		t.Fatalf("the second request starts spent: %v", again.Err())
	}
	if dl, ok := again.Deadline(); !ok || time.Until(dl) < RequestTimeout/2 {
		t.Fatalf("deadline %v", dl)
	}
	cancel()
	<-again.Done()
	if !errors.Is(again.Err(), context.Canceled) {
		t.Fatalf("after the owner's cancel: %v", again.Err())
	}
}

// TestTransferHasNoDeadlineButTheCancel: a transfer's context outlives
// RequestTimeout's bound but not its owner's cancel.
func TestTransferHasNoDeadlineButTheCancel(t *testing.T) {
	ctx, cancel := newContext()
	tr, stop := Transfer(ctx)
	defer stop()
	if _, ok := tr.Deadline(); ok {
		t.Fatal("a transfer has a deadline")
	}
	cancel()
	<-tr.Done()
	if !errors.Is(tr.Err(), context.Canceled) {
		t.Fatalf("after the owner's cancel: %v", tr.Err())
	}
}

// TestIDsAreOneSource: views and stores draw from one counter.
func TestIDsAreOneSource(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	x, y, z := a.NextID(), NextID(), b.NextID()
	if !(x < y && y < z) {
		t.Fatalf("ids %d %d %d", x, y, z)
	}
}
