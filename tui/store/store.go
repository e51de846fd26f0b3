package store

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// RequestTimeout bounds one request, its retries included; the client has
// its own per-attempt deadline. The one timeout every request shares.
const RequestTimeout = 2 * time.Minute

// PrefetchDelay is how long the cursor must rest on an issue before its
// detail is fetched, so scrolling through a list costs no requests.
const PrefetchDelay = 150 * time.Millisecond

// ReleaseDelay is how long after a big load's end (and then after the
// store's last other work) the heap's free memory goes back to the
// operating system (release, bulk.go): long enough for the views to have
// drawn the result and the preview to have rendered.
const ReleaseDelay = time.Second

// cacheTimeout bounds one read or write of the persistent cache.
const cacheTimeout = 10 * time.Second

// Options configure a Store.
type Options struct {
	// Client talks to Jira; nil until the user signs in (SetClient).
	Client *jiraclient.Client
	// Cache is the persistent cache; nil keeps everything in memory.
	Cache *cache.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PrefetchDelay overrides PrefetchDelay (tests); 0 means the default.
	PrefetchDelay time.Duration
	// ReleaseDelay overrides ReleaseDelay (tests); 0 means the default.
	ReleaseDelay time.Duration
	// GetIssue fetches one full issue (the root passes common.GetIssue:
	// the detail's fields, custom fields decoded); nil asks for
	// jiraclient.DetailFields.
	GetIssue func(ctx context.Context, c *jiraclient.Client, key string) (*jiraclient.Issue, error)
	// MaxFull is how many full issues stay in memory when the persistent
	// cache holds them too (see DefaultMaxFull); 0 means the default.
	MaxFull int
	// Columns are the list's configured columns (see ResolveColumns); the
	// search asks for their fields. Empty: jiraclient.ListFields.
	Columns []string
}

// DefaultMaxFull is how many full issues (description, comments) the store
// keeps in memory beside the persistent cache. Past it the least recently
// used drop to their list row: opening one again reads it back from the
// cache (a millisecond) and, its row being as new, asks Jira nothing. It
// keeps a long session's memory to the rows plus this many bodies.
const DefaultMaxFull = 1000

// Store owns the issue data of one session. Its methods are called on the
// UI loop only; Pending may be read from anywhere.
type Store struct {
	client   *jiraclient.Client
	db       *cache.DB
	now      func() time.Time
	prefetch time.Duration
	// releaseDelay: see ReleaseDelay; releasing says a release waits.
	releaseDelay time.Duration
	releasing    bool
	maxFull      int
	getIssue     func(ctx context.Context, c *jiraclient.Client, key string) (*jiraclient.Issue, error)
	intern       Interner // the values list rows share (intern.go)
	columns      []string
	tick         uint64 // use clock for the full issues' recency
	// sinceTrim counts full issues taken in since the last trim.
	sinceTrim int

	pending atomic.Int64

	// reqs are the requests in flight by id; owners their ids by owner.
	reqs map[uint64]*request

	issues  map[string]*entry
	fetches map[string]*fetch // issue key -> its fetch in flight
	queries map[string]*query // JQL -> its result
	shown   map[string]string // owner -> the JQL it shows
	writes  map[string]string // token -> issue key
	loads   map[string]*load  // owner -> its load past the first page (bulk.go)
	reloads map[string]reload // owner -> its Reload waiting for the first page

	prefetchSeq int

	// replay are the requests that met an expired login, sent again after
	// the next sign-in; loginAsked says LoginNeededMsg went out for them.
	replay     []*request
	loginAsked bool

	offline    bool
	offlineErr error

	// marks counts changes to the new/updated marks and results, so
	// Changes can keep its count in between.
	marks   uint64
	counted changeCount

	// early is set during Early: work made then starts at once. sent
	// (set with it) is closed once the first request made then is on the
	// wire (or has ended), and begins the cache's opening; disk work made
	// during Early waits for it. asked says a request was made.
	early  bool
	sent   chan struct{}
	onSent func()
	asked  bool
}

