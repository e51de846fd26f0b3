package store

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Func is one request's work: it runs in a command with ctx (cancelled
// when its owner is cancelled, bounded by RequestTimeout) and the client
// signed in when it was made, and returns the message its view expects and
// the request's error. The error is returned apart from the message so the
// store always sees it: an expired login or a lost network cannot be
// missed because a message type forgot to report it.
type Func func(ctx context.Context, c *jiraclient.Client) (tea.Msg, error)

// request is one request in flight.
type request struct {
	id     uint64
	owner  string
	fn     Func
	cancel context.CancelFunc
	// internal: the answer is the store's own (a fetch, a page); else it
	// is handed back to the views.
	internal bool
	// local: it reads the persistent cache only, so its answer says
	// nothing of the network.
	local bool
	// key is the issue an internal fetch is for.
	key string
	// failed is the answer kept while the request waits for a sign-in.
	failed tea.Msg
}

// doneMsg is a request's answer.
type doneMsg struct {
	s   *Store // the store that sent it (see Update)
	id  uint64
	msg tea.Msg
	err error
}

// ids is the one source of ids: requests, writes' tokens, owners and
// anything a view must tell apart from a stale answer take theirs from
// here, so an answer meant for a closed overlay never matches a new one.
var ids atomic.Uint64

// Answer is the view's message a request's answer carries (fn's message),
// for a tool that watches the program's messages from outside, as the
// soak does; ok is false for anything else. The store routes it itself.
func Answer(msg tea.Msg) (tea.Msg, bool) {
	d, ok := msg.(doneMsg)
	if !ok || d.msg == nil {
		return nil, false
	}
	return d.msg, true
}

// NextID is the next id of the one source (see ids). It works without a
// store, for a view used alone.
func NextID() uint64 { return ids.Add(1) }

// NextID is the package's NextID: one source for every store and view.
func (s *Store) NextID() uint64 { return NextID() }

// baseKey finds, in a request's context, the context that carries only its
// owner's cancellation (no deadline), for Again.
type baseKey struct{}

// newContext is where every request's context is made: cancelled by
// cancel (its owner's Cancel), bounded by RequestTimeout.
func newContext() (context.Context, context.CancelFunc) {
	base, cancelBase := context.WithCancel(context.Background())
	ctx, cancel := context.WithTimeout(context.WithValue(base, baseKey{}, base), RequestTimeout)
	return ctx, func() { cancel(); cancelBase() }
}

// Again is a context for a second request made by the same work after its
// first one's deadline may be spent (the read-back after a write whose
// answer was lost to a timeout): a fresh RequestTimeout, still cancelled
// with ctx's owner.
func Again(ctx context.Context) (context.Context, context.CancelFunc) {
	base, ok := ctx.Value(baseKey{}).(context.Context)
	if !ok {
		base = context.WithoutCancel(ctx)
	}
	return context.WithTimeout(base, RequestTimeout)
}

// Transfer is a context for a transfer within a request (an attachment's
// bytes): still cancelled with ctx's owner, but without RequestTimeout,
// since a large file may take longer than any one bound; the client's
// idle timeout ends a transfer that stalls.
func Transfer(ctx context.Context) (context.Context, context.CancelFunc) {
	base, ok := ctx.Value(baseKey{}).(context.Context)
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithCancel(base)
}

// Direct runs fn in a command with client c, outside any store: the
// request helper for a view used alone (its own tests) and for work made
// before there is a session (the login's checks of what the user typed,
// whose refusals are answers to show, not an expired login to replay).
// Its context is made where the store makes its own; fn's message is the
// answer.
func Direct(c *jiraclient.Client, fn Func) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := newContext()
		defer cancel()
		msg, _ := fn(ctx, c)
		return msg
	}
}

// Do starts a request owned by owner ("" for none) and returns its
// command; its answer (fn's message) comes back through Update. A request
// that meets an expired login is held and sent again by Replay instead of
// being answered; a cancelled one (Cancel, or a newer request of a
// single-flight owner) is never answered.
//
// With a nil *Store (a view used alone, as in its own tests) fn runs
// directly in the command and its message is the answer.
func (s *Store) Do(owner string, fn Func) tea.Cmd {
	if s == nil {
		return Direct(nil, fn)
	}
	return s.start(&request{owner: owner, fn: fn})
}

// Write is Do for a write: while offline it is refused at once, and
// refused(ErrOffline) is the answer, without a request.
//
// With a nil *Store (a view used alone, as in its own tests) fn runs
// directly in the command and its message is the answer.
func (s *Store) Write(owner string, fn Func, refused func(error) tea.Msg) tea.Cmd {
	if s == nil {
		return s.Do(owner, fn)
	}
	if err := s.CanWrite(); err != nil {
		return func() tea.Msg { return refused(err) }
	}
	return s.Do(owner, fn)
}

