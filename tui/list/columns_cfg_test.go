package list

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// columnsPage is a page whose issues carry the values of configured field
// columns (story points, a due date, fix versions), as a search with those
// columns decodes them.
func columnsPage(n int) jiraclient.SearchPage {
	p := page(1, n, true, n)
	for i := range p.Issues {
		pts := float64(i%5 + 1)
		v := map[string]jiraclient.FieldValue{
			"customfield_10016": {Kind: jiraclient.FieldNumber, Number: &pts},
			"fixVersions":       {Kind: jiraclient.FieldVersions, Refs: []jiraclient.Ref{{ID: "1", Name: "v1." + strconv.Itoa(i%3)}}},
		}
		if i%2 == 0 {
			v["duedate"] = jiraclient.FieldValue{Kind: jiraclient.FieldDate, Time: time.Date(2026, 12, 1+i%20, 0, 0, 0, 0, time.UTC)}
		}
		p.Issues[i].Values = v
		p.Issues[i].Priority, p.Issues[i].Assignee = nil, nil // not asked for
	}
	return p
}

// TestColumnsConfigured: the profile's columns decide what the list
// draws: the built-in ones named, the field columns (values from
// Issue.Values) before the summary, under their ids' titles when the field
// list is not loaded; narrowing drops the field columns first.
func TestColumnsConfigured(t *testing.T) {
	cfg := []string{"key", "status", "customfield_10016", "duedate", "fixVersions", "summary", "updated"}
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(strconv.Itoa(sz[0])+"x"+strconv.Itoa(sz[1]), func(t *testing.T) {
			c := newCommon(sz[0], sz[1])
			c.Columns = cfg
			m := New(c, Options{})
			m.Init()
			m.SetSize(sz[0], sz[1])
			m = send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Page: columnsPage(20)})
			v := view(m)
			head := ""
			for _, l := range strings.Split(v, "\n") {
				if strings.Contains(l, "Key") && strings.Contains(l, "Summary") {
					head = l
				}
			}
			if strings.Contains(head, "Prio") || strings.Contains(head, "Assignee") || strings.Contains(head, "Type") {
				t.Errorf("columns not configured are drawn: %q", head)
			}
			if sz[0] >= 120 && (!strings.Contains(head, "customfield_100") || !strings.Contains(v, "v1.2") || !strings.Contains(v, "2026-12-01")) {
				t.Errorf("field columns missing:\n%s", v)
			}
			golden.RequireEqual(t, v)
		})
	}
	// At 60 columns the field columns go first; key, status, summary stay.
	l := layoutWith(colWidths{key: 6, status: 11, extra: map[string]int{"duedate": 10}}, 60,
		store.ResolveColumns(cfg, nil))
	for _, c := range l.cols {
		if c >= colExtra {
			t.Errorf("field column %s kept at 60 columns", l.title(c))
		}
	}
}

// BenchmarkListViewColumns1k is BenchmarkListView1k with three field
// columns configured (the column resolution and the values' Format run per
// frame, for the visible rows only).
func BenchmarkListViewColumns1k(b *testing.B) {
	c := newCommon(200, 60)
	c.Columns = []string{"key", "type", "priority", "status", "assignee", "customfield_10016", "duedate", "fixVersions", "summary", "updated"}
	m := New(c, Options{})
	m.SetSize(200, 60)
	p := columnsPage(1000)
	p.Next, p.Total, p.Last = jiraclient.Cursor{StartAt: 1001}, 2000, false
	m, _ = m.Update(PageMsg{Gen: m.gen, JQL: m.query, Page: p})
	m.moveTo(500)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}
