package fakejira

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Well-known credentials of the generated "me" user (Ada Lovelace).
const (
	Email    = "ada@example.com"  // Cloud Basic user
	Token    = "fake-api-token-1" // Cloud API token (Basic password) and DC PAT (Bearer)
	Username = "ada"              // DC username
	// Password is Ada's Data Center password, for Basic username:password
	// (DC only; a PAT is never accepted as a Basic password, as on real DC).
	Password = "fake-password-1"
)

// Flavour names accepted in Options.Flavor.
const (
	FlavorCloud      = "cloud"
	FlavorDataCenter = "datacenter"
)

// Options configure a fake server. The zero value is a Cloud site with 3
// projects and 300 issues generated from seed 0.
type Options struct {
	Flavor   string    // "cloud" (REST v3, ADF, accountId, /search/jql) or "datacenter" (REST v2, wiki, name/key, /search)
	Seed     int64     // deterministic data and fault dice
	Projects int       // number of generated projects (default 3)
	Issues   int       // total generated issues (default 300; negative for none)
	Now      time.Time // fixed "now" for generated timestamps (default 2026-03-02 09:30 UTC)
	BaseURL  string    // what self links and serverInfo.baseUrl say; Start sets it to the listener URL
	// ContextPath serves the site below a path, as Data Center sites often
	// are ("/jira": REST at /jira/rest/api/2/...). BaseURL and the URL Start
	// returns include it.
	ContextPath string
	// Demo words the site as a product team's backlog (summaries,
	// descriptions, comments) and puts a showcase issue first in "assigned
	// to me": what `jiffy --demo` serves. Issues defaults to 120 then.
	// Tests leave it off.
	Demo bool
	// ResultWindow is Data Center's search platform window (OpenSearch's
	// max_result_window): a search page reaching past it answers 500
	// "Search limit exceeded". 0 means 10,000; negative means none.
	ResultWindow int
	// SearchMax is Data Center's jira.search.views.default.max, the most
	// issues one search page gives whatever maxResults asks (0 means its
	// default, 1,000); a site's admin may set it lower.
	SearchMax int
}

// DefaultNow is the "now" used when Options.Now is zero, so generated data
// and golden outputs are stable.
var DefaultNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// User is a fake Jira user as a test sees it. On Cloud AccountID is set and
// Name/Key are empty; on Data Center Name/Key are set and AccountID is empty,
// as the two APIs identify people.
type User struct {
	AccountID   string
	Name        string
	Key         string
	DisplayName string
	Email       string
}

// Faults make the server misbehave the way networks, proxies and Jira do.
// Random faults draw from a generator seeded by Options.Seed.
type Faults struct {
	Latency    time.Duration // added to every response
	Rate429    float64       // fraction of requests answered 429 (Cloud JSON body + Retry-After, RateLimit-Reason, X-RateLimit-*)
	RetryAfter time.Duration // Retry-After on injected 429/503 (0 = omit the header)
	Rate503    float64       // fraction answered 503
	DropRate   float64       // fraction of connections closed without a response
	HTMLRate   float64       // fraction answered with a proxy's HTML 502 page
	RateLimit  float64       // real enforcement: requests per second per endpoint (token bucket); 0 = off
	RateBurst  int           // bucket size for RateLimit (default max(1, RateLimit))
	// PerIssueWrites enforces Cloud's per-issue write limits (20 writes per
	// 2 s and 100 per 30 s to one issue; 429 with RateLimit-Reason:
	// jira-per-issue-on-write). Cloud only.
	PerIssueWrites bool
	// BulkIssueErrors are issues Cloud's POST /issue/bulkfetch cannot give
	// now: each time a key is listed here, one bulk fetch asking for it
	// reports it in issueErrors (its id and an errorMessage, the spec's
	// IssueError) instead of returning it, as Jira does on "a retriable
	// error or payload constraint"; once its listings are spent it is
	// returned again. Cloud only.
	BulkIssueErrors []string
	Script          []Fault // the next len(Script) requests get these faults, in order
}

