package list

import (
	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Undo is what Patch replaced, for Restore when Jira refuses the change.
type Undo struct {
	key     string
	row     *jiraclient.Issue
	full    *cached
	hadFull bool
}

// Issue is the list's row for key.
func (m Model) Issue(key string) (jiraclient.Issue, bool) {
	i, ok := m.index[key]
	if !ok {
		return jiraclient.Issue{}, false
	}
	return m.issues[i].issue(), true
}

// Patch changes key's row and cached detail at once (an optimistic update:
// the user sees the change before Jira confirms it) and returns what to put
// back if Jira refuses. An issue not in the list is left alone.
func (m *Model) Patch(key string, apply func(jiraclient.Issue) jiraclient.Issue) Undo {
	u := Undo{key: key}
	if apply == nil {
		return u
	}
	if i, ok := m.index[key]; ok {
		prev := m.issues[i].issue()
		u.row = &prev
		m.setRow(i, apply(prev))
	}
	if c, ok := m.cache[key]; ok {
		u.full, u.hadFull = &c, true
		if c.issue != nil {
			next := apply(*c.issue)
			m.cache[key] = cached{issue: &next, updated: c.updated}
		}
	}
	return u
}

// Restore puts back what Patch changed.
func (m *Model) Restore(u Undo) {
	if u.row != nil {
		if i, ok := m.index[u.key]; ok {
			m.setRow(i, *u.row)
		}
	}
	if u.hadFull {
		m.cache[u.key] = *u.full
	}
}

// Put replaces key's row and cached detail with the issue as Jira now has
// it (after a confirmed write). The full issue is cached as fresh, so the
// detail opens it with no request.
func (m *Model) Put(is jiraclient.Issue) {
	if i, ok := m.index[is.Key]; ok {
		m.setRow(i, is)
	}
	full := is
	m.cache[is.Key] = cached{issue: &full, updated: is.Updated}
}

// Forget drops key's cached detail so the next open fetches it again (a
// write confirmed without the issue read back).
func (m *Model) Forget(key string) { delete(m.cache, key) }

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
	r, hay := m.intern.row(is)
	m.issues[i] = r
	if i < len(m.hay) {
		m.hay[i] = hay
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
