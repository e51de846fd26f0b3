// Package jiraclient speaks Jira's REST API: Cloud (REST v3, API tokens,
// Atlassian Document Format) and Data Center (REST v2, Personal Access Tokens,
// wiki markup). Every request goes through one transport chain that adds auth,
// throttles, retries and logs with the credential redacted (see transport.go).
//
// Every failure is a *Error; use errors.As, KindOf or IsAuth.
package jiraclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// Client is a Jira REST client for one site and one credential. It is safe
// for concurrent use.
type Client struct {
	base    string // site URL, for browse links
	apiBase string // where REST calls go: the site, or the Cloud gateway
	host    string // site host, for messages
	cred    Credential
	hc      *http.Client
	s       settings
	stats   counters
	thr     *throttle

	flavor atomic.Int32
	detect sync.Mutex // one flavour detection at a time

	epicLink atomic.Pointer[string] // DC Epic Link field id, once found (agile.go)
	people   directory              // display names of the users met, for mentions
	fields   fieldCache             // GET /field, once fetched (fields.go)
	me       atomic.Pointer[User]   // the logged-in user, once asked (watchers.go)
}

// EventKind says what an Event reports.
type EventKind int

const (
	// EventThrottled: a request waits in jiffy's own limiter (only waits of
	// 250 ms or more are reported).
	EventThrottled EventKind = iota + 1
	// EventRetrying: a request backs off after a 429, a 503 or a dropped
	// connection before trying again.
	EventRetrying
	// EventRecovered: a request that was retried got an answer.
	EventRecovered
)

// String names the kind.
func (k EventKind) String() string {
	switch k {
	case EventThrottled:
		return "throttled"
	case EventRetrying:
		return "retrying"
	case EventRecovered:
		return "recovered"
	}
	return "event"
}

// Event reports throttle and retry state, for a status line. Attempt is the
// retry number (1 = first retry) out of MaxRetries; Status is the HTTP status
// that caused a retry (0 for a dropped connection); Reason says why in words.
type Event struct {
	Kind       EventKind
	Method     string
	Path       string
	Wait       time.Duration
	Attempt    int
	MaxRetries int
	Status     int
	Reason     string
}

// Stats are running totals of a client's traffic, for benchmarks and soak
// tests.
type Stats struct {
	Requests      int64         // attempts sent to the server
	Retries       int64         // attempts that were repeats
	RateLimited   int64         // 429 answers
	ThrottleWaits int64         // attempts that waited in the throttle
	ThrottleWait  time.Duration // total time spent waiting in the throttle
}

// Stats returns the client's counters so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:      c.stats.requests.Load(),
		Retries:       c.stats.retries.Load(),
		RateLimited:   c.stats.rateLimited.Load(),
		ThrottleWaits: c.stats.throttleWaits.Load(),
		ThrottleWait:  time.Duration(c.stats.throttleWaitNanos.Load()),
	}
}

// New returns a client for the Jira site at baseURL (normalised with
// NormalizeURL) using cred. A credential without a token sends no
// Authorization header (anonymous access to a public site).
func New(baseURL string, cred Credential, opts ...Option) (*Client, error) {
	base, err := NormalizeURL(baseURL)
	if err != nil {
		return nil, err
	}
	s := defaultSettings()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if cred.Kind != AuthBasic && cred.Kind != AuthBearer {
		return nil, optionError("unknown credential kind %d", int(cred.Kind))
	}
	if cred.Kind == AuthBasic && cred.Token != "" && cred.User == "" {
		return nil, &Error{Kind: KindInvalid, Err: errors.New("the credential has a token but no user"),
			hint: "give the account email (Cloud) or username (Data Center) as the user, or use a Personal Access Token as a bearer token"}
	}
	u, _ := url.Parse(base)
	c := &Client{base: base, apiBase: base, host: u.Host, cred: cred, s: s}
	if s.apiBase != "" {
		c.apiBase = s.apiBase
		if s.flavor == FlavorUnknown {
			s.flavor = FlavorCloud // the gateway serves Cloud only
		}
	}
	c.flavor.Store(int32(s.flavor))

	allowed := map[string]bool{origin(u): true}
	if au, err := url.Parse(c.apiBase); err == nil {
		allowed[origin(au)] = true
	}
	var base0 http.RoundTripper = http.DefaultTransport
	hc := &http.Client{}
	if s.hc != nil {
		if s.hc.Transport != nil {
			base0 = s.hc.Transport
		}
		hc.CheckRedirect, hc.Jar, hc.Timeout = s.hc.CheckRedirect, s.hc.Jar, s.hc.Timeout
	}
	prevCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkRedirect(req, via, allowed); err != nil {
			return err
		}
		if prevCheck != nil {
			return prevCheck(req, via)
		}
		return nil
	}
	rt := base0
	if s.debug != nil {
		rt = newDebugLog(rt, s.debug, s.clock, cred)
	}
	rt = &authTransport{next: rt, header: authHeader(cred), allowed: allowed}
	c.thr = newThrottle(s.limits, s.clock, s.observer, &c.stats)
	rt = &throttleTransport{next: rt, t: c.thr, stats: &c.stats}
	rt = &retryTransport{next: rt, policy: s.retry, clock: s.clock, jitter: s.jitter, observer: s.observer, stats: &c.stats}
	rt = &deadlineTransport{next: rt, timeout: s.timeout}
	hc.Transport = rt
	c.hc = hc
	return c, nil
}

// BaseURL is the site URL as normalised, e.g. https://acme.atlassian.net or
// https://jira.example.com/jira.
func (c *Client) BaseURL() string { return c.base }