// Fault is one scripted misbehaviour. The zero Fault means "answer normally".
type Fault struct {
	Status       int           // answer with this status instead of running the handler (429, 503, 500, 401, ...)
	RetryAfter   string        // raw Retry-After header value for Status
	Reason       string        // RateLimit-Reason for a 429 (default jira-burst-based)
	Drop         bool          // close the connection without a response
	HTML         bool          // answer with an HTML error page (Status, default 502)
	Delay        time.Duration // sleep before answering
	AfterHandler bool          // run the handler (the write happens), then drop the connection
	// AfterStatus, with AfterHandler: answer this status (500, 502, 504) as
	// Jira or its proxy does after the write was applied, instead of dropping.
	AfterStatus int
	// AfterHang, with AfterHandler: never answer; hold the connection until
	// the client gives up (its deadline), as a stuck proxy does.
	AfterHang bool
	Captcha   bool // answer as Data Center's CAPTCHA lockout (403, AUTHENTICATION_DENIED)
}

// Request is one recorded request. The Authorization value is never kept.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Status   int // 0 when the connection was dropped before a response
	Time     time.Time
	Body     string
	HasAuth  bool
}

// Server is an in-memory Jira. It is safe for concurrent use.
type Server struct {
	flavor    string
	cloud     bool
	now       time.Time
	startedAt time.Time
	ctxPath   string

	mu      sync.Mutex
	base    string
	token   string
	captcha bool
	// expireIn: authenticated requests the token still answers before it
	// expires (ExpireTokenAfter); -1: no such end.
	expireIn int
	faults   Faults
	quirks   Quirks
	// resultWindow: Options.ResultWindow resolved (0: none).
	resultWindow int
	searchMax    int // Options.SearchMax resolved
	script       []Fault
	bulkErrs     map[string]int // key -> bulk fetches still to report it in issueErrors
	dice         *rand.Rand
	buckets      map[string]*bucket
	writes       map[string][]time.Time // per-issue write times, for PerIssueWrites
	reqs         []Request
	reqsChanged  chan struct{} // closed (and replaced) when reqs changes: AwaitRequest
	reqID        atomic.Int64
	users        []*user
	me           *user
	projects     []*project
	statuses     []*status
	priorities   []*priority
	resols       []*resolution
	types        []*issueType
	issues       []*issue
	byKey        map[string]*issue
	nextID       int
	nextCmt      int
	nextLink     int
	nextRank     int
	counters     map[string]int // per-project key counters
	filters      []filter
	agile        agileState // boards, sprints, estimates (agile.go)
	more         moreState  // custom fields, worklogs, attachments (fields.go, activity.go)
}

type filter struct {
	ID, Name, Description, JQL string
}

// New builds a server and its generated data. Nothing listens: mount it with
// httptest or use Start.
func New(o Options) *Server {
	if o.Projects <= 0 {
		o.Projects = 3
	}
	if o.Issues == 0 {
		o.Issues = 300
		if o.Demo {
			o.Issues = 120 // a team's backlog, with few repeated summaries
		}
	}
	if o.Issues < 0 {
		o.Issues = 0
	}
	if o.Now.IsZero() {
		o.Now = DefaultNow
	}
	flavor := strings.ToLower(o.Flavor)
	switch flavor {
	case "dc", "server", "datacenter", "data center":
		flavor = FlavorDataCenter
	default:
		flavor = FlavorCloud
	}
	s := &Server{
		flavor:     flavor,
		cloud:      flavor == FlavorCloud,
		now:        o.Now,
		startedAt:  time.Now(),
		base:       strings.TrimRight(o.BaseURL, "/"),
		token:      Token,
		expireIn:   -1,
		dice:       rand.New(rand.NewSource(o.Seed ^ 0x5eed)),
		buckets:    map[string]*bucket{},
		writes:     map[string][]time.Time{},
		statuses:   newStatuses(),
		priorities: newPriorities(),
		resols:     newResolutions(),
		types:      newIssueTypes(),
		byKey:      map[string]*issue{},
		counters:   map[string]int{},
		nextID:     10000,
		nextCmt:    10000,
		nextLink:   10000,
	}
	if s.base == "" {
		if s.cloud {
			s.base = "https://jiffy-demo.atlassian.net"
		} else {
			s.base = "https://jira.example.com"
		}
	}
	if cp := strings.Trim(o.ContextPath, "/"); cp != "" {
		s.ctxPath = "/" + cp
		if !strings.HasSuffix(s.base, s.ctxPath) {
			s.base += s.ctxPath
		}
	}
	s.searchMax = 1000
	if o.SearchMax > 0 {
		s.searchMax = o.SearchMax
	}
	if !s.cloud {
		s.resultWindow = 10_000
		if o.ResultWindow != 0 {
			s.resultWindow = max(0, o.ResultWindow)
		}
	}
	generate(s, o)
	generateAgile(s, o) // after generate, from its own dice: the issues stay as they were
	generateFields(s, o)
	if o.Demo {
		demoize(s, o)
	}
	return s
}

