package list

import (
	"testing"
	"time"
)

// TestRelativeFarDates: dates centuries away (Jira accepts year 9999) are
// not "now", whichever side of now they are; future ones say so.
func TestRelativeFarDates(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC), "2263"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "9999"},
		{time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), "1800"},
		{now.Add(3 * 24 * time.Hour), "+3d"},
		{now.Add(300 * 24 * time.Hour), "+1y"},
		{now.Add(30 * time.Second), "now"},
	} {
		if got := Relative(now, c.t); got != c.want || len(got) > 4 {
			t.Errorf("Relative(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}
