package soak

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// Screen size of every program here.
const (
	screenW = 120
	screenH = 40
)

// frames records what a probe saw: when each frame was drawn, how long
// Update and View took, and the latest screen.
type frames struct {
	mu        sync.Mutex
	times     []time.Time
	maxUpdate time.Duration
	maxView   time.Duration
	maxBoth   time.Duration   // an Update plus the View drawn after it
	both      []time.Duration // each frame's Update plus View
	lastUpd   time.Duration
	updates   int
	last      string    // latest screen, ANSI stripped
	changedAt time.Time // when the frame that first showed last was drawn
	watch     func(screen string)
	seen      func(screen string)  // every frame, for a whole run (watch is per wait)
	raw       func(content string) // every frame before ANSI is stripped (escape_test.go)
	keysAt    []time.Time          // when each key was sent
	keysDone  int                  // key presses Update has had
	frameKeys int                  // keysDone when the latest frame was drawn
	frameUpds int                  // updates when the latest frame was drawn
	outcomes  []outcome            // writes settled, in the order the root got them
}

// outcome is a write's settlement as the root model received it: an
// IssueConfirmedMsg or an IssueRollbackMsg, with the overlay's token
// ("comment:KEY:n", "action:transition:KEY:n", "action:assign:KEY:n").
type outcome struct {
	token, key string
	ok         bool
	err        error
	note       string
}

// record counts key presses and keeps msg if it settles a write.
func (f *frames) record(msg tea.Msg) {
	if inner, ok := store.Answer(msg); ok {
		// A write's outcome comes back through the store's request
		// helper, which hands it to the views inside the same Update.
		msg = inner
	}
	var o outcome
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		f.mu.Lock()
		f.keysDone++
		f.mu.Unlock()
		return
	case common.IssueConfirmedMsg:
		o = outcome{token: m.Token, key: m.Key, ok: true, note: m.Note}
	case common.IssueRollbackMsg:
		o = outcome{token: m.Token, key: m.Key, err: m.Err}
	default:
		return
	}
	f.mu.Lock()
	f.outcomes = append(f.outcomes, o)
	f.mu.Unlock()
}

// settled is the number of outcomes so far, a mark for awaitOutcome.
func (f *frames) settled() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.outcomes)
}

// keyLag is the longest time from a key sent in [from, to] to the first
// frame drawn after it: how long the UI kept a user waiting for an answer
// to a key. A key with no frame after it counts until now.
func (f *frames) keyLag(from, to time.Time) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var lag time.Duration
	j := 0
	for _, k := range f.keysAt {
		if k.Before(from) || k.After(to) {
			continue
		}
		for j < len(f.times) && f.times[j].Before(k) {
			j++
		}
		if j == len(f.times) {
			lag = max(lag, time.Since(k))
			continue
		}
		lag = max(lag, f.times[j].Sub(k))
	}
	return lag
}

func (f *frames) update(d time.Duration) {
	f.mu.Lock()
	f.updates++
	f.lastUpd = d
	f.maxUpdate = max(f.maxUpdate, d)
	f.mu.Unlock()
}

func (f *frames) frame(at time.Time, d time.Duration, content string) {
	f.mu.Lock()
	raw := f.raw
	f.mu.Unlock()
	if raw != nil {
		raw(content)
	}
	s := ansi.Strip(content)
	f.mu.Lock()
	f.times = append(f.times, at)
	f.maxView = max(f.maxView, d)
	f.maxBoth = max(f.maxBoth, f.lastUpd+d)
	f.both = append(f.both, f.lastUpd+d)
	f.lastUpd = 0
	if s != f.last {
		f.changedAt = at
	}
	f.last = s
	f.frameKeys, f.frameUpds = f.keysDone, f.updates
	w, seen := f.watch, f.seen
	f.mu.Unlock()
	if seen != nil {
		seen(s)
	}
	if w != nil {
		w(s)
	}
}

// screen is the latest frame.
func (f *frames) screen() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// bothQuantile is the q-quantile (0 < q <= 1) of Update plus View over
// the frames drawn.
func (f *frames) bothQuantile(q float64) time.Duration {
	f.mu.Lock()
	ds := slices.Clone(f.both)
	f.mu.Unlock()
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

// synced reports whether the latest frame was drawn after every key sent
// so far and after the latest Update: an older screen would show a state
// the program has left. (What a key starts through a Cmd, such as opening
// an issue, arrives later, as its own message.)
func (f *frames) synced() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.frameKeys >= len(f.keysAt) && f.frameUpds == f.updates
}