// New returns a store over o.Client and o.Cache.
func New(o Options) *Store {
	s := &Store{
		client:       o.Client,
		db:           o.Cache,
		now:          o.Now,
		prefetch:     o.PrefetchDelay,
		releaseDelay: o.ReleaseDelay,
		maxFull:      o.MaxFull,
		getIssue:     o.GetIssue,
		columns:      o.Columns,
		reqs:         map[uint64]*request{},
		issues:       map[string]*entry{},
		fetches:      map[string]*fetch{},
		queries:      map[string]*query{},
		shown:        map[string]string{},
		writes:       map[string]string{},
		loads:        map[string]*load{},
		reloads:      map[string]reload{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.prefetch <= 0 {
		s.prefetch = PrefetchDelay
	}
	if s.releaseDelay <= 0 {
		s.releaseDelay = ReleaseDelay
	}
	if s.maxFull <= 0 {
		s.maxFull = DefaultMaxFull
	}
	if s.getIssue == nil {
		s.getIssue = func(ctx context.Context, c *jiraclient.Client, key string) (*jiraclient.Issue, error) {
			return c.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
		}
	}
	return s
}

// Client is the Jira client requests use (nil before sign-in).
func (s *Store) Client() *jiraclient.Client { return s.client }

// Cache is the persistent cache, or nil.
func (s *Store) Cache() *cache.DB { return s.db }

// Pending is the count of outstanding work: requests, cache reads and
// writes, and prefetch debounces started and not yet applied by Update.
// Safe to read from any goroutine.
func (s *Store) Pending() int { return int(s.pending.Load()) }

// Offline reports whether Jira was unreachable at the last request.
func (s *Store) Offline() bool { return s.offline }

// CacheNote is the persistent cache's problem, if it met one (shown once
// in the status bar), else nil.
func (s *Store) CacheNote() error {
	if s.db == nil {
		return nil
	}
	return s.db.Note()
}

// ErrOffline refuses a write while Jira cannot be reached.
var ErrOffline = errors.New("offline: Jira cannot be reached, so nothing was sent (your text is kept as a draft)")

// CanWrite is nil when a write may be sent, else ErrOffline: a write is
// refused at once rather than left to time out.
func (s *Store) CanWrite() error {
	if s.offline {
		return ErrOffline
	}
	return nil
}

// Close cancels every request in flight and closes the cache.
func (s *Store) Close() error {
	for _, r := range s.reqs {
		r.cancel()
	}
	if s.db != nil {
		return s.db.Close()
	}
	return nil
}

// Update applies an answer of the store's own commands and returns the
// messages the views are to see, in order; handled is false for a message
// that is not the store's (the caller routes it as usual).
//
// An answer of another store (one the session switched away from: see
// Detach) is handed to that store, and what it says is dropped: the views
// of this store never see another profile's answers, and ids, which each
// store counts on its own, are never matched across stores.
func (s *Store) Update(msg tea.Msg) (out []tea.Msg, cmd tea.Cmd, handled bool) {
	if o := sender(msg); o != nil && o != s {
		_, cmd, _ = o.update(msg)
		return nil, cmd, true
	}
	return s.update(msg)
}

// sender is the store whose command answered msg, or nil for a message
// that is not a store's.
func sender(msg tea.Msg) *Store {
	switch msg := msg.(type) {
	case doneMsg:
		return msg.s
	case prefetchMsg:
		return msg.s
	case cacheDoneMsg:
		return msg.s
	case releaseDueMsg:
		return msg.s
	case releasedMsg:
		return msg.s
	}
	return nil
}

// Detach is the session leaving this store for another profile's: every
// request in flight is cancelled, what waited for a sign-in is forgotten,
// and a pending prefetch will not start. Answers that still come are the
// store's own (kept in it and in its cache) and reach no view (see
// Update).
func (s *Store) Detach() {
	for _, r := range s.reqs {
		r.cancel()
	}
	for k := range s.fetches {
		delete(s.fetches, k)
	}
	s.replay, s.loginAsked = nil, false
	s.prefetchSeq++
}

func (s *Store) update(msg tea.Msg) (out []tea.Msg, cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case doneMsg:
		out, cmd = s.onDone(msg)
		return out, cmd, true
	case prefetchMsg:
		s.pending.Add(-1)
		return nil, s.onPrefetch(msg), true
	case cacheDoneMsg:
		s.pending.Add(-1)
		out, cmd = s.onCache(msg)
		return out, cmd, true
	case releaseDueMsg:
		return nil, s.onReleaseDue(), true
	case releasedMsg:
		s.releasing = false
		s.pending.Add(-1)
		return nil, nil, true
	}
	return nil, nil, false
}

// cacheDoneMsg is the answer of a cache read or write: apply runs on the
// UI loop.
type cacheDoneMsg struct {
	s     *Store
	apply func(*Store) ([]tea.Msg, tea.Cmd)
}

func (s *Store) onCache(m cacheDoneMsg) ([]tea.Msg, tea.Cmd) {
	if m.apply == nil {
		return nil, nil
	}
	return m.apply(s)
}

// onDisk runs fn against the persistent cache in a command, counted in
// Pending; apply (may be nil) then runs on the UI loop with fn's answer
// captured in it. With no cache it is nil.
func (s *Store) onDisk(fn func(ctx context.Context, db *cache.DB) func(*Store) ([]tea.Msg, tea.Cmd)) tea.Cmd {
	db := s.db
	if db == nil || db.Bypassed() {
		return nil
	}
	s.pending.Add(1)
	work := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
		defer cancel()
		return cacheDoneMsg{s: s, apply: fn(ctx, db)}
	}
	if s.early {
		// The first request goes out before SQLite takes a core.
		sent, plain := s.sent, work
		work = func() tea.Msg { <-sent; return plain() }
	}
	return s.launch(work)
}