// Cancel cancels every request of owner in flight (an overlay closed, the
// query changed): their answers are dropped. Owners nest with "/": an
// overlay's owner "transition:7" also cancels "transition:7/users".
func (s *Store) Cancel(owner string) {
	if s == nil || owner == "" {
		return
	}
	for _, r := range s.reqs {
		if owns(owner, r.owner) {
			r.cancel()
		}
	}
	s.dropLoad(owner)
	delete(s.reloads, owner)
	kept := s.replay[:0]
	for _, r := range s.replay {
		if !owns(owner, r.owner) {
			kept = append(kept, r)
		}
	}
	s.replay = kept
}

// owns reports whether owner is r or one of its parents.
func owns(owner, r string) bool {
	return r == owner || strings.HasPrefix(r, owner+"/")
}

// start counts r in Pending and makes its command.
func (s *Store) start(r *request) tea.Cmd {
	r.id = s.NextID()
	ctx, cancel := newContext()
	r.cancel = cancel
	s.reqs[r.id] = r
	s.pending.Add(1)
	c, fn, id := s.client, r.fn, r.id
	done := func() {}
	var gate chan struct{}
	switch {
	case s.early && r.local:
		gate = s.sent // reads the cache only: after the first request (see Early)
	case s.early && !s.asked:
		// The first request of Early: once it is written (or over), the
		// cache may open (see Early).
		s.asked, done = true, s.onSent
		ctx = jiraclient.Sent(ctx, done)
	}
	return s.launch(func() tea.Msg {
		if gate != nil {
			<-gate
		}
		defer cancel()
		defer done()
		msg, err := fn(ctx, c)
		return doneMsg{s: s, id: id, msg: msg, err: err}
	})
}

// onDone applies a request's answer.
func (s *Store) onDone(d doneMsg) ([]tea.Msg, tea.Cmd) {
	s.pending.Add(-1)
	r, ok := s.reqs[d.id]
	if !ok {
		return nil, nil
	}
	delete(s.reqs, d.id)
	err := d.err
	var out []tea.Msg
	switch {
	case err != nil && isCanceled(err):
		// Nobody needs the answer any more (Cancel, a newer request).
		s.dropFetch(r)
		return nil, nil
	case jiraclient.IsAuth(err):
		r.failed = d.msg
		s.replay = append(s.replay, r)
		s.dropFetch(r)
		if !s.loginAsked {
			s.loginAsked = true
			out = append(out, LoginNeededMsg{Err: err})
		}
		return out, nil
	case r.local:
	case err != nil && isNetwork(err):
		if !s.offline {
			out = append(out, NetworkMsg{Offline: true, Err: err})
		}
		s.offline, s.offlineErr = true, err
	case err == nil || jiraclient.KindOf(err) != jiraclient.KindUnknown:
		// Jira answered (even with a refusal): the network is there.
		if s.offline {
			out = append(out, NetworkMsg{Offline: false})
		}
		s.offline, s.offlineErr = false, nil
	}
	if !r.internal {
		if d.msg != nil {
			out = append(out, d.msg)
		}
		return out, nil
	}
	more, cmd := s.onInternal(r, d.msg)
	return append(out, more...), cmd
}

// Replay sends again every request that met an expired login, with the
// client now signed in (call after SetClient), and lets the loads that
// waited for the sign-in go on asking (see pump).
func (s *Store) Replay() tea.Cmd {
	rs := s.replay
	s.replay, s.loginAsked = nil, false
	cmds := make([]tea.Cmd, 0, len(rs)+len(s.loads))
	for _, r := range rs {
		cmds = append(cmds, s.restart(r))
	}
	for _, l := range s.loads {
		out, cmd := s.pump(l)
		cmds = append(cmds, cmd, answer(out))
	}
	return tea.Batch(cmds...)
}

// restart starts r again as a new request.
func (s *Store) restart(r *request) tea.Cmd {
	if r.key != "" {
		if _, busy := s.fetches[r.key]; busy {
			return nil // asked again meanwhile
		}
	}
	n := &request{owner: r.owner, fn: r.fn, internal: r.internal, key: r.key}
	cmd := s.start(n)
	if n.key != "" {
		s.fetches[n.key] = &fetch{id: n.id, req: n}
	}
	return cmd
}

// Abandon gives up the requests held for a sign-in (the user cancelled
// it): their failures are the answers, for the views to show.
func (s *Store) Abandon() []tea.Msg {
	rs := s.replay
	s.replay, s.loginAsked = nil, false
	var out []tea.Msg
	for _, r := range rs {
		if r.internal {
			more, _ := s.onInternal(r, r.failed)
			out = append(out, more...)
			continue
		}
		out = append(out, r.failed)
	}
	return out
}

// SetClient takes the client of a new sign-in.
func (s *Store) SetClient(c *jiraclient.Client) { s.client = c }

func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || jiraclient.KindOf(err) == jiraclient.KindCanceled
}

// isNetwork: Jira could not be reached at all (no answer).
func isNetwork(err error) bool {
	switch jiraclient.KindOf(err) {
	case jiraclient.KindNetwork, jiraclient.KindTimeout:
		return true
	}
	return false
}
