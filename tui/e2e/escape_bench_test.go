package e2e

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkKeyToScreen is the real binary in tmux (the demo, 120x40): the
// time from `tmux send-keys` to the screen tmux holds showing the key's
// effect, for a key that closes the help overlay: Escape beside F1. Both run
// the same Update and View; what differs is how the input is read (a lone
// ESC could begin an escape sequence; see tui/keyin). tmux does not speak
// the kitty keyboard protocol, so Escape arrives here as the byte ESC.
// The screen is polled with capture-pane back to back (each poll is a
// tmux process, a few ms), which bounds the resolution.
func BenchmarkKeyToScreen(b *testing.B) {
	h := newHome(b)
	tm := h.runBinary(b, benchBinary(), "--demo")
	tm.waitFor("Summary", 10*time.Second)
	for _, key := range []string{"Escape", "F1"} {
		b.Run(key, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				tm.keys("?")
				tm.waitFor("closes this help", 5*time.Second)
				start := time.Now()
				tm.keys(key)
				for strings.Contains(tm.screen(), "closes this help") {
					if time.Since(start) > 5*time.Second {
						b.Fatalf("%s did not close the help:\n%s", key, tm.screen())
					}
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-screen/op")
		})
	}
}