// Early runs fn (which makes the store's first commands: a view's Init)
// with every request and cache read it makes starting at once, in a
// goroutine, instead of when the program runs its command. The root calls
// it while it is built, before Bubble Tea sets the terminal up, so the
// first search is on the wire while the rest of the start happens beside
// it. The commands fn returns are run by the program as usual: each one
// hands over its work's answer (waiting for it if need be) the first time
// it runs, and answers nil after that. Only the store's own work starts
// early; other commands fn returns run when the program runs them.
//
// The persistent cache (opened in the background: cache.Options.Background)
// begins opening once the first request made in fn is on the wire, and
// cache reads made in fn wait for that: on a busy machine SQLite's opening
// would otherwise take the core the request needs.
func (s *Store) Early(fn func() tea.Cmd) tea.Cmd {
	sent, db := make(chan struct{}), s.db
	var once sync.Once
	s.early, s.sent, s.asked = true, sent, false
	s.onSent = func() {
		once.Do(func() {
			close(sent)
			if db != nil {
				db.Begin()
			}
		})
	}
	defer func() {
		if !s.asked {
			s.onSent() // no request: nothing to wait for
		}
		s.early, s.sent, s.onSent = false, nil, nil
		// Let the requests just started run before the caller goes on
		// building (on a busy machine the other core may be taken).
		runtime.Gosched()
	}()
	return fn()
}

// launch is how the store's work becomes a command: run when the program
// runs the command, or, during Early, started now.
func (s *Store) launch(work func() tea.Msg) tea.Cmd {
	if !s.early {
		return work
	}
	answer := make(chan tea.Msg, 1)
	go func() { answer <- work() }()
	var taken atomic.Bool
	return func() tea.Msg {
		if taken.Swap(true) {
			return nil
		}
		return <-answer
	}
}
