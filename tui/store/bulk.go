package store

// Design note: loading a query's result past its first page.
//
// The first page comes from Load: one search with the list's fields, one
// round trip, as before. Everything after it is a load (LoadTo): positions
// of the result, asked for in chunks that run in parallel and are answered
// in order.
//
//   - Cloud: the keys come from keys-only searches (5,000 a page, one after
//     another, since enhanced search pages by token), and each chunk of up
//     to 100 positions is hydrated with one bulk fetch. The next key page
//     is asked for while the chunks of the one before are fetched.
//   - Data Center: the first page gave the total, so the positions up to
//     what is wanted are split into startAt pages (up to 1,000 each, the
//     default cap; a site that caps lower answers fewer and the rest is
//     asked again) all sent at once. Nothing past the search platform's
//     result window (10,000) can be asked for: the answer says so (Limit).
//
// Every chunk is a request of its own through Do's machinery (counted in
// Pending, cancelled with its owner, held over an expired login), so the
// client's throttle paces them; the store only decides what to ask for.
// Chunks that arrive early wait for the ones before them: the views get
// QueryMsgs in Jira's order, Cursor.StartAt being the chunk's position.
//
// At most loadWindow chunks are out at once (more than the client lets on
// the wire, so the throttle still sets the pace), and none is started
// while a sign-in is awaited. So when the login expires in the middle of
// a load, only the chunks already out meet the expired token (held, and
// sent again after the sign-in with the rest: Replay pumps the loads),
// not every chunk of the query queued behind the throttle.
//
// Reload (a refresh) loads the first page and as many positions as the
// view had, and answers them as one first page once all are in: the view
// swaps its rows in one go and keeps its cursor on its issue.

