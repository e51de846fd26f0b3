package compose

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestMain pins the local zone: draft times are shown in it.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// site is a fake Jira and what the editors need to talk to it.
type site struct {
	t      *testing.T
	srv    *fakejira.Server
	url    string
	flavor string
	c      *common.Common
	dir    string
	drafts *config.Drafts
}

func newSite(t *testing.T, flavor string) *site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Issues: 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s := &site{t: t, srv: srv, url: url, flavor: flavor, dir: t.TempDir()}
	s.drafts = s.loadDrafts()
	me := srv.Me()
	cl := s.client(fakejira.Token)
	s.c = &common.Common{Width: 80, Height: 24, Styles: common.NewStyles(true), Client: cl,
		Me: &jiraclient.User{AccountID: me.AccountID, Name: me.Name, Key: me.Key, DisplayName: me.DisplayName}, Now: func() time.Time { return fixedNow },
		Issues: store.New(store.Options{Client: cl})}
	routeStore = s.c.Issues
	return s
}

// client signs in with token; retries are quick so a 429 test stays fast.
func (s *site) client(token string) *jiraclient.Client {
	s.t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: token}
	fl := jiraclient.FlavorCloud
	if s.flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: token}
		fl = jiraclient.FlavorDataCenter
	}
	cl, err := jiraclient.New(s.url, cred, jiraclient.WithFlavor(fl),
		jiraclient.WithRetry(jiraclient.RetryPolicy{MaxRetries: 2, Initial: 10 * time.Millisecond, Max: 2 * time.Second}))
	if err != nil {
		s.t.Fatal(err)
	}
	return cl
}

func (s *site) loadDrafts() *config.Drafts {
	s.t.Helper()
	d, err := config.LoadDrafts(s.dir)
	if err != nil {
		s.t.Fatal(err)
	}
	return d
}

func (s *site) deps() Deps {
	return Deps{Drafts: s.drafts, Now: func() time.Time { return fixedNow }}
}

// issue reads an issue the way the detail has it.
func (s *site) issue(key string) jiraclient.Issue {
	s.t.Helper()
	is, err := s.c.Client.GetIssue(s.t.Context(), key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
	if err != nil {
		s.t.Fatal(err)
	}
	return *is
}

func (s *site) key(i int) string { return s.srv.Keys()[i] }

func (s *site) snap(key string) fakejira.IssueSnapshot {
	s.t.Helper()
	sn, ok := s.srv.Issue(key)
	if !ok {
		s.t.Fatalf("no issue %s", key)
	}
	return sn
}

// routeStore is the store of the last newSite (the tests here run one at a
// time): the driver hands it the store's answers, as the root does.
var routeStore *store.Store

// driver runs an overlay the way Bubble Tea would, synchronously: each
// command runs and its message is fed back; what is meant for the root
// (patches, confirmations, close, notices) is collected in out.
type driver struct {
	t   *testing.T
	ov  common.Overlay
	out []tea.Msg
}

func drive(t *testing.T, ov common.Overlay) *driver {
	fast(ov)
	return &driver{t: t, ov: ov}
}

// fast makes the debounces immediate so tests do not sleep.
func fast(ov common.Overlay) {
	switch m := ov.(type) {
	case *Comment:
		m.drafts.delay, m.men.delay = 0, 0
	case *Edit:
		m.drafts.delay, m.men.delay, m.labelDelay = 0, 0, 0
	case *Create:
		m.drafts.delay = 0
	}
}

// isTick reports animation messages, which are dropped: feeding them
// back would schedule the next frame with a real sleep.
func isTick(msg tea.Msg) bool {
	p := reflect.TypeOf(msg).PkgPath()
	return strings.HasSuffix(p, "bubbles/v2/spinner") || strings.HasSuffix(p, "bubbles/v2/cursor")
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	var cmd tea.Cmd
	d.ov, cmd = d.ov.Update(msg)
	d.run(cmd)
}

// sendOnly delivers msg and returns its command unrun.
func (d *driver) sendOnly(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.ov, cmd = d.ov.Update(msg)
	return cmd
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if seq, ok := sequence(msg); ok {
			// tea.Sequence: in order, ahead of what is queued.
			queue = append(seq, queue...)
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case common.IssuePatchMsg, common.IssueConfirmedMsg, common.IssueRollbackMsg, common.IssueCreatedMsg, common.CloseOverlayMsg, common.NoticeMsg, store.LoginNeededMsg:
			d.out = append(d.out, msg)
		default:
			if out, next, ok := routeStore.Update(msg); ok {
				// The root's part: the store's answers become the views'.
				queue = append(queue, next)
				for _, o := range out {
					queue = append(queue, func() tea.Msg { return o })
				}
				continue
			}
			if isTick(msg) || strings.HasPrefix(reflect.TypeOf(msg).String(), "tea.") {
				continue // ticks; ExecProcess (tests run the editor themselves)
			}
			var next tea.Cmd
			d.ov, next = d.ov.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		if r == '\n' {
			d.send(tea.KeyPressMsg{Code: tea.KeyEnter})
			continue
		}
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) press(k string) { d.t.Helper(); d.send(keyMsg(k)) }

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModCtrl}
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func (d *driver) view() string { return ansi.Strip(d.ov.View()) }

// outOf returns the collected messages of type T.
func outOf[T any](d *driver) []T {
	var r []T
	for _, m := range d.out {
		if v, ok := m.(T); ok {
			r = append(r, v)
		}
	}
	return r
}

func (d *driver) closed() bool { return len(outOf[common.CloseOverlayMsg](d)) > 0 }

func (d *driver) wantView(subs ...string) {
	d.t.Helper()
	v := d.view()
	for _, s := range subs {
		if !strings.Contains(v, s) {
			d.t.Errorf("the view lacks %q:\n%s", s, v)
		}
	}
}

func configDraft(key, text, errText string) config.Draft {
	return config.Draft{Key: key, Text: text, Error: errText, Saved: fixedNow}
}

// sequence unpacks tea.Sequence's message (an unexported []Cmd type).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if msg == nil || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(reflect.TypeFor[[]tea.Cmd]()) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	return v.Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd), true
}
