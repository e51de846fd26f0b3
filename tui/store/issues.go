package store

import (
	"context"
	"sort"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// Entry is an issue as the store has it.
type Entry struct {
	// Issue is what views show: Jira's last answer with the writes not yet
	// settled applied over it.
	Issue jiraclient.Issue
	// Full: fetched with the detail's fields (else only a list row's).
	Full bool
	// Fetched is when Jira gave it.
	Fetched time.Time
	// Cached: read from the persistent cache, not yet confirmed by Jira in
	// this session.
	Cached bool
	// Change says whether it is new or updated since the user last looked.
	Change cache.Change
	// Writing: a write to it is not settled yet.
	Writing bool
}

// entry is the store's record of one issue.
type entry struct {
	base    *Row // Jira's last answer (intern.go: a list row costs no more than its fields); replaced, never written through
	depth   cache.Depth
	fetched time.Time
	cached  bool
	change  cache.Change
	patches []patch
	used    uint64 // the store's tick when last opened or fetched in full
}

type patch struct {
	token string
	apply func(jiraclient.Issue) jiraclient.Issue
}

// row is is as the store's row (a new one: rows handed out stay as they
// were).
func (s *Store) row(is jiraclient.Issue) *Row {
	r := s.intern.Row(is)
	return &r
}

// sharedRow is e's row for a list to hold as its own row of the issue:
// the row Jira gave, when nothing shows over it (no write pending) and it
// is a list row (a full issue's body is the detail's), else nil.
func (e *entry) sharedRow() *Row {
	if len(e.patches) > 0 || e.depth != cache.List {
		return nil
	}
	return e.base
}

func (e *entry) shown() jiraclient.Issue {
	is := e.base.Issue()
	for _, p := range e.patches {
		is = p.apply(is)
	}
	return is
}

// fetch is an issue's fetch in flight (or its cache read, id 0).
type fetch struct {
	id       uint64
	req      *request
	prefetch bool // only the prefetch wants it: a newer prefetch cancels it
}

// issueDoneMsg is the answer of an issue fetch.
type issueDoneMsg struct {
	key     string
	issue   *jiraclient.Issue
	fetched time.Time
	err     error
}

func (m issueDoneMsg) Failed() error { return m.err }

// prefetchMsg fires PrefetchDelay after Prefetch; only the latest counts.
type prefetchMsg struct {
	s   *Store
	seq int
	key string
}

// Issue is the store's entry for key.
func (s *Store) Issue(key string) (Entry, bool) {
	e, ok := s.issues[key]
	if !ok {
		return Entry{}, false
	}
	return Entry{
		Issue:   e.shown(),
		Full:    e.depth == cache.Detail,
		Fetched: e.fetched,
		Cached:  e.cached,
		Change:  e.change,
		Writing: len(e.patches) > 0,
	}, true
}

// Full is key's issue with the detail's fields, as views show it, or nil
// when the store has only its list row (or nothing).
func (s *Store) Full(key string) *jiraclient.Issue {
	e, ok := s.issues[key]
	if !ok || e.depth != cache.Detail {
		return nil
	}
	is := e.shown()
	return &is
}

// Fresh reports whether key's full issue was given by Jira in this session
// and no newer list row has come since: opening it needs no request.
func (s *Store) Fresh(key string) bool {
	e, ok := s.issues[key]
	return ok && e.depth == cache.Detail && !e.cached
}

// Fetching reports whether key's fetch (or its cache read) is in flight.
func (s *Store) Fetching(key string) bool {
	_, ok := s.fetches[key]
	return ok
}

// Open is the user opening key: what the store has is shown at once (the
// caller reads Full), the issue's new/updated mark is cleared, and unless
// it is fresh it is read from the persistent cache (an IssueMsg with
// Cached) and fetched from Jira behind (an IssueMsg when Jira answers).
func (s *Store) Open(key string) tea.Cmd {
	if key == "" {
		return nil
	}
	var cmds []tea.Cmd
	if e, ok := s.issues[key]; ok {
		s.touch(e)
		if e.change != cache.Unchanged {
			e.change = cache.Unchanged
			s.marks++
		}
		updated := e.base.Updated
		cmds = append(cmds, s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
			_ = db.MarkSeen(ctx, key, updated) // a failure is the cache's Note
			return nil
		}))
	}
	if !s.Fresh(key) {
		cmds = append(cmds, s.want(key, false))
	}
	return tea.Batch(cmds...)
}

// Fetch asks Jira for key's full issue even when the store has it fresh
// (the user reloads). A fetch already in flight is not repeated.
func (s *Store) Fetch(key string) tea.Cmd {
	if f, ok := s.fetches[key]; ok {
		f.prefetch = false
		return nil
	}
	return s.fetch(key, false)
}