import (
	"context"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// MaxLoad is the most issues of one query the store loads: Data Center's
// search pages no further than its result window, and on Cloud it bounds
// a list's memory and a server that never says "last".
const MaxLoad = jiraclient.ResultWindow

// LoadChunk is how many positions one chunk asks for on Cloud (one bulk
// fetch); on Data Center chunks are pages of up to jiraclient.MaxDCPage.
// A view loading ahead of its cursor asks for this many at a time.
const LoadChunk = jiraclient.MaxBulkFetch

// loadWindow is how many chunks of one load may be out at once: twice the
// client's default requests in flight, so a slot freed on the wire finds
// the next chunk waiting while its answer is still on the UI loop.
const loadWindow = 12

// load is a query's result being loaded past its first page, for one
// owner's generation (tag).
type load struct {
	owner string
	tag   int
	jql   string
	cloud bool

	from  int // positions the result had when the load began
	want  int // positions wanted (the view asked up to here), <= MaxLoad
	asked int // positions asked for: [delivered, asked) in flight or waiting
	// end is where the result ends (-1 unknown): Data Center's total, or
	// Cloud's key count once the last key page is in; capped at MaxLoad.
	end   int
	total int // Jira's total, uncapped (-1 unknown)
	// firstTotal is Data Center's total when the load began, shifted how
	// far a later page's total was from it (said once per growth): the
	// result changed while it loaded, so the startAt pages shifted.
	firstTotal, shifted int
	// moved counts the issues a page repeated from one answered before it
	// (shown once): the result changed between them (see deliver).
	moved int

	// Cloud: the keys known, in order; the next key page's cursor.
	keys     []string
	keyCur   jiraclient.Cursor
	keysDone bool
	keysBusy bool
	keyPages int
	// pageCap is the Data Center site's page size when it caps pages
	// lower than MaxDCPage (learnt from a short page), else 0.
	pageCap int
	// out is how many chunks are out (asked, not answered: loadWindow
	// bounds it); queue are spans below asked still to ask (the rest of a
	// page the site capped).
	out   int
	queue []span

	arrived map[int]chunkDone // chunks in before the ones ahead of them
	failed  bool

	// hold: a Reload; nothing is answered until want is reached, then the
	// whole result as a first page.
	hold    bool
	changes map[string]cache.Change
	// putAt is how many positions the persistent cache's result has.
	putAt int

	// A Cloud Reload asks which issues of the query were updated since
	// the result was last fetched (one search), and fetches only the rows
	// it does not hold: the keys come from key pages as always.
	delta       bool
	changedDone bool
	since       time.Time

	// Paging always ends (as jiraclient.CheckPaging): keySeen and tokens
	// catch Cloud key pages that repeat, seen the issues already answered,
	// stop why paging ended before Jira said "last".
	keySeen   map[string]bool
	tokens    map[string]bool
	seen      map[string]bool
	stop      jiraclient.PageStop
	announced bool // a QueryMsg with Page.Last went out
}

// chunkDoneMsg is a chunk's answer.
type chunkDoneMsg struct {
	owner   string
	tag     int
	jql     string
	start   int // first position asked
	n       int // positions asked
	issues  []jiraclient.Issue
	covered int // positions the answer covers (DC: fewer when the site caps pages)
	// answeredAt is the startAt Data Center's answer says (-1: none).
	answeredAt int
	retry      bool // Cloud: Jira reported issues it could not give now
	// gone are the keys asked that Jira did not give (Cloud: deleted,
	// hidden from the user, or not given after the one retry): left out.
	gone  []string
	total int // DC: Jira's total with this page
	// shifted: DC, the result changed by this many issues since the load
	// began (see load.shifted), said with this chunk.
	shifted int
	fetched time.Time
	changes map[string]cache.Change
	err     error
	retried bool
}

func (m chunkDoneMsg) Failed() error { return m.err }

// keysDoneMsg is a Cloud keys page's answer.
type keysDoneMsg struct {
	owner string
	tag   int
	jql   string
	cur   jiraclient.Cursor
	page  jiraclient.KeyPage
	err   error
}

func (m keysDoneMsg) Failed() error { return m.err }

// LoadTo asks for jql's result up to want positions (MaxLoad or more: all
// of it) on behalf of owner's generation tag, after the first page Load
// gave. The answers are QueryMsgs in Jira's order, one per chunk, with
// Cursor.StartAt the chunk's position; the last says Page.Last. Asking
// again raises what is wanted; Cancel(owner) drops the load (what was
// answered stays).
func (s *Store) LoadTo(owner string, tag int, jql string, want int) tea.Cmd {
	q, ok := s.queries[jql]
	if !ok || q.cached || s.client == nil {
		return nil
	}
	l := s.loads[owner]
	if l == nil || l.tag != tag || l.jql != jql {
		if q.last || q.pos >= min(want, MaxLoad) {
			return nil // all of it is in (the view has not read every answer yet)
		}
		l = s.newLoad(owner, tag, jql, q)
		if l == nil {
			return nil
		}
	}
	l.want = max(l.want, min(want, MaxLoad))
	out, cmd := s.pump(l)
	return tea.Batch(cmd, answer(out))
}

// answer makes messages into a command's answers.
func answer(out []tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, m := range out {
		cmds = append(cmds, func() tea.Msg { return m })
	}
	return tea.Batch(cmds...)
}

// Loading says how far owner's load is: positions answered and wanted, and
// whether one runs.
func (s *Store) Loading(owner string) (done, want int, ok bool) {
	l := s.loads[owner]
	if l == nil {
		return 0, 0, false
	}
	q := s.queries[l.jql]
	if q == nil {
		return 0, 0, false
	}
	want = l.want
	if l.end >= 0 {
		want = min(want, l.end)
	}
	return q.pos, want, true
}

// Reload loads owner's query again: its first page and as many positions
// as the view shows (keep), answered together as one first page (a
// QueryMsg with the zero Cursor) once all are in, so the view keeps its
// rows and cursor. The first request asks for as many as one page with
// the list's fields may carry (Cloud 100, Data Center 1,000); the rest
// load as LoadTo does.
func (s *Store) Reload(owner string, tag int, jql string, pageSize, keep int) tea.Cmd {
	if keep <= pageSize || s.client == nil {
		return s.Load(owner, tag, jql, pageSize)
	}
	size := min(keep, jiraclient.MaxDCPage)
	cloud := s.client.Flavor() != jiraclient.FlavorDataCenter
	if cloud {
		size = min(keep, LoadChunk)
	}
	var since time.Time
	if q, ok := s.queries[jql]; ok && !q.cached && cloud {
		since = q.fetched
	}
	cmd := s.Load(owner, tag, jql, size)
	s.reloads[owner] = reload{tag: tag, jql: jql, keep: min(keep, MaxLoad), since: since}
	return cmd
}

// reload is a Reload waiting for its first page.
type reload struct {
	tag  int
	jql  string
	keep int
	// since is when Jira gave the result being refreshed (Cloud): the
	// rows not updated since are taken from the store, not fetched again.
	since time.Time
}

// newLoad starts a load after q's first page.
func (s *Store) newLoad(owner string, tag int, jql string, q *query) *load {
	l := &load{
		owner: owner, tag: tag, jql: jql,
		cloud: s.client.Flavor() != jiraclient.FlavorDataCenter,
		from:  q.pos, asked: q.pos, end: -1, total: q.total, firstTotal: q.total, putAt: q.pos,
		arrived: map[int]chunkDone{},
		keySeen: map[string]bool{}, tokens: map[string]bool{},
	}
	if q.last {
		l.end = q.pos
	}
	if !l.cloud && q.total >= 0 {
		l.end = min(q.total, MaxLoad)
	}
	for at, c := range q.spare {
		if at >= q.pos {
			l.arrived[at] = c // pump asks around them
		}
	}
	q.spare = nil
	s.loads[owner] = l
	return l
}

// dropLoad forgets owner's load (cancelled: Esc, a sign-in given up, a
// failure). The chunks it had in beyond a gap stay with the query as
// spare, so the next load does not ask Jira for them again.
func (s *Store) dropLoad(owner string) {
	l := s.loads[owner]
	if l == nil {
		return
	}
	delete(s.loads, owner)
	if q := s.queries[l.jql]; q != nil && len(l.arrived) > 0 && !l.hold && !l.delta {
		q.spare = l.arrived
	}
}

// chunkDone is an arrived chunk waiting for the ones before it.
type chunkDone = chunkDoneMsg

// span is n positions from start.
type span struct{ start, n int }

// pump asks for what l still needs: Cloud key pages, then chunks, as
// many as loadWindow lets out. Nothing is asked while a sign-in is
// awaited (Replay pumps again).
func (s *Store) pump(l *load) ([]tea.Msg, tea.Cmd) {
	if l.failed {
		return nil, nil
	}
	limit := l.want
	if l.end >= 0 {
		limit = min(limit, l.end)
	}
	var cmds []tea.Cmd
	if l.cloud {
		if !l.keysDone && !l.keysBusy && len(l.keys) < limit && !s.loginAsked {
			cmds = append(cmds, s.askKeys(l))
		}
		limit = min(limit, len(l.keys))
	}
	if l.delta && !l.changedDone {
		limit = l.asked // the chunks wait to know what changed
	}
	if s.loginAsked {
		limit = l.asked
	}
	for len(l.queue) > 0 && l.out < loadWindow && !s.loginAsked {
		sp := l.queue[0]
		l.queue = l.queue[1:]
		cmds = append(cmds, s.askChunk(l, sp.start, sp.n, nil))
	}
	held := false
	for l.asked < limit && l.out < loadWindow {
		if c, ok := l.arrived[l.asked]; ok && c.n > 0 {
			l.asked += c.n // in already (a cancelled load's spare)
			continue
		}
		n := min(limit-l.asked, LoadChunk)
		if l.delta {
			if c, ok := s.reuse(l, l.asked, n); ok {
				l.arrived[l.asked] = c // every row held and unchanged: no request
				l.asked += n
				held = true
				continue
			}
		}
		if !l.cloud {
			n = min(limit-l.asked, jiraclient.MaxDCPage)
			if l.pageCap > 0 {
				n = min(n, l.pageCap)
			}
		}
		for at := range l.arrived {
			if at > l.asked && at < l.asked+n {
				n = at - l.asked // up to a spare chunk, not into it
			}
		}
		cmds = append(cmds, s.askChunk(l, l.asked, n, nil))
		l.asked += n
	}
	var out []tea.Msg
	var c tea.Cmd
	if held {
		out, c = s.deliver(l)
	} else {
		out, c = s.finish(l)
	}
	return out, tea.Batch(append(cmds, c)...)
}

// reuse is the chunk of n positions from start made of the rows the store
// holds, when it holds every one (a Reload's unchanged rows).
func (s *Store) reuse(l *load, start, n int) (chunkDoneMsg, bool) {
	c := chunkDoneMsg{owner: l.owner, tag: l.tag, jql: l.jql, start: start, n: n, covered: n, total: -1, answeredAt: -1, fetched: s.now()}
	for _, k := range l.keys[start : start+n] {
		e, ok := s.issues[k]
		if !ok || !l.current(e) {
			return chunkDoneMsg{}, false
		}
		c.issues = append(c.issues, rowOf(e.base.Issue()))
	}
	return c, true
}

// current says e's row is as Jira has it now, as far as a Reload knows:
// fetched since the result was (so the search for what was updated since
// would have found a change).
func (l *load) current(e *entry) bool {
	return !e.cached && !e.fetched.Before(l.since)
}

// askKeys asks for Cloud's next key page.
func (s *Store) askKeys(l *load) tea.Cmd {
	l.keysBusy = true
	owner, tag, jql, cur := l.owner, l.tag, l.jql, l.keyCur
	return s.start(&request{owner: owner, internal: true, fn: func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		if c == nil {
			return keysDoneMsg{owner: owner, tag: tag, jql: jql, err: ErrNoClient}, ErrNoClient
		}
		p, err := c.SearchKeys(ctx, jql, cur, 0)
		return keysDoneMsg{owner: owner, tag: tag, jql: jql, cur: cur, page: p, err: err}, err
	}})
}

