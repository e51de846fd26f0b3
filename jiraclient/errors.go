package jiraclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// ErrorKind says what went wrong, in terms a caller can act on.
type ErrorKind int

// The kinds of failure. KindUnknown is what KindOf reports for nil and for
// errors that are not a *Error.
const (
	KindUnknown       ErrorKind = iota
	KindAuth                    // the login was rejected (401, or 2xx with AUTHENTICATED_FAILED)
	KindCaptcha                 // DC/Server wants a CAPTCHA solved in a browser first
	KindForbidden               // 403: no permission
	KindNotFound                // 404: missing, or not visible to this user
	KindBadRequest              // 400: Jira rejected the input (bad JQL, bad field values)
	KindConflict                // 409: conflicting update
	KindTooLarge                // 413: a per-issue limit was reached
	KindUnprocessable           // 422: a Jira configuration problem
	KindGone                    // 410: Jira removed the API
	KindRateLimited             // 429, or our own pacing could not fit the deadline
	KindUnavailable             // 503
	KindServer                  // other 5xx, or an answer of an unexpected shape
	KindNotJira                 // the answer is not Jira's REST API (HTML, a login page, a proxy)
	KindNetwork                 // DNS, refused, reset
	KindTLS                     // certificate problems, not TLS at all
	KindTimeout                 // no answer before the deadline
	KindCanceled                // the caller canceled
	KindNotSupported            // this Jira flavour does not offer it
	KindInsecure                // refused to send credentials over plain http
	KindInvalid                 // a bad site URL or option
)

var kindNames = [...]string{
	KindUnknown:       "unknown",
	KindAuth:          "auth",
	KindCaptcha:       "captcha",
	KindForbidden:     "forbidden",
	KindNotFound:      "not found",
	KindBadRequest:    "bad request",
	KindConflict:      "conflict",
	KindTooLarge:      "too large",
	KindUnprocessable: "unprocessable",
	KindGone:          "gone",
	KindRateLimited:   "rate limited",
	KindUnavailable:   "unavailable",
	KindServer:        "server error",
	KindNotJira:       "not jira",
	KindNetwork:       "network",
	KindTLS:           "tls",
	KindTimeout:       "timeout",
	KindCanceled:      "canceled",
	KindNotSupported:  "not supported",
	KindInsecure:      "insecure",
	KindInvalid:       "invalid",
}

// String names the kind in lower case ("rate limited").
func (k ErrorKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is every failure jiraclient returns. Error() reads "what is wrong:
// what to do"; Hint() is the second half alone. Path never holds a query
// string, and no field ever holds the credential.
type Error struct {
	Kind         ErrorKind
	Status       int // HTTP status, 0 when there was no answer
	Method, Path string
	Messages     []string          // Jira's errorMessages (or message / errorMessage)
	FieldErrors  map[string]string // Jira's per-field errors
	LoginReason  string            // X-Seraph-LoginReason
	RetryAfter   time.Duration     // how long Jira (or the throttle) asks to wait
	Err          error             // the underlying cause, if any

	// Context for the message; unexported so callers build on Kind and the
	// exported fields only.
	what     string        // overrides the kind's default description
	hint     string        // overrides the kind's default next step
	host     string        // the site's host, for network and TLS messages
	title    string        // <title> of an HTML answer
	loginURL string        // where to solve a CAPTCHA
	timeout  time.Duration // the deadline that ran out
	flavor   Flavor        // for flavour-specific advice on auth failures
	bearer   bool          // the credential was a PAT
	written  bool          // a non-idempotent request reached the server before the failure
	unsure   bool          // a write was sent and the failure says nothing of whether Jira applied it (OutcomeUnknown)
	ownWait  bool          // RetryAfter is jiffy's own backoff, not a wait Jira asked for
}

// ErrNotSupported is returned (or matched with errors.Is) when the site's
// Jira flavour has no equivalent of the call, e.g. ApproximateCount on Data
// Center. Do not modify it.
var ErrNotSupported error = &Error{Kind: KindNotSupported}

// Is makes errors.Is(err, ErrNotSupported) true for any KindNotSupported error.
func (e *Error) Is(target error) bool {
	return target == ErrNotSupported && e.Kind == KindNotSupported
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Error reads "what is wrong: what to do".
func (e *Error) Error() string {
	w := e.What()
	if h := e.Hint(); h != "" {
		return w + ": " + h
	}
	return w
}

// IsAuth reports whether err is a failed login: a 401, a 2xx carrying
// X-Seraph-LoginReason: AUTHENTICATED_FAILED, or a credential Data Center
// treated as anonymous. A CAPTCHA lockout counts too: the login is refused.
func IsAuth(err error) bool {
	k := KindOf(err)
	return k == KindAuth || k == KindCaptcha
}

// KindOf returns the kind of a *Error in err's chain, KindUnknown otherwise.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// What is the first half of Error(): what went wrong, with Jira's own words
// when it gave any.
func (e *Error) What() string {
	var b strings.Builder
	if e.what != "" {
		b.WriteString(e.what)
	} else {
		b.WriteString(e.defaultWhat())
	}
	if jira := e.jiraText(); jira != "" {
		b.WriteString(": ")
		b.WriteString(jira)
	}
	if e.Status != 0 && e.Method != "" {
		fmt.Fprintf(&b, " (HTTP %d on %s %s)", e.Status, e.Method, e.Path)
	} else if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	} else if e.Method != "" {
		fmt.Fprintf(&b, " (%s %s)", e.Method, e.Path)
	}
	return b.String()
}

// jiraText joins Jira's messages and field errors, verbatim: a bad JQL
// query's explanation is exactly what the user needs to see.
// Line breaks (Jackson errors carry "\n at [Source: ...]") become spaces so
// the message fits a status line.
func (e *Error) jiraText() string {
	parts := append([]string(nil), e.Messages...)
	keys := make([]string, 0, len(e.FieldErrors))
	for k := range e.FieldErrors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+e.FieldErrors[k])
	}
	return strings.Join(strings.Fields(strings.Join(parts, "; ")), " ")
}