// Prefetch asks for key's full issue after the cursor has rested on it for
// PrefetchDelay; a newer Prefetch supersedes it, and cancels a prefetch
// still in flight for another issue.
func (s *Store) Prefetch(key string) tea.Cmd {
	s.prefetchSeq++
	seq := s.prefetchSeq
	s.pending.Add(1)
	return tea.Tick(s.prefetch, func(time.Time) tea.Msg { return prefetchMsg{s: s, seq: seq, key: key} })
}

func (s *Store) onPrefetch(m prefetchMsg) tea.Cmd {
	if m.seq != s.prefetchSeq || m.key == "" {
		return nil
	}
	for k, f := range s.fetches {
		if f.prefetch && k != m.key && f.req != nil {
			// Nobody needs it any more: the cursor moved on.
			f.req.cancel()
			delete(s.fetches, k)
		}
	}
	if s.Fresh(m.key) {
		return nil
	}
	return s.want(m.key, true)
}

// Release says nobody waits for key any more (the detail was left while
// it loaded): its fetch in flight is cancelled.
func (s *Store) Release(key string) {
	if f, ok := s.fetches[key]; ok && f.req != nil {
		f.req.cancel()
		delete(s.fetches, key)
	}
}

// want gets key's full issue: from the persistent cache first when the
// store holds no full copy, then from Jira. Duplicates merge.
func (s *Store) want(key string, prefetch bool) tea.Cmd {
	if f, ok := s.fetches[key]; ok {
		f.prefetch = f.prefetch && prefetch
		return nil
	}
	if e, ok := s.issues[key]; (ok && e.depth == cache.Detail) || s.db == nil || s.db.Bypassed() {
		return s.fetch(key, prefetch)
	}
	f := &fetch{prefetch: prefetch}
	s.fetches[key] = f
	return s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
		rec, ok, _ := db.Issue(ctx, key)
		return func(s *Store) ([]tea.Msg, tea.Cmd) {
			cur, still := s.fetches[key]
			if !still || cur != f {
				return nil, nil // released, or fetched meanwhile
			}
			delete(s.fetches, key)
			if ok && rec.Depth == cache.Detail && s.takeCached(rec) {
				if s.Fresh(key) {
					// Confirmed by this session's list row: no request.
					return []tea.Msg{IssueMsg{Key: key}}, nil
				}
				return []tea.Msg{IssueMsg{Key: key, Cached: true}}, s.fetch(key, f.prefetch)
			}
			return nil, s.fetch(key, f.prefetch)
		}
	})
}

// takeCached puts a record read from the cache unless the store has the
// issue newer or as deep; it reports whether it did.
func (s *Store) takeCached(rec cache.Record) bool {
	e, ok := s.issues[rec.Issue.Key]
	if ok && (e.base.Updated.After(rec.Issue.Updated) || (e.depth >= rec.Depth && !e.base.Updated.Before(rec.Issue.Updated))) {
		return false
	}
	// A row Jira gave in this session as new as the cached record confirms
	// it: the record is as fresh as a fetch (Jira bumps updated on every
	// change, comments included).
	confirmed := ok && !e.cached && e.base.Updated.Equal(rec.Issue.Updated)
	if !ok {
		e = &entry{}
		s.issues[rec.Issue.Key] = e
		if rec.UpdatedSinceSeen() {
			e.change = cache.Updated
			s.marks++
		}
	}
	e.base, e.depth, e.cached = s.row(rec.Issue), rec.Depth, !confirmed
	if !confirmed {
		e.fetched = rec.Fetched
	}
	if rec.Depth == cache.Detail {
		s.touch(e)
		s.added()
	}
	return true
}

// fetch asks Jira for key's full issue.
func (s *Store) fetch(key string, prefetch bool) tea.Cmd {
	now, get := s.now, s.getIssue
	r := &request{internal: true, key: key, fn: func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return issueDoneMsg{key: key, err: ErrNoClient}, ErrNoClient
		}
		is, err := get(ctx, c, key)
		return issueDoneMsg{key: key, issue: is, fetched: now(), err: err}, err
	}}
	cmd := s.start(r)
	s.fetches[key] = &fetch{id: r.id, req: r, prefetch: prefetch}
	return cmd
}

// dropFetch forgets r's fetch (cancelled, or held for a sign-in).
func (s *Store) dropFetch(r *request) {
	if r.key == "" {
		return
	}
	if f, ok := s.fetches[r.key]; ok && f.id == r.id {
		delete(s.fetches, r.key)
	}
}

