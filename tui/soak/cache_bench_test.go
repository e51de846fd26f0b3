package soak

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// warmCache runs one session on s over a new cache in dir: the list's
// result and the first issue (opened) are cached. It returns the first
// key and a word of its description.
func warmCache(b *testing.B, s site, dir string) (first string) {
	b.Helper()
	first = firstKeys(b, s, 1)[0]
	db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "bench"})
	o := s.options(s.client(b), nil)
	o.Cache = db
	m := tui.New(o)
	pr := run(b, m, nil, nil)
	pr.waitFor("the rows", 15*time.Second, showsKey(first))
	pr.key("enter")
	pr.waitFor("the issue", 15*time.Second, func(sc string) bool { return strings.Contains(sc, "Description ─") })
	waitIdle(b, m.Store(), 15*time.Second)
	pr.stop()
	_ = db.Close()
	return first
}

// BenchmarkCachedLaunch is launch to the first cached row drawn with Jira
// answering 1 s late: opening the cache, tui.New, the program's first
// frames, through the frame showing the first issue. answered-before is
// how many of Jira's answers came before that frame (0: nothing waited on
// the network).
func BenchmarkCachedLaunch(b *testing.B) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		b.Run(fl, func(b *testing.B) {
			s := startSite(b, fl, fakejira.Options{Seed: 1})
			dir := b.TempDir()
			first := warmCache(b, s, dir)
			s.srv.SetFaults(fakejira.Faults{Latency: time.Second})
			var total time.Duration
			answered := 0
			for b.Loop() {
				c, closeConns := coldClient(b, s)
				s.srv.ResetRequests()
				shown := make(chan time.Time, 1)
				shows := showsKey(first)
				t0 := time.Now()
				db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "bench"})
				o := s.options(c, nil)
				o.Cache = db
				pr := run(b, tui.New(o), nil, func(sc string) {
					if shows(sc) && strings.Contains(sc, "cached") {
						select {
						case shown <- time.Now():
						default:
						}
					}
				})
				var at time.Time
				select {
				case at = <-shown:
				case <-time.After(15 * time.Second):
					b.Fatalf("no cached rows:\n%s", pr.f.screen())
				}
				b.StopTimer()
				total += at.Sub(t0)
				for _, r := range s.srv.Requests() {
					if r.Status != 0 && r.Time.Before(at) {
						answered++
					}
				}
				pr.stop()
				closeConns()
				_ = db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1e3, "ms-to-first-cached-row")
			b.ReportMetric(float64(answered)/float64(b.N), "answered-before")
		})
	}
}

// BenchmarkCachedOpen is enter on a cached issue to the frame showing its
// detail, Jira answering 1 s late: "at-once" presses enter as soon as the
// cached rows show (the issue is read from the cache on open), "rested"
// after the prefetch has read it.
func BenchmarkCachedOpen(b *testing.B) {
	for _, mode := range []string{"at-once", "rested"} {
		b.Run(mode, func(b *testing.B) {
			s := startSite(b, fakejira.FlavorCloud, fakejira.Options{Seed: 1})
			dir := b.TempDir()
			first := warmCache(b, s, dir)
			s.srv.SetFaults(fakejira.Faults{Latency: time.Second})
			var total time.Duration
			answered := 0
			for b.Loop() {
				b.StopTimer()
				c, closeConns := coldClient(b, s)
				db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: "bench"})
				o := s.options(c, nil)
				o.Cache = db
				m := tui.New(o)
				opened := make(chan time.Time, 1)
				watching := false
				pr := run(b, m, nil, func(sc string) {
					if watching && strings.Contains(sc, "Description ─") {
						select {
						case opened <- time.Now():
						default:
						}
					}
				})
				pr.waitFor("cached rows", 15*time.Second, showsKey(first))
				if mode == "rested" {
					// The cursor rests: the prefetch's debounce passes and
					// it reads the issue from the cache (Jira's answer is a
					// second away). Setup, not measured; the store is the
					// program's, so it is not read from here.
					time.Sleep(list.PrefetchDelay + 200*time.Millisecond)
				}
				s.srv.ResetRequests()
				watching = true
				b.StartTimer()
				t0 := time.Now()
				pr.key("enter")
				var at time.Time
				select {
				case at = <-opened:
				case <-time.After(15 * time.Second):
					b.Fatalf("issue not drawn:\n%s", pr.f.screen())
				}
				b.StopTimer()
				total += at.Sub(t0)
				for _, r := range s.srv.Requests() {
					if r.Status != 0 && r.Time.Before(at) {
						answered++
					}
				}
				pr.stop()
				closeConns()
				_ = db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1e3, "ms-to-frame")
			b.ReportMetric(float64(answered)/float64(b.N), "answered-before")
		})
	}
}