// askChunk asks for n positions from start: a bulk fetch of their keys
// (Cloud) or a startAt page (Data Center). prev, when set, is the chunk's
// first answer, in which Jira reported issues it could not give now: this
// is its one retry, asking only for the keys prev did not give.
func (s *Store) askChunk(l *load, start, n int, prev *chunkDoneMsg) tea.Cmd {
	l.out++
	owner, tag, jql, db, now := l.owner, l.tag, l.jql, s.db, s.now
	retried := prev != nil
	var keys []string
	held := map[string]jiraclient.Issue{}
	if l.cloud {
		keys = append([]string(nil), l.keys[start:start+n]...)
		if l.delta {
			for _, k := range keys {
				if e, ok := s.issues[k]; ok && l.current(e) {
					held[k] = rowOf(e.base.Issue())
				}
			}
		}
		if prev != nil {
			for _, is := range prev.issues {
				held[is.Key] = is
			}
		}
	}
	return s.start(&request{owner: owner, internal: true, fn: func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		m := chunkDoneMsg{owner: owner, tag: tag, jql: jql, start: start, n: n, retried: retried, total: -1, answeredAt: -1}
		if c == nil {
			m.err = ErrNoClient
			return m, m.err
		}
		if keys != nil {
			ask := keys
			if len(held) > 0 {
				ask = nil
				for _, k := range keys {
					if _, ok := held[k]; !ok {
						ask = append(ask, k)
					}
				}
			}
			var r jiraclient.BulkResult
			var err error
			if len(ask) > 0 {
				r, err = c.BulkFetch(ctx, ask, jiraclient.ListFields)
			}
			m.issues, m.covered, m.retry, m.err = r.Issues, n, len(r.Errors) > 0, err
			if err == nil && len(held) > 0 {
				// In the order of the keys: the rows held, the ones fetched
				// (an issue found under another key, moved, at the end).
				got := make(map[string]jiraclient.Issue, len(r.Issues))
				for _, is := range r.Issues {
					got[is.Key] = is
				}
				m.issues = m.issues[:0:0]
				for _, k := range keys {
					if is, ok := got[k]; ok {
						m.issues = append(m.issues, is)
						delete(got, k)
					} else if is, ok := held[k]; ok {
						m.issues = append(m.issues, is)
					}
				}
				for _, is := range r.Issues {
					if _, moved := got[is.Key]; moved {
						m.issues = append(m.issues, is)
					}
				}
			}
			if err == nil {
				given := make(map[string]bool, len(m.issues))
				for _, is := range m.issues {
					given[is.Key] = true
				}
				for _, k := range keys {
					if !given[k] {
						m.gone = append(m.gone, k)
					}
				}
			}
		} else {
			p, err := c.Search(ctx, SearchQuery(jql, n), jiraclient.Cursor{StartAt: start})
			m.issues, m.covered, m.total, m.err = p.Issues, len(p.Issues), p.Total, err
			m.answeredAt = p.AnsweredAt
		}
		m.fetched = now()
		if m.err != nil {
			return m, m.err
		}
		if db != nil && len(m.issues) > 0 {
			_ = db.PutIssues(ctx, cache.List, m.fetched, m.issues...)
			ks := make([]string, len(m.issues))
			for i := range m.issues {
				ks[i] = m.issues[i].Key
			}
			m.changes, _ = db.Changes(ctx, jql, ks)
		}
		return m, nil
	}})
}