// redact removes secret from everything the server put into e, in case a
// proxy or a Jira bug echoes the credential back.
func (e *Error) redact(secrets ...string) {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for i, m := range e.Messages {
			e.Messages[i] = strings.ReplaceAll(m, s, "[redacted]")
		}
		for k, v := range e.FieldErrors {
			e.FieldErrors[k] = strings.ReplaceAll(v, s, "[redacted]")
		}
		e.title = strings.ReplaceAll(e.title, s, "[redacted]")
	}
}

func (e *Error) site() string {
	if e.host != "" {
		return e.host
	}
	return "the Jira site"
}

func (e *Error) defaultWhat() string {
	switch e.Kind {
	case KindAuth:
		if e.LoginReason != "" {
			return "Jira rejected the login (" + e.LoginReason + ")"
		}
		return "Jira rejected the login"
	case KindCaptcha:
		return "Jira refuses logins from jiffy until a CAPTCHA is solved (too many failed logins)"
	case KindForbidden:
		if e.title != "" {
			return fmt.Sprintf("access refused by %s (an HTML page titled %q, maybe a proxy or firewall)", e.site(), e.title)
		}
		return "you do not have permission to do this in Jira"
	case KindNotFound:
		return "not found, or you have no permission to see it"
	case KindBadRequest:
		return "Jira rejected the request"
	case KindConflict:
		return "Jira reports a conflicting update (the issue changed at the same time)"
	case KindTooLarge:
		return "Jira refused the change: the issue has reached a limit (comments, attachments, worklogs or links per issue)"
	case KindUnprocessable:
		return "Jira could not apply the change because of a configuration problem"
	case KindGone:
		return "Jira has removed this API"
	case KindRateLimited:
		switch {
		case e.RetryAfter <= 0:
			return "Jira is rate-limiting requests"
		case e.ownWait:
			return "Jira is rate-limiting requests (it gave no usable Retry-After, and jiffy stopped retrying)"
		case e.RetryAfter >= maxRetryAfter:
			return "Jira is rate-limiting requests and asks to wait " + roundDuration(maxRetryAfter) + " or more"
		}
		return "Jira is rate-limiting requests and asks to wait " + roundDuration(e.RetryAfter)
	case KindUnavailable:
		if e.RetryAfter >= maxRetryAfter && !e.ownWait {
			return "Jira is temporarily unavailable and asks to wait " + roundDuration(maxRetryAfter) + " or more"
		}
		return "Jira is temporarily unavailable"
	case KindServer:
		return "Jira had an internal error"
	case KindNotJira:
		if e.title != "" {
			return fmt.Sprintf("the answer from %s is not Jira's REST API but an HTML page titled %q", e.site(), e.title)
		}
		return fmt.Sprintf("the answer from %s is not Jira's REST API", e.site())
	case KindNetwork:
		if e.Err != nil {
			return fmt.Sprintf("cannot reach %s: %v", e.site(), e.Err)
		}
		return "cannot reach " + e.site()
	case KindTLS:
		return "the secure connection to " + e.site() + " failed"
	case KindTimeout:
		if e.timeout > 0 {
			return "Jira did not answer within " + roundDuration(e.timeout)
		}
		return "Jira did not answer in time"
	case KindCanceled:
		return "request canceled"
	case KindNotSupported:
		return "this Jira does not support that"
	case KindInsecure:
		return "refusing to send credentials over plain http to " + e.site()
	case KindInvalid:
		if e.Err != nil {
			return e.Err.Error()
		}
		return "invalid input"
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return "Jira request failed"
}

// Hint is the user's next step alone ("" when there is nothing to do, as
// after a cancel).
func (e *Error) Hint() string {
	if e.hint != "" {
		return e.hint
	}
	switch e.Kind {
	case KindAuth:
		return e.authHint()
	case KindCaptcha:
		where := e.loginURL
		if where == "" {
			where = "the Jira site"
		}
		return "log in once in a browser at " + where + " and solve the CAPTCHA"
	case KindForbidden:
		return "ask a Jira admin for the permission (see the project's permission scheme)"
	case KindNotFound:
		return "check the key or ID, and that your account can browse the project"
	case KindBadRequest:
		for _, m := range e.Messages {
			if strings.Contains(m, "JQL") {
				return "fix the JQL query and search again"
			}
		}
		return "correct the values Jira names and try again"
	case KindConflict:
		return "refresh the issue and make the change again"
	case KindTooLarge:
		return "the change was not saved; remove old items from the issue or ask a Jira admin about the limit"
	case KindUnprocessable:
		return "ask a Jira admin to check the project's fields and workflow"
	case KindGone:
		return "this jiffy version uses an API Jira no longer offers: update jiffy"
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return "wait " + roundDuration(e.RetryAfter) + " and try again; if it keeps happening, other tools may be using the same token heavily"
		}
		return "wait a few seconds and try again; if it keeps happening, other tools may be using the same token heavily"
	case KindUnavailable:
		if e.flavor == FlavorCloud {
			return "try again in a minute; https://status.atlassian.com shows Cloud outages"
		}
		return "try again in a minute; if it lasts, tell your Jira admin"
	case KindServer:
		return "try again; if it keeps failing, report it to your Jira admin with the time it happened"
	case KindNotJira:
		return "a login page means SSO or a proxy stands in front of Jira's API"
	case KindNetwork:
		if e.written {
			return "the request reached Jira but no answer came back, so the change may or may not have been saved: refresh before trying again"
		}
		return "check your network or VPN and try again"
	case KindTimeout:
		return "the site may be slow or unreachable: check your network or VPN and try again"
	case KindNotSupported:
		return "this feature is not available on " + e.flavor.Title()
	case KindInsecure:
		return "use an https:// URL (plain http is allowed only for localhost)"
	case KindInvalid:
		return "enter the address you open Jira at in a browser, e.g. https://your-site.atlassian.net"
	}
	return ""
}

