package store

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// query is a query's result as far as it was loaded.
type query struct {
	keys []string
	// pos is how many positions of Jira's result were taken (keys may be
	// fewer: an issue gone between a key page and its fetch), last whether
	// that is all of it.
	pos     int
	last    bool
	total   int
	fetched time.Time
	cached  bool // read from the persistent cache, Jira not asked yet
	// spare are chunks past pos a cancelled load had in before the ones
	// ahead of them (see Store.dropLoad): the next load takes them instead
	// of asking Jira again. A new first page drops them with the query.
	spare map[int]chunkDone
}

// pageDoneMsg is the answer of a search.
type pageDoneMsg struct {
	tag     int
	jql     string
	cur     jiraclient.Cursor
	page    jiraclient.SearchPage
	fetched time.Time
	changes map[string]cache.Change
	err     error
}

func (m pageDoneMsg) Failed() error { return m.err }

// SearchQuery is the search the store sends for a list's page; the list's
// fields and page size.
func SearchQuery(jql string, pageSize int) jiraclient.SearchQuery {
	return jiraclient.SearchQuery{JQL: jql, Fields: jiraclient.ListFields, PageSize: pageSize}
}

// Load asks for jql's first page on behalf of owner (the list), tagging
// the answers with tag. Owner's earlier searches are cancelled. When the
// store has no result of jql from Jira yet, the last one is read from the
// persistent cache and answered first (a QueryMsg with Cached and its age),
// so the list draws at once; Jira's answer follows.
//
// Loading owner's query again (a refresh) or another one records that the
// user has seen the result shown until now: the next result marks what is
// new or updated since.
func (s *Store) Load(owner string, tag int, jql string, pageSize int) tea.Cmd {
	s.Cancel(owner)
	var cmds []tea.Cmd
	prev, hadPrev := s.shown[owner]
	s.shown[owner] = jql
	var seen []string
	if hadPrev {
		if q, ok := s.queries[prev]; ok && !q.cached {
			if prev == jql {
				seen = append([]string(nil), q.keys...)
			} else {
				cmds = append(cmds, s.markResultSeen(prev, q.keys))
			}
		}
	}
	if q, ok := s.queries[jql]; !ok || q.cached {
		cmds = append(cmds, s.readResult(tag, jql))
	}
	cmds = append(cmds, s.search(owner, tag, jql, jiraclient.Cursor{}, pageSize, nil, seen))
	return tea.Batch(cmds...)
}

// More asks for the page of jql at cur (after the first).
func (s *Store) More(owner string, tag int, jql string, cur jiraclient.Cursor, pageSize int) tea.Cmd {
	var before []string
	if q, ok := s.queries[jql]; ok && !q.cached {
		before = append([]string(nil), q.keys...)
	}
	return s.search(owner, tag, jql, cur, pageSize, before, nil)
}

// Result is what the store has of jql: its keys in Jira's order, Jira's
// total (-1 unknown), when Jira gave it and whether it came from the
// persistent cache only.
func (s *Store) Result(jql string) (keys []string, total int, fetched time.Time, cached, ok bool) {
	q, ok := s.queries[jql]
	if !ok {
		return nil, -1, time.Time{}, false, false
	}
	return q.keys, q.total, q.fetched, q.cached, true
}

// Changes counts the issues of jql's result new and updated since the user
// last looked ("3 new · 5 updated").
// The count is kept until a mark or a result changes: the status bar asks
// on every Update.
func (s *Store) Changes(jql string) (added, updated int) {
	if c := s.counted; c.gen == s.marks && c.jql == jql && c.ok {
		return c.added, c.updated
	}
	defer func() { s.counted = changeCount{jql: jql, gen: s.marks, added: added, updated: updated, ok: true} }()
	q, ok := s.queries[jql]
	if !ok {
		return 0, 0
	}
	for _, k := range q.keys {
		if e, ok := s.issues[k]; ok {
			switch e.change {
			case cache.New:
				added++
			case cache.Updated:
				updated++
			}
		}
	}
	return added, updated
}

// readResult reads jql's last result from the persistent cache.
func (s *Store) readResult(tag int, jql string) tea.Cmd {
	return s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
		r, ok, err := db.Result(ctx, jql)
		if err != nil || !ok {
			return nil
		}
		recs, err := db.Rows(ctx, r.Keys)
		if err != nil {
			return nil
		}
		changes, _ := db.Changes(ctx, jql, r.Keys)
		return func(s *Store) ([]tea.Msg, tea.Cmd) {
			if q, ok := s.queries[jql]; ok && !q.cached {
				return nil, nil // Jira answered first
			}
			for _, rec := range recs {
				rec.Depth = cache.List // Rows leaves the heavy fields out
				s.takeCached(rec)
			}
			keys := make([]string, 0, len(r.Keys))
			issues := make([]jiraclient.Issue, 0, len(r.Keys))
			for _, k := range r.Keys {
				e, ok := s.issues[k]
				if !ok {
					continue // evicted since
				}
				e.change = changes[k]
				keys = append(keys, k)
				issues = append(issues, e.shown())
			}
			s.queries[jql] = &query{keys: keys, total: r.Total, fetched: r.Fetched, cached: true}
			s.marks++
			return []tea.Msg{QueryMsg{
				Tag: tag, JQL: jql, Cached: true, Fetched: r.Fetched, Changes: changes,
				Page: jiraclient.SearchPage{Issues: issues, Last: true, Total: r.Total},
			}}, nil
		}
	})
}

