package cli

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// stamp is a stdout that notes when the first and the last line arrived
// and, at the first, how many searches had been asked for.
type stamp struct {
	mu            sync.Mutex
	start         time.Time
	first, last   time.Duration
	lines         int
	searchesFirst int
	srv           *fakejira.Server
}

func (s *stamp) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := bytes.Count(p, []byte("\n"))
	if n > 0 && s.lines == 0 {
		s.first = time.Since(s.start)
		if s.srv != nil {
			s.searchesFirst, _ = searches(s.srv)
		}
	}
	s.lines += n
	s.last = time.Since(s.start)
	return len(p), nil
}

// The first page is printed before the second is asked for.
func TestListStreams(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl, func(t *testing.T) {
			f := startFake(t, fl, 250)
			st := &stamp{start: time.Now(), srv: f.srv}
			var errb bytes.Buffer
			vars := f.vars()
			if code := f.runEnv(t, Env{Stdout: st, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, "list", "--jql", allJQL, "--output", "ndjson"); code != 0 {
				t.Fatal(errb.String())
			}
			if st.searchesFirst != 1 || st.lines != 250 {
				t.Errorf("first line written after %d searches (want 1); %d lines", st.searchesFirst, st.lines)
			}
		})
	}
}

// BenchmarkListNDJSON1000 is `jiffy list --output ndjson` of 1,000 issues
// from a Jira that takes 100 ms per answer: time to the first line, to the
// last, and the requests made.
func BenchmarkListNDJSON1000(b *testing.B) {
	for _, fl := range flavours {
		b.Run(fl, func(b *testing.B) {
			f := startFake(b, fl, 1000)
			f.srv.SetFaults(fakejira.Faults{Latency: 100 * time.Millisecond})
			vars := f.vars()
			var first, last time.Duration
			var reqs int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.srv.ResetRequests()
				st := &stamp{start: time.Now()}
				var errb bytes.Buffer
				if code := f.runEnv(b, Env{Stdout: st, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, "list", "--jql", allJQL, "--output", "ndjson"); code != 0 || st.lines != 1000 {
					b.Fatalf("exit %d, %d lines: %s", code, st.lines, errb.String())
				}
				first += st.first
				last += st.last
				reqs += len(f.srv.Requests())
			}
			b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms-first-line")
			b.ReportMetric(float64(last.Milliseconds())/float64(b.N), "ms-last-line")
			b.ReportMetric(float64(reqs)/float64(b.N), "requests")
		})
	}
}
