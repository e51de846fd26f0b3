package cache

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

var ctx = context.Background()

func TestFilesArePrivateAndWAL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	dir := filepath.Join(t.TempDir(), "jiffy")
	old := umask(0o022)
	defer umask(old)
	db := openTest(t, Options{Dir: dir, Profile: "work"})
	if err := db.PutIssues(ctx, List, base, issue("ABC-1", "one", 0)); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.conn().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var vacuum int
	if err := db.conn().QueryRow(`PRAGMA auto_vacuum`).Scan(&vacuum); err != nil || vacuum != 2 {
		t.Fatalf("auto_vacuum = %d, %v; want 2 (incremental)", vacuum, err)
	}
	var timeout int
	if err := db.conn().QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil || timeout != int(DefaultBusyTimeout.Milliseconds()) {
		t.Fatalf("busy_timeout = %d, %v", timeout, err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	for _, name := range []string{"work.db", "work.db-wal", "work.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v; want 0600", name, fi.Mode().Perm())
		}
	}
}

func TestLooseModeTightenedOnOpen(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir})
	db.Close()
	p := filepath.Join(dir, "work.db")
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	openTest(t, Options{Dir: dir})
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after Open; want 0600", fi.Mode().Perm())
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"work":       "work.db",
		"":           "default.db",
		"my-site_2":  "my-site_2.db",
		"a.b":        "a.b.db",
		".hidden":    "%2Ehidden.db",
		"../../etc":  "%2E.%2F..%2Fetc.db",
		"acme corp":  "acme%20corp.db",
		"naïve":      "na%C3%AFve.db",
		`c:\x`:       "c%3A%5Cx.db",
		"x%2Ey":      "x%252Ey.db",
		"Work":       "Work.db",
		"work/other": "work%2Fother.db",
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestIssueRoundTrip(t *testing.T) {
	db := openTest(t, Options{})
	in := gen(1, Detail)
	in.Parent = &jiraclient.IssueRef{Key: "GEN-1", Summary: "parent", Status: jiraclient.Status{Name: "Done"}}
	in.Links = []jiraclient.IssueLink{{ID: "9", Relation: "blocks", Issue: jiraclient.IssueRef{Key: "GEN-3"}}}
	in.Names = map[string]string{"customfield_10020": "Sprint"}
	in.Sprint = "Sprint 4"
	in.Transitions = []jiraclient.Transition{{ID: "31", Name: "Done"}}
	fetched := base.Add(time.Hour)
	if err := db.PutIssues(ctx, Detail, fetched, in); err != nil {
		t.Fatal(err)
	}
	r, ok, err := db.Issue(ctx, in.Key)
	if err != nil || !ok {
		t.Fatalf("Issue: ok=%v err=%v", ok, err)
	}
	want := in
	want.Transitions = nil
	if a, b := jsonOf(t, r.Issue), jsonOf(t, want); a != b {
		t.Fatalf("read back\n%s\nwant\n%s", a, b)
	}
	if r.Depth != Detail || !r.Fetched.Equal(fetched) || !r.SeenUpdated.IsZero() {
		t.Fatalf("record %+v", r)
	}
	// A list row: all but the heavy fields.
	rows, err := db.Rows(ctx, []string{in.Key})
	if err != nil || len(rows) != 1 {
		t.Fatalf("Rows: %v %v", rows, err)
	}
	head := want
	head.Description, head.Comments, head.Links, head.Subtasks, head.Attachments, head.Names = "", nil, nil, nil, nil, nil
	if a, b := jsonOf(t, rows[0].Issue), jsonOf(t, head); a != b {
		t.Fatalf("row\n%s\nwant\n%s", a, b)
	}
	if rows[0].Depth != Detail {
		t.Fatalf("row depth %v", rows[0].Depth)
	}
	if _, ok, err := db.Issue(ctx, "NOPE-1"); ok || err != nil {
		t.Fatalf("miss: ok=%v err=%v", ok, err)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIssuesKeepAskedOrder(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.PutIssues(ctx, List, base, genMany(5, List)...); err != nil {
		t.Fatal(err)
	}
	rs, err := db.Issues(ctx, []string{"GEN-4", "GEN-9", "GEN-1", "GEN-4", "GEN-2"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Issue.Key)
	}
	if jsonOf(t, got) != `["GEN-4","GEN-1","GEN-2"]` {
		t.Fatalf("got %v", got)
	}
}

func TestPutNeverGoesBackwards(t *testing.T) {
	db := openTest(t, Options{})
	full := issue("ABC-1", "full", time.Hour)
	full.Description = "the long story"
	mustPut(t, db, Detail, full)

	// A list answer with the same updated keeps the detail.
	list := issue("ABC-1", "full", time.Hour)
	if err := db.PutIssues(ctx, List, base.Add(2*time.Hour), list); err != nil {
		t.Fatal(err)
	}
	r := mustGet(t, db, "ABC-1")
	if r.Depth != Detail || r.Issue.Description != "the long story" || !r.Fetched.Equal(base.Add(2*time.Hour)) {
		t.Fatalf("list over detail at same updated: %+v", r)
	}
	// An older answer arriving late is ignored, even at Detail depth.
	old := issue("ABC-1", "stale", 0)
	mustPut(t, db, Detail, old)
	if r := mustGet(t, db, "ABC-1"); r.Issue.Summary != "full" {
		t.Fatalf("older answer replaced newer: %q", r.Issue.Summary)
	}
	// A newer list answer replaces it, and the depth says what is known.
	newer := issue("ABC-1", "renamed", 2*time.Hour)
	mustPut(t, db, List, newer)
	if r := mustGet(t, db, "ABC-1"); r.Issue.Summary != "renamed" || r.Depth != List || r.Issue.Description != "" {
		t.Fatalf("newer list answer: %+v", r)
	}
	// The index follows: the old description no longer matches.
	if hits, _ := db.Search(ctx, "story", 0); len(hits) != 0 {
		t.Fatalf("stale text still indexed: %v", hits)
	}
	if hits, _ := db.Search(ctx, "renamed", 0); len(hits) != 1 {
		t.Fatalf("new text not indexed: %v", hits)
	}
}

func mustPut(t testing.TB, db *DB, d Depth, is ...jiraclient.Issue) {
	t.Helper()
	if err := db.PutIssues(ctx, d, base, is...); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t testing.TB, db *DB, key string) Record {
	t.Helper()
	r, ok, err := db.Issue(ctx, key)
	if err != nil || !ok {
		t.Fatalf("Issue(%s): ok=%v err=%v", key, ok, err)
	}
	return r
}

func TestResultRoundTrip(t *testing.T) {
	db := openTest(t, Options{})
	is := genMany(3, List)
	fetched := base.Add(5 * time.Minute)
	r := Result{JQL: "project = GEN ORDER BY rank", Keys: []string{"GEN-3", "GEN-1", "GEN-2"}, Total: 3, Fetched: fetched}
	if err := db.PutResult(ctx, r, List, is); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.Result(ctx, r.JQL)
	if err != nil || !ok {
		t.Fatalf("Result: ok=%v err=%v", ok, err)
	}
	if jsonOf(t, got.Keys) != `["GEN-3","GEN-1","GEN-2"]` || got.Total != 3 || !got.Fetched.Equal(fetched) || !got.SeenAt.IsZero() {
		t.Fatalf("got %+v", got)
	}
	rs, err := db.Issues(ctx, got.Keys[:2])
	if err != nil || len(rs) != 2 || rs[0].Issue.Key != "GEN-3" || !rs[0].Fetched.Equal(fetched) {
		t.Fatalf("first rows %+v, %v", rs, err)
	}
	// Replaced, and another query is separate.
	r.Keys, r.Total = []string{"GEN-2"}, -1
	if err := db.PutResult(ctx, r, List, nil); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Result(ctx, r.JQL); jsonOf(t, got.Keys) != `["GEN-2"]` || got.Total != -1 {
		t.Fatalf("replaced: %+v", got)
	}
	if _, ok, _ := db.Result(ctx, "project = OTHER"); ok {
		t.Fatal("unknown query found")
	}
	empty := Result{JQL: "project = EMPTY", Fetched: fetched}
	if err := db.PutResult(ctx, empty, List, nil); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := db.Result(ctx, empty.JQL); !ok || len(got.Keys) != 0 {
		t.Fatalf("empty result: %+v %v", got, ok)
	}
}

func TestChangesSinceLastLook(t *testing.T) {
	clk := newClock()
	db := openTest(t, Options{Now: clk.Now})
	const jql = "assignee = currentUser()"
	put := func(is ...jiraclient.Issue) []string {
		t.Helper()
		if err := db.PutResult(ctx, Result{JQL: jql, Keys: keysOf(is), Fetched: clk.Now()}, List, is); err != nil {
			t.Fatal(err)
		}
		return keysOf(is)
	}
	changes := func(keys []string) string {
		t.Helper()
		c, err := db.Changes(ctx, jql, keys)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for k, v := range c {
			out[k] = v.String()
		}
		return jsonOf(t, out)
	}

	keys := put(issue("A-1", "one", 0), issue("A-2", "two", 0))
	if got := changes(keys); got != `{}` {
		t.Fatalf("first look: %s; nothing is new the first time", got)
	}
	if err := db.MarkResultSeen(ctx, jql, keys); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, db, "A-1"); !r.SeenUpdated.Equal(base) {
		t.Fatalf("first sight did not record updated: %v", r.SeenUpdated)
	}

	// Jira now has A-2 updated and a new A-3.
	clk.Add(time.Hour)
	keys = put(issue("A-1", "one", 0), issue("A-2", "two, edited", time.Hour), issue("A-3", "three", time.Hour))
	if got := changes(keys); got != `{"A-2":"updated","A-3":"new"}` {
		t.Fatalf("after changes: %s", got)
	}
	// Looking at the list again clears "new" but not "updated": opening
	// the issue does that.
	if err := db.MarkResultSeen(ctx, jql, keys); err != nil {
		t.Fatal(err)
	}
	if got := changes(keys); got != `{"A-2":"updated"}` {
		t.Fatalf("after looking at the list: %s", got)
	}
	if r := mustGet(t, db, "A-2"); !r.UpdatedSinceSeen() {
		t.Fatal("record does not say updated")
	}
	if err := db.MarkSeen(ctx, "A-2", base.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := changes(keys); got != `{}` {
		t.Fatalf("after opening A-2: %s", got)
	}
	// A new issue also updated is "new".
	clk.Add(time.Hour)
	keys = put(issue("A-1", "one", 0), issue("A-4", "four", 2*time.Hour))
	if got := changes(keys); got != `{"A-4":"new"}` {
		t.Fatalf("new and dropped: %s", got)
	}
}

func TestDisabledTouchesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jiffy")
	db := Open(ctx, Options{Dir: dir, Profile: "work", Disabled: true})
	if !db.Bypassed() || db.Note() != nil || db.Path() != "" {
		t.Fatalf("bypassed=%v note=%v path=%q", db.Bypassed(), db.Note(), db.Path())
	}
	if err := db.PutResult(ctx, Result{JQL: "x", Keys: []string{"A-1"}}, List, []jiraclient.Issue{issue("A-1", "one", 0)}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.Result(ctx, "x"); ok || err != nil {
		t.Fatalf("result from a disabled cache: %v %v", ok, err)
	}
	if _, ok, err := db.Issue(ctx, "A-1"); ok || err != nil {
		t.Fatalf("issue from a disabled cache: %v %v", ok, err)
	}
	if hits, err := db.Search(ctx, "one", 0); hits != nil || err != nil {
		t.Fatalf("search in a disabled cache: %v %v", hits, err)
	}
	if err := db.MarkSeen(ctx, "A-1", base); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("disabled cache made %s: %v", dir, err)
	}
}

func TestRemove(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir, Profile: "work"})
	mustPut(t, db, List, issue("A-1", "one", 0))
	other := openTest(t, Options{Dir: dir, Profile: "home"})
	mustPut(t, other, List, issue("B-1", "two", 0))
	if err := os.WriteFile(filepath.Join(dir, "work.db.corrupt-20260101T000000.000000000"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Remove while this process still has it open, as `jiffy logout` may
	// run beside a running jiffy.
	if err := Remove(dir, "work"); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "work.db*"))
	if len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
	if _, ok, _ := other.Issue(ctx, "B-1"); !ok {
		t.Fatal("another profile's cache was touched")
	}
	db.Close()
	again := openTest(t, Options{Dir: dir, Profile: "work"})
	if _, ok, _ := again.Issue(ctx, "A-1"); ok {
		t.Fatal("removed cache still answers")
	}
	if err := Remove(dir, "never-used"); err != nil {
		t.Fatalf("removing a missing cache: %v", err)
	}
}

