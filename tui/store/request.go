package store

import (
	"context"
	"errors"

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

// NextID is the one source of ids: requests, writes' tokens and anything a
// view must tell apart from a stale answer take theirs from here.
func (s *Store) NextID() uint64 {
	s.lastID++
	return s.lastID
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
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
			defer cancel()
			msg, _ := fn(ctx, nil)
			return msg
		}
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
// query changed): their answers are dropped.
func (s *Store) Cancel(owner string) {
	if s == nil || owner == "" {
		return
	}
	for _, r := range s.reqs {
		if r.owner == owner {
			r.cancel()
		}
	}
	kept := s.replay[:0]
	for _, r := range s.replay {
		if r.owner != owner {
			kept = append(kept, r)
		}
	}
	s.replay = kept
}

// start counts r in Pending and makes its command.
func (s *Store) start(r *request) tea.Cmd {
	r.id = s.NextID()
	ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
	r.cancel = cancel
	s.reqs[r.id] = r
	s.pending.Add(1)
	c, fn, id := s.client, r.fn, r.id
	return func() tea.Msg {
		defer cancel()
		msg, err := fn(ctx, c)
		return doneMsg{s: s, id: id, msg: msg, err: err}
	}
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
// client now signed in (call after SetClient).
func (s *Store) Replay() tea.Cmd {
	rs := s.replay
	s.replay, s.loginAsked = nil, false
	cmds := make([]tea.Cmd, 0, len(rs))
	for _, r := range rs {
		cmds = append(cmds, s.restart(r))
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