// Flavor is the site's flavour, FlavorUnknown until set (WithFlavor) or
// detected (DetectFlavor, or the first call that needs it).
func (c *Client) Flavor() Flavor { return Flavor(c.flavor.Load()) }

// BrowseURL is the page of an issue in the browser: {site}/browse/KEY.
func (c *Client) BrowseURL(key string) string {
	return c.base + "/browse/" + url.PathEscape(key)
}

// request is one REST call.
type request struct {
	Method     string
	Path       string       // from the site root, e.g. "/rest/api/3/issue/ABC-1" (build with c.api)
	Query      url.Values   // encoded into the URL; never logged, never in errors
	Body       any          // JSON-encoded when non-nil
	IssueKey   string       // set on writes to one issue: per-issue write pacing
	Idempotent bool         // retried on connection reset too; GET/HEAD/PUT/DELETE always count as idempotent
	Header     *http.Header // when non-nil, receives the answer's headers on success (the read-back uses Date)
}

// api builds "/rest/api/{2|3}/" + parts joined by "/", each part
// path-escaped; the version follows c.Flavor() (call ensureFlavor first).
func (c *Client) api(parts ...string) string {
	var b strings.Builder
	b.WriteString("/rest/api/")
	b.WriteString(c.Flavor().APIVersion())
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// ensureFlavor detects the flavour on first use (DetectFlavor) and caches
// it; concurrent first calls share one detection.
func (c *Client) ensureFlavor(ctx context.Context) (Flavor, error) {
	if f := c.Flavor(); f != FlavorUnknown {
		return f, nil
	}
	return c.detectFlavor(ctx, true)
}

// maxBody bounds a successful answer (a 100-issue page with every field is a
// few MiB); anything larger is not an answer jiffy asked for.
const maxBody = 64 << 20

// errCtx is the classifier's view of this client and call.
func (c *Client) errCtx(method, path string) errorContext {
	return errorContext{
		method: method, path: path, host: c.host,
		flavor: c.flavorHint(), bearer: c.cred.Kind == AuthBearer && c.cred.Token != "",
		credSent: c.cred.Token != "", timeout: c.s.timeout,
	}
}

// flavorHint is the known flavour, or a guess from the host and credential
// for advice in error messages.
func (c *Client) flavorHint() Flavor {
	if f := c.Flavor(); f != FlavorUnknown {
		return f
	}
	if isCloudHost(strings.Split(c.host, ":")[0]) {
		return FlavorCloud
	}
	if c.cred.Kind == AuthBearer {
		return FlavorDataCenter
	}
	return FlavorUnknown
}

// call sends r through the transport chain and decodes a JSON body into out
// (out may be nil; 204 / empty body is fine). Every failure is a *Error.
func (c *Client) call(ctx context.Context, r request, out any) error {
	path := r.Path
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i] // a query belongs in r.Query; never let one reach errors or logs
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	ec := c.errCtx(r.Method, path)
	var body []byte
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			e := ec.newError(KindInvalid)
			e.Err = errors.New("cannot encode the request: " + err.Error())
			e.hint = "this is a bug in jiffy; please report it"
			return e
		}
		body = b
	}
	u := c.apiBase + path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	meta := &callMeta{path: path, issueKey: r.IssueKey, idempotent: r.Idempotent}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(withMeta(ctx, meta), r.Method, u, rd)
	if err != nil {
		e := ec.newError(KindInvalid)
		e.Err = errors.New("cannot build the request")
		e.hint = "this is a bug in jiffy; please report it"
		return e
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.s.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		e := ec.fromTransport(ctx, err, meta.written.Load() && !isIdempotent(r.Method, r.Idempotent))
		e.unsure = isWrite(r.Method) && meta.written.Load() && (e.Kind == KindNetwork || e.Kind == KindTimeout)
		return e
	}
	defer resp.Body.Close()

	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(maxErrorBody)
	if ok {
		limit = maxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		e := ec.brokenBody(ctx, resp, len(data), err, !isIdempotent(r.Method, r.Idempotent))
		e.unsure = isWrite(r.Method)
		return e
	}
	if int64(len(data)) > limit {
		if ok {
			return ec.oversized(resp, limit)
		}
		data = data[:limit] // an error page: its start says enough
	}
	// Every string Jira sends is cleaned here, before any decoder sees it,
	// so no field of any answer (error messages included) can carry an
	// escape sequence to the terminal.
	data = safetext.CleanJSON(data)
	if !ok {
		e := ec.fromResponse(resp, data, c.s.clock.Now())
		e.unsure = isWrite(r.Method) && resp.StatusCode >= 500
		if e.RetryAfter == 0 && (e.Kind == KindRateLimited || e.Kind == KindUnavailable) {
			e.RetryAfter, e.ownWait = meta.giveUpWait, meta.giveUpWait > 0
		}
		e.redact(c.cred.secretForms()...)
		return e
	}
	if e := ec.loginFailure(resp); e != nil {
		return e
	}
	if r.Header != nil {
		*r.Header = resp.Header.Clone()
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && looksJSON(data) && !looksHTML(resp.Header.Get("Content-Type"), data) {
			return ec.brokenJSON(resp, data, se)
		}
		if errors.As(err, &se) || looksHTML(resp.Header.Get("Content-Type"), data) {
			e := ec.newError(KindNotJira)
			e.Status = resp.StatusCode
			e.title = htmlTitle(data)
			e.Err = err
			return e
		}
		e := ec.newError(KindServer)
		e.Status = resp.StatusCode
		e.Err = err
		e.what = "Jira's answer has an unexpected shape (" + err.Error() + ")"
		e.hint = "this Jira version may answer differently than jiffy expects: run with the debug log and report it"
		return e
	}
	return nil
}
