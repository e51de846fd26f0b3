package store

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// TestRowKeepsTheIssue: an entry's slim row gives back the issue it was
// made from, whatever fields it came with: a list row of the default
// columns (nothing kept aside), a row with a configured column's value and
// a full issue (kept aside whole). Its key and summary are slices of its
// haystack "KEY summary". Rows share their status, type, priority and
// assignee.
func TestRowKeepsTheIssue(t *testing.T) {
	updated := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	list := jiraclient.Issue{ID: "10001", Key: "ABC-1", Summary: "Crash on save", Updated: updated,
		Type:     jiraclient.IssueType{ID: "1", Name: "Bug"},
		Status:   jiraclient.Status{ID: "3", Name: "In Progress", Category: "indeterminate"},
		Priority: &jiraclient.Priority{ID: "2", Name: "High"},
		Assignee: &jiraclient.User{AccountID: "5b10", DisplayName: "Grace Hopper", Active: true}}
	column := list
	column.Key, column.Project = "ABC-2", "ABC"
	column.Values = map[string]jiraclient.FieldValue{"customfield_10016": {}}
	full := list
	full.Key, full.Description, full.CommentTotal = "ABC-3", "a long description", 1
	full.Comments = []jiraclient.Comment{{ID: "1", Body: "a comment", Created: updated}}
	full.Reporter = &jiraclient.User{AccountID: "5b11", DisplayName: "Ada Lovelace"}
	untitled := list
	untitled.Key, untitled.Summary = "ABC-4", ""

	var in Interner
	for _, c := range []struct {
		name  string
		is    jiraclient.Issue
		aside bool
	}{{"list row", list, false}, {"configured column", column, true}, {"full issue", full, true}, {"no summary", untitled, false}} {
		r := in.Row(c.is)
		if got := r.Issue(); !reflect.DeepEqual(got, c.is) {
			t.Errorf("%s: gave back\n%+v\nwant\n%+v", c.name, got, c.is)
		}
		if r.Hay() != c.is.Key+" "+c.is.Summary || unsafe.StringData(r.Key) != unsafe.StringData(r.Hay()) {
			t.Errorf("%s: haystack %q, key %q: want %q with the key its slice", c.name, r.Hay(), r.Key, c.is.Key+" "+c.is.Summary)
		}
		if (r.rest != nil) != c.aside {
			t.Errorf("%s: fields kept aside %v, want %v", c.name, r.rest != nil, c.aside)
		}
	}
	a, b := in.Row(list), in.Row(column)
	if a.Status != b.Status || a.Type != b.Type || a.Priority != b.Priority || a.Assignee != b.Assignee {
		t.Errorf("rows do not share their values: %p/%p %p/%p %p/%p %p/%p", a.Status, b.Status, a.Type, b.Type, a.Priority, b.Priority, a.Assignee, b.Assignee)
	}
}

// TestBigLoadGivesMemoryBack: a load of a thousand positions or more ends
// by handing the heap's free memory back to the system (once, after the
// result is written to the cache when there is one); a smaller load does
// not.
func TestBigLoadGivesMemoryBack(t *testing.T) {
	var calls, early atomic.Int32
	var db atomic.Pointer[cache.DB]
	old := freeOSMemory
	freeOSMemory = func() {
		calls.Add(1)
		if c := db.Load(); c != nil {
			if r, ok, _ := c.Result(context.Background(), allJQL); !ok || len(r.Keys) != 1_200 {
				early.Add(1) // before the result was written
			}
		}
	}
	t.Cleanup(func() { freeOSMemory = old })
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: 1_200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	for _, withCache := range []bool{false, true} {
		calls.Store(0)
		o := Options{Client: newClient(t, fakejira.FlavorCloud, url, fakejira.Token), ReleaseDelay: time.Millisecond}
		if withCache {
			o.Cache = openCache(t, cacheDir(t))
			db.Store(o.Cache)
		}
		s := New(o)
		h := newHarness(t, s)
		h.do(s.Load("list", 1, allJQL, 50))
		h.do(s.LoadTo("list", 1, allJQL, 500))
		if n := calls.Load(); n != 0 {
			t.Errorf("cache %v: %d releases after a load of 450", withCache, n)
		}
		h.do(s.Load("list", 2, allJQL, 50))
		h.do(s.LoadTo("list", 2, allJQL, MaxLoad))
		if keys, _, _, _, _ := s.Result(allJQL); len(keys) != 1_200 {
			t.Fatalf("cache %v: %d loaded, want 1200", withCache, len(keys))
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("cache %v: %d releases after a load of 1,150, want 1", withCache, n)
		}
		if n := early.Load(); n != 0 {
			t.Errorf("released before the result was written to the cache")
		}
	}
}

