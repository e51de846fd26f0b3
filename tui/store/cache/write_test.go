package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// marshalled is an issue's head and rest as json.Marshal writes them: what
// the cache stored before it had its own writer, and must go on storing
// (the stored format did not change, so its version did not either).
func marshalled(t *testing.T, iss jiraclient.Issue) (head, restJSON []byte) {
	t.Helper()
	r := rest{iss.Description, iss.Comments, iss.Links, iss.Subtasks, iss.Attachments, iss.Names}
	iss.Description, iss.Comments, iss.Links, iss.Subtasks, iss.Attachments, iss.Names = "", nil, nil, nil, nil, nil
	iss.Transitions = nil
	head, err := json.Marshal(iss)
	if err != nil {
		t.Fatal(err)
	}
	if restJSON, err = json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	return head, restJSON
}

// TestWriterEncodesAsMarshal: the writer's reused buffers give, byte for
// byte, what json.Marshal gives, for list rows and detail issues, text that
// JSON escapes (HTML, control characters, invalid UTF-8, U+2028), empty
// but present collections, and one writer used for many issues in turn.
func TestWriterEncodesAsMarshal(t *testing.T) {
	est := 3.5
	odd := issue("ODD-1", "<b>&amp;</b> \"quoted\" \\ tab\t nl\n \x01 \xff\xfe bad \u2028 é 🐛", time.Hour)
	odd.Description = "<script>alert(1)</script>\x1b[31m"
	odd.Comments = []jiraclient.Comment{{ID: "1", Body: "a\x00b", Created: base, Updated: base.Add(time.Second)}}
	odd.Transitions = []jiraclient.Transition{{ID: "11", Name: "Done"}}
	odd.Labels, odd.Components = []string{"<x>"}, []string{}
	odd.Estimate = &est
	odd.Parent = &jiraclient.IssueRef{Key: "ODD-0", Summary: "parent & child"}
	odd.Raw = json.RawMessage(`{"k": "v <"}`)
	odd.Values = map[string]jiraclient.FieldValue{"customfield_1": {}}
	namesOnly := issue("ODD-2", "names", 0)
	namesOnly.Names = map[string]string{"summary": "Summary"}
	emptyButThere := issue("ODD-3", "empty", 0)
	emptyButThere.Comments, emptyButThere.Names = []jiraclient.Comment{}, map[string]string{}
	issues := append(genMany(50, List), genMany(50, Detail)...)
	issues = append(issues, odd, namesOnly, emptyButThere, gen(7, List))
	w := writers.Get().(*writer)
	defer w.done()
	for _, iss := range issues {
		wantHead, wantRest := marshalled(t, iss)
		before := iss
		head, rest, err := w.encode(&iss)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(head, wantHead) {
			t.Errorf("%s head:\n got %s\nwant %s", iss.Key, head, wantHead)
		}
		if !bytes.Equal(rest, wantRest) {
			t.Errorf("%s rest:\n got %s\nwant %s", iss.Key, rest, wantRest)
		}
		if len(iss.Transitions) != len(before.Transitions) || iss.Description != before.Description {
			t.Errorf("%s: encode changed the caller's issue", iss.Key)
		}
	}
}

// TestPutListRowAllocs bounds the Go heap a list row's write takes: a G
// over 10,000 issues writes 10,000 of them while the load goes on, and
// the garbage is the load's peak. Measured on 2,000 generated list rows
// in batches of 100, as the store writes a load's chunks: into an empty
// cache (inserts), the same rows again (a refresh that changed nothing)
// and each row one minute newer (changed issues, which take new ids).
// Before the writer (json.Marshal, a look-up and a statement with
// RETURNING per row) each cost 4.8 KB in 80-90 allocations a row; with it
// 1.0-1.2 KB in 21-27.
func TestPutListRowAllocs(t *testing.T) {
	const n = 2_000
	db := openTest(t, Options{MaxBytes: -1})
	rows := genMany(n, List)
	newer := genMany(n, List)
	for i := range newer {
		newer[i].Updated = newer[i].Updated.Add(time.Minute)
	}
	for _, c := range []struct {
		name   string
		issues []jiraclient.Issue
	}{{"new", rows}, {"same", rows}, {"changed", newer}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i += 100 {
			if err := db.PutIssues(context.Background(), List, base, c.issues[i:i+100]...); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		bytesPer := float64(after.TotalAlloc-before.TotalAlloc) / n
		allocsPer := float64(after.Mallocs-before.Mallocs) / n
		t.Logf("%s: %.0f bytes in %.1f allocations per list row", c.name, bytesPer, allocsPer)
		if bytesPer > maxRowWriteBytes || allocsPer > maxRowWriteAllocs {
			t.Errorf("%s: %.0f bytes in %.1f allocations per list row, want at most %d in %d",
				c.name, bytesPer, allocsPer, maxRowWriteBytes, maxRowWriteAllocs)
		}
	}
	st, err := db.Stats(context.Background())
	if err != nil || st.Issues != n {
		t.Fatalf("%d issues cached (%v), want %d", st.Issues, err, n)
	}
}

// TestSameVersionAgain: a write of an issue at the Updated already cached
// moves only its times when its text is the same, and rewrites the row and
// its index when it is not (the same version fetched with other fields: a
// configured column, or the detail's).
func TestSameVersionAgain(t *testing.T) {
	db := openTest(t, Options{})
	hits := func(text string) int {
		t.Helper()
		hs, err := db.Search(ctx, text, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(hs)
	}
	a := issue("ABC-1", "alpha", time.Hour)
	mustPut(t, db, List, a)
	size := func() int64 {
		t.Helper()
		st, err := db.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.DataBytes
	}
	was := size()

	// The same again, fetched later: the fetch time moves, nothing else.
	if err := db.PutIssues(ctx, List, base.Add(time.Hour), a); err != nil {
		t.Fatal(err)
	}
	r := mustGet(t, db, "ABC-1")
	if !r.Fetched.Equal(base.Add(time.Hour)) || r.Depth != List || r.Issue.Summary != "alpha" || size() != was {
		t.Fatalf("same version again: %+v, %d bytes (was %d)", r, size(), was)
	}
	if hits("alpha") != 1 {
		t.Fatal("same version again: not indexed once")
	}

	// The same version with a column's value and another summary (only a
	// test can have Jira do that): row and index are rewritten.
	b := issue("ABC-1", "beta", time.Hour)
	b.Values = map[string]jiraclient.FieldValue{"customfield_1": {Kind: jiraclient.FieldString, Text: "x"}}
	mustPut(t, db, List, b)
	r = mustGet(t, db, "ABC-1")
	if r.Issue.Summary != "beta" || r.Issue.Values["customfield_1"].Text != "x" {
		t.Fatalf("same version, other text: %+v", r.Issue)
	}
	if hits("alpha") != 0 || hits("beta") != 1 {
		t.Fatalf("same version, other text: index has alpha %d, beta %d", hits("alpha"), hits("beta"))
	}

	// The detail, then the same version's detail with another description.
	d := b
	d.Description = "gamma"
	mustPut(t, db, Detail, d)
	d.Description = "delta"
	mustPut(t, db, Detail, d)
	r = mustGet(t, db, "ABC-1")
	if r.Depth != Detail || r.Issue.Description != "delta" {
		t.Fatalf("same version, other detail: %+v", r)
	}
	if hits("gamma") != 0 || hits("delta") != 1 {
		t.Fatalf("same version, other detail: index has gamma %d, delta %d", hits("gamma"), hits("delta"))
	}
}