// onInternal applies the answer of the store's own request r.
func (s *Store) onInternal(r *request, msg tea.Msg) ([]tea.Msg, tea.Cmd) {
	switch m := msg.(type) {
	case issueDoneMsg:
		s.dropFetch(r)
		return s.onIssue(m)
	case pageDoneMsg:
		return s.onPage(r, m)
	case keysDoneMsg:
		return s.onKeys(m)
	case chunkDoneMsg:
		return s.onChunk(m)
	case changedDoneMsg:
		return s.onChanged(m)
	}
	return nil, nil
}

func (s *Store) onIssue(m issueDoneMsg) ([]tea.Msg, tea.Cmd) {
	if m.err != nil || m.issue == nil {
		err := m.err
		if err == nil {
			err = errNoIssue
		}
		return []tea.Msg{IssueMsg{Key: m.key, Err: err}}, nil
	}
	return []tea.Msg{IssueMsg{Key: m.key}}, s.put(*m.issue, cache.Detail, m.fetched)
}

// put takes an issue as Jira gave it (at depth, at fetched): the entry's
// new base (its unsettled patches stay on top), written to the cache.
func (s *Store) put(is jiraclient.Issue, depth cache.Depth, fetched time.Time) tea.Cmd {
	e, ok := s.issues[is.Key]
	if !ok {
		e = &entry{}
		s.issues[is.Key] = e
	}
	is.Transitions = nil // what the user may do now: never kept
	e.base, e.depth, e.fetched, e.cached = s.row(is), depth, fetched, false
	if depth == cache.Detail {
		s.touch(e)
		s.added()
	}
	return s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
		_ = db.PutIssues(ctx, depth, fetched, is)
		return nil
	})
}

// takeRows merges a page's rows: a row newer than the entry replaces it
// (a full issue drops to the row, to be fetched again on open); a row as
// new as a full entry confirms it (fresh again, no request on open).
func (s *Store) takeRows(rows []jiraclient.Issue, fetched time.Time) {
	for i := range rows {
		is := &rows[i]
		e, ok := s.issues[is.Key]
		switch {
		case !ok:
			s.issues[is.Key] = &entry{base: s.row(*is), depth: cache.List, fetched: fetched}
		case is.Updated.After(e.base.Updated):
			e.base, e.depth, e.fetched, e.cached = s.row(*is), cache.List, fetched, false
		case !is.Updated.Before(e.base.Updated):
			if e.depth == cache.List {
				e.base = s.row(*is)
			}
			e.fetched, e.cached = fetched, false
		}
	}
}

// Put takes an issue Jira gave outside the store's own fetches (a read-back
// after a create, a test's fixture) as fresh and full, and writes it to the
// persistent cache; the returned messages tell the views.
func (s *Store) Put(is jiraclient.Issue) ([]tea.Msg, tea.Cmd) {
	if is.Key == "" {
		return nil, nil
	}
	return []tea.Msg{IssueMsg{Key: is.Key}}, s.put(is, cache.Detail, s.now())
}

func (s *Store) touch(e *entry) {
	s.tick++
	e.used = s.tick
}

// added counts a full issue taken in; every maxFull/5 of them the store
// trims (a walk over every entry, so not on each one).
func (s *Store) added() {
	s.sinceTrim++
	if s.sinceTrim >= max(1, s.maxFull/5) {
		s.sinceTrim = 0
		s.trim()
	}
}

// trim drops the least recently used full issues to their list rows when
// more than maxFull are held (down to 80% of it), when the persistent cache has them (without
// it a dropped body would cost a request). Issues with writes not settled
// or a fetch in flight stay.
func (s *Store) trim() {
	if s.db == nil || s.db.Bypassed() {
		return
	}
	var full []*entry
	for k, e := range s.issues {
		if e.depth == cache.Detail && len(e.patches) == 0 && s.fetches[k] == nil {
			full = append(full, e)
		}
	}
	if len(full) <= s.maxFull {
		return
	}
	// Down to 80%, so the walk runs once per many fetches.
	sort.Slice(full, func(i, j int) bool { return full[i].used < full[j].used })
	for _, e := range full[:len(full)-s.maxFull*4/5] {
		e.base = s.row(rowOf(e.base.Issue()))
		e.depth = cache.List
	}
}

// rowOf is an issue without the fields only the detail shows (those the
// cache keeps apart from a row).
func rowOf(is jiraclient.Issue) jiraclient.Issue {
	is.Description, is.Comments, is.Links, is.Subtasks, is.Attachments, is.Names = "", nil, nil, nil, nil, nil
	return is
}

// Rows takes list rows Jira gave outside the store's own searches (a
// board's, a sprint's or the backlog's page) as a search page's rows are
// taken: a newer row replaces the entry, one as new confirms it. Views
// showing them read the store (Issue) and get its IssueMsg on every change.
func (s *Store) Rows(rows []jiraclient.Issue) {
	s.takeRows(rows, s.now())
}