// Start serves a new fake on a loopback listener and returns it, its URL and
// a function that stops it.
func Start(o Options) (*Server, string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("fakejira: listen on loopback: %w", err)
	}
	o.BaseURL = "http://" + ln.Addr().String()
	s := New(o)
	u := s.baseURL()
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = hs.Close()
			<-done
		})
	}
	return s, u, stop, nil
}

// SetBaseURL changes what self links and serverInfo say (for an httptest
// server whose URL is known only after New). The context path, if any, is
// appended unless u already ends with it.
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	s.base = strings.TrimRight(u, "/")
	if s.ctxPath != "" && !strings.HasSuffix(s.base, s.ctxPath) {
		s.base += s.ctxPath
	}
	s.mu.Unlock()
}

// Flavor is "cloud" or "datacenter".
func (s *Server) Flavor() string { return s.flavor }

// Now is the fixed "now" of the generated data; writes stamp real time
// moved onto this clock so "updated" always increases.
func (s *Server) Now() time.Time { return s.now }

// Me is the authenticated user, Ada Lovelace.
func (s *Server) Me() User { return s.exportUser(s.me) }

// Users lists every user, me first.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, s.exportUser(u))
	}
	return out
}

func (s *Server) exportUser(u *user) User {
	if s.cloud {
		return User{AccountID: u.AccountID, DisplayName: u.DisplayName, Email: u.Email}
	}
	return User{Name: u.Name, Key: u.Key, DisplayName: u.DisplayName, Email: u.Email}
}

// SetToken makes token the only valid credential; the old one now fails.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	s.token, s.expireIn = token, -1
	s.mu.Unlock()
}

// ExpireToken makes the current token stop working, the way an expired API
// token or revoked PAT does: every authenticated request is refused.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	s.token, s.expireIn = "", -1
	s.mu.Unlock()
}

// SetCaptcha turns Data Center's CAPTCHA lockout on or off: while on, every
// request that carries a credential answers 403 with
// X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE. Real Jira locks out
// Basic logins only; the fake applies it to PATs too so PAT-based tests can
// reach the state. (Cloud has no such state; Fault.Captcha forces it once.)
func (s *Server) SetCaptcha(on bool) {
	s.mu.Lock()
	s.captcha = on
	s.mu.Unlock()
}

// SetFaults replaces the fault configuration and its script.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.script = append([]Fault(nil), f.Script...)
	s.bulkErrs = map[string]int{}
	for _, k := range f.BulkIssueErrors {
		s.bulkErrs[strings.ToUpper(k)]++
	}
	s.buckets = map[string]*bucket{}
	s.writes = map[string][]time.Time{}
	s.mu.Unlock()
}

// Quirks are shapes real Jira answers take that the fake does not send by
// default; a test turns them on to see the client and the UI cope. Each was
// met in a live site's answers (the public captures in testdata/ hold none
// of them), and the Cloud REST v3 schema allows each: "to" and
// "isAvailable" are optional on IssueTransition, and a link's far end is a
// LinkedIssue whose fields are all optional.
type Quirks struct {
	// TransitionsWithoutTo leaves "to" out of every transition.
	TransitionsWithoutTo bool
	// UnavailableTransition adds a transition Jira lists but will not
	// perform now: "Reopen" (id 51) with isAvailable false (Cloud only;
	// Data Center does not list such transitions).
	UnavailableTransition bool
	// EmptyLinkEnd adds to every issue with links one more link whose
	// far end is an empty object ("outwardIssue": {}).
	EmptyLinkEnd bool
}

// SetQuirks turns the given answer shapes on (and the others off).
func (s *Server) SetQuirks(q Quirks) {
	s.mu.Lock()
	s.quirks = q
	s.mu.Unlock()
}

// Requests returns every request recorded so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.reqs = nil
	s.reqsChangedLocked()
	s.mu.Unlock()
}

// AwaitRequest returns the first recorded request match accepts, waiting
// for one to be recorded (or its status set) until ctx ends. A request
// recorded before the call counts. The status is 0 while the answer is
// being written.
func (s *Server) AwaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	for {
		s.mu.Lock()
		for _, r := range s.reqs {
			if match(r) {
				s.mu.Unlock()
				return r, nil
			}
		}
		if s.reqsChanged == nil {
			s.reqsChanged = make(chan struct{})
		}
		changed := s.reqsChanged
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return Request{}, ctx.Err()
		}
	}
}

