package cache

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// TestBackgroundOpenReturnsAtOnce: with Options.Background, Open returns
// without touching the file, which is opened from Begin on; a read asked
// while the opening is held (the test holds it through openHook, so the
// order is certain, not timed) waits for it and then answers from the
// file; a cancelled ctx given to Open does not cancel the opening; a DB
// closed before Begin never opens the file.
func TestBackgroundOpenReturnsAtOnce(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	unused := Open(ctx, Options{Dir: filepath.Join(dir, "unused"), Profile: "work", Background: true})
	if _, err := os.Stat(unused.Path()); !os.IsNotExist(err) {
		t.Fatalf("the file exists before Begin (%v)", err)
	}
	if err := unused.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(unused.Path()); !os.IsNotExist(err) {
		t.Fatalf("Close before Begin made the file (%v)", err)
	}

	// A result written by an earlier run.
	first := Open(ctx, Options{Dir: dir, Profile: "work"})
	is := []jiraclient.Issue{issue("KP-1", "one", 0)}
	if err := first.PutResult(ctx, Result{JQL: "project = KP", Keys: []string{"KP-1"}, Total: 1, Fetched: base}, List, is); err != nil {
		t.Fatal(err)
	}
	first.Close()

	hold, entered := make(chan struct{}), make(chan struct{})
	openHook = func() { close(entered); <-hold }
	t.Cleanup(func() { openHook = nil })

	cctx, cancel := context.WithCancel(ctx)
	db := Open(cctx, Options{Dir: dir, Profile: "work", Background: true})
	cancel() // as main does when Open returns
	db.Begin()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("no opening in the background")
	}
	if db.Bypassed() {
		t.Fatal("Bypassed while opening: want false until the opening is over")
	}
	if db.Path() != filepath.Join(dir, "work.db") {
		t.Fatalf("Path = %q", db.Path())
	}
	type answer struct {
		r   Result
		ok  bool
		err error
	}
	got := make(chan answer, 1)
	go func() {
		r, ok, err := db.Result(ctx, "project = KP")
		got <- answer{r, ok, err}
	}()
	select {
	case a := <-got:
		t.Fatalf("Result answered while the opening was held: %+v", a)
	default:
	}
	close(hold)
	a := <-got
	if a.err != nil || !a.ok || len(a.r.Keys) != 1 || a.r.Keys[0] != "KP-1" {
		t.Fatalf("Result after the opening = %+v, %v, %v; want the stored KP-1", a.r, a.ok, a.err)
	}
	if err := db.Note(); err != nil {
		t.Fatalf("Note = %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBackgroundOpenFailureIsANote: an opening in the background that
// fails bypasses the cache as Open does, and Note (which waits) says why.
func TestBackgroundOpenFailureIsANote(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := Open(context.Background(), Options{Dir: file, Profile: "work", Background: true}) // a file where the folder should be
	if err := db.Note(); err == nil {
		t.Fatal("Note = nil; want the failure to create the folder")
	}
	if !db.Bypassed() {
		t.Fatal("not bypassed after a failed opening")
	}
	if err := db.PutResult(context.Background(), Result{JQL: "x", Keys: []string{"A-1"}}, List, []jiraclient.Issue{issue("A-1", "one", 0)}); err != nil {
		t.Fatalf("a write on a bypassed cache: %v", err)
	}
	db.Close()
}
