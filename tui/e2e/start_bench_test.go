package e2e

import (
	"io"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// BenchmarkStartToFirstRequest is the built binary from exec to its first
// request arriving at fakejira (loopback): `jiffy list` (no site cache, so
// the first request may be the flavour check), and the terminal UI on a
// pseudo-terminal of its own (no tmux, whose start would dwarf jiffy's).
// ms-to-first/op is the figure (the mean), with ms-min and ms-median
// beside it (on a shared machine the mean moves with the load; the minimum
// is the start without waiting for a core); ns/op is the whole run.
func BenchmarkStartToFirstRequest(b *testing.B) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 7, Issues: 50})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	dir := b.TempDir()
	env := []string{"HOME=" + dir, "JIFFY_CONFIG=" + dir + "/none.toml", "JIFFY_STATE_DIR=" + dir + "/state", "DBUS_SESSION_BUS_ADDRESS=disabled:", "TERM=xterm-256color"}
	env = append(env, envCreds(fakejira.FlavorCloud, url)...)
	first := func(b *testing.B, start time.Time) time.Duration {
		for {
			for _, r := range srv.Requests() {
				// A request of the run before (killed while fakejira
				// still handled it) may be logged after the reset.
				if !r.Time.Before(start) {
					return r.Time.Sub(start)
				}
			}
			if time.Since(start) > 10*time.Second {
				b.Fatal("no request within 10 s")
			}
			time.Sleep(time.Millisecond)
		}
	}
	b.Run("list", func(b *testing.B) {
		var times []time.Duration
		for i := 0; i < b.N; i++ {
			srv.ResetRequests()
			cmd := exec.Command(benchBinary(), "list", "--jql", "created >= -3650d ORDER BY key")
			cmd.Env = env
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			times = append(times, first(b, start))
		}
		reportFirst(b, times)
	})
	b.Run("tui", func(b *testing.B) {
		var times []time.Duration
		for i := 0; i < b.N; i++ {
			srv.ResetRequests()
			master, tty, err := openPTY()
			if err != nil {
				b.Skipf("no pseudo-terminal: %v", err)
			}
			cmd := exec.Command(benchBinary())
			cmd.Env = env
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
			cmd.SysProcAttr = ptyAttr()
			go func() { _, _ = io.Copy(io.Discard, master) }() // the screen
			start := time.Now()
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			times = append(times, first(b, start))
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			tty.Close()
			master.Close()
		}
		reportFirst(b, times)
	})
}

// reportFirst reports the times to the first request: mean, minimum and
// median, in ms.
func reportFirst(b *testing.B, times []time.Duration) {
	var total time.Duration
	for _, d := range times {
		total += d
	}
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(total)/float64(len(times)), "ms-to-first/op")
	b.ReportMetric(ms(times[0]), "ms-min")
	b.ReportMetric(ms(times[len(times)/2]), "ms-median")
}