func TestDefaultDirFollowsXDG(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios" || runtime.GOOS == "plan9" {
		t.Skip("XDG_CACHE_HOME is a Unix convention")
	}
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	d, err := DefaultDir()
	if err != nil || d != filepath.Join(xdg, "jiffy") {
		t.Fatalf("DefaultDir = %q, %v; want %q", d, err, filepath.Join(xdg, "jiffy"))
	}
}

func TestSameIssueTwiceInOneWrite(t *testing.T) {
	db := openTest(t, Options{})
	mustPut(t, db, List, issue("A-1", "first", 0))
	// Already cached, then twice in one batch; and a new one twice.
	mustPut(t, db, List, issue("A-1", "newer", time.Hour), issue("A-2", "apple", 0), issue("A-1", "older", time.Minute),
		issue("A-2", "banana", 0))
	if r := mustGet(t, db, "A-1"); r.Issue.Summary != "newer" {
		t.Fatalf("A-1 = %q; want the newest", r.Issue.Summary)
	}
	if r := mustGet(t, db, "A-2"); r.Issue.Summary != "banana" {
		t.Fatalf("A-2 = %q; want the last of equals", r.Issue.Summary)
	}
	for _, word := range []string{"older", "apple"} {
		if hits, _ := db.Search(ctx, word, 0); len(hits) != 0 {
			t.Fatalf("superseded text %q indexed: %v", word, hits)
		}
	}
	if hits, _ := db.Search(ctx, "banana", 0); len(hits) != 1 {
		t.Fatalf("banana: %v", hits)
	}
}

// The folder reaches SQLite as a file: URI; characters a URI gives meaning
// to must not change which file is opened.
func TestOddFolderName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my cache?x=1#frag%20é")
	db := openTest(t, Options{Dir: dir})
	mustPut(t, db, List, issue("A-1", "one", 0))
	if _, err := os.Stat(filepath.Join(dir, "work.db")); err != nil {
		t.Fatalf("database not where asked: %v", err)
	}
	if db.Path() != filepath.Join(dir, "work.db") {
		t.Fatalf("Path = %q", db.Path())
	}
}

func TestUpdatedReadsVersionsOnly(t *testing.T) {
	db := openTest(t, Options{})
	mustPut(t, db, List, issue("A-1", "one", time.Hour))
	mustPut(t, db, Detail, issue("A-2", "two", 2*time.Hour))
	got, err := db.Updated(ctx, []string{"A-1", "A-2", "A-3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["A-1"].Updated.Equal(base.Add(time.Hour)) || got["A-1"].Depth != List ||
		!got["A-2"].Updated.Equal(base.Add(2*time.Hour)) || got["A-2"].Depth != Detail {
		t.Fatalf("got %+v", got)
	}
}
