package markup

import (
	"strings"
	"testing"
	"time"
)

// TestHostileInputsStayLinear feeds ~60 KB inputs (15 KB under -race) made of unclosed openers,
// the shape that makes naive delimiter matching quadratic (it took seconds
// before the scanners used next-occurrence tables). Jira allows 32 KB
// descriptions, so twice that must convert quickly. The bound is loose on
// purpose, for -race on a busy machine; quadratic code misses it by far.
func TestHostileInputsStayLinear(t *testing.T) {
	n, budget := 20000, 2*time.Second
	if raceEnabled {
		n, budget = 5000, 5*time.Second
	}
	inputs := map[string]string{
		"stars":          strings.Repeat("*a ", n),
		"open stars":     strings.Repeat(" *a", n),
		"mixed openers":  strings.Repeat("*_-+", n/4) + "x",
		"brackets":       strings.Repeat("[a", n),
		"monospace":      strings.Repeat("{{a", n),
		"colour tags":    strings.Repeat("{color:red}", n/10),
		"braced marks":   strings.Repeat("{*}a", n),
		"bangs":          strings.Repeat(" !a", n),
		"citations":      strings.Repeat(" ??a", n),
		"lines":          strings.Repeat("a\n", n),
		"table cells":    strings.Repeat("|a", n),
		"nested quotes":  strings.Repeat(">", 5000) + " x",
		"nested lists":   strings.Repeat("- ", 2000) + "x",
		"code fences":    strings.Repeat("{code}\n", n/10),
		"list markers":   strings.Repeat("*", n) + " x",
		"backslashes":    strings.Repeat("\\", n),
		"entity lookups": strings.Repeat("&amp", n),
	}
	for name, in := range inputs {
		start := time.Now()
		_ = WikiToMarkdown(in)
		_ = MarkdownToWiki(in)
		_ = ADFToMarkdown(MarkdownToADF(in))
		if d := time.Since(start); d > budget {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
	}
}