// current is owner's load if msg is for it.
func (s *Store) current(owner string, tag int, jql string) *load {
	l := s.loads[owner]
	if l == nil || l.tag != tag || l.jql != jql {
		return nil
	}
	return l
}

// onKeys takes a Cloud key page.
func (s *Store) onKeys(m keysDoneMsg) ([]tea.Msg, tea.Cmd) {
	l := s.current(m.owner, m.tag, m.jql)
	if l == nil {
		return nil, nil
	}
	l.keysBusy = false
	if m.err != nil {
		return s.fail(l, len(l.keys), m.err)
	}
	l.keyPages++
	// Paging always ends: Jira marking the last page, a repeated token (its
	// page is the one before again: dropped), a page adding no key not
	// seen, or MaxLoad keys (see jiraclient.CheckPaging).
	added := 0
	if m.page.Last || m.page.Next != m.cur {
		for _, k := range m.page.Keys {
			if !l.keySeen[k] {
				l.keySeen[k] = true
				l.keys = append(l.keys, k)
				added++
			}
		}
	}
	l.keyCur = m.page.Next
	switch {
	case m.page.Last:
	case m.page.Next == m.cur || l.tokens[m.page.Next.Token]:
		l.stop = jiraclient.PageRepeated
	case added == 0:
		l.stop = jiraclient.PageNoProgress
	}
	l.tokens[m.page.Next.Token] = true
	if m.page.Last || l.stop != jiraclient.PageGoOn || len(l.keys) >= MaxLoad {
		l.keysDone = true
		l.total = len(l.keys)
		if !m.page.Last && len(l.keys) >= MaxLoad {
			l.total = -1 // more than MaxLoad, how many is unknown
		}
		l.keys = l.keys[:min(len(l.keys), MaxLoad)]
		l.end = len(l.keys)
	}
	return s.pump(l)
}

