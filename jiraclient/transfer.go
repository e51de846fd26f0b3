package jiraclient

// Transfers: attachment uploads and downloads. They go through the same
// transport chain as every call (auth, throttle, retry, debug log) but
// differ from call() in three ways:
//
//   - The body is streamed, not JSON: a multipart upload read from the
//     caller's io.Reader, a download written to the caller's io.Writer,
//     each reporting progress.
//   - Time is bounded by an idle timeout (the client's timeout with no
//     byte moving) instead of the per-call deadline, so a large file on a
//     slow link finishes while a stalled one still fails.
//   - Retries: an upload whose reader can seek is replayable (GetBody
//     seeks back to where it started) and so is retried on 429/503 like
//     any call; a plain reader cannot be sent twice, so the retry layer,
//     seeing no GetBody, makes one attempt only. A dropped connection
//     after the body went out is never retried (POST is not idempotent).

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ProgressFunc reports a transfer: done bytes so far out of total (-1 when
// unknown). It is called from the goroutine running the transfer, at most
// once per read, so keep it cheap (send a message, do not draw).
type ProgressFunc func(done, total int64)

// transferRequest is one streamed request.
type transferRequest struct {
	Method string
	Path   string // from the site root, for the URL, errors and logs
	Header http.Header
	// Body builds the request body (nil: none); idle is kicked as it is
	// read. Rewind, when set, makes the body replayable: it is called
	// before Body is built again for a retry.
	Body     func(idle *idleTimer) io.Reader
	Rewind   func() error
	Length   int64 // Content-Length; -1 unknown (chunked)
	IssueKey string
}

// idleTimer cancels a context when no progress happens for d.
type idleTimer struct {
	d       time.Duration
	t       *time.Timer
	expired atomic.Bool
	mu      sync.Mutex
}

func newIdleTimer(d time.Duration, cancel context.CancelFunc) *idleTimer {
	it := &idleTimer{d: d}
	it.t = time.AfterFunc(d, func() {
		it.expired.Store(true)
		cancel()
	})
	return it
}

func (it *idleTimer) kick() {
	it.mu.Lock()
	if !it.expired.Load() {
		it.t.Reset(it.d)
	}
	it.mu.Unlock()
}

func (it *idleTimer) stop() { it.t.Stop() }

// progressReader counts bytes read through it, reports them and keeps
// the idle timer alive.
type progressReader struct {
	r     io.Reader
	done  int64
	base  int64 // bytes of the body before this reader (multipart head)
	total int64
	fn    ProgressFunc
	idle  *idleTimer
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.done += int64(n)
		if p.idle != nil {
			p.idle.kick()
		}
		if p.fn != nil {
			p.fn(p.done, p.total)
		}
	}
	return n, err
}

// send runs a transfer request through the chain. On success the caller
// reads and closes resp.Body, then calls done (which stops the idle timer
// and releases the context). Every failure is a *Error.
func (c *Client) send(ctx context.Context, r transferRequest) (resp *http.Response, idle *idleTimer, done func(), err error) {
	ec := c.errCtx(r.Method, r.Path)
	ctx, cancel := context.WithCancel(ctx)
	idle = newIdleTimer(c.s.timeout, cancel)
	finish := func() { idle.stop(); cancel() }
	meta := &callMeta{path: r.Path, issueKey: r.IssueKey, transfer: true}
	var body io.Reader
	if r.Body != nil {
		body = r.Body(idle)
	}
	req, rerr := http.NewRequestWithContext(withMeta(ctx, meta), r.Method, c.apiBase+r.Path, body)
	if rerr != nil {
		finish()
		e := ec.newError(KindInvalid)
		e.Err = errors.New("cannot build the request")
		e.hint = "this is a bug in jiffy; please report it"
		return nil, nil, nil, e
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", c.s.userAgent)
	if r.Body != nil {
		req.ContentLength = r.Length // -1: unknown, sent chunked
		req.GetBody = nil            // only a Rewind makes the body replayable
		if r.Rewind != nil {
			req.GetBody = func() (io.ReadCloser, error) {
				if err := r.Rewind(); err != nil {
					return nil, err
				}
				return io.NopCloser(r.Body(idle)), nil
			}
		}
	}
	resp, herr := c.hc.Do(req)
	if herr != nil {
		finish()
		if idle.expired.Load() {
			e := ec.newError(KindTimeout)
			e.timeout = c.s.timeout
			e.what = "the transfer stalled: nothing moved for " + roundDuration(c.s.timeout)
			e.hint = "check the connection and try again"
			return nil, nil, nil, e
		}
		return nil, nil, nil, ec.fromTransport(ctx, herr, meta.written.Load() && r.Method != http.MethodGet)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		finish()
		e := ec.fromResponse(resp, data, c.s.clock.Now())
		if e.RetryAfter == 0 && (e.Kind == KindRateLimited || e.Kind == KindUnavailable) {
			e.RetryAfter = meta.giveUpWait
		}
		e.redact(c.cred.secretForms()...)
		return nil, nil, nil, e
	}
	if e := ec.loginFailure(resp); e != nil {
		resp.Body.Close()
		finish()
		return nil, nil, nil, e
	}
	idle.kick()
	return resp, idle, finish, nil
}

// transferError turns a failure while streaming a body into a *Error.
func (c *Client) transferError(ctx context.Context, method, path string, idle *idleTimer, err error) error {
	var je *Error
	if errors.As(err, &je) {
		return je
	}
	ec := c.errCtx(method, path)
	if idle != nil && idle.expired.Load() {
		e := ec.newError(KindTimeout)
		e.timeout = c.s.timeout
		e.what = "the transfer stalled: nothing moved for " + roundDuration(c.s.timeout)
		e.hint = "check the connection and try again"
		return e
	}
	if ctx.Err() != nil {
		return ec.fromTransport(ctx, ctx.Err(), false)
	}
	var we writeError
	if errors.As(err, &we) {
		e := ec.newError(KindInvalid)
		e.Err = we.err
		e.what = "cannot write the download: " + we.err.Error()
		e.hint = "check the destination path and free disk space"
		return e
	}
	return ec.fromTransport(ctx, err, true)
}

// writeError marks a failure of the caller's writer, not of Jira.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }
