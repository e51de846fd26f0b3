package soak

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
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
	maxBoth   time.Duration // an Update plus the View drawn after it
	lastUpd   time.Duration
	updates   int
	last      string // latest screen, ANSI stripped
	watch     func(screen string)
}

func (f *frames) update(d time.Duration) {
	f.mu.Lock()
	f.updates++
	f.lastUpd = d
	f.maxUpdate = max(f.maxUpdate, d)
	f.mu.Unlock()
}

func (f *frames) frame(at time.Time, d time.Duration, content string) {
	s := ansi.Strip(content)
	f.mu.Lock()
	f.times = append(f.times, at)
	f.maxView = max(f.maxView, d)
	f.maxBoth = max(f.maxBoth, f.lastUpd+d)
	f.lastUpd = 0
	f.last = s
	w := f.watch
	f.mu.Unlock()
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
	return pr
}

// key sends one key press.
func (pr *program) key(k string) { pr.p.Send(press(k)) }

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