// onChunk takes a chunk and answers every chunk now in order.
func (s *Store) onChunk(m chunkDoneMsg) ([]tea.Msg, tea.Cmd) {
	l := s.current(m.owner, m.tag, m.jql)
	if l == nil {
		return nil, nil
	}
	l.out--
	if m.err != nil {
		return s.fail(l, m.start, m.err)
	}
	if m.answeredAt >= 0 && m.answeredAt != m.start {
		// Jira answered another page than the one asked (Data Center's
		// startAt echoed back): it does not page; stop here.
		m.covered, m.issues = 0, nil
		l.stop = jiraclient.PageNoProgress
	}
	var cmds []tea.Cmd
	if m.retry && !m.retried {
		// Jira could not give some issues now ("a retriable error"): ask
		// once more for the ones it did not give.
		return nil, s.askChunk(l, m.start, m.n, &m)
	}
	if len(m.gone) > 0 && l.total >= 0 {
		// Left out: the result is that many issues fewer.
		l.total = max(0, l.total-len(m.gone))
	}
	if !l.cloud && m.total >= 0 {
		if d := abs(m.total - l.firstTotal); l.firstTotal >= 0 && d > l.shifted {
			// Issues left or joined the result since the load began: the
			// pages answered since are shifted against those before, so
			// issues at their edges may be missed (or shown after they
			// left). Said, not mended: r reloads.
			l.shifted, m.shifted = d, d+l.moved
		}
		l.total = m.total
		l.end = min(m.total, MaxLoad)
	}
	if m.covered < m.n {
		if !l.cloud && m.start+m.covered < l.end && m.covered > 0 && l.stop == jiraclient.PageGoOn {
			// The site caps pages lower than asked (its
			// jira.search.views.default.max): ask for the rest in pages
			// of that size, all at once, and size the next ones so.
			l.pageCap = m.covered
			for at, end := m.start+m.covered, m.start+m.n; at < end; at += l.pageCap {
				l.queue = append(l.queue, span{at, min(l.pageCap, end-at)})
			}
		} else {
			// The result ends here (issues left it while it loaded).
			l.end = m.start + m.covered
		}
	}
	m.n = m.covered
	l.arrived[m.start] = m
	out, cmd := s.deliver(l)
	if s.loads[l.owner] == l {
		// A slot is free: the next chunk.
		more, c := s.pump(l)
		out, cmd = append(out, more...), tea.Batch(cmd, c)
	}
	return out, tea.Batch(append(cmds, cmd)...)
}

