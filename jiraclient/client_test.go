package jiraclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock advances by exactly the time slept, at once, and records every
// sleep: single-goroutine tests of waits run in microseconds.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 26, 15, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// testCred is a credential whose token is easy to grep for.
var testCred = Credential{Kind: AuthBasic, User: "ana@example.com", Token: "ATATT3xFfGF0-SeCrEt-token-123"}

// newTestClient starts an httptest server with h and a client for it. The
// server is mounted under /jira so a request that forgets the context path
// fails loudly.
func newTestClient(t testing.TB, h http.Handler, opts ...Option) (*Client, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/jira/", http.StripPrefix("/jira", h))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the context path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside context path", http.StatusTeapot)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	opts = append([]Option{WithHTTPClient(srv.Client()), WithFlavor(FlavorCloud)}, opts...)
	c, err := New(srv.URL+"/jira", testCred, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, srv
}

func jsonHandler(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	cases := []struct {
		name string
		url  string
		cred Credential
		opt  Option
		kind ErrorKind
		want string
	}{
		{"empty url", "", testCred, nil, KindInvalid, "empty"},
		{"plain http", "http://jira.example.com", testCred, nil, KindInsecure, "https"},
		{"nil http client", "https://x.atlassian.net", testCred, WithHTTPClient(nil), KindInvalid, "nil"},
		{"zero timeout", "https://x.atlassian.net", testCred, WithTimeout(0), KindInvalid, "positive"},
		{"negative rate", "https://x.atlassian.net", testCred, WithLimits(Limits{ReadRPS: -1}), KindInvalid, "ReadRPS"},
		{"too many retries", "https://x.atlassian.net", testCred, WithRetry(RetryPolicy{MaxRetries: 11, Initial: time.Second, Max: time.Minute}), KindInvalid, "MaxRetries"},
		{"max below initial", "https://x.atlassian.net", testCred, WithRetry(RetryPolicy{MaxRetries: 2, Initial: time.Second, Max: time.Millisecond}), KindInvalid, "Max"},
		{"bad flavour", "https://x.atlassian.net", testCred, WithFlavor(Flavor(9)), KindInvalid, "flavour"},
		{"user agent newline", "https://x.atlassian.net", testCred, WithUserAgent("a\nb"), KindInvalid, "one non-empty line"},
		{"api base http", "https://x.atlassian.net", testCred, WithAPIBase("http://api.atlassian.com/ex/jira/1"), KindInsecure, "https"},
		{"token without user", "https://x.atlassian.net", Credential{Kind: AuthBasic, Token: "t"}, nil, KindInvalid, "no user"},
		{"unknown auth kind", "https://x.atlassian.net", Credential{Kind: AuthKind(7), Token: "t"}, nil, KindInvalid, "credential kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.url, tc.cred, tc.opt)
			if err == nil {
				t.Fatalf("New succeeded: %v", c.BaseURL())
			}
			if KindOf(err) != tc.kind {
				t.Errorf("kind = %v, want %v (%v)", KindOf(err), tc.kind, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "t\"") || strings.Contains(err.Error(), testCred.Token) {
				t.Errorf("error shows the token: %q", err)
			}
		})
	}
}

func TestNewAccessors(t *testing.T) {
	c, err := New("  acme.atlassian.net/browse/ABC-1?focusedCommentId=1 ", testCred)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != "https://acme.atlassian.net" {
		t.Errorf("BaseURL = %q", got)
	}
	if c.Flavor() != FlavorUnknown {
		t.Errorf("Flavor = %v before detection", c.Flavor())
	}
	if got := c.BrowseURL("ABC-12"); got != "https://acme.atlassian.net/browse/ABC-12" {
		t.Errorf("BrowseURL = %q", got)
	}
	if got := c.BrowseURL("A/B"); got != "https://acme.atlassian.net/browse/A%2FB" {
		t.Errorf("BrowseURL escapes = %q", got)
	}
	dc, err := New("https://jira.example.com/jira/secure/Dashboard.jspa", Credential{Kind: AuthBearer, Token: "pat"}, WithFlavor(FlavorDataCenter))
	if err != nil {
		t.Fatal(err)
	}
	if got := dc.BrowseURL("OPS-7"); got != "https://jira.example.com/jira/browse/OPS-7" {
		t.Errorf("DC BrowseURL = %q", got)
	}
	if dc.Flavor() != FlavorDataCenter {
		t.Errorf("WithFlavor not applied: %v", dc.Flavor())
	}
}

func TestAPIPathFollowsFlavourAndEscapes(t *testing.T) {
	cloud, _ := New("https://a.atlassian.net", testCred, WithFlavor(FlavorCloud))
	dc, _ := New("https://jira.example.com", testCred, WithFlavor(FlavorDataCenter))
	if got := cloud.api("issue", "ABC-1", "comment"); got != "/rest/api/3/issue/ABC-1/comment" {
		t.Errorf("cloud api = %q", got)
	}
	if got := dc.api("issue", "ABC-1"); got != "/rest/api/2/issue/ABC-1" {
		t.Errorf("dc api = %q", got)
	}
	if got := cloud.api("user", "a b/c?d"); got != "/rest/api/3/user/a%20b%2Fc%3Fd" {
		t.Errorf("escaping = %q", got)
	}
}

