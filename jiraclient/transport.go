package jiraclient

// The transport chain. Every request the client sends goes through:
//
//	deadline -> retry -> throttle -> auth -> debug log -> base transport
//
// deadline bounds the whole call, throttle waits and retries included, so a
// stalled server never hangs a view. The retry loop sits outside the
// throttle because Jira counts every attempt, so each one is paced, and a
// backoff sleep then holds no in-flight slot. auth is set per attempt and
// only for the site's (or API gateway's) origin. The debug log sits next to
// the wire so it records each attempt as sent, but it never reads headers.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// callMeta travels in the request context from call() through the chain.
type callMeta struct {
	path       string // the API path without query, e.g. /rest/api/3/issue/ABC-1
	issueKey   string
	idempotent bool
	written    atomic.Bool   // some attempt's request reached the server
	giveUpWait time.Duration // the wait the retry loop refused (deadline, Max, or out of retries)
	// transfer marks an attachment upload or download: its time is bounded
	// by an idle timeout that progress resets (transfer.go), not by the
	// per-call deadline, which a large file on a slow link would overrun.
	transfer bool
}

type metaKey struct{}

func withMeta(ctx context.Context, m *callMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// metaOf returns the call's metadata, or metadata derived from the request
// for one that did not come through call() (a redirect keeps its context).
func metaOf(req *http.Request) *callMeta {
	if m, ok := req.Context().Value(metaKey{}).(*callMeta); ok {
		return m
	}
	return &callMeta{path: req.URL.EscapedPath()}
}

// counters back Client.Stats.
type counters struct {
	requests          atomic.Int64
	retries           atomic.Int64
	rateLimited       atomic.Int64
	throttleWaits     atomic.Int64
	throttleWaitNanos atomic.Int64
}

// deadlineTransport gives each call a deadline; it is canceled when the
// response body is closed, not when RoundTrip returns, so the body can still
// be read.
type deadlineTransport struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t *deadlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if metaOf(req).transfer {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &onCloseBody{ReadCloser: resp.Body, fn: cancel}
	return resp, nil
}

// onCloseBody runs fn once when the body is closed.
type onCloseBody struct {
	io.ReadCloser
	fn   func()
	once sync.Once
}

func (b *onCloseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.fn)
	return err
}

// throttleTransport admits each attempt through the throttle and feeds the
// answer's rate-limit signals back to it. The in-flight slot is held until
// the body is closed.
type throttleTransport struct {
	next  http.RoundTripper
	t     *throttle
	stats *counters
}

func (t *throttleTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	meta := metaOf(req)
	adm, err := t.t.admit(req.Context(), req.Method, meta.path, meta.issueKey)
	if err != nil {
		return nil, err
	}
	if a := attemptOf(req.Context()); a != nil {
		a.throttleWait = adm.waited
	}
	t.stats.requests.Add(1)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		adm.release()
		return nil, err
	}
	t.t.observe(resp, req.Method, meta.path, meta.issueKey)
	resp.Body = &onCloseBody{ReadCloser: resp.Body, fn: adm.release}
	return resp, nil
}

// maxRedirects is how many redirects one call follows (net/http's own
// default) before it is reported as a loop.
const maxRedirects = 10

// redirectError is a redirect jiffy refused to follow: one that leaves the
// site's origin (its answer would be shown as the site's, and a 307/308
// would send the request body there), or one too many.
type redirectError struct {
	to   *url.URL
	loop bool
	n    int
}

func (e *redirectError) Error() string {
	if e.loop {
		return fmt.Sprintf("stopped after %d redirects", e.n)
	}
	return "refused a redirect to " + e.to.Host
}

// checkRedirect is the client's CheckRedirect: only the site's and the API
// gateway's origins, and no loops. One exception: an attachment's content
// (a transfer GET), which Jira Cloud answers with a redirect to its media
// host; that is followed to any HTTPS origin (or loopback), and the
// credential never goes with it (authTransport sends it to allowed origins
// only).
func checkRedirect(req *http.Request, via []*http.Request, allowed map[string]bool) error {
	if !allowed[origin(req.URL)] && !mediaRedirect(req) {
		return &redirectError{to: req.URL}
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return &redirectError{to: req.URL, loop: true, n: len(via)}
		}
	}
	if len(via) >= maxRedirects {
		return &redirectError{to: req.URL, loop: true, n: len(via)}
	}
	return nil
}

// mediaRedirect reports whether req is a download of an attachment's
// content being redirected to a host that may serve it.
func mediaRedirect(req *http.Request) bool {
	m, ok := req.Context().Value(metaKey{}).(*callMeta)
	if !ok || !m.transfer || req.Method != http.MethodGet {
		return false
	}
	return req.URL.Scheme == "https" || (req.URL.Scheme == "http" && isLoopbackHost(req.URL.Hostname()))
}