// TestQueryHandsOutItsRows: a page the store answers carries the store's
// own rows of its issues (for the list to hold instead of copies), each
// the issue shown; none for an issue a write is pending on (what shows is
// not Jira's row); and a row handed out is never written: a confirmed
// write replaces the entry's row, the old one stays as it was.
func TestQueryHandsOutItsRows(t *testing.T) {
	st := startSite(t, fakejira.FlavorCloud, 0)
	s := New(Options{Client: st.client})
	h := newHarness(t, s)
	const jql = "created >= -5000d ORDER BY key ASC"
	h.do(s.Load("list", 1, jql, 50))
	qs := queryMsgs(h.take())
	if len(qs) != 1 || len(qs[0].Page.Issues) == 0 || len(qs[0].Rows) != len(qs[0].Page.Issues) {
		t.Fatalf("answered %d pages, the first with %d rows for %d issues", len(qs), len(qs[0].Rows), len(qs[0].Page.Issues))
	}
	for i, r := range qs[0].Rows {
		is := qs[0].Page.Issues[i]
		if r == nil || r != s.issues[is.Key].base || !reflect.DeepEqual(r.Issue(), is) {
			t.Fatalf("row %d of %s is not the store's row of the issue shown: %+v", i, is.Key, r)
		}
	}
	k, old := qs[0].Page.Issues[0].Key, qs[0].Rows[0]
	was := old.Issue()
	s.Patch("t1", k, func(is jiraclient.Issue) jiraclient.Issue { is.Summary = "patched"; return is })
	h.do(s.Load("list", 2, jql, 50))
	qs = queryMsgs(h.take())
	if len(qs) != 1 || qs[0].Rows[0] != nil || qs[0].Page.Issues[0].Summary != "patched" || qs[0].Rows[1] == nil {
		t.Fatalf("with a write pending on %s: row %+v, issue %q", k, qs[0].Rows[0], qs[0].Page.Issues[0].Summary)
	}
	_, cmd := s.Confirm("t1", k, nil)
	h.do(cmd)
	if s.issues[k].base == old || s.issues[k].base.Summary() != "patched" {
		t.Fatalf("the confirmed write did not replace the row: %+v", s.issues[k].base)
	}
	if !reflect.DeepEqual(old.Issue(), was) {
		t.Fatalf("a row handed out was written through:\n%+v\nwas\n%+v", old.Issue(), was)
	}
}

// TestReleaseWaitsForOtherWork: the memory a big load leaves goes back once
// the store is quiet: not while a request is out (its answer is more
// garbage), and once after it is answered.
func TestReleaseWaitsForOtherWork(t *testing.T) {
	var calls atomic.Int32
	old := freeOSMemory
	freeOSMemory = func() { calls.Add(1) }
	t.Cleanup(func() { freeOSMemory = old })
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: 1_200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s := New(Options{Client: newClient(t, fakejira.FlavorCloud, url, fakejira.Token), ReleaseDelay: time.Millisecond})
	h := newHarness(t, s)
	h.do(s.Load("list", 1, allJQL, 50))
	key := s.queries[allJQL].keys[7]
	// The issue's fetch is answered but its answer held back, so the
	// request is still out when the load ends.
	waits := 0
	h.hold = func(m tea.Msg) bool {
		switch m.(type) {
		case doneMsg:
			return len(s.loads) == 0 // the fetch's answer, once the load is over
		case releaseDueMsg:
			waits++
		}
		return false
	}
	h.spawn(s.LoadTo("list", 1, allJQL, MaxLoad))
	h.until("the load to end", func() bool { return len(s.loads) == 0 })
	h.spawn(s.Fetch(key))
	h.until("the fetch's answer held and the release to wait on it 3 times", func() bool { return len(h.held) == 1 && waits >= 3 })
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d releases while a request was out", n)
	}
	h.release()
	h.settle()
	if n := calls.Load(); n != 1 {
		t.Errorf("%d releases once the store was quiet, want 1", n)
	}
	if _, ok := s.Issue(key); !ok || s.Full(key) == nil {
		t.Errorf("the fetched issue %s is not in the store", key)
	}
}

// TestLoadsEndingTogetherReleaseOnce: two big loads ending while a release
// waits give the memory back once, after both.
func TestLoadsEndingTogetherReleaseOnce(t *testing.T) {
	var calls atomic.Int32
	old := freeOSMemory
	freeOSMemory = func() { calls.Add(1) }
	t.Cleanup(func() { freeOSMemory = old })
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: 1_200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s := New(Options{Client: newClient(t, fakejira.FlavorCloud, url, fakejira.Token), ReleaseDelay: time.Millisecond})
	h := newHarness(t, s)
	const byKeyDesc = "created >= -5000d ORDER BY key DESC"
	h.do(tea.Batch(s.Load("list", 1, allJQL, 50), s.Load("board", 1, byKeyDesc, 50)))
	h.do(tea.Batch(s.LoadTo("list", 1, allJQL, MaxLoad), s.LoadTo("board", 1, byKeyDesc, MaxLoad)))
	for _, jql := range []string{allJQL, byKeyDesc} {
		if keys, _, _, _, _ := s.Result(jql); len(keys) != 1_200 {
			t.Fatalf("%s: %d loaded, want 1200", jql, len(keys))
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d releases after two loads that ended together, want 1", n)
	}
}

// TestListRowAllocatesOnlyItsHaystack: a list row of the default columns
// costs one allocation, its haystack; the issue's other fields go on the
// heap only when there are some (a load of 10,000 rows made 5.8 MB of
// garbage when each row put its empty remainder there).
func TestListRowAllocatesOnlyItsHaystack(t *testing.T) {
	var in Interner
	is := jiraclient.Issue{Key: "ABC-1", ID: "1001", Summary: "Crash when saving", Updated: time.Now(),
		Status: jiraclient.Status{ID: "1", Name: "To Do", Category: "new"}, Type: jiraclient.IssueType{ID: "3", Name: "Task"}}
	_ = in.Row(is) // the shared status and type, interned once
	if n := testing.AllocsPerRun(100, func() { _ = in.Row(is) }); n > 1 {
		t.Errorf("%v allocations per list row, want 1", n)
	}
	with := is
	with.Labels = []string{"ops"}
	if r := in.Row(with); r.Issue().Labels == nil {
		t.Errorf("a row with other fields lost them: %+v", r.Issue())
	}
}
