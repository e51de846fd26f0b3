package cache

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// sized makes an issue whose stored size is about n bytes.
func sized(key string, n int) jiraclient.Issue {
	iss := issue(key, "evictable "+strings.ToLower(key), 0)
	iss.Description = strings.Repeat("x", n)
	return iss
}

func TestSizeCapEvictsLeastRecentlySeen(t *testing.T) {
	clk := newClock()
	// Each issue takes `one` bytes; the cap holds seven and a half.
	probe := openTest(t, Options{})
	mustPut(t, probe, Detail, sized("A-1", 1000))
	pst, _ := probe.Stats(ctx)
	one := pst.DataBytes
	capBytes := one*7 + one/2
	db := openTest(t, Options{Now: clk.Now, MaxBytes: capBytes})
	// Issues written a minute apart: A-1 oldest.
	for i := 1; i <= 6; i++ {
		mustPut(t, db, Detail, sized(fmt.Sprintf("A-%d", i), 1000))
		clk.Add(time.Minute)
	}
	// The user opens A-1 and sees A-2 in a list: now they are the most
	// recently seen, and A-3 the least.
	if err := db.MarkSeen(ctx, "A-1", base); err != nil {
		t.Fatal(err)
	}
	if err := db.PutResult(ctx, Result{JQL: "q", Keys: []string{"A-2"}}, List, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkResultSeen(ctx, "q", []string{"A-2"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	for i := 7; i <= 10; i++ {
		mustPut(t, db, Detail, sized(fmt.Sprintf("A-%d", i), 1000))
		clk.Add(time.Minute)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.DataBytes > capBytes {
		t.Fatalf("data %d bytes over the cap %d", st.DataBytes, capBytes)
	}
	var kept []string
	for i := 1; i <= 10; i++ {
		if _, ok, _ := db.Issue(ctx, fmt.Sprintf("A-%d", i)); ok {
			kept = append(kept, fmt.Sprint(i))
		}
	}
	// The 8th issue goes over the cap (8 > 7.5): eviction down to nine
	// tenths (6.75) drops the two least recently seen, A-3 and A-4. The
	// 10th goes over again and drops., seen after
	// they were written, stay.
	if got := strings.Join(kept, ","); got != "1,2,7,8,9,10" {
		t.Fatalf("kept %s; want 1,2,7,8,9,10 (A-3..A-6 least recently seen)", got)
	}
	if st.Issues != len(kept) {
		t.Fatalf("stats say %d issues; %d readable", st.Issues, len(kept))
	}
	// Their pages went back to the file system.
	var free int
	if err := db.conn().QueryRow(`PRAGMA freelist_count`).Scan(&free); err != nil || free != 0 {
		t.Fatalf("freelist_count = %d, %v; want 0 after eviction", free, err)
	}
	// Evicted issues leave the index too.
	if hits, err := db.Search(ctx, "evictable a-3", 0); err != nil || len(hits) != 0 {
		t.Fatalf("evicted issue still found: %v %v", hits, err)
	}
	if hits, err := db.Search(ctx, "evictable a-2", 0); err != nil || len(hits) != 1 {
		t.Fatalf("kept issue not found: %v %v", hits, err)
	}
}

func TestNoCapKeepsEverything(t *testing.T) {
	db := openTest(t, Options{MaxBytes: -1})
	for i := range 20 {
		mustPut(t, db, Detail, sized(fmt.Sprintf("A-%d", i), 5000))
	}
	if st, _ := db.Stats(ctx); st.Issues != 20 {
		t.Fatalf("%d issues; want all 20", st.Issues)
	}
}
