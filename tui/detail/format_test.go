package detail

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestRelTime(t *testing.T) {
	now := fixedNow
	cases := []struct {
		ago  time.Duration
		want string
	}{
		{0, "just now"}, {59 * time.Second, "just now"}, {-30 * time.Second, "just now"},
		{time.Minute, "1 minute ago"}, {45 * time.Minute, "45 minutes ago"},
		{time.Hour, "1 hour ago"}, {23 * time.Hour, "23 hours ago"},
		{24 * time.Hour, "1 day ago"}, {6 * 24 * time.Hour, "6 days ago"},
		{7 * 24 * time.Hour, "1 week ago"}, {29 * 24 * time.Hour, "4 weeks ago"},
		{30 * 24 * time.Hour, "1 month ago"}, {364 * 24 * time.Hour, "12 months ago"},
		{365 * 24 * time.Hour, "1 year ago"}, {3 * 365 * 24 * time.Hour, "3 years ago"},
		{-2 * time.Hour, "in 2 hours"},
	}
	for _, c := range cases {
		if got := relTime(now.Add(-c.ago), now); got != c.want {
			t.Errorf("relTime(now-%v) = %q, want %q", c.ago, got, c.want)
		}
	}
	if whenText(time.Time{}, now) != "" {
		t.Error("a zero time has a text")
	}
	if got := whenText(now.Add(-time.Hour), now); got != "1 hour ago (2026-11-23 11:00)" {
		t.Errorf("whenText = %q", got)
	}
}

func TestHumanSize(t *testing.T) {
	cases := map[int64]string{
		-1: "0 B", 0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 183_204: "178.9 KB",
		2_621_440: "2.5 MB", 5 << 30: "5.0 GB", 3 << 40: "3072.0 GB",
	}
	for n, want := range cases {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain":                "plain",
		"tab\tand\nnewline":    "tab\tand\nnewline",
		"\x1b[31mred\x1b[0m":   "[31mred[0m",
		"bell\a cr\r del\x7f":  "bell cr\n del", // a lone CR is a line break, never a carriage return
		"bidi\u202eevil\u2066": "bidievil",
		"zero\u200bwidth":      "zerowidth",
		"c1\u009b31m":          "c131m",
		"ünïcödé ✓ 日本":         "ünïcödé ✓ 日本",
		"\x00nul":              "nul",
	}
	for in, want := range cases {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEscapedTildeShowsAsTilde: a literal ~ in a comment reaches the
// Markdown as \~ (so it is not strike-through); it shows as ~, while code
// keeps what was typed.
func TestEscapedTildeShowsAsTilde(t *testing.T) {
	for in, want := range map[string]string{
		`about \~5 min, \~\~not struck\~\~`: "about ~5 min, ~~not struck~~",
		"code `a\\~b` stays":                "a\\~b",
		`back\\slash \\~x`:                  `back\slash \`,
	} {
		got := ansi.Strip(strings.Join(renderUncached(in, 60, theme{}), "\n"))
		if !strings.Contains(got, want) {
			t.Errorf("%q renders as %q, want it to contain %q", in, got, want)
		}
	}
	fenced := "```\n\\~ kept\n```\n"
	if got := glamourEscapes(fenced); got != fenced {
		t.Errorf("fenced code changed: %q", got)
	}
}

// TestRelTimeFarFuture: a date past 2262 (past what a Duration holds from
// now) is "in … years", not "just now".
func TestRelTimeFarFuture(t *testing.T) {
	for _, y := range []int{2263, 2400, 9999} {
		got := relTime(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), fixedNow)
		if !strings.HasPrefix(got, "in ") || !strings.HasSuffix(got, "years") {
			t.Errorf("year %d: %q", y, got)
		}
	}
}