func (e *Error) authHint() string {
	switch {
	case e.bearer:
		return "the Personal Access Token was not accepted: it may be mistyped, expired or revoked; create a new one in Jira (your avatar > Profile > Personal Access Tokens)"
	case e.flavor == FlavorDataCenter:
		return "check the username and password; if your Jira uses SSO or has basic auth turned off, use a Personal Access Token instead"
	default:
		return "check the email and API token pair; an account password does not work, and tokens expire or get revoked: create a new token at https://id.atlassian.com/manage-profile/security/api-tokens (a scoped or service-account token works only through api.atlassian.com with the site's cloud ID)"
	}
}

// roundDuration prints a wait the way a person reads it: "2s", "1m30s", "500ms".
func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// maxErrorBody bounds how much of an error body is read: Jira's are small,
// and a misconfigured proxy may answer with anything.
const maxErrorBody = 1 << 20

// jiraErrorBody is Jira's ErrorCollection plus the alternative keys some
// endpoints and proxies use.
type jiraErrorBody struct {
	ErrorMessages []string       `json:"errorMessages"`
	Errors        map[string]any `json:"errors"`
	Message       string         `json:"message"`
	ErrorMessage  string         `json:"errorMessage"`
}

// parseErrorBody reads Jira's messages from body. ok is false when the body
// is not a JSON object at all.
func parseErrorBody(body []byte) (msgs []string, fields map[string]string, ok bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, nil, false
	}
	var eb jiraErrorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return nil, nil, false
	}
	for _, m := range eb.ErrorMessages {
		if m = strings.TrimSpace(m); m != "" {
			msgs = append(msgs, m)
		}
	}
	for _, m := range []string{eb.Message, eb.ErrorMessage} {
		if m = strings.TrimSpace(m); m != "" {
			msgs = append(msgs, m)
		}
	}
	for k, v := range eb.Errors {
		if fields == nil {
			fields = map[string]string{}
		}
		switch v := v.(type) {
		case string:
			fields[k] = v
		default:
			b, _ := json.Marshal(v)
			fields[k] = string(b)
		}
	}
	return msgs, fields, true
}

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// htmlTitle returns the page's <title>, tidied and shortened, if the body
// looks like HTML.
func htmlTitle(body []byte) string {
	m := titleRE().FindSubmatch(body)
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(safetext.Line(html.UnescapeString(string(m[1])))), " ")
	if r := []rune(t); len(r) > 80 {
		t = string(r[:79]) + "…"
	}
	return t
}

