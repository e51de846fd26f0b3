package login

import (
	"strings"
	"testing"
)

func TestWrapWords(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"a b c", 10, []string{"a b c"}},
		{"create one at https://id.atlassian.com/manage-profile/security/api-tokens now", 60,
			[]string{"create one at", "https://id.atlassian.com/manage-profile/security/api-tokens", "now"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"xx abcdefghij", 4, []string{"xx", "abcd", "efgh", "ij"}},
		{"one\ntwo", 10, []string{"one", "two"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		got := wrapWords(tt.in, tt.width)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		for _, l := range got {
			if len([]rune(l)) > tt.width {
				t.Errorf("line %q longer than %d", l, tt.width)
			}
		}
	}
}

func FuzzWrapWords(f *testing.F) {
	f.Add("hello world https://example.com/a-b-c", 12)
	f.Add("ünïcödé 漢字漢字漢字", 3)
	f.Fuzz(func(t *testing.T, s string, w int) {
		if w < 2 || w > 200 {
			return
		}
		lines := wrapWords(s, w)
		// Nothing but whitespace is lost (invalid UTF-8 reads as U+FFFD).
		if strings.Join(strings.Fields(string([]rune(strings.Join(lines, " ")))), "") != strings.Join(strings.Fields(string([]rune(s))), "") {
			t.Fatalf("wrapWords(%q, %d) lost text: %q", s, w, lines)
		}
	})
}