// recordLocked records a request, returning its index; s.mu is held.
func (s *Server) recordLocked(r Request) int {
	s.reqs = append(s.reqs, r)
	s.reqsChangedLocked()
	return len(s.reqs) - 1
}

// setStatusLocked sets the status of the request recorded at idx (unless
// the record was reset since); s.mu is held.
func (s *Server) setStatusLocked(idx, status int) {
	if idx < len(s.reqs) {
		s.reqs[idx].Status = status
		s.reqsChangedLocked()
	}
}

// reqsChangedLocked wakes AwaitRequest's waiters; s.mu is held.
func (s *Server) reqsChangedLocked() {
	if s.reqsChanged != nil {
		close(s.reqsChanged)
		s.reqsChanged = nil
	}
}

// --- HTTP plumbing -----------------------------------------------------------

// maxBody bounds request bodies; real Jira refuses far smaller ones anyway.
const maxBody = 10 << 20

type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one request as the configured Jira would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))

	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Time: time.Now(), Body: string(body), HasAuth: r.Header.Get("Authorization") != ""}
	s.mu.Lock()
	idx := s.recordLocked(rec)
	f, latency := s.drawFault()
	s.mu.Unlock()
	rw := &recorder{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.setStatusLocked(idx, rw.status)
		s.mu.Unlock()
	}()

	if d := latency + f.Delay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	reqID := s.reqID.Add(1)
	w.Header().Set("X-AREQUESTID", fmt.Sprintf("%dx%dx1", 570+reqID%60, 1000000+reqID))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Jira's Date header is its own clock, the one its timestamps use.
	s.mu.Lock()
	w.Header().Set("Date", s.clockLocked().UTC().Format(http.TimeFormat))
	s.mu.Unlock()
	if f.AfterHandler {
		// The write happens, the client never hears about it.
		s.handle(&discard{h: http.Header{}}, r)
		switch {
		case f.AfterStatus != 0 && f.HTML:
			writeHTMLError(rw, f.AfterStatus)
		case f.AfterStatus != 0:
			s.writeInjected(rw, Fault{Status: f.AfterStatus})
		case f.AfterHang:
			<-r.Context().Done()
			rw.status = 0
		default:
			rw.status = 0
			hijackClose(w)
		}
		return
	}
	switch {
	case f.Drop:
		hijackClose(w)
		return
	case f.HTML:
		st := f.Status
		if st == 0 {
			st = http.StatusBadGateway
		}
		writeHTMLError(rw, st)
		return
	case f.Captcha:
		s.writeCaptcha(rw)
		return
	case f.Status != 0:
		s.writeInjected(rw, f)
		return
	}
	s.handle(rw, r)
}

type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(c int)           { d.code = c }

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, a recorder): abort the handler the way
	// net/http documents, which also resets the stream.
	panic(http.ErrAbortHandler)
}

// drawFault decides this request's fault: a scripted one first, else the
// random rates. Called with s.mu held.
func (s *Server) drawFault() (Fault, time.Duration) {
	if len(s.script) > 0 {
		f := s.script[0]
		s.script = s.script[1:]
		return f, s.faults.Latency
	}
	ff := s.faults
	var f Fault
	ra := ""
	if ff.RetryAfter > 0 {
		ra = strconv.Itoa(int(math.Ceil(ff.RetryAfter.Seconds())))
	}
	if ff.DropRate > 0 && s.dice.Float64() < ff.DropRate {
		f.Drop = true
	} else if ff.HTMLRate > 0 && s.dice.Float64() < ff.HTMLRate {
		f.HTML = true
	} else if ff.Rate429 > 0 && s.dice.Float64() < ff.Rate429 {
		f.Status, f.RetryAfter = http.StatusTooManyRequests, ra
	} else if ff.Rate503 > 0 && s.dice.Float64() < ff.Rate503 {
		f.Status, f.RetryAfter = http.StatusServiceUnavailable, ra
	}
	return f, ff.Latency
}

func writeHTMLError(w http.ResponseWriter, status int) {
	text := http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Server", "nginx")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", status, text, status, text)
}

func (s *Server) writeInjected(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch f.Status {
	case http.StatusTooManyRequests:
		s.write429(w, f.Reason, f.RetryAfter, 0)
	case http.StatusUnauthorized:
		s.writeUnauthorized(w)
	case http.StatusServiceUnavailable:
		writeJSON(w, f.Status, errBody([]string{"Service Unavailable: the server is temporarily unable to handle the request. Please try again later."}, nil))
	default:
		writeJSON(w, f.Status, errBody([]string{fmt.Sprintf("%d %s", f.Status, http.StatusText(f.Status))}, nil))
	}
}