// deliver answers the chunks that are next in order.
func (s *Store) deliver(l *load) ([]tea.Msg, tea.Cmd) {
	q := s.queries[l.jql]
	if q == nil {
		return nil, nil
	}
	var out []tea.Msg
	for {
		pos := q.pos
		c, ok := l.arrived[pos]
		if !ok {
			break
		}
		delete(l.arrived, pos)
		s.takeRows(c.issues, c.fetched)
		page := jiraclient.SearchPage{Issues: make([]jiraclient.Issue, 0, len(c.issues)), Total: -1}
		rows := make([]*Row, 0, len(c.issues))
		if l.seen == nil {
			l.seen = make(map[string]bool, len(q.keys))
			for _, k := range q.keys {
				l.seen[k] = true
			}
		}
		moved := 0
		for _, row := range c.issues {
			if l.seen[row.Key] {
				moved++ // moved between pages while they loaded: shown once
				continue
			}
			l.seen[row.Key] = true
			q.keys = append(q.keys, row.Key)
			e := s.issues[row.Key]
			e.change = c.changes[row.Key]
			if e.change == cache.Unchanged {
				e.change = l.changes[row.Key] // a Reload's search for what was updated
			}
			page.Issues = append(page.Issues, e.shown())
			rows = append(rows, e.sharedRow())
		}
		if len(page.Issues) == 0 && len(c.issues) > 0 && !l.cloud {
			// A page of issues all answered before: Jira does not page.
			// Nothing from here on is taken.
			l.stop, l.end = jiraclient.PageNoProgress, pos
			clear(l.arrived)
		} else {
			q.pos += c.n
			if moved > 0 {
				// An issue shows again at the edge of a page answered
				// after the result changed (one moved up it, or joined
				// it before): the pages are shifted against each other
				// and one issue may be in none. Said like a changed total.
				l.moved += moved
				c.shifted = l.shifted + l.moved
			}
		}
		s.marks++
		if l.hold {
			for k, v := range c.changes {
				l.changes[k] = v
			}
			continue
		}
		page.Next = jiraclient.Cursor{StartAt: q.pos}
		page.Last = l.end >= 0 && q.pos >= l.end
		page.Total = l.shownTotal()
		q.last = page.Last
		l.announced = page.Last
		out = append(out, QueryMsg{Tag: l.tag, JQL: l.jql, Cursor: jiraclient.Cursor{StartAt: pos}, Page: page, Rows: rows,
			Fetched: c.fetched, Changes: c.changes, Limit: l.limit(), Stop: l.stop, Gone: c.gone, Shifted: c.shifted})
	}
	more, cmd := s.finish(l)
	return append(out, more...), cmd
}

// shownTotal is the total a view shows: Jira's, else the end once known.
func (l *load) shownTotal() int {
	if l.total >= 0 {
		return l.total
	}
	return -1
}

// limit is MaxLoad when the result is larger than the store loads.
func (l *load) limit() int {
	if l.end >= MaxLoad && (l.total > MaxLoad || l.total < 0) {
		return MaxLoad
	}
	return 0
}