// looksHTML reports whether a body (or its content type) is an HTML page.
func looksHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '<'
}

// errorContext is what the classifier needs to know about the client and
// the call besides the response.
type errorContext struct {
	method, path string
	host         string
	flavor       Flavor
	bearer       bool
	credSent     bool
	timeout      time.Duration
}

func (ec errorContext) newError(kind ErrorKind) *Error {
	return &Error{Kind: kind, Method: ec.method, Path: ec.path, host: ec.host, flavor: ec.flavor, bearer: ec.bearer, timeout: ec.timeout}
}

// loginFailure checks the login headers Jira sets on any answer, including
// a 2xx: an expired Cloud token on an anonymous-readable endpoint comes back
// 200 with AUTHENTICATED_FAILED, and a rejected Data Center PAT comes back
// as user "anonymous".
func (ec errorContext) loginFailure(resp *http.Response) *Error {
	reason := safetext.Line(resp.Header.Get("X-Seraph-LoginReason"))
	denied := safetext.Line(resp.Header.Get("X-Authentication-Denied-Reason"))
	switch {
	case strings.HasPrefix(strings.ToUpper(denied), "CAPTCHA_CHALLENGE"):
		e := ec.newError(KindCaptcha)
		e.Status, e.LoginReason = resp.StatusCode, reason
		e.loginURL = loginURLFrom(denied)
		return e
	case strings.EqualFold(reason, "AUTHENTICATION_DENIED"):
		// Seraph refused without checking the password: the CAPTCHA state.
		e := ec.newError(KindCaptcha)
		e.Status, e.LoginReason = resp.StatusCode, reason
		return e
	case strings.EqualFold(reason, "AUTHENTICATED_FAILED"):
		e := ec.newError(KindAuth)
		e.Status, e.LoginReason = resp.StatusCode, reason
		return e
	case ec.credSent && strings.EqualFold(resp.Header.Get("X-AUSERNAME"), "anonymous"):
		e := ec.newError(KindAuth)
		e.Status = resp.StatusCode
		e.what = "Jira treated the request as anonymous: the credential was not accepted"
		return e
	}
	return nil
}