// write429 answers a rate-limited request. Cloud sends its JSON body and
// RateLimit-Reason; Data Center's limiter answers with a Tomcat HTML page.
func (s *Server) write429(w http.ResponseWriter, reason, retryAfter string, limit int) {
	h := w.Header()
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	if limit <= 0 {
		limit = 100
	}
	if s.cloud {
		if reason == "" {
			reason = "jira-burst-based"
		}
		h.Set("RateLimit-Reason", reason)
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-NearLimit", "true")
		secs, _ := strconv.Atoi(retryAfter)
		h.Set("X-RateLimit-Reset", time.Now().UTC().Add(time.Duration(secs)*time.Second).Format("2006-01-02T15:04Z"))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"errorMessages": []string{"The request has been rate-limited. Please try again later."}, "errors": map[string]any{}, "status": 429})
		return
	}
	h.Set("X-Seraph-LoginReason", "OK")
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("Content-Type", "text/html;charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	io.WriteString(w, `<!doctype html><html lang="en"><head><title>HTTP Status 429 – Too Many Requests</title></head><body><h1>HTTP Status 429 – Too Many Requests</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> Rate limit exceeded.</p><p><b>Description</b> The user has sent too many requests in a given amount of time (&quot;rate limiting&quot;).</p><hr class="line" /><h3>Apache Tomcat/9.0.95</h3></body></html>`)
}

func (s *Server) writeUnauthorized(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
	if s.cloud {
		h.Set("Content-Type", "text/html;charset=UTF-8")
		h.Set("Server", "AtlassianEdge")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "<html><head><title>Unauthorized (401)</title></head><body><h1>Unauthorized (401)</h1><p>Encountered a \"401 - Unauthorized\" error while loading this page.</p><p><a href=\"/secure/Dashboard.jspa\">Go to Jira home</a></p></body></html>")
		return
	}
	h.Set("X-AUSERNAME", "anonymous")
	h.Set("WWW-Authenticate", `OAuth realm="`+s.baseURL()+`"`)
	writeJSON(w, http.StatusUnauthorized, errBody([]string{"You are not authenticated. Authentication required to perform this operation."}, nil))
}

func (s *Server) writeCaptcha(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Seraph-LoginReason", "AUTHENTICATION_DENIED")
	h.Set("X-Authentication-Denied-Reason", "CAPTCHA_CHALLENGE; login-url="+s.baseURL()+"/login.jsp")
	h.Set("WWW-Authenticate", `OAuth realm="`+s.baseURL()+`"`)
	h.Set("X-AUSERNAME", "anonymous")
	h.Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, "<html><head><title>Forbidden (403)</title></head><body><h1>Forbidden (403)</h1><p>CAPTCHA_CHALLENGE</p></body></html>")
}

func (s *Server) baseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// authState is the outcome of checking a request's credential.
type authState int

const (
	authNone authState = iota // no Authorization header
	authOK
	authBad
	authCaptcha
)

func (s *Server) checkAuth(r *http.Request) authState {
	h := r.Header.Get("Authorization")
	if h == "" {
		return authNone
	}
	s.mu.Lock()
	token, captcha := s.token, s.captcha
	s.mu.Unlock()
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	if s.cloud {
		if !strings.EqualFold(scheme, "Basic") {
			return authBad
		}
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return authBad
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok || !strings.EqualFold(user, Email) || token == "" || pass != token {
			return authBad
		}
		return s.spend(token)
	}
	if captcha {
		return authCaptcha
	}
	if strings.EqualFold(scheme, "Basic") {
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return authBad
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok || !strings.EqualFold(user, Username) || pass != Password {
			return authBad
		}
		return authOK
	}
	if !strings.EqualFold(scheme, "Bearer") || token == "" || cred != token {
		return authBad
	}
	return s.spend(token)
}

// spend counts one request answered with token against ExpireTokenAfter:
// authBad once the token has expired.
func (s *Server) spend(token string) authState {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.token != token:
		return authBad // expired meanwhile
	case s.expireIn == 0:
		s.token, s.expireIn = "", -1
		return authBad
	case s.expireIn > 0:
		s.expireIn--
	}
	return authOK
}