// finish ends l when what was wanted is in: a held Reload answers its
// result, and the result is written to the persistent cache.
func (s *Store) finish(l *load) ([]tea.Msg, tea.Cmd) {
	q := s.queries[l.jql]
	if q == nil || s.loads[l.owner] != l {
		return nil, nil
	}
	target := l.want
	if l.end >= 0 {
		target = min(target, l.end)
	}
	if q.pos < target || len(l.arrived) > 0 {
		return nil, nil
	}
	if l.end >= 0 && q.pos >= l.end {
		q.last = true
	}
	if q.total < 0 && l.cloud && l.keysDone {
		q.total = l.total
	}
	var cmds []tea.Cmd
	var out []tea.Msg
	if l.hold {
		l.hold, l.announced = false, true
		issues := make([]jiraclient.Issue, 0, len(q.keys))
		rows := make([]*Row, 0, len(q.keys))
		for _, k := range q.keys {
			issues = append(issues, s.issues[k].shown())
			rows = append(rows, s.issues[k].sharedRow())
		}
		page := jiraclient.SearchPage{Issues: issues, Next: jiraclient.Cursor{StartAt: q.pos}, Last: q.last, Total: l.shownTotal()}
		out = append(out, QueryMsg{Tag: l.tag, JQL: l.jql, Page: page, Rows: rows, Fetched: q.fetched, Changes: l.changes, Limit: l.limit()})
	}
	done := l.end >= 0 && q.pos >= l.end
	var then func() tea.Cmd
	if done && q.pos-l.from >= releaseAfter {
		then = s.release
	}
	if l.putAt != q.pos {
		l.putAt = q.pos
		// The memory goes back after the result is written: that write
		// is the load's last garbage.
		if put := s.putResult(l.jql, q, then); put != nil {
			cmds, then = append(cmds, put), nil
		}
	}
	if then != nil {
		cmds = append(cmds, then())
	}
	if done {
		if !l.hold && !l.announced {
			// The end was learnt with no chunk left to answer (a key page
			// said so): say it.
			l.announced = true
			out = append(out, QueryMsg{Tag: l.tag, JQL: l.jql, Cursor: jiraclient.Cursor{StartAt: q.pos},
				Page:    jiraclient.SearchPage{Next: jiraclient.Cursor{StartAt: q.pos}, Last: true, Total: l.shownTotal()},
				Fetched: q.fetched, Limit: l.limit(), Stop: l.stop})
		}
		delete(s.loads, l.owner) // all of it is in
		if l.stop != jiraclient.PageGoOn {
			for _, r := range s.reqs {
				if r.owner == l.owner {
					r.cancel() // chunks past where Jira stopped paging
				}
			}
		}
	}
	// Else more may be wanted later: the load stays for LoadTo to raise.
	return out, tea.Batch(cmds...)
}

// releaseAfter is how many positions a load must have brought for its end
// to hand the heap's free memory back to the operating system (release).
const releaseAfter = 1000

// freeOSMemory is debug.FreeOSMemory (a test counts the calls).
var freeOSMemory = debug.FreeOSMemory

// release hands the memory a big load left behind back to the operating
// system once the session has gone quiet: ReleaseDelay after the load's
// end (its result written), and later while the store has other work out.
// While chunks arrive the heap holds their answers, raw, decoded and being
// written to the cache, beside the rows kept; then the views draw the
// result and the preview renders the issue under the cursor. The collector
// lets the heap grow to twice what is live and the runtime gives free
// pages back only slowly, so after a load of 10,000 issues the process
// kept ~30 MB of heap for ~10 MB live for minutes. One forced collection
// and scavenge (debug.FreeOSMemory: milliseconds for a heap of this size,
// in a command: the UI loop does not wait) after that garbage is made
// brings the resident size down to what is in use. The wait is counted in
// Pending until its releasedMsg is applied. A load ending while a release
// waits adds nothing: that release comes after it.
func (s *Store) release() tea.Cmd {
	if s.releasing {
		return nil
	}
	s.releasing = true
	s.pending.Add(1)
	return s.releaseTick()
}

// releaseTick waits ReleaseDelay, then asks update whether to release.
func (s *Store) releaseTick() tea.Cmd {
	return tea.Tick(s.releaseDelay, func(time.Time) tea.Msg { return releaseDueMsg{s: s} })
}

// onReleaseDue releases the memory, or waits another ReleaseDelay while
// requests or cache work are out (their answers are more garbage).
func (s *Store) onReleaseDue() tea.Cmd {
	if len(s.reqs) > 0 || s.pending.Load() > 1 {
		return s.releaseTick()
	}
	return func() tea.Msg {
		freeOSMemory()
		return releasedMsg{s: s}
	}
}

// releaseDueMsg is release's wait ending; releasedMsg is its end.
type (
	releaseDueMsg struct{ s *Store }
	releasedMsg   struct{ s *Store }
)

