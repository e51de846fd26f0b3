package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/list"
)

// BenchmarkRootView10k is a whole frame (list, status bar, layout) with
// 10,000 issues loaded.
func BenchmarkRootView10k(b *testing.B) {
	c, err := jiraclient.New("http://127.0.0.1:9", jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: "t"}, jiraclient.WithFlavor(jiraclient.FlavorDataCenter))
	if err != nil {
		b.Fatal(err)
	}
	m := New(Options{Client: c, Now: func() time.Time { return fixedNow }})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m = nm.(Model)
	is := make([]jiraclient.Issue, 10_000)
	for i := range is {
		is[i] = jiraclient.Issue{Key: fmt.Sprintf("ABC-%d", i+1), Summary: fmt.Sprintf("Summary of issue %d with some words", i+1),
			Type: jiraclient.IssueType{Name: "Task"}, Status: jiraclient.Status{Name: "In Progress", Category: jiraclient.CategoryInProgress},
			Updated: fixedNow.Add(-time.Duration(i) * time.Minute)}
	}
	nm, _ = m.Update(list.PageMsg{Gen: 1, JQL: m.list.JQL(), Page: jiraclient.SearchPage{Issues: is, Last: true, Total: len(is)}})
	m = nm.(Model)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
