package cache

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks' shared fixture: a closed database of 10,000 Detail
// issues and a 500-issue result, built once and copied per benchmark.
const (
	fixtureIssues = 10_000
	fixtureJQL    = "project = GEN ORDER BY updated DESC"
	firstRows     = 50 // a screenful
)

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

func fixture(b *testing.B) string {
	b.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "jiffy-cache-bench")
		if fixtureErr != nil {
			return
		}
		db := Open(context.Background(), Options{Dir: fixtureDir, Profile: "work", MaxBytes: -1})
		defer db.Close()
		if fixtureErr = db.Note(); fixtureErr != nil {
			return
		}
		all := genMany(fixtureIssues, Detail)
		for i := 0; i < len(all); i += 100 {
			if fixtureErr = db.PutIssues(context.Background(), Detail, base, all[i:i+100]...); fixtureErr != nil {
				return
			}
		}
		fixtureErr = db.PutResult(context.Background(), Result{JQL: fixtureJQL, Keys: keysOf(all[:500]), Total: fixtureIssues, Fetched: base}, List, nil)
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixtureDir
}

// copyFixture copies the fixture database into a fresh folder.
func copyFixture(b *testing.B) string {
	src := fixture(b)
	dst := b.TempDir()
	in, err := os.ReadFile(filepath.Join(src, "work.db"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "work.db"), in, 0o600); err != nil {
		b.Fatal(err)
	}
	return dst
}

// BenchmarkWrite10k writes 10,000 Detail issues in pages of 100, as a
// search would deliver them, into a new cache; it reports the size on disk.
func BenchmarkWrite10k(b *testing.B) {
	all := genMany(fixtureIssues, Detail)
	var st Stats
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		c0 := threadCPU()
		db := Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
		for i := 0; i < len(all); i += 100 {
			if err := db.PutIssues(context.Background(), Detail, base, all[i:i+100]...); err != nil {
				b.Fatal(err)
			}
		}
		cpu += threadCPU() - c0
		b.StopTimer()
		db.Close() // checkpoints the log into the file
		db = Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
		st, _ = db.Stats(context.Background())
		db.Close()
		b.StartTimer()
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	}
	b.ReportMetric(float64(st.FileBytes)/1e6, "MB-on-disk")
	b.ReportMetric(float64(st.DataBytes)/1e6, "MB-data")
	b.ReportMetric(float64(st.FileBytes)/float64(fixtureIssues), "B-on-disk/issue")
}

// BenchmarkLoadResult500 reads a cached 500-issue result (of issues
// cached with their detail, the heavier case) as list rows: the first
// screenful (time to first rows), and all of it; and all of it with the
// detail fields too.
func BenchmarkLoadResult500(b *testing.B) {
	dir := copyFixture(b)
	db := Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
	defer db.Close()
	for _, c := range []struct {
		name string
		n    int
		read func(context.Context, []string) ([]Record, error)
	}{{"rows=50", firstRows, db.Rows}, {"rows=500", 500, db.Rows}, {"issues=500", 500, db.Issues}} {
		n := c.n
		b.Run(c.name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				r, ok, err := db.Result(context.Background(), fixtureJQL)
				if err != nil || !ok {
					b.Fatal(ok, err)
				}
				rs, err := c.read(context.Background(), r.Keys[:n])
				if err != nil || len(rs) != n {
					b.Fatal(len(rs), err)
				}
			}
		})
	}
}

// typed is what a user types, one keystroke at a time, in the search box.
var typed = []string{"deploy pipeline timeout", "login session", "memory leak worker", "GEN-42", "certificate proxy", "crash android", "billing invoice customer"}

// BenchmarkSearchKeystroke runs the search each keystroke of typed sends,
// over 10,000 cached issues, and reports the 50th and 95th percentile and
// the slowest keystroke.
func BenchmarkSearchKeystroke(b *testing.B) {
	dir := copyFixture(b)
	db := Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
	defer db.Close()
	// Wall time is what the user waits; on a busy machine it includes
	// waiting for a core. CPU time of the thread (SQLite runs on the
	// caller's goroutine) is what an idle machine's wall time would be.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	for b.Loop() {
		for _, phrase := range typed {
			for i := 1; i <= len(phrase); i++ {
				c0, t0 := threadCPU(), time.Now()
				if _, err := db.Search(context.Background(), phrase[:i], 50); err != nil {
					b.Fatal(err)
				}
				wall = append(wall, time.Since(t0))
				cpu = append(cpu, threadCPU()-c0)
			}
		}
	}
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(p*float64(len(ds)-1))]) / 1e6
	}
	b.ReportMetric(pct(wall, 0.50), "p50-ms")
	b.ReportMetric(pct(wall, 0.95), "p95-ms")
	b.ReportMetric(pct(wall, 1), "max-ms")
	if pct(cpu, 1) > 0 {
		b.ReportMetric(pct(cpu, 0.95), "p95-cpu-ms")
	}
}