// bucket is a token bucket for one endpoint.
type bucket struct {
	tokens float64
	last   time.Time
}

// take spends one token from the endpoint's bucket. It reports whether the
// request may proceed, the tokens left and how long until one is back.
func (s *Server) take(key string, rate float64, burst int) (ok bool, remaining int, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	b := s.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(burst), last: now}
		s.buckets[key] = b
	}
	b.tokens = math.Min(float64(burst), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false, 0, time.Duration((1 - b.tokens) / rate * float64(time.Second))
	}
	b.tokens--
	return true, int(b.tokens), 0
}

// Default burst settings reported on Cloud when enforcement is off; the
// numbers are Atlassian's documented per-endpoint GET/POST defaults.
const (
	cloudDefaultRate  = 100
	cloudDefaultBurst = 100
)

// rateLimit applies the per-endpoint bucket and sets the headers the
// flavour sends. It returns false when it has answered 429.
func (s *Server) rateLimit(w http.ResponseWriter, endpoint string) bool {
	s.mu.Lock()
	rate, burst := s.faults.RateLimit, s.faults.RateBurst
	s.mu.Unlock()
	enforce := rate > 0
	if !enforce {
		if !s.cloud {
			return true // DC sends rate-limit headers only when an admin enabled limiting
		}
		rate, burst = cloudDefaultRate, cloudDefaultBurst
	}
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	ok, remaining, wait := s.take(endpoint, rate, burst)
	if !ok && !enforce {
		ok, remaining = true, 0
	}
	h := w.Header()
	if !ok {
		secs := int(math.Ceil(wait.Seconds()))
		if secs < 1 {
			secs = 1
		}
		if !s.cloud {
			h.Set("X-RateLimit-FillRate", strconv.FormatFloat(rate, 'f', -1, 64))
			h.Set("X-RateLimit-Interval-Seconds", "1")
		}
		s.write429(w, "jira-burst-based", strconv.Itoa(secs), burst)
		return false
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(burst))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	if s.cloud {
		if float64(remaining) < 0.2*float64(burst) {
			h.Set("X-RateLimit-NearLimit", "true")
		}
	} else {
		h.Set("X-RateLimit-FillRate", strconv.FormatFloat(rate, 'f', -1, 64))
		h.Set("X-RateLimit-Interval-Seconds", "1")
		h.Set("Retry-After", "0")
	}
	return true
}

// --- JSON helpers --------------------------------------------------------------

func errBody(msgs []string, errs map[string]string) map[string]any {
	if msgs == nil {
		msgs = []string{}
	}
	e := map[string]any{}
	for k, v := range errs {
		e[k] = v
	}
	return map[string]any{"errorMessages": msgs, "errors": e}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache, no-store, no-transform")
	// Jira does not HTML-escape '<', '>' and '&' in JSON, so neither do we.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	b := []byte(`{"errorMessages":["Internal server error"],"errors":{}}`)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
	} else {
		b = bytes.TrimRight(buf.Bytes(), "\n")
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeErr(w http.ResponseWriter, status int, msgs ...string) {
	writeJSON(w, status, errBody(msgs, nil))
}

func writeFieldErr(w http.ResponseWriter, status int, errs map[string]string) {
	writeJSON(w, status, errBody(nil, errs))
}

// Per-issue write windows (Cloud). The numbers are the ones Atlassian's
// rate-limit guide gives for writes to a single issue.
var issueWriteWindows = []struct {
	n   int
	per time.Duration
}{{20, 2 * time.Second}, {100, 30 * time.Second}}

// issueWriteAllowed records a write to key and reports whether it is within
// the per-issue limits, and if not how long until it would be.
func (s *Server) issueWriteAllowed(key string) (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.cloud || !s.faults.PerIssueWrites {
		return true, 0
	}
	now := time.Now()
	ts := s.writes[key]
	// Drop what is older than the longest window.
	keep := ts[:0]
	for _, t := range ts {
		if now.Sub(t) < issueWriteWindows[len(issueWriteWindows)-1].per {
			keep = append(keep, t)
		}
	}
	ts = keep
	for _, w := range issueWriteWindows {
		var in []time.Time
		for _, t := range ts {
			if now.Sub(t) < w.per {
				in = append(in, t)
			}
		}
		if len(in) >= w.n {
			s.writes[key] = ts
			return false, in[len(in)-w.n].Add(w.per).Sub(now)
		}
	}
	s.writes[key] = append(ts, now)
	return true, 0
}
