package list

// Design note: the filter (/) at any size of result.
//
// What matches. The query is split at spaces into terms; an issue matches
// when its "KEY summary" contains every term, ignoring case, in any order
// ("net crash" finds "Crash when the network drops"). The rows keep Jira's
// order (the query's ORDER BY, a backlog's rank), not a fuzzy score's: in
// triage the order is the point, and it makes every row found final as
// soon as it is found. A fuzzy subsequence match was dropped with the
// score order: without the score to push them down, "crash" as a
// subsequence matches most 60-character summaries ("c…r…a…s…h").
//
// What a keystroke costs. A search walks its candidates in order, at most
// keyBudget of them in the keystroke's Update and stepBudget in each later
// one:
//   - A query that extends the last one (string prefix) searches only what
//     that one found and what it had not reached yet: every term of the
//     longer query contains a term of the shorter, so nothing else can
//     match. Typing forward therefore walks fewer candidates with each key.
//   - The searches of the shorter queries are kept (prev), so backspace
//     goes back to one of them, finished or still in progress, and
//     continues it instead of starting over.
//   - The keystroke's own Update stops as soon as the rows on screen are
//     known (or at its budget); the rest of the walk goes on in later
//     Updates, one stepBudget each, driven by a filterStepMsg the step
//     command sends straight back. Each carries the search's generation: a
//     newer keystroke bumps it, and an older search's step is dropped.
//     The walk stays on the UI goroutine (the rows and the haystack are
//     the model's, changed by pages and edits), in slices short enough
//     that a key typed meanwhile waits at most one of them.
//   - Issues loaded while the filter applies come after every row already
//     there (the store answers in Jira's order), so they are searched by
//     carrying on, not by starting again.
//
// The frame after a key therefore costs the same whether 1,000 or 100,000
// issues are loaded; the count says "N / searched X of Y" until the walk
// and the loading are done. The cursor stays on its issue when the issue
// still matches (found by binary search once the walk has passed it); a
// query that names a loaded issue's key exactly puts the cursor on it.

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// stepBudget is how many candidates one Update checks at most: about a
// millisecond of matching ("KEY summary" is some 60 bytes).
const stepBudget = 20_000

// keyBudget bounds the keystroke's own step, whose frame the user waits
// for: it ends sooner when the rows on screen are known, and when the
// cursor's issue is further on than this, the steps after it get there.
const keyBudget = 5_000

// filterStepMsg asks the list to go on with the filter's search; Gen is
// the search it was sent for.
type filterStepMsg struct{ Gen int }

// search is one query's walk over the loaded issues, in Jira's order.
// Its candidates are segs (issues earlier searches left in: segs[0][si:],
// then the other segments whole; read only, they are those searches' own
// slices) and then every issue from `from` on, the ones loaded later
// included.
type search struct {
	q     string   // the query, lower case
	terms []string // its terms
	segs  [][]int
	si    int
	from  int
	found []int // matching issues (indices into the rows), ascending; never nil (nil rows mean no filter)
}

// newSearch is a search of q over every issue.
func newSearch(q string) *search {
	return &search{q: q, terms: strings.Fields(q), found: []int{}}
}

// narrow is a search of q, which extends s's query, over what s found or
// has not reached. It copies nothing: its segments are s's found (as far
// as it goes now: s only ever appends to it) and s's own candidates left.
func (s *search) narrow(q string) *search {
	n := &search{q: q, terms: strings.Fields(q), from: s.from, found: []int{}}
	if len(s.found) > 0 {
		n.segs = append(n.segs, s.found[:len(s.found):len(s.found)])
	}
	for k, seg := range s.segs {
		if k == 0 {
			seg = seg[s.si:]
		}
		if len(seg) > 0 {
			n.segs = append(n.segs, seg)
		}
	}
	return n
}

// left is how many of n loaded issues are still to be checked.
func (s *search) left(n int) int {
	c := max(0, n-s.from)
	for k, seg := range s.segs {
		c += len(seg)
		if k == 0 {
			c -= s.si
		}
	}
	return c
}

// pending reports whether issue i is still to be checked.
func (s *search) pending(i int) bool {
	if i >= s.from {
		return true
	}
	for k, seg := range s.segs {
		if k == 0 {
			seg = seg[s.si:]
		}
		if j := sort.SearchInts(seg, i); j < len(seg) && seg[j] == i {
			return true
		}
	}
	return false
}