// count is the number of frames drawn.
func (f *frames) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.times)
}

// maxGap is the longest time between two frames drawn within [from, to],
// counting from from and to to the nearest frames.
func (f *frames) maxGap(from, to time.Time) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var gap time.Duration
	prev := from
	for _, t := range f.times {
		if t.Before(from) {
			continue
		}
		if t.After(to) {
			break
		}
		gap = max(gap, t.Sub(prev))
		prev = t
	}
	return gap
}

// probe wraps the root model to time Update and View and count frames; it
// changes nothing the model does.
type probe struct {
	m tea.Model
	f *frames
}

func (p probe) Init() tea.Cmd { return p.m.Init() }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	start := time.Now()
	m, cmd := p.m.Update(msg)
	p.f.update(time.Since(start))
	p.f.record(msg)
	if d := time.Since(start); d > 30*time.Millisecond && os.Getenv("SOAK_DEBUG") != "" {
		fmt.Printf("slow update %v %T\n", d, msg)
	}
	return probe{m: m, f: p.f}, cmd
}

func (p probe) View() tea.View {
	start := time.Now()
	v := p.m.View()
	if d := time.Since(start); d > 30*time.Millisecond && os.Getenv("SOAK_DEBUG") != "" {
		fmt.Printf("slow view %v %d\n", d, p.f.count())
	}
	p.f.frame(start, time.Since(start), v.Content)
	return v
}

// program is a running Bubble Tea program around the root model.
type program struct {
	t    testing.TB
	p    *tea.Program
	f    *frames
	done chan struct{}
	err  error
}

// run starts m in a real program: no terminal input (keys come through
// Send), output to out, a fixed 120x40 window.
func run(t testing.TB, m tea.Model, out io.Writer, watch func(string)) *program {
	t.Helper()
	if out == nil {
		out = io.Discard
	}
	f := &frames{watch: watch}
	pr := &program{t: t, f: f, done: make(chan struct{})}
	pr.p = tea.NewProgram(probe{m: m, f: f},
		tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(screenW, screenH),
		tea.WithoutSignalHandler())
	go func() {
		defer close(pr.done)
		_, pr.err = pr.p.Run()
	}()
	// A test that failed half way leaves no program running.
	t.Cleanup(func() {
		select {
		case <-pr.done:
		default:
			pr.p.Kill()
			<-pr.done
		}
	})
	return pr
}

// key sends one key press.
func (pr *program) key(k string) { pr.sendKey(press(k)) }

// sendKey sends msg and notes when, for keyLag.
func (pr *program) sendKey(msg tea.KeyPressMsg) {
	pr.f.mu.Lock()
	pr.f.keysAt = append(pr.f.keysAt, time.Now())
	pr.f.mu.Unlock()
	pr.p.Send(msg)
}

// stop quits the program and fails the test if it ended any other way
// (a panic in Update, View or a command is ErrProgramPanic).
func (pr *program) stop() {
	pr.t.Helper()
	pr.p.Quit()
	select {
	case <-pr.done:
	case <-time.After(10 * time.Second):
		pr.p.Kill()
		<-pr.done
		pr.t.Fatal("the program did not quit within 10 s")
	}
	if pr.err != nil {
		if errors.Is(pr.err, tea.ErrProgramPanic) {
			pr.t.Fatalf("the program panicked: %v", pr.err)
		}
		pr.t.Fatalf("the program ended with %v", pr.err)
	}
}