func TestCallDecodesAndSendsHeaders(t *testing.T) {
	var gotQuery, gotCT, gotUA, gotAccept, gotBody string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery, gotCT, gotUA, gotAccept = r.URL.RawQuery, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"), r.Header.Get("Accept")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		if r.URL.Path != "/rest/api/3/issue/ABC-1/comment" {
			t.Errorf("path = %q", r.URL.Path)
		}
		jsonHandler(201, `{"id":"10000"}`)(w, r)
	}), WithUserAgent("jiffy-test/1"))
	var out struct{ ID string }
	err := c.call(context.Background(), request{
		Method: http.MethodPost, Path: c.api("issue", "ABC-1", "comment"),
		Query: map[string][]string{"expand": {"renderedBody"}}, Body: map[string]string{"body": "hi"}, IssueKey: "ABC-1",
	}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.ID != "10000" {
		t.Errorf("decoded id = %q", out.ID)
	}
	if gotQuery != "expand=renderedBody" || gotCT != "application/json" || gotUA != "jiffy-test/1" || gotAccept != "application/json" {
		t.Errorf("query %q, content-type %q, user-agent %q, accept %q", gotQuery, gotCT, gotUA, gotAccept)
	}
	if gotBody != `{"body":"hi"}` {
		t.Errorf("body = %q", gotBody)
	}
}

func TestCallEmptyBodies(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	var out map[string]any
	if err := c.call(context.Background(), request{Method: http.MethodPut, Path: "/rest/api/3/issue/A-1", Body: map[string]any{}}, &out); err != nil {
		t.Fatalf("204 with out: %v", err)
	}
	if err := c.call(context.Background(), request{Method: http.MethodDelete, Path: "/rest/api/3/issue/A-1"}, nil); err != nil {
		t.Fatalf("204 without out: %v", err)
	}
}

func TestCallUnexpectedShapeIsServerError(t *testing.T) {
	c, _ := newTestClient(t, jsonHandler(200, `{"id": 12}`))
	var out struct{ ID []string }
	err := c.call(context.Background(), request{Method: http.MethodGet, Path: "/rest/api/3/x"}, &out)
	if KindOf(err) != KindServer || !strings.Contains(err.Error(), "unexpected shape") {
		t.Fatalf("err = %v (kind %v)", err, KindOf(err))
	}
}

func TestCallUnencodableBody(t *testing.T) {
	c, _ := newTestClient(t, jsonHandler(200, `{}`))
	err := c.call(context.Background(), request{Method: http.MethodPost, Path: "/rest/api/3/x", Body: map[string]any{"f": func() {}}}, nil)
	if KindOf(err) != KindInvalid {
		t.Fatalf("err = %v", err)
	}
}

func TestQueryNeverInErrors(t *testing.T) {
	c, _ := newTestClient(t, jsonHandler(400, `{"errorMessages":["Error in the JQL Query: bad"],"errors":{}}`))
	err := c.call(context.Background(), request{Method: http.MethodGet, Path: "/rest/api/3/search/jql?jql=secret", Query: map[string][]string{"jql": {"project = SECRETPROJ"}}}, nil)
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("not a *Error: %v", err)
	}
	if je.Path != "/rest/api/3/search/jql" {
		t.Errorf("Path = %q", je.Path)
	}
	if strings.Contains(err.Error(), "SECRETPROJ") || strings.Contains(err.Error(), "secret") {
		t.Errorf("query leaked into the error: %v", err)
	}
}

func TestWithAPIBaseRoutesRESTCallsToGateway(t *testing.T) {
	var gwHits, siteHits atomic.Int32
	var gwAuth string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gwHits.Add(1)
		gwAuth = r.Header.Get("Authorization")
		if r.URL.Path != "/ex/jira/abc-123/rest/api/3/myself" {
			t.Errorf("gateway path = %q", r.URL.Path)
		}
		jsonHandler(200, `{"accountId":"5b10","displayName":"Ana","active":true}`)(w, r)
	}))
	defer gw.Close()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { siteHits.Add(1) }))
	defer site.Close()
	c, err := New(site.URL, testCred, WithAPIBase(gw.URL+"/ex/jira/abc-123/"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Myself(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.AccountID != "5b10" || c.Flavor() != FlavorCloud {
		t.Errorf("user %+v flavour %v", u, c.Flavor())
	}
	if gwHits.Load() != 1 || siteHits.Load() != 0 {
		t.Errorf("gateway hits %d, site hits %d", gwHits.Load(), siteHits.Load())
	}
	if !strings.HasPrefix(gwAuth, "Basic ") {
		t.Errorf("gateway got no credential: %q", gwAuth)
	}
	if c.BrowseURL("A-1") != site.URL+"/browse/A-1" {
		t.Errorf("browse URL should stay on the site: %q", c.BrowseURL("A-1"))
	}
}

func TestStatsCount(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		jsonHandler(200, `{}`)(w, r)
	}), withClock(newFakeClock()))
	if err := c.call(context.Background(), request{Method: http.MethodGet, Path: "/rest/api/3/x"}, nil); err != nil {
		t.Fatal(err)
	}
	s := c.Stats()
	if s.Requests != 2 || s.Retries != 1 || s.RateLimited != 1 {
		t.Errorf("stats = %+v", s)
	}
}