// has reports whether issue i was found, and its row (else the row it
// would take).
func (s *search) has(i int) (int, bool) {
	j := sort.SearchInts(s.found, i)
	return j, j < len(s.found) && s.found[j] == i
}

// walk checks up to budget candidates of hay, stopping early when enough
// says so (asked after each match), and returns how many it checked.
func (s *search) walk(hay []string, budget int, enough func() bool) int {
	checked := 0
	for checked < budget && len(s.segs) > 0 {
		seg := s.segs[0]
		for s.si < len(seg) && checked < budget {
			i := seg[s.si]
			s.si++
			checked++
			if matchTerms(hay[i], s.terms) {
				s.found = append(s.found, i)
				if enough != nil && enough() {
					s.popDone()
					return checked
				}
			}
		}
		s.popDone()
	}
	for checked < budget && s.from < len(hay) {
		i := s.from
		s.from++
		checked++
		if matchTerms(hay[i], s.terms) {
			s.found = append(s.found, i)
			if enough != nil && enough() {
				return checked
			}
		}
	}
	return checked
}

// popDone drops the first segment once it is walked.
func (s *search) popDone() {
	if len(s.segs) > 0 && s.si >= len(s.segs[0]) {
		s.segs, s.si = s.segs[1:], 0
	}
}

// recheck takes issue i's new haystack into account: found again or no
// more (an edit changed its summary). Issues not yet checked are left to
// the walk.
func (s *search) recheck(hay []string, i int) {
	if s.pending(i) {
		return
	}
	j, ok := s.has(i)
	switch match := matchTerms(hay[i], s.terms); {
	case match && !ok:
		s.found = append(s.found, 0)
		copy(s.found[j+1:], s.found[j:])
		s.found[j] = i
	case !match && ok:
		s.found = append(s.found[:j], s.found[j+1:]...)
	}
}

// filter is the list's filter state: the search shown and the searches of
// the shorter queries it extends.
type filter struct {
	gen      int       // bumped with every new search; older steps are dropped
	cur      *search   // nil: no filter applies
	prev     []*search // searches cur's query extends, shortest first
	stepping bool      // a step of gen is on its way
	target   string    // the issue the cursor waits for the walk to reach, "" none
	checked  int       // candidates checked in the last Update (tests, benchmarks)
}

// filterQuery is the filter input's value as the search takes it.
func filterQuery(v string) string { return strings.ToLower(v) }

// setFilter starts (or resumes) the search for the filter input's value
// (a key typed, a paste, esc), keeping the cursor on its issue when that
// still matches.
func (m *Model) setFilter() tea.Cmd {
	before := m.Current()
	keep := ""
	if before != nil {
		keep = before.Key
	}
	return m.startFilter(keep, before)
}

// refilter searches the rows afresh (they were replaced: a new query, a
// refresh, the cache's result), keeping the cursor on keep's issue when it
// is there and matches.
func (m *Model) refilter(keep string) tea.Cmd {
	m.f.cur, m.f.prev = nil, nil
	return m.startFilter(keep, nil)
}

// startFilter starts the search for the input's value over the rows; the
// cursor goes to keep's issue if it matches, else to the issue the query
// names by key, else to the top. before is the issue highlighted before
// (nil: none that the prefetch already has).
func (m *Model) startFilter(keep string, before *jiraclient.Issue) tea.Cmd {
	q := filterQuery(m.filterIn.Value())
	f := &m.f
	f.gen++
	f.stepping = false
	f.target = ""
	f.checked = 0
	if len(strings.Fields(q)) == 0 {
		f.cur, f.prev = nil, nil
		m.matches = nil
		if i, ok := m.index[keep]; ok {
			m.cursor = i
		}
		m.fix()
		return m.afterFilter(before)
	}
	// The longest of the searches so far whose query q extends.
	chain := append(f.prev, f.cur)
	k := len(chain) - 1
	for k >= 0 && (chain[k] == nil || !strings.HasPrefix(q, chain[k].q)) {
		k--
	}
	switch {
	case k < 0:
		f.prev, f.cur = nil, newSearch(q)
	case chain[k].q == q:
		f.prev, f.cur = chain[:k:k], chain[k]
	default:
		f.prev, f.cur = chain[:k+1:k+1], chain[k].narrow(q)
	}
	if i, ok := m.index[keep]; ok && i < len(m.hay) && matchTerms(m.hay[i], f.cur.terms) {
		f.target = keep
	} else if i, ok := m.index[strings.ToUpper(strings.TrimSpace(m.filterIn.Value()))]; ok && i < len(m.hay) {
		f.target = m.issues[i].Key
	}
	m.cursor, m.offset = 0, 0
	cmd := m.filterStep(true)
	return tea.Batch(cmd, m.afterFilter(before))
}

