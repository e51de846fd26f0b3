package list

import (
	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Issue is the list's row for key.
func (m Model) Issue(key string) (jiraclient.Issue, bool) {
	i, ok := m.index[key]
	if !ok {
		return jiraclient.Issue{}, false
	}
	return m.issues[i].Issue(), true
}

// Sync takes key's row again from the store (the issue changed there: a
// fetch, an optimistic write, its confirmation or rollback). An issue not
// in the list is left alone.
func (m *Model) Sync(key string) {
	i, ok := m.index[key]
	if !ok {
		return
	}
	if e, ok := m.c.Issues.Issue(key); ok {
		m.setRow(i, e.Issue)
	}
}

// SetSelection selects exactly keys (those in the list): after a bulk
// action the issues that failed stay selected for another try.
func (m *Model) SetSelection(keys []string) {
	m.selected = map[string]bool{}
	m.anchor = -1
	for _, k := range keys {
		if _, ok := m.index[k]; ok {
			m.selected[k] = true
		}
	}
}

// setRow replaces row i and keeps the filter's haystack and the column
// widths in step with it.
func (m *Model) setRow(i int, is jiraclient.Issue) {
	is.Summary = capSummary(is.Summary)
	r := listRow(m.intern, is)
	m.issues[i] = r
	if i < len(m.hay) {
		m.hay[i] = r.Hay()
		m.recheckRow(i)
	}
	m.widths.fit(&is)
}

// maxSummary is the most of a summary the list keeps: Jira allows 255
// characters, so anything longer came from a misbehaving server, and a
// 100 KB summary would make every filter keystroke (which matches over
// every loaded summary) and every row drawn cost that much.
const maxSummary = 255

// capSummary cuts s to maxSummary characters, marking the cut with "…".
func capSummary(s string) string {
	if len(s) <= maxSummary {
		return s // at most maxSummary bytes, so at most as many characters
	}
	n := 0
	for i := range s {
		if n == maxSummary {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