// waitFor waits until the screen satisfies ok.
func (pr *program) waitFor(what string, d time.Duration, ok func(screen string) bool) {
	pr.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if ok(pr.f.screen()) {
			return
		}
		select {
		case <-pr.done:
			pr.t.Fatalf("the program ended while waiting for %s: %v", what, pr.err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	pr.t.Fatalf("waited %v for %s; the screen is:\n%s", d, what, pr.f.screen())
}

// expect runs act and waits for a frame drawn after it, and after every
// key sent, that satisfies ok, and returns that screen. Unlike waitFor it
// never takes the screen from before act, so ok may be true of a state
// that passes quickly (a reload that fails again at once) and false of
// the screen act starts from; ok is called on the program's goroutine,
// one frame at a time.
func (pr *program) expect(what string, d time.Duration, act func(), ok func(screen string) bool) string {
	pr.t.Helper()
	hit := make(chan string, 1)
	pr.f.mu.Lock()
	pr.f.watch = func(s string) {
		if pr.f.synced() && ok(s) {
			select {
			case hit <- s:
			default:
			}
		}
	}
	pr.f.mu.Unlock()
	defer func() {
		pr.f.mu.Lock()
		pr.f.watch = nil
		pr.f.mu.Unlock()
	}()
	act()
	select {
	case s := <-hit:
		return s
	case <-pr.done:
		pr.t.Fatalf("the program ended while waiting for %s: %v", what, pr.err)
	case <-time.After(d):
		pr.t.Fatalf("waited %v for %s; the screen is:\n%s", d, what, pr.f.screen())
	}
	return ""
}

// awaitOutcome waits for the first outcome from mark on whose token starts
// with prefix, and returns it with the mark after it.
func (pr *program) awaitOutcome(what, prefix string, mark int, d time.Duration) (outcome, int) {
	pr.t.Helper()
	deadline := time.Now().Add(d)
	for {
		pr.f.mu.Lock()
		for i := mark; i < len(pr.f.outcomes); i++ {
			if o := pr.f.outcomes[i]; strings.HasPrefix(o.token, prefix) {
				pr.f.mu.Unlock()
				return o, i + 1
			}
		}
		pr.f.mu.Unlock()
		if time.Now().After(deadline) {
			pr.t.Fatalf("waited %v for %s; the screen is:\n%s", d, what, pr.f.screen())
		}
		select {
		case <-pr.done:
			pr.t.Fatalf("the program ended while waiting for %s: %v", what, pr.err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// press is the key message for a key name as key.Matches spells it.
func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// site is a fakejira of one flavour, stopped at the end of the test.
type site struct {
	srv    *fakejira.Server
	url    string
	flavor jiraclient.Flavor
}

func startSite(t testing.TB, flavor string, o fakejira.Options) site {
	t.Helper()
	o.Flavor = flavor
	srv, u, stop, err := fakejira.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	f := jiraclient.FlavorCloud
	if srv.Flavor() == fakejira.FlavorDataCenter {
		f = jiraclient.FlavorDataCenter
	}
	return site{srv: srv, url: u, flavor: f}
}

// credential is Ada's: email + API token on Cloud, a PAT on Data Center.
func (s site) credential() jiraclient.Credential {
	if s.flavor == jiraclient.FlavorCloud {
		return jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	}
	return jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
}

// client is a client for the site with a warm flavour (as from the site
// cache) and the given options after it.
func (s site) client(t testing.TB, opts ...jiraclient.Option) *jiraclient.Client {
	t.Helper()
	c, err := jiraclient.New(s.url, s.credential(), append([]jiraclient.Option{jiraclient.WithFlavor(s.flavor)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// me is Ada as the client types her.
func (s site) me() *jiraclient.User {
	u := s.srv.Me()
	return &jiraclient.User{AccountID: u.AccountID, Name: u.Name, Key: u.Key, DisplayName: u.DisplayName, Email: u.Email, Active: true}
}

// project is the first generated project's key.
func (s site) project() string {
	k := s.srv.Keys()[0]
	return k[:strings.IndexByte(k, '-')]
}

// jql is a bounded query over the first project (Cloud refuses unbounded
// searches), newest first like the default.
func (s site) jql() string { return "project = " + s.project() + " ORDER BY updated DESC" }

// options are the root model's options for a signed-in session on s.
func (s site) options(c *jiraclient.Client, events <-chan jiraclient.Event) tui.Options {
	return tui.Options{Client: c, Me: s.me(), Site: s.url, JQL: s.jql(), Events: events,
		Now: func() time.Time { return fakejira.DefaultNow }}
}

// firstKey is the key of the first issue the list shows for the site's
// query, from the server's own order.
func firstKeys(t testing.TB, s site, n int) []string {
	t.Helper()
	c := s.client(t)
	page, err := c.Search(t.Context(), jiraclient.SearchQuery{JQL: s.jql(), Fields: jiraclient.ListFields, PageSize: n}, jiraclient.Cursor{})
	if err != nil || len(page.Issues) == 0 {
		t.Fatalf("search %q: %d issues, %v", s.jql(), len(page.Issues), err)
	}
	keys := make([]string, len(page.Issues))
	for i, is := range page.Issues {
		keys[i] = is.Key
	}
	s.srv.ResetRequests()
	return keys
}

// ciStrict reports whether missing prerequisites must fail rather than skip.
func ciStrict() bool { return os.Getenv("CI") == "true" }

// writeFaults sits in front of a fakejira and answers the writes a user
// makes from the list (a comment, a transition, an assignee) from a script
// of its own, one entry per write that arrives, in order: a fault is served
// by a second fakejira with nothing in it (faults are answered before any
// handler runs, so its answers are fakejira's own 429 and HTML pages and
// its drops), anything else goes on to the site. The soak needs it because
// the site's script is shared by every request in arrival order, and at
// its rate a session's few writes would often meet no fault at all.
type writeFaults struct {
	site, faults *fakejira.Server
	mu           sync.Mutex
	script       []fakejira.Fault
	n            int // writes that arrived
	served       int // of them, answered with a fault
}

// isUserWrite reports whether a request is one of the writes the soak's
// session makes.
func isUserWrite(method, path string) bool {
	switch {
	case method == "POST" && (strings.HasSuffix(path, "/comment") || strings.HasSuffix(path, "/transitions")):
		return true
	case method == "PUT" && strings.HasSuffix(path, "/assignee"):
		return true
	}
	return false
}

func (wf *writeFaults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isUserWrite(r.Method, r.URL.Path) {
		wf.mu.Lock()
		var f fakejira.Fault
		if wf.n < len(wf.script) {
			f = wf.script[wf.n]
		}
		wf.n++
		if f.AfterHandler {
			// Jira makes the write, then its answer is lost: the site
			// handles it (its own script may still refuse it first), and
			// what the client gets is a 5xx, nothing, or a cut.
			wf.served++
			wf.mu.Unlock()
			wf.applied(w, r, f)
			return
		}
		if f != (fakejira.Fault{}) {
			// Held while it answers, so this request takes the one-fault
			// script and no other.
			defer wf.mu.Unlock()
			wf.served++
			wf.faults.SetFaults(fakejira.Faults{Script: []fakejira.Fault{f}})
			wf.faults.ServeHTTP(w, r)
			return
		}
		wf.mu.Unlock()
	}
	wf.site.ServeHTTP(w, r)
}

// applied runs the write on the site, then answers it with f's lost
// answer instead of the site's.
func (wf *writeFaults) applied(w http.ResponseWriter, r *http.Request, f fakejira.Fault) {
	wf.site.ServeHTTP(httptest.NewRecorder(), r)
	switch {
	case f.AfterStatus != 0:
		wf.mu.Lock()
		defer wf.mu.Unlock()
		wf.faults.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: f.AfterStatus, HTML: f.HTML}}})
		wf.faults.ServeHTTP(w, r)
	case f.AfterHang:
		<-r.Context().Done()
	default:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				_ = c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
}

// counts is how many writes arrived and how many met a fault.
func (wf *writeFaults) counts() (arrived, faulted int) {
	wf.mu.Lock()
	defer wf.mu.Unlock()
	return wf.n, wf.served
}

// requests is every request either server recorded, in arrival order.
func (wf *writeFaults) requests() []fakejira.Request {
	all := append(wf.site.Requests(), wf.faults.Requests()...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.Before(all[j].Time) })
	return all
}

// startWriteFaultSite is startSite with writeFaults in front, answering
// writes from script.
func startWriteFaultSite(t testing.TB, flavor string, o fakejira.Options, script []fakejira.Fault) (site, *writeFaults) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	o.Flavor, o.BaseURL = flavor, u
	srv := fakejira.New(o)
	wf := &writeFaults{site: srv, script: script,
		faults: fakejira.New(fakejira.Options{Flavor: flavor, BaseURL: u, Projects: 1, Issues: -1})}
	hs := &http.Server{Handler: wf, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = hs.Close()
		<-done
	})
	f := jiraclient.FlavorCloud
	if srv.Flavor() == fakejira.FlavorDataCenter {
		f = jiraclient.FlavorDataCenter
	}
	return site{srv: srv, url: u, flavor: f}, wf
}