// afterFilter is what follows a change of the rows shown: the prefetch of
// the issue now highlighted (once the cursor is where it stays), and the
// loading of the rest of the query.
func (m *Model) afterFilter(before *jiraclient.Issue) tea.Cmd {
	var cmd tea.Cmd
	if now := m.Current(); now != nil && m.f.target == "" && (before == nil || now.Key != before.Key) {
		cmd = m.schedulePrefetch()
	}
	return tea.Batch(cmd, m.maybeLoadMore())
}

// filterStep walks the search for at most stepBudget candidates (the
// keystroke's own step stops once the rows on screen are known), puts the
// cursor, and returns the next step's command while candidates are left.
func (m *Model) filterStep(first bool) tea.Cmd {
	f := &m.f
	s := f.cur
	if s == nil {
		return nil
	}
	var enough func() bool
	if first {
		ti := -1
		if f.target != "" {
			ti = m.index[f.target]
		}
		rows := max(1, m.listRows())
		enough = func() bool {
			last := s.found[len(s.found)-1]
			if ti >= 0 && last < ti {
				return false // the cursor's issue is further on
			}
			row := 0
			if ti >= 0 {
				row, _ = s.has(ti)
			}
			return len(s.found) > row+rows
		}
	}
	budget := stepBudget
	if first {
		budget = keyBudget
	}
	f.checked = s.walk(m.hay, budget, enough)
	m.placeCursor()
	return m.nextStep()
}

// nextStep is the command for the search's next step, when candidates
// are left and none is on its way.
func (m *Model) nextStep() tea.Cmd {
	f := &m.f
	if f.cur == nil || f.stepping || f.cur.left(len(m.hay)) == 0 {
		return nil
	}
	f.stepping = true
	gen := f.gen
	return func() tea.Msg { return filterStepMsg{Gen: gen} }
}

// placeCursor shows the search's rows, and puts the cursor on the issue it
// waits for once the walk has found it; until then the cursor stays on the
// last row found, nearest to where that issue will be.
func (m *Model) placeCursor() {
	f := &m.f
	s := f.cur
	m.matches = s.found
	if f.target != "" {
		i, ok := m.index[f.target]
		switch row, found := s.has(i); {
		case !ok:
			f.target = ""
		case found:
			m.cursor = row
			f.target = ""
		case s.pending(i):
			m.cursor = max(0, len(s.found)-1)
		default:
			f.target = ""
		}
	}
	m.fix()
}

// onFilterStep goes on with the search a step was sent for; a step of an
// older search (the query changed since) is dropped.
func (m Model) onFilterStep(msg filterStepMsg) (Model, tea.Cmd) {
	if msg.Gen != m.f.gen || m.f.cur == nil {
		return m, nil
	}
	m.f.stepping = false
	before := m.Current()
	cmd := m.filterStep(false)
	var pf tea.Cmd
	if now := m.Current(); now != nil && m.f.target == "" && (before == nil || now.Key != before.Key) {
		pf = m.schedulePrefetch()
	}
	return m, tea.Batch(cmd, pf)
}

// filterMore goes on with the search over issues just loaded.
func (m *Model) filterMore() tea.Cmd { return m.nextStep() }

// recheckRow keeps the search in step with row i, whose issue changed.
func (m *Model) recheckRow(i int) {
	s := m.f.cur
	if s == nil || i >= len(m.hay) {
		return
	}
	var key string
	if r := m.rowAt(m.cursor); r != nil {
		key = r.Key
	}
	s.recheck(m.hay, i)
	m.f.prev = nil // their results predate the change
	m.matches = s.found
	if j, ok := m.index[key]; ok {
		if row, ok := s.has(j); ok {
			m.cursor = row
		}
	}
	m.fix()
}

// scanning reports whether the filter's search has loaded issues left to
// check.
func (m Model) scanning() bool { return m.f.cur != nil && m.f.cur.left(len(m.hay)) > 0 }

// searched is how many loaded issues the filter has checked.
func (m Model) searched() int {
	if m.f.cur == nil {
		return len(m.issues)
	}
	return len(m.issues) - m.f.cur.left(len(m.hay))
}

