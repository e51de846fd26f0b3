package store

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
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
	for _, full := range []bool{true, false} {
		name := "rows"
		if full {
			name = "full"
		}
		b.Run(name, func(b *testing.B) { memory10k(b, full) })
	}
}

func memory10k(b *testing.B, full bool) {
	for b.Loop() {
		s := New(Options{})
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
