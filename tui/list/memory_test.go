package list

import (
	"context"
	"encoding/json"
	"math"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestMemoryPerRow10k loads 10,000 of fakejira's issues into a list the
// way paging does (the list's fields and page size, decoded by the client,
// page by page)
// and checks what the list holds per issue once the pages are dropped.
// Real decoded issues, unlike mkIssues' shared literals, carry their own
// copy of every status, type, priority and user name; the list interns
// them.
func TestMemoryPerRow10k(t *testing.T) {
	const n = memoryIssues
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: n})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithLimits(jiraclient.Limits{ReadRPS: math.Inf(1), MaxInFlight: 4}))
	if err != nil {
		t.Fatal(err)
	}
	m := New(newCommon(200, 60), Options{JQL: "created >= -5000d ORDER BY key ASC"})
	m.SetSize(200, 60)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	pages := c.Pages(jiraclient.SearchQuery{JQL: m.query, Fields: jiraclient.ListFields, PageSize: PageSize})
	var cur jiraclient.Cursor
	for pages.More() {
		p, err := pages.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m.loadingMore = cur != (jiraclient.Cursor{})
		m.next = cur
		m, _ = m.onPage(PageMsg{Gen: m.gen, JQL: m.query, Cursor: cur, Page: p})
		cur = p.Next
	}
	pages = nil
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(m.issues) != n {
		t.Fatalf("%d issues loaded, want %d", len(m.issues), n)
	}
	per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	t.Logf("list with %d decoded issues: %.0f bytes per issue (%.1f MiB), HeapAlloc %.1f MiB",
		n, per, per*n/(1<<20), float64(after.HeapAlloc)/(1<<20))
	if per > maxRowBytes {
		t.Errorf("%.0f bytes per issue, want under %d", per, maxRowBytes)
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(c)
}

// TestRowsShareRepeatedValues: rows decoded separately share one copy of
// a status, type and priority name and one assignee; a row's key and
// summary are the filter's haystack, not copies; a full issue put in a row
// (after a write) leaves its description and comments to the detail cache.
func TestRowsShareRepeatedValues(t *testing.T) {
	var a, b jiraclient.Issue
	for i, is := range []*jiraclient.Issue{&a, &b} {
		// Separate decodes, as separate pages give.
		js := `{"Key":"ABC-` + string(rune('1'+i)) + `","Summary":"Crash on save","Type":{"Name":"Bug"},` +
			`"Status":{"Name":"In Progress","Category":"indeterminate"},"Priority":{"Name":"High"},` +
			`"Assignee":{"accountId":"5b10","displayName":"Grace Hopper"}}`
		if err := json.Unmarshal([]byte(js), is); err != nil {
			t.Fatal(err)
		}
	}
	m := New(newCommon(120, 30), Options{})
	m, _ = m.Update(PageMsg{Gen: m.gen, JQL: m.query, Page: jiraclient.SearchPage{Issues: []jiraclient.Issue{a, b}, Last: true, Total: 2}})
	r0, r1 := m.issues[0], m.issues[1]
	same := func(what, x, y string) {
		if unsafe.StringData(x) != unsafe.StringData(y) {
			t.Errorf("%s: two copies of %q", what, x)
		}
	}
	same("status", r0.Status.Name, r1.Status.Name)
	same("category", r0.Status.Category, r1.Status.Category)
	same("type", r0.Type.Name, r1.Type.Name)
	if r0.Priority != r1.Priority || r0.Assignee != r1.Assignee {
		t.Errorf("priority %p/%p, assignee %p/%p: not shared", r0.Priority, r1.Priority, r0.Assignee, r1.Assignee)
	}
	same("key", r0.Key, m.hay[0])
	if !strings.HasSuffix(m.hay[0], r0.Summary()) || unsafe.StringData(r0.Summary()) != unsafe.StringData(m.hay[0][len(r0.Key)+1:]) {
		t.Errorf("summary %q is not the haystack's %q", r0.Summary(), m.hay[0])
	}
	full := a
	full.Description, full.Comments = "a long description", []jiraclient.Comment{{Body: "a comment"}}
	m.c.Issues.Put(full)
	m.Sync(a.Key)
	if row, _ := m.Issue(a.Key); row.Description != "" || row.Comments != nil {
		t.Errorf("the row keeps the full issue's body: %+v", row)
	}
	if c := m.Cached(a.Key); c == nil || c.Description == "" {
		t.Errorf("the store lost the full issue: %+v", c)
	}
}