// putResult writes q's keys as jql's result to the persistent cache, then
// (on the UI loop) makes then's command, if any.
func (s *Store) putResult(jql string, q *query, then func() tea.Cmd) tea.Cmd {
	r := cache.Result{JQL: jql, Keys: append([]string(nil), q.keys...), Total: q.total, Fetched: q.fetched}
	return s.onDisk(func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd) {
		_ = db.PutResult(ctx, r, cache.List, nil)
		if then == nil {
			return nil
		}
		return func(*Store) ([]tea.Msg, tea.Cmd) { return nil, then() }
	})
}

// fail ends l on an error, cancelling its other requests: the view hears
// of it at the position it failed (a held Reload as its first page's
// failure, so the view keeps what it shows).
func (s *Store) fail(l *load, at int, err error) ([]tea.Msg, tea.Cmd) {
	l.failed = true
	s.Cancel(l.owner)
	cur := jiraclient.Cursor{StartAt: max(at, 1)}
	if l.hold {
		cur = jiraclient.Cursor{}
	}
	return []tea.Msg{QueryMsg{Tag: l.tag, JQL: l.jql, Cursor: cur, Err: err}}, nil
}

// changedDoneMsg is the answer of a Cloud Reload's search for the issues
// updated since the result was last fetched.
type changedDoneMsg struct {
	owner   string
	tag     int
	jql     string
	page    jiraclient.SearchPage
	fetched time.Time
	changes map[string]cache.Change
	err     error
}

func (m changedDoneMsg) Failed() error { return m.err }

// askChanged asks Jira for the issues of jql updated since since (a
// minute's margin for the clocks), with the list's fields: "updated >= -Nm
// AND (where)", the query's ORDER BY left out (only the rows are wanted).
func (s *Store) askChanged(l *load, since time.Time) tea.Cmd {
	mins := int(s.now().Sub(since).Minutes()) + 2
	q := "updated >= -" + strconv.Itoa(mins) + "m"
	if where := strings.TrimSpace(jqlWhere(l.jql)); where != "" {
		q += " AND (" + where + ")"
	}
	owner, tag, jql, db, now := l.owner, l.tag, l.jql, s.db, s.now
	return s.start(&request{owner: owner, internal: true, fn: func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error) {
		m := changedDoneMsg{owner: owner, tag: tag, jql: jql}
		if c == nil {
			m.err = ErrNoClient
			return m, m.err
		}
		m.page, m.err = c.Search(ctx, SearchQuery(q, LoadChunk), jiraclient.Cursor{})
		m.fetched = now()
		if m.err == nil && db != nil && len(m.page.Issues) > 0 {
			_ = db.PutIssues(ctx, cache.List, m.fetched, m.page.Issues...)
			ks := make([]string, len(m.page.Issues))
			for i := range m.page.Issues {
				ks[i] = m.page.Issues[i].Key
			}
			m.changes, _ = db.Changes(ctx, jql, ks)
		}
		// A refused search is no reason to fail the refresh: every row is
		// fetched instead (see onChanged).
		return m, nil
	}})
}

// onChanged takes the updated rows; the chunks may go.
func (s *Store) onChanged(m changedDoneMsg) ([]tea.Msg, tea.Cmd) {
	l := s.current(m.owner, m.tag, m.jql)
	if l == nil {
		return nil, nil
	}
	l.changedDone = true
	if m.err != nil || !m.page.Last {
		// Refused, or more changed than one page: fetch every row.
		l.delta = false
	}
	if m.err == nil {
		s.takeRows(m.page.Issues, m.fetched)
		for k, v := range m.changes {
			l.changes[k] = v
		}
	}
	return s.pump(l)
}

// jqlWhere is jql without its ORDER BY clause (outside quoted strings).
func jqlWhere(jql string) string {
	var quote byte
	lower := strings.ToLower(jql)
	for i := 0; i < len(jql); i++ {
		ch := jql[i]
		switch {
		case quote != 0:
			if ch == '\\' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case strings.HasPrefix(lower[i:], "order") && (i == 0 || !isWordByte(jql[i-1])):
			rest := strings.TrimLeft(lower[i+5:], " \t\r\n")
			if len(rest) < len(lower[i+5:]) && strings.HasPrefix(rest, "by") && (len(rest) == 2 || !isWordByte(rest[2])) {
				return jql[:i]
			}
		}
	}
	return jql
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
