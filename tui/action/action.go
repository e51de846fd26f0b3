// Package action is jiffy's triage: moving an issue through its workflow
// (NewTransition, key t), giving it to someone (NewAssign, key a; AssignToMe,
// key i) and doing either, or a label change, to many issues at once
// (NewBulk). Each is a common.Overlay the root opens over the list or the
// detail.
//
// Design notes:
//
//   - Optimistic, then confirmed. A write first sends an IssuePatchMsg so the
//     list row and the detail change at once, then runs the request; the
//     answer is an IssueConfirmedMsg carrying the issue as Jira now has it
//     (re-fetched), or an IssueRollbackMsg with the error. The two are the
//     only way an outcome travels: the root applies them and hands them on
//     to the open overlay, which matches them by Token. So a write whose
//     overlay was closed meanwhile still ends right in the list.
//   - A failure keeps the overlay open with the user's choice: Jira's
//     per-field errors beside their fields, the rest in the footer with what
//     to do. A rate limit whose wait is longer than the client would sit out
//     is waited here, visibly, then sent again.
//   - A write answered with a 5xx, never answered or cut off after it was
//     sent (jiraclient.OutcomeUnknown) may have happened. Rather than
//     guess, the issue is read back: when it shows the change, the write
//     counts as done; when it does not, the failure says a resend is safe
//     because it was checked; when the read fails too, it says so.
//   - Every request goes through the store's request helper (common.Common
//     Do and Write): one context (cancelled when the overlay closes, for its
//     loads; a write is never cancelled, its patch is on screen), the
//     client of the moment, and the store reading every error, so a write
//     that meets an expired login is held and sent again after the sign-in
//     (store.Replay). Retry only covers what the user gave up waiting for
//     (the login cancelled, then opened again) and a view with no store.
//   - Every slow call answers with a message carrying a request id from the
//     one id source (store.NextID); an answer whose id is no longer awaited
//     is dropped (a debounced search typed past, a reload).
//   - Overlays are pointers: common.Overlay's SetSize has no result to
//     return a new value in. Commands capture values and never touch them.
package action

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// Timings. A request's deadline is the store's (store.RequestTimeout),
// covering the client's own retries and 429 backoffs.
const (
	// SearchDelay is how long typing must pause before the assignable
	// users are searched, so a name typed quickly costs one request.
	SearchDelay = 200 * time.Millisecond
	// Concurrency is how many issues a bulk action works on at once; the
	// client's throttle paces them further.
	Concurrency = 4
	// maxRateWait caps how long an overlay waits out a 429 by itself
	// before leaving the retry to the user.
	maxRateWait = 2 * time.Minute
)

// nextID is the one id source (store.NextID): request ids and
// optimistic-update tokens, so an answer meant for a closed overlay never
// matches a new one.
func nextID() uint64 { return store.NextID() }

// newToken names one optimistic change. The "action:" prefix keeps it
// apart from other packages' tokens in the root's table.
func newToken(kind, key string) string {
	return "action:" + kind + ":" + key + ":" + strconv.FormatUint(nextID(), 10)
}

// errNoClient is what a Cmd answers when there is no Jira client (signed out).
var errNoClient = errors.New("not signed in to Jira: sign in and try again")

// write is one change to one issue: what it looks like at once (patch),
// how to make it (do) and how to tell afterwards, when the connection
// dropped mid-send, whether it happened (done).
type write struct {
	key   string
	token string
	patch func(jiraclient.Issue) jiraclient.Issue
	do    func(ctx context.Context, cl *jiraclient.Client) error
	done  func(jiraclient.Issue) bool
	note  string // the status-bar line on success
	// checkFirst reads the issue back before sending: the last try's
	// outcome is unknown (common.Unsettled), so it may already be done.
	checkFirst bool
}

// run is the Cmd for w: the patch first, then the request through the
// store's request helper (common.Common.Write), then the confirmed issue
// or the rollback. The client is the store's when the request starts, so
// a write held for an expired login goes out with the new one.
func (w write) run(c *common.Common) tea.Cmd {
	patch := func() tea.Msg {
		return common.IssuePatchMsg{Token: w.token, Key: w.key, Apply: w.patch}
	}
	refused := func(err error) tea.Msg { return common.IssueRollbackMsg{Token: w.token, Key: w.key, Err: err} }
	return tea.Sequence(patch, c.Write(w.send, refused))
}