// TestHoldsTheStoresRows: a page that comes with the store's rows
// (store.QueryMsg.Rows) is held as those rows, not copies, so each issue
// is kept once; where the store gave none, or a row the list would keep
// otherwise (its summary cut), or not the page's issue, the list makes
// its own.
func TestHoldsTheStoresRows(t *testing.T) {
	is := mkIssues(1, 4)
	is[2].Summary = strings.Repeat("long ", 60) // over maxSummary: the list cuts it
	var in store.Interner
	rows := make([]*store.Row, len(is))
	for i := range is {
		r := in.Row(is[i])
		rows[i] = &r
	}
	rows[1] = nil
	other := in.Row(mkIssues(9, 1)[0])
	rows[3] = &other
	m := New(newCommon(120, 30), Options{})
	m, _ = m.Update(store.QueryMsg{Tag: m.gen, JQL: m.query, Page: jiraclient.SearchPage{Issues: is, Last: true, Total: len(is)}, Rows: rows})
	if len(m.issues) != len(is) {
		t.Fatalf("%d rows, want %d", len(m.issues), len(is))
	}
	for i, own := range []bool{false, true, true, true} {
		if (m.issues[i] != rows[i]) != own {
			t.Errorf("row %d (%s): own row %v, want %v", i, m.issues[i].Key, m.issues[i] != rows[i], own)
		}
		if m.issues[i].Key != is[i].Key || m.hay[i] != m.issues[i].Hay() {
			t.Errorf("row %d is %s, haystack %q", i, m.issues[i].Key, m.hay[i])
		}
	}
	if s := m.issues[2].Summary(); utf8.RuneCountInString(s) != maxSummary+1 {
		t.Errorf("the long summary is %d characters, want it cut to %d", utf8.RuneCountInString(s), maxSummary+1)
	}
}

// TestMemoryWithStore10k loads 10,000 of fakejira's issues the way the
// program does, through the store (its pages, QueryMsgs, handed to the
// list), and checks what the store and the list hold together per issue
// once the pages are dropped: the list holds the store's own rows, so an
// issue is kept once (the store's entry and row, the list's index and
// haystack), not once in each.
func TestMemoryWithStore10k(t *testing.T) {
	const n = memoryIssues
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 3, Issues: n})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithLimits(jiraclient.Limits{ReadRPS: math.Inf(1), MaxInFlight: 4}))
	if err != nil {
		t.Fatal(err)
	}
	s := store.New(store.Options{Client: c})
	defer s.Close()
	cm := newCommon(200, 60)
	cm.Issues = s
	m := New(cm, Options{JQL: "created >= -5000d ORDER BY key ASC"})
	m.SetSize(200, 60)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	// The store's commands run one at a time on this goroutine, their
	// answers through its Update; what it answers for the views goes to
	// the list.
	var last store.QueryMsg
	run := func(cmd tea.Cmd) {
		queue := []tea.Cmd{cmd}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if c == nil {
				continue
			}
			msg := c()
			if b, ok := msg.(tea.BatchMsg); ok {
				queue = append(queue, b...)
				continue
			}
			out, next, ok := s.Update(msg)
			if !ok {
				out = []tea.Msg{msg}
			}
			for _, o := range out {
				if q, ok := o.(store.QueryMsg); ok {
					if q.Err != nil {
						t.Fatal(q.Err)
					}
					last = q
					m, _ = m.Update(q)
				}
			}
			queue = append(queue, next)
		}
	}
	run(s.Load("list", m.gen, m.query, PageSize))
	for !last.Page.Last {
		m.loadingMore = true
		m.next = last.Page.Next
		run(s.More("list", m.gen, m.query, last.Page.Next, PageSize))
	}
	last = store.QueryMsg{}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(m.issues) != n {
		t.Fatalf("%d issues loaded, want %d", len(m.issues), n)
	}
	per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	t.Logf("store and list with %d decoded issues: %.0f bytes per issue (%.1f MiB)", n, per, per*n/(1<<20))
	if per > maxStoreAndListBytes {
		t.Errorf("%.0f bytes per issue, want under %d", per, maxStoreAndListBytes)
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(s)
}
