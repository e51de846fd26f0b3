package store

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// bigIssue is an issue the size the cache's benchmarks use: about 2.5 KB
// of description and comments.
func bigIssue(i int) jiraclient.Issue {
	words := strings.Repeat("deploy pipeline timeout login session worker ", 10)
	is := jiraclient.Issue{
		Key: fmt.Sprintf("GEN-%d", i), Summary: "Generated issue number " + strconv.Itoa(i),
		Description: strings.Repeat(words, 3),
		Updated:     time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
	for c := 0; c < 4; c++ {
		is.Comments = append(is.Comments, jiraclient.Comment{ID: strconv.Itoa(c), Body: words + strconv.Itoa(i)})
	}
	return is
}

// BenchmarkMemory10k holds 10,000 issues in a store, full (with 2.5 KB
// of text each: the worst case, every issue opened) or as list rows, and
// reports the Go heap they take and the process's resident memory (run it
// with -benchtime 1x for a clean RSS).
func BenchmarkMemory10k(b *testing.B) {
	b.Run("full", func(b *testing.B) { memory10k(b, true, nil) })
	b.Run("full-beside-cache", func(b *testing.B) {
		// The store keeps DefaultMaxFull bodies when the cache has the
		// rest (the writes themselves are not run here).
		db := cache.Open(context.Background(), cache.Options{Dir: b.TempDir(), Profile: "bench"})
		defer db.Close()
		memory10k(b, true, db)
	})
	b.Run("rows", func(b *testing.B) { memory10k(b, false, nil) })
}

func memory10k(b *testing.B, full bool, db *cache.DB) {
	for b.Loop() {
		s := New(Options{Cache: db})
		rows := make([]jiraclient.Issue, 0, 10000)
		for i := 0; i < 10000; i++ {
			is := bigIssue(i)
			if full {
				s.Put(is)
				continue
			}
			is.Description, is.Comments = "", nil
			rows = append(rows, is)
		}
		s.takeRows(rows, time.Now())
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/1e6, "heap-MB")
		if rss := vmRSS(); rss > 0 {
			b.ReportMetric(float64(rss)/1e3, "rss-MB")
		}
		runtime.KeepAlive(s)
	}
}

// vmRSS is the process's resident memory in kB (Linux), else 0.
func vmRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}
