package jiraclient

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client in New. Options validate their arguments; New
// returns the first error (a *Error of KindInvalid or KindInsecure).
type Option func(*settings) error

type settings struct {
	flavor    Flavor
	hc        *http.Client
	limits    Limits
	retry     RetryPolicy
	timeout   time.Duration
	debug     io.Writer
	observer  func(Event)
	userAgent string
	apiBase   string
	clock     Clock
	jitter    func() float64 // uniform in [0, 1); tests pin it
}

func defaultSettings() settings {
	return settings{
		limits:    DefaultLimits(),
		retry:     DefaultRetryPolicy(),
		timeout:   DefaultTimeout,
		userAgent: DefaultUserAgent,
		clock:     realClock{},
	}
}

// DefaultTimeout is the per-call deadline: long enough for a slow Data
// Center search, short enough that a stalled server never hangs a view.
const DefaultTimeout = 30 * time.Second

// DefaultUserAgent is sent unless WithUserAgent says otherwise.
const DefaultUserAgent = "jiffy (+https://github.com/jiffy-tui/jiffy)"

func optionError(format string, args ...any) error {
	return &Error{Kind: KindInvalid, Err: fmt.Errorf(format, args...), hint: "fix the client option"}
}

// WithFlavor sets the flavour up front (known from the site cache) so the
// first call does not ask serverInfo.
func WithFlavor(f Flavor) Option {
	return func(s *settings) error {
		if f != FlavorUnknown && f != FlavorCloud && f != FlavorDataCenter {
			return optionError("WithFlavor: unknown flavour %d", int(f))
		}
		s.flavor = f
		return nil
	}
}

// WithHTTPClient supplies the base HTTP client: its Transport (for a custom
// CA, a proxy, or a test server), CheckRedirect and Jar are used under the
// client's own transport chain.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return optionError("WithHTTPClient: nil *http.Client")
		}
		s.hc = hc
		return nil
	}
}

// WithLimits sets the throttle. Zero fields take DefaultLimits' value; rates
// may be math.Inf(1) to turn that limit off.
func WithLimits(l Limits) Option {
	return func(s *settings) error {
		l, err := l.withDefaults()
		if err != nil {
			return err
		}
		s.limits = l
		return nil
	}
}

// WithRetry sets the retry policy (DefaultRetryPolicy otherwise).
// MaxRetries 0 turns retries off.
func WithRetry(p RetryPolicy) Option {
	return func(s *settings) error {
		if err := p.validate(); err != nil {
			return err
		}
		s.retry = p
		return nil
	}
}

// WithTimeout sets the deadline of one call, throttle waits and retries
// included (DefaultTimeout otherwise).
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return optionError("WithTimeout: the timeout must be positive, got %v", d)
		}
		s.timeout = d
		return nil
	}
}

// WithDebugLog writes one line per HTTP attempt to w: time, method, path
// (never the query), status, duration, throttle wait and retry count. The
// Authorization header and the token are never written. nil turns it off.
func WithDebugLog(w io.Writer) Option {
	return func(s *settings) error {
		s.debug = w
		return nil
	}
}

// WithObserver calls fn on throttle waits, retries and recoveries, for a
// status line. fn runs on the request's goroutine and must not block.
func WithObserver(fn func(Event)) Option {
	return func(s *settings) error {
		s.observer = fn
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return optionError("WithUserAgent: the user agent must be one non-empty line")
		}
		s.userAgent = ua
		return nil
	}
}

// WithAPIBase sends REST calls to u instead of the site, keeping the site
// for browse links: Jira Cloud scoped API tokens and service-account tokens
// only work through the gateway https://api.atlassian.com/ex/jira/{cloudId}
// (see CloudID). The flavour is then Cloud.
func WithAPIBase(u string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(u) == "" {
			return optionError("WithAPIBase: empty URL")
		}
		base, err := normalizeAPIBase(u)
		if err != nil {
			return err
		}
		s.apiBase = base
		return nil
	}
}

// normalizeAPIBase checks a gateway base: https (or loopback http), no
// user info; the path is kept (it holds the cloud ID), query and fragment
// are dropped.
func normalizeAPIBase(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", invalidURL(raw, "WithAPIBase: this is not a web address")
	}
	site, err := NormalizeURL(u.Scheme + "://" + u.Host)
	if err != nil {
		return "", err
	}
	if u.User != nil {
		return "", invalidURL("", "WithAPIBase: the URL must not contain a user name or password")
	}
	return site + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// withClock replaces the clock (tests only).
func withClock(c Clock) Option {
	return func(s *settings) error {
		if c == nil {
			return errors.New("withClock: nil clock")
		}
		s.clock = c
		return nil
	}
}

// withJitter pins the random source of retry jitter (tests only).
func withJitter(f func() float64) Option {
	return func(s *settings) error {
		s.jitter = f
		return nil
	}
}
