package detail

import (
	"fmt"
	"testing"
)

// BenchmarkView is View of a long issue (50 comments) after it was laid
// out: what every frame costs. It must stay well under a millisecond.
func BenchmarkView(b *testing.B) {
	for _, size := range []struct{ w, h int }{{80, 24}, {200, 60}} {
		b.Run(sizeName(size.w, size.h), func(b *testing.B) {
			m := New(testCommon()).SetSize(size.w, size.h).SetIssue(longIssue(50))
			m, _ = m.Update(press("G"))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkSetIssue is laying out a long issue whose Markdown is cached
// (a re-fetch, or the second visit).
func BenchmarkSetIssue(b *testing.B) {
	c := testCommon()
	is := longIssue(50)
	m := New(c).SetSize(120, 40).SetIssue(is)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m = m.SetIssue(is)
	}
}

// BenchmarkSetIssueCold is the first layout of a long issue: glamour for
// the description and all 50 comments.
func BenchmarkSetIssueCold(b *testing.B) {
	c := testCommon()
	is := longIssue(50)
	m := New(c).SetSize(120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		renders = newMDCache(mdCacheSize)
		m = m.SetIssue(is)
	}
}

// BenchmarkSetIssueColdCode is BenchmarkSetIssueCold with a code block
// in every comment (a Java stack trace or a Go function, alternately), so
// the first layout highlights fifty code blocks.
func BenchmarkSetIssueColdCode(b *testing.B) {
	c := testCommon()
	is := longIssue(50)
	for i := range is.Comments {
		code := "```go\nfunc retry(n int) error {\n\tfor i := 0; i < n; i++ { // up to n times\n\t\tif err := save(\"KP-1\", 42); err == nil {\n\t\t\treturn nil\n\t\t}\n\t}\n\treturn fmt.Errorf(\"gave up after %d\", n)\n}\n```"
		if i%2 == 1 {
			code = "```java\njava.lang.IllegalStateException: board out of sync\n\tat com.example.Board.move(Board.java:42)\n\tat com.example.Api.handle(Api.java:7)\n```"
		}
		is.Comments[i].Body += "\n\n" + code
	}
	m := New(c).SetSize(120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		renders = newMDCache(mdCacheSize)
		m = m.SetIssue(is)
	}
}

// BenchmarkPreview is the list's preview pane per frame, cache warm.
func BenchmarkPreview(b *testing.B) {
	c := testCommon()
	is := richIssue()
	_ = Preview(c, is, 70, 30, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = Preview(c, is, 70, 30, 3)
	}
}

func sizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }

// BenchmarkNextLink is tab on a long issue: the selection moves by
// swapping one line, so it costs a copy of the page, not a layout.
func BenchmarkNextLink(b *testing.B) {
	m := New(testCommon()).SetSize(120, 40).SetIssue(longIssue(50))
	tab := press("tab")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, _ = m.Update(tab)
	}
}

// BenchmarkScroll is j on a long issue.
func BenchmarkScroll(b *testing.B) {
	m := New(testCommon()).SetSize(120, 40).SetIssue(longIssue(50))
	j, k := press("j"), press("k")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m, _ = m.Update(j)
		} else {
			m, _ = m.Update(k)
		}
	}
}

// BenchmarkSetIssueColdLinks is BenchmarkSetIssueCold with hyperlinks on
// (every rendered line goes through hyperlink.Linker.Line).
func BenchmarkSetIssueColdLinks(b *testing.B) {
	c := testCommon()
	c.Hyperlinks = true
	is := longIssue(50)
	m := New(c).SetSize(120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		renders = newMDCache(mdCacheSize)
		m = m.SetIssue(is)
	}
}