// send makes the request and reports its outcome. Its error is the last
// request's, for the store: a lost answer read back means Jira answered.
func (w write) send(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
	if cl == nil {
		return common.IssueRollbackMsg{Token: w.token, Key: w.key, Err: errNoClient}, nil
	}
	if w.checkFirst && w.done != nil {
		// The last try's outcome is unknown: look before sending again.
		if is := fetch(ctx, cl, w.key); is != nil && w.done(*is) {
			return common.IssueConfirmedMsg{Token: w.token, Key: w.key, Issue: is, Note: w.note + " (checked: it was already in Jira)"}, nil
		}
	}
	err := w.do(ctx, cl)
	seen := err
	if err != nil && jiraclient.OutcomeUnknown(err) {
		// Jira may have made the change before its answer was lost (a
		// 5xx, no answer, a broken connection): read the issue back,
		// with a deadline of its own since the write's may be spent,
		// and believe what it shows.
		rctx, rcancel := store.Again(ctx)
		defer rcancel()
		is, rerr := common.ReadBack(rctx, cl, w.key)
		seen = rerr
		switch {
		case rerr == nil && w.done != nil && w.done(*is):
			return common.IssueConfirmedMsg{Token: w.token, Key: w.key, Issue: is, Note: w.note + " (Jira's answer was lost; checked: the change is in Jira)"}, nil
		default:
			err = &common.LostAnswerError{Err: err, Key: w.key, Noun: "the change", Checked: rerr == nil && w.done != nil}
		}
	}
	if err != nil {
		return common.IssueRollbackMsg{Token: w.token, Key: w.key, Err: err}, seen
	}
	return common.IssueConfirmedMsg{Token: w.token, Key: w.key, Issue: fetch(ctx, cl, w.key), Note: w.note}, nil
}

// fetch re-reads an issue after a write, for IssueConfirmedMsg. A failure
// here is not the write's failure: the change is in Jira, and the patch
// stays until the next load.
func fetch(ctx context.Context, cl *jiraclient.Client, key string) *jiraclient.Issue {
	is, err := common.ReadBack(ctx, cl, key)
	if err != nil {
		return nil
	}
	return is
}

// failure splits an error into what went wrong and what to do, Jira's own
// words included.
func failure(err error) (what, hint string) {
	var la *common.LostAnswerError
	if errors.As(err, &la) {
		what, _ = failure(la.Err)
		return what, la.Hint()
	}
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.What(), store.Hint(err)
	}
	return err.Error(), ""
}

// jiraErr is the *jiraclient.Error in err's chain, or nil.
func jiraErr(err error) *jiraclient.Error {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je
	}
	return nil
}

// roundSeconds is a wait in whole seconds, rounded up ("4 s").
func roundSeconds(d time.Duration) string {
	return strconv.Itoa(int((d+time.Second-1)/time.Second)) + " s"
}

// fieldErrors are Jira's per-field errors in err, if any.
func fieldErrors(err error) map[string]string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.FieldErrors
	}
	return nil
}

// rateWait is how long Jira asked to wait when err is a 429 the client
// gave up on (its Retry-After beyond the client's cap); 0 otherwise.
func rateWait(err error) time.Duration {
	var je *jiraclient.Error
	if errors.As(err, &je) && je.Kind == jiraclient.KindRateLimited && je.RetryAfter > 0 {
		return min(je.RetryAfter, maxRateWait)
	}
	return 0
}

// shortError is a one-line reason for a list of failures: Jira's words
// when it gave any, else the error's first half.
func shortError(err error) string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		var parts []string
		parts = append(parts, je.Messages...)
		for _, k := range sortedKeys(je.FieldErrors) {
			parts = append(parts, k+": "+je.FieldErrors[k])
		}
		if len(parts) > 0 {
			return strings.Join(strings.Fields(strings.Join(parts, "; ")), " ")
		}
		return je.What()
	}
	return err.Error()
}

// retryTickMsg ends a wait for Jira's rate limit; id names the overlay
// (and the attempt) it was scheduled for.
type retryTickMsg struct{ id uint64 }

func retryAfter(d time.Duration, id uint64) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return retryTickMsg{id: id} })
}

// meName is how the signed-in user is named in a picker.
func meName(me *jiraclient.User) string {
	if me == nil {
		return "me"
	}
	if me.DisplayName != "" {
		return me.DisplayName
	}
	return me.ID()
}

// userName is a user as the list shows one.
func userName(u *jiraclient.User) string {
	if u == nil {
		return "Unassigned"
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.ID()
}

// sameUser reports whether a and b are the same person (nil is nobody).
func sameUser(a, b *jiraclient.User) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.ID() != "" && a.ID() == b.ID()
}