// BenchmarkOpenExisting opens the 10,000-issue cache (it sits on the
// start path) and closes it.
func BenchmarkOpenExisting(b *testing.B) {
	dir := copyFixture(b)
	defer reportCPU(b)()
	for b.Loop() {
		db := Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
		if db.Note() != nil {
			b.Fatal(db.Note())
		}
		db.Close()
	}
}

// BenchmarkStartToFirstRows runs a new process (this test binary) that
// opens the 10,000-issue cache and reads the first screenful of the cached
// 500-issue result: process start to first cached rows, the start path of
// jiffy less its screen. "bare" is the same process answering without
// opening the cache: the cost of starting a Go binary of this size here.
// child-cpu-ms is the child's CPU time (user + system), child-peak-rss its
// peak resident memory.
func BenchmarkStartToFirstRows(b *testing.B) {
	dir := copyFixture(b)
	for _, role := range []string{"bare", "cache"} {
		b.Run(role, func(b *testing.B) {
			var cpu time.Duration
			var rss int64
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), childEnv+"="+dir, childEnv+"_ROLE=FIRSTROWS", childEnv+"_BARE="+fmt.Sprint(role == "bare"))
				out, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				line, _ := bufio.NewReader(out).ReadString('\n')
				b.StopTimer()
				var rows int
				var hwm int64
				if _, err := fmt.Sscanf(line, "rows %d peak-rss-kB %d\n", &rows, &hwm); err != nil || rows != firstRows {
					b.Fatalf("child said %q", line)
				}
				rss = max(rss, hwm)
				io.Copy(io.Discard, out)
				cmd.Wait()
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "child-cpu-ms/op")
			if rss > 0 {
				b.ReportMetric(float64(rss)/1e3, "child-peak-rss-MB")
			}
		})
	}
}

// firstRowsMain is the child of BenchmarkStartToFirstRows.
func firstRowsMain(dir string) int {
	if os.Getenv(childEnv+"_BARE") == "true" {
		fmt.Printf("rows %d peak-rss-kB %d\n", firstRows, peakRSS())
		return 0
	}
	db := Open(context.Background(), Options{Dir: dir, Profile: "work", MaxBytes: -1})
	r, ok, err := db.Result(context.Background(), fixtureJQL)
	if !ok || err != nil {
		fmt.Println("no result", err, db.Note())
		return 1
	}
	rs, err := db.Rows(context.Background(), r.Keys[:firstRows])
	fmt.Printf("rows %d peak-rss-kB %d\n", len(rs), peakRSS())
	os.Stdout.Sync()
	db.Close()
	if err != nil {
		return 1
	}
	return 0
}

// reportCPU locks the benchmark to its thread and, when deferred, reports
// the thread's CPU time per op beside the wall time: on this shared
// machine wall time includes waiting for a core.
func reportCPU(b *testing.B) func() {
	runtime.LockOSThread()
	c0 := threadCPU()
	return func() {
		if c := threadCPU() - c0; c > 0 && b.N > 0 {
			b.ReportMetric(float64(c)/float64(b.N)/1e6, "cpu-ms/op")
		}
		runtime.UnlockOSThread()
	}
}

// peakRSS is this process's peak resident set in kB (VmHWM), 0 where
// /proc is not there.
func peakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(status), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkPutList10k writes 10,000 list rows (the list's fields only, as
// a G over a 10,000-issue query brings them) into a new cache: by
// PutIssues in chunks of 100, as the store writes each chunk of a load;
// by PutIssues again over a cache that holds them (a G after a restart,
// Jira unchanged); and by PutResult, as the store writes a page with its
// result (here each page is its own result, so that the figure is the
// rows' alone). B/op and allocs/op are the Go heap the write path takes
// per 10,000 rows (SQLite's own memory is outside it).
func BenchmarkPutList10k(b *testing.B) {
	all := genMany(fixtureIssues, List)
	keys := keysOf(all)
	putIssues := func(db *DB) error {
		for i := 0; i < len(all); i += 100 {
			if err := db.PutIssues(context.Background(), List, base, all[i:i+100]...); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range []struct {
		name string
		warm bool // the cache holds the rows already
		put  func(*DB) error
	}{
		{"PutIssues", false, putIssues},
		{"PutIssuesAgain", true, putIssues},
		{"PutResult", false, func(db *DB) error {
			for i := 0; i < len(all); i += 100 {
				r := Result{JQL: fixtureJQL, Keys: keys[i : i+100], Total: fixtureIssues, Fetched: base}
				if err := db.PutResult(context.Background(), r, List, all[i:i+100]); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var warm *DB
			if c.warm {
				warm = Open(context.Background(), Options{Dir: b.TempDir(), Profile: "work", MaxBytes: -1})
				defer warm.Close()
				if err := c.put(warm); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				db := warm
				if db == nil {
					b.StopTimer()
					db = Open(context.Background(), Options{Dir: b.TempDir(), Profile: "work", MaxBytes: -1})
					b.StartTimer()
				}
				if err := c.put(db); err != nil {
					b.Fatal(err)
				}
				if db != warm {
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
			}
		})
	}
}