// search asks Jira for one page; the answer, its issues and the result so
// far (before plus the page) are written to the persistent cache in the
// same command, after seen (the result the user had in front of them) is
// marked seen, so the changes it reports are against what they saw.
func (s *Store) search(owner string, tag int, jql string, cur jiraclient.Cursor, pageSize int, before, seen []string) tea.Cmd {
	db, now, cols := s.db, s.now, s.columns
	fn := func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return pageDoneMsg{tag: tag, jql: jql, cur: cur, err: ErrNoClient}, ErrNoClient
		}
		p, err := c.Search(ctx, listQuery(ctx, c, jql, pageSize, cols), cur)
		m := pageDoneMsg{tag: tag, jql: jql, cur: cur, page: p, fetched: now(), err: err}
		if err != nil || db == nil {
			return m, err
		}
		keys := make([]string, 0, len(before)+len(p.Issues))
		keys = append(keys, before...)
		pageKeys := make([]string, len(p.Issues))
		for i := range p.Issues {
			pageKeys[i] = p.Issues[i].Key
		}
		keys = append(keys, pageKeys...)
		if seen != nil {
			_ = db.MarkResultSeen(ctx, jql, seen)
		}
		_ = db.PutResult(ctx, cache.Result{JQL: jql, Keys: keys, Total: p.Total, Fetched: m.fetched}, cache.List, p.Issues)
		m.changes, _ = db.Changes(ctx, jql, pageKeys)
		return m, nil
	}
	return s.start(&request{owner: owner, internal: true, fn: fn})
}

// onPage applies a page from Jira.
func (s *Store) onPage(r *request, m pageDoneMsg) ([]tea.Msg, tea.Cmd) {
	if m.err != nil {
		if rl, ok := s.reloads[r.owner]; ok && rl.tag == m.tag {
			delete(s.reloads, r.owner)
		}
		return []tea.Msg{QueryMsg{Tag: m.tag, JQL: m.jql, Cursor: m.cur, Err: m.err}}, nil
	}
	s.takeRows(m.page.Issues, m.fetched)
	q, ok := s.queries[m.jql]
	first := m.cur == (jiraclient.Cursor{})
	if !ok || first || q.cached {
		q = &query{}
		s.queries[m.jql] = q
	}
	q.total, q.fetched, q.cached = m.page.Total, m.fetched, false
	q.pos += len(m.page.Issues)
	q.last = m.page.Last
	s.marks++
	page := m.page
	page.Issues = make([]jiraclient.Issue, len(m.page.Issues))
	rows := make([]*Row, len(m.page.Issues))
	for i, row := range m.page.Issues {
		q.keys = append(q.keys, row.Key)
		e := s.issues[row.Key]
		e.change = m.changes[row.Key]
		page.Issues[i], rows[i] = e.shown(), e.sharedRow()
	}
	if rl, ok := s.reloads[r.owner]; ok && first && rl.tag == m.tag && rl.jql == m.jql {
		// A Reload: the rest of what the view had loads before anything
		// is answered.
		delete(s.reloads, r.owner)
		if s.client != nil && !q.last && q.pos < rl.keep {
			l := s.newLoad(r.owner, m.tag, m.jql, q)
			l.hold, l.want, l.changes = true, rl.keep, map[string]cache.Change{}
			for k, v := range m.changes {
				l.changes[k] = v
			}
			var changed tea.Cmd
			if l.cloud && !rl.since.IsZero() {
				l.delta, l.since = true, rl.since
				changed = s.askChanged(l, rl.since)
			}
			out, cmd := s.pump(l)
			return out, tea.Batch(changed, cmd)
		}
	}
	return []tea.Msg{QueryMsg{Tag: m.tag, JQL: m.jql, Cursor: m.cur, Page: page, Rows: rows, Fetched: m.fetched, Changes: m.changes}}, nil
}

// markResultSeen records that the user saw keys of jql.
func (s *Store) markResultSeen(jql string, keys []string) tea.Cmd {
	keys = append([]string(nil), keys...)
	return s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
		_ = db.MarkResultSeen(ctx, jql, keys)
		return nil
	})
}

// Leave records, before the program ends, that the user saw every result
// shown; it writes synchronously (there is no loop left to answer).
func (s *Store) Leave() {
	if s.db == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	for _, jql := range s.shown {
		if q, ok := s.queries[jql]; ok && !q.cached {
			_ = s.db.MarkResultSeen(ctx, jql, q.keys)
		}
	}
}

// Change is key's mark: new or updated since the user last looked (what a
// list row shows), else Unchanged. A map lookup, for View.
func (s *Store) Change(key string) cache.Change {
	if e, ok := s.issues[key]; ok {
		return e.change
	}
	return cache.Unchanged
}

// changeCount is Changes' last answer, valid while marks is gen.
type changeCount struct {
	jql            string
	gen            uint64
	added, updated int
	ok             bool
}
