package e2e

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// benchBinary is the binary the process benchmarks run: the one TestMain
// built, or JIFFY_BENCH_BINARY (to set another build beside it).
func benchBinary() string {
	if b := os.Getenv("JIFFY_BENCH_BINARY"); b != "" {
		return b
	}
	return binary
}

// BenchmarkRSS10k is the resident memory of the terminal UI (the built
// binary on a pseudo-terminal of its own, 120x40) with 10,000 issues
// loaded from fakejira (Cloud, loopback; fakejira runs in the benchmark's
// process, so none of its memory is counted). G is pressed until every
// issue was answered; then VmRSS and VmHWM are read from /proc. The
// figure is MiB-rss (and MiB-hwm, the peak); ns/op is the whole load,
// from the start to the last answer.
// 300 ms after the last answer the program may still be writing the
// load's rows to its cache: MiB-rss-3s is VmRSS read 3 s later, once that
// is over (the store gives the load's free memory back when it ends).
func BenchmarkRSS10k(b *testing.B) {
	const n = 10_000
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 7, Issues: n})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	dir := b.TempDir()
	env := []string{"HOME=" + dir, "JIFFY_CONFIG=" + dir + "/none.toml", "JIFFY_STATE_DIR=" + dir + "/state", "DBUS_SESSION_BUS_ADDRESS=disabled:", "TERM=xterm-256color"}
	env = append(env, envCreds(fakejira.FlavorCloud, url)...)
	if g := os.Getenv("JIFFY_BENCH_GOGC"); g != "" {
		env = append(env, "GOGC="+g)
	}
	// loaded is how many issues Jira has answered: the first page's 50
	// and the keys of every bulk fetch answered (G loads the rest of the
	// result by key, 100 a request).
	loaded := func() int {
		k := 0
		for _, r := range srv.Requests() {
			switch {
			case r.Status != 200:
			case strings.HasSuffix(r.Path, "/search/jql") && strings.Contains(r.Body, `"maxResults":50`) && !strings.Contains(r.Body, "nextPageToken"):
				k += 50
			case strings.HasSuffix(r.Path, "/issue/bulkfetch"):
				var body struct {
					Keys []string `json:"issueIdsOrKeys"`
				}
				_ = json.Unmarshal([]byte(r.Body), &body)
				k += len(body.Keys)
			}
		}
		return k
	}
	var rss, hwm, settled float64
	for i := 0; i < b.N; i++ {
		srv.ResetRequests()
		master, tty, err := openPTY()
		if err != nil {
			b.Skipf("no pseudo-terminal: %v", err)
		}
		cmd := exec.Command(benchBinary(), "--jql", "created >= -5000d ORDER BY key ASC")
		cmd.Env = env
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
		cmd.SysProcAttr = ptyAttr()
		go func() { _, _ = io.Copy(io.Discard, master) }()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		// One G loads the rest once the first page is in; a G pressed
		// before that does nothing, so press until the loading shows.
		for got := loaded(); got < n; got = loaded() {
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d issues after 2 minutes", got, n)
			}
			if got <= 150 {
				if _, err := master.Write([]byte("G")); err != nil {
					b.Fatal(err)
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		b.StopTimer()                      // ns/op: from the start to the last answer
		time.Sleep(300 * time.Millisecond) // the last page decoded and drawn
		status, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status")
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("RssAnon %.1f MiB, RssFile %.1f MiB", kib(status, "RssAnon:")/1024, kib(status, "RssFile:")/1024)
		rss += kib(status, "VmRSS:") / 1024
		time.Sleep(3 * time.Second)
		if status, err = os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"); err != nil {
			b.Fatal(err)
		}
		b.Logf("3 s later: RssAnon %.1f MiB, RssFile %.1f MiB", kib(status, "RssAnon:")/1024, kib(status, "RssFile:")/1024)
		settled += kib(status, "VmRSS:") / 1024
		hwm += kib(status, "VmHWM:") / 1024
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		tty.Close()
		master.Close()
		b.StartTimer()
	}
	b.ReportMetric(rss/float64(b.N), "MiB-rss")
	b.ReportMetric(hwm/float64(b.N), "MiB-hwm")
	b.ReportMetric(settled/float64(b.N), "MiB-rss-3s")
}

// kib reads a "Name:   123 kB" line of /proc/PID/status.
func kib(status []byte, name string) float64 {
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, name) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				v, _ := strconv.ParseFloat(f[1], 64)
				return v
			}
		}
	}
	return 0
}