// loginURLFrom reads "CAPTCHA_CHALLENGE; login-url=https://..." and returns
// the URL only when it is a real http(s) address.
func loginURLFrom(h string) string {
	_, after, ok := strings.Cut(h, "login-url=")
	if !ok {
		return ""
	}
	u := strings.TrimSpace(strings.SplitN(after, ";", 2)[0])
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// fromResponse turns a non-2xx answer (or a 2xx with a failed login) into an
// *Error. body is at most maxErrorBody bytes of the answer.
func (ec errorContext) fromResponse(resp *http.Response, body []byte, now time.Time) *Error {
	status := resp.StatusCode
	msgs, fields, isJSON := parseErrorBody(body)
	if e := ec.loginFailure(resp); e != nil {
		e.Messages, e.FieldErrors = msgs, fields
		return e
	}
	ctype := resp.Header.Get("Content-Type")
	var kind ErrorKind
	switch {
	case status == http.StatusUnauthorized:
		kind = KindAuth
	case status == http.StatusForbidden:
		kind = KindForbidden
	case status == http.StatusNotFound:
		kind = KindNotFound
	case status == http.StatusBadRequest:
		kind = KindBadRequest
	case status == http.StatusConflict:
		kind = KindConflict
	case status == http.StatusGone:
		kind = KindGone
	case status == http.StatusRequestEntityTooLarge:
		kind = KindTooLarge
	case status == http.StatusUnprocessableEntity:
		kind = KindUnprocessable
	case status == http.StatusTooManyRequests:
		kind = KindRateLimited
	case status == http.StatusServiceUnavailable:
		kind = KindUnavailable
	case status >= 500:
		kind = KindServer
	case status >= 200 && status < 300:
		kind = KindNotJira // only reached for bodies that do not decode
	default:
		kind = KindBadRequest
	}
	// An HTML page where Jira would have answered JSON: the URL points at
	// something other than the REST API (a wrong path, an SSO page, a proxy).
	if !isJSON && looksHTML(ctype, body) {
		switch kind {
		case KindNotFound, KindBadRequest, KindNotJira:
			kind = KindNotJira
		}
	}
	e := ec.newError(kind)
	e.Status = status
	e.LoginReason = safetext.Line(resp.Header.Get("X-Seraph-LoginReason"))
	e.Messages, e.FieldErrors = msgs, fields
	if !isJSON {
		e.title = htmlTitle(body)
	}
	if kind == KindRateLimited || kind == KindUnavailable {
		e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	}
	return e
}

// fromTransport turns an error from the transport chain (no usable answer)
// into an *Error. written says a non-idempotent request reached the server.
func (ec errorContext) fromTransport(ctx context.Context, err error, written bool) *Error {
	var je *Error
	if errors.As(err, &je) {
		return je
	}
	var tw *throttleWaitError
	if errors.As(err, &tw) {
		e := ec.newError(KindRateLimited)
		e.RetryAfter = tw.wait
		e.what = "jiffy is pacing requests to stay under Jira's rate limit, and the next slot is " + roundDuration(tw.wait) + " away, past this request's deadline"
		e.hint = "try again in a moment"
		return e
	}
	var re *redirectError
	if errors.As(err, &re) {
		e := ec.newError(KindNotJira)
		e.Err = re
		if re.loop {
			e.what = fmt.Sprintf("%s keeps redirecting the request (stopped after %d redirects, the last to %s%s)", ec.site(), re.n, re.to.Host, re.to.EscapedPath())
			e.hint = "a proxy or single sign-on in front of Jira may be misconfigured"
		} else {
			e.what = fmt.Sprintf("%s redirected the request to another site, %s, which jiffy does not follow", ec.site(), re.to.Host)
			e.hint = "a redirect to a login page means single sign-on stands in front of Jira's API"
		}
		return e
	}
	// url.Error's text carries the full URL with its query (JQL): keep only
	// the cause. Its host is the one that failed, which after a redirect
	// is not the site's.
	cause := err
	var ue *url.Error
	failedHost := ""
	for errors.As(cause, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && failedHost == "" {
			failedHost = u.Host
		}
		cause = ue.Err
	}
	if failedHost != "" && failedHost != ec.host {
		ec.host = failedHost
	}
	e := ec.newError(KindNetwork)
	e.Err = cause
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() == context.Canceled:
		e.Kind = KindCanceled
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		e.Kind = KindTimeout
	case isTLSError(err):
		e.Kind = KindTLS
		e.what, e.hint = tlsMessage(err, ec.site())
	default:
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			e.what = "cannot find the host " + ec.site() + " (DNS lookup failed)"
			e.hint = "check your network, VPN or DNS"
		case errors.Is(err, syscall.ECONNREFUSED):
			e.what = "the connection to " + ec.site() + " was refused"
			e.hint = "check the site URL and port, and that Jira is running"
		case strings.Contains(cause.Error(), "malformed MIME header") || strings.Contains(cause.Error(), "malformed HTTP"):
			// The site answered, but with a header net/http will not read
			// (a control character in it): it was reached.
			e.what = "the answer from " + ec.site() + " has a malformed HTTP header" + malformedHeaderName(cause.Error()) + ", so jiffy could not read it"
			e.hint = "Jira or a proxy in front of it sent a broken header: tell your Jira admin"
			if e.written = written; written {
				e.hint = "Jira answered with a broken header, so the change may or may not have been saved: refresh before trying again, and tell your Jira admin"
			}
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
			e.what = "the connection to " + ec.site() + " closed before Jira answered"
			e.written = written
		}
	}
	return e
}

