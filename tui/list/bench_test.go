package list

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// benchList is a 200x60 list with n issues loaded and the cursor in the
// middle, as after paging through them.
func benchList(b testing.TB, n int) Model {
	c := newCommon(200, 60)
	m := New(c, Options{})
	m.SetSize(200, 60)
	m, _ = m.Update(PageMsg{Gen: m.gen, JQL: m.query, Page: jiraclient.SearchPage{Issues: mkIssues(1, n), Next: jiraclient.Cursor{StartAt: n + 1}, Total: n * 2}})
	m.moveTo(n / 2)
	return m
}

func benchView(b *testing.B, n int) {
	m := benchList(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// View must cost the same whatever is loaded: it draws only the visible rows.
func BenchmarkListView1k(b *testing.B)   { benchView(b, 1_000) }
func BenchmarkListView10k(b *testing.B)  { benchView(b, 10_000) }
func BenchmarkListView100k(b *testing.B) { benchView(b, 100_000) }

// filterKeys are typed into the filter in a cycle: a word, a letter at a
// time, then erased.
var filterKeys = []tea.KeyPressMsg{
	{Code: 'c', Text: "c"}, {Code: 'r', Text: "r"}, {Code: 'a', Text: "a"}, {Code: 's', Text: "s"}, {Code: 'h', Text: "h"},
	{Code: tea.KeyBackspace}, {Code: tea.KeyBackspace}, {Code: tea.KeyBackspace}, {Code: tea.KeyBackspace}, {Code: tea.KeyBackspace},
}

// BenchmarkFilterKeystroke is one key typed into the filter (filterKeys in
// turn) to the frame after it: the key's Update and View, with 1k, 10k and
// 100k issues loaded. The search's later steps (the rest of the walk, in
// Updates of their own) run between keys, untimed, as they do while the
// user moves a finger; BenchmarkFilterComplete times them.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchFilter(b, n, false) })
	}
}

// BenchmarkFilterComplete is one key typed into the filter to the frame
// showing its whole result: the key's Update, every later step of its
// search, and View.
func BenchmarkFilterComplete(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchFilter(b, n, true) })
	}
}

func benchFilter(b *testing.B, n int, complete bool) {
	m := benchList(b, n)
	m, _ = m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m, _ = m.Update(filterKeys[i%len(filterKeys)])
		if complete {
			m = finishFilter(m)
			_ = m.View()
			continue
		}
		_ = m.View()
		b.StopTimer()
		m = finishFilter(m)
		b.StartTimer()
	}
}

// TestViewFlat guards the O(visible) promise without timing noise: a
// frame with 30k issues allocates no more than one with 1k.
func TestViewFlat(t *testing.T) {
	small, big := benchList(t, 1_000), benchList(t, 30_000)
	as := testing.AllocsPerRun(20, func() { _ = small.View() })
	ab := testing.AllocsPerRun(20, func() { _ = big.View() })
	if ab > as*1.1+5 {
		t.Fatalf("View allocs grow with issues: %v at 1k, %v at 30k", as, ab)
	}
}

// TestMemory10k logs the heap held by a list of 10,000 issues.
func TestMemory10k(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := benchList(t, 10_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("list with %d issues: HeapInuse %.1f MiB (%.1f MiB over the empty heap)",
		len(m.Issues()), float64(after.HeapInuse)/(1<<20), float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20))
	runtime.KeepAlive(m)
}

// hugeSummaries is a list of 500 issues whose summaries are 100 KB each,
// as a misbehaving server (or a hostile one) sends them.
func hugeSummaries(b testing.TB) Model {
	c := newCommon(200, 60)
	m := New(c, Options{})
	m.SetSize(200, 60)
	is := mkIssues(1, 500)
	for i := range is {
		is[i].Summary = strings.Repeat("crash in the summary field ", 100_000/27)
	}
	m, _ = m.Update(PageMsg{Gen: m.gen, JQL: m.query, Page: jiraclient.SearchPage{Issues: is, Last: true, Total: 500}})
	return m
}

// One filter keystroke (its Update and the frame after it) over 500
// issues with 100 KB summaries costs what it costs over short ones.
func BenchmarkFilterKeystroke500x100KB(b *testing.B) {
	m := hugeSummaries(b)
	m, _ = m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := tea.KeyPressMsg{Code: 'c', Text: "c"}
		if i%2 == 1 {
			k = tea.KeyPressMsg{Code: tea.KeyBackspace}
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}
