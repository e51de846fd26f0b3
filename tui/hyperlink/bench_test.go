package hyperlink

import (
	"strings"
	"testing"
)

// A rendered line as glamour writes it: styled words, one link, one key.
var benchLine = "\x1b[38;5;252mBroken since ABC-12 landed; see \x1b[m\x1b]8;id=1;https://example.com/runbook?step=2\x07\x1b[38;5;35;1mthe runbook\x1b[m\x1b]8;;\x07\x1b[38;5;252m and more words here.\x1b[m"

var plainLine = "\x1b[38;5;252m" + strings.Repeat("plain prose without keys or links ", 2) + "\x1b[m"

func BenchmarkLine(b *testing.B) {
	on := Linker{On: true, Site: "https://acme.atlassian.net"}
	for _, c := range []struct {
		name string
		l    Linker
		line string
	}{
		{"on/link+key", on, benchLine},
		{"off/link+key", Linker{}, benchLine},
		{"on/plain", on, plainLine},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = c.l.Line(c.line)
			}
		})
	}
}