func (ec errorContext) site() string {
	if ec.host != "" {
		return ec.host
	}
	return "the Jira site"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isTLSError(err error) bool {
	var (
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		rh  tls.RecordHeaderError
		ve  *tls.CertificateVerificationError
		ae  tls.AlertError
		uae *x509.UnknownAuthorityError
	)
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return true // net/http's text for a RecordHeaderError that looks like HTTP
	}
	return errors.As(err, &ua) || errors.As(err, &uae) || errors.As(err, &hn) || errors.As(err, &ci) ||
		errors.As(err, &rh) || errors.As(err, &ve) || errors.As(err, &ae)
}

func tlsMessage(err error, site string) (what, hint string) {
	var (
		ua  x509.UnknownAuthorityError
		uae *x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		rh  tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &ua) || errors.As(err, &uae):
		return "the TLS certificate of " + site + " is signed by an unknown authority", ""
	case errors.As(err, &hn):
		return "the TLS certificate of " + site + " is not valid for that host name",
			"use the host name on Jira's certificate"
	case errors.As(err, &ci):
		if ci.Reason == x509.Expired {
			return "the TLS certificate of " + site + " has expired or is not yet valid",
				"check this computer's clock; otherwise tell your Jira admin the certificate expired"
		}
		return "the TLS certificate of " + site + " is not valid",
			"tell your Jira admin"
	case errors.As(err, &rh) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return site + " did not answer with TLS (https)",
			"check the port in the site URL; plain http is only allowed for localhost"
	}
	return "the secure connection to " + site + " failed: " + err.Error(), ""
}

// looksJSON reports whether a body starts like a JSON object or array, so
// a syntax error in it means a broken answer rather than some other page.
func looksJSON(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// brokenJSON is a 2xx answer that starts as JSON and then breaks: cut off
// on the way (a dropped connection, a proxy's buffer) or garbled. It is
// Jira's REST API answering, so the site URL is not to blame.
func (ec errorContext) brokenJSON(resp *http.Response, data []byte, se *json.SyntaxError) *Error {
	e := ec.newError(KindServer)
	e.Status = resp.StatusCode
	e.Err = se
	if se.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
		e.what = fmt.Sprintf("Jira's answer from %s ends in the middle of its JSON (%d bytes): it was cut off on the way", ec.site(), len(data))
	} else {
		e.what = fmt.Sprintf("Jira's answer from %s is broken JSON (%v at byte %d)", ec.site(), se, se.Offset)
	}
	e.hint = "try again; if it keeps happening, a proxy between jiffy and Jira may be cutting or rewriting answers"
	return e
}

// oversized is a 2xx answer larger than jiffy reads (maxBody), counted
// after any gzip decompression, so a compression bomb lands here too.
func (ec errorContext) oversized(resp *http.Response, limit int64) *Error {
	e := ec.newError(KindServer)
	e.Status = resp.StatusCode
	what := fmt.Sprintf("the answer from %s is larger than %d MiB", ec.site(), limit>>20)
	if resp.Uncompressed {
		what += " once decompressed"
	}
	e.what = what + ", more than any answer jiffy asks for; it was not read"
	e.hint = "try again; if it keeps happening, something between jiffy and Jira is sending oversized answers: tell your Jira admin"
	return e
}

// brokenBody is a failure while reading an answer whose status line and
// headers had arrived: the connection broke off part way.
func (ec errorContext) brokenBody(ctx context.Context, resp *http.Response, n int, err error, written bool) *Error {
	e := ec.fromTransport(ctx, err, written)
	if e.Kind != KindNetwork {
		return e // a timeout or a cancel says so itself
	}
	e.Status = resp.StatusCode
	e.what = fmt.Sprintf("the connection to %s broke off in the middle of Jira's answer (after %d bytes)", ec.site(), n)
	if !e.written {
		e.hint = "try again; if it keeps happening, a proxy or VPN may be cutting long answers"
	}
	return e
}

// malformedHeaderName finds the header's name in net/http's "malformed MIME
// header line: "Name: value"" and returns " (Name)", or "" when it cannot.
func malformedHeaderName(msg string) string {
	_, q, ok := strings.Cut(msg, "header line: ")
	if !ok {
		return ""
	}
	line, err := strconv.Unquote(q)
	if err != nil {
		return ""
	}
	name, _, ok := strings.Cut(line, ":")
	name = safetext.Line(strings.TrimSpace(name))
	if !ok || name == "" || len(name) > 64 {
		return ""
	}
	return " (" + name + ")"
}