// filterProgress is "3,400 of 10,000": the issues the filter checked, of
// the query's (while it loads) or of those loaded.
func (m Model) filterProgress() string {
	if m.loadingMore {
		return m.progressOf(m.searched())
	}
	return thousands(m.searched()) + " of " + thousands(len(m.issues))
}

// matchTerms reports whether hay contains every term (lower case),
// ignoring case.
func matchTerms(hay string, terms []string) bool {
	for _, t := range terms {
		if !containsFold(hay, t) {
			return false
		}
	}
	return true
}

// marks draws s, a cell of a row the filter shows, in style base with the
// filter's words in the match style (the highlighted row is drawn plain:
// its caller does not ask).
func (m Model) marks(s string, base wrap) string {
	if m.f.cur == nil || m.matches == nil {
		return base.on(s)
	}
	spans := matchSpans(s, m.f.cur.terms)
	if len(spans) == 0 {
		return base.on(s)
	}
	var b strings.Builder
	b.Grow(len(s) + len(spans)*(len(m.paint.match.pre)+len(m.paint.match.post)+len(base.pre)+len(base.post)))
	at := 0
	for _, sp := range spans {
		if sp[0] > at {
			b.WriteString(base.on(s[at:sp[0]]))
		}
		b.WriteString(m.paint.match.on(s[sp[0]:sp[1]]))
		at = sp[1]
	}
	if at < len(s) {
		b.WriteString(base.on(s[at:]))
	}
	return b.String()
}

// matchSpans are the byte ranges of s where the filter's words occur,
// ignoring case as containsFold does, in order and merged where they
// overlap. An ASCII word's bytes never fall inside a UTF-8 sequence of s;
// another word is matched rune by rune (a rune's lower case may be longer
// or shorter than it: "İ" is 2 bytes, its lower case 3).
func matchSpans(s string, terms []string) [][2]int {
	var spans [][2]int
	for _, t := range terms {
		if t == "" {
			continue
		}
		if !isASCII(t) {
			for i := 0; i < len(s); {
				if end, ok := foldedAt(s, i, t); ok {
					spans = append(spans, [2]int{i, end})
					i = end
					continue
				}
				_, n := utf8.DecodeRuneInString(s[i:])
				i += n
			}
			continue
		}
		for i := 0; i < len(s); {
			j := indexFold(s[i:], t)
			if j < 0 {
				break
			}
			spans = append(spans, [2]int{i + j, i + j + len(t)})
			i += j + len(t)
		}
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a][0] < spans[b][0] })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// foldedAt reports whether the runes of s from byte i, in lower case, begin
// with t (lower case), and where in s they end: strings.ToLower(s) holds t
// at the rune s[i:] starts with.
func foldedAt(s string, i int, t string) (end int, ok bool) {
	for _, tr := range t {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.ToLower(r) != tr {
			return 0, false
		}
		i += n
	}
	return i, true
}

// containsFold reports whether h contains t (lower case), ignoring case.
// An ASCII term (the common case) is found without copying h: the
// candidates for its first byte come from strings.IndexByte, which is
// vectorised; other terms compare with h in lower case.
func containsFold(h, t string) bool {
	if !isASCII(t) {
		return strings.Contains(strings.ToLower(h), t)
	}
	return indexFold(h, t) >= 0
}

// indexFold is the index of the first t (lower-case ASCII) in h, ignoring
// the case of ASCII letters, or -1.
func indexFold(h, t string) int {
	if t == "" {
		return 0
	}
	c := t[0]
	alt := c // the first byte's other case, if it has one
	if c >= 'a' && c <= 'z' {
		alt = c - 'a' + 'A'
	}
	rest := t[1:]
	for i := 0; len(h)-i >= len(t); {
		j := strings.IndexByte(h[i:], c)
		if alt != c {
			if k := strings.IndexByte(h[i:], alt); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 || len(h)-i-j < len(t) {
			return -1
		}
		i += j + 1
		if equalLowerASCII(h[i:i+len(rest)], rest) {
			return i - 1
		}
	}
	return -1
}

// equalLowerASCII reports whether s equals t (lower-case ASCII) ignoring
// the case of ASCII letters in s.
func equalLowerASCII(s, t string) bool {
	for i := 0; i < len(t); i++ {
		b := s[i]
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != t[i] {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
